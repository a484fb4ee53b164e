#pragma once
// Each person's latest write, as the store's commit count (store::Store::commits()) when
// it was answered: a ranked list reused for a moment while others write
// (service/list_snapshots.hpp) is ranked again for a reader who wrote since, so that
// everyone sees their own votes, ideas and comments at once.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace cc::service {

class RecentWrites {
public:
  // Writes older than `keep` are forgotten: a reused list is younger than that.
  explicit RecentWrites(std::chrono::milliseconds keep = std::chrono::seconds(10)) : keep_(keep) {}

  void note(std::int64_t user_id, std::uint64_t commits);
  // The commit count noted with the person's latest write not yet forgotten, or 0.
  std::uint64_t last(std::int64_t user_id) const;

private:
  struct Write {
    std::uint64_t commits;
    std::chrono::steady_clock::time_point at;
  };
  std::chrono::milliseconds keep_;
  mutable std::mutex mutex_;
  std::unordered_map<std::int64_t, Write> by_user_;
  std::chrono::steady_clock::time_point pruned_{};
};

}  // namespace cc::service
