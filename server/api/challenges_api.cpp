// /api/v1/challenges: list, read (with counts), create, edit.
#include "api/api.hpp"
#include "api/services.hpp"
#include "json/domain_json.hpp"
#include "json/request_json.hpp"

namespace cc::api {

void add_challenge_routes(Api& api) {
  auto& s = api.services();

  api.add("GET", "/api/v1/challenges", Access::user, [&s](Call& c) {
    std::optional<domain::ChallengeStatus> status;
    if (auto q = c.query("status"); q && !q->empty()) {
      status = domain::parse_challenge_status(*q);
      if (!status) throw domain::validation_error("status", "status must be draft, open, closed or archived");
    }
    auto page = s.challenges.list(c.viewer(), status, c.query_int("principle"), c.query("cursor"), c.limit());
    c.respond(http::json_response(200, page_json(page.items, page.next_cursor, json::challenge_json)));
  });

  api.add("GET", "/api/v1/challenges/{id}", Access::user, [&s](Call& c) {
    c.respond(http::json_response(200, {{"challenge", json::challenge_json(s.challenges.get(c.viewer(), c.id_param()))}}));
  });

  api.add("POST", "/api/v1/challenges", Access::design_group, [&s](Call& c) {
    auto patch = json::challenge_patch_from_json(c.body());
    s.challenges.create(c.viewer(), std::move(patch), reply<domain::Challenge>(c.respond, [](const domain::Challenge& ch) {
                          return http::json_response(201, {{"challenge", json::challenge_json(ch)}});
                        }));
  });

  api.add("PATCH", "/api/v1/challenges/{id}", Access::design_group, [&s](Call& c) {
    auto patch = json::challenge_patch_from_json(c.body());
    s.challenges.update(c.viewer(), c.id_param(), std::move(patch),
                        reply<domain::Challenge>(c.respond, [](const domain::Challenge& ch) {
                          return http::json_response(200, {{"challenge", json::challenge_json(ch)}});
                        }));
  });
}

}  // namespace cc::api
