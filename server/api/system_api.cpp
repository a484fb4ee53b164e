// GET /healthz, GET /metrics (Prometheus) and GET /api/v1/principles.
#include "api/api.hpp"
#include "api/services.hpp"
#include "common/metrics.hpp"
#include "store/principles_repo.hpp"

namespace cc::api {

void add_system_routes(Api& api) {
  auto& s = api.services();

  api.add("GET", "/healthz", Access::anyone, [&s](Call& c) {
    // Healthy once the database answers a query.
    s.store.reader().scalar_int("SELECT count(*) FROM principles");
    c.respond(http::json_response(200, {{"status", "ok"}}));
  });

  api.add("GET", "/metrics", Access::anyone, [&s](Call& c) {
    http::Response res;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    res.body = s.metrics.render();
    c.respond(std::move(res));
  });

  api.add("GET", "/api/v1/principles", Access::user, [&s](Call& c) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& p : store::list_principles(s.store.reader()))
      items.push_back({{"id", p.id}, {"code", p.code}, {"title", p.title}, {"summary", p.summary}});
    c.respond(http::json_response(200, {{"items", std::move(items)}}));
  });
}

}  // namespace cc::api
