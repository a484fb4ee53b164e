#pragma once
// One SQLite connection and its cache of prepared statements. A connection is used by
// one thread only (SQLiteCpp is not thread-safe across threads); statements are
// prepared once and reset after each use so that no read transaction stays open.
#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>
#include <unordered_map>

namespace cc::store {

class Connection;

// A cached statement, borrowed for one use: reset and unbound when it goes out of scope.
class Stmt {
public:
  explicit Stmt(SQLite::Statement& s) : s_(&s) {}
  Stmt(Stmt&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() {
    if (s_) {
      try { s_->reset(); } catch (...) {}
      s_->clearBindings();
    }
  }
  SQLite::Statement* operator->() { return s_; }
  SQLite::Statement& operator*() { return *s_; }

private:
  SQLite::Statement* s_;
};

enum class Access { read_only, read_write };

class Connection {
public:
  Connection(const std::string& path, Access access, int busy_timeout_ms);

  // A prepared statement for `sql` from the cache (prepared on first use).
  Stmt prepare(const std::string& sql);
  void exec(const std::string& sql) { db_.exec(sql); }
  std::int64_t last_insert_id() const { return db_.getLastInsertRowid(); }
  int changes() const { return db_.getChanges(); }
  bool in_transaction() const;
  SQLite::Database& raw() { return db_; }

  // Single-value helpers for the common cases.
  std::int64_t scalar_int(const std::string& sql);

private:
  SQLite::Database db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> cache_;
};

// A read transaction on a reader connection: every read inside sees one snapshot.
// Nested uses are no-ops.
class ReadTx {
public:
  explicit ReadTx(Connection& c);
  ~ReadTx();
  ReadTx(const ReadTx&) = delete;
  ReadTx& operator=(const ReadTx&) = delete;

private:
  Connection& c_;
  bool owns_;
};

}  // namespace cc::store
