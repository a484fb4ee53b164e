#pragma once
// A row of the event log (SPEC §3 Events). `data` is what anyone allowed on the topic may
// see; `data_privileged`, when set, is the fuller version for design_group and admin
// (e.g. with an anonymous author). `audience` narrows who receives it at all.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cc::store {

enum class Audience {
  everyone,    // any signed-in user subscribed to the topic
  privileged,  // design_group and admin only (e.g. changes to a draft challenge)
  owner,       // only the user named in owner_id (notifications)
};

struct EventRecord {
  std::int64_t seq = 0;
  std::string type;
  std::vector<std::string> topics;
  std::string data;             // JSON text
  std::string data_privileged;  // JSON text or empty
  Audience audience = Audience::everyone;
  std::int64_t owner_id = 0;
  std::string created_at;
  // The idea and the challenge of the first `idea:` and `challenge:` topics in `topics`,
  // which the log keeps in the event's own row rather than in rows of event_topics
  // (sql/0006_event_idea_column.sql, sql/0008_event_challenge_column.sql). Set by
  // WriteTx::append_event from `topics`, and read back from the log. 0: none.
  std::int64_t idea_id = 0;
  std::int64_t challenge_id = 0;
};

// The topics of a challenge's and of an idea's events (SPEC §3).
std::string challenge_topic_name(std::int64_t challenge_id);
std::string idea_topic_name(std::int64_t idea_id);
// The challenge a `challenge:<id>` topic names, the idea an `idea:<id>` topic names, or 0.
std::int64_t challenge_of_topic(std::string_view topic);
std::int64_t idea_of_topic(std::string_view topic);

using EventBatch = std::vector<std::shared_ptr<const EventRecord>>;

}  // namespace cc::store
