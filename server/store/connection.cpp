#include "store/connection.hpp"

#include <sqlite3.h>

namespace cc::store {

Connection::Connection(const std::string& path, Access access, int busy_timeout_ms)
    : db_(path, access == Access::read_only ? SQLite::OPEN_READONLY
                                             : (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE),
          busy_timeout_ms) {
  db_.exec("PRAGMA foreign_keys = ON");
  if (access == Access::read_only) {
    db_.exec("PRAGMA query_only = ON");
    // Readers map the database file instead of copying pages into a private cache: in WAL
    // mode every commit empties a reader's page cache, and a read of an idea's row cost
    // a system call and a 4 KiB copy. The mapping shares the kernel's page cache, so it
    // adds no memory of its own; writes still go through the writer's normal path.
    db_.exec("PRAGMA mmap_size = 1073741824");
  }
}

Stmt Connection::prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) it = cache_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
  return Stmt(*it->second);
}

bool Connection::in_transaction() const { return sqlite3_get_autocommit(db_.getHandle()) == 0; }

std::int64_t Connection::scalar_int(const std::string& sql) {
  auto st = prepare(sql);
  if (!st->executeStep()) return 0;
  return st->getColumn(0).getInt64();
}

ReadTx::ReadTx(Connection& c) : c_(c), owns_(!c.in_transaction()) {
  if (owns_) c_.exec("BEGIN");
}

ReadTx::~ReadTx() {
  if (owns_) {
    try { c_.exec("COMMIT"); } catch (...) {}
  }
}

}  // namespace cc::store
