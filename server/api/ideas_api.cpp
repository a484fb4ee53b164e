// Ideas: list per challenge, submit, read with journey, edit/status, merge, vote, follow.
#include "api/api.hpp"
#include "api/services.hpp"
#include "domain/text.hpp"
#include "json/domain_json.hpp"
#include "json/fields.hpp"
#include "json/request_json.hpp"
#include "store/snapshot_cache.hpp"

namespace cc::api {

namespace {

// Each listed idea's text for every viewer (json::IdeaText), kept at this thread's
// snapshot as its row is (store/ideas_repo.cpp): 4,096 are about 4 MB a thread.
thread_local store::SnapshotCache<std::int64_t, json::IdeaText, 4096> t_idea_text;

// Writes `i`, read at `snapshot`, as `v` sees it, from its kept text when there is one.
void write_listed_idea(json::TextWriter& w, const store::ListedIdea& i, const domain::Viewer& v,
                       std::uint64_t snapshot) {
  const json::IdeaText* text = t_idea_text.find(snapshot, i.idea->id);
  if (!text) text = t_idea_text.put(snapshot, i.idea->id, json::IdeaText(*i.idea));
  if (text) return text->write_members(w, v, i.my_vote);
  domain::Idea idea = *i.idea;
  idea.my_vote = i.my_vote;
  json::write_idea_members(w, idea, v);
}

http::Response idea_response(int status, const domain::Idea& i, const domain::Viewer& v) {
  std::string out;
  json::TextWriter w(out);
  w.begin_object().key("idea").begin_object();
  json::write_idea_members(w, i, v);
  w.end_object().end_object();
  return http::json_text_response(status, std::move(out));
}
}  // namespace

void add_idea_routes(Api& api) {
  auto& s = api.services();

  api.add("GET", "/api/v1/challenges/{id}/ideas", Access::user, [&s](Call& c) {
    auto sort = domain::parse_sort(c.query("sort").value_or(""));
    if (!sort) throw domain::validation_error("sort", "sort must be top, new, trending or discussed");
    std::optional<domain::IdeaStatus> status;
    if (auto q = c.query("status"); q && !q->empty()) {
      status = domain::parse_idea_status(*q);
      if (!status) throw domain::validation_error("status", "unknown idea status");
    }
    auto v = c.viewer();
    auto page = s.ideas.list(v, c.id_param(), *sort, status, c.query("cursor"), c.limit(), s.recent_writes.last(v.user_id));
    // The page was read in this request's read transaction (ReadScope): its snapshot.
    const auto snapshot = s.store.reader().snapshot();
    c.respond(page_response(page.items, page.next_cursor, [&v, snapshot](json::TextWriter& w, const store::ListedIdea& i) {
      w.begin_object();
      write_listed_idea(w, i, v, snapshot);
      w.end_object();
    }));
  });

  api.add("POST", "/api/v1/challenges/{id}/ideas", Access::user, [&s](Call& c) {
    auto body = c.body();
    auto input = json::new_idea_from_json(body);
    bool confirmed = json::optional_bool(body, "confirm_no_patient_data").value_or(false);
    limit_writes(s, c);
    auto v = c.viewer();
    s.ideas.create(v, c.id_param(), std::move(input), confirmed,
                   reply<domain::Idea>(c.respond, [v](const domain::Idea& i) { return idea_response(201, i, v); }));
  });

  api.add("GET", "/api/v1/ideas/{id}", Access::user, [&s](Call& c) {
    auto v = c.viewer();
    auto view = s.ideas.get(v, c.id_param());
    const auto snapshot = s.store.reader().snapshot();  // the one read in get (ReadScope)
    std::string out;
    out.reserve(1024);
    json::TextWriter w(out);
    w.begin_object().key("idea").begin_object();
    write_listed_idea(w, view.idea, v, snapshot);
    w.key("history");
    json::write_history(w, view.history);
    w.key("workshops").begin_array();
    for (const auto& ws : view.workshops)
      w.begin_object().key("id").integer(ws.id).key("title").string(ws.title).key("item_state").string(ws.item_state).end_object();
    w.end_array().end_object().end_object();
    c.respond(http::json_text_response(200, std::move(out)));
  });

  api.add("PATCH", "/api/v1/ideas/{id}", Access::user, [&s](Call& c) {
    auto body = c.body();
    service::IdeaPatch p;
    p.title = json::optional_string(body, "title");
    p.body = json::optional_string(body, "body");
    if (body.contains("tags")) p.tags = json::string_array(body, "tags");
    if (auto st = json::optional_string(body, "status")) {
      p.status = domain::parse_idea_status(*st);
      if (!p.status) throw domain::validation_error("status", "unknown idea status");
    }
    p.status_note = json::optional_string(body, "status_note");
    p.confirm_no_patient_data = json::optional_bool(body, "confirm_no_patient_data").value_or(false);
    auto v = c.viewer();
    s.ideas.update(v, c.id_param(), std::move(p),
                   reply<domain::Idea>(c.respond, [v](const domain::Idea& i) { return idea_response(200, i, v); }));
  });

  api.add("POST", "/api/v1/ideas/{id}/merge", Access::design_group, [&s](Call& c) {
    auto body = c.body();
    auto into = json::required_int(body, "into_id");
    auto note = json::optional_string(body, "note");
    if (note) domain::check_text("note", *note, 1, 2000, true);
    auto v = c.viewer();
    s.ideas.merge(v, c.id_param(), into, note,
                  reply<domain::Idea>(c.respond, [v](const domain::Idea& i) { return idea_response(200, i, v); }));
  });

  api.add("POST", "/api/v1/ideas/{id}/unmerge", Access::design_group, [&s](Call& c) {
    auto v = c.viewer();
    s.ideas.unmerge(v, c.id_param(),
                    reply<domain::Idea>(c.respond, [v](const domain::Idea& i) { return idea_response(200, i, v); }));
  });

  api.add("PUT", "/api/v1/ideas/{id}/vote", Access::user, [&s](Call& c) {
    auto body = c.body();
    auto value = json::required_int(body, "value");
    if (value < -1 || value > 1) throw domain::validation_error("value", "value must be 1, -1 or 0");
    limit_writes(s, c);
    s.ideas.vote(c.viewer(), c.id_param(), static_cast<int>(value), reply<domain::IdeaTally>(c.respond, [](const domain::IdeaTally& i) {
                   return http::json_text_response(200, json::votes_text(i, i.my_vote));
                 }));
  });

  for (const char* type : {"challenge", "idea"}) {
    std::string path = std::string("/api/v1/") + (std::string(type) == "idea" ? "ideas" : "challenges") + "/{id}/follow";
    api.add("PUT", path, Access::user, [&s, type](Call& c) {
      auto body = c.body();
      auto follow = json::optional_bool(body, "follow");
      if (!follow) throw domain::validation_error("follow", "follow must be true or false");
      s.ideas.follow(c.viewer(), type, c.id_param(), *follow, reply<bool>(c.respond, [](bool f) {
                       return http::json_response(200, {{"following", f}});
                     }));
    });
  }
}

}  // namespace cc::api
