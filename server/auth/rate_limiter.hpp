#pragma once
// Fixed-window counters per key (an address, an account, a user), bounded in memory:
// when the table is full, expired windows are dropped; if it is still full, new keys go
// untracked rather than evicting keys that are being limited. Dropping scans the whole
// table under the lock, so it runs at most once a second: a flood of new keys (fresh
// IPv6 addresses) must not turn every hit into a scan.
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cc::auth {

class RateLimiter {
public:
  RateLimiter(int limit, int window_seconds, std::size_t max_keys = 100000)
      : limit_(limit), window_(window_seconds), max_keys_(max_keys) {}

  // Counts one hit for `key` at time `now`; returns 0 when allowed, else the seconds
  // until the window ends (for Retry-After).
  int hit(const std::string& key, std::int64_t now);
  // Seconds to wait if `key` is already over the limit, without counting a hit.
  int blocked_for(const std::string& key, std::int64_t now);
  void reset(const std::string& key);
  void set_limit(int limit, int window_seconds);

private:
  struct Window {
    std::int64_t start;
    int count;
  };
  void prune(std::int64_t now);
  int limit_;
  int window_;
  std::size_t max_keys_;
  std::int64_t last_prune_ = -1;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace cc::auth
