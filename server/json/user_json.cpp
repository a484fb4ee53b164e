#include "json/user_json.hpp"

namespace cc::json {

nlohmann::json user_json(const domain::User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"display_name", u.display_name},
          {"profession", u.profession},
          {"organisation", u.organisation},
          {"place", u.place ? nlohmann::json(*u.place) : nlohmann::json()},
          {"role", domain::to_string(u.role)},
          {"status", u.active ? "active" : "disabled"},
          {"created_at", u.created_at}};
}

nlohmann::json person_json(std::int64_t id, const std::string& display_name, const std::string& profession) {
  return {{"id", id}, {"display_name", display_name}, {"profession", profession}};
}

}  // namespace cc::json
