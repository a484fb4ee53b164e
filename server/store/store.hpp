#pragma once
// The embedded SQLite store: one writer thread that owns the read-write connection and
// commits queued writes in groups (one transaction per batch), a thread that makes the
// commits durable (one fsync for the batches committed while the last one ran:
// store/wal_syncer.hpp) and answers them, and one read-only connection per thread that
// reads. See ARCHITECTURE.md, Concurrency.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/checkpointer.hpp"
#include "store/connection.hpp"
#include "store/event_record.hpp"
#include "store/idea_standings.hpp"
#include "store/wal_syncer.hpp"

namespace cc::store {

struct StoreOptions {
  std::string path;
  int busy_timeout_ms = 5000;
  std::size_t max_batch = 512;        // commands per transaction
  std::size_t max_queue = 20000;      // writes waiting; beyond this a write is refused (503)
  bool create = true;                 // create the file if it does not exist
  bool migrate = true;                // apply pending migrations on open
  // WAL frames (a page each) that start a checkpoint (store/checkpointer.hpp). A page
  // that commits rewrite meanwhile is copied once: 16,000 made votes 27% faster than
  // 4,000, 32,000 1.10 x faster than 16,000, and 64,000 (with the restart at twice this
  // rather than four times) 1.16 x faster again, side by side in rounds of 20 s; the
  // votes' p99 went from 77 to 100 ms at the higher rate (Checkpointer's kMostLeftForARestart).
  // The WAL grows to twice this before it is written from the start again (256 MiB with
  // 2 KiB pages), four times if the copying falls behind.
  int checkpoint_pages = 64000;
  // Makes the WAL durable once the writer thread runs (store/wal_syncer.hpp); empty for
  // an fdatasync of the WAL file. Tests give their own.
  WalSyncer::Sync sync_wal = {};
};

// What a write command sees: the writer's connection and the event log.
class WriteTx {
public:
  explicit WriteTx(Connection& c) : conn(c) {}
  Connection& conn;

  // Appends an event row in this transaction and returns its seq.
  std::int64_t append_event(EventRecord ev);
  // The events appended by commands that succeeded, in seq order.
  EventBatch take_events() { return std::move(committed_); }

private:
  friend class Store;
  void begin_command() { pending_.clear(); }
  void keep_command() {
    for (auto& e : pending_) committed_.push_back(std::move(e));
    pending_.clear();
  }
  void drop_command() { pending_.clear(); }
  void drop_all() { pending_.clear(); committed_.clear(); }
  std::vector<std::shared_ptr<const EventRecord>> pending_;
  EventBatch committed_;
};

class Store {
public:
  using Work = std::function<void(WriteTx&)>;
  using Done = std::function<void(std::exception_ptr)>;
  // Runs completions on the executor of `home`, the thread that queued them (see start).
  using Poster = std::function<void(int home, std::function<void()>)>;
  // The calling thread's home: an I/O thread's index, or -1.
  using HomeOf = std::function<int()>;
  using CommitListener = std::function<void(const EventBatch&)>;
  using BatchObserver = std::function<void(std::size_t commands, double seconds)>;

  // Opens (creating if needed) the database, sets WAL and synchronous=FULL, and applies
  // the migrations. Throws std::runtime_error with a clear message when it cannot.
  explicit Store(StoreOptions options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Starts the writer thread, and the checkpointer's (until then, and in the admin CLI,
  // which never starts one, the writer's commits checkpoint as SQLite does by default).
  // `post` runs completions on the caller's executor: each write remembers its caller's
  // home (`home`, when given), and a batch's completions go to each home in one job, so
  // an answer is sent from the thread that holds its connection without a hop between
  // I/O threads, and a batch of hundreds of votes wakes each thread once.
  void start(Poster post, HomeOf home = {});
  // Finishes the queued writes, then stops the writer thread. Idempotent.
  void stop();

  // Queues a write. `work` runs on the writer thread inside the batch transaction (in a
  // savepoint of its own: if it throws, only its changes are undone). `done` is called
  // after the commit (nullptr) or with the error; never before the data is durable.
  void write(Work work, Done done);
  // The same, blocking the calling thread: for the admin CLI and tests, never I/O threads.
  void write_sync(const Work& work);

  // This thread's read-only connection.
  Connection& reader();
  // Ends the read transactions readers left parked (see ReadTx) more than `older_than`
  // ago: run periodically, so that a thread gone idle does not hold an old snapshot,
  // which would keep checkpoints from copying the WAL past it. Returns how many.
  int end_parked_reads(std::chrono::steady_clock::duration older_than);

  void on_commit(CommitListener l) { commit_listener_ = std::move(l); }
  void on_batch(BatchObserver o) { batch_observer_ = std::move(o); }

  // How many batches this store has committed. It grows after a commit and before any
  // of its writers hears back, so a reader that sees the same count twice knows nothing
  // was committed in between (through this store: the admin CLI writes elsewhere).
  std::uint64_t commits() const { return commits_.load(std::memory_order_acquire); }

  // The seq through which events may be read back (GET /events, a live replay). Events
  // after it are committed, so readers see their rows, but wait for their fsync
  // (store/wal_syncer.hpp): a client told of one could be told of an event that a power
  // cut then loses, and whose seq is then given to another. Read it once the ReadTx has
  // begun: the events of its snapshot that wait are after it.
  std::int64_t events_durable_through() const { return events_durable_through_.load(std::memory_order_acquire); }

  const std::string& path() const { return options_.path; }
  std::size_t queued() const;
  std::uint64_t checkpoints() const { return checkpointer_.checkpoints(); }
  std::uint64_t wal_restarts() const { return checkpointer_.restarts(); }
  const Checkpointer& checkpointer() const { return checkpointer_; }
  int schema_version();

  // What ranks each listed challenge's ideas, kept current by the writer after each commit.
  IdeaStandings& standings() { return standings_; }
  const IdeaStandings& standings() const { return standings_; }

private:
  struct Command {
    Work work;
    Done done;
    int home = -1;
  };
  void run();
  void run_batch(std::deque<Command>& batch);
  // SQLite's update hook on the writer's connection: notes the ideas a batch touches.
  static void on_row_changed(void* store, int op, const char* db, const char* table, long long rowid);
  // Forgets the standings if another process (the admin CLI) committed since last asked.
  void notice_other_writers();
  // What follows a batch's commit once it is durable (`durable` false: it may not be).
  void finish_batch(std::deque<Command>& batch, std::vector<std::exception_ptr>& results, EventBatch& events,
                    std::chrono::steady_clock::time_point started, bool durable);
  void post_completions(std::deque<Command>& batch, const std::vector<std::exception_ptr>& results);
  // A batch whose first event is `first_seq` commits, and its events wait for the disk
  // (before the commit); they no longer wait (durable, or rolled back).
  void hold_events(std::int64_t first_seq);
  void release_events(std::int64_t first_seq);

  StoreOptions options_;
  std::uint64_t id_;
  std::unique_ptr<Connection> writer_conn_;
  IdeaStandings standings_;
  std::vector<std::int64_t> touched_ideas_;  // writer thread only
  std::int64_t data_version_ = -1;           // the writer's PRAGMA data_version, last read
  Checkpointer checkpointer_;
  WalSyncer syncer_;
  std::atomic<std::uint64_t> commits_{0};
  std::mutex held_mutex_;
  std::deque<std::int64_t> held_events_;  // the first seq of each batch whose events wait, oldest first
  std::atomic<std::int64_t> events_durable_through_{std::numeric_limits<std::int64_t>::max()};
  Poster post_;
  HomeOf home_;
  CommitListener commit_listener_;
  BatchObserver batch_observer_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Command> queue_;
  bool stopping_ = false;
  std::thread thread_;

  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Connection>> readers_;
};

}  // namespace cc::store
