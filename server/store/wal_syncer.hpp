#pragma once
// Makes the writer's commits durable on a thread of its own, so that the writer goes on
// with its next batch while the disk flushes the last one (pipelined group commit).
//
// Why: a commit's fdatasync takes 1.5-2.5 ms here, during which the writer, the one
// thread every write waits for, sat idle while the next batch queued. Now the writer's
// commit hands its WAL frames to the operating system (store/wal_buffer_vfs.hpp defers
// the sync), the batch's answers and live events wait here, and this thread makes the
// WAL durable with one fdatasync for every batch committed before it began, then lets
// them go, in commit order.
//
// What this changes: nobody is told of a write before it is on disk, as before. Readers
// may see a batch a moment before it is (it is committed and in the operating system's
// hands, so a killed process loses nothing; a power cut in that moment would lose a
// write no one had been told of, as with one that had not been committed). If a sync
// fails the disk's state is unknown: the waiting batches are answered as unavailable and
// every later write is refused until the server restarts.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cc::store {

class WalSyncer {
public:
  // Makes everything written to the WAL so far durable; false if it could not.
  using Sync = std::function<bool()>;
  using Then = std::function<void(bool durable)>;

  explicit WalSyncer(Sync sync) : sync_(std::move(sync)) {}
  ~WalSyncer() { stop(); }
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  void start();
  // Syncs and runs what waits, then stops the thread. Idempotent.
  void stop();
  bool running() const;
  // A sync failed: nothing written since can be called durable.
  bool failed() const;

  // Runs `then` on this thread once everything written to the WAL before this call is
  // durable (true), or the sync failed (false); in the order of the calls.
  void after_sync(Then then);

private:
  void run();

  Sync sync_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Then> waiting_;
  bool stopping_ = false;
  bool running_ = false;
  std::atomic<bool> failed_{false};  // read by every write (Store::write): no lock
  std::thread thread_;
};

// A Sync for the file at `path`: fdatasync on a descriptor of its own (a sync applies to
// the file, whichever descriptor asks), opened again if the file was replaced by another
// since. Call it from one thread only.
WalSyncer::Sync file_sync(std::string path);
// file_sync of the WAL of the database at `db_path`.
WalSyncer::Sync wal_file_sync(const std::string& db_path);

}  // namespace cc::store
