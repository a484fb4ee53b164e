// Every list the API serves is read through an index (ARCHITECTURE.md, Data). The real
// queries of the repositories run against a migrated database while a trace records
// them; each one's EXPLAIN QUERY PLAN must then search an index, never scan a table.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <functional>

#include "domain/ranking.hpp"
#include "store/challenges_repo.hpp"
#include "store/comments_repo.hpp"
#include "store/events_repo.hpp"
#include "store/ideas_repo.hpp"
#include "store/search_repo.hpp"
#include "store/social_repo.hpp"
#include "store/store.hpp"
#include "temp_db.hpp"

using namespace cc;

namespace {

int record(unsigned type, void* ctx, void* p, void*) {
  if (type == SQLITE_TRACE_STMT) {
    if (char* sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(p))) {
      static_cast<std::vector<std::string>*>(ctx)->push_back(sql);
      sqlite3_free(sql);
    }
  }
  return 0;
}

struct Plan {
  std::string sql;
  std::vector<std::string> steps;
  std::string text() const {
    std::string out = sql + "\n";
    for (const auto& s : steps) out += "  " + s + "\n";
    return out;
  }
};

class QueryPlans : public ::testing::Test {
protected:
  unit::TempDir dir;
  store::Store db{store::StoreOptions{dir.file("plans.db")}};

  void SetUp() override {
    // A little of everything, so that every query has rows to find.
    db.write_sync([](store::WriteTx& tx) {
      auto& c = tx.conn;
      c.exec("INSERT INTO users(id, email, password_hash, display_name, profession, organisation, role, created_at) "
             "VALUES (1, 'a@x.nhs.uk', 'h', 'A', 'nursing', 'T', 'staff', '2026-01-01T00:00:00Z'), "
             "(2, 'b@x.nhs.uk', 'h', 'B', 'medical', 'T', 'design_group', '2026-01-01T00:00:00Z')");
      c.exec("INSERT INTO challenges(id, title, status, created_at, updated_at) VALUES "
             "(1, 'Open one', 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
      c.exec("INSERT INTO challenge_principles(challenge_id, principle_id) VALUES (1, 3)");
      c.exec("INSERT INTO ideas(id, challenge_id, author_id, title, body, tags_text, created_ts, created_at, updated_at) "
             "VALUES (1, 1, 1, 'Handover checklist', 'body', 'rota', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
             "(2, 1, 2, 'Second idea', 'handover body', '', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
      c.exec("INSERT INTO idea_history(idea_id, status, by_user_id, at) VALUES (1, 'new', 1, '2026-01-01T00:00:00Z')");
      c.exec("INSERT INTO votes(user_id, idea_id, challenge_id, value, created_at, updated_at) VALUES "
             "(1, 2, 1, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
      c.exec("INSERT INTO comments(idea_id, author_id, body, created_at) VALUES (1, 2, 'c', '2026-01-01T00:00:00Z')");
      c.exec("INSERT INTO notifications(user_id, type, data, created_at) VALUES (1, 'comment.created', '{}', "
             "'2026-01-01T00:00:00Z')");
      c.exec("INSERT INTO follows(user_id, target_type, target_id) VALUES (1, 'idea', 1)");
      c.exec("INSERT INTO flags(target_type, target_id, reason, reporter_id, created_at) VALUES "
             "('idea', 1, 'r', 1, '2026-01-01T00:00:00Z')");
      // The first as stored before migration 0006, with rows in event_topics for both topics.
      c.exec("INSERT INTO events(type, data, created_at) VALUES ('idea.created', '{}', '2026-01-01T00:00:00Z')");
      const auto seq = std::to_string(c.last_insert_id());
      c.exec("INSERT INTO event_topics(topic, seq) VALUES ('challenge:1', " + seq + "), ('idea:1', " + seq + ")");
      for (int i = 0; i < 2; ++i) {
        store::EventRecord e;
        e.type = "idea.created";
        e.topics = {"challenge:1", "idea:1"};
        e.data = "{}";
        e.created_at = "2026-01-01T00:00:00Z";
        tx.append_event(e);
      }
    });
  }

  // Runs `reads` on a reader connection and returns the plan of every statement it ran.
  std::vector<Plan> plans_of(const std::function<void(store::Connection&)>& reads) {
    auto& c = db.reader();
    sqlite3* raw = c.raw().getHandle();
    std::vector<std::string> sqls;
    sqlite3_trace_v2(raw, SQLITE_TRACE_STMT, record, &sqls);
    reads(c);
    sqlite3_trace_v2(raw, 0, nullptr, nullptr);
    std::vector<Plan> out;
    for (const auto& sql : sqls) {
      if (sql.rfind("--", 0) == 0) continue;  // trigger programs
      if (sql.find("'main'.'ideas_fts_") != std::string::npos) continue;  // FTS5 reading its own config
      Plan p{sql, {}};
      SQLite::Statement st(c.raw(), "EXPLAIN QUERY PLAN " + sql);
      while (st.executeStep()) p.steps.push_back(st.getColumn(3).getString());
      out.push_back(std::move(p));
    }
    return out;
  }

  // No step scans a table (a full-text virtual table is searched through its own index).
  void expect_indexed(const std::vector<Plan>& plans, bool allow_sort = false) {
    ASSERT_FALSE(plans.empty());
    for (const auto& p : plans) {
      for (const auto& step : p.steps) {
        bool scan = step.rfind("SCAN ", 0) == 0 && step.find("VIRTUAL TABLE") == std::string::npos &&
                    step.find("CONSTANT ROW") == std::string::npos;
        EXPECT_FALSE(scan) << p.text();
        if (!allow_sort) {
          EXPECT_EQ(step.find("USE TEMP B-TREE FOR ORDER BY"), std::string::npos) << p.text();
        }
      }
    }
  }
};

}  // namespace

TEST_F(QueryPlans, IdeasPerChallengeNewestFirstAndTheirStandings) {
  store::IdeaListFilter f;
  f.challenge_id = 1;
  expect_indexed(plans_of([&](store::Connection& c) { store::newest_idea_ids(c, f, 0, 21); }));
  expect_indexed(plans_of([&](store::Connection& c) { store::newest_idea_ids(c, f, 2, 21); }));
  // A challenge's standings are loaded once (store/idea_standings.hpp), by its ideas only.
  expect_indexed(plans_of([&](store::Connection& c) { store::read_standings(c, 1); }));
  // Filtered by status: still searched by index (sorting the matches is fine).
  f.status = domain::IdeaStatus::shortlisted;
  expect_indexed(plans_of([&](store::Connection& c) { store::newest_idea_ids(c, f, 0, 21); }), true);
}

// The newest-first list reads the list index alone (sql/0004): fetching each idea's row
// to check status and hidden made a list of a thousand ideas ten times dearer.
TEST_F(QueryPlans, TheNewestListReadsOnlyTheIndex) {
  store::IdeaListFilter f;
  f.challenge_id = 1;
  for (bool privileged : {false, true}) {
    f.include_hidden = privileged;
    auto plans = plans_of([&](store::Connection& c) { store::newest_idea_ids(c, f, 0, 21); });
    ASSERT_EQ(plans.size(), 1u);
    EXPECT_NE(plans[0].steps[0].find("USING COVERING INDEX"), std::string::npos) << plans[0].text();
  }
}

// A vote changes its idea's counts and score, a comment its comment count. In an index of
// ideas, each would rewrite the idea's entry, a page of its own in the WAL (sql/0010,
// sql/0011): rankings read them from memory instead (store/idea_standings.hpp).
TEST_F(QueryPlans, NoIndexOfIdeasHoldsWhatAVoteOrACommentChanges) {
  auto& c = db.reader();
  auto indexes = c.prepare("SELECT name FROM pragma_index_list('ideas')");
  int checked = 0;
  while (indexes->executeStep()) {
    const std::string index = indexes->getColumn(0).getString();
    auto columns = c.prepare("SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno");
    columns->bind(1, index);
    while (columns->executeStep()) {
      const std::string column = columns->getColumn(0).isNull() ? "" : columns->getColumn(0).getString();
      for (const char* counted : {"score", "up_votes", "down_votes", "comment_count"})
        EXPECT_NE(column, counted) << index << " holds " << column;
    }
    ++checked;
  }
  EXPECT_GE(checked, 3);
}

TEST_F(QueryPlans, IdeaReadsAndVotes) {
  expect_indexed(plans_of([](store::Connection& c) {
    store::find_ideas(c, {1, 2}, 1);
    store::idea_history(c, 1);
    store::idea_workshops(c, 1);
  }));
  expect_indexed(plans_of([](store::Connection& c) {
    store::votes_in_challenge(c, 1, 1);
    store::find_idea_tally(c, 1, 2);
    store::find_challenge_voting(c, 1);
    store::idea_voters(c, 2);
  }));
}

TEST_F(QueryPlans, CommentsByIdea) {
  expect_indexed(plans_of([](store::Connection& c) {
    store::list_comments(c, 1, 0, 21);
    store::list_comments(c, 1, 5, 21);
    store::find_comment(c, 1);
  }));
}

TEST_F(QueryPlans, EventsByTopicAndSeq) {
  auto plans = plans_of([](store::Connection& c) {
    EXPECT_EQ(store::events_since(c, 0, {"challenge:1"}, 100).events.size(), 3u);
    EXPECT_EQ(store::events_since(c, 1, {"challenge:1", "idea:1"}, 100).events.size(), 2u);
    EXPECT_EQ(store::events_since(c, 0, {"idea:1"}, 100).events.size(), 3u);
    EXPECT_EQ(store::events_since(c, 0, {}, 100).events.size(), 3u);
  });
  expect_indexed(plans);
}

TEST_F(QueryPlans, NotificationsFollowsFlagsAndChallenges) {
  expect_indexed(plans_of([](store::Connection& c) {
    store::list_notifications(c, 1, false, 0, 21);
    store::list_notifications(c, 1, true, 0, 21);
    store::list_notifications(c, 1, false, 10, 21);
    store::unread_count(c, 1);
  }));
  expect_indexed(plans_of([](store::Connection& c) { store::followers(c, "idea", 1); }));
  expect_indexed(plans_of([](store::Connection& c) {
    store::list_flags(c, std::string("open"), 0, 21);
    store::list_flags(c, std::nullopt, 0, 21);
  }));
  expect_indexed(plans_of([](store::Connection& c) {
    store::ChallengeFilter f;
    f.limit = 21;
    store::list_challenges(c, f);
    f.include_drafts = true;
    store::list_challenges(c, f);
    f.status = domain::ChallengeStatus::open;
    f.principle_id = 3;
    f.before_id = 10;
    store::list_challenges(c, f);
  }));
}

TEST_F(QueryPlans, SearchUsesTheFullTextIndex) {
  auto plans = plans_of([](store::Connection& c) {
    store::SearchQuery q;
    q.text = "handover";
    EXPECT_EQ(store::search_ideas(c, q).size(), 2u);
    q.challenge_id = 1;
    q.principle_id = 3;
    EXPECT_EQ(store::search_ideas(c, q).size(), 2u);
  });
  // Best match first means sorting the matches by rank; the matching itself is indexed.
  expect_indexed(plans, true);
}
