#include "api/api.hpp"

#include <charconv>

#include "api/services.hpp"
#include "common/worker_pool.hpp"
#include "service/read_scope.hpp"
#include "auth/crypto.hpp"
#include "common/clock.hpp"
#include "service/page.hpp"

namespace cc::api {

using domain::Error;
using domain::ErrorKind;

std::int64_t Call::id_param(std::size_t i) const {
  const std::string& s = req.params.at(i);
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) throw domain::not_found("that item");
  return v;
}

std::optional<std::int64_t> Call::query_int(std::string_view name) const {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::nullopt;
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size())
    throw domain::validation_error(std::string(name), std::string(name) + " must be a whole number");
  return out;
}

int Call::limit() const { return service::clamp_limit(query_int("limit")); }

void limit_writes(Services& s, const Call& c) {
  if (!c.session) return;
  if (int wait = s.write_limiter.hit(std::to_string(c.session->user().id), now_seconds()))
    throw Error(ErrorKind::rate_limited, "rate_limited", "you are doing that too often; please wait a moment")
        .with_retry_after(wait);
}

namespace {
bool is_write(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

// A browser's Origin must be this server's own. Requests without Origin (non-browser
// clients) pass here; for cookie sessions the CSRF token still applies.
bool same_origin(const http::Request& req) {
  const std::string* origin = req.header("origin");
  if (!origin) return true;
  const std::string* host = req.header("host");
  if (!host) return false;
  return *origin == (req.tls ? "https://" : "http://") + *host;
}
}  // namespace

void Api::add(const std::string& method, const std::string& pattern, Access access, ApiHandler handler) {
  Services& s = services_;
  router_.add(method, pattern, [&s, access, handler = std::move(handler)](http::Request& req, http::Respond respond) {
    // API answers are personal: they set no caching policy, so the session marks them
    // no-store (net/http_session.hpp), as every answer but a static file's.
    Call call{req, std::move(respond), std::nullopt};
    std::optional<service::ReadScope> scope;
    try {
      if (!is_write(req.method)) scope.emplace(s.store);
      if (is_write(req.method) && !same_origin(req))
        throw Error(ErrorKind::forbidden, "csrf", "the request came from another site");
      if (auto token = req.cookie("cc_session")) call.session = s.auth.resolve(*token);
      if (access != Access::anyone) {
        if (!call.session) throw Error(ErrorKind::unauthenticated, "unauthenticated", "please sign in");
        if (is_write(req.method)) {
          const std::string* sent = req.header("x-csrf-token");
          if (!sent || !auth::constant_time_equal(*sent, call.session->csrf_token()))
            throw Error(ErrorKind::forbidden, "csrf", "the CSRF token is missing or wrong; reload and try again");
        }
        auto need = access == Access::admin          ? domain::Role::admin
                    : access == Access::design_group ? domain::Role::design_group
                                                     : domain::Role::staff;
        if (!domain::at_least(call.session->user().role, need)) throw domain::forbidden();
      }
      if (call.session && is_write(req.method)) {
        // Noted when answered, so that this person's next read of a ranked list, which
        // may reuse one ranked a moment ago, is ranked after it (service/list_snapshots.hpp).
        call.respond = [respond = std::move(call.respond), &s, user = call.session->user().id](http::Response r) {
          s.recent_writes.note(user, s.store.commits());
          respond(std::move(r));
        };
      }
      handler(call);
    } catch (...) {
      call.respond(http::response_for_exception(std::current_exception(), &req));
    }
  });
}

void answer_apart(WorkerPool& pool, Call& c, std::function<http::Response()> make) {
  bool queued = pool.submit([respond = c.respond, make = std::move(make)] {
    http::Response res;
    try {
      res = make();
    } catch (...) {
      res = http::response_for_exception(std::current_exception());
    }
    respond(std::move(res));
  });
  if (!queued) throw Error(ErrorKind::unavailable, "busy", "the server is busy with other reports; try again shortly");
}

std::string session_cookie(const std::string& token, int max_age, bool secure) {
  return "cc_session=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age) +
         (secure ? "; Secure" : "");
}

std::string clear_session_cookie(bool secure) {
  return std::string("cc_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0") + (secure ? "; Secure" : "");
}

void add_routes(Api& api) {
  add_system_routes(api);
  add_auth_routes(api);
  add_challenge_routes(api);
  add_idea_routes(api);
  add_comment_routes(api);
  add_moderation_routes(api);
  add_feed_routes(api);
  add_workshop_routes(api);
  add_metrics_routes(api);
}

}  // namespace cc::api
