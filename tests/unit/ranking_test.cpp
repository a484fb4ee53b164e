// Ranking (SPEC §3): trending is the score decayed by age, Hacker News style.
#include <gtest/gtest.h>

#include "domain/ranking.hpp"

using namespace cc::domain;

namespace {
constexpr std::int64_t kNow = 1'800'000'000;
constexpr std::int64_t kHour = 3600;
}  // namespace

TEST(Ranking, ParsesSorts) {
  EXPECT_EQ(parse_sort(""), IdeaSort::top);
  EXPECT_EQ(parse_sort("top"), IdeaSort::top);
  EXPECT_EQ(parse_sort("new"), IdeaSort::new_);
  EXPECT_EQ(parse_sort("trending"), IdeaSort::trending);
  EXPECT_EQ(parse_sort("discussed"), IdeaSort::discussed);
  EXPECT_FALSE(parse_sort("TOP"));
  EXPECT_FALSE(parse_sort("random"));
}

TEST(Ranking, TrendingDecaysWithAge) {
  double previous = trending_value(10, kNow, kNow);
  for (std::int64_t hours : {1, 2, 6, 24, 24 * 7, 24 * 30}) {
    double v = trending_value(10, kNow - hours * kHour, kNow);
    EXPECT_LT(v, previous) << hours << " hours old";
    EXPECT_GT(v, 0.0);
    previous = v;
  }
  // A week-old idea needs far more votes than a fresh one to trend as high.
  EXPECT_GT(trending_value(5, kNow - kHour, kNow), trending_value(50, kNow - 7 * 24 * kHour, kNow));
}

TEST(Ranking, HigherScoreRanksHigherAtEqualAge) {
  for (std::int64_t age : {std::int64_t{0}, kHour, 24 * kHour, 30 * 24 * kHour}) {
    EXPECT_GT(trending_value(3, kNow - age, kNow), trending_value(2, kNow - age, kNow)) << age;
    EXPECT_GT(trending_value(1, kNow - age, kNow), trending_value(0, kNow - age, kNow)) << age;
    EXPECT_GT(trending_value(0, kNow - age, kNow), trending_value(-1, kNow - age, kNow)) << age;
  }
  EXPECT_EQ(trending_value(0, kNow - kHour, kNow), 0.0);
  EXPECT_LT(trending_value(-4, kNow, kNow), 0.0) << "a negative score stays below zero";
}

TEST(Ranking, ClockSkewDoesNotInflateNewIdeas) {
  // An idea stamped slightly in the future counts as brand new, not as a division blow-up.
  EXPECT_EQ(trending_value(10, kNow + 60, kNow), trending_value(10, kNow, kNow));
}
