#include "store/wal_syncer.hpp"

#include "common/log.hpp"
#include "common/thread_name.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace cc::store {

void WalSyncer::start() {
  std::lock_guard lock(mutex_);
  if (running_) return;
  stopping_ = false;
  running_ = true;
  thread_ = std::thread([this] { run(); });
  name_thread(thread_, "cc-wal-sync");
}

void WalSyncer::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
  std::lock_guard lock(mutex_);
  running_ = false;
}

bool WalSyncer::running() const {
  std::lock_guard lock(mutex_);
  return running_ && !stopping_;
}

bool WalSyncer::failed() const { return failed_.load(std::memory_order_acquire); }

void WalSyncer::after_sync(Then then) {
  {
    std::lock_guard lock(mutex_);
    waiting_.push_back(std::move(then));
  }
  cv_.notify_one();
}

void WalSyncer::run() {
  std::vector<Then> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (waiting_.empty()) return;  // stopping, and nothing waits
      batch.swap(waiting_);
    }
    const bool failed_before = failed();
    // Every write these wait for reached the WAL before they were queued: one sync
    // covers them all.
    const bool durable = !failed_before && sync_();
    if (!durable && !failed_before) {
      log::error("event=wal_sync_failed writes=refused_until_restart");
      failed_.store(true, std::memory_order_release);
    }
    for (auto& then : batch) {
      try {
        then(durable);
      } catch (const std::exception& e) {
        log::error(std::string("event=after_sync_failed error=") + log::escape(e.what()));
      } catch (...) {
        log::error("event=after_sync_failed");
      }
    }
    batch.clear();
  }
}

WalSyncer::Sync file_sync(std::string path) {
  struct File {
    std::string path;
    int fd = -1;
    ~File() {
      if (fd >= 0) ::close(fd);
    }
  };
  auto file = std::make_shared<File>();
  file->path = std::move(path);
  return [file]() {
    struct stat named {}, held {};
    if (::stat(file->path.c_str(), &named) != 0) {
      log::error("event=file_sync_failed file=" + log::escape(file->path) + " reason=" + log::escape(std::strerror(errno)));
      return false;
    }
    if (file->fd >= 0 && (::fstat(file->fd, &held) != 0 || held.st_ino != named.st_ino || held.st_dev != named.st_dev)) {
      ::close(file->fd);
      file->fd = -1;
    }
    if (file->fd < 0) file->fd = ::open(file->path.c_str(), O_RDWR | O_CLOEXEC);
    if (file->fd < 0 || ::fdatasync(file->fd) != 0) {
      log::error("event=file_sync_failed file=" + log::escape(file->path) + " reason=" + log::escape(std::strerror(errno)));
      return false;
    }
    return true;
  };
}

WalSyncer::Sync wal_file_sync(const std::string& db_path) { return file_sync(db_path + "-wal"); }

}  // namespace cc::store
