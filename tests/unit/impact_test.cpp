// The arithmetic of impact measurement, the CSV writer, and the plans of the metrics
// queries (issue 8).
#include <gtest/gtest.h>

#include <cmath>

#include "common/csv.hpp"
#include "domain/metrics.hpp"
#include "store/metrics_repo.hpp"
#include "store/store.hpp"
#include "temp_db.hpp"

using namespace cc;

TEST(ImpactArithmetic, RatioIsUndefinedForAZeroDenominator) {
  EXPECT_FALSE(domain::ratio(1, 0));
  EXPECT_FALSE(domain::ratio(0, 0));
  EXPECT_DOUBLE_EQ(*domain::ratio(1, 4), 0.25);
  EXPECT_DOUBLE_EQ(*domain::ratio(0, 4), 0.0);
}

TEST(ImpactArithmetic, Evenness) {
  EXPECT_FALSE(domain::evenness({}));
  EXPECT_FALSE(domain::evenness({0, 0}));
  EXPECT_DOUBLE_EQ(*domain::evenness({7}), 0.0) << "one profession only";
  EXPECT_DOUBLE_EQ(*domain::evenness({7, 0, 0}), 0.0) << "empty categories do not count";
  EXPECT_NEAR(*domain::evenness({3, 3, 3}), 1.0, 1e-12);
  EXPECT_NEAR(*domain::evenness({5, 5}), 1.0, 1e-12);
  // 2:1:1 → H = -(0.5 ln 0.5 + 2 × 0.25 ln 0.25) over ln 3.
  double h = -(0.5 * std::log(0.5) + 2 * 0.25 * std::log(0.25));
  EXPECT_NEAR(*domain::evenness({2, 1, 1}), h / std::log(3.0), 1e-12);
  double skewed = *domain::evenness({100, 1});
  EXPECT_GT(skewed, 0.0);
  EXPECT_LT(skewed, 0.2);
}

TEST(ImpactArithmetic, Median) {
  EXPECT_FALSE(domain::median({}));
  EXPECT_DOUBLE_EQ(*domain::median({5}), 5);
  EXPECT_DOUBLE_EQ(*domain::median({9, 1, 5}), 5);
  EXPECT_DOUBLE_EQ(*domain::median({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(*domain::median({2, 2, 2, 10}), 2);
}

TEST(ImpactArithmetic, DateRangeFillsTheGapsAcrossMonthsAndLeapDays) {
  auto r = domain::date_range("2028-02-27", "2028-03-02");
  EXPECT_EQ(r, (std::vector<std::string>{"2028-02-27", "2028-02-28", "2028-02-29", "2028-03-01", "2028-03-02"}));
  EXPECT_EQ(domain::date_range("2026-12-31", "2027-01-01"), (std::vector<std::string>{"2026-12-31", "2027-01-01"}));
  EXPECT_EQ(domain::date_range("2026-11-22", "2026-11-22"), (std::vector<std::string>{"2026-11-22"}));
  EXPECT_TRUE(domain::date_range("2026-11-23", "2026-11-22").empty());
  EXPECT_TRUE(domain::date_range("garbage", "2026-11-22").empty());
  EXPECT_EQ(domain::date_range("2000-01-01", "2099-12-31", 10).size(), 10u);
}

TEST(Csv, QuotingFollowsRfc4180) {
  EXPECT_EQ(csv::text("plain"), "plain");
  EXPECT_EQ(csv::text(""), "");
  EXPECT_EQ(csv::text("a,b"), "\"a,b\"");
  EXPECT_EQ(csv::text("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv::text("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv::text("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csv::text("café ✓"), "café ✓");
}

TEST(Csv, FormulaLikeTextIsNeutralised) {
  EXPECT_EQ(csv::text("=1+1"), "'=1+1");
  EXPECT_EQ(csv::text("+1"), "'+1");
  EXPECT_EQ(csv::text("-1"), "'-1");
  EXPECT_EQ(csv::text("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv::text("\t=x"), "'\t=x");
  EXPECT_EQ(csv::text("\r=x"), "\"'\r=x\"");
  EXPECT_EQ(csv::text("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
  EXPECT_EQ(csv::text("a=b"), "a=b") << "only a leading character matters";
  EXPECT_EQ(csv::number(-3), "-3") << "numbers stay numbers";
}

TEST(Csv, WriterStartsWithABomAndEndsRowsWithCrlf) {
  csv::Writer w;
  w.text("id").text("title").end_row();
  w.number(1).text("x, y").end_row();
  EXPECT_EQ(w.str(), "\xEF\xBB\xBFid,title\r\n1,\"x, y\"\r\n");
}

namespace {

// EXPLAIN QUERY PLAN of each statement a read runs.
std::vector<std::string> plan(store::Connection& c, const std::string& sql) {
  SQLite::Statement st(c.raw(), "EXPLAIN QUERY PLAN " + sql);
  std::vector<std::string> steps;
  while (st.executeStep()) steps.push_back(st.getColumn(3).getString());
  return steps;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}

}  // namespace

TEST(ImpactQueries, VotesByDayReadOnlyTheIndex) {
  unit::TempDir dir;
  store::Store db{store::StoreOptions{dir.file("m.db")}};
  auto& c = db.reader();
  for (const char* sql : {"SELECT count(*) FROM votes WHERE challenge_id = 1 AND created_at >= '2026-01-01' AND "
                          "created_at < '2026-01-02'",
                          "SELECT created_at FROM votes WHERE challenge_id = 1 ORDER BY created_at LIMIT 1",
                          "SELECT created_at FROM votes WHERE challenge_id = 1 ORDER BY created_at DESC LIMIT 1"}) {
    auto text = joined(plan(c, sql));
    EXPECT_NE(text.find("USING COVERING INDEX votes_by_challenge_time"), std::string::npos) << sql << "\n" << text;
    EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos) << text;
  }
  // The per-person vote counts use votes_by_user_challenge; participants their primary key.
  auto text = joined(plan(c, "SELECT p.user_id, (SELECT count(*) FROM votes v WHERE v.user_id = p.user_id AND "
                             "v.challenge_id = p.challenge_id) FROM challenge_participants p JOIN users u ON u.id = "
                             "p.user_id WHERE p.challenge_id = 1"));
  EXPECT_NE(text.find("votes_by_user_challenge"), std::string::npos) << text;
  EXPECT_EQ(text.find("SCAN p"), std::string::npos) << text;
}

// A challenge's comments are counted by author and day from comments_by_idea alone
// (sql/0005): no comment row, body and all, is read.
TEST(ImpactQueries, CommentFactsReadOnlyTheIndex) {
  unit::TempDir dir;
  store::Store db{store::StoreOptions{dir.file("m.db")}};
  auto text = joined(plan(db.reader(), "SELECT cm.author_id, substr(cm.created_at, 1, 10) FROM ideas i JOIN comments cm "
                                       "ON cm.idea_id = i.id WHERE i.challenge_id = 1 AND cm.state <> 'deleted'"));
  EXPECT_NE(text.find("USING COVERING INDEX comments_by_idea"), std::string::npos) << text;
}

TEST(ImpactQueries, FactsOfAChallenge) {
  unit::TempDir dir;
  store::Store db{store::StoreOptions{dir.file("m.db")}};
  db.write_sync([](store::WriteTx& tx) {
    auto& c = tx.conn;
    c.exec("INSERT INTO users(id, email, password_hash, display_name, profession, organisation, role, created_at) VALUES "
           "(1, 'a@x.nhs.uk', 'h', 'A', 'nursing', 'T1', 'staff', '2026-01-01T00:00:00Z'), "
           "(2, 'b@x.nhs.uk', 'h', 'B', 'medical', 'T2', 'staff', '2026-01-01T00:00:00Z')");
    c.exec("INSERT INTO challenges(id, title, status, created_at, updated_at) VALUES "
           "(1, 'One', 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
    c.exec("INSERT INTO challenge_participants VALUES (1, 1, '2026-01-01T10:00:00Z'), (1, 2, '2026-01-03T10:00:00Z')");
    c.exec("INSERT INTO ideas(id, challenge_id, author_id, title, body, status, created_ts, created_at, updated_at) VALUES "
           "(1, 1, 1, 'I1', 'b', 'new', 0, '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z'), "
           "(2, 1, 1, 'I2', 'b', 'merged', 0, '2026-01-02T10:00:00Z', '2026-01-02T10:00:00Z')");
    c.exec("INSERT INTO votes(user_id, idea_id, challenge_id, value, created_at, updated_at) VALUES "
           "(2, 1, 1, 1, '2026-01-03T10:00:00Z', '2026-01-03T10:00:00Z'), "
           "(1, 1, 1, -1, '2026-01-03T11:00:00Z', '2026-01-03T11:00:00Z')");
  });
  auto& c = db.reader();
  auto people = store::participant_facts(c, 1);
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].first_date, "2026-01-01");
  EXPECT_EQ(people[1].votes, 1);
  EXPECT_EQ(store::idea_facts(c, 1).size(), 2u);
  auto days = store::votes_by_day(c, 1);
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0], (std::pair<std::string, std::int64_t>{"2026-01-03", 2}));
  db.write_sync([](store::WriteTx& tx) {
    tx.conn.exec("INSERT INTO votes(user_id, idea_id, challenge_id, value, created_at, updated_at) VALUES "
                 "(2, 2, 1, 1, '2026-01-05T23:59:59Z', '2026-01-05T23:59:59Z'), "
                 "(1, 2, 1, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
  });
  days = store::votes_by_day(c, 1);
  EXPECT_EQ(days, (std::vector<std::pair<std::string, std::int64_t>>{{"2026-01-01", 1}, {"2026-01-03", 2}, {"2026-01-05", 1}}));
  EXPECT_TRUE(store::votes_by_day(c, 2).empty());
}
