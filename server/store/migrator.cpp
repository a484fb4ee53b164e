#include "store/migrator.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.hpp"

namespace cc::store {

namespace {

// A migration that rebuilds a table other tables refer to starts with this line and the
// table's name. It runs with foreign keys off, as SQLite's procedure for changing a
// table's definition asks (they cannot be switched inside a transaction), and before it
// commits, the rows that refer to that table, and the table's own references, are
// checked: all of a database's would take a minute on a large one, at start-up.
constexpr std::string_view kRebuilds = "-- carecrowd: rebuilds ";

// The table a migration rebuilds, or "".
std::string rebuilt_table(const Migration& m) {
  std::string_view sql(m.sql);
  if (sql.substr(0, kRebuilds.size()) != kRebuilds) return {};
  sql.remove_prefix(kRebuilds.size());
  return std::string(sql.substr(0, sql.find_first_of(" \r\n")));
}

void check_references(Connection& c, const Migration& m, const std::string& table) {
  std::vector<std::string> tables{table};
  auto referring = c.prepare(
      "SELECT DISTINCT s.name FROM sqlite_schema s, pragma_foreign_key_list(s.name) f "
      "WHERE s.type = 'table' AND f.\"table\" = ? ORDER BY s.name");
  referring->bind(1, table);
  while (referring->executeStep()) tables.push_back(referring->getColumn(0).getString());
  for (const auto& t : tables) {
    auto broken = c.prepare("PRAGMA foreign_key_check(\"" + t + "\")");
    if (broken->executeStep())
      throw std::runtime_error(std::string("migration ") + m.name + " left a row of " +
                               broken->getColumn(0).getString() + " referring to no row of " +
                               broken->getColumn(2).getString());
  }
}

// Foreign keys off for a rebuild, and back on whatever way it ends (after its
// transaction has).
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
    const auto started = std::chrono::steady_clock::now();
    const std::string rebuilds = rebuilt_table(m);
    ForeignKeysOff foreign_keys(c, !rebuilds.empty());
    SQLite::Transaction tx(c.raw(), SQLite::TransactionBehavior::IMMEDIATE);
    // Another process may have migrated while we waited for the lock.
    if (current_schema_version(c) >= m.version) continue;
    try {
      c.exec(m.sql);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("migration ") + m.name + " failed: " + e.what());
    }
    if (!rebuilds.empty()) check_references(c, m, rebuilds);
    c.exec("PRAGMA user_version = " + std::to_string(m.version));
    tx.commit();
    ++applied;
    // A rebuild of a large table can hold up a start for seconds: say which one did.
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    if (ms >= 1000) log::info(std::string("event=slow_migration name=") + m.name + " ms=" + std::to_string(ms));
  }
  return applied;
}

}  // namespace cc::store
