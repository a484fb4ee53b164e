#pragma once
// Flags: anyone may flag an idea or comment; the design group resolves them, hiding the
// content or not (SPEC §3 Flags).
#include <nlohmann/json.hpp>

#include "domain/viewer.hpp"
#include "service/outcome.hpp"
#include "service/page.hpp"
#include "store/social_repo.hpp"

namespace cc::service {

class Moderation {
public:
  explicit Moderation(store::Store& store) : store_(store) {}

  void flag(const domain::Viewer& actor, const std::string& target, std::int64_t id, std::string reason,
            Then<store::FlagRow> then);
  Page<store::FlagRow> list(const std::optional<std::string>& state, const std::optional<std::string>& cursor, int limit);
  void resolve(const domain::Viewer& actor, std::int64_t flag_id, const std::string& state, const std::string& action,
               std::string note, Then<store::FlagRow> then);

private:
  store::Store& store_;
};

nlohmann::json flag_json(const store::FlagRow& f);

}  // namespace cc::service
