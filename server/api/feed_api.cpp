// Search, notifications and the event log replay.
#include "api/api.hpp"
#include "api/services.hpp"
#include "json/domain_json.hpp"
#include "json/fields.hpp"

namespace cc::api {

void add_feed_routes(Api& api) {
  auto& s = api.services();

  api.add("GET", "/api/v1/search", Access::user, [&s](Call& c) {
    auto q = c.query("q").value_or("");
    auto v = c.viewer();
    auto page = s.feed.search(v, q, c.query_int("challenge"), c.query_int("principle"), c.query("cursor"), c.limit());
    c.respond(page_response(page.items, page.next_cursor, [&v](json::TextWriter& w, const service::SearchResult& r) {
      w.begin_object().key("type").string("idea").key("idea").begin_object();
      json::write_idea_members(w, r.idea, v);
      w.end_object().key("snippet").string(r.hit.snippet).key("highlights").begin_array();
      for (auto [start, len] : r.hit.highlights) w.begin_array().integer(start).integer(len).end_array();
      w.end_array().end_object();
    }));
  });

  api.add("GET", "/api/v1/notifications", Access::user, [&s](Call& c) {
    bool unread = c.query("unread").value_or("") == "true";
    auto uid = c.user().id;
    auto page = s.feed.notifications(uid, unread, c.query("cursor"), c.limit());
    auto body = page_json(page.items, page.next_cursor, service::notification_json);
    body["unread_count"] = s.feed.unread(uid);
    c.respond(http::json_response(200, body));
  });

  api.add("POST", "/api/v1/notifications/read", Access::user, [&s](Call& c) {
    auto body = c.body();
    auto ids = json::int_array(body, "ids");
    bool all = json::optional_bool(body, "all").value_or(false);
    s.feed.mark_read(c.user().id, std::move(ids), all,
                     reply<int>(c.respond, [](int n) { return http::json_response(200, {{"marked", n}}); }));
  });

  api.add("GET", "/api/v1/events", Access::user, [&s](Call& c) {
    auto since = c.query_int("since").value_or(0);
    if (since < 0) throw domain::validation_error("since", "since must be 0 or more");
    auto topic = c.query("topic");
    if (topic && topic->empty()) topic.reset();
    int limit = c.query_int("limit") ? c.limit() : 100;
    auto replay = s.feed.events(c.viewer(), since, topic, limit);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& [e, data] : replay.items) {
      auto parsed = nlohmann::json::parse(data, nullptr, false);
      // The topic the caller asked for, else the event's first.
      std::string t = topic ? *topic : (e.topics.empty() ? "" : e.topics.front());
      items.push_back({{"seq", e.seq}, {"topic", t}, {"type", e.type}, {"data", parsed}, {"at", e.created_at}});
    }
    c.respond(http::json_response(200, {{"items", std::move(items)}, {"next_since", replay.next_since}}));
  });
}

}  // namespace cc::api
