#pragma once
#include <nlohmann/json.hpp>

#include "domain/user.hpp"

namespace cc::json {

// The full user, as its owner and admins see it.
nlohmann::json user_json(const domain::User& u);
// What others see of an author: {id, display_name, profession}.
nlohmann::json person_json(std::int64_t id, const std::string& display_name, const std::string& profession);

}  // namespace cc::json
