// Workshops and their queues, and rule-based forwarding from a challenge.
#include "api/api.hpp"
#include "api/services.hpp"
#include "json/fields.hpp"

namespace cc::api {

void add_workshop_routes(Api& api) {
  auto& s = api.services();

  api.add("GET", "/api/v1/workshops", Access::user, [&s](Call& c) {
    auto page = s.workshops.list(c.query("cursor"), c.limit());
    c.respond(http::json_response(200, page_json(page.items, page.next_cursor, service::workshop_json)));
  });

  api.add("GET", "/api/v1/workshops/{id}", Access::user, [&s](Call& c) {
    auto v = c.viewer();
    auto view = s.workshops.get(v, c.id_param());
    nlohmann::json queue = nlohmann::json::array();
    for (const auto& i : view.queue) queue.push_back(service::item_json(i, v));
    c.respond(http::json_response(200, {{"workshop", service::workshop_json(view.workshop)}, {"queue", queue}}));
  });

  api.add("POST", "/api/v1/workshops", Access::design_group, [&s](Call& c) {
    auto body = c.body();
    domain::Workshop w;
    w.title = json::required_string(body, "title");
    w.description = json::optional_string(body, "description").value_or("");
    w.scheduled_at = json::optional_string(body, "scheduled_at");
    s.workshops.create(c.viewer(), std::move(w), reply<domain::Workshop>(c.respond, [](const domain::Workshop& x) {
                         return http::json_response(201, {{"workshop", service::workshop_json(x)}});
                       }));
  });

  api.add("PATCH", "/api/v1/workshops/{id}", Access::design_group, [&s](Call& c) {
    s.workshops.update(c.viewer(), c.id_param(), c.body(), reply<domain::Workshop>(c.respond, [](const domain::Workshop& x) {
                         return http::json_response(200, {{"workshop", service::workshop_json(x)}});
                       }));
  });

  api.add("POST", "/api/v1/workshops/{id}/queue", Access::design_group, [&s](Call& c) {
    auto body = c.body();
    auto idea = json::required_int(body, "idea_id");
    auto note = json::optional_string(body, "note");
    auto v = c.viewer();
    s.workshops.enqueue(v, c.id_param(), idea, note, reply<service::QueuedItem>(c.respond, [v](const service::QueuedItem& q) {
                          return http::json_response(q.created ? 201 : 200, {{"item", service::item_json(q.item, v)}});
                        }));
  });

  api.add("PATCH", "/api/v1/workshops/{id}/queue/{item_id}", Access::design_group, [&s](Call& c) {
    auto body = c.body();
    service::ItemPatch p;
    if (auto pos = json::optional_int(body, "position")) {
      if (*pos < 1 || *pos > 100000) throw domain::validation_error("position", "position must be 1 or more");
      p.position = static_cast<int>(*pos);
    }
    if (auto st = json::optional_string(body, "state")) {
      p.state = domain::parse_item_state(*st);
      if (!p.state) throw domain::validation_error("state", "state must be queued, discussed, actioned or parked");
    }
    p.outcome_note = json::optional_string(body, "outcome_note");
    if (auto is = json::optional_string(body, "idea_status")) {
      p.idea_status = domain::parse_idea_status(*is);
      if (!p.idea_status) throw domain::validation_error("idea_status", "unknown idea status");
    }
    auto v = c.viewer();
    s.workshops.update_item(v, c.id_param(0), c.id_param(1), p,
                            reply<domain::WorkshopItem>(c.respond, [v](const domain::WorkshopItem& i) {
                              return http::json_response(200, {{"item", service::item_json(i, v)}});
                            }));
  });

  api.add("POST", "/api/v1/challenges/{id}/forward", Access::design_group, [&s](Call& c) {
    s.workshops.forward_challenge(c.viewer(), c.id_param(), reply<service::ForwardResult>(c.respond, [](const service::ForwardResult& r) {
                                    return http::json_response(200, {{"forwarded", r.forwarded}, {"already", r.already}});
                                  }));
  });
}

}  // namespace cc::api
