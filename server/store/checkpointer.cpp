#include "store/checkpointer.hpp"

#include "common/log.hpp"
#include "common/thread_name.hpp"
#include "store/wal_syncer.hpp"

namespace cc::store {
namespace {

// How long a restart waits for readers to leave the WAL (their requests are short once
// parked snapshots are ended), and how long it waits before trying again when one did
// not (a long report, or another process's backup): writes never queue behind it long.
constexpr std::chrono::milliseconds kRestartWait{20};
constexpr std::chrono::milliseconds kRestartRetry{100};

}  // namespace

Checkpointer::Checkpointer(std::string path, int busy_timeout_ms, int pages)
    : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms), pages_(pages < 1 ? 1 : pages) {}

Checkpointer::~Checkpointer() { detach(); }

void Checkpointer::attach(Connection& writer, std::function<void()> end_parked_reads) {
  if (thread_.joinable()) return;
  conn_ = std::make_unique<Connection>(path_, Access::read_write, busy_timeout_ms_);
  // The checkpoint syncs the WAL before copying and the database file after, as the
  // writer's own would.
  conn_->exec("PRAGMA synchronous = FULL");
  flush_database_ = file_sync(path_);
  stopping_ = false;
  restart_due_ = false;
  end_parked_reads_ = std::move(end_parked_reads);
  thread_ = std::thread([this] { run(); });
  name_thread(thread_, "cc-checkpoint");
  writer_ = &writer;
  // Replaces SQLite's own hook, which is what runs the automatic checkpoint.
  sqlite3_wal_hook(writer.raw().getHandle(), &Checkpointer::on_commit, this);
}

void Checkpointer::detach() {
  if (writer_) {
    sqlite3_wal_autocheckpoint(writer_->raw().getHandle(), pages_);
    writer_ = nullptr;
  }
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  conn_.reset();
  flush_database_ = nullptr;
}

int Checkpointer::on_commit(void* self, sqlite3*, const char*, int frames) {
  auto* me = static_cast<Checkpointer*>(self);
  bool wake = false;
  {
    std::lock_guard lock(me->mutex_);
    me->frames_ = frames;
    if (frames >= kRestartAfterPasses * me->pages_) {
      // Copying on until the restart has little left to do.
      me->restart_due_ = true;
      if (!me->ready_to_restart()) wake = me->wanted_ = true;
    }
    // A pass per `pages` new frames, not per commit: a page that many commits write in
    // between (the newest rows', the counters') is copied once. Side by side, that made
    // votes 25-31% and new ideas 10-12% faster than a pass after every commit.
    else if (frames - me->copied_ >= me->pages_) wake = me->wanted_ = true;
  }
  if (wake) me->cv_.notify_one();
  return SQLITE_OK;
}

// While a restart waits for a lock (readers leaving the WAL, mostly), each try first
// ends the snapshots parked since: readers that took one while the copy ran would
// otherwise keep it until the janitor came, as no commit happens meanwhile to make them
// let go. Each lock is waited for at most kRestartWait.
int Checkpointer::on_busy(void* self, int tries) {
  auto* me = static_cast<Checkpointer*>(self);
  auto now = std::chrono::steady_clock::now();
  if (tries == 0) me->restart_deadline_ = now + kRestartWait;
  else if (now >= me->restart_deadline_) {
    me->restart_gave_up_ = true;
    return 0;
  }
  if (me->end_parked_reads_) me->end_parked_reads_();
  std::this_thread::sleep_for(std::chrono::microseconds(100));
  return 1;
}

void Checkpointer::restart_if_due() {
  if (!restart_due_ || !writer_) return;
  auto now = std::chrono::steady_clock::now();
  if (now < next_restart_try_) return;
  int left = 0;
  bool copying = false;
  {
    // The checkpointer's thread is still copying, unless it cannot keep up: then the
    // WAL would only grow.
    std::lock_guard lock(mutex_);
    copying = !ready_to_restart() && frames_ < kRestartWithoutWaitingAfterPasses * pages_;
    left = frames_ - copied_;
  }
  // Snapshots parked on old frames (an idle thread's) would keep the copying from
  // getting past them, and the restart waits for readers anyway.
  if (end_parked_reads_) end_parked_reads_();
  if (copying) return;
  sqlite3* db = writer_->raw().getHandle();
  restart_gave_up_ = false;
  sqlite3_busy_handler(db, &Checkpointer::on_busy, this);
  int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
  sqlite3_busy_timeout(db, busy_timeout_ms_);
  if (rc == SQLITE_OK) {
    {
      // The next commit writes the WAL from its start: frames are counted from there.
      std::lock_guard lock(mutex_);
      restart_due_ = false;
      wanted_ = false;
      frames_ = 0;
      copied_ = 0;
      ++generation_;
    }
    restarts_.fetch_add(1, std::memory_order_acq_rel);
    if (left > most_left_.load(std::memory_order_relaxed)) most_left_.store(left, std::memory_order_release);
    return;
  }
  // Busy at once: this thread's pass holds the checkpoint lock, and the next commit
  // tries again. Busy after waiting: a long reader (a report, another process's
  // backup) holds the WAL, and writes should not wait on it at every commit.
  if (restart_gave_up_) next_restart_try_ = std::chrono::steady_clock::now() + kRestartRetry;
  if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
    log::warn(std::string("event=wal_restart_failed error=") + log::escape(sqlite3_errmsg(db)));
}

void Checkpointer::run() {
  std::uint64_t generation = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || wanted_; });
      if (stopping_) return;
      wanted_ = false;
      // The writer's restart, ready, copies what is left: a pass now would only keep it
      // from taking the checkpoint lock.
      if (ready_to_restart()) continue;
      generation = generation_;
    }
    int log = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(conn_->raw().getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    if (rc == SQLITE_OK) {
      bool progressed = false;
      {
        // Unless the writer restarted the WAL since, which makes this count stale.
        std::lock_guard lock(mutex_);
        if (generation == generation_) {
          progressed = copied > copied_;
          copied_ = copied;
        }
      }
      // Not needed for safety: until the WAL is restarted it holds every copied page. A
      // failure is logged, and the restart's own flush will meet it and fail.
      if (progressed && flush_database_()) flushes_.fetch_add(1, std::memory_order_acq_rel);
      checkpoints_.fetch_add(1, std::memory_order_acq_rel);
    } else if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) {
      // A full disk or an I/O error: the pages stay in the WAL, which remains the
      // durable copy; the next commit past the threshold tries again.
      log::warn(std::string("event=checkpoint_failed error=") +
                log::escape(sqlite3_errmsg(conn_->raw().getHandle())));
    }
  }
}

}  // namespace cc::store
