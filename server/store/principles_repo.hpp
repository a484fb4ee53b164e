#pragma once
#include <vector>

#include "domain/principle.hpp"
#include "store/connection.hpp"

namespace cc::store {

std::vector<domain::Principle> list_principles(Connection& c);
void update_principle(Connection& c, const domain::Principle& p);

}  // namespace cc::store
