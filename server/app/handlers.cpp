#include "app/handlers.hpp"

#include "api/api.hpp"
#include "http/dispatch.hpp"

namespace cc::app {

Handlers::Handlers(store::Store& store, Metrics& metrics, auth::PasswordHasher& hasher, WorkerPool& hash_workers,
                   WorkerPool& slow_reads, const HandlerOptions& options)
    : settings(store),
      auth(store, hasher, hash_workers, settings, options.auth),
      challenges(store, settings),
      ideas(store),
      comments(store),
      moderation(store),
      feed(store),
      workshops(store),
      impact(store, settings),
      write_limiter(options.writes_per_minute_per_user, 60),
      services_{store,      settings,  auth, metrics,       challenges, ideas,     comments,
                moderation, feed,      workshops, write_limiter, impact,     slow_reads, recent_writes},
      static_files_(options.web_root) {
  // Closing a challenge (by hand or when closes_at passes) forwards its top ideas.
  challenges.on_close([](store::WriteTx& tx, const domain::Challenge& ch, std::int64_t actor) {
    service::Workshops::apply_rule(tx, ch, actor);
  });
  api::Api api(router_, services_);
  api::add_routes(api);
}

http::Handler Handlers::handler() const { return http::dispatcher(router_, static_files_); }

}  // namespace cc::app
