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
// file grew by a gigabyte in ten seconds of new ideas. So once the WAL is twice
// `pages`, the writer, between two batches, ends the parked snapshots and runs a
// RESTART checkpoint: it copies what is left and waits (briefly) for readers to leave
// the WAL, so that its next batch writes the WAL from the start. The file keeps its
// size and is overwritten in place, which is also cheaper than growing it (votes +40%
// and new ideas +20%, side by side).
//
// The restart must also flush the database file to the disk before the WAL can be
// written over, and SQLite flushes it only then: a passive pass leaves what it copied
// in the operating system's cache. So the restart, on the writer, flushed everything
// copied since the last one (about 100 MB under votes: 110-135 ms with every write
// waiting, the votes' p99), and copied the frames written since this thread's last
// pass (up to `pages`). Now this thread flushes the file after each pass, and once a
// restart is due it goes on copying until at most `pages` / 8 frames are left; only
// then does the writer restart, with little left to copy or flush (or once the WAL
// reaches four times `pages`, if this thread cannot keep up). Side by side under votes:
// p99 205 -> 62 ms at the same rate; new ideas 1.05 x, p99 278 -> 131 ms.
//
// The restart came at four times `pages` until passes of 64,000 frames were tried: a
// pass copies a page once however many frames rewrote it, and votes spread over 100,000
// ideas rewrite few pages within 16,000 frames. With the restart at twice `pages`, the
// WAL's size stays what it was at 32,000 (StoreOptions::checkpoint_pages).
#include <sqlite3.h>

#include <algorithm>
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
  // How many times this thread flushed the database file after a pass, and the most
  // frames a restart has found left to copy (for tests).
  std::uint64_t database_flushes() const { return flushes_.load(std::memory_order_acquire); }
  int most_left_for_a_restart() const { return most_left_.load(std::memory_order_acquire); }

private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int frames);
  static int on_busy(void* self, int tries);
  // Frames that may be left for the writer's restart to copy: an eighth of a pass. A
  // batch of votes writes about 850 frames, and with less than that the copying could
  // seldom catch up with the commits made while it ran. At most kMostLeftForARestart:
  // the restart copies them and flushes the file with every write waiting. Under votes,
  // with passes of 64,000 frames, an eighth (8,000) put the p99 at 144 ms, 4,000 at 100 ms
  // at the same rate, and 2,000 at 64 ms but with 11% fewer votes, as this thread then
  // flushed the file after many small passes.
  static constexpr int kMostLeftForARestart = 4000;
  int restart_residual() const { return std::clamp(pages_ / 8, 1, kMostLeftForARestart); }
  // The WAL's size, in passes, at which a restart is due, and at which the writer
  // restarts without waiting for this thread to copy.
  static constexpr int kRestartAfterPasses = 2;
  static constexpr int kRestartWithoutWaitingAfterPasses = 4;
  // Under mutex_: the restart is due and this thread has copied enough for it.
  bool ready_to_restart() const { return restart_due_ && frames_ - copied_ <= restart_residual(); }
  void run();

  std::string path_;
  int busy_timeout_ms_;
  int pages_;
  Connection* writer_ = nullptr;
  std::function<void()> end_parked_reads_;
  std::unique_ptr<Connection> conn_;
  std::function<bool()> flush_database_;  // after each pass (store/wal_syncer.hpp's file_sync)
  std::atomic<std::uint64_t> checkpoints_{0};
  std::atomic<std::uint64_t> restarts_{0};
  std::atomic<std::uint64_t> flushes_{0};
  std::atomic<int> most_left_{0};

  // The writer thread's own: acted on between its batches.
  std::chrono::steady_clock::time_point next_restart_try_{};
  std::chrono::steady_clock::time_point restart_deadline_{};
  bool restart_gave_up_ = false;

  std::mutex mutex_;
  std::condition_variable cv_;
  bool wanted_ = false;
  bool restart_due_ = false;  // set by a commit, cleared by the restart
  int frames_ = 0;            // WAL frames at the writer's last commit
  int copied_ = 0;            // WAL frames copied when this thread's last pass ended
  std::uint64_t generation_ = 0;  // restarts: a pass's count is of the WAL it began on
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cc::store
