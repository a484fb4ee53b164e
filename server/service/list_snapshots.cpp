#include "service/list_snapshots.hpp"

#include <algorithm>

#include "auth/crypto.hpp"

namespace cc::service {

std::string ListSnapshots::put(const std::string& scope, std::shared_ptr<const std::vector<std::int64_t>> ids,
                               std::uint64_t commits) {
  {
    std::lock_guard lock(mutex_);
    evict_locked();
    // The same order as the newest snapshot of this list: share it.
    if (auto latest = latest_.find(scope); latest != latest_.end() && *latest->second->ids == *ids) {
      Entry& e = *latest->second;
      e.commits = std::max(e.commits, commits);
      e.ranked = std::chrono::steady_clock::now();  // confirmed just now
      return e.key;
    }
  }
  auto key = auth::random_token(12);
  std::lock_guard lock(mutex_);
  total_ids_ += ids->size();
  auto now = std::chrono::steady_clock::now();
  entries_.push_back(Entry{key, scope, std::move(ids), now, now, commits});
  index_[key] = std::prev(entries_.end());
  latest_[scope] = std::prev(entries_.end());
  evict_locked();
  return key;
}

std::optional<ListSnapshots::Fresh> ListSnapshots::fresh(const std::string& scope, std::uint64_t commits,
                                                         std::uint64_t own_writes) {
  std::lock_guard lock(mutex_);
  auto latest = latest_.find(scope);
  if (latest == latest_.end()) return std::nullopt;
  const Entry& e = *latest->second;
  const auto age = std::chrono::steady_clock::now() - e.ranked;
  if (age > reuse_for_) return std::nullopt;
  const bool current = e.commits == commits;
  const bool settling = age <= settle_for_ && e.commits >= own_writes;
  if (!current && !settling) return std::nullopt;
  return Fresh{e.key, e.ids};
}

std::shared_ptr<const std::vector<std::int64_t>> ListSnapshots::get(const std::string& key, const std::string& scope) {
  std::lock_guard lock(mutex_);
  evict_locked();
  auto it = index_.find(key);
  if (it == index_.end() || it->second->scope != scope) return nullptr;
  return it->second->ids;
}

void ListSnapshots::evict_locked() {
  auto now = std::chrono::steady_clock::now();
  while (!entries_.empty() && (total_ids_ > max_ids_ || now - entries_.front().created > ttl_ || entries_.size() > 100000)) {
    const auto& old = entries_.front();
    total_ids_ -= old.ids->size();
    if (auto latest = latest_.find(old.scope); latest != latest_.end() && latest->second == entries_.begin())
      latest_.erase(latest);
    index_.erase(old.key);
    entries_.pop_front();
  }
}

}  // namespace cc::service
