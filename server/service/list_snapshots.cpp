#include "service/list_snapshots.hpp"

#include "auth/crypto.hpp"

namespace cc::service {

std::string ListSnapshots::put(std::string scope, std::vector<std::int64_t> ids) {
  auto key = auth::random_token(12);
  std::lock_guard lock(mutex_);
  total_ids_ += ids.size();
  entries_.push_back(Entry{key, std::move(scope), std::make_shared<const std::vector<std::int64_t>>(std::move(ids)),
                           std::chrono::steady_clock::now()});
  index_[key] = std::prev(entries_.end());
  evict_locked();
  return key;
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
    total_ids_ -= entries_.front().ids->size();
    index_.erase(entries_.front().key);
    entries_.pop_front();
  }
}

}  // namespace cc::service
