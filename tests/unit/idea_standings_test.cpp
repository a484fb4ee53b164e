// The ideas' standings kept in memory for rankings: current after every commit, whatever
// wrote it, including changes that commit while a challenge loads and writes by another
// process.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "store/idea_standings.hpp"
#include "store/store.hpp"
#include "temp_db.hpp"

using namespace cc::store;
using cc::domain::IdeaSort;
using cc::domain::IdeaStatus;
using Ids = std::vector<std::int64_t>;

namespace {

void inline_poster(int, std::function<void()> fn) { fn(); }

StoreOptions options_at(const std::string& path) {
  StoreOptions o;
  o.path = path;
  o.sync_wal = [] { return true; };  // the disk's flush is not what these tests are about
  return o;
}

std::string idea_row(std::int64_t id, std::int64_t challenge) {
  return "(" + std::to_string(id) + ", " + std::to_string(challenge) +
         ", 1, 'a', 'b', '', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')";
}

void add_ideas(Store& store, std::int64_t challenge, std::int64_t from, std::int64_t to) {
  store.write_sync([&](WriteTx& tx) {
    std::string rows;
    for (auto id = from; id <= to; ++id) rows += (rows.empty() ? "" : ", ") + idea_row(id, challenge);
    tx.conn.exec("INSERT INTO ideas(id, challenge_id, author_id, title, body, tags_text, created_ts, created_at, "
                 "updated_at) VALUES " + rows);
  });
}

struct Standings : ::testing::Test {
  cc::unit::TempDir dir;
  Store store{options_at(dir.file("standings.db"))};

  void SetUp() override {
    store.write_sync([](WriteTx& tx) {
      tx.conn.exec("INSERT INTO users(id, email, display_name, profession, organisation, role, password_hash, "
                   "created_at) VALUES "
                   "(1, 'a@nhs.net', 'A', 'nurse', 'A trust', 'staff', 'x', '2026-01-01T00:00:00Z')");
      tx.conn.exec("INSERT INTO challenges(id, title, status, created_at, updated_at) VALUES "
                   "(1, 'One', 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
                   "(2, 'Two', 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
    });
    store.start(inline_poster);
  }
  void exec(const std::string& sql) {
    store.write_sync([&](WriteTx& tx) { tx.conn.exec(sql); });
  }
  Ids ranked(IdeaSort sort, IdeaListFilter f = {}) {
    if (!f.challenge_id) f.challenge_id = 1;
    return store.standings().ranked(f, sort, 0, 1000);
  }
  // The same ranking read from the database now.
  Ids from_the_database(IdeaSort sort) {
    auto& c = store.reader();
    ReadTx read(c);
    IdeaListFilter f;
    f.challenge_id = 1;
    return rank_standings(read_standings(c, 1), f, sort, 0, 1000);
  }
};

}  // namespace

TEST_F(Standings, RankingsFollowEveryCommittedChangeOfAnIdea) {
  add_ideas(store, 1, 11, 13);
  add_ideas(store, 2, 21, 21);
  EXPECT_EQ(ranked(IdeaSort::top), (Ids{13, 12, 11}));  // loads challenge 1; all equal: newest first
  EXPECT_EQ(store.standings().challenges(), 1u);

  exec("UPDATE ideas SET score = 5, up_votes = 5 WHERE id = 11");
  EXPECT_EQ(ranked(IdeaSort::top), (Ids{11, 13, 12}));
  exec("UPDATE ideas SET comment_count = 3 WHERE id = 12");
  EXPECT_EQ(ranked(IdeaSort::discussed), (Ids{12, 13, 11}));

  // Hidden: only a privileged list has it. Merged: only a list of that status.
  exec("UPDATE ideas SET hidden = 1 WHERE id = 11");
  EXPECT_EQ(ranked(IdeaSort::top), (Ids{13, 12}));
  IdeaListFilter privileged;
  privileged.include_hidden = true;
  EXPECT_EQ(ranked(IdeaSort::top, privileged), (Ids{11, 13, 12}));
  exec("UPDATE ideas SET status = 'merged', merged_into_id = 12 WHERE id = 13");
  EXPECT_EQ(ranked(IdeaSort::top, privileged), (Ids{11, 12}));
  IdeaListFilter merged = privileged;
  merged.status = IdeaStatus::merged;
  EXPECT_EQ(ranked(IdeaSort::top, merged), (Ids{13}));

  // A command that fails is rolled back, and its change never shows.
  EXPECT_THROW(store.write_sync([](WriteTx& tx) {
    tx.conn.exec("UPDATE ideas SET score = 100 WHERE id = 12");
    throw std::runtime_error("refused");
  }),
               std::runtime_error);
  EXPECT_EQ(ranked(IdeaSort::top, privileged), (Ids{11, 12}));

  // A new idea enters, a deleted one leaves; the other challenge stays unloaded.
  add_ideas(store, 1, 14, 14);
  exec("UPDATE ideas SET score = 9 WHERE id = 14");
  EXPECT_EQ(ranked(IdeaSort::top, privileged), (Ids{14, 11, 12}));
  exec("DELETE FROM ideas WHERE id = 11");
  EXPECT_EQ(ranked(IdeaSort::top, privileged), (Ids{14, 12}));
  EXPECT_EQ(store.standings().challenges(), 1u);
  IdeaListFilter other;
  other.challenge_id = 2;
  EXPECT_EQ(ranked(IdeaSort::top, other), (Ids{21}));
  EXPECT_EQ(store.standings().forgotten(), 0u);
}

// Loads run while the writer commits a change to a different idea each time; the last
// load is left to stand while the remaining changes come in. Whatever committed while it
// read, after its snapshot began, must be applied to it.
TEST_F(Standings, ChangesCommittedWhileAChallengeLoadsAreKept) {
  constexpr int kIdeas = 3000, kChanged = 1500;
  add_ideas(store, 1, 1, kIdeas);
  std::atomic<int> done{0};
  std::thread writer([&] {
    for (int k = 1; k <= kChanged; ++k) {
      exec("UPDATE ideas SET score = " + std::to_string(k) + " WHERE id = " + std::to_string(k));
      done.store(k);
    }
  });
  int loads = 0;
  while (done.load() < kChanged * 4 / 5) {
    store.standings().forget_all();
    ranked(IdeaSort::top);
    ++loads;
  }
  writer.join();
  EXPECT_GT(loads, 1);
  EXPECT_EQ(ranked(IdeaSort::top), from_the_database(IdeaSort::top));
}

// The admin CLI writes through a connection of its own, which the writer's hook does not
// see: the writer notices the commit (PRAGMA data_version) and the standings are loaded again.
TEST_F(Standings, AnotherProcessesWritesShowWithinASecondOrTwo) {
  add_ideas(store, 1, 11, 12);
  EXPECT_EQ(ranked(IdeaSort::top), (Ids{12, 11}));
  {
    StoreOptions other = options_at(dir.file("standings.db"));
    Store cli(other);  // never started, as the admin CLI's
    cli.write_sync([](WriteTx& tx) { tx.conn.exec("UPDATE ideas SET score = 4 WHERE id = 11"); });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (ranked(IdeaSort::top) != Ids{11, 12} && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(ranked(IdeaSort::top), (Ids{11, 12}));
  EXPECT_GE(store.standings().forgotten(), 1u);
}

TEST(StandingsRanking, HighestFirstNewestFirstAmongEqualsWithFilters) {
  std::vector<IdeaStanding> rows;
  auto add = [&](std::int64_t id, std::int64_t score, std::int64_t comments, IdeaStatus status = IdeaStatus::new_,
                 bool hidden = false, std::int64_t author = 1) {
    IdeaStanding s;
    s.id = id;
    s.challenge_id = 1;
    s.author_id = author;
    s.score = score;
    s.comment_count = comments;
    s.status = status;
    s.hidden = hidden;
    rows.push_back(s);
  };
  add(1, 3, 0);
  add(2, 3, 2, IdeaStatus::shortlisted);
  add(3, -1, 5, IdeaStatus::new_, true);
  add(4, 7, 2, IdeaStatus::merged);
  add(5, 3, 1, IdeaStatus::new_, false, 2);
  IdeaListFilter f;
  f.challenge_id = 1;
  EXPECT_EQ(rank_standings(rows, f, IdeaSort::top, 0, 10), (Ids{5, 2, 1}));
  EXPECT_EQ(rank_standings(rows, f, IdeaSort::top, 0, 2), (Ids{5, 2}));
  EXPECT_EQ(rank_standings(rows, f, IdeaSort::discussed, 0, 10), (Ids{2, 5, 1}));
  f.include_hidden = true;
  EXPECT_EQ(rank_standings(rows, f, IdeaSort::discussed, 0, 10), (Ids{3, 2, 5, 1}));
  f.status = IdeaStatus::shortlisted;
  EXPECT_EQ(rank_standings(rows, f, IdeaSort::top, 0, 10), (Ids{2}));
  f.status.reset();
  f.author_id = 2;
  EXPECT_EQ(rank_standings(rows, f, IdeaSort::top, 0, 10), (Ids{5}));
}
