// Readers keep their memory map of the database across commits: what they read must
// still be what was committed, as the file is checkpointed, grows and shrinks.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "store/connection.hpp"
#include "store/kept_map_vfs.hpp"
#include "store/store.hpp"
#include "integrity.hpp"
#include "temp_db.hpp"

using namespace cc::store;

namespace {

// The writer on SQLite's default VFS, with `rows` rows of 200 bytes each (about 4 MB).
std::unique_ptr<Connection> open_writer(const std::string& path, int rows) {
  auto c = std::make_unique<Connection>(path, Access::read_write, 1000);
  c->exec("PRAGMA journal_mode = WAL");
  c->exec("PRAGMA wal_autocheckpoint = 0");  // checkpoints only where a test runs them
  c->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, v BLOB NOT NULL)");
  c->exec("BEGIN");
  auto st = c->prepare("INSERT INTO t(n, v) VALUES (?, randomblob(200))");
  for (int i = 0; i < rows; ++i) {
    st->bind(1, 1);
    st->exec();
    st->reset();
  }
  c->exec("COMMIT");
  c->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return c;
}

std::int64_t total(Connection& c) { return c.scalar_int("SELECT sum(n) FROM t"); }
std::int64_t rows(Connection& c) { return c.scalar_int("SELECT count(*) FROM t"); }
}  // namespace

TEST(KeptMapVfs, AReaderSeesEveryCommitAndCheckpointWithoutDroppingItsMap) {
  cc::unit::TempDir dir;
  auto path = dir.file("kept.db");
  auto writer = open_writer(path, 20000);
  Connection reader(path, Access::read_only, 1000);
  ASSERT_EQ(total(reader), 20000);  // maps the file
  const auto drops = kept_map_drops();
  std::int64_t expected = 20000;
  for (int i = 0; i < 60; ++i) {
    // Rows changed in place: the file keeps its size while its pages are rewritten by
    // the checkpoints, under the reader's mapping.
    const std::string which = " WHERE id % 97 = " + std::to_string(i % 97);
    writer->exec("UPDATE t SET n = n + 1" + which);
    expected += writer->scalar_int("SELECT count(*) FROM t" + which);
    if (i % 3 == 0) writer->exec("PRAGMA wal_checkpoint(PASSIVE)");
    ASSERT_EQ(total(reader), total(*writer)) << "after commit " << i;
  }
  EXPECT_EQ(total(reader), expected);
  // SQLite alone would drop the mapping at each of the 60 reads after a commit.
  EXPECT_LE(kept_map_drops() - drops, 2u);
  EXPECT_TRUE(cc::unit::intact(reader));
}

TEST(KeptMapVfs, AFileThatGrewIsReadPastTheOldMapAndMappedAfresh) {
  cc::unit::TempDir dir;
  auto path = dir.file("grown.db");
  auto writer = open_writer(path, 2000);
  Connection reader(path, Access::read_only, 1000);
  ASSERT_EQ(rows(reader), 2000);
  const auto before = std::filesystem::file_size(path);
  const auto drops = kept_map_drops();
  writer->exec("INSERT INTO t(n, v) SELECT 1, randomblob(200) FROM t");
  writer->exec("PRAGMA wal_checkpoint(PASSIVE)");
  ASSERT_GT(std::filesystem::file_size(path), before);
  EXPECT_EQ(rows(reader), 4000);
  writer->exec("UPDATE t SET n = 2 WHERE id > 3990");
  EXPECT_EQ(total(reader), 4010);
  EXPECT_GE(kept_map_drops() - drops, 1u) << "a file of another size is mapped again";
  EXPECT_TRUE(cc::unit::intact(reader));
}

TEST(KeptMapVfs, AFileMadeSmallerIsNeverReadPastItsEnd) {
  cc::unit::TempDir dir;
  auto path = dir.file("shrunk.db");
  auto writer = open_writer(path, 20000);
  Connection reader(path, Access::read_only, 1000);
  ASSERT_EQ(reader.scalar_int("SELECT sum(length(v)) FROM t"), 20000 * 200);  // maps every page
  const auto before = std::filesystem::file_size(path);
  writer->exec("DELETE FROM t WHERE id > 100");
  writer->exec("VACUUM");
  writer->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  ASSERT_LT(std::filesystem::file_size(path), before / 10);
  // A read through the old, longer mapping past the file's end would end the process
  // (SIGBUS); the shorter file is mapped afresh.
  EXPECT_EQ(rows(reader), 100);
  EXPECT_EQ(reader.scalar_int("SELECT sum(length(v)) FROM t"), 100 * 200);
  EXPECT_TRUE(cc::unit::intact(reader));
}

TEST(KeptMapVfs, TheStoresReadersOpenTheDatabaseThroughIt) {
  cc::unit::TempDir dir;
  StoreOptions o;
  o.path = dir.file("store.db");
  Store store(o);
  sqlite3_vfs* vfs = nullptr;
  sqlite3_file_control(store.reader().raw().getHandle(), "main", SQLITE_FCNTL_VFS_POINTER, &vfs);
  ASSERT_NE(vfs, nullptr);
  EXPECT_STREQ(vfs->zName, kept_map_vfs());
}
