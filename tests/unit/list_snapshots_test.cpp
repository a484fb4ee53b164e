// Ranked-list snapshots: shared while a list's order holds, reused without ranking again
// only while nothing has been committed, and never across viewer classes.
#include <gtest/gtest.h>

#include <thread>

#include "service/list_snapshots.hpp"

using cc::service::ListSnapshots;

namespace {
std::shared_ptr<const std::vector<std::int64_t>> ids(std::vector<std::int64_t> v) {
  return std::make_shared<const std::vector<std::int64_t>>(std::move(v));
}
}  // namespace

TEST(ListSnapshots, TheSameOrderSharesOneSnapshot) {
  ListSnapshots s;
  auto a = s.put("1|0||s", ids({3, 2, 1}), 7);
  auto b = s.put("1|0||s", ids({3, 2, 1}), 8);
  EXPECT_EQ(a, b);
  auto c = s.put("1|0||s", ids({2, 3, 1}), 9);
  EXPECT_NE(a, c);
  // The older snapshot still serves the cursors handed out with it.
  ASSERT_TRUE(s.get(a, "1|0||s"));
  EXPECT_EQ(*s.get(a, "1|0||s"), (std::vector<std::int64_t>{3, 2, 1}));
  EXPECT_EQ(*s.get(c, "1|0||s"), (std::vector<std::int64_t>{2, 3, 1}));
}

TEST(ListSnapshots, ACursorOfAnotherScopeIsRefused) {
  ListSnapshots s;
  auto key = s.put("1|0||p", ids({5, 4}), 1);
  EXPECT_TRUE(s.get(key, "1|0||p"));
  EXPECT_FALSE(s.get(key, "1|0||s"));
  EXPECT_FALSE(s.fresh("1|0||s", 1));
}

TEST(ListSnapshots, ReusedOnlyWhileNothingWasCommitted) {
  ListSnapshots s;
  auto key = s.put("2|0||s", ids({9, 8, 7}), 41);
  auto hit = s.fresh("2|0||s", 41);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->key, key);
  EXPECT_EQ(*hit->ids, (std::vector<std::int64_t>{9, 8, 7}));
  EXPECT_FALSE(s.fresh("2|0||s", 42));  // a commit since: rank again
  EXPECT_FALSE(s.fresh("3|0||s", 41));
}

TEST(ListSnapshots, ReuseIsBoundedInTime) {
  ListSnapshots s(1000, std::chrono::seconds(60), std::chrono::milliseconds(30));
  s.put("2|1||s", ids({1, 2}), 5);
  ASSERT_TRUE(s.fresh("2|1||s", 5));
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_FALSE(s.fresh("2|1||s", 5));
}

TEST(ListSnapshots, ARankingThatConfirmsTheOrderRenewsReuse) {
  ListSnapshots s(1000, std::chrono::seconds(60), std::chrono::milliseconds(40));
  auto key = s.put("2|1||s", ids({1, 2}), 5);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  ASSERT_FALSE(s.fresh("2|1||s", 5));
  EXPECT_EQ(s.put("2|1||s", ids({1, 2}), 5), key);  // ranked again: the same order
  auto hit = s.fresh("2|1||s", 5);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->key, key);
}

TEST(ListSnapshots, EvictionKeepsTheIdBudget) {
  ListSnapshots s(5);
  auto a = s.put("a", ids({1, 2, 3}), 1);
  auto b = s.put("b", ids({4, 5, 6}), 1);
  EXPECT_FALSE(s.get(a, "a"));  // evicted to stay within five ids
  EXPECT_TRUE(s.get(b, "b"));
  EXPECT_FALSE(s.fresh("a", 1));
}
