// Session activity is noted in memory and stored in batches: idle expiry sees the latest
// time at once, the store gets it within the write interval, and old times are dropped.
#include <gtest/gtest.h>

#include "auth/crypto.hpp"
#include "service/session_activity.hpp"
#include "store/users_repo.hpp"
#include "temp_db.hpp"

using namespace cc;

namespace {

class Activity : public ::testing::Test {
protected:
  unit::TempDir dir;
  store::Store db{store::StoreOptions{dir.file("activity.db")}};

  void SetUp() override {
    db.write_sync([](store::WriteTx& tx) {
      tx.conn.exec("INSERT INTO users(id, email, password_hash, display_name, profession, organisation, role, created_at) "
                   "VALUES (1, 'a@x.nhs.uk', 'h', 'A', 'nursing', 'T', 'staff', '2026-01-01T00:00:00Z')");
      for (int i = 1; i <= 3; ++i)
        store::insert_session(tx.conn, auth::sha256("token " + std::to_string(i)), 1, "csrf", 100, 1000000);
    });
    db.start([](int, std::function<void()> fn) { fn(); });
  }

  // The stored last_seen_ts of a session, after the writes queued so far have landed.
  std::int64_t stored(int session) {
    db.write_sync([](store::WriteTx&) {});  // the queue is in order: this one lands last
    return store::find_session(db.reader(), auth::sha256("token " + std::to_string(session)))->last_seen_ts;
  }
};

}  // namespace

TEST_F(Activity, TheLatestTimeIsSeenAtOnceAndStoredInBatches) {
  service::SessionActivity activity(db, 30, 1800);
  activity.note(1, 1000);  // the first note writes (nothing written yet)
  EXPECT_EQ(stored(1), 1000);
  activity.note(1, 1010);
  activity.note(2, 1020);
  EXPECT_EQ(activity.last_seen(1, 100), 1010) << "noted, not yet stored";
  EXPECT_EQ(activity.last_seen(1, 5000), 5000) << "a later stored time wins";
  EXPECT_EQ(activity.last_seen(3, 100), 100) << "nothing noted";
  EXPECT_EQ(stored(1), 1000) << "within 30 s of the last write: waiting";
  EXPECT_EQ(stored(2), 100);
  activity.note(3, 1030);  // 30 s after the last write: everything waiting goes in one batch
  EXPECT_EQ(stored(1), 1010);
  EXPECT_EQ(stored(2), 1020);
  EXPECT_EQ(stored(3), 1030);
}

TEST_F(Activity, FlushWritesWhatWaitsAndOldTimesAreForgotten) {
  service::SessionActivity activity(db, 30, 60);
  activity.note(1, 1000);
  activity.note(2, 1001);
  activity.flush(1001);
  EXPECT_EQ(stored(2), 1001);
  activity.flush(1100);  // more than 60 s later: both times are past mattering
  EXPECT_EQ(activity.last_seen(1, 100), 100);
  EXPECT_EQ(activity.last_seen(2, 100), 100);
}

TEST_F(Activity, ARequestNotesActivityOnlyWhileTheSessionIsActive) {
  service::SessionActivity activity(db, 30, 1800);
  EXPECT_TRUE(activity.note_if_active(1, 100, 1000, 1800)) << "900 s after the stored time";
  EXPECT_EQ(activity.last_seen(1, 100), 1000) << "and noted";
  EXPECT_TRUE(activity.note_if_active(1, 100, 2799, 1800)) << "the noted time counts, not only the stored one";
  EXPECT_FALSE(activity.note_if_active(1, 100, 2799 + 1800, 1800)) << "idle for the whole timeout";
  EXPECT_EQ(activity.last_seen(1, 100), 2799) << "an idle session's request does not revive it";
  EXPECT_FALSE(activity.note_if_active(2, 100, 1900, 1800));
  EXPECT_EQ(activity.last_seen(2, 100), 100) << "nothing noted for a session idle from the start";
}
