#pragma once
// One SQLite connection and its cache of prepared statements. A connection is used by
// one thread only (SQLiteCpp is not thread-safe across threads); statements are
// prepared once and reset after each use. A reader's read transaction may stay open
// after its ReadTx ends ("parked", see ReadTx), never otherwise.
#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
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
  // `vfs`: SQLite's VFS to open it through, by name; empty for the default (for a
  // read-only connection, the one that keeps its memory map: store/kept_map_vfs.hpp).
  Connection(const std::string& path, Access access, int busy_timeout_ms, const std::string& vfs = {});

  // A prepared statement for `sql` from the cache (prepared on first use).
  Stmt prepare(const std::string& sql);
  void exec(const std::string& sql) {
    leave_parked();
    db_.exec(sql);
  }
  std::int64_t last_insert_id() const { return db_.getLastInsertRowid(); }
  int changes() const { return db_.getChanges(); }
  bool in_transaction() const;
  SQLite::Database& raw() {
    leave_parked();
    return db_;
  }

  // Which state of the database this reader is reading: inside a ReadTx on a read-only
  // connection, a number unique across all connections that changes whenever anything
  // (this server's writer, an admin's CLI) has committed since the last one; 0 anywhere
  // else (the writer, reads outside a ReadTx). Values read at one snapshot can be kept
  // for later reads at the same snapshot (store/snapshot_cache.hpp).
  std::uint64_t snapshot() const { return snapshot_; }
  // A number no other connection of this process has had: what was read through one
  // connection is told apart from another's, even at the same address.
  std::uint64_t id() const { return id_; }

  // A reader of a Store: the count of the store's commits (Store::commits()) is taken
  // just before each snapshot begins, so the snapshot holds at least that many.
  void count_commits_of(const std::atomic<std::uint64_t>& commits) { commits_ = &commits; }
  std::uint64_t commits_before_snapshot() const { return commits_before_; }

  // Single-value helpers for the common cases.
  std::int64_t scalar_int(const std::string& sql);

  // How long a parked read transaction may be taken up again by the next ReadTx: the
  // bound on how late a commit of another process (the admin CLI) is seen.
  static constexpr std::chrono::milliseconds kParkFor{5};
  // Ends this reader's parked read transaction if it was parked more than `older_than`
  // ago and the owning thread is not using the connection; callable from any thread (a
  // periodic job, so that an idle thread's snapshot does not hold back checkpoints).
  // True if it ended one.
  bool end_parked(std::chrono::steady_clock::duration older_than);

private:
  friend class ReadTx;
  bool enter_read();
  void leave_read();
  void begin_read();
  void unpark();  // with use_ held
  Stmt prepare_cached(const std::string& sql);  // prepare() without leave_parked()
  // Reads outside a ReadTx must not see a parked snapshot: they end it first.
  void leave_parked() {
    if (!reading_ && parked_.load(std::memory_order_acquire)) {
      std::lock_guard lock(use_);
      unpark();
    }
  }

  SQLite::Database db_;
  bool read_only_;
  const std::uint64_t id_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> cache_;
  std::int64_t data_version_ = -1;  // SQLite's PRAGMA data_version when last read
  std::uint64_t last_snapshot_ = 0;  // the snapshot number it was given
  std::uint64_t snapshot_ = 0;       // the current ReadTx's, or 0
  const std::atomic<std::uint64_t>* commits_ = nullptr;
  std::uint64_t commits_before_ = 0;
  // Parking: held by the owning thread from ReadTx to ReadTx's end, so another thread
  // ends a parked transaction only while the owner is not reading.
  std::mutex use_;
  bool reading_ = false;                 // inside a ReadTx (owning thread only)
  std::atomic<bool> parked_{false};      // read transaction left open, under use_
  std::chrono::steady_clock::time_point began_{};  // when the parked snapshot began
};

// A read transaction on a reader connection: every read inside sees one snapshot.
// Nested uses are no-ops. On a reader, the transaction is not ended with the ReadTx but
// parked: the next ReadTx on the connection takes it up again if this store has
// committed nothing since it began (Store::commits(), which grows before any writer
// hears back, so nobody misses their own write) and it began less than kParkFor ago.
// A request then costs no BEGIN, data_version and COMMIT, and no lock of SQLite's
// shared WAL index, which the I/O threads had contended for.
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
