// Rows kept per snapshot are served only while the database is unchanged: a commit by
// this store's writer starts a new snapshot and the next read sees the change; so does a
// commit by another process (the admin CLI), within Connection::kParkFor. Sessions are
// kept longer, until a session or a user changes (the last tests).
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "auth/crypto.hpp"
#include "store/challenges_repo.hpp"
#include "store/ideas_repo.hpp"
#include "store/snapshot_cache.hpp"
#include "store/store.hpp"
#include "store/users_repo.hpp"
#include "temp_db.hpp"

using namespace cc;

TEST(SnapshotCache, KeepsValuesForOneSnapshotOnly) {
  store::SnapshotCache<int, std::string, 3> cache;
  cache.put(0, 1, "outside a snapshot");
  EXPECT_EQ(cache.find(0, 1), nullptr);
  EXPECT_EQ(cache.find(7, 1), nullptr);
  cache.put(7, 1, "one");
  ASSERT_NE(cache.find(7, 1), nullptr);
  EXPECT_EQ(*cache.find(7, 1), "one");
  EXPECT_EQ(cache.find(8, 1), nullptr) << "a new snapshot drops what the old one kept";
  EXPECT_EQ(cache.find(7, 1), nullptr);
  for (int k = 0; k < 3; ++k) cache.put(9, k, "v");
  EXPECT_EQ(cache.size(), 3u);
  cache.put(9, 3, "past the bound");
  EXPECT_EQ(cache.size(), 1u) << "bounded: it starts over";
}

class SnapshotReads : public ::testing::Test {
protected:
  unit::TempDir dir;
  store::Store db{store::StoreOptions{dir.file("snap.db")}};
  const std::string token_hash = auth::sha256("a session token");

  void SetUp() override {
    db.write_sync([this](store::WriteTx& tx) {
      auto& c = tx.conn;
      c.exec("INSERT INTO users(id, email, password_hash, display_name, profession, organisation, role, created_at) "
             "VALUES (1, 'a@x.nhs.uk', 'h', 'A', 'nursing', 'T', 'staff', '2026-01-01T00:00:00Z')");
      c.exec("INSERT INTO challenges(id, title, status, created_at, updated_at) VALUES "
             "(1, 'Open one', 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
      c.exec("INSERT INTO ideas(id, challenge_id, author_id, title, body, tags_text, created_ts, created_at, updated_at) "
             "VALUES (1, 1, 1, 'First title', 'body', '', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
      store::insert_session(c, token_hash, 1, "csrf", 0, 4102444800);
    });
  }

  std::string title_now() {
    auto& c = db.reader();
    store::ReadTx read(c);
    EXPECT_NE(c.snapshot(), 0u);
    return store::find_idea(c, 1, 1)->title;
  }
};

TEST_F(SnapshotReads, TheSameSnapshotUntilSomethingCommits) {
  auto& c = db.reader();
  EXPECT_EQ(c.snapshot(), 0u) << "no snapshot outside a read transaction";
  std::uint64_t first = 0, second = 0;
  {
    store::ReadTx read(c);
    first = c.snapshot();
  }
  {
    store::ReadTx read(c);
    second = c.snapshot();
  }
  EXPECT_EQ(first, second);
  db.write_sync([](store::WriteTx& tx) { tx.conn.exec("UPDATE challenges SET title = 'Renamed' WHERE id = 1"); });
  store::ReadTx read(c);
  EXPECT_NE(c.snapshot(), second);
  EXPECT_EQ(store::find_challenge(c, 1)->title, "Renamed");
}

TEST_F(SnapshotReads, AWriteByTheStoreIsSeenAtOnce) {
  EXPECT_EQ(title_now(), "First title");
  EXPECT_EQ(title_now(), "First title");  // kept
  db.write_sync([](store::WriteTx& tx) { tx.conn.exec("UPDATE ideas SET title = 'Second title' WHERE id = 1"); });
  EXPECT_EQ(title_now(), "Second title");
}

TEST_F(SnapshotReads, AWriteByAnotherProcessIsSeenWithinTheParkingBound) {
  EXPECT_EQ(title_now(), "First title");
  {
    auto& c = db.reader();
    store::ReadTx read(c);
    ASSERT_TRUE(store::find_session(c, token_hash));
    EXPECT_FALSE(store::find_session(c, token_hash)->revoked);
  }
  // As the admin CLI would: its own connection to the file. The reader's snapshot is
  // parked (store::ReadTx) and taken up again for at most kParkFor after it began.
  SQLite::Database other(dir.file("snap.db"), SQLite::OPEN_READWRITE);
  other.exec("UPDATE ideas SET title = 'Edited elsewhere' WHERE id = 1");
  other.exec("UPDATE sessions SET revoked = 1");
  std::this_thread::sleep_for(store::Connection::kParkFor + std::chrono::milliseconds(2));
  EXPECT_EQ(title_now(), "Edited elsewhere");
  auto& c = db.reader();
  store::ReadTx read(c);
  EXPECT_TRUE(store::find_session(c, token_hash)->revoked) << "a revoked session is never served from memory";
}

TEST_F(SnapshotReads, AReadOutsideAReadTxNeverSeesAParkedSnapshot) {
  EXPECT_EQ(title_now(), "First title");
  auto& c = db.reader();
  ASSERT_TRUE(c.in_transaction()) << "the snapshot is parked for the next ReadTx";
  SQLite::Database other(dir.file("snap.db"), SQLite::OPEN_READWRITE);
  other.exec("UPDATE ideas SET title = 'Edited elsewhere' WHERE id = 1");
  // Straight away, without a ReadTx: the parked snapshot is ended first.
  EXPECT_EQ(store::find_idea(c, 1, 1)->title, "Edited elsewhere");
  EXPECT_FALSE(c.in_transaction());
}

TEST_F(SnapshotReads, AParkedSnapshotIsEndedWhenItsThreadIsIdle) {
  EXPECT_EQ(title_now(), "First title");
  auto& c = db.reader();
  ASSERT_TRUE(c.in_transaction());
  EXPECT_EQ(db.end_parked_reads(std::chrono::hours(1)), 0) << "not yet that old";
  EXPECT_TRUE(c.in_transaction());
  // From another thread, as the server's periodic job does.
  int ended = -1;
  std::thread([&] { ended = db.end_parked_reads(std::chrono::milliseconds(0)); }).join();
  EXPECT_EQ(ended, 1);
  EXPECT_FALSE(c.in_transaction()) << "a snapshot left open would hold back checkpoints";
  EXPECT_EQ(title_now(), "First title");
  // A checkpoint can now copy the whole WAL back and start it again.
  db.write_sync([](store::WriteTx& tx) { tx.conn.exec("UPDATE ideas SET title = 'Later' WHERE id = 1"); });
  std::thread([&] { ended = db.end_parked_reads(std::chrono::milliseconds(0)); }).join();
  SQLite::Database other(dir.file("snap.db"), SQLite::OPEN_READWRITE);
  SQLite::Statement ck(other, "PRAGMA wal_checkpoint(TRUNCATE)");
  ASSERT_TRUE(ck.executeStep());
  EXPECT_EQ(ck.getColumn(0).getInt(), 0) << "not blocked by a reader";
  EXPECT_EQ(title_now(), "Later");
}

TEST_F(SnapshotReads, TheViewersVoteIsNeverKept) {
  auto vote_of = [this](std::int64_t user) {
    auto& c = db.reader();
    store::ReadTx read(c);
    return store::find_idea(c, 1, user)->my_vote;
  };
  EXPECT_EQ(vote_of(1), 0);
  db.write_sync([](store::WriteTx& tx) {
    tx.conn.exec("INSERT INTO votes(user_id, idea_id, challenge_id, value, created_at, updated_at) "
                 "VALUES (1, 1, 1, -1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
  });
  EXPECT_EQ(vote_of(1), -1);
  EXPECT_EQ(vote_of(2), 0) << "another reader's vote";
  auto& c = db.reader();
  store::ReadTx read(c);
  auto page = store::find_ideas(c, {1}, 1);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].my_vote, -1);
}

// Sessions outlive snapshots: they are kept until a change to a session or a user moves
// the auth epoch (sql/0007), by this store's writer or by another process.
class KeptSessions : public SnapshotReads {
protected:
  std::shared_ptr<const store::SessionRow> session_now() {
    auto& c = db.reader();
    store::ReadTx read(c);
    return store::find_session(c, token_hash);
  }
};

TEST_F(KeptSessions, ASessionIsKeptAcrossCommitsThatChangeNoSessionOrUser) {
  ASSERT_EQ(session_now()->last_seen_ts, 0);
  db.write_sync([](store::WriteTx& tx) { tx.conn.exec("UPDATE ideas SET title = 'Second title' WHERE id = 1"); });
  // Activity is written without moving the epoch: the kept row still says 0, and the
  // caller takes the later of it and the activity it noted in memory.
  db.write_sync([](store::WriteTx& tx) { store::touch_session(tx.conn, 1, 500); });
  EXPECT_EQ(title_now(), "Second title") << "a new snapshot";
  EXPECT_EQ(session_now()->last_seen_ts, 0) << "kept across the new snapshots";
  EXPECT_EQ(store::find_session(db.reader(), token_hash)->last_seen_ts, 500) << "read outside a ReadTx: the row";
  db.write_sync([](store::WriteTx& tx) { store::revoke_session(tx.conn, 1); });
  EXPECT_TRUE(session_now()->revoked);
  EXPECT_EQ(session_now()->last_seen_ts, 500) << "read again once the epoch moved";
}

TEST_F(KeptSessions, EveryChangeASessionDependsOnIsSeenAtOnce) {
  const std::vector<std::pair<std::string, std::function<bool(const std::shared_ptr<const store::SessionRow>&)>>> changes = {
      {"UPDATE users SET role = 'design_group'",
       [](const auto& s) { return s && s->user.role == domain::Role::design_group; }},
      {"UPDATE users SET display_name = 'Renamed'", [](const auto& s) { return s && s->user.display_name == "Renamed"; }},
      {"UPDATE users SET status = 'disabled'", [](const auto& s) { return s && !s->user.active; }},
      {"UPDATE users SET status = 'active'", [](const auto& s) { return s && s->user.active; }},
      {"UPDATE sessions SET expires_ts = 7", [](const auto& s) { return s && s->expires_ts == 7; }},
      {"UPDATE sessions SET revoked = 1", [](const auto& s) { return s && s->revoked; }},
      {"DELETE FROM sessions", [](const auto& s) { return !s; }},
  };
  for (const auto& [sql, seen] : changes) {
    ASSERT_FALSE(seen(session_now())) << sql << ": not yet";
    db.write_sync([&sql = sql](store::WriteTx& tx) { tx.conn.exec(sql); });
    EXPECT_TRUE(seen(session_now())) << sql;
  }
}

TEST_F(KeptSessions, AChangeByAnotherProcessIsSeenWithinTheParkingBound) {
  ASSERT_EQ(session_now()->user.role, domain::Role::staff);
  SQLite::Database other(dir.file("snap.db"), SQLite::OPEN_READWRITE);
  other.exec("UPDATE users SET role = 'admin'");
  std::this_thread::sleep_for(store::Connection::kParkFor + std::chrono::milliseconds(2));
  EXPECT_EQ(session_now()->user.role, domain::Role::admin);
}

TEST_F(KeptSessions, EachDatabaseIsServedItsOwnRows) {
  // The same token in another database, for another user, read on the same thread.
  store::Store second{store::StoreOptions{dir.file("second.db")}};
  second.write_sync([this](store::WriteTx& tx) {
    tx.conn.exec("INSERT INTO users(id, email, password_hash, display_name, profession, organisation, role, created_at) "
                 "VALUES (2, 'b@x.nhs.uk', 'h', 'B', 'pharmacy', 'T', 'staff', '2026-01-01T00:00:00Z')");
    store::insert_session(tx.conn, token_hash, 2, "csrf", 0, 4102444800);
  });
  auto in = [this](store::Store& s) {
    auto& c = s.reader();
    store::ReadTx read(c);
    return store::find_session(c, token_hash)->user.id;
  };
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(in(db), 1);
    EXPECT_EQ(in(second), 2);
  }
}
