#pragma once
// Snapshots of ranked lists, so that paging through `top`, `trending` or `discussed`
// never skips or repeats an idea while others vote: the first page fixes the order of
// ids, later pages read from it (with current counts). Bounded in entries and ids;
// an evicted snapshot makes the cursor invalid, and the client starts again.
#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace cc::service {

class ListSnapshots {
public:
  ListSnapshots(std::size_t max_ids = 4'000'000, std::chrono::seconds ttl = std::chrono::minutes(30))
      : max_ids_(max_ids), ttl_(ttl) {}

  // Stores `ids` under a new random key tied to `scope` (the list's query).
  std::string put(std::string scope, std::vector<std::int64_t> ids);
  // The ids of a snapshot, if it is still held and belongs to `scope`.
  std::shared_ptr<const std::vector<std::int64_t>> get(const std::string& key, const std::string& scope);

private:
  struct Entry {
    std::string key;
    std::string scope;
    std::shared_ptr<const std::vector<std::int64_t>> ids;
    std::chrono::steady_clock::time_point created;
  };
  void evict_locked();

  std::size_t max_ids_;
  std::chrono::seconds ttl_;
  std::mutex mutex_;
  std::list<Entry> entries_;  // oldest first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t total_ids_ = 0;
};

}  // namespace cc::service
