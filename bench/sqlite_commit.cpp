// bench_sqlite_commit: how many durable write transactions SQLite commits per second on
// this machine's disk (issue 9's baseline for the vote rate). WAL, synchronous=FULL, one
// thread, one connection: first one row per transaction (BEGIN IMMEDIATE; INSERT a row
// the size of a vote; COMMIT), then the same rows 64 per transaction, which is what group
// commit can gain.
//
//   bench_sqlite_commit --db FILE [--seconds S | --count N] [--batch B] [--keep]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_options.hpp"

using Clock = std::chrono::steady_clock;
using cc::bench::Options;

namespace {

constexpr const char* kUsage = R"(usage: bench_sqlite_commit --db FILE [--seconds S | --count N] [--batch B] [--keep]

Durable SQLite commits per second (journal_mode=WAL, synchronous=FULL, one thread):
  1. one row per transaction: BEGIN IMMEDIATE; INSERT one vote-sized row; COMMIT
  2. the same rows, B per transaction (group commit)
FILE must not exist yet: it is created, and removed at the end unless --keep. Put it on
the file system the server's database lives on, since the figure is that disk's.

  --db FILE      database to create
  --seconds S    how long each of the two phases runs (default 3)
  --count N      rows per phase instead (each phase still stops after 600 s)
  --batch B      rows per transaction in the second phase (default 64)
  --keep         keep FILE afterwards
Prints a last line "RESULT commits_per_s=... batched_rows_per_s=... ..." for scripts.
)";

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) { g_stop = 1; }

// The votes table of sql/0001_initial.sql, without the foreign keys (no parents here).
constexpr const char* kSchema = R"(
CREATE TABLE votes (
  user_id      INTEGER NOT NULL,
  idea_id      INTEGER NOT NULL,
  challenge_id INTEGER NOT NULL,
  value        INTEGER NOT NULL CHECK (value IN (-1, 1)),
  moved_from_idea_id INTEGER,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (user_id, idea_id)
) WITHOUT ROWID;)";

class Db {
public:
  explicit Db(const std::string& file) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + file + ": " + sqlite3_errmsg(db_));
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
    exec(kSchema);
    begin_ = prepare("BEGIN IMMEDIATE");
    insert_ = prepare(
        "INSERT INTO votes (user_id, idea_id, challenge_id, value, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, '2025-01-01T12:00:00.000Z', '2025-01-01T12:00:00.000Z')");
    commit_ = prepare("COMMIT");
  }
  ~Db() {
    for (auto* s : {begin_, insert_, commit_}) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  std::string journal_mode() {
    sqlite3_stmt* s = prepare("PRAGMA journal_mode");
    std::string mode = sqlite3_step(s) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0)) : "?";
    sqlite3_finalize(s);
    return mode;
  }

  // One transaction of `rows` inserts, starting at row number `first`.
  void transaction(long first, long rows) {
    step(begin_);
    for (long i = first; i < first + rows; ++i) {
      // Row i is user (i mod 10000) voting on idea (i / 10000): never the same pair twice.
      sqlite3_bind_int64(insert_, 1, 1 + i % 10000);
      sqlite3_bind_int64(insert_, 2, 1 + i / 10000);
      sqlite3_bind_int64(insert_, 3, 1 + (i / 10000) % 100);
      sqlite3_bind_int(insert_, 4, i % 3 == 0 ? -1 : 1);
      step(insert_);
    }
    step(commit_);
  }

private:
  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(msg);
    }
  }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db_));
    return s;
  }
  void step(sqlite3_stmt* s) {
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
};

struct Phase {
  long rows = 0;
  long transactions = 0;
  double seconds = 0;
  std::vector<double> commit_ms;  // each transaction's duration
  double rows_per_s() const { return seconds > 0 ? static_cast<double>(rows) / seconds : 0; }
  double transactions_per_s() const { return seconds > 0 ? static_cast<double>(transactions) / seconds : 0; }
  double percentile(double p) {
    if (commit_ms.empty()) return 0;
    std::sort(commit_ms.begin(), commit_ms.end());
    auto i = static_cast<std::size_t>(p * static_cast<double>(commit_ms.size() - 1) + 0.5);
    return commit_ms[std::min(i, commit_ms.size() - 1)];
  }
};

// Commits transactions of `batch` rows until the time or the row count is up.
Phase run_phase(Db& db, long& next_row, long batch, double seconds, long count) {
  Phase p;
  auto start = Clock::now();
  auto limit = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (;;) {
    auto t0 = Clock::now();
    if (g_stop || (count > 0 ? p.rows >= count : t0 >= limit) || t0 >= start + std::chrono::seconds(600)) break;
    long rows = count > 0 ? std::min(batch, count - p.rows) : batch;
    db.transaction(next_row, rows);
    next_row += rows;
    p.rows += rows;
    ++p.transactions;
    p.commit_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  p.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  std::string file;
  double seconds = 3;
  long count = 0, batch = 64;
  bool keep = false;
  try {
    Options opt(argc, argv, {"--db", "--seconds", "--count", "--batch"}, {"--keep"});
    if (opt.help()) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (!opt.has("--db")) throw std::runtime_error("--db FILE is required");
    if (opt.has("--seconds") && opt.has("--count")) throw std::runtime_error("give --seconds or --count, not both");
    file = opt.text("--db");
    seconds = static_cast<double>(opt.number("--seconds", 3, 1, 600));
    count = opt.number("--count", 0, 1, 100000000);
    batch = opt.number("--batch", 64, 1, 100000);
    keep = opt.has("--keep");
    if (std::filesystem::exists(file)) throw std::runtime_error(file + " already exists; give a new file");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_sqlite_commit: %s (see --help)\n", e.what());
    return 2;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  int status = 0;
  try {
    Db db(file);
    std::printf("bench_sqlite_commit: SQLite %s, journal_mode=%s, synchronous=FULL, %s\n", sqlite3_libversion(),
                db.journal_mode().c_str(),
                count > 0 ? (std::to_string(count) + " rows a phase").c_str()
                          : (std::to_string(static_cast<long>(seconds)) + " s a phase").c_str());
    long next_row = 0;
    Phase single = run_phase(db, next_row, 1, seconds, count);
    double p50 = single.percentile(0.50), p99 = single.percentile(0.99);
    std::printf("one row per transaction:  %8ld commits in %.2f s = %8.0f commits/s (commit p50 %.3f ms, p99 %.3f ms)\n",
                single.transactions, single.seconds, single.transactions_per_s(), p50, p99);
    Phase batched = run_phase(db, next_row, batch, seconds, count);
    double ratio = single.rows_per_s() > 0 ? batched.rows_per_s() / single.rows_per_s() : 0;
    std::printf("%ld rows per transaction: %8ld rows in %.2f s = %8.0f rows/s (%.0f commits/s), %.1f x the one-row rate\n",
                batch, batched.rows, batched.seconds, batched.rows_per_s(), batched.transactions_per_s(), ratio);
    std::printf("RESULT commits_per_s=%.0f commit_p50_ms=%.3f commit_p99_ms=%.3f batch=%ld batched_rows_per_s=%.0f "
                "batched_commits_per_s=%.0f ratio=%.2f\n",
                single.transactions_per_s(), p50, p99, batch, batched.rows_per_s(), batched.transactions_per_s(), ratio);
    if (g_stop) status = 130;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_sqlite_commit: %s\n", e.what());
    status = 1;
  }
  if (!keep) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix, ignored);
  }
  return status;
}
