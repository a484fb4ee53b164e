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

void SessionActivity::note(std::int64_t session_id, std::int64_t now) {
  std::lock_guard lock(mutex_);
  auto& seen = seen_[session_id];
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
