#pragma once
// Appending events and notifications inside a write transaction (SPEC §3 Events,
// Notifications). Every change appends its events in the same transaction as the change.
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/challenge.hpp"
#include "domain/idea.hpp"
#include "store/store.hpp"

namespace cc::service {

std::string challenge_topic(std::int64_t id);
std::string idea_topic(std::int64_t id);
std::string workshop_topic(std::int64_t id);
std::string user_topic(std::int64_t id);
inline const char* kChallengesTopic = "challenges";

// Appends one event. `privileged` is the fuller payload for the design group, when it differs.
std::int64_t emit(store::WriteTx& tx, const std::string& type, std::vector<std::string> topics,
                  const nlohmann::json& data, const std::optional<nlohmann::json>& privileged = std::nullopt,
                  store::Audience audience = store::Audience::everyone, std::int64_t owner = 0);

// An event about one idea: on its challenge's topic and its own.
struct IdeaTopics {
  std::int64_t challenge_id = 0;
  std::int64_t idea_id = 0;
};
std::int64_t emit(store::WriteTx& tx, const std::string& type, IdeaTopics on, const nlohmann::json& data,
                  const std::optional<nlohmann::json>& privileged = std::nullopt,
                  store::Audience audience = store::Audience::everyone);
// The same with one payload for everyone, already written as JSON text (the votes).
std::int64_t emit_text(store::WriteTx& tx, const std::string& type, IdeaTopics on, std::string data,
                       store::Audience audience);

// An idea event on challenge:{id} and idea:{id}, public and privileged payloads built
// from `idea`, restricted to the design group while the challenge is a draft.
std::int64_t emit_idea_event(store::WriteTx& tx, const std::string& type, const domain::Idea& idea,
                             bool challenge_is_draft, nlohmann::json extra = nlohmann::json::object());

// Stores a notification for each recipient (except `actor`) and pushes it on user:{id}.
void notify(store::WriteTx& tx, const std::set<std::int64_t>& recipients, std::int64_t actor, const std::string& type,
            const nlohmann::json& data);

// Everyone to tell about an idea's journey: its followers and its challenge's followers.
std::set<std::int64_t> idea_audience(store::Connection& c, const domain::Idea& idea);

}  // namespace cc::service
