#include "store/connection.hpp"

#include "store/kept_map_vfs.hpp"
#include "store/sqlite_setup.hpp"

#include <atomic>
#include <sqlite3.h>

namespace cc::store {
namespace {

int configured_flags(int flags) {
  configure_sqlite();
  // Each connection is used by one thread at a time (see the header), so it needs no
  // mutex of its own.
  return flags | SQLite::OPEN_NOMUTEX;
}

std::atomic<std::uint64_t> g_connections{0};

}  // namespace

Connection::Connection(const std::string& path, Access access, int busy_timeout_ms, const std::string& vfs)
    : db_(path,
          configured_flags(access == Access::read_only ? SQLite::OPEN_READONLY
                                                       : (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)),
          busy_timeout_ms, vfs.empty() && access == Access::read_only ? kept_map_vfs() : vfs),
      read_only_(access == Access::read_only),
      id_(++g_connections) {
  db_.exec("PRAGMA foreign_keys = ON");
  if (access == Access::read_only) {
    db_.exec("PRAGMA query_only = ON");
    // Readers map the database file instead of copying pages into a private cache: in WAL
    // mode every commit empties a reader's page cache, and a read of an idea's row cost
    // a system call and a 4 KiB copy. The mapping shares the kernel's page cache, so it
    // adds no memory of its own; writes still go through the writer's normal path. The
    // mapping is kept across commits (store/kept_map_vfs.hpp).
    db_.exec("PRAGMA mmap_size = 1073741824");
  }
}

Stmt Connection::prepare(const std::string& sql) {
  leave_parked();
  return prepare_cached(sql);
}

Stmt Connection::prepare_cached(const std::string& sql) {
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

void Connection::begin_read() {
  if (commits_) commits_before_ = commits_->load(std::memory_order_acquire);
  // BEGIN and COMMIT are cached statements too: exec() parses its text on every call,
  // which was 8% of a page of ideas.
  prepare("BEGIN")->exec();
  if (!read_only_) return;
  // data_version reads the database, which starts the read transaction: the number is
  // that of the snapshot every read in it sees. It changes when another connection
  // commits, so the same number means the same data.
  static std::atomic<std::uint64_t> snapshots{0};
  std::int64_t version = 0;
  try {
    auto st = prepare("PRAGMA data_version");
    if (st->executeStep()) version = st->getColumn(0).getInt64();
  } catch (...) {
    // Never leave the transaction open: every later ReadTx would join it and read this
    // old snapshot for ever.
    try { prepare("COMMIT")->exec(); } catch (...) {}
    throw;
  }
  if (version != data_version_ || last_snapshot_ == 0) {
    data_version_ = version;
    last_snapshot_ = ++snapshots;
  }
  snapshot_ = last_snapshot_;
}

void Connection::unpark() {
  if (!parked_.load(std::memory_order_relaxed)) return;
  try { prepare_cached("COMMIT")->exec(); } catch (...) {}
  // Last: once the owner sees it false, it may use the connection without use_.
  parked_.store(false, std::memory_order_release);
}

bool Connection::end_parked(std::chrono::steady_clock::duration older_than) {
  if (!parked_.load(std::memory_order_acquire)) return false;
  std::unique_lock lock(use_, std::try_to_lock);
  if (!lock.owns_lock() || !parked_.load(std::memory_order_relaxed)) return false;
  if (std::chrono::steady_clock::now() - began_ < older_than) return false;
  unpark();
  return true;
}

bool Connection::enter_read() {
  if (!read_only_) {
    if (in_transaction()) return false;
    begin_read();
    return true;
  }
  if (reading_) return false;
  std::unique_lock lock(use_);
  if (parked_.load(std::memory_order_relaxed)) {
    if (commits_ && commits_->load(std::memory_order_acquire) == commits_before_ &&
        std::chrono::steady_clock::now() - began_ < kParkFor) {
      parked_.store(false, std::memory_order_relaxed);
      snapshot_ = last_snapshot_;
      reading_ = true;
      lock.release();  // held until leave_read
      return true;
    }
    unpark();
  }
  began_ = std::chrono::steady_clock::now();
  begin_read();
  reading_ = true;
  lock.release();
  return true;
}

void Connection::leave_read() {
  snapshot_ = 0;
  if (!read_only_) {
    try { prepare("COMMIT")->exec(); } catch (...) {}
    return;
  }
  reading_ = false;
  // Only a reader that knows this store's commits can tell when its snapshot is stale.
  if (commits_ && in_transaction()) parked_.store(true, std::memory_order_release);
  else if (in_transaction()) { try { prepare_cached("COMMIT")->exec(); } catch (...) {} }
  use_.unlock();
}

ReadTx::ReadTx(Connection& c) : c_(c), owns_(c.enter_read()) {}

ReadTx::~ReadTx() {
  if (owns_) c_.leave_read();
}

}  // namespace cc::store
