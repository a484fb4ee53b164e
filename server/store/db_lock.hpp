#pragma once
// Tells whether a server has a database open: the server holds a shared lock (flock) on
// "<db>.lock" for as long as it runs; `carecrowd-admin restore` needs it exclusively, so
// it refuses while any server runs, and a server does not start during a restore. The
// lock goes with the process, however it ends (even SIGKILL): no stale state to clean up.
// A separate file, never the database itself: closing another descriptor of the database
// file would drop SQLite's own POSIX locks.
#include <memory>
#include <string>

namespace cc::store {

class DbLock {
public:
  enum class Mode { shared, exclusive };
  // The lock, or nullptr when another process holds it in a conflicting mode. Throws
  // std::runtime_error when the lock file cannot be opened.
  static std::unique_ptr<DbLock> try_acquire(const std::string& db_path, Mode mode);
  static std::string path_for(const std::string& db_path) { return db_path + ".lock"; }
  ~DbLock();
  DbLock(const DbLock&) = delete;
  DbLock& operator=(const DbLock&) = delete;

private:
  explicit DbLock(int fd) : fd_(fd) {}
  int fd_;
};

// For the server: a shared lock, or a clear error when a restore is under way.
std::unique_ptr<DbLock> hold_server_lock(const std::string& db_path);

}  // namespace cc::store
