#include "service/session_activity.hpp"

#include <algorithm>
#include <vector>

#include "store/users_repo.hpp"

namespace cc::service {

std::int64_t SessionActivity::last_seen(std::int64_t session_id, std::int64_t stored) const {
  std::lock_guard lock(mutex_);
  auto it = seen_.find(session_id);
  return it == seen_.end() ? stored : std::max(stored, it->second);
}

bool SessionActivity::note_if_active(std::int64_t session_id, std::int64_t stored, std::int64_t now,
                                     int idle_seconds) {
  std::lock_guard lock(mutex_);
  auto it = seen_.find(session_id);
  const auto last = it == seen_.end() ? stored : std::max(stored, it->second);
  if (now - last >= idle_seconds) return false;
  if (it == seen_.end()) it = seen_.emplace(session_id, 0).first;
  note_locked(it->second, session_id, now);
  return true;
}

void SessionActivity::note(std::int64_t session_id, std::int64_t now) {
  std::lock_guard lock(mutex_);
  note_locked(seen_[session_id], session_id, now);
}

void SessionActivity::note_locked(std::int64_t& seen, std::int64_t session_id, std::int64_t now) {
  if (seen >= now) return;
  seen = now;
  waiting_[session_id] = now;
  if (now - last_write_ >= write_every_) write_locked(now);
}

void SessionActivity::flush(std::int64_t now) {
  std::lock_guard lock(mutex_);
  write_locked(now);
}

void SessionActivity::write_locked(std::int64_t now) {
  last_write_ = now;
  // Times older than the idle timeout cannot keep a session alive: forget them, so the
  // map holds only sessions active lately.
  std::erase_if(seen_, [&](const auto& kv) { return now - kv.second > forget_after_; });
  if (waiting_.empty()) return;
  std::vector<std::pair<std::int64_t, std::int64_t>> batch(waiting_.begin(), waiting_.end());
  waiting_.clear();
  // Nobody waits for this write; if it fails, the times stay in seen_ until forgotten.
  store_.write(
      [batch = std::move(batch)](store::WriteTx& tx) {
        for (const auto& [id, at] : batch) store::touch_session(tx.conn, id, at);
      },
      [](std::exception_ptr) {});
}

}  // namespace cc::service
