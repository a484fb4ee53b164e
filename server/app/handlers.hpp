#pragma once
// What answers requests: the services over one store, wired to each other as the server
// runs them, the API's routes over them, and the web client's files. The server (App)
// builds one; so does the request fuzzer, which thereby drives the server's own wiring.
#include <string>

#include "api/services.hpp"
#include "auth/password_hasher.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace cc::app {

struct HandlerOptions {
  service::AuthOptions auth;
  int writes_per_minute_per_user = 600;  // votes, comments, ideas; 0: no limit
  std::string web_root;                  // the web client's built files
};

class Handlers {
public:
  // All of these must outlive the Handlers.
  Handlers(store::Store& store, Metrics& metrics, auth::PasswordHasher& hasher, WorkerPool& hash_workers,
           WorkerPool& slow_reads, const HandlerOptions& options);
  Handlers(const Handlers&) = delete;
  Handlers& operator=(const Handlers&) = delete;

  // The request handler a server is given: the API's routes, then the web client's files.
  // It refers to this object, which must outlive it.
  http::Handler handler() const;

  service::Settings settings;
  service::Auth auth;
  service::Challenges challenges;
  service::Ideas ideas;
  service::Comments comments;
  service::Moderation moderation;
  service::Feed feed;
  service::Workshops workshops;
  service::ImpactMetrics impact;
  auth::RateLimiter write_limiter;  // contributions per user per minute
  service::RecentWrites recent_writes;

private:
  api::Services services_;
  http::Router router_;
  http::StaticFiles static_files_;
};

}  // namespace cc::app
