#include <gtest/gtest.h>

#include <tuple>

#include "http/router.hpp"

using cc::http::Request;
using cc::http::Router;

namespace {

// Each handler answers with its own name, so a test can tell which one was found.
struct RouterFixture {
  Router router;
  RouterFixture() {
    for (const auto& [method, pattern] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/api/v1/challenges"},
             {"POST", "/api/v1/challenges"},
             {"GET", "/api/v1/challenges/{id}"},
             {"PATCH", "/api/v1/challenges/{id}"},
             {"GET", "/api/v1/challenges/{id}/ideas"},
             {"GET", "/api/v1/challenges/new"},
             {"PATCH", "/api/v1/workshops/{id}/queue/{item_id}"},
             {"GET", "/api/v1/export/challenges/{id}.csv"},
             {"PUT", "/api/v1/ideas/{id}/vote"},
         }) {
      std::string name = method + " " + pattern;
      router.add(method, pattern, [name](Request& req, cc::http::Respond respond) {
        cc::http::Response res;
        res.body = name;
        respond(std::move(res));
      });
    }
  }

  struct Found {
    Router::Match match;
    std::string handler;  // which handler answered, "" if none
    std::string allow;
    std::vector<std::string> params;
    std::string route;
  };
  Found find(const std::string& method, const std::string& path) {
    Request req;
    req.method = method;
    req.path = path;
    auto r = router.find(req);
    Found f{r.match, "", r.allow, req.params, req.route};
    if (r.handler) (*r.handler)(req, [&f](cc::http::Response res) { f.handler = res.body; });
    return f;
  }
};

}  // namespace

TEST(Router, MatchesLiteralPaths) {
  RouterFixture fx;
  auto f = fx.find("GET", "/api/v1/challenges");
  EXPECT_EQ(f.match, Router::Match::found);
  EXPECT_EQ(f.handler, "GET /api/v1/challenges");
  EXPECT_TRUE(f.params.empty());
  EXPECT_EQ(f.route, "/api/v1/challenges");
  EXPECT_EQ(fx.find("POST", "/api/v1/challenges").handler, "POST /api/v1/challenges");
  // A trailing slash or a doubled slash names the same resource.
  EXPECT_EQ(fx.find("GET", "/api/v1/challenges/").handler, "GET /api/v1/challenges");
  // Case matters.
  EXPECT_EQ(fx.find("GET", "/API/v1/challenges").match, Router::Match::none);
}

TEST(Router, FillsNamedSegmentsInOrder) {
  RouterFixture fx;
  auto f = fx.find("GET", "/api/v1/challenges/42");
  ASSERT_EQ(f.match, Router::Match::found);
  EXPECT_EQ(f.handler, "GET /api/v1/challenges/{id}");
  EXPECT_EQ(f.params, std::vector<std::string>{"42"});
  EXPECT_EQ(f.route, "/api/v1/challenges/{id}");

  auto q = fx.find("PATCH", "/api/v1/workshops/7/queue/99");
  ASSERT_EQ(q.match, Router::Match::found);
  EXPECT_EQ(q.params, (std::vector<std::string>{"7", "99"}));

  auto ideas = fx.find("GET", "/api/v1/challenges/5/ideas");
  EXPECT_EQ(ideas.handler, "GET /api/v1/challenges/{id}/ideas");
  EXPECT_EQ(ideas.params, std::vector<std::string>{"5"});

  // A parameter is one whole segment: never empty, never spanning a slash.
  EXPECT_EQ(fx.find("GET", "/api/v1/challenges/5/ideas/extra").match, Router::Match::none);
  EXPECT_EQ(fx.find("PATCH", "/api/v1/workshops/7/queue").match, Router::Match::none);
}

TEST(Router, ALiteralSegmentBeatsAParameterWhateverTheOrder) {
  RouterFixture fx;  // "/challenges/new" was added after "/challenges/{id}"
  auto f = fx.find("GET", "/api/v1/challenges/new");
  EXPECT_EQ(f.match, Router::Match::found);
  EXPECT_EQ(f.handler, "GET /api/v1/challenges/new");
  EXPECT_TRUE(f.params.empty());
  EXPECT_EQ(fx.find("GET", "/api/v1/challenges/7").handler, "GET /api/v1/challenges/{id}");
  // A method only the parameter route has still reaches it.
  auto patch = fx.find("PATCH", "/api/v1/challenges/new");
  EXPECT_EQ(patch.handler, "PATCH /api/v1/challenges/{id}");
  EXPECT_EQ(patch.params, std::vector<std::string>{"new"});

  Router reversed;
  std::string seen;
  reversed.add("GET", "/things/new", [&seen](Request&, cc::http::Respond) { seen = "literal"; });
  reversed.add("GET", "/things/{id}", [&seen](Request&, cc::http::Respond) { seen = "param"; });
  reversed.add("GET", "/things/{id}.csv", [&seen](Request&, cc::http::Respond) { seen = "suffix"; });
  for (const auto& [path, want] : std::vector<std::pair<std::string, std::string>>{
           {"/things/new", "literal"}, {"/things/3", "param"}, {"/things/3.csv", "suffix"}}) {
    Request req;
    req.method = "GET";
    req.path = path;
    auto r = reversed.find(req);
    ASSERT_EQ(r.match, Router::Match::found) << path;
    (*r.handler)(req, [](cc::http::Response) {});
    EXPECT_EQ(seen, want) << path;
  }
}

TEST(Router, MatchesSuffixParameters) {
  RouterFixture fx;
  auto f = fx.find("GET", "/api/v1/export/challenges/12.csv");
  ASSERT_EQ(f.match, Router::Match::found);
  EXPECT_EQ(f.handler, "GET /api/v1/export/challenges/{id}.csv");
  EXPECT_EQ(f.params, std::vector<std::string>{"12"});
  EXPECT_EQ(f.route, "/api/v1/export/challenges/{id}.csv");
  // Without the suffix, with another one, or with nothing before it: no match.
  EXPECT_EQ(fx.find("GET", "/api/v1/export/challenges/12").match, Router::Match::none);
  EXPECT_EQ(fx.find("GET", "/api/v1/export/challenges/12.json").match, Router::Match::none);
  EXPECT_EQ(fx.find("GET", "/api/v1/export/challenges/.csv").match, Router::Match::none);
  // The suffix is taken off the end only.
  auto dotted = fx.find("GET", "/api/v1/export/challenges/1.csv.csv");
  ASSERT_EQ(dotted.match, Router::Match::found);
  EXPECT_EQ(dotted.params, std::vector<std::string>{"1.csv"});
}

TEST(Router, WrongMethodListsTheMethodsThePathAccepts) {
  RouterFixture fx;
  auto f = fx.find("DELETE", "/api/v1/challenges/3");
  EXPECT_EQ(f.match, Router::Match::wrong_method);
  EXPECT_TRUE(f.handler.empty());
  EXPECT_EQ(f.allow, "GET, PATCH");

  auto list = fx.find("PUT", "/api/v1/challenges");
  EXPECT_EQ(list.match, Router::Match::wrong_method);
  EXPECT_EQ(list.allow, "GET, POST");

  auto vote = fx.find("GET", "/api/v1/ideas/3/vote");
  EXPECT_EQ(vote.match, Router::Match::wrong_method);
  EXPECT_EQ(vote.allow, "PUT");

  auto trace = fx.find("TRACE", "/api/v1/challenges");
  EXPECT_EQ(trace.match, Router::Match::wrong_method);

  // Two patterns matching the same path name each method once.
  auto both = fx.find("DELETE", "/api/v1/challenges/new");
  EXPECT_EQ(both.match, Router::Match::wrong_method);
  EXPECT_EQ(both.allow, "GET, PATCH");
}

TEST(Router, HeadIsAnsweredByGet) {
  RouterFixture fx;
  auto f = fx.find("HEAD", "/api/v1/challenges/8");
  EXPECT_EQ(f.match, Router::Match::found);
  EXPECT_EQ(f.handler, "GET /api/v1/challenges/{id}");
  EXPECT_EQ(f.params, std::vector<std::string>{"8"});
  // But not by anything else.
  EXPECT_EQ(fx.find("HEAD", "/api/v1/ideas/3/vote").match, Router::Match::wrong_method);
}

TEST(Router, UnknownPathsMatchNothing) {
  RouterFixture fx;
  for (const std::string path : {"/", "", "/api", "/api/v1", "/api/v1/nothing", "/api/v1/challengesx",
                                 "/api/v1/challenges/1/2/3/4"}) {
    auto f = fx.find("GET", path);
    EXPECT_EQ(f.match, Router::Match::none) << path;
    EXPECT_TRUE(f.allow.empty()) << path;
    EXPECT_TRUE(f.params.empty()) << path;
  }
}

TEST(Router, RefusesMalformedPatterns) {
  Router r;
  EXPECT_THROW(r.add("GET", "/api/v1/things/{id", [](Request&, cc::http::Respond) {}), std::invalid_argument);
}

TEST(Router, EveryPatternAPathFitsIsWeighedNotTheFirstBranch) {
  Router r;
  std::string seen;
  auto named = [&seen](std::string name) { return [&seen, name](Request&, cc::http::Respond) { seen = name; }; };
  r.add("GET", "/things/new/view", named("literal branch"));
  r.add("GET", "/things/{id}/edit", named("parameter branch"));
  r.add("GET", "/files/{a}.csv/{b}", named("suffix, then parameter"));
  r.add("GET", "/files/{a}sv/raw", named("other suffix, then literal"));
  for (const auto& [path, want, params] : std::vector<std::tuple<std::string, std::string, std::vector<std::string>>>{
           {"/things/new/edit", "parameter branch", {"new"}},  // the literal branch ends nowhere
           {"/things/new/view", "literal branch", {}},
           {"/files/1.csv/raw", "other suffix, then literal", {"1.c"}},  // more specific further on
           {"/files/1.csv/x", "suffix, then parameter", {"1", "x"}}}) {
    Request req;
    req.method = "GET";
    req.path = path;
    auto found = r.find(req);
    ASSERT_EQ(found.match, Router::Match::found) << path;
    (*found.handler)(req, [](cc::http::Response) {});
    EXPECT_EQ(seen, want) << path;
    EXPECT_EQ(req.params, params) << path;
  }
}
