// The shipped migrations applied to fresh databases (as everest-sqlite does): every one
// applies, the version is recorded, the seeded principles are there to stay.
#include <gtest/gtest.h>

#include <string_view>

#include "store/migrator.hpp"
#include "store/store.hpp"
#include "temp_db.hpp"

using namespace cc::store;

TEST(Migrations, AreNumberedFromOneWithoutGaps) {
  const auto& list = migrations();
  ASSERT_FALSE(list.empty());
  for (std::size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(list[i].version, static_cast<int>(i + 1)) << list[i].name;
    EXPECT_NE(std::string(list[i].sql).size(), 0u) << list[i].name;
  }
  EXPECT_EQ(latest_schema_version(), list.back().version);
}

TEST(Migrations, AFreshStoreAppliesEveryMigration) {
  cc::unit::TempDir dir;
  Store store(StoreOptions{dir.file("fresh.db")});
  EXPECT_EQ(store.schema_version(), latest_schema_version());
  auto& r = store.reader();
  EXPECT_EQ(r.scalar_int("PRAGMA user_version"), latest_schema_version());
  // The main tables exist.
  for (const std::string table : {"users", "sessions", "settings", "principles", "challenges", "ideas", "votes",
                                  "comments", "events", "event_topics", "workshops"}) {
    auto st = r.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?");
    st->bind(1, table);
    ASSERT_TRUE(st->executeStep());
    EXPECT_EQ(st->getColumn(0).getInt(), 1) << table;
  }
}

TEST(Migrations, SeedTheFivePrinciples) {
  cc::unit::TempDir dir;
  Store store(StoreOptions{dir.file("p.db")});
  auto& r = store.reader();
  EXPECT_EQ(r.scalar_int("SELECT count(*) FROM principles"), 5);
  std::vector<std::string> codes;
  auto st = r.prepare("SELECT code, title, summary FROM principles ORDER BY id");
  while (st->executeStep()) {
    codes.push_back(st->getColumn(0).getString());
    EXPECT_GE(st->getColumn(1).getString().size(), 3u);
    EXPECT_GE(st->getColumn(2).getString().size(), 100u) << "the summary is the guidance text";
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"P1", "P2", "P3", "P4", "P5"}));
}

TEST(Migrations, ThePrinciplesCannotBeDeletedButCanBeEdited) {
  cc::unit::TempDir dir;
  Store store(StoreOptions{dir.file("keep.db")});
  EXPECT_THROW(store.write_sync([](WriteTx& tx) { tx.conn.exec("DELETE FROM principles WHERE code = 'P3'"); }),
               SQLite::Exception);
  EXPECT_THROW(store.write_sync([](WriteTx& tx) { tx.conn.exec("DELETE FROM principles"); }), SQLite::Exception);
  EXPECT_EQ(store.reader().scalar_int("SELECT count(*) FROM principles"), 5);
  store.write_sync([](WriteTx& tx) { tx.conn.exec("UPDATE principles SET title = 'Edited' WHERE code = 'P1'"); });
  EXPECT_EQ(store.reader().scalar_int("SELECT count(*) FROM principles WHERE title = 'Edited'"), 1);
}

TEST(Migrations, ReopeningAMigratedDatabaseAppliesNothing) {
  cc::unit::TempDir dir;
  auto path = dir.file("again.db");
  {
    Connection c(path, Access::read_write, 1000);
    EXPECT_EQ(migrate(c), static_cast<int>(migrations().size()));
    EXPECT_EQ(current_schema_version(c), latest_schema_version());
    c.exec("UPDATE principles SET title = 'Kept' WHERE code = 'P2'");
  }
  {
    Connection c(path, Access::read_write, 1000);
    EXPECT_EQ(migrate(c), 0);
    EXPECT_EQ(c.scalar_int("SELECT count(*) FROM principles"), 5);
    EXPECT_EQ(c.scalar_int("SELECT count(*) FROM principles WHERE title = 'Kept'"), 1) << "data survives";
  }
  // Opening the Store on it again changes nothing either.
  Store store(StoreOptions{path});
  EXPECT_EQ(store.schema_version(), latest_schema_version());
  EXPECT_EQ(store.reader().scalar_int("SELECT count(*) FROM principles WHERE title = 'Kept'"), 1);
}

TEST(Migrations, ADatabaseNewerThanTheProgramIsRefused) {
  cc::unit::TempDir dir;
  auto path = dir.file("future.db");
  {
    Connection c(path, Access::read_write, 1000);
    migrate(c);
    c.exec("PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
  }
  Connection c(path, Access::read_write, 1000);
  EXPECT_THROW(migrate(c), std::runtime_error);
  EXPECT_THROW({ Store store(StoreOptions{path}); }, std::runtime_error);
}

TEST(Migrations, TheWriterUsesWalAndFullSynchronous) {
  cc::unit::TempDir dir;
  Store store(StoreOptions{dir.file("wal.db")});
  std::string mode;
  std::int64_t synchronous = -1, foreign_keys = -1;
  store.write_sync([&](WriteTx& tx) {
    auto st = tx.conn.prepare("PRAGMA journal_mode");
    if (st->executeStep()) mode = st->getColumn(0).getString();
    synchronous = tx.conn.scalar_int("PRAGMA synchronous");
    foreign_keys = tx.conn.scalar_int("PRAGMA foreign_keys");
  });
  EXPECT_EQ(mode, "wal");
  EXPECT_EQ(synchronous, 2) << "2 is FULL: every commit is fsynced before it is acknowledged";
  EXPECT_EQ(foreign_keys, 1);
  // WAL is a property of the file: readers see it too.
  auto st = store.reader().prepare("PRAGMA journal_mode");
  ASSERT_TRUE(st->executeStep());
  EXPECT_EQ(st->getColumn(0).getString(), "wal");
}

TEST(Migrations, ReadersCannotWrite) {
  cc::unit::TempDir dir;
  Store store(StoreOptions{dir.file("ro.db")});
  EXPECT_THROW(store.reader().exec("UPDATE principles SET title = 'x'"), SQLite::Exception);
}

TEST(Migrations, WithoutCreateAMissingDatabaseIsAClearError) {
  cc::unit::TempDir dir;
  StoreOptions o{dir.file("missing.db")};
  o.create = false;
  try {
    Store store(o);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.db"), std::string::npos) << e.what();
  }
}

// Applies the shipped migrations up to and including `version`, as an older release did.
void migrate_to(Connection& c, int version) {
  for (const auto& m : migrations()) {
    if (m.version > version) break;
    if (std::string_view(m.sql).find("-- carecrowd: rebuilds ") == 0) c.exec("PRAGMA foreign_keys = OFF");
    c.exec(m.sql);
    c.exec("PRAGMA foreign_keys = ON");
    c.exec("PRAGMA user_version = " + std::to_string(m.version));
  }
}

TEST(Migrations, TheEventLogRebuiltWithoutAutoincrementKeepsEveryRowAndGoesOnFromItsLastSeq) {
  cc::unit::TempDir dir;
  auto path = dir.file("log.db");
  {
    Connection c(path, Access::read_write, 1000);
    migrate_to(c, 8);
    c.exec("INSERT INTO events(type, audience, owner_id, data, data_privileged, created_at, idea_id, challenge_id) "
           "VALUES ('vote.changed', 0, 0, '{\"a\":1}', NULL, '2026-11-01T00:00:00Z', 11, 1), "
           "('notification', 2, 7, '{}', '{\"p\":1}', '2026-11-02T00:00:00Z', NULL, NULL)");
    c.exec("INSERT INTO event_topics(topic, seq) VALUES ('user:7', 2)");
    // Events pruned after these had taken seqs up to 40.
    c.exec("UPDATE sqlite_sequence SET seq = 40 WHERE name = 'events'");
  }
  Connection c(path, Access::read_write, 1000);
  EXPECT_EQ(migrate(c), latest_schema_version() - 8);
  EXPECT_EQ(c.scalar_int("PRAGMA foreign_keys"), 1) << "back on after the rebuild";
  EXPECT_EQ(c.scalar_int("SELECT count(*) FROM sqlite_sequence WHERE name = 'events'"), 0);
  EXPECT_EQ(c.scalar_int("SELECT count(*) FROM events WHERE seq IN (1, 2)"), 2);
  EXPECT_EQ(c.scalar_int("SELECT count(*) FROM events WHERE seq = 1 AND type = 'vote.changed' AND data = '{\"a\":1}' "
                         "AND idea_id = 11 AND challenge_id = 1 AND created_at = '2026-11-01T00:00:00Z'"),
            1);
  EXPECT_EQ(c.scalar_int("SELECT count(*) FROM events WHERE seq = 2 AND audience = 2 AND owner_id = 7 "
                         "AND data_privileged = '{\"p\":1}'"),
            1);
  // The last seq taken is held by an event that reaches no one, and the next follows it.
  EXPECT_EQ(c.scalar_int("SELECT count(*) FROM events WHERE seq = 40 AND audience = 2 AND owner_id = 0"), 1);
  c.exec("INSERT INTO events(type, data, created_at) VALUES ('vote.changed', '{}', '2026-11-03T00:00:00Z')");
  EXPECT_EQ(c.last_insert_id(), 41);
  // The topics still refer to their events, and the new table is held to that.
  EXPECT_EQ(c.scalar_int("SELECT count(*) FROM event_topics t JOIN events e ON e.seq = t.seq"), 1);
  EXPECT_THROW(c.exec("INSERT INTO event_topics(topic, seq) VALUES ('user:7', 999)"), SQLite::Exception);
}

// The first migration of the rebuild tests: `child` refers to `parent`, `stray` to `other`.
const Migration kReferringTables = {
    1, "0001_tables.sql",
    "CREATE TABLE parent(id INTEGER PRIMARY KEY); CREATE TABLE child(parent_id INTEGER REFERENCES parent(id)); "
    "CREATE TABLE other(id INTEGER PRIMARY KEY); CREATE TABLE stray(other_id INTEGER REFERENCES other(id)); "
    "INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1);"};

TEST(Migrations, ARebuildThatLeavesABrokenReferenceIsRolledBack) {
  cc::unit::TempDir dir;
  Connection c(dir.file("broken.db"), Access::read_write, 1000);
  const std::vector<Migration> list = {
      kReferringTables,
      // A rebuild of `parent` that forgets to copy its rows.
      {2, "0002_rebuild.sql",
       "-- carecrowd: rebuilds parent\nCREATE TABLE parent_next(id INTEGER PRIMARY KEY); DROP TABLE parent; "
       "ALTER TABLE parent_next RENAME TO parent;"},
  };
  try {
    migrate(c, list);
    ADD_FAILURE() << "the broken reference went unnoticed";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("0002_rebuild.sql left a row of child referring to no row of parent"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(current_schema_version(c), 1);
  EXPECT_EQ(c.scalar_int("SELECT count(*) FROM parent"), 1) << "rolled back";
  EXPECT_EQ(c.scalar_int("PRAGMA foreign_keys"), 1);
}

TEST(Migrations, ARebuildChecksTheReferencesToItsTableNotTheWholeDatabase) {
  cc::unit::TempDir dir;
  Connection c(dir.file("scoped.db"), Access::read_write, 1000);
  const std::vector<Migration> list = {
      kReferringTables,
      {2, "0002_rebuild.sql",
       "-- carecrowd: rebuilds parent\nCREATE TABLE parent_next(id INTEGER PRIMARY KEY, note TEXT); "
       "INSERT INTO parent_next(id) SELECT id FROM parent; DROP TABLE parent; "
       "ALTER TABLE parent_next RENAME TO parent;"},
  };
  migrate(c, {list[0]});
  // A dangling row elsewhere, from before (written with the keys off): not this rebuild's.
  c.exec("PRAGMA foreign_keys = OFF");
  c.exec("INSERT INTO stray VALUES (5)");
  c.exec("PRAGMA foreign_keys = ON");
  EXPECT_EQ(migrate(c, list), 1);
  EXPECT_EQ(current_schema_version(c), 2);
  EXPECT_EQ(c.scalar_int("SELECT count(*) FROM child JOIN parent ON parent.id = child.parent_id"), 1);
}
