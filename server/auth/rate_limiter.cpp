#include "auth/rate_limiter.hpp"

#include <algorithm>

namespace cc::auth {

int RateLimiter::hit(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (limit_ <= 0) return 0;
  auto it = windows_.find(key);
  if (it == windows_.end() || now - it->second.start >= window_) {
    if (it == windows_.end() && windows_.size() >= max_keys_) {
      if (now != last_prune_) prune(now);
      // Still full of live windows (a flood of distinct keys): keep the windows we have,
      // so nobody already limited is let off, and do not track this key.
      if (windows_.size() >= max_keys_) return 0;
    }
    windows_[key] = Window{now, 1};
    return 0;
  }
  if (it->second.count >= limit_) return static_cast<int>(std::max<std::int64_t>(1, it->second.start + window_ - now));
  ++it->second.count;
  return 0;
}

int RateLimiter::blocked_for(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mutex_);
  auto it = windows_.find(key);
  if (limit_ <= 0 || it == windows_.end() || now - it->second.start >= window_ || it->second.count < limit_) return 0;
  return static_cast<int>(std::max<std::int64_t>(1, it->second.start + window_ - now));
}

void RateLimiter::reset(const std::string& key) {
  std::lock_guard lock(mutex_);
  windows_.erase(key);
}

void RateLimiter::set_limit(int limit, int window_seconds) {
  std::lock_guard lock(mutex_);
  limit_ = limit;
  window_ = window_seconds;
}

void RateLimiter::prune(std::int64_t now) {
  last_prune_ = now;
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (now - it->second.start >= window_) it = windows_.erase(it); else ++it;
  }
}

}  // namespace cc::auth
