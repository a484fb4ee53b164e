// POST /auth/register, /auth/login, /auth/logout and GET /me (SPEC §4, Sessions).
#include "api/api.hpp"
#include "api/services.hpp"
#include "json/fields.hpp"
#include "json/user_json.hpp"

namespace cc::api {

namespace {
http::Response signed_in_response(const service::SignedIn& s, int status, bool tls) {
  auto res = http::json_response(status, {{"user", json::user_json(s.user)}, {"csrf_token", s.csrf_token}});
  res.set("Set-Cookie", session_cookie(s.token, s.max_age_seconds, tls));
  return res;
}
}  // namespace

void add_auth_routes(Api& api) {
  auto& s = api.services();

  api.add("POST", "/api/v1/auth/register", Access::anyone, [&s](Call& c) {
    auto body = c.body();
    domain::NewUser u;
    u.email = json::required_string(body, "email");
    u.password = json::required_string(body, "password");
    u.display_name = json::required_string(body, "display_name");
    u.profession = json::required_string(body, "profession");
    u.organisation = json::required_string(body, "organisation");
    u.place = json::optional_string(body, "place");
    bool tls = c.req.tls;
    s.auth.register_user(std::move(u), reply<service::SignedIn>(c.respond, [tls](const service::SignedIn& si) {
                           return signed_in_response(si, 201, tls);
                         }));
  });

  api.add("POST", "/api/v1/auth/login", Access::anyone, [&s](Call& c) {
    auto body = c.body();
    auto email = json::required_string(body, "email");
    auto password = json::required_string(body, "password");
    bool tls = c.req.tls;
    s.auth.login(std::move(email), std::move(password), c.req.remote_ip,
                 reply<service::SignedIn>(c.respond, [tls](const service::SignedIn& si) {
                   return signed_in_response(si, 200, tls);
                 }));
  });

  api.add("POST", "/api/v1/auth/logout", Access::user, [&s](Call& c) {
    bool tls = c.req.tls;
    s.auth.logout(c.session->session_id(), reply<bool>(c.respond, [tls](bool) {
                    auto res = http::no_content();
                    res.set("Set-Cookie", clear_session_cookie(tls));
                    return res;
                  }));
  });

  api.add("GET", "/api/v1/me", Access::user, [](Call& c) {
    c.respond(http::json_response(200, {{"user", json::user_json(c.user())}, {"csrf_token", c.session->csrf_token()}}));
  });
}

}  // namespace cc::api
