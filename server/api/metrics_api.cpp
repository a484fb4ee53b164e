// Impact measurement and the ideas export (SPEC §4, Metrics): for the design group only.
#include "api/api.hpp"
#include "api/services.hpp"
#include "service/metrics.hpp"

namespace cc::api {

void add_metrics_routes(Api& api) {
  auto& s = api.services();

  // Each reads a whole challenge (tens of milliseconds at 100,000 votes): apart.
  api.add("GET", "/api/v1/metrics/challenges/{id}", Access::design_group, [&s](Call& c) {
    answer_apart(s.slow_reads, c, [&s, id = c.id_param()] { return http::json_response(200, s.impact.challenge(id)); });
  });

  api.add("GET", "/api/v1/metrics/overview", Access::design_group, [&s](Call& c) {
    answer_apart(s.slow_reads, c, [&s] { return http::json_response(200, s.impact.overview()); });
  });

  api.add("GET", "/api/v1/export/challenges/{id}.csv", Access::design_group, [&s](Call& c) {
    answer_apart(s.slow_reads, c, [&s, id = c.id_param()] {
      http::Response res;
      res.status = 200;
      res.content_type = "text/csv; charset=utf-8";
      res.body = s.impact.ideas_csv(id);
      res.set("Content-Disposition", "attachment; filename=\"challenge-" + std::to_string(id) + "-ideas.csv\"");
      return res;
    });
  });
}

}  // namespace cc::api
