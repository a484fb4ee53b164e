#pragma once
// A row of the event log (SPEC §3 Events). `data` is what anyone allowed on the topic may
// see; `data_privileged`, when set, is the fuller version for design_group and admin
// (e.g. with an anonymous author). `audience` narrows who receives it at all.
#include <cstdint>
#include <memory>
#include <string>
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
};

using EventBatch = std::vector<std::shared_ptr<const EventRecord>>;

}  // namespace cc::store
