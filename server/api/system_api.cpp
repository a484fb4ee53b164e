// GET /healthz, GET /metrics (Prometheus) and GET /api/v1/principles.
#include "api/api.hpp"
#include "api/services.hpp"
#include "common/metrics.hpp"
#include "store/principles_repo.hpp"

namespace cc::api {
namespace {

// What the store does behind the answers: whether checkpoints keep the WAL short, and
// how many challenges are ranked from memory (store/idea_standings.hpp).
std::string store_metrics(const store::Store& st) {
  std::string out;
  auto metric = [&out](const char* name, const char* type, const char* help, std::uint64_t value) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    out.append(name).append(" ").append(std::to_string(value)).append("\n");
  };
  metric("carecrowd_db_checkpoints_total", "counter", "Checkpoints that copied WAL pages into the database.",
         st.checkpoints());
  metric("carecrowd_db_wal_restarts_total", "counter", "Times the WAL was written from its start again.",
         st.wal_restarts());
  metric("carecrowd_ranking_challenges_held", "gauge", "Challenges whose ideas' standings are kept in memory.",
         st.standings().challenges());
  metric("carecrowd_ranking_standings_forgotten_total", "counter",
         "Times the standings were dropped because another process (the admin CLI) wrote.",
         st.standings().forgotten());
  return out;
}

}  // namespace

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
    res.body = s.metrics.render() + store_metrics(s.store);
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
