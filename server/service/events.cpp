#include "service/events.hpp"

#include "common/clock.hpp"
#include "json/domain_json.hpp"
#include "store/social_repo.hpp"

namespace cc::service {

using nlohmann::json;

std::string challenge_topic(std::int64_t id) { return store::challenge_topic_name(id); }
std::string idea_topic(std::int64_t id) { return store::idea_topic_name(id); }
std::string workshop_topic(std::int64_t id) { return "workshop:" + std::to_string(id); }
std::string user_topic(std::int64_t id) { return "user:" + std::to_string(id); }

namespace {

std::vector<std::string> topics_of(IdeaTopics on) { return {challenge_topic(on.challenge_id), idea_topic(on.idea_id)}; }

std::int64_t append(store::WriteTx& tx, const std::string& type, std::vector<std::string> topics, std::string data,
                    std::string privileged, store::Audience audience, std::int64_t owner) {
  store::EventRecord e;
  e.type = type;
  e.topics = std::move(topics);
  e.data = std::move(data);
  if (!privileged.empty() && privileged != e.data) e.data_privileged = std::move(privileged);
  e.audience = audience;
  e.owner_id = owner;
  e.created_at = now_rfc3339();
  return tx.append_event(std::move(e));
}

// {...extra, "idea": {...}} as the viewer sees it, written as text (every idea write
// makes two of these on the writer's thread).
std::string idea_payload(const json& extra, const domain::Idea& idea, const domain::Viewer& viewer) {
  std::string out;
  out.reserve(768);
  cc::json::TextWriter w(out);
  w.begin_object();
  for (const auto& [k, v] : extra.items())
    if (k != "idea") w.key(k).value(v);
  w.key("idea").begin_object();
  cc::json::write_idea_members(w, idea, viewer, false);
  w.end_object().end_object();
  return out;
}

}  // namespace

std::int64_t emit(store::WriteTx& tx, const std::string& type, std::vector<std::string> topics, const json& data,
                  const std::optional<json>& privileged, store::Audience audience, std::int64_t owner) {
  return append(tx, type, std::move(topics), cc::json::to_text(data), privileged ? cc::json::to_text(*privileged) : "",
                audience, owner);
}

std::int64_t emit(store::WriteTx& tx, const std::string& type, IdeaTopics on, const json& data,
                  const std::optional<json>& privileged, store::Audience audience) {
  return append(tx, type, topics_of(on), cc::json::to_text(data),
                privileged ? cc::json::to_text(*privileged) : "", audience, 0);
}

std::int64_t emit_text(store::WriteTx& tx, const std::string& type, IdeaTopics on, std::string data,
                       store::Audience audience) {
  return append(tx, type, topics_of(on), std::move(data), "", audience, 0);
}

std::int64_t emit_idea_event(store::WriteTx& tx, const std::string& type, const domain::Idea& idea,
                             bool challenge_is_draft, json extra) {
  return append(tx, type, topics_of({idea.challenge_id, idea.id}),
                idea_payload(extra, idea, domain::Viewer::anyone()), idea_payload(extra, idea, domain::Viewer::design_group()),
                challenge_is_draft || idea.hidden ? store::Audience::privileged : store::Audience::everyone, 0);
}

void notify(store::WriteTx& tx, const std::set<std::int64_t>& recipients, std::int64_t actor, const std::string& type,
            const json& data) {
  auto now = now_rfc3339();
  for (auto user : recipients) {
    if (user == actor || user == 0) continue;
    auto id = store::insert_notification(tx.conn, user, type, data.dump(), now);
    json n = {{"id", id}, {"type", type}, {"data", data}, {"created_at", now}, {"read_at", nullptr}, {"read", false}};
    emit(tx, "notification", {user_topic(user)}, {{"notification", n}}, std::nullopt, store::Audience::owner, user);
  }
}

std::set<std::int64_t> idea_audience(store::Connection& c, const domain::Idea& idea) {
  std::set<std::int64_t> out;
  for (auto u : store::followers(c, "idea", idea.id)) out.insert(u);
  for (auto u : store::followers(c, "challenge", idea.challenge_id)) out.insert(u);
  return out;
}

}  // namespace cc::service
