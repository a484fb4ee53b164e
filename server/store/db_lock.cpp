#include "store/db_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace cc::store {

std::unique_ptr<DbLock> DbLock::try_acquire(const std::string& db_path, Mode mode) {
  auto path = path_for(db_path);
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);  // as the store does for the database
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot open the lock file " + path + ": " + std::strerror(errno));
  int rc;
  do {
    rc = ::flock(fd, (mode == Mode::shared ? LOCK_SH : LOCK_EX) | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return nullptr;
    throw std::runtime_error("cannot lock " + path + ": " + std::strerror(err));
  }
  return std::unique_ptr<DbLock>(new DbLock(fd));
}

DbLock::~DbLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the lock
}

std::unique_ptr<DbLock> hold_server_lock(const std::string& db_path) {
  auto lock = DbLock::try_acquire(db_path, DbLock::Mode::shared);
  if (!lock) throw std::runtime_error("the database " + db_path + " is being restored; start the server when that ends");
  return lock;
}

}  // namespace cc::store
