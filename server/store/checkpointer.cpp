#include "store/checkpointer.hpp"

#include "common/log.hpp"

namespace cc::store {

Checkpointer::Checkpointer(std::string path, int busy_timeout_ms, int pages)
    : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms), pages_(pages < 1 ? 1 : pages) {}

Checkpointer::~Checkpointer() { detach(); }

void Checkpointer::attach(Connection& writer) {
  if (thread_.joinable()) return;
  conn_ = std::make_unique<Connection>(path_, Access::read_write, busy_timeout_ms_);
  // The checkpoint syncs the WAL before copying and the database file after, as the
  // writer's own would.
  conn_->exec("PRAGMA synchronous = FULL");
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
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
}

int Checkpointer::on_commit(void* self, sqlite3* db, const char* schema, int frames) {
  auto* me = static_cast<Checkpointer*>(self);
  if (frames >= 4 * me->pages_) {
    // Far behind (a long checkpoint, or readers holding the WAL): do it here, as SQLite would.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (frames >= me->pages_) {
    {
      std::lock_guard lock(me->mutex_);
      me->wanted_ = true;
    }
    me->cv_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || wanted_; });
      if (stopping_) return;
      wanted_ = false;
    }
    int rc = sqlite3_wal_checkpoint_v2(conn_->raw().getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc == SQLITE_OK) {
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
