#pragma once
// Who is looking: what an answer may reveal depends on it (anonymous authors, drafts,
// hidden content).
#include <cstdint>

#include "domain/roles.hpp"

namespace cc::domain {

struct Viewer {
  std::int64_t user_id = 0;
  Role role = Role::staff;
  bool privileged() const { return at_least(role, Role::design_group); }
  // The public view used for events that anyone on a topic may receive.
  static Viewer anyone() { return Viewer{0, Role::staff}; }
  static Viewer design_group() { return Viewer{0, Role::design_group}; }
};

}  // namespace cc::domain
