// The store's page cache skips SQLite's scan of the whole cache at each commit unless a
// page past the database's end may be held, and still drops such pages when there are.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <string>

#include "store/connection.hpp"
#include "store/page_cache.hpp"
#include "store/sqlite_setup.hpp"
#include "integrity.hpp"
#include "temp_db.hpp"

using namespace cc::store;

namespace {

// A table whose index takes keys in random order, so that inserts split index pages all
// over the tree: the splits that make SQLite swap page numbers through the lock page.
std::unique_ptr<Connection> open_db(const std::string& path) {
  auto c = std::make_unique<Connection>(path, Access::read_write, 1000);
  c->exec("PRAGMA journal_mode = WAL");
  c->exec("PRAGMA cache_size = -65536");
  c->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, k BLOB NOT NULL)");
  c->exec("CREATE INDEX t_by_k ON t(k)");
  return c;
}

void insert_random_rows(Connection& c, int rows) {
  // One statement a row: a set-based insert would add a temporary table's cache of its own.
  const bool own_transaction = !c.in_transaction();
  if (own_transaction) c.exec("BEGIN");
  auto st = c.prepare("INSERT INTO t(k) VALUES (randomblob(40))");
  for (int i = 0; i < rows; ++i) {
    st->exec();
    st->reset();
  }
  if (own_transaction) c.exec("COMMIT");
}

}  // namespace

TEST(SqliteSetup, TheStoresSettingsTakeEffectBeforeSQLiteStarts) {
  cc::unit::TempDir dir;
  auto c = open_db(dir.file("setup.db"));
  insert_random_rows(*c, 1000);
  EXPECT_TRUE(sqlite_configured());
  // With the global memory statistics off, SQLite counts nothing.
  EXPECT_EQ(sqlite3_memory_used(), 0);
}

TEST(PageCache, CommitsWhosePageSplitsSwapPageNumbersDoNotScanTheCache) {
  cc::unit::TempDir dir;
  auto c = open_db(dir.file("splits.db"));
  insert_random_rows(*c, 20000);  // a tree several levels deep
  const auto swaps = page_cache::swaps_parked();
  const auto passed = page_cache::truncates_passed_on();
  for (int i = 0; i < 50; ++i) insert_random_rows(*c, 200);
  EXPECT_GT(page_cache::swaps_parked(), swaps + 10) << "the inserts should have swapped page numbers";
  // Each of these 50 commits would have scanned SQLite's whole cache.
  EXPECT_LE(page_cache::truncates_passed_on(), passed + 2);
  EXPECT_EQ(c->scalar_int("SELECT count(*) FROM t"), 30000);
  EXPECT_TRUE(cc::unit::intact(*c));
}

TEST(PageCache, ARolledBackGrowthStillDropsThePagesPastTheEnd) {
  cc::unit::TempDir dir;
  auto c = open_db(dir.file("rollback.db"));
  insert_random_rows(*c, 5000);
  const auto pages = c->scalar_int("PRAGMA page_count");
  const auto passed = page_cache::truncates_passed_on();
  c->exec("BEGIN");
  insert_random_rows(*c, 20000);  // grows the database, then takes it back
  ASSERT_GT(c->scalar_int("PRAGMA page_count"), pages);
  c->exec("ROLLBACK");
  EXPECT_GT(page_cache::truncates_passed_on(), passed);
  EXPECT_EQ(c->scalar_int("PRAGMA page_count"), pages);
  // Growing again over the same page numbers reads none of the rolled-back pages.
  insert_random_rows(*c, 3000);
  EXPECT_EQ(c->scalar_int("SELECT count(*) FROM t"), 8000);
  EXPECT_TRUE(cc::unit::intact(*c));
  Connection reader(dir.file("rollback.db"), Access::read_only, 1000);
  EXPECT_EQ(reader.scalar_int("SELECT count(*) FROM t"), 8000);
}
