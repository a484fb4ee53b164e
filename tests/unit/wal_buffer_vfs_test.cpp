// The writer's VFS gathers a commit's WAL writes: what it gathers must reach the file
// before anyone can read it, whatever the size of the commit.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <random>
#include <string>

#include "store/connection.hpp"
#include "store/store.hpp"
#include "store/wal_buffer_vfs.hpp"
#include "integrity.hpp"
#include "temp_db.hpp"

using namespace cc::store;

namespace {

std::unique_ptr<Connection> open_writer(const std::string& path) {
  auto c = std::make_unique<Connection>(path, Access::read_write, 1000, wal_buffer_vfs());
  c->exec("PRAGMA journal_mode = WAL");
  c->exec("PRAGMA synchronous = FULL");
  c->exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB)");
  return c;
}

std::int64_t total_length(Connection& c) { return c.scalar_int("SELECT coalesce(sum(length(v)), 0) FROM t"); }

}  // namespace

TEST(WalBufferVfs, EveryCommitIsSeenAtOnceByAConnectionOnTheDefaultVfs) {
  cc::unit::TempDir dir;
  auto path = dir.file("wal.db");
  auto writer = open_writer(path);
  Connection other(path, Access::read_write, 1000);
  std::mt19937 rng(7);
  // From one page to well past the 128 KiB the base VFS writes at a time.
  std::uniform_int_distribution<int> size(1, 600 * 1024);
  std::int64_t expected = 0;
  for (int i = 0; i < 40; ++i) {
    const int n = i == 0 ? 128 * 1024 : size(rng);
    writer->exec("BEGIN IMMEDIATE");
    auto st = writer->prepare("INSERT INTO t(v) VALUES (zeroblob(?))");
    st->bind(1, n);
    st->exec();
    writer->exec("COMMIT");
    expected += n;
    ASSERT_EQ(total_length(other), expected) << "commit " << i << " of " << n << " bytes";
  }
  writer.reset();
  EXPECT_EQ(total_length(other), expected);
  EXPECT_TRUE(cc::unit::intact(other));
}

TEST(WalBufferVfs, ATransactionReadsBackThePagesItSpilledBeforeItsCommit) {
  cc::unit::TempDir dir;
  auto path = dir.file("spill.db");
  auto writer = open_writer(path);
  writer->exec("PRAGMA cache_size = 8");  // pages: the transaction spills to the WAL early
  writer->exec("BEGIN IMMEDIATE");
  for (int i = 0; i < 3000; ++i) {
    auto st = writer->prepare("INSERT INTO t(v) VALUES (zeroblob(?))");
    st->bind(1, 300 + i % 700);
    st->exec();
  }
  std::int64_t expected = 0;
  for (int i = 0; i < 3000; ++i) expected += 300 + i % 700;
  EXPECT_EQ(total_length(*writer), expected) << "read inside the transaction";
  Connection other(path, Access::read_write, 1000);
  EXPECT_EQ(total_length(other), 0) << "nothing is seen before the commit";
  writer->exec("COMMIT");
  EXPECT_EQ(total_length(other), expected);
}

TEST(WalBufferVfs, TheStoresWriterOpensTheDatabaseThroughIt) {
  cc::unit::TempDir dir;
  StoreOptions o;
  o.path = dir.file("store.db");
  Store store(o);
  sqlite3_vfs* vfs = nullptr;
  store.write_sync([&vfs](WriteTx& tx) {
    sqlite3_file_control(tx.conn.raw().getHandle(), "main", SQLITE_FCNTL_VFS_POINTER, &vfs);
  });
  ASSERT_NE(vfs, nullptr);
  EXPECT_STREQ(vfs->zName, wal_buffer_vfs());
}
