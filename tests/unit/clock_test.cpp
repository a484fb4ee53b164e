// RFC 3339 times: the one format times travel in (API and database).
#include <gtest/gtest.h>

#include "common/clock.hpp"

using cc::parse_rfc3339;
using cc::to_rfc3339;

TEST(Clock, FormatsUtcWithZ) {
  EXPECT_EQ(to_rfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(to_rfc3339(951782400), "2000-02-29T00:00:00Z");
  EXPECT_EQ(to_rfc3339(1795339800), "2026-11-22T09:30:00Z");
  EXPECT_EQ(to_rfc3339(4102444799), "2099-12-31T23:59:59Z");
  EXPECT_EQ(cc::to_date(1795339800), "2026-11-22");
}

TEST(Clock, ParsesWhatItFormats) {
  for (std::int64_t t : {std::int64_t{0}, std::int64_t{1}, std::int64_t{86399}, std::int64_t{951782400},
                         std::int64_t{1709164800} /* 2024-02-29 */, std::int64_t{1795339800},
                         std::int64_t{4102444799}, std::int64_t{-86400}}) {
    auto text = to_rfc3339(t);
    auto back = parse_rfc3339(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, t) << text;
  }
  auto now = cc::now_seconds();
  EXPECT_EQ(parse_rfc3339(to_rfc3339(now)), now);
  EXPECT_EQ(parse_rfc3339(cc::now_rfc3339()).value_or(0) / 10, now / 10);
}

TEST(Clock, AppliesOffsets) {
  auto utc = parse_rfc3339("2026-11-22T09:30:00Z");
  ASSERT_TRUE(utc);
  EXPECT_EQ(parse_rfc3339("2026-11-22T10:30:00+01:00"), utc);
  EXPECT_EQ(parse_rfc3339("2026-11-22T04:00:00-05:30"), utc);
  EXPECT_EQ(parse_rfc3339("2026-11-22T09:30:00+00:00"), utc);
  EXPECT_EQ(parse_rfc3339("2026-11-22T09:30:00-00:00"), utc);
  // Across midnight and the year's end.
  EXPECT_EQ(parse_rfc3339("2027-01-01T00:30:00+01:00"), parse_rfc3339("2026-12-31T23:30:00Z"));
}

TEST(Clock, AcceptsFractionsAndLowerCase) {
  auto utc = parse_rfc3339("2026-11-22T09:30:00Z");
  EXPECT_EQ(parse_rfc3339("2026-11-22T09:30:00.123Z"), utc);  // fractions are dropped
  EXPECT_EQ(parse_rfc3339("2026-11-22T09:30:00.999999+00:00"), utc);
  EXPECT_EQ(parse_rfc3339("2026-11-22t09:30:00z"), utc);
}

TEST(Clock, RejectsBadDatesAndShapes) {
  for (const char* bad : {
           "",
           "2026-11-22",                     // a date alone
           "2026-11-22T09:30:00",            // no offset
           "2026-11-22T09:30Z",              // no seconds
           "2026-13-01T00:00:00Z",           // month 13
           "2026-00-10T00:00:00Z",           // month 0
           "2026-11-00T00:00:00Z",           // day 0
           "2026-11-31T00:00:00Z",           // November has 30 days
           "2026-02-30T00:00:00Z",           // never a 30 February
           "2026-11-22T24:00:00Z",           // hour 24
           "2026-11-22T09:60:00Z",           // minute 60
           "2026-11-22T09:30:61Z",           // second 61
           "2026-11-22T09:30:00+24:00",      // offset out of range
           "2026-11-22T09:30:00+01",         // offset without minutes
           "2026-11-22T09:30:00+0100",       // offset without colon
           "2026-11-22T09:30:00.Z",          // empty fraction
           "2026-11-22T09:30:00Z ",          // trailing text
           " 2026-11-22T09:30:00Z",          // leading text
           "2026/11/22T09:30:00Z",           // wrong separators
           "2026-11-22X09:30:00Z",
           "20a6-11-22T09:30:00Z",           // not digits
           "2026-11-22T09:30:00ZZ",
       }) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(Clock, KnowsLeapYears) {
  EXPECT_TRUE(parse_rfc3339("2024-02-29T00:00:00Z").has_value());
  EXPECT_TRUE(parse_rfc3339("2000-02-29T00:00:00Z").has_value());
}

// parse_rfc3339 allows 29 February in every year, so "2025-02-29" reads as 1 March.
// Enable this once common/clock.cpp checks for leap years.
TEST(Clock, RejectsTheTwentyNinthOfFebruaryInCommonYears) {
  EXPECT_FALSE(parse_rfc3339("2025-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("1900-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2100-02-29T00:00:00Z").has_value());
}

// Found by tests/fuzz/json_body_fuzz: an offset could carry a time past 9999 (or before
// year 0) in UTC, which was then stored as "10000-01-01T..." and refused when read back.
TEST(Clock, RefusesTimesWhoseUtcYearHasNoFourDigits) {
  EXPECT_FALSE(parse_rfc3339("9999-12-31T23:59:60-23:59"));
  EXPECT_FALSE(parse_rfc3339("9999-12-31T23:30:00-01:00"));
  EXPECT_FALSE(parse_rfc3339("0000-01-01T00:30:00+01:00"));
  EXPECT_EQ(parse_rfc3339("9999-12-31T23:59:59Z"), 253402300799);
  EXPECT_EQ(parse_rfc3339("0000-01-01T00:00:00Z"), -62167219200);
  EXPECT_EQ(to_rfc3339(253402300799), "9999-12-31T23:59:59Z");
  EXPECT_EQ(to_rfc3339(-62167219200), "0000-01-01T00:00:00Z");
}
