#pragma once
// Snapshots of ranked lists, so that paging through `top`, `trending` or `discussed`
// never skips or repeats an idea while others vote: the first page fixes the order of
// ids, later pages read from it (with current counts). Bounded in entries and ids;
// an evicted snapshot makes the cursor invalid, and the client starts again. While a
// list's order does not change, everyone who opens it shares one snapshot, so a crowd
// reading the same challenge costs one entry, not one per reader.
//
// The newest snapshot is served again without ranking the ideas anew while nothing has
// been committed since, and for a moment (settle_for) while others write: a challenge
// that draws a vote every few milliseconds would otherwise be ranked again for every
// reader, each ranking going over all its ideas. A reader who wrote since the ranking gets
// a new one, so that their own vote or idea shows at once.
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
  ListSnapshots(std::size_t max_ids = 4'000'000, std::chrono::seconds ttl = std::chrono::minutes(30),
                std::chrono::milliseconds reuse_for = std::chrono::seconds(2),
                std::chrono::milliseconds settle_for = std::chrono::milliseconds(250))
      : max_ids_(max_ids), ttl_(ttl), reuse_for_(reuse_for), settle_for_(settle_for) {}

  // The key of a snapshot of `ids` tied to `scope` (the list's query and the viewer's
  // class): the newest one of that scope when it holds the same order, else a new one.
  // `commits` is the store's commit count read before the ranking's read began.
  std::string put(const std::string& scope, std::shared_ptr<const std::vector<std::int64_t>> ids,
                  std::uint64_t commits);
  struct Fresh {
    std::string key;
    std::shared_ptr<const std::vector<std::int64_t>> ids;
  };
  // The newest snapshot of `scope`, if younger than reuse_for (which bounds staleness
  // from writes made outside the server) and either ranked at commit count `commits` or
  // younger than settle_for and ranked after `own_writes` (the reader's latest write's
  // commit count: service/recent_writes.hpp).
  std::optional<Fresh> fresh(const std::string& scope, std::uint64_t commits, std::uint64_t own_writes = 0);
  // The ids of a snapshot, if it is still held and belongs to `scope`.
  std::shared_ptr<const std::vector<std::int64_t>> get(const std::string& key, const std::string& scope);

private:
  struct Entry {
    std::string key;
    std::string scope;
    std::shared_ptr<const std::vector<std::int64_t>> ids;
    std::chrono::steady_clock::time_point created;  // for eviction, oldest first
    std::chrono::steady_clock::time_point ranked;   // when its order was last found current
    std::uint64_t commits;
  };
  void evict_locked();

  std::size_t max_ids_;
  std::chrono::seconds ttl_;
  std::chrono::milliseconds reuse_for_;
  std::chrono::milliseconds settle_for_;
  std::mutex mutex_;
  std::list<Entry> entries_;  // oldest first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  // scope -> its newest snapshot: one lookup for the first page, which every reader opens
  std::unordered_map<std::string, std::list<Entry>::iterator> latest_;
  std::size_t total_ids_ = 0;
};

}  // namespace cc::service
