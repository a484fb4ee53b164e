// The server's log (standard error): sign-ins, failures and requests are recorded, but
// never a password, a session token, a CSRF token or a cookie, and user text is escaped
// so that no one can forge a line or colour a terminal.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "support/harness.hpp"

using namespace cc::test;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(Logging, NoSecretsAndNoForgedLines) {
  ServerProcess::Options o;
  o.env = {{"CARECROWD_LOG_LEVEL", "debug"}};
  Deployment d(o);
  auto email = d.add_user("sam", "staff");
  auto lead = d.signed_in(d.add_user("dora", "design_group"));

  const std::string wrong_password = "Wrong-Password-Never-Logged-1";
  const std::string forged = "\n2026-01-01T00:00:00Z info event=login user=1 forged=yes\x1b[31m";
  Client c = d.client();
  EXPECT_EQ(c.login(email, wrong_password).status, 401);
  // An "email" with a line break, an ANSI escape, and a password typed in by mistake.
  EXPECT_EQ(c.login("sam" + forged + wrong_password, wrong_password).status, 401);
  ASSERT_EQ(c.login(email, Deployment::kPassword).status, 200);
  std::string session = c.cookies.at("cc_session");
  std::string csrf = c.csrf;
  ASSERT_FALSE(session.empty());
  ASSERT_FALSE(csrf.empty());

  const std::string registered_password = "another long passphrase 77";
  Client fresh = d.client();
  ASSERT_EQ(fresh.post("/api/v1/auth/register", {{"email", "new@example.nhs.uk"}, {"password", registered_password},
                                                 {"display_name", "New" + forged}, {"profession", "nursing"},
                                                 {"organisation", "Trust"}})
                .status,
            422);  // control characters are refused in a name
  ASSERT_EQ(fresh.post("/api/v1/auth/register", {{"email", "new@example.nhs.uk"}, {"password", registered_password},
                                                 {"display_name", "New"}, {"profession", "nursing"},
                                                 {"organisation", "Trust"}})
                .status,
            201);

  // Requests with the cookie and the CSRF token, carrying hostile text in the body and the path.
  auto ch = lead.post("/api/v1/challenges", {{"title", "Logging"}, {"brief", "b"}, {"principle_ids", {1}}, {"status", "open"}});
  ASSERT_EQ(ch.status, 201);
  std::string ideas = "/api/v1/challenges/" + std::to_string(ch.json_body()["challenge"]["id"].get<long long>()) + "/ideas";
  EXPECT_EQ(c.post(ideas, {{"title", "Title" + forged}, {"body", "b"}}).status, 422);
  EXPECT_EQ(c.post(ideas, {{"title", "Multi-line body"}, {"body", "one" + forged.substr(0, forged.size() - 5) + "\r\ntwo"}}).status, 201);
  EXPECT_EQ(c.get("/api/v1/no%0a2026-01-01T00:00:00Z%20error%20event=forged%0d%1b[2J").status, 404);
  EXPECT_EQ(c.get("/api/v1/me?token=" + session).status, 200);
  EXPECT_EQ(c.post("/api/v1/auth/logout", json::object()).status, 204);

  ASSERT_EQ(d.server->stop(SIGTERM), 0);
  std::string log = read_file(d.db + ".server.log");

  // The log says what happened...
  EXPECT_NE(log.find("event=login ip=127.0.0.1 user="), std::string::npos) << log;
  EXPECT_NE(log.find("event=login_failed ip=127.0.0.1 user="), std::string::npos) << log;
  EXPECT_NE(log.find("event=login_failed ip=127.0.0.1 user=- account="), std::string::npos) << "an unknown account";
  EXPECT_NE(log.find("event=register user="), std::string::npos);
  EXPECT_NE(log.find("event=logout session="), std::string::npos);
  EXPECT_NE(log.find("event=http ip=127.0.0.1 method=\"POST\" path=\"/api/v1/auth/login\" status=401"), std::string::npos);
  // ...and holds no secret.
  for (const auto& secret : {std::string(Deployment::kPassword), wrong_password, registered_password, session, csrf,
                             std::string("cc_session"), std::string("X-CSRF-Token"), std::string("x-csrf-token")})
    EXPECT_EQ(log.find(secret), std::string::npos) << "the log holds " << secret;
  // Every line is a record of ours: user text can neither start a line nor carry escapes.
  EXPECT_EQ(log.find('\x1b'), std::string::npos) << "a raw escape character";
  EXPECT_EQ(log.find('\r'), std::string::npos) << "a raw carriage return";
  std::regex record(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (debug|info|warn|error) event=[a-z_]+( .*)?$)");
  std::istringstream lines(log);
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    EXPECT_TRUE(std::regex_match(line, record)) << "not a log record: " << line;
    EXPECT_EQ(line.find("forged=yes"), std::string::npos) << "user text reached the log: " << line;
  }
  EXPECT_GT(count, 10);
  // The hostile path is there, escaped in place.
  EXPECT_NE(log.find(R"(path="/api/v1/no\x0a2026-01-01T00:00:00Z error event=forged\x0d\x1b[2J")"), std::string::npos) << log;
}
