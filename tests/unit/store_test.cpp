// The single writer: group commit, a savepoint per command, events published only for
// what committed, bounded queue, draining at stop.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <limits>
#include <map>
#include <thread>

#include "domain/error.hpp"
#include "store/events_repo.hpp"
#include "store/ideas_repo.hpp"
#include "store/store.hpp"
#include "temp_db.hpp"

using namespace cc::store;
using namespace std::chrono_literals;

namespace {

// Runs completions on the thread that finishes a batch (the WAL syncer's), at once.
void inline_poster(int, std::function<void()> fn) { fn(); }

EventRecord event(const std::string& type) {
  EventRecord e;
  e.type = type;
  e.topics = {"test:1", "test:all"};
  e.data = R"({"type":")" + type + "\"}";
  e.created_at = "2026-11-22T09:30:00Z";
  return e;
}

// A store on a fresh database with a scratch table, and a way to hold the writer busy
// so that the writes queued meanwhile land in one batch.
struct StoreFixture {
  cc::unit::TempDir dir;
  Store store;
  std::mutex mutex;
  std::vector<std::size_t> batches;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();

  // `start` starts the writer its own way (default: completions run inline).
  explicit StoreFixture(StoreOptions o = {}, const std::function<void(Store&)>& start = {})
      : store(with_path(std::move(o), dir.file("store.db"))) {
    store.write_sync([](WriteTx& tx) { tx.conn.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, who INTEGER, v TEXT)"); });
    store.on_batch([this](std::size_t n, double) {
      std::lock_guard lock(mutex);
      batches.push_back(n);
    });
    if (start) start(store);
    else store.start(inline_poster);
  }
  ~StoreFixture() {
    // Never leave the writer held: the store's destructor waits for it.
    try { release.set_value(); } catch (const std::future_error&) {}
  }
  static StoreOptions with_path(StoreOptions o, std::string path) {
    o.path = std::move(path);
    return o;
  }

  // Queues a write that blocks the writer until release is set; returns once it runs.
  void hold_writer(std::function<void(std::exception_ptr)> done) {
    auto entered = std::make_shared<std::promise<void>>();
    auto f = entered->get_future();
    store.write(
        [entered, r = released](WriteTx& tx) {
          entered->set_value();
          r.wait();
          tx.conn.exec("INSERT INTO t(who, v) VALUES (-1, 'gate')");
        },
        std::move(done));
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  }
  void wait_queued(std::size_t n) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (store.queued() < n && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
    ASSERT_EQ(store.queued(), n);
  }
  std::int64_t count(const std::string& where = "1") {
    return store.reader().scalar_int("SELECT count(*) FROM t WHERE " + where);
  }
  // Commits a row of 3,000 bytes as `who`: three or four WAL frames of 2 KiB (a leaf, an
  // overflow page, every other time a split).
  void write_large(int who) {
    static const std::string text(3000, 'x');
    store.write_sync([who](WriteTx& tx) {
      auto st = tx.conn.prepare("INSERT INTO t(who, v) VALUES (?, ?)");
      st->bind(1, who);
      st->bind(2, text);
      st->exec();
    });
  }
  std::vector<std::size_t> batch_sizes() {
    std::lock_guard lock(mutex);
    return batches;
  }
};

// Counts completions and lets a test wait for a number of them.
struct Completions {
  std::mutex m;
  std::condition_variable cv;
  int ok = 0;
  std::vector<std::exception_ptr> errors;
  std::function<void(std::exception_ptr)> done() {
    return [this](std::exception_ptr e) {
      std::lock_guard lock(m);
      if (e) errors.push_back(e); else ++ok;
      cv.notify_all();
    };
  }
  bool wait_for(int n) {
    std::unique_lock lock(m);
    return cv.wait_for(lock, 30s, [&] { return ok + static_cast<int>(errors.size()) >= n; });
  }
};

}  // namespace

TEST(Store, ConcurrentWritesAreCommittedInGroups) {
  StoreFixture fx;
  Completions c;
  fx.hold_writer(c.done());
  std::vector<std::thread> threads;
  for (int who = 0; who < 4; ++who) {
    threads.emplace_back([&fx, &c, who] {
      for (int i = 0; i < 50; ++i) {
        fx.store.write(
            [who, i](WriteTx& tx) {
              auto st = tx.conn.prepare("INSERT INTO t(who, v) VALUES (?, ?)");
              st->bind(1, who);
              st->bind(2, std::to_string(i));
              st->exec();
            },
            c.done());
      }
    });
  }
  for (auto& t : threads) t.join();
  fx.wait_queued(200);
  fx.release.set_value();
  ASSERT_TRUE(c.wait_for(201));
  EXPECT_EQ(c.ok, 201);
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(fx.count(), 201);
  for (int who = 0; who < 4; ++who) {
    EXPECT_EQ(fx.count("who = " + std::to_string(who)), 50);
    auto st = fx.store.reader().prepare("SELECT count(DISTINCT v) FROM t WHERE who = ?");
    st->bind(1, who);
    ASSERT_TRUE(st->executeStep());
    EXPECT_EQ(st->getColumn(0).getInt(), 50);
  }
  // The held write alone, then the 200 queued behind it in one transaction.
  EXPECT_EQ(fx.batch_sizes(), (std::vector<std::size_t>{1, 200}));
}

// The home a test thread claims (an I/O thread's index in the server).
thread_local int t_home = -1;

TEST(Store, ABatchsAnswersGoToEachWritersHomeInOneJobAHome) {
  std::mutex m;
  std::vector<int> jobs;                    // the home of each job posted, in order
  std::vector<std::pair<int, int>> answers;  // the writer's home, the home its answer ran in
  thread_local int t_job_home = -2;
  StoreFixture fx({}, [&](Store& s) {
    s.start(
        [&](int home, std::function<void()> job) {
          {
            std::lock_guard lock(m);
            jobs.push_back(home);
          }
          t_job_home = home;  // the job runs at once, on the writer's thread
          job();
          t_job_home = -2;
        },
        [] { return t_home; });
  });
  Completions c;
  fx.hold_writer(c.done());
  std::vector<std::thread> writers;
  for (int home : {0, 1}) {
    writers.emplace_back([&, home] {
      t_home = home;
      for (int i = 0; i < 20; ++i)
        fx.store.write(
            [home](WriteTx& tx) { tx.conn.exec("INSERT INTO t(who, v) VALUES (" + std::to_string(home) + ", 'x')"); },
            [&, home, done = c.done()](std::exception_ptr e) {
              {
                std::lock_guard lock(m);
                answers.emplace_back(home, t_job_home);
              }
              done(e);
            });
    });
  }
  for (auto& t : writers) t.join();
  fx.wait_queued(40);
  fx.release.set_value();
  ASSERT_TRUE(c.wait_for(41));
  EXPECT_EQ(c.ok, 41);
  std::lock_guard lock(m);
  ASSERT_EQ(answers.size(), 40u);
  for (auto [asked, ran] : answers) EXPECT_EQ(ran, asked) << "an answer ran in another thread's job";
  // The held write's answer, then one job for each home of the 40 in one batch.
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0], -1);
  EXPECT_EQ(std::min(jobs[1], jobs[2]), 0);
  EXPECT_EQ(std::max(jobs[1], jobs[2]), 1);
}

TEST(Store, BatchesAreCappedAtMaxBatch) {
  StoreOptions o;
  o.max_batch = 16;
  StoreFixture fx(o);
  Completions c;
  fx.hold_writer(c.done());
  for (int i = 0; i < 40; ++i)
    fx.store.write([](WriteTx& tx) { tx.conn.exec("INSERT INTO t(who, v) VALUES (1, 'x')"); }, c.done());
  fx.wait_queued(40);
  fx.release.set_value();
  ASSERT_TRUE(c.wait_for(41));
  EXPECT_EQ(fx.count("who = 1"), 40);
  EXPECT_EQ(fx.batch_sizes(), (std::vector<std::size_t>{1, 16, 16, 8}));
}

TEST(Store, AFailedWriteLeavesNoTraceAndTheOthersInItsBatchCommit) {
  StoreFixture fx;
  std::mutex m;
  std::vector<std::string> published;
  std::vector<std::int64_t> published_seqs;
  fx.store.on_commit([&](const EventBatch& batch) {
    std::lock_guard lock(m);
    for (const auto& e : batch) {
      published.push_back(e->type);
      published_seqs.push_back(e->seq);
    }
  });
  Completions gate;
  fx.hold_writer(gate.done());

  std::promise<std::exception_ptr> a, b, c, d;
  std::int64_t visible_when_a_done = -1;
  fx.store.write(
      [](WriteTx& tx) {
        tx.conn.exec("INSERT INTO t(who, v) VALUES (1, 'a')");
        tx.append_event(event("test.a"));
      },
      [&](std::exception_ptr e) {
        // Told only after the commit: another connection already sees the row.
        visible_when_a_done = fx.count("v = 'a'");
        a.set_value(e);
      });
  fx.store.write(
      [](WriteTx& tx) {
        tx.conn.exec("INSERT INTO t(who, v) VALUES (1, 'b')");
        tx.append_event(event("test.b"));
        throw cc::domain::conflict("that cannot happen now");
      },
      [&](std::exception_ptr e) { b.set_value(e); });
  fx.store.write(
      [](WriteTx& tx) {
        tx.conn.exec("INSERT INTO t(who, v) VALUES (1, 'c')");
        tx.append_event(event("test.c"));
      },
      [&](std::exception_ptr e) { c.set_value(e); });
  fx.store.write(
      [](WriteTx& tx) {
        tx.append_event(event("test.d"));
        tx.conn.exec("INSERT INTO t(who, v) VALUES (1, 'd')");
        tx.conn.exec("INSERT INTO no_such_table VALUES (1)");  // a SQL error half-way
      },
      [&](std::exception_ptr e) { d.set_value(e); });
  fx.wait_queued(4);
  fx.release.set_value();

  auto ea = a.get_future().get();
  auto eb = b.get_future().get();
  auto ec = c.get_future().get();
  auto ed = d.get_future().get();
  EXPECT_FALSE(ea);
  EXPECT_FALSE(ec);
  ASSERT_TRUE(eb);
  ASSERT_TRUE(ed);
  // The caller gets its own error back, unchanged.
  try {
    std::rethrow_exception(eb);
  } catch (const cc::domain::Error& e) {
    EXPECT_EQ(e.kind(), cc::domain::ErrorKind::conflict);
  } catch (...) {
    ADD_FAILURE() << "expected the domain error";
  }
  EXPECT_THROW(std::rethrow_exception(ed), SQLite::Exception);
  EXPECT_EQ(visible_when_a_done, 1);

  EXPECT_EQ(fx.count("v = 'a'"), 1);
  EXPECT_EQ(fx.count("v = 'b'"), 0);
  EXPECT_EQ(fx.count("v = 'c'"), 1);
  EXPECT_EQ(fx.count("v = 'd'"), 0);
  EXPECT_EQ(fx.batch_sizes(), (std::vector<std::size_t>{1, 4})) << "all four were in one transaction";

  // The event log holds only the events of the writes that committed...
  auto& r = fx.store.reader();
  std::vector<std::string> logged;
  std::vector<std::int64_t> logged_seqs;
  auto st = r.prepare("SELECT seq, type FROM events ORDER BY seq");
  while (st->executeStep()) {
    logged_seqs.push_back(st->getColumn(0).getInt64());
    logged.push_back(st->getColumn(1).getString());
  }
  EXPECT_EQ(logged, (std::vector<std::string>{"test.a", "test.c"}));
  EXPECT_EQ(r.scalar_int("SELECT count(*) FROM event_topics"), 4);
  // ...and only those were published, once, in order, with their committed seq.
  std::lock_guard lock(m);
  EXPECT_EQ(published, (std::vector<std::string>{"test.a", "test.c"}));
  EXPECT_EQ(published_seqs, logged_seqs);
}

TEST(Store, AFailedWriteOnItsOwnPublishesNothing) {
  StoreFixture fx;
  std::atomic<int> published{0};
  fx.store.on_commit([&](const EventBatch& batch) { published += static_cast<int>(batch.size()); });
  EXPECT_THROW(fx.store.write_sync([](WriteTx& tx) {
    tx.append_event(event("test.x"));
    throw std::runtime_error("no");
  }),
               std::runtime_error);
  EXPECT_EQ(published.load(), 0);
  EXPECT_EQ(fx.store.reader().scalar_int("SELECT count(*) FROM events"), 0);
  fx.store.write_sync([](WriteTx& tx) { tx.append_event(event("test.y")); });
  EXPECT_EQ(published.load(), 1);
}

TEST(Store, AFullQueueRefusesWritesAsUnavailable) {
  StoreOptions o;
  o.max_queue = 5;
  StoreFixture fx(o);
  Completions c;
  fx.hold_writer(c.done());
  for (int i = 0; i < 5; ++i)
    fx.store.write([](WriteTx& tx) { tx.conn.exec("INSERT INTO t(who, v) VALUES (2, 'q')"); }, c.done());
  fx.wait_queued(5);
  std::exception_ptr refused;
  bool ran = false;
  fx.store.write([&ran](WriteTx&) { ran = true; }, [&refused](std::exception_ptr e) { refused = e; });
  ASSERT_TRUE(refused) << "the sixth write waits for nothing: it is refused at once";
  try {
    std::rethrow_exception(refused);
  } catch (const cc::domain::Error& e) {
    EXPECT_EQ(e.kind(), cc::domain::ErrorKind::unavailable);
  } catch (...) {
    ADD_FAILURE() << "expected a domain error";
  }
  fx.release.set_value();
  ASSERT_TRUE(c.wait_for(6));
  EXPECT_EQ(c.ok, 6);
  EXPECT_FALSE(ran);
  EXPECT_EQ(fx.count("who = 2"), 5);
}

TEST(Store, StopFinishesTheQueuedWritesThenRefusesNewOnes) {
  StoreFixture fx;
  Completions c;
  fx.hold_writer(c.done());
  for (int i = 0; i < 10; ++i)
    fx.store.write([](WriteTx& tx) { tx.conn.exec("INSERT INTO t(who, v) VALUES (3, 's')"); }, c.done());
  fx.wait_queued(10);
  std::thread stopper([&] { fx.store.stop(); });
  // Once stop() has begun, new writes are refused at once, while the writer still works.
  std::atomic<bool> refused{false};
  int probes = 0;
  while (!refused) {
    ++probes;
    fx.store.write([](WriteTx& tx) { tx.conn.exec("INSERT INTO t(who, v) VALUES (4, 'probe')"); },
                   [&refused, done = c.done()](std::exception_ptr e) {
                     if (e) refused = true; else done(nullptr);
                   });
    std::this_thread::sleep_for(1ms);
  }
  fx.release.set_value();
  stopper.join();
  EXPECT_EQ(c.ok, 11 + (probes - 1));
  EXPECT_EQ(fx.count("who = 3"), 10) << "everything queued before stop() was committed";
  std::exception_ptr after;
  fx.store.write([](WriteTx&) {}, [&after](std::exception_ptr e) { after = e; });
  EXPECT_TRUE(after);
}

TEST(Store, TheWalIsWrittenFromTheStartAgainWhileAReaderKeepsItsSnapshotParked) {
  // SQLite writes the WAL from its start again only when every frame has been copied
  // and no reader uses it. A reader's parked snapshot (ReadTx) used to keep that from
  // ever happening, and under steady writes the WAL grew by gigabytes.
  StoreOptions o;
  o.checkpoint_pages = 16;
  StoreFixture fx(o);
  auto& reader = fx.store.reader();
  {
    ReadTx read(reader);
    EXPECT_EQ(reader.scalar_int("SELECT count(*) FROM t"), 0);
  }  // parked now, and this thread reads no more while the writes go on
  for (int i = 0; i < 300; ++i) fx.write_large(8);
  EXPECT_GT(fx.store.wal_restarts(), 0u);
  // Over a thousand frames were written; restarted past 32, the file holds about as many.
  auto wal = std::filesystem::file_size(fx.store.path() + "-wal");
  EXPECT_LT(wal, 1024u * 1024u) << "the WAL kept growing";
  // The ended snapshot is not seen again: a new read sees every commit.
  ReadTx read(reader);
  EXPECT_EQ(reader.scalar_int("SELECT count(*) FROM t WHERE who = 8"), 300);
}

TEST(Store, AReaderInTheMiddleOfAReadIsWaitedForBrieflyAndTheWalRestartsOnceItEnds) {
  StoreOptions o;
  o.checkpoint_pages = 16;
  StoreFixture fx(o);
  auto& reader = fx.store.reader();
  {
    ReadTx read(reader);  // a long report: its snapshot cannot be ended under it
    EXPECT_EQ(reader.scalar_int("SELECT count(*) FROM t"), 0);
    for (int i = 0; i < 100; ++i) fx.write_large(9);
    EXPECT_EQ(fx.store.wal_restarts(), 0u);
    EXPECT_EQ(reader.scalar_int("SELECT count(*) FROM t"), 0) << "its snapshot held";
  }
  // The writes went on meanwhile; once the reader is done, the WAL restarts again
  // (after the back-off that keeps a long reader from costing every commit a wait).
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (fx.store.wal_restarts() == 0 && std::chrono::steady_clock::now() < deadline) {
    fx.write_large(9);
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_GT(fx.store.wal_restarts(), 0u);
  EXPECT_GE(fx.count("who = 9"), 100);
}

TEST(Store, TheCheckpointersThreadCopiesOncePerCheckpointSizeOfNewFramesNotPerCommit) {
  // A pass after every commit copied a page that each commit rewrites (the newest rows',
  // the counters') again and again; a pass per `checkpoint_pages` new frames copies it once.
  StoreOptions o;
  o.checkpoint_pages = 32;
  StoreFixture fx(o);
  {
    // From an empty WAL, whatever the schema's migrations left in it: the WAL is written
    // from the start again at 64 frames, which the writes below stay under.
    SQLite::Database other(fx.store.path(), SQLite::OPEN_READWRITE);
    other.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  auto& reader = fx.store.reader();
  for (int i = 0; i < 15; ++i) {
    {
      // A reader on the newest snapshot, parked: it lets every frame be copied but
      // keeps SQLite from writing the WAL from the start again by itself.
      ReadTx read(reader);
      reader.scalar_int("SELECT count(*) FROM t");
    }
    fx.write_large(10);
    std::this_thread::sleep_for(5ms);  // time for a pass after each commit, were one asked for
  }
  EXPECT_GE(fx.store.checkpoints(), 1u);
  EXPECT_LE(fx.store.checkpoints(), 2u) << "53 frames make one pass of 32";
  EXPECT_EQ(fx.store.wal_restarts(), 0u);
}

TEST(Store, TheCheckpointersThreadFlushesTheDatabaseFileAfterEachPass) {
  // SQLite flushes the database file only when a checkpoint has copied the whole WAL:
  // the writer's restart, with every write waiting, flushed all that the passes had
  // copied since the last one (110-135 ms under votes).
  StoreOptions o;
  o.checkpoint_pages = 128;
  StoreFixture fx(o);
  auto& reader = fx.store.reader();
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (fx.store.wal_restarts() < 2 && std::chrono::steady_clock::now() < deadline) {
    {
      // Parked on the newest snapshot: every frame may be copied, but SQLite does not
      // write the WAL from the start again by itself.
      ReadTx read(reader);
      reader.scalar_int("SELECT count(*) FROM t");
    }
    fx.write_large(12);
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_GE(fx.store.wal_restarts(), 2u);
  EXPECT_GE(fx.store.checkpointer().database_flushes(), 2u) << "what the passes copied waited for the restart's flush";
}

TEST(Store, AWalRestartWaitsUntilTheCheckpointersThreadHasCopiedNearlyEverything) {
  // A long reader kept the passes from copying past its snapshot while the WAL grew past
  // the restart's size. Once it is done, the writer's restart would copy everything
  // since, with every write waiting; it now waits for a pass to do it first.
  StoreOptions o;
  o.checkpoint_pages = 256;  // a restart from 512 frames, with at most 256 / 8 = 32 left
  StoreFixture fx(o);
  {
    SQLite::Database other(fx.store.path(), SQLite::OPEN_READWRITE);
    other.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  auto& reader = fx.store.reader();
  auto park = [&reader] {
    ReadTx read(reader);
    reader.scalar_int("SELECT count(*) FROM t");
  };
  for (int i = 0; i < 30; ++i) {
    park();
    fx.write_large(13);
  }
  std::promise<void> done_reading;
  std::promise<void> reading;
  std::thread long_reader([&] {
    auto& mine = fx.store.reader();
    ReadTx read(mine);
    mine.scalar_int("SELECT count(*) FROM t");
    reading.set_value();
    done_reading.get_future().wait();
  });
  reading.get_future().wait();
  auto wal_frames = [&fx] {  // the WAL is written from its start, never shrunk
    return (std::filesystem::file_size(fx.store.path() + "-wal") - 32) / (2048 + 24);
  };
  for (int i = 0; i < 200 && wal_frames() < 600; ++i) fx.write_large(13);
  ASSERT_GE(wal_frames(), 600u) << "past the restart's 512 frames";
  ASSERT_LT(wal_frames(), 1024u) << "short of the 1,024 at which a restart stops waiting for copies";
  EXPECT_EQ(fx.store.wal_restarts(), 0u) << "the long reader holds the WAL";
  done_reading.set_value();
  long_reader.join();
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (fx.store.wal_restarts() == 0 && std::chrono::steady_clock::now() < deadline) {
    park();
    fx.write_large(13);
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(fx.store.wal_restarts(), 1u);
  EXPECT_LE(fx.store.checkpointer().most_left_for_a_restart(), 32) << "the restart copied what the reader had held up";
}

TEST(Store, ANewDatabaseHasPagesOf2KiBAndAnExistingOneKeepsItsOwn) {
  StoreFixture fx;
  EXPECT_EQ(fx.store.reader().scalar_int("PRAGMA page_size"), 2048);

  cc::unit::TempDir dir;
  const auto path = dir.file("old.db");
  {
    SQLite::Database old(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    old.exec("PRAGMA page_size = 4096; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('kept')");
  }
  Store store(StoreOptions{path});
  store.start(inline_poster);
  store.write_sync([](WriteTx& tx) { tx.conn.exec("INSERT INTO t(v) VALUES ('new')"); });
  EXPECT_EQ(store.reader().scalar_int("PRAGMA page_size"), 4096);
  EXPECT_EQ(store.reader().scalar_int("SELECT count(*) FROM t"), 2);
}

TEST(Store, WriteSyncRethrowsTheWritersError) {
  StoreFixture fx;
  EXPECT_THROW(fx.store.write_sync([](WriteTx&) { throw cc::domain::not_found("that idea"); }), cc::domain::Error);
  fx.store.write_sync([](WriteTx& tx) { tx.conn.exec("INSERT INTO t(who, v) VALUES (5, 'sync')"); });
  EXPECT_EQ(fx.count("who = 5"), 1);
}

TEST(Store, TheWalIsCheckpointedOnTheCheckpointersThreadOnceItIsLarge) {
  StoreOptions o;
  o.checkpoint_pages = 16;
  StoreFixture fx(o);
  EXPECT_EQ(fx.store.checkpoints(), 0u);
  // Each commit adds a few pages of 4 KiB to the WAL: 40 of them cross 16 frames often.
  for (int i = 0; i < 40; ++i) fx.write_large(6);
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (fx.store.checkpoints() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  EXPECT_GT(fx.store.checkpoints(), 0u);
  EXPECT_EQ(fx.count("who = 6"), 40);
  fx.store.stop();
  // Stopped (the writer's checkpoints handed back), the store still takes writes on the
  // caller's thread, as the admin CLI's does.
  fx.store.write_sync([](WriteTx& tx) { tx.conn.exec("INSERT INTO t(who, v) VALUES (7, 'after')"); });
  EXPECT_EQ(fx.count("who = 7"), 1);
}

// A sync of the WAL that waits for the test to let it go, and counts its calls.
struct HeldSync {
  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  int calls = 0;
  bool result = true;
  WalSyncer::Sync sync() {
    return [this] {
      std::unique_lock lock(m);
      ++calls;
      cv.notify_all();
      cv.wait_for(lock, 30s, [&] { return open; });
      return result;
    };
  }
  void let_go() {
    std::lock_guard lock(m);
    open = true;
    cv.notify_all();
  }
  bool wait_called() {
    std::unique_lock lock(m);
    return cv.wait_for(lock, 10s, [&] { return calls > 0; });
  }
};

TEST(Store, TheWriterGoesOnWhileTheLastBatchWaitsForTheDisk) {
  HeldSync disk;
  StoreOptions o;
  o.sync_wal = disk.sync();
  StoreFixture fx(o);
  std::mutex m;
  std::vector<std::string> answered;
  auto answer = [&](std::string who) {
    return [&, who](std::exception_ptr e) {
      std::lock_guard lock(m);
      answered.push_back(e ? who + " failed" : who);
    };
  };
  fx.store.write([](WriteTx& tx) { tx.conn.exec("INSERT INTO t(who, v) VALUES (1, 'first')"); }, answer("first"));
  ASSERT_TRUE(disk.wait_called());  // the first batch is committed and waits for the disk
  std::promise<void> second_ran;
  fx.store.write(
      [&](WriteTx& tx) {
        tx.conn.exec("INSERT INTO t(who, v) VALUES (2, 'second')");
        second_ran.set_value();
      },
      answer("second"));
  ASSERT_EQ(second_ran.get_future().wait_for(10s), std::future_status::ready) << "the writer waited for the disk";
  {
    std::lock_guard lock(m);
    EXPECT_TRUE(answered.empty()) << "an answer went out before its write was on disk";
  }
  EXPECT_EQ(fx.count("who = 1"), 1);  // committed, so readers see it
  disk.let_go();
  fx.store.stop();
  std::lock_guard lock(m);
  EXPECT_EQ(answered, (std::vector<std::string>{"first", "second"}));
}

// Readers see a batch once it commits; the event log is read back only once the batch
// is durable, so nobody replays an event that a power cut could still take away.
TEST(Store, EventsAreReadBackOnlyOnceTheyAreDurable) {
  HeldSync disk;
  StoreOptions o;
  o.sync_wal = disk.sync();
  StoreFixture fx(o);
  EXPECT_EQ(fx.store.events_durable_through(), std::numeric_limits<std::int64_t>::max()) << "nothing waits";
  Completions c;
  fx.store.write([](WriteTx& tx) { tx.append_event(event("idea.created")); }, c.done());
  ASSERT_TRUE(disk.wait_called());  // committed, and waiting for the disk
  auto& r = fx.store.reader();
  const auto all = std::numeric_limits<std::int64_t>::max();
  {
    ReadTx read(r);
    ASSERT_EQ(events_since(r, 0, {}, 10, all).events.size(), 1u) << "committed: the row is there";
    const auto seq = events_since(r, 0, {}, 10, all).events[0].seq;
    EXPECT_EQ(fx.store.events_durable_through(), seq - 1);
    EXPECT_TRUE(events_since(r, 0, {}, 10, fx.store.events_durable_through()).events.empty());
    EXPECT_TRUE(events_since(r, 0, {"test:1"}, 10, fx.store.events_durable_through()).events.empty());
  }
  disk.let_go();
  ASSERT_TRUE(c.wait_for(1));
  EXPECT_EQ(fx.store.events_durable_through(), all);
  ReadTx read(r);
  EXPECT_EQ(events_since(r, 0, {"test:1"}, 10, fx.store.events_durable_through()).events.size(), 1u);
}

TEST(Store, AFailedSyncAnswersUnavailablePublishesNothingAndRefusesLaterWrites) {
  HeldSync disk;
  disk.result = false;
  disk.let_go();
  StoreOptions o;
  o.sync_wal = disk.sync();
  StoreFixture fx(o);
  int published = 0;
  fx.store.on_commit([&](const EventBatch& events) { published += static_cast<int>(events.size()); });
  Completions c;
  fx.store.write([](WriteTx& tx) { tx.append_event(event("idea.created")); }, c.done());
  ASSERT_TRUE(c.wait_for(1));
  ASSERT_EQ(c.errors.size(), 1u);
  try {
    std::rethrow_exception(c.errors[0]);
  } catch (const cc::domain::Error& e) {
    EXPECT_EQ(e.kind(), cc::domain::ErrorKind::unavailable);
  }
  bool ran = false;
  fx.store.write([&](WriteTx&) { ran = true; }, c.done());
  ASSERT_TRUE(c.wait_for(2));
  EXPECT_EQ(c.errors.size(), 2u);
  fx.store.stop();
  EXPECT_FALSE(ran) << "a write ran after the disk failed";
  EXPECT_EQ(published, 0);
  EXPECT_EQ(fx.store.events_durable_through(), 0) << "the event may not be on disk: it is never read back";
}

TEST(WalFileSync, SyncsTheWalFileAndFailsWithoutOne) {
  cc::unit::TempDir dir;
  const auto db = dir.file("sync.db");
  auto sync = wal_file_sync(db);
  EXPECT_FALSE(sync());  // no WAL yet
  { std::ofstream(db + "-wal") << "frames"; }
  EXPECT_TRUE(sync());
  // Replaced by another file: the new one is synced, through a descriptor of its own,
  // and none is kept on the removed one (an fdatasync there would succeed and sync
  // nothing of the new file).
  std::filesystem::remove(db + "-wal");
  EXPECT_FALSE(sync());
  { std::ofstream(db + "-wal") << "other frames"; }
  EXPECT_TRUE(sync());
  int on_new = 0, on_removed = 0;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(fd.path(), ec).string();
    on_new += target == db + "-wal";
    on_removed += target == db + "-wal (deleted)";
  }
  EXPECT_EQ(on_new, 1);
  EXPECT_EQ(on_removed, 0);
}

TEST(EventLog, PruningRemovesOldEventsWithTheirTopicsAndKeepsTheRest) {
  StoreFixture fx;
  fx.store.write_sync([](WriteTx& tx) {
    for (const char* at : {"2026-01-05T08:00:00Z", "2026-02-10T08:00:00Z", "2026-05-31T23:59:59Z",
                           "2026-06-01T00:00:00Z", "2026-11-22T09:30:00Z"}) {
      auto e = event("vote.changed");
      e.created_at = at;
      tx.append_event(e);
    }
  });
  int pruned = -1;
  fx.store.write_sync([&](WriteTx& tx) { pruned = prune_events(tx.conn, "2026-06-01T00:00:00Z"); });
  EXPECT_EQ(pruned, 3);
  auto& r = fx.store.reader();
  EXPECT_EQ(r.scalar_int("SELECT count(*) FROM events"), 2);
  EXPECT_EQ(r.scalar_int("SELECT count(*) FROM event_topics"), 4);  // no topic left without its event
  auto kept = events_since(r, 0, {"test:1"}, 100).events;
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].created_at, "2026-06-01T00:00:00Z");
  EXPECT_EQ(kept[1].created_at, "2026-11-22T09:30:00Z");
  EXPECT_EQ(kept[1].topics, (std::vector<std::string>{"test:1", "test:all"}));
  // A replay from before the pruned events starts at the oldest one kept.
  EXPECT_EQ(events_since(r, 0, {}, 100).events.size(), 2u);
}

TEST(EventLog, PruningKeepsTheNewestEventSoThatSeqsNeverGoBack) {
  StoreFixture fx;
  fx.store.write_sync([](WriteTx& tx) {
    for (int i = 0; i < 3; ++i) tx.append_event(event("vote.changed"));
  });
  int pruned = -1;
  fx.store.write_sync([&](WriteTx& tx) { pruned = prune_events(tx.conn, "2027-01-01T00:00:00Z"); });  // all are older
  EXPECT_EQ(pruned, 2);
  auto& r = fx.store.reader();
  EXPECT_EQ(r.scalar_int("SELECT group_concat(seq) FROM events"), 3);
  EXPECT_EQ(r.scalar_int("SELECT count(*) FROM event_topics"), 2);  // the newest event's
  std::int64_t next = 0;
  fx.store.write_sync([&](WriteTx& tx) { next = tx.append_event(event("vote.changed")); });
  EXPECT_EQ(next, 4);
}

// An event about an idea, on its challenge's topic and its own.
EventRecord idea_event(std::int64_t challenge, std::int64_t idea) {
  EventRecord e;
  e.type = "vote.changed";
  e.topics = {challenge_topic_name(challenge), idea_topic_name(idea)};
  e.data = "{}";
  e.created_at = "2026-11-22T09:30:00Z";
  return e;
}

// An event on challenge 1 and idea 11 as the log held it before migration 0006 (both
// topics in event_topics, `idea` 0) or before 0008 (the challenge's topic there).
std::int64_t append_legacy_event(WriteTx& tx, std::int64_t idea) {
  auto st = tx.conn.prepare("INSERT INTO events(type, data, created_at, idea_id) VALUES ('vote.changed', '{}', "
                            "'2026-11-22T09:30:00Z', ?)");
  if (idea) st->bind(1, idea); else st->bind(1);
  st->exec();
  const auto seq = tx.conn.last_insert_id();
  tx.conn.exec("INSERT INTO event_topics(topic, seq) VALUES ('challenge:1', " + std::to_string(seq) + ")");
  if (!idea) tx.conn.exec("INSERT INTO event_topics(topic, seq) VALUES ('idea:11', " + std::to_string(seq) + ")");
  return seq;
}

// Two ideas of challenge 1, one of challenge 2.
void add_ideas(Store& store) {
  store.write_sync([](WriteTx& tx) {
    tx.conn.exec("INSERT INTO users(id, email, display_name, profession, organisation, role, password_hash, created_at) "
                 "VALUES (1, 'a@nhs.net', 'A', 'nurse', 'A trust', 'staff', 'x', '2026-01-01T00:00:00Z')");
    tx.conn.exec("INSERT INTO challenges(id, title, status, created_at, updated_at) VALUES "
                 "(1, 'One', 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
                 "(2, 'Two', 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
    tx.conn.exec("INSERT INTO ideas(id, challenge_id, author_id, title, body, tags_text, created_ts, created_at, updated_at) "
                 "VALUES (11, 1, 1, 'a', 'b', '', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
                 "(12, 1, 1, 'a', 'b', '', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
                 "(21, 2, 1, 'a', 'b', '', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
  });
}

TEST(EventLog, AnIdeasEventsAreKeptInTheirOwnRowAndReplayedOnTheIdeasTopic) {
  StoreFixture fx;
  add_ideas(fx.store);
  fx.store.write_sync([](WriteTx& tx) {
    append_legacy_event(tx, 0);         // 1: as stored before migration 0006
    tx.append_event(idea_event(1, 11));         // 2
    tx.append_event(idea_event(1, 12));         // 3: the other idea of the challenge
    tx.append_event(idea_event(2, 21));         // 4
    tx.append_event(idea_event(1, 11));         // 5
  });
  auto& r = fx.store.reader();
  // Only the event stored the old way has a topic row for its idea.
  EXPECT_EQ(r.scalar_int("SELECT count(*) FROM event_topics WHERE topic LIKE 'idea:%'"), 1);
  EXPECT_EQ(r.scalar_int("SELECT count(*) FROM events WHERE idea_id IS NOT NULL"), 4);

  auto page = events_since(r, 0, {"idea:11"}, 100);
  EXPECT_EQ(page.searched_through, 0);
  std::vector<std::int64_t> seqs;
  for (const auto& e : page.events) seqs.push_back(e.seq);
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{1, 2, 5}));
  for (const auto& e : page.events) EXPECT_EQ(e.topics, (std::vector<std::string>{"challenge:1", "idea:11"}));
  // Later than `since`, at most `limit`, merged with other topics in seq order.
  EXPECT_EQ(events_since(r, 1, {"idea:11"}, 1).events.at(0).seq, 2);
  seqs.clear();
  for (const auto& e : events_since(r, 0, {"idea:12", "idea:21"}, 100).events) seqs.push_back(e.seq);
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{3, 4}));
  // Every event, unfiltered, carries its idea's topic.
  for (const auto& e : events_since(r, 0, {}, 100).events) EXPECT_EQ(e.topics.size(), 2u) << e.seq;
  EXPECT_TRUE(events_since(r, 0, {"idea:99"}, 100).events.empty());
}

TEST(EventLog, AChallengesEventsAreKeptInTheirOwnRowAndReplayedWithThoseLoggedBefore) {
  StoreFixture fx;
  add_ideas(fx.store);
  fx.store.write_sync([](WriteTx& tx) {
    append_legacy_event(tx, 0);          // 1: before migration 0006
    append_legacy_event(tx, 11);         // 2: before 0008
    tx.append_event(idea_event(1, 11));  // 3
    tx.append_event(idea_event(2, 21));  // 4
    EventRecord created;                 // 5: on the challenges' list and on challenge 1
    created.type = "challenge.updated";
    created.topics = {"challenges", "challenge:1"};
    created.data = "{}";
    created.created_at = "2026-11-22T09:30:00Z";
    tx.append_event(created);
  });
  auto& r = fx.store.reader();
  // Only the events logged before have a topic row for their challenge.
  EXPECT_EQ(r.scalar_int("SELECT count(*) FROM event_topics WHERE topic LIKE 'challenge:%'"), 2);
  EXPECT_EQ(r.scalar_int("SELECT count(*) FROM events WHERE challenge_id IS NOT NULL"), 3);
  EXPECT_EQ(r.scalar_int("SELECT count(*) FROM event_topics WHERE topic = 'challenges'"), 1);

  const auto seqs_of = [&](const std::vector<std::string>& topics, std::int64_t since = 0) {
    std::vector<std::int64_t> seqs;
    for (const auto& e : events_since(r, since, topics, 100).events) seqs.push_back(e.seq);
    return seqs;
  };
  EXPECT_EQ(seqs_of({"challenge:1"}), (std::vector<std::int64_t>{1, 2, 3, 5}));
  EXPECT_EQ(seqs_of({"challenge:1"}, 2), (std::vector<std::int64_t>{3, 5}));
  EXPECT_EQ(seqs_of({"challenge:2"}), (std::vector<std::int64_t>{4}));
  EXPECT_EQ(seqs_of({"idea:11"}), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(seqs_of({"challenges", "idea:21"}), (std::vector<std::int64_t>{4, 5}));
  EXPECT_TRUE(seqs_of({"challenge:99"}).empty());
  // Each replayed event carries all its topics, wherever the log keeps them.
  const auto all = events_since(r, 0, {}, 100).events;
  ASSERT_EQ(all.size(), 5u);
  for (int i : {0, 1, 2}) EXPECT_EQ(all[i].topics, (std::vector<std::string>{"challenge:1", "idea:11"})) << i;
  EXPECT_EQ(all[3].topics, (std::vector<std::string>{"challenge:2", "idea:21"}));
  EXPECT_EQ(all[4].topics, (std::vector<std::string>{"challenge:1", "challenges"}));
  EXPECT_EQ(events_since(r, 0, {"challenge:1"}, 100).events.back().topics, all[4].topics);
}

TEST(EventLog, TopicsKeptInTheRowsAreSearchedInBoundedStepsThroughTheLog) {
  StoreFixture fx;
  add_ideas(fx.store);
  fx.store.write_sync([](WriteTx& tx) {
    tx.append_event(idea_event(1, 11));  // 1
    // 30,000 events of the challenge about another idea, then one about this one.
    for (int i = 0; i < 30000; ++i) tx.append_event(idea_event(1, 12));
    tx.append_event(idea_event(1, 11));  // 30,002
  });
  auto& r = fx.store.reader();
  auto first = events_since(r, 0, {"idea:11"}, 100);
  // The search stopped after 20,000 of the log's events: complete through there.
  ASSERT_EQ(first.events.size(), 1u);
  EXPECT_EQ(first.events[0].seq, 1);
  EXPECT_EQ(first.searched_through, 20000);
  // Nothing of another topic past that point either, or a caller going on would skip it.
  auto merged = events_since(r, 0, {"idea:11", "challenge:2"}, 100);
  EXPECT_EQ(merged.searched_through, 20000);
  auto rest = events_since(r, first.searched_through, {"idea:11"}, 100);
  EXPECT_EQ(rest.searched_through, 0);
  ASSERT_EQ(rest.events.size(), 1u);
  EXPECT_EQ(rest.events[0].seq, 30002);
  // A search that fills its page stops there and is complete.
  EXPECT_EQ(events_since(r, 0, {"idea:12"}, 10).searched_through, 0);
  // A challenge's topic alike: none of these events is on challenge 2.
  auto other = events_since(r, 0, {"challenge:2"}, 100);
  EXPECT_TRUE(other.events.empty());
  EXPECT_EQ(other.searched_through, 20000);
  EXPECT_EQ(events_since(r, other.searched_through, {"challenge:2"}, 100).searched_through, 0);
  EXPECT_EQ(events_since(r, 0, {"challenge:1"}, 10).events.size(), 10u);
}

namespace {
std::vector<std::int64_t> seqs_in(const EventsAfter& page) {
  std::vector<std::int64_t> seqs;
  for (const auto& e : page.events) seqs.push_back(e.seq);
  return seqs;
}
}  // namespace

TEST(EventLog, RecentRowTopicsHoldTheLatestEventsInSeqOrder) {
  RecentRowTopics recent(4);
  EXPECT_EQ(recent.window().after, recent.window().through) << "empty";
  for (std::int64_t seq = 10; seq <= 12; ++seq) recent.add(seq, 1, seq);
  recent.add(11, 2, 0);  // already held: ignored
  EXPECT_EQ(recent.window().after, 9);
  EXPECT_EQ(recent.window().through, 12);
  std::set<std::int64_t> seqs;
  auto a = recent.find({1}, {}, 0, 100, 100, seqs);
  EXPECT_EQ(seqs, (std::set<std::int64_t>{10, 11, 12}));
  EXPECT_EQ(a.after, 9);
  EXPECT_EQ(a.through, 12);
  // Full: the oldest make way.
  for (std::int64_t seq = 13; seq <= 15; ++seq) recent.add(seq, 2, seq);
  EXPECT_EQ(recent.window().after, 11);
  EXPECT_EQ(recent.window().through, 15);
  seqs.clear();
  a = recent.find({1}, {14}, 0, 100, 100, seqs);
  EXPECT_EQ(seqs, (std::set<std::int64_t>{12, 14}));
  EXPECT_EQ(a.after, 11);
  // The range is cut to what is asked; a full page ends at its last event.
  seqs.clear();
  a = recent.find({2}, {}, 12, 14, 100, seqs);
  EXPECT_EQ(seqs, (std::set<std::int64_t>{13, 14}));
  EXPECT_EQ(a.after, 12);
  EXPECT_EQ(a.through, 14);
  seqs.clear();
  a = recent.find({2}, {}, 0, 100, 1, seqs);
  EXPECT_EQ(seqs, (std::set<std::int64_t>{13}));
  EXPECT_EQ(a.through, 13);
  // Outside the window: nothing answered.
  seqs.clear();
  a = recent.find({2}, {}, 15, 100, 100, seqs);
  EXPECT_EQ(a.after, a.through);
  EXPECT_TRUE(seqs.empty());
  // After a gap, the window starts again.
  recent.add(20, 3, 0);
  EXPECT_EQ(recent.window().after, 19);
  EXPECT_EQ(recent.window().through, 20);
}

TEST(EventLog, AReplayFromAmongTheRecentEventsFindsAQuietChallengesEventsWithoutReadingTheLog) {
  StoreFixture fx;
  add_ideas(fx.store);
  fx.store.write_sync([](WriteTx& tx) {
    tx.append_event(idea_event(2, 21));  // 1
    // 30,000 events of a busy challenge, then the quiet one's and an idea's.
    for (int i = 0; i < 30000; ++i) tx.append_event(idea_event(1, 12));
    tx.append_event(idea_event(2, 21));  // 30,002
    tx.append_event(idea_event(1, 11));  // 30,003
    tx.append_event(idea_event(2, 21));  // 30,004
  });
  // What the live hub holds, as it publishes them: from `first` through `last`.
  auto recent_from = [](std::int64_t first, std::int64_t last, std::size_t capacity = RecentRowTopics::kDefaultCapacity) {
    auto recent = std::make_unique<RecentRowTopics>(capacity);
    for (std::int64_t seq = first; seq <= last; ++seq) {
      const bool quiet = seq == 1 || seq == 30002 || seq == 30004;
      recent->add(seq, quiet ? 2 : 1, quiet ? 21 : seq == 30003 ? 11 : 12);
    }
    return recent;
  };
  auto& r = fx.store.reader();
  const auto all = std::numeric_limits<std::int64_t>::max();
  // The log alone stops after 20,000 events.
  EXPECT_EQ(events_since(r, 0, {"challenge:2"}, 100).searched_through, 20000);

  auto whole = recent_from(1, 30004);
  auto page = events_since(r, 0, {"challenge:2"}, 100, all, whole.get());
  EXPECT_EQ(page.searched_through, 0);
  EXPECT_EQ(seqs_in(page), (std::vector<std::int64_t>{1, 30002, 30004}));
  EXPECT_EQ(page.events[1].topics, (std::vector<std::string>{"challenge:2", "idea:21"}));
  page = events_since(r, 0, {"idea:11", "challenge:2"}, 100, all, whole.get());
  EXPECT_EQ(seqs_in(page), (std::vector<std::int64_t>{1, 30002, 30003, 30004}));
  // A full page ends at its last event, wherever the rest would come from.
  EXPECT_EQ(seqs_in(events_since(r, 0, {"challenge:2"}, 2, all, whole.get())), (std::vector<std::int64_t>{1, 30002}));
  EXPECT_EQ(seqs_in(events_since(r, 10, {"challenge:1"}, 3, all, whole.get())), (std::vector<std::int64_t>{11, 12, 13}));

  // A window that starts later: the log before it is read, bounded as ever.
  auto later = recent_from(25001, 30004);
  EXPECT_EQ(events_since(r, 0, {"challenge:2"}, 100, all, later.get()).searched_through, 20000);
  page = events_since(r, 20000, {"challenge:2"}, 100, all, later.get());
  EXPECT_EQ(page.searched_through, 0);
  EXPECT_EQ(seqs_in(page), (std::vector<std::int64_t>{30002, 30004}));
  page = events_since(r, 0, {"challenge:2"}, 1, all, later.get());
  EXPECT_EQ(seqs_in(page), (std::vector<std::int64_t>{1})) << "filled before the window";

  // A window that ends before `through` (events durable, not yet published): the log
  // after it is read.
  auto earlier = recent_from(1, 30002);
  EXPECT_EQ(seqs_in(events_since(r, 0, {"challenge:2"}, 100, all, earlier.get())),
            (std::vector<std::int64_t>{1, 30002, 30004}));
  EXPECT_EQ(seqs_in(events_since(r, 0, {"challenge:2"}, 100, 30003, earlier.get())),
            (std::vector<std::int64_t>{1, 30002}));

  // A window that has let its oldest go.
  auto small = recent_from(1, 30004, 1000);
  EXPECT_EQ(events_since(r, 0, {"challenge:2"}, 100, all, small.get()).searched_through, 20000);
  EXPECT_EQ(seqs_in(events_since(r, 29004, {"challenge:2"}, 100, all, small.get())),
            (std::vector<std::int64_t>{30002, 30004}));
}

TEST(IdeaRanking, HighestFirstAndNewestFirstAmongEqualsOverAnyRange) {
  StoreFixture fx;
  add_ideas(fx.store);
  auto set = [&](std::map<int, std::int64_t> scores, std::map<int, std::int64_t> comments) {
    fx.store.write_sync([&](WriteTx& tx) {
      for (int id = 13; id <= 16; ++id)
        tx.conn.exec("INSERT OR IGNORE INTO ideas(id, challenge_id, author_id, title, body, tags_text, created_ts, "
                     "created_at, updated_at) VALUES (" + std::to_string(id) +
                     ", 1, 1, 'a', 'b', '', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
      for (auto [id, score] : scores)
        tx.conn.exec("UPDATE ideas SET score = " + std::to_string(score) + " WHERE id = " + std::to_string(id));
      for (auto [id, count] : comments)
        tx.conn.exec("UPDATE ideas SET comment_count = " + std::to_string(count) + " WHERE id = " + std::to_string(id));
    });
  };
  IdeaListFilter f;
  f.challenge_id = 1;
  auto ranked = [&](cc::domain::IdeaSort sort, std::size_t max = 100) {
    if (sort == cc::domain::IdeaSort::new_) return newest_idea_ids(fx.store.reader(), f, 0, static_cast<int>(max));
    return fx.store.standings().ranked(f, sort, 0, max);
  };
  using Ids = std::vector<std::int64_t>;
  set({{11, 5}, {12, 7}, {13, 5}, {14, -2}, {15, 7}, {16, 0}}, {{11, 1}, {12, 0}, {13, 3}, {14, 3}, {15, 0}, {16, 1}});
  EXPECT_EQ(ranked(cc::domain::IdeaSort::top), (Ids{15, 12, 13, 11, 16, 14}));
  EXPECT_EQ(ranked(cc::domain::IdeaSort::top, 3), (Ids{15, 12, 13}));
  EXPECT_EQ(ranked(cc::domain::IdeaSort::discussed), (Ids{14, 13, 16, 11, 15, 12}));
  EXPECT_EQ(ranked(cc::domain::IdeaSort::new_), (Ids{16, 15, 14, 13, 12, 11}));
  // Scores far apart (more than a counting sort's buckets would hold): the same rule.
  set({{14, 4'000'000'000'000}, {16, -3'000'000'000'000}}, {});
  EXPECT_EQ(ranked(cc::domain::IdeaSort::top), (Ids{14, 15, 12, 13, 11, 16}));
  // Status filters read another index: still newest first among equals.
  f.status = cc::domain::IdeaStatus::new_;
  EXPECT_EQ(ranked(cc::domain::IdeaSort::top), (Ids{14, 15, 12, 13, 11, 16}));
}
