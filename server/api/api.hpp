#pragma once
// The API layer: turns HTTP requests into service calls and their outcomes into JSON.
// Every route goes through one guard that resolves the session, checks the Origin and
// the CSRF token on writes, and checks the role (SPEC §1, §4 Sessions).
#include <nlohmann/json.hpp>

#include "domain/error.hpp"
#include "domain/roles.hpp"
#include "domain/viewer.hpp"
#include "http/responses.hpp"
#include "http/router.hpp"
#include "json/writer.hpp"
#include "service/auth.hpp"
#include "service/outcome.hpp"

namespace cc {
class Metrics;
class WorkerPool;
}

namespace cc::api {

enum class Access { anyone, user, design_group, admin };

struct Services;

// One API call in progress. Handlers copy what they need out of it before going async;
// `respond` keeps the request alive until it is called.
struct Call {
  http::Request& req;
  http::Respond respond;
  std::optional<service::AuthSession> session;

  const domain::User& user() const { return session->user(); }
  domain::Viewer viewer() const {
    return session ? domain::Viewer{session->user().id, session->user().role} : domain::Viewer{};
  }
  // Query parameters.
  std::optional<std::string> query(std::string_view name) const { return req.query_param(name); }
  std::optional<std::int64_t> query_int(std::string_view name) const;
  int limit() const;
  bool privileged() const { return session && domain::at_least(session->user().role, domain::Role::design_group); }
  nlohmann::json body() const { return http::parse_json_object(req); }
  std::int64_t id_param(std::size_t i = 0) const;
};

using ApiHandler = std::function<void(Call&)>;

// A Then<T> that answers the call with make(value), or with the error.
template <class T, class F>
service::Then<T> reply(http::Respond respond, F make) {
  return [respond = std::move(respond), make = std::move(make)](service::Outcome<T> o) {
    if (o.error) return respond(http::response_for_exception(o.error));
    try {
      respond(make(*o.value));
    } catch (...) {
      respond(http::response_for_exception(std::current_exception()));
    }
  };
}

// Answers the call with make(), run on `pool` (the one for slow reads,
// Services::slow_reads) rather than on this I/O thread: each I/O thread serves only its
// own connections (net/server.hpp), and a read of tens of milliseconds (the metrics, an
// export) would hold them all up. An error make() throws is answered as any other; a
// full queue answers 503.
void answer_apart(WorkerPool& pool, Call& c, std::function<http::Response()> make);

class Api {
public:
  Api(http::Router& router, Services& services) : router_(router), services_(services) {}
  void add(const std::string& method, const std::string& pattern, Access access, ApiHandler handler);
  Services& services() { return services_; }

private:
  http::Router& router_;
  Services& services_;
};

// Registers every API route (one function per resource file).
void add_routes(Api& api);
void add_auth_routes(Api& api);
void add_system_routes(Api& api);
void add_challenge_routes(Api& api);
void add_idea_routes(Api& api);
void add_comment_routes(Api& api);
void add_moderation_routes(Api& api);
void add_feed_routes(Api& api);
void add_workshop_routes(Api& api);
void add_metrics_routes(Api& api);

// Counts one contribution by the caller against the per-user write limit (429 past it).
void limit_writes(Services& s, const Call& c);

// {"items": [...], "next_cursor": ...}
template <class T, class F>
nlohmann::json page_json(const std::vector<T>& items, const std::optional<std::string>& next, F to_json) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& i : items) arr.push_back(to_json(i));
  return {{"items", std::move(arr)}, {"next_cursor", next ? nlohmann::json(*next) : nlohmann::json()}};
}

// The same page written straight as text, for the hot lists: write_item(TextWriter&, item)
// writes one item.
template <class T, class F>
http::Response page_response(const std::vector<T>& items, const std::optional<std::string>& next, F write_item) {
  std::string out;
  out.reserve(64 + items.size() * 768);
  json::TextWriter w(out);
  w.begin_object().key("items").begin_array();
  for (const auto& i : items) write_item(w, i);
  w.end_array().key("next_cursor").optional(next).end_object();
  return http::json_text_response(200, std::move(out));
}

// The cookie that carries the session.
std::string session_cookie(const std::string& token, int max_age, bool secure);
std::string clear_session_cookie(bool secure);

}  // namespace cc::api
