#pragma once
// Roles are ordered: each includes every power of the ones below it (SPEC §1).
#include <optional>
#include <string_view>

namespace cc::domain {

enum class Role { staff = 0, design_group = 1, admin = 2 };

inline std::string_view to_string(Role r) {
  switch (r) {
    case Role::staff: return "staff";
    case Role::design_group: return "design_group";
    case Role::admin: return "admin";
  }
  return "staff";
}

inline std::optional<Role> parse_role(std::string_view s) {
  if (s == "staff") return Role::staff;
  if (s == "design_group") return Role::design_group;
  if (s == "admin") return Role::admin;
  return std::nullopt;
}

inline bool at_least(Role have, Role need) { return static_cast<int>(have) >= static_cast<int>(need); }

}  // namespace cc::domain
