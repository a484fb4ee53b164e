// Flags: POST /flags (anyone), GET /flags and PATCH /flags/{id} (design group).
#include "api/api.hpp"
#include "api/services.hpp"
#include "json/fields.hpp"

namespace cc::api {

void add_moderation_routes(Api& api) {
  auto& s = api.services();

  api.add("POST", "/api/v1/flags", Access::user, [&s](Call& c) {
    auto body = c.body();
    auto target = json::required_string(body, "target");
    auto id = json::required_int(body, "id");
    auto reason = json::required_string(body, "reason");
    limit_writes(s, c);
    s.moderation.flag(c.viewer(), target, id, std::move(reason), reply<store::FlagRow>(c.respond, [](const store::FlagRow& f) {
                        return http::json_response(201, {{"flag", service::flag_json(f)}});
                      }));
  });

  api.add("GET", "/api/v1/flags", Access::design_group, [&s](Call& c) {
    auto state = c.query("state");
    if (state && state->empty()) state.reset();
    auto page = s.moderation.list(state, c.query("cursor"), c.limit());
    c.respond(http::json_response(200, page_json(page.items, page.next_cursor, service::flag_json)));
  });

  api.add("PATCH", "/api/v1/flags/{id}", Access::design_group, [&s](Call& c) {
    auto body = c.body();
    auto state = json::optional_string(body, "state").value_or("resolved");
    auto action = json::required_string(body, "action");
    auto note = json::optional_string(body, "note").value_or("");
    s.moderation.resolve(c.viewer(), c.id_param(), state, action, std::move(note),
                         reply<store::FlagRow>(c.respond, [](const store::FlagRow& f) {
                           return http::json_response(200, {{"flag", service::flag_json(f)}});
                         }));
  });
}

}  // namespace cc::api
