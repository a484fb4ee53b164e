// Fixed-window counters per key: the limit, Retry-After, independence of keys, bounds.
#include <gtest/gtest.h>

#include <chrono>

#include "auth/rate_limiter.hpp"

using cc::auth::RateLimiter;

TEST(RateLimiter, AllowsTheLimitThenRefusesWithTheSecondsLeft) {
  RateLimiter rl(3, 60);
  EXPECT_EQ(rl.hit("a", 1000), 0);
  EXPECT_EQ(rl.hit("a", 1001), 0);
  EXPECT_EQ(rl.hit("a", 1002), 0);
  EXPECT_EQ(rl.hit("a", 1010), 50);  // the window started at 1000 and ends at 1060
  EXPECT_EQ(rl.hit("a", 1059), 1);
  EXPECT_EQ(rl.blocked_for("a", 1030), 30);
}

TEST(RateLimiter, RefusedHitsDoNotExtendTheWindow) {
  RateLimiter rl(2, 10);
  rl.hit("a", 0);
  rl.hit("a", 0);
  for (int t = 1; t < 10; ++t) EXPECT_EQ(rl.hit("a", t), 10 - t);
  EXPECT_EQ(rl.hit("a", 10), 0) << "a new window";
  EXPECT_EQ(rl.hit("a", 11), 0);
  EXPECT_GT(rl.hit("a", 12), 0);
}

TEST(RateLimiter, BlockedForDoesNotCount) {
  RateLimiter rl(2, 60);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(rl.blocked_for("a", 100), 0);
  EXPECT_EQ(rl.hit("a", 100), 0);
  EXPECT_EQ(rl.blocked_for("a", 100), 0);
  EXPECT_EQ(rl.hit("a", 100), 0);
  EXPECT_EQ(rl.blocked_for("a", 100), 60);
  EXPECT_EQ(rl.blocked_for("a", 160), 0);
  EXPECT_EQ(rl.blocked_for("never-seen", 100), 0);
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter rl(1, 60);
  EXPECT_EQ(rl.hit("alice@example.nhs.uk", 0), 0);
  EXPECT_GT(rl.hit("alice@example.nhs.uk", 1), 0);
  EXPECT_EQ(rl.hit("bob@example.nhs.uk", 1), 0);
  EXPECT_EQ(rl.hit("10.0.0.1", 1), 0);
}

TEST(RateLimiter, ResetForgetsAKey) {
  RateLimiter rl(1, 60);
  rl.hit("a", 0);
  rl.hit("b", 0);
  EXPECT_GT(rl.hit("a", 1), 0);
  rl.reset("a");
  EXPECT_EQ(rl.hit("a", 1), 0);
  EXPECT_GT(rl.hit("b", 1), 0) << "only that key";
}

TEST(RateLimiter, ALimitOfZeroMeansNoLimit) {
  RateLimiter rl(0, 60);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(rl.hit("a", 5), 0);
  EXPECT_EQ(rl.blocked_for("a", 5), 0);
}

TEST(RateLimiter, LimitsCanChangeLive) {
  RateLimiter rl(1, 60);
  rl.hit("a", 0);
  EXPECT_GT(rl.hit("a", 1), 0);
  rl.set_limit(3, 60);
  EXPECT_EQ(rl.hit("a", 2), 0);
  EXPECT_EQ(rl.hit("a", 3), 0);
  EXPECT_GT(rl.hit("a", 4), 0);
  rl.set_limit(3, 5);  // a shorter window ends the current one sooner
  EXPECT_EQ(rl.hit("a", 5), 0);
}

TEST(RateLimiter, StaysBoundedAndDropsExpiredWindowsFirst) {
  RateLimiter rl(1, 60, 3);
  rl.hit("old", 0);   // expires at 60
  rl.hit("live1", 50);
  rl.hit("live2", 50);
  EXPECT_GT(rl.blocked_for("live1", 70), 0);
  // The table is full; a new key makes room by dropping the expired window only.
  EXPECT_EQ(rl.hit("new", 70), 0);
  EXPECT_GT(rl.blocked_for("live1", 70), 0);
  EXPECT_GT(rl.blocked_for("live2", 70), 0);
  EXPECT_GT(rl.blocked_for("new", 70), 0);
  // Many distinct keys never make the limiter fail or refuse a first hit.
  for (int i = 0; i < 10000; ++i) EXPECT_EQ(rl.hit("k" + std::to_string(i), 80), 0);
}

TEST(RateLimiter, AFloodOfNewKeysNeverLetsOffAKeyThatIsLimited) {
  RateLimiter rl(1, 60, 2);
  rl.hit("victim", 0);
  EXPECT_GT(rl.hit("victim", 1), 0);  // limited
  rl.hit("flood0", 1);                // the table is now full of live windows
  for (int i = 1; i < 100; ++i) EXPECT_EQ(rl.hit("flood" + std::to_string(i), 2), 0);
  EXPECT_GT(rl.blocked_for("victim", 3), 0);
}

TEST(RateLimiter, AFloodOfNewKeysIntoAFullTableStaysCheap) {
  // Each new key into a full table once scanned the whole table; now that scan runs at
  // most once a second, so 50,000 new keys take milliseconds rather than minutes.
  constexpr int kKeys = 50000;
  RateLimiter rl(1, 60, kKeys);
  for (int i = 0; i < kKeys; ++i) rl.hit("live" + std::to_string(i), 0);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kKeys; ++i) EXPECT_EQ(rl.hit("new" + std::to_string(i), 1), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_GT(rl.blocked_for("live0", 1), 0) << "nobody limited is let off";
  // Once the old windows end, the next second's prune makes room again.
  EXPECT_EQ(rl.hit("later", 61), 0);
  EXPECT_GT(rl.hit("later", 61), 0);
}
