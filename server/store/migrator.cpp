#include "store/migrator.hpp"

#include <stdexcept>
#include <string_view>

namespace cc::store {

namespace {

// A migration that rebuilds a table other tables refer to starts with this line. It runs
// with foreign keys off, as SQLite's procedure for changing a table's definition asks
// (they cannot be switched inside a transaction), and must leave every reference whole.
constexpr std::string_view kForeignKeysOff = "-- carecrowd: foreign_keys off";

// Foreign keys back on, whatever way the migration ends (after its transaction's).
struct ForeignKeysOff {
  Connection& c;
  bool off;
  ForeignKeysOff(Connection& conn, bool turn_off) : c(conn), off(turn_off) {
    if (off) c.exec("PRAGMA foreign_keys = OFF");
  }
  ~ForeignKeysOff() {
    if (!off) return;
    try { c.exec("PRAGMA foreign_keys = ON"); } catch (...) {}
  }
};

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
#include "migrations.inc"
  };
  return list;
}

int latest_schema_version() { return migrations().empty() ? 0 : migrations().back().version; }

int current_schema_version(Connection& c) { return static_cast<int>(c.scalar_int("PRAGMA user_version")); }

int migrate(Connection& c) { return migrate(c, migrations()); }

int migrate(Connection& c, const std::vector<Migration>& list) {
  const int latest = list.empty() ? 0 : list.back().version;
  int current = current_schema_version(c);
  if (current > latest)
    throw std::runtime_error("the database schema (version " + std::to_string(current) +
                             ") is newer than this program knows (" + std::to_string(latest) + ")");
  int applied = 0;
  for (const auto& m : list) {
    if (m.version <= current) continue;
    const bool rebuilds = std::string_view(m.sql).substr(0, kForeignKeysOff.size()) == kForeignKeysOff;
    ForeignKeysOff foreign_keys(c, rebuilds);
    SQLite::Transaction tx(c.raw(), SQLite::TransactionBehavior::IMMEDIATE);
    // Another process may have migrated while we waited for the lock.
    if (current_schema_version(c) >= m.version) continue;
    try {
      c.exec(m.sql);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("migration ") + m.name + " failed: " + e.what());
    }
    if (rebuilds) {
      auto broken = c.prepare("PRAGMA foreign_key_check");
      if (broken->executeStep())
        throw std::runtime_error(std::string("migration ") + m.name + " left a row of " +
                                 broken->getColumn(0).getString() + " referring to no row of " +
                                 broken->getColumn(2).getString());
    }
    c.exec("PRAGMA user_version = " + std::to_string(m.version));
    tx.commit();
    ++applied;
  }
  return applied;
}

}  // namespace cc::store
