#include "app/app.hpp"

#include <thread>

#include "app/handlers.hpp"
#include "common/clock.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"
#include "common/scheduler.hpp"
#include "common/worker_pool.hpp"
#include "live/live_hub.hpp"
#include "net/server.hpp"
#include "store/db_lock.hpp"
#include "store/events_repo.hpp"
#include "store/store.hpp"
#include "store/users_repo.hpp"

namespace cc::app {

struct App::Parts {
  Metrics metrics;
  std::unique_ptr<store::DbLock> db_lock;  // tells `carecrowd-admin restore` a server runs
  std::unique_ptr<store::Store> store;
  std::unique_ptr<auth::PasswordHasher> hasher;
  std::unique_ptr<WorkerPool> workers;     // password hashing
  std::unique_ptr<WorkerPool> slow_reads;  // metrics and exports (api::answer_apart)
  std::unique_ptr<Handlers> handlers;  // the services, the API's routes, the web client
  std::unique_ptr<live::LiveHub> hub;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<net::Server> server;
};

App::App(Config config) : config_(std::move(config)), parts_(std::make_unique<Parts>()) {}

App::~App() {
  if (parts_) parts_->scheduler.reset();
  if (parts_ && parts_->workers) parts_->workers->stop();
  if (parts_ && parts_->slow_reads) parts_->slow_reads->stop();
  if (parts_ && parts_->store) parts_->store->stop();
}

std::string App::start() {
  auto& p = *parts_;
  log::Level level;
  if (log::parse_level(config_.log_level, level)) log::set_level(level);

  p.db_lock = store::hold_server_lock(config_.db);
  p.store = std::make_unique<store::Store>(store::StoreOptions{config_.db});
  auto pepper_path = config_.pepper_file.empty() ? auth::default_pepper_path(config_.db) : config_.pepper_file;
  p.hasher = std::make_unique<auth::PasswordHasher>(auth::load_or_create_pepper(pepper_path), config_.hash_cost);
  p.workers = std::make_unique<WorkerPool>(config_.hash_threads, 256, "cc-hash");
  // One thread: such reads are rare (the design group's reports), and a queue of them
  // waits its turn rather than taking the cores from everyone's requests.
  p.slow_reads = std::make_unique<WorkerPool>(1, 64, "cc-slow-reads");
  p.handlers = std::make_unique<Handlers>(
      *p.store, p.metrics, *p.hasher, *p.workers, *p.slow_reads,
      HandlerOptions{config_.auth, config_.writes_per_minute_per_user, config_.web_root});
  auto& h = *p.handlers;

  auto handler = h.handler();
  live::HubOptions hub_options;
  hub_options.max_sockets_per_user = static_cast<std::size_t>(config_.ws_per_user);
  hub_options.replay_limit = static_cast<std::size_t>(config_.ws_replay_events);
  p.hub = std::make_unique<live::LiveHub>(*p.store, h.auth, hub_options);
  p.store->on_commit([&p](const store::EventBatch& events) { p.hub->publish(events); });
  h.auth.on_session_revoked([&p](std::int64_t session_id) { p.hub->close_session(session_id); });
  p.server = std::make_unique<net::Server>(config_.server, handler, p.metrics, p.hub.get());
  p.hub->dispatch_with([&p](std::function<void()> fn) { p.server->post(-1, std::move(fn)); });
  p.store->on_batch([&p](std::size_t n, double seconds) { p.metrics.observe_write_batch(n, seconds); });
  p.store->start([&p](int home, std::function<void()> fn) { p.server->post(home, std::move(fn)); },
                 [] { return net::Server::current_thread(); });
  auto url = p.server->listen();
  // Timed work: open and close challenges on their dates (within a second).
  p.scheduler = std::make_unique<Scheduler>();
  p.scheduler->every(std::chrono::seconds(1), [&p] { p.handlers->challenges.run_schedule(); });
  // Events the admin CLI appended reach subscribers live (within a second), not only in
  // replays.
  p.scheduler->every(std::chrono::seconds(1), [&p] { p.hub->publish_others(); });
  // Sessions ended elsewhere (expired, or revoked by the admin CLI) lose their sockets.
  p.scheduler->every(std::chrono::seconds(5), [&p] { p.hub->check_sessions(); });
  // A thread gone idle gives up the snapshot its reader left parked (store::ReadTx).
  p.scheduler->every(std::chrono::milliseconds(100), [&p] { p.store->end_parked_reads(std::chrono::milliseconds(50)); });
  // Housekeeping: ended sessions and events past their retention are removed hourly.
  int retention_days = config_.event_retention_days;
  p.scheduler->every(std::chrono::hours(1), [&p, retention_days] {
    auto now = now_seconds();
    p.store->write(
        [now, retention_days](store::WriteTx& tx) {
          store::prune_sessions(tx.conn, now - 86400);
          store::prune_events(tx.conn, to_rfc3339(now - std::int64_t{retention_days} * 86400));
        },
        [](std::exception_ptr) {});
  });
  return url;
}

void App::run() {
  auto& p = *parts_;
  p.server->run([&p] {
    p.scheduler.reset();
    // Live clients are told the server is going away (1001) and resume elsewhere with `since`.
    p.hub->close_all(1001);
    for (int i = 0; i < 100 && p.hub->peer_count() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    p.workers->stop();
    p.handlers->auth.flush_activity();
    p.store->stop();  // finishes queued writes, so nothing acknowledged is lost
  });
  log::info("event=stopped");
}

void App::shutdown() { parts_->server->shutdown(); }

}  // namespace cc::app
