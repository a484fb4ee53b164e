// Ranked-list snapshots: shared while a list's order holds, reused without ranking again
// while nothing has been committed or for a moment while others write, and never across
// viewer classes. Also each person's latest write, which such a moment does not hide.
#include <gtest/gtest.h>

#include <thread>

#include "service/list_snapshots.hpp"
#include "service/recent_writes.hpp"

using cc::service::ListSnapshots;
using cc::service::RecentWrites;
using namespace std::chrono_literals;

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

TEST(ListSnapshots, ReusedWhileNothingWasCommitted) {
  ListSnapshots s(1000, std::chrono::seconds(60), std::chrono::seconds(2), 0ms);
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

TEST(ListSnapshots, ReusedForAMomentWhileOthersWriteButNotForAReaderWhoWroteSince) {
  ListSnapshots s(1000, std::chrono::seconds(60), std::chrono::seconds(2), 80ms);
  auto key = s.put("2|0||s", ids({9, 8, 7}), 41);
  // Commits since (others' votes): the ranking of a moment ago is served.
  auto hit = s.fresh("2|0||s", 45);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->key, key);
  // To someone who wrote before it was ranked, too.
  EXPECT_TRUE(s.fresh("2|0||s", 45, 41));
  // Not to someone whose write came after: they rank again, and see it.
  EXPECT_FALSE(s.fresh("2|0||s", 45, 42));
  // Past the moment, only while nothing was committed.
  std::this_thread::sleep_for(120ms);
  EXPECT_FALSE(s.fresh("2|0||s", 45));
  EXPECT_TRUE(s.fresh("2|0||s", 41));
}

TEST(RecentWrites, EachPersonsLatestWriteUntilForgotten) {
  RecentWrites w(60ms);
  EXPECT_EQ(w.last(1), 0u);
  w.note(1, 10);
  w.note(2, 11);
  w.note(1, 12);
  w.note(1, 9);  // answered late: the latest commit count stays
  EXPECT_EQ(w.last(1), 12u);
  EXPECT_EQ(w.last(2), 11u);
  std::this_thread::sleep_for(90ms);
  EXPECT_EQ(w.last(1), 0u);
  w.note(3, 20);  // prunes the forgotten ones
  EXPECT_EQ(w.last(2), 0u);
  EXPECT_EQ(w.last(3), 20u);
}
