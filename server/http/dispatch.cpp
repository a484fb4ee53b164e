#include "http/dispatch.hpp"

#include "http/responses.hpp"

namespace cc::http {

Handler dispatcher(const Router& router, const StaticFiles& files) {
  return [&router, &files](Request& req, Respond respond) {
    auto found = router.find(req);
    if (found.match == Router::Match::found) return (*found.handler)(req, std::move(respond));
    bool api_path = req.path.rfind("/api/", 0) == 0 || req.path == "/api";
    if (found.match == Router::Match::wrong_method) {
      req.route = req.path.rfind("/api/", 0) == 0 ? "-api" : req.path;
      auto res = error_response(405, "method_not_allowed", "this address does not accept " + req.method);
      res.set("Allow", found.allow);
      return respond(std::move(res));
    }
    if (api_path) {
      req.route = "-api";
      return respond(error_response(404, "not_found", "there is no such API endpoint"));
    }
    req.route = "static";
    respond(files.serve(req));
  };
}

}  // namespace cc::http
