#pragma once
// Applies the numbered migrations of sql/ (compiled in) in order, each with its
// PRAGMA user_version in one transaction, so a crash never leaves half a schema.
#include <string>
#include <vector>

#include "store/connection.hpp"

namespace cc::store {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& migrations();
int latest_schema_version();
int current_schema_version(Connection& c);
// Applies every migration above the current version; returns how many were applied.
// Refuses a database newer than this program knows.
int migrate(Connection& c);
// The same with a list of one's own (for tests).
int migrate(Connection& c, const std::vector<Migration>& list);

}  // namespace cc::store
