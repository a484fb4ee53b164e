#pragma once
// Copies the WAL's committed pages into the database file on a thread of its own, so
// that the writer never stops to do it. SQLite's automatic checkpoint runs inside the
// commit that crosses its threshold: under votes, about one commit in ten then waited
// for thousands of page writes and an fsync of the database file, and the answers
// queued behind it were the slowest ones. Here the writer's commit only notes the WAL's
// size; each `pages` frames past what it last copied, this thread runs a passive
// checkpoint (which never blocks the writer or the readers) through its own connection.
//
// Copying is not enough to keep the WAL small: SQLite writes it from the start again
// only when a write begins while every frame has been copied and no reader is using
// the WAL. Under steady writes that moment never comes by itself (the writer commits
// while this thread copies, and readers keep snapshots parked, see ReadTx), and the
// file grew by a gigabyte in ten seconds of new ideas. So once the WAL is four times
// `pages`, the writer, between two batches, ends the parked snapshots and runs a
// RESTART checkpoint: it copies what is left and waits (briefly) for readers to leave
// the WAL, so that its next batch writes the WAL from the start. The file keeps its
// size and is overwritten in place, which is also cheaper than growing it (votes +40%
// and new ideas +20%, side by side).
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
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
  // commits. `end_parked_reads` ends every reader's parked snapshot (Store's).
  void attach(Connection& writer, std::function<void()> end_parked_reads);
  // Gives the checkpoints back to the writer's commits and stops the thread. Call it
  // when the writer thread has stopped. Idempotent.
  void detach();

  // On the writer thread, between batches: restarts the WAL if a commit found it long.
  void restart_if_due();

  // How many checkpoints this thread has run, and how many restarts the writer made.
  std::uint64_t checkpoints() const { return checkpoints_.load(std::memory_order_acquire); }
  std::uint64_t restarts() const { return restarts_.load(std::memory_order_acquire); }

private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int frames);
  static int on_busy(void* self, int tries);
  void run();

  std::string path_;
  int busy_timeout_ms_;
  int pages_;
  Connection* writer_ = nullptr;
  std::function<void()> end_parked_reads_;
  std::unique_ptr<Connection> conn_;
  std::atomic<std::uint64_t> checkpoints_{0};
  std::atomic<std::uint64_t> restarts_{0};

  // The writer thread's own: acted on between its batches.
  std::chrono::steady_clock::time_point next_restart_try_{};
  std::chrono::steady_clock::time_point restart_deadline_{};
  bool restart_gave_up_ = false;

  std::mutex mutex_;
  std::condition_variable cv_;
  bool wanted_ = false;
  bool restart_due_ = false;  // set by a commit, cleared by the restart
  int copied_ = 0;            // WAL frames copied when this thread's last pass ended
  std::uint64_t generation_ = 0;  // restarts: a pass's count is of the WAL it began on
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cc::store
