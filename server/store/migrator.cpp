#include "store/migrator.hpp"

#include <stdexcept>

namespace cc::store {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
#include "migrations.inc"
  };
  return list;
}

int latest_schema_version() { return migrations().empty() ? 0 : migrations().back().version; }

int current_schema_version(Connection& c) { return static_cast<int>(c.scalar_int("PRAGMA user_version")); }

int migrate(Connection& c) {
  int current = current_schema_version(c);
  if (current > latest_schema_version())
    throw std::runtime_error("the database schema (version " + std::to_string(current) +
                             ") is newer than this program knows (" + std::to_string(latest_schema_version()) + ")");
  int applied = 0;
  for (const auto& m : migrations()) {
    if (m.version <= current) continue;
    SQLite::Transaction tx(c.raw(), SQLite::TransactionBehavior::IMMEDIATE);
    // Another process may have migrated while we waited for the lock.
    if (current_schema_version(c) >= m.version) continue;
    try {
      c.exec(m.sql);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("migration ") + m.name + " failed: " + e.what());
    }
    c.exec("PRAGMA user_version = " + std::to_string(m.version));
    tx.commit();
    ++applied;
  }
  return applied;
}

}  // namespace cc::store
