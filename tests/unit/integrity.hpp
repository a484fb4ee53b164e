#pragma once
// Whether SQLite finds a database file whole (PRAGMA integrity_check reports nothing amiss).
#include "store/connection.hpp"

namespace cc::unit {

inline bool intact(store::Connection& c) {
  return c.scalar_int("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'") == 0;
}

}  // namespace cc::unit
