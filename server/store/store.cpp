#include "store/store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <future>
#include <unordered_map>

#include "common/log.hpp"
#include "common/thread_name.hpp"
#include "domain/error.hpp"
#include "store/migrator.hpp"
#include "store/wal_buffer_vfs.hpp"

namespace cc::store {
namespace {

std::atomic<std::uint64_t> g_next_store_id{1};

// Each thread's reader connection per store, keyed by a store id that is never reused.
thread_local std::unordered_map<std::uint64_t, Connection*> t_readers;

std::exception_ptr unavailable() {
  return std::make_exception_ptr(domain::Error(domain::ErrorKind::unavailable, "unavailable",
                                               "the service cannot save changes right now; please try again shortly"));
}

// A batch that did not commit, or not durably: each command is answered as unavailable,
// except those refused for their own reasons (a domain error), which stand.
void answer_unavailable(std::vector<std::exception_ptr>& results) {
  for (auto& r : results) {
    bool domain_error = false;
    if (r) {
      try { std::rethrow_exception(r); } catch (const domain::Error&) { domain_error = true; } catch (...) {}
    }
    if (!domain_error) r = unavailable();
  }
}

}  // namespace

std::int64_t WriteTx::append_event(EventRecord ev) {
  // The first challenge topic and the first idea topic go into the row (EventRecord).
  const std::size_t none = ev.topics.size();
  std::size_t challenge_at = none, idea_at = none;
  ev.challenge_id = ev.idea_id = 0;
  for (std::size_t i = 0; i < ev.topics.size(); ++i) {
    if (const auto challenge = challenge_of_topic(ev.topics[i]); challenge && challenge_at == none) {
      ev.challenge_id = challenge;
      challenge_at = i;
    } else if (const auto idea = idea_of_topic(ev.topics[i]); idea && idea_at == none) {
      ev.idea_id = idea;
      idea_at = i;
    }
  }
  auto st = conn.prepare(
      "INSERT INTO events(type, audience, owner_id, data, data_privileged, created_at, idea_id, challenge_id) "
      "VALUES (?,?,?,?,?,?,?,?)");
  st->bind(1, ev.type);
  st->bind(2, static_cast<int>(ev.audience));
  st->bind(3, ev.owner_id);
  st->bind(4, ev.data);
  if (ev.data_privileged.empty()) st->bind(5); else st->bind(5, ev.data_privileged);
  st->bind(6, ev.created_at);
  if (ev.idea_id) st->bind(7, ev.idea_id); else st->bind(7);
  if (ev.challenge_id) st->bind(8, ev.challenge_id); else st->bind(8);
  st->exec();
  ev.seq = conn.last_insert_id();
  for (std::size_t i = 0; i < ev.topics.size(); ++i) {
    if (i == challenge_at || i == idea_at) continue;  // in the row
    auto t = conn.prepare("INSERT INTO event_topics(topic, seq) VALUES (?, ?)");
    t->bind(1, ev.topics[i]);
    t->bind(2, ev.seq);
    t->exec();
  }
  pending_.push_back(std::make_shared<const EventRecord>(std::move(ev)));
  return pending_.back()->seq;
}

Store::Store(StoreOptions options)
    : options_(std::move(options)),
      id_(g_next_store_id++),
      standings_(options_.path, options_.busy_timeout_ms),
      checkpointer_(options_.path, options_.busy_timeout_ms, options_.checkpoint_pages),
      syncer_(options_.sync_wal ? options_.sync_wal : wal_file_sync(options_.path)) {
  namespace fs = std::filesystem;
  if (options_.path.empty()) throw std::runtime_error("no database path is configured");
  auto parent = fs::path(options_.path).parent_path();
  std::error_code ec;
  if (!options_.create && !fs::exists(options_.path, ec))
    throw std::runtime_error("there is no database at " + options_.path + " (run carecrowd-admin init first)");
  if (!parent.empty() && !fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) throw std::runtime_error("cannot create the database folder " + parent.string() + ": " + ec.message());
  }
  try {
    // The writer's WAL writes are gathered per commit (store/wal_buffer_vfs.hpp), which
    // relies on the synchronous = FULL checked below.
    writer_conn_ =
        std::make_unique<Connection>(options_.path, Access::read_write, options_.busy_timeout_ms, wal_buffer_vfs());
    auto& c = *writer_conn_;
    // A new database gets pages of 2 KiB rather than 4: a vote changes a few rows in
    // different places (its own, its idea's, then also the idea's entry in a list
    // index), each a whole page in the WAL, so smaller pages write less. Side by side on
    // one dataset: votes 1.11 x, new ideas 1.17 x, reads and search as before; 1 KiB
    // gained no more.
    // An existing database keeps its size (SQLite changes it only by rebuilding the file).
    c.exec("PRAGMA page_size = 2048");
    std::string mode;
    {
      auto st = c.prepare("PRAGMA journal_mode = WAL");
      if (st->executeStep()) mode = st->getColumn(0).getString();
    }
    if (mode != "wal") throw std::runtime_error("cannot switch the database to WAL mode (got " + mode + ")");
    // Durable acknowledgement: every commit is fsynced before anyone is told it happened.
    c.exec("PRAGMA synchronous = FULL");
    if (c.scalar_int("PRAGMA synchronous") != 2) throw std::runtime_error("cannot set synchronous=FULL");
    c.exec("PRAGMA wal_autocheckpoint = " + std::to_string(options_.checkpoint_pages));
    c.exec("PRAGMA temp_store = MEMORY");
    // The writer's page cache survives its own commits. 256 MiB (grown only as used)
    // keeps the pages votes keep coming back to: the vote rows', the ideas' rows (then
    // also their entries in a list index), the newest events'. With 64 MiB a vote read
    // about one of them back from the OS, and votes were 8% slower side by side.
    c.exec("PRAGMA cache_size = -262144");
    if (options_.migrate) migrate(c);
    // Every change to an idea's row, whichever write made it, for the standings (apply).
    sqlite3_update_hook(c.raw().getHandle(), &Store::on_row_changed, this);
    data_version_ = c.scalar_int("PRAGMA data_version");
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error("cannot open the database " + options_.path + ": " + e.what());
  }
}

Store::~Store() {
  stop();
  std::lock_guard lock(readers_mutex_);
  readers_.clear();
}

void Store::start(Poster post, HomeOf home) {
  post_ = std::move(post);
  home_ = std::move(home);
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  // Before the writer thread uses the connection.
  checkpointer_.attach(*writer_conn_, [this] { end_parked_reads(std::chrono::steady_clock::duration::zero()); });
  syncer_.start();
  thread_ = std::thread([this] { run(); });
  name_thread(thread_, "cc-writer");
}

void Store::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  syncer_.stop();  // answers the last batches once they are durable
  checkpointer_.detach();
}

std::size_t Store::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

int Store::schema_version() { return current_schema_version(reader()); }

void Store::write(Work work, Done done) {
  const int home = home_ ? home_() : -1;
  {
    std::unique_lock lock(mutex_);
    if (!stopping_ && thread_.joinable() && queue_.size() < options_.max_queue && !syncer_.failed()) {
      queue_.push_back(Command{std::move(work), std::move(done), home});
      lock.unlock();
      cv_.notify_one();
      return;
    }
  }
  // Refused: the writer is stopping or overloaded. Nothing was written.
  auto error = unavailable();
  if (post_) post_(home, [done = std::move(done), error] { done(error); });
  else done(error);
}

void Store::finish_batch(std::deque<Command>& batch, std::vector<std::exception_ptr>& results, EventBatch& events,
                         std::chrono::steady_clock::time_point started, bool durable) {
  if (!durable) {
    // Committed, but the disk may not hold it: no one may be told it happened.
    events.clear();
    answer_unavailable(results);
  }
  if (!events.empty() && commit_listener_) commit_listener_(events);
  // Published first, so that what a replay reads has been published (live/live_hub.cpp).
  // Not durable: they wait for good, as the store takes no more writes.
  if (durable && !events.empty()) release_events(events.front()->seq);
  if (batch_observer_)
    batch_observer_(batch.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  post_completions(batch, results);
}

void Store::post_completions(std::deque<Command>& batch, const std::vector<std::exception_ptr>& results) {
  if (!post_) {
    for (std::size_t i = 0; i < batch.size(); ++i)
      if (batch[i].done) batch[i].done(results[i]);
    return;
  }
  // One job a home, in the order the writes came (a batch has a few homes: the I/O threads).
  std::vector<std::pair<int, std::vector<std::function<void()>>>> jobs;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!batch[i].done) continue;
    auto it = std::find_if(jobs.begin(), jobs.end(), [&](const auto& j) { return j.first == batch[i].home; });
    if (it == jobs.end()) it = jobs.insert(jobs.end(), {batch[i].home, {}});
    it->second.push_back([done = std::move(batch[i].done), result = results[i]] { done(result); });
  }
  for (auto& [home, completions] : jobs)
    post_(home, [completions = std::move(completions)] {
      for (const auto& complete : completions) {
        // Each answers its own request: one that throws must not keep the others' back.
        try {
          complete();
        } catch (const std::exception& e) {
          log::error(std::string("event=completion_failed error=\"") + e.what() + "\"");
        } catch (...) {
          log::error("event=completion_failed");
        }
      }
    });
}

void Store::hold_events(std::int64_t first_seq) {
  std::lock_guard lock(held_mutex_);
  held_events_.push_back(first_seq);
  events_durable_through_.store(held_events_.front() - 1, std::memory_order_release);
}

void Store::release_events(std::int64_t first_seq) {
  std::lock_guard lock(held_mutex_);
  auto it = std::find(held_events_.begin(), held_events_.end(), first_seq);
  if (it == held_events_.end()) return;  // never held: committed without the syncer
  held_events_.erase(it);
  events_durable_through_.store(held_events_.empty() ? std::numeric_limits<std::int64_t>::max()
                                                     : held_events_.front() - 1,
                                std::memory_order_release);
}

void Store::write_sync(const Work& work) {
  if (thread_.joinable()) {
    std::promise<void> p;
    auto f = p.get_future();
    write(work, [&p](std::exception_ptr e) {
      if (e) p.set_exception(e); else p.set_value();
    });
    f.get();
    return;
  }
  // No writer thread (the CLI): run as a batch of one on this thread.
  std::deque<Command> batch;
  std::exception_ptr result;
  batch.push_back(Command{work, [&result](std::exception_ptr e) { result = e; }});
  auto saved = std::move(post_);
  post_ = nullptr;
  run_batch(batch);
  post_ = std::move(saved);
  if (result) std::rethrow_exception(result);
}

Connection& Store::reader() {
  auto it = t_readers.find(id_);
  if (it != t_readers.end()) return *it->second;
  auto conn = std::make_unique<Connection>(options_.path, Access::read_only, options_.busy_timeout_ms);
  conn->count_commits_of(commits_);
  Connection* raw = conn.get();
  {
    std::lock_guard lock(readers_mutex_);
    readers_.push_back(std::move(conn));
  }
  t_readers[id_] = raw;
  return *raw;
}

int Store::end_parked_reads(std::chrono::steady_clock::duration older_than) {
  std::lock_guard lock(readers_mutex_);
  int ended = 0;
  for (auto& r : readers_) ended += r->end_parked(older_than) ? 1 : 0;
  return ended;
}

void Store::on_row_changed(void* store, int, const char*, const char* table, sqlite3_int64 rowid) {
  if (std::strcmp(table, "ideas") == 0) static_cast<Store*>(store)->touched_ideas_.push_back(rowid);
}

void Store::notice_other_writers() {
  try {
    const auto version = writer_conn_->scalar_int("PRAGMA data_version");
    if (version == data_version_) return;
    data_version_ = version;
    if (standings_.challenges() == 0) return;
    standings_.forget_all();
    log::info("event=standings_forgotten reason=another_process_committed");
  } catch (const std::exception& e) {
    log::warn(std::string("event=data_version_failed error=") + log::escape(e.what()));
  }
}

void Store::run() {
  std::deque<Command> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      // Idle, it still looks for other processes' commits once a second.
      if (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || !queue_.empty(); })) {
        lock.unlock();
        notice_other_writers();
        continue;
      }
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    notice_other_writers();
    run_batch(batch);
    batch.clear();
  }
}

void Store::run_batch(std::deque<Command>& batch) {
  auto started = std::chrono::steady_clock::now();
  auto& c = *writer_conn_;
  WriteTx tx(c);
  std::vector<std::exception_ptr> results(batch.size());
  bool failed_whole = false;
  try {
    c.exec("BEGIN IMMEDIATE");
  } catch (const std::exception& e) {
    log::error(std::string("event=write_begin_failed error=") + log::escape(e.what()));
    failed_whole = true;
  }
  for (std::size_t i = 0; i < batch.size() && !failed_whole; ++i) {
    tx.begin_command();
    try {
      c.prepare("SAVEPOINT cmd")->exec();
      batch[i].work(tx);
      c.prepare("RELEASE cmd")->exec();
      tx.keep_command();
    } catch (...) {
      results[i] = std::current_exception();
      tx.drop_command();
      // An I/O error or a full disk may have rolled back the whole transaction.
      if (!c.in_transaction()) {
        failed_whole = true;
        break;
      }
      try {
        c.prepare("ROLLBACK TO cmd")->exec();
        c.prepare("RELEASE cmd")->exec();
      } catch (...) {
        failed_whole = true;
      }
      // Storage faults are not the caller's fault: report them as unavailable.
      try { std::rethrow_exception(results[i]); }
      catch (const SQLite::Exception& e) {
        int code = e.getErrorCode() & 0xff;
        if (code == SQLITE_FULL || code == SQLITE_IOERR || code == SQLITE_CORRUPT || code == SQLITE_NOMEM ||
            code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_BUSY) {
          log::error(std::string("event=write_failed error=") + log::escape(e.what()));
          results[i] = unavailable();
        }
      } catch (...) {}
    }
  }
  // With the syncer running, the commit leaves the disk's flush to it, and the batch's
  // answers and events wait there; meanwhile this thread goes on with the next batch.
  const bool deferred = syncer_.running();
  // Readers see the commit at once; the log is read back only up to before its events
  // until the sync (events_durable_through).
  const std::int64_t held = deferred && !failed_whole && !tx.committed_.empty() ? tx.committed_.front()->seq : 0;
  if (held) hold_events(held);
  if (!failed_whole) {
    try {
      DeferredWalSync defer(deferred);
      c.exec("COMMIT");
    } catch (const std::exception& e) {
      log::error(std::string("event=commit_failed error=") + log::escape(e.what()));
      failed_whole = true;
    }
  }
  if (failed_whole && held) release_events(held);  // rolled back below: none of them exists
  if (failed_whole) {
    if (c.in_transaction()) {
      try { c.exec("ROLLBACK"); } catch (...) {}
    }
    tx.drop_all();
    answer_unavailable(results);
  }
  // The standings take the batch's ideas as committed (or as they were, rolled back)
  // before the commit is counted: a ranking made at this count holds the batch.
  try {
    standings_.apply(c, touched_ideas_);
  } catch (const std::exception& e) {
    log::error(std::string("event=standings_failed error=") + log::escape(e.what()));
    touched_ideas_.clear();
    standings_.forget_all();
  }
  if (!failed_whole) commits_.fetch_add(1, std::memory_order_acq_rel);
  auto events = tx.take_events();
  if (deferred) {
    // In commit order, behind the batches before it (a failed batch too, so that no
    // answer overtakes another's).
    syncer_.after_sync([this, batch = std::move(batch), results = std::move(results), events = std::move(events),
                        started](bool durable) mutable { finish_batch(batch, results, events, started, durable); });
  } else {
    finish_batch(batch, results, events, started, true);
  }
  // Between batches: a restart may wait a moment for readers.
  checkpointer_.restart_if_due();
}

}  // namespace cc::store
