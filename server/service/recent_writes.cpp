#include "service/recent_writes.hpp"

#include <algorithm>

namespace cc::service {

void RecentWrites::note(std::int64_t user_id, std::uint64_t commits) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  auto& w = by_user_[user_id];
  w.commits = std::max(w.commits, commits);
  w.at = now;
  // Forget old writes now and then, so that the map holds only the people writing lately.
  if (now - pruned_ >= keep_) {
    std::erase_if(by_user_, [&](const auto& kv) { return now - kv.second.at > keep_; });
    pruned_ = now;
  }
}

std::uint64_t RecentWrites::last(std::int64_t user_id) const {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  auto it = by_user_.find(user_id);
  return it == by_user_.end() || now - it->second.at > keep_ ? 0 : it->second.commits;
}

}  // namespace cc::service
