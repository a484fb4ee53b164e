// The access-control matrix: every route (SPEC §4, plus /ws, /healthz and /metrics) for
// anonymous, staff, design_group and admin callers, from one table. Also CSRF and Origin
// on every write, and no session fixation.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "support/harness.hpp"
#include "support/ws_client.hpp"

using namespace cc::test;

namespace {

// What a caller gets: 401, 403, or let through (any other answer below 500: 2xx, or a
// 404/409/422 when the made-up body or id does not fit; the role check comes first).
enum Expect { U, F, A };

struct Row {
  const char* method;  // "WS" for the WebSocket handshake
  const char* path;    // {challenge}, {idea}, ... are filled from the fixture below
  const char* body;    // JSON, or "" for none
  Expect anonymous, staff, design_group, admin;
};

// {idea} and {comment} belong to another staff member; {own_idea} and {own_comment} to
// the staff caller. Rows that would change what later rows rely on use made-up ids
// (999999) or bodies that fail validation; logout comes last, as it ends the session.
const Row kMatrix[] = {
    // method   path                                        body                                                   anon staff dg admin
    {"POST",   "/api/v1/auth/register",                     "{}",                                                  A, A, A, A},
    {"POST",   "/api/v1/auth/login",                        "{}",                                                  A, A, A, A},
    {"GET",    "/api/v1/me",                                "",                                                    U, A, A, A},
    {"GET",    "/api/v1/principles",                        "",                                                    U, A, A, A},
    {"GET",    "/api/v1/challenges",                        "",                                                    U, A, A, A},
    {"POST",   "/api/v1/challenges",                        "{}",                                                  U, F, A, A},
    {"GET",    "/api/v1/challenges/{challenge}",            "",                                                    U, A, A, A},
    {"PATCH",  "/api/v1/challenges/{challenge}",            "{}",                                                  U, F, A, A},
    {"GET",    "/api/v1/challenges/{challenge}/ideas",      "",                                                    U, A, A, A},
    {"POST",   "/api/v1/challenges/{challenge}/ideas",      R"({"title": "Matrix idea", "body": "b"})",            U, A, A, A},
    {"PUT",    "/api/v1/challenges/{challenge}/follow",     R"({"follow": true})",                                 U, A, A, A},
    {"POST",   "/api/v1/challenges/999999/forward",        "",                                                    U, F, A, A},
    {"GET",    "/api/v1/ideas/{idea}",                      "",                                                    U, A, A, A},
    {"PATCH",  "/api/v1/ideas/{idea}",                      R"({"title": "Renamed by someone else"})",             U, F, F, F},
    {"PATCH",  "/api/v1/ideas/{own_idea}",                  R"({"title": "Renamed by its author"})",               U, A, F, F},
    {"PATCH",  "/api/v1/ideas/{idea}",                      R"({"status": "under_review", "status_note": "n"})",   U, F, A, A},
    {"POST",   "/api/v1/ideas/{idea}/merge",                R"({"into_id": 999999})",                              U, F, A, A},
    {"POST",   "/api/v1/ideas/{idea}/unmerge",              "",                                                    U, F, A, A},
    {"PUT",    "/api/v1/ideas/{idea}/vote",                 R"({"value": 1})",                                     U, A, A, A},
    {"PUT",    "/api/v1/ideas/{idea}/follow",               R"({"follow": true})",                                 U, A, A, A},
    {"GET",    "/api/v1/ideas/{idea}/comments",             "",                                                    U, A, A, A},
    {"POST",   "/api/v1/ideas/{idea}/comments",             R"({"body": "A matrix comment"})",                     U, A, A, A},
    {"PATCH",  "/api/v1/comments/{comment}",                R"({"body": "Edited"})",                               U, F, A, A},
    {"PATCH",  "/api/v1/comments/{own_comment}",            R"({"body": "Edited by its author"})",                 U, A, A, A},
    {"DELETE", "/api/v1/comments/{comment}",                "",                                                    U, F, A, A},
    {"POST",   "/api/v1/flags",                             R"({"target": "idea", "id": {idea}, "reason": "r"})",  U, A, A, A},
    {"GET",    "/api/v1/flags",                             "",                                                    U, F, A, A},
    {"PATCH",  "/api/v1/flags/{flag}",                      R"({"action": "no-such-action"})",                     U, F, A, A},
    {"GET",    "/api/v1/search?q=matrix",                   "",                                                    U, A, A, A},
    {"GET",    "/api/v1/workshops",                         "",                                                    U, A, A, A},
    {"POST",   "/api/v1/workshops",                         "{}",                                                  U, F, A, A},
    {"GET",    "/api/v1/workshops/{workshop}",              "",                                                    U, A, A, A},
    {"PATCH",  "/api/v1/workshops/{workshop}",              "{}",                                                  U, F, A, A},
    {"POST",   "/api/v1/workshops/{workshop}/queue",        R"({"idea_id": 999999})",                              U, F, A, A},
    {"PATCH",  "/api/v1/workshops/{workshop}/queue/999999", "{}",                                                  U, F, A, A},
    {"GET",    "/api/v1/metrics/challenges/{challenge}",    "",                                                    U, F, A, A},
    {"GET",    "/api/v1/metrics/overview",                  "",                                                    U, F, A, A},
    {"GET",    "/api/v1/export/challenges/{challenge}.csv", "",                                                    U, F, A, A},
    {"GET",    "/api/v1/events?since=0",                    "",                                                    U, A, A, A},
    {"GET",    "/api/v1/notifications",                     "",                                                    U, A, A, A},
    {"POST",   "/api/v1/notifications/read",                R"({"all": true})",                                    U, A, A, A},
    {"WS",     "/ws",                                       "",                                                    U, A, A, A},
    // Outside the API: health and the Prometheus text carry no personal data (counts by
    // route and status only) and are open; restrict /metrics at the proxy if wanted.
    {"GET",    "/healthz",                                  "",                                                    A, A, A, A},
    {"GET",    "/metrics",                                  "",                                                    A, A, A, A},
    {"POST",   "/api/v1/auth/logout",                       "",                                                    U, A, A, A},
};

const char* name_of(Expect e) { return e == U ? "401" : e == F ? "403" : "allowed"; }

bool is_write(const std::string& method) { return method != "GET" && method != "WS"; }

// The route pattern a path was written from: every {placeholder} and number becomes {}.
std::string pattern_of(std::string path) {
  path = path.substr(0, path.find('?'));
  return std::regex_replace(path, std::regex(R"(\{[a-z_]+\}|[0-9]+)"), "{}");
}

struct Matrix {
  Deployment d;
  std::string staff_email = d.add_user("sam", "staff");
  std::string author_email = d.add_user("olu", "staff");
  Client anonymous = d.client();
  Client staff = d.signed_in(staff_email);
  Client author = d.signed_in(author_email);
  Client lead = d.signed_in(d.add_user("dora", "design_group"));
  Client admin = d.signed_in(d.add_user("ada", "admin"));
  std::map<std::string, std::string> ids;

  Matrix() {
    auto created = [](const Response& r, const char* key) {
      if (r.status != 201) throw std::runtime_error(std::string("set-up of ") + key + " failed: " + r.body);
      return std::to_string(r.json_body()[key]["id"].get<long long>());
    };
    ids["challenge"] = created(
        lead.post("/api/v1/challenges", {{"title", "Matrix challenge"}, {"brief", "b"}, {"principle_ids", {1}}, {"status", "open"}}),
        "challenge");
    std::string ideas = "/api/v1/challenges/" + ids["challenge"] + "/ideas";
    ids["idea"] = created(author.post(ideas, {{"title", "Someone else's idea"}, {"body", "b"}}), "idea");
    ids["own_idea"] = created(staff.post(ideas, {{"title", "Staff's own idea"}, {"body", "b"}}), "idea");
    ids["comment"] = created(author.post("/api/v1/ideas/" + ids["idea"] + "/comments", {{"body", "theirs"}}), "comment");
    ids["own_comment"] = created(staff.post("/api/v1/ideas/" + ids["idea"] + "/comments", {{"body", "mine"}}), "comment");
    ids["flag"] = created(author.post("/api/v1/flags", {{"target", "idea"}, {"id", std::stoll(ids["own_idea"])}, {"reason", "r"}}), "flag");
    ids["workshop"] = created(lead.post("/api/v1/workshops", {{"title", "Matrix workshop"}}), "workshop");
  }

  std::string fill(std::string text) const {
    for (const auto& [key, id] : ids) {
      std::string hole = "{" + key + "}";
      for (auto at = text.find(hole); at != std::string::npos; at = text.find(hole)) text.replace(at, hole.size(), id);
    }
    return text;
  }

  // The status a caller gets for a row (the WebSocket handshake's HTTP status for /ws).
  int call(Client& who, const Row& row, std::map<std::string, std::string> headers = {}) {
    std::string path = fill(row.path);
    if (std::string(row.method) == "WS") {
      try {
        WsClient ws(d.server->host(), d.server->port(), {who.cookies, std::nullopt});
        return 101;
      } catch (const WsRefused& e) {
        return e.status;
      }
    }
    std::optional<json> body;
    if (*row.body) body = json::parse(fill(row.body));
    auto r = who.request(row.method, path, body, std::move(headers));
    // Refusals use the documented error shape.
    if (r.status == 401 && r.json_body()["error"]["code"] != "unauthenticated") return -401;
    if (r.status == 403 && r.json_body()["error"]["code"] != "forbidden") return -403;
    return r.status;
  }
};

}  // namespace

TEST(AccessMatrix, EveryRouteForEveryRole) {
  Matrix m;
  std::vector<std::string> mismatches;
  for (const Row& row : kMatrix) {
    std::pair<Client*, Expect> callers[] = {
        {&m.anonymous, row.anonymous}, {&m.staff, row.staff}, {&m.lead, row.design_group}, {&m.admin, row.admin}};
    const char* roles[] = {"anonymous", "staff", "design_group", "admin"};
    for (int i = 0; i < 4; ++i) {
      int status = m.call(*callers[i].first, row);
      Expect got = status == 401 ? U : status == 403 ? F : A;
      bool ok = got == callers[i].second && status > 0 && status < 500;
      if (!ok)
        mismatches.push_back(std::string(row.method) + " " + row.path + " as " + roles[i] + ": expected " +
                             name_of(callers[i].second) + ", got " + std::to_string(status));
    }
  }
  std::string report;
  for (const auto& line : mismatches) report += "\n  " + line;
  EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " mismatches:" << report;
}

TEST(AccessMatrix, TheTableListsEveryRouteTheServerRegisters) {
  // Read the routes from the API sources, so a new route without a row fails here.
  std::set<std::pair<std::string, std::string>> in_table;
  for (const Row& row : kMatrix) in_table.insert({row.method == std::string("WS") ? "GET" : row.method, pattern_of(row.path)});
  std::regex add(R"re(api\.add\("([A-Z]+)",\s*"([^"]+)")re");
  int found = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CARECROWD_SOURCE_DIR) + "/server/api")) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::string source = text.str();
    for (std::sregex_iterator it(source.begin(), source.end(), add), end; it != end; ++it) {
      ++found;
      std::string method = (*it)[1], path = (*it)[2];
      EXPECT_TRUE(in_table.count({method, pattern_of(path)})) << method << " " << path << " has no row in the matrix";
    }
  }
  EXPECT_GT(found, 30);
}

TEST(AccessMatrix, EveryWriteNeedsTheCsrfToken) {
  Matrix m;
  for (const Row& row : kMatrix) {
    if (!is_write(row.method) || row.anonymous != U) continue;  // only session writes carry the token
    for (const std::string token : {"", "not-the-token"}) {
      Client c = m.admin;
      c.csrf = token;
      auto r = c.request(row.method, m.fill(row.path), *row.body ? std::optional<json>(json::parse(m.fill(row.body))) : std::nullopt);
      EXPECT_EQ(r.status, 403) << row.method << " " << row.path << " with token '" << token << "'";
      EXPECT_EQ(r.json_body()["error"]["code"], "csrf") << row.method << " " << row.path;
    }
  }
  EXPECT_EQ(m.admin.get("/api/v1/me").status, 200) << "nothing above signed the admin out";
}

TEST(AccessMatrix, EveryWriteAndTheWebSocketRefuseAForeignOrigin) {
  Matrix m;
  for (const Row& row : kMatrix) {
    if (!is_write(row.method)) continue;
    for (Client* who : {&m.anonymous, &m.admin}) {
      int status = m.call(*who, row, {{"Origin", "https://evil.example"}});
      EXPECT_EQ(status, -403) << row.method << " " << row.path << ": a foreign Origin must get 403 csrf";
    }
  }
  for (const std::string origin : {"https://evil.example", "null"}) {
    try {
      WsClient ws(m.d.server->host(), m.d.server->port(), {m.admin.cookies, origin});
      ADD_FAILURE() << "a WebSocket from " << origin << " was accepted";
    } catch (const WsRefused& e) {
      EXPECT_EQ(e.status, 403) << origin;
    }
  }
  EXPECT_EQ(m.admin.get("/api/v1/me").status, 200);
}

TEST(AccessMatrix, ACookieSetBeforeLoginIsNeverHonouredAfterIt) {
  Deployment d;
  auto victim_email = d.add_user("vic", "design_group");
  // An attacker's own valid session, planted in the victim's browser before they sign in.
  Client attacker = d.signed_in(d.add_user("mal", "staff"));
  std::string planted = attacker.cookies.at("cc_session");
  Client victim = d.client();
  victim.cookies["cc_session"] = planted;
  auto login = victim.login(victim_email, Deployment::kPassword);
  ASSERT_EQ(login.status, 200);
  EXPECT_NE(victim.cookies.at("cc_session"), planted) << "login must issue a new token";
  EXPECT_EQ(victim.get("/api/v1/me").json_body()["user"]["email"], victim_email);
  // The planted token still belongs to the attacker alone: it never gained the victim's identity.
  EXPECT_EQ(attacker.get("/api/v1/me").json_body()["user"]["email"], "mal@example.nhs.uk");
  EXPECT_EQ(attacker.post("/api/v1/challenges", {{"title", "Planted"}, {"brief", "b"}, {"principle_ids", {1}}}).status, 403);

  // A made-up value is never honoured, before or after a login that carried it.
  Client forged = d.client();
  forged.cookies["cc_session"] = "chosen-by-the-attacker-0123456789abcdef";
  EXPECT_EQ(forged.get("/api/v1/me").status, 401);
  ASSERT_EQ(forged.login(victim_email, Deployment::kPassword).status, 200);
  Client replay = d.client();
  replay.cookies["cc_session"] = "chosen-by-the-attacker-0123456789abcdef";
  EXPECT_EQ(replay.get("/api/v1/me").status, 401);
}
