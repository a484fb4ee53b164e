#pragma once
// One SQLite connection and its cache of prepared statements. A connection is used by
// one thread only (SQLiteCpp is not thread-safe across threads); statements are
// prepared once and reset after each use so that no read transaction stays open.
#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
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

  // Which state of the database this reader is reading: inside a ReadTx on a read-only
  // connection, a number unique across all connections that changes whenever anything
  // (this server's writer, an admin's CLI) has committed since the last one; 0 anywhere
  // else (the writer, reads outside a ReadTx). Values read at one snapshot can be kept
  // for later reads at the same snapshot (store/snapshot_cache.hpp).
  std::uint64_t snapshot() const { return snapshot_; }

  // A reader of a Store: the count of the store's commits (Store::commits()) is taken
  // just before each snapshot begins, so the snapshot holds at least that many.
  void count_commits_of(const std::atomic<std::uint64_t>& commits) { commits_ = &commits; }
  std::uint64_t commits_before_snapshot() const { return commits_before_; }

  // Single-value helpers for the common cases.
  std::int64_t scalar_int(const std::string& sql);

private:
  friend class ReadTx;
  void begin_read();
  void end_read() { snapshot_ = 0; }

  SQLite::Database db_;
  bool read_only_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> cache_;
  std::int64_t data_version_ = -1;  // SQLite's PRAGMA data_version when last read
  std::uint64_t last_snapshot_ = 0;  // the snapshot number it was given
  std::uint64_t snapshot_ = 0;       // the current ReadTx's, or 0
  const std::atomic<std::uint64_t>* commits_ = nullptr;
  std::uint64_t commits_before_ = 0;
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
