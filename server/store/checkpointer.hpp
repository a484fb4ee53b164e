#pragma once
// Copies the WAL's committed pages into the database file on a thread of its own, so
// that the writer never stops to do it. SQLite's automatic checkpoint runs inside the
// commit that crosses its threshold: under votes, about one commit in ten then waited
// for thousands of page writes and an fsync of the database file, and the answers
// queued behind it were the slowest ones. Here the writer's commit only notes the WAL's
// size; past `pages` frames this thread runs a passive checkpoint (which never blocks
// the writer or the readers) through its own connection.
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/connection.hpp"

namespace cc::store {

class Checkpointer {
public:
  // `pages`: the WAL size, in frames, that starts a checkpoint.
  Checkpointer(std::string path, int busy_timeout_ms, int pages);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Takes the writer's checkpoints over: starts the thread and hooks the writer's
  // commits. Should this thread fall far behind (four times `pages`), the writer
  // checkpoints in its commit again, as SQLite would, so the WAL stays bounded.
  void attach(Connection& writer);
  // Gives the checkpoints back to the writer's commits and stops the thread. Call it
  // when the writer thread has stopped. Idempotent.
  void detach();

  // How many checkpoints this thread has run.
  std::uint64_t checkpoints() const { return checkpoints_.load(std::memory_order_acquire); }

private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int frames);
  void run();

  std::string path_;
  int busy_timeout_ms_;
  int pages_;
  Connection* writer_ = nullptr;
  std::unique_ptr<Connection> conn_;
  std::atomic<std::uint64_t> checkpoints_{0};

  std::mutex mutex_;
  std::condition_variable cv_;
  bool wanted_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cc::store
