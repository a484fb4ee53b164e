// Comments on an idea: list (oldest first), write, edit, delete.
#include "api/api.hpp"
#include "api/services.hpp"
#include "json/domain_json.hpp"
#include "json/fields.hpp"

namespace cc::api {

void add_comment_routes(Api& api) {
  auto& s = api.services();

  api.add("GET", "/api/v1/ideas/{id}/comments", Access::user, [&s](Call& c) {
    auto v = c.viewer();
    auto page = s.comments.list(v, c.id_param(), c.query("cursor"), c.limit());
    c.respond(http::json_response(
        200, page_json(page.items, page.next_cursor, [&v](const domain::Comment& x) { return json::comment_json(x, v); })));
  });

  api.add("POST", "/api/v1/ideas/{id}/comments", Access::user, [&s](Call& c) {
    auto body = c.body();
    auto text = json::required_string(body, "body");
    auto parent = json::optional_int(body, "parent_id");
    bool confirmed = json::optional_bool(body, "confirm_no_patient_data").value_or(false);
    limit_writes(s, c);
    auto v = c.viewer();
    s.comments.create(v, c.id_param(), std::move(text), parent, confirmed,
                      reply<domain::Comment>(c.respond, [v](const domain::Comment& x) {
                        return http::json_response(201, {{"comment", json::comment_json(x, v)}});
                      }));
  });

  api.add("PATCH", "/api/v1/comments/{id}", Access::user, [&s](Call& c) {
    auto body = c.body();
    auto text = json::required_string(body, "body");
    bool confirmed = json::optional_bool(body, "confirm_no_patient_data").value_or(false);
    auto v = c.viewer();
    s.comments.edit(v, c.id_param(), std::move(text), confirmed, reply<domain::Comment>(c.respond, [v](const domain::Comment& x) {
                      return http::json_response(200, {{"comment", json::comment_json(x, v)}});
                    }));
  });

  api.add("DELETE", "/api/v1/comments/{id}", Access::user, [&s](Call& c) {
    s.comments.remove(c.viewer(), c.id_param(), reply<bool>(c.respond, [](bool) { return http::no_content(); }));
  });
}

}  // namespace cc::api
