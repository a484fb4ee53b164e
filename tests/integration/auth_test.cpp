// Sign-in over real HTTP: register, login, logout, /me, CSRF and rate limits.
#include <gtest/gtest.h>

#include "support/harness.hpp"

using namespace cc::test;

namespace {
json registration(const std::string& email) {
  return {{"email", email},
          {"password", "a long enough passphrase 42"},
          {"display_name", "Rita Nurse"},
          {"profession", "nursing"},
          {"organisation", "Community Trust"}};
}
}  // namespace

TEST(Auth, RegisterSetsASecureCookieAndReturnsTheUser) {
  Deployment d;
  Client c = d.client();
  auto r = c.post("/api/v1/auth/register", registration("Rita@Example.NHS.uk"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto b = r.json_body();
  EXPECT_EQ(b["user"]["email"], "rita@example.nhs.uk");
  EXPECT_EQ(b["user"]["role"], "staff");
  EXPECT_FALSE(b["csrf_token"].get<std::string>().empty());
  auto cookie = r.header("set-cookie");
  EXPECT_NE(cookie.find("cc_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP here
  auto me = c.get("/api/v1/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json_body()["user"]["display_name"], "Rita Nurse");
  EXPECT_EQ(me.json_body()["csrf_token"], b["csrf_token"]);
}

TEST(Auth, RegisterRefusesTakenEmailsWeakPasswordsAndBadFields) {
  Deployment d;
  Client c = d.client();
  ASSERT_EQ(c.post("/api/v1/auth/register", registration("a@example.nhs.uk")).status, 201);
  Client other = d.client();
  auto taken = other.post("/api/v1/auth/register", registration("A@example.nhs.uk"));
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.json_body()["error"]["code"], "conflict");

  auto weak = registration("b@example.nhs.uk");
  weak["password"] = "password1234";
  auto r = other.post("/api/v1/auth/register", weak);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json_body()["error"]["field"], "password");

  auto short_pw = registration("c@example.nhs.uk");
  short_pw["password"] = "short";
  EXPECT_EQ(other.post("/api/v1/auth/register", short_pw).json_body()["error"]["field"], "password");

  auto bad_prof = registration("d@example.nhs.uk");
  bad_prof["profession"] = "wizard";
  r = other.post("/api/v1/auth/register", bad_prof);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json_body()["error"]["field"], "profession");

  auto bad_email = registration("not-an-email");
  EXPECT_EQ(other.post("/api/v1/auth/register", bad_email).json_body()["error"]["field"], "email");
  auto missing = registration("e@example.nhs.uk");
  missing.erase("display_name");
  EXPECT_EQ(other.post("/api/v1/auth/register", missing).json_body()["error"]["field"], "display_name");
}

TEST(Auth, RegistrationSettingsApplyToTheRunningServer) {
  Deployment d;
  ASSERT_EQ(d.admin({"settings", "set", "registration.allowed_domains", "nhs.net, example.org"}).exit_code, 0);
  Client c = d.client();
  auto r = c.post("/api/v1/auth/register", registration("x@elsewhere.com"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json_body()["error"]["field"], "email");
  EXPECT_EQ(c.post("/api/v1/auth/register", registration("x@nhs.net")).status, 201);

  ASSERT_EQ(d.admin({"settings", "set", "registration.open", "false"}).exit_code, 0);
  Client c2 = d.client();
  r = c2.post("/api/v1/auth/register", registration("y@nhs.net"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.json_body()["error"]["code"], "forbidden");
}

TEST(Auth, LoginGivesOneMessageForUnknownEmailAndWrongPassword) {
  Deployment d;
  auto email = d.add_user("sam", "staff");
  Client c = d.client();
  auto wrong = c.post("/api/v1/auth/login", {{"email", email}, {"password", "not the right password"}});
  auto unknown = c.post("/api/v1/auth/login", {{"email", "nobody@example.nhs.uk"}, {"password", "not the right password"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.json_body()["error"]["message"], unknown.json_body()["error"]["message"]);
  EXPECT_EQ(wrong.json_body()["error"]["code"], "unauthenticated");
  auto ok = c.login(email, Deployment::kPassword);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.json_body()["user"]["email"], email);
}

TEST(Auth, EachLoginIssuesANewTokenAndLogoutRevokesIt) {
  Deployment d;
  auto email = d.add_user("sam", "staff");
  Client a = d.signed_in(email);
  Client b = d.signed_in(email);
  EXPECT_NE(a.cookies["cc_session"], b.cookies["cc_session"]);
  EXPECT_NE(a.csrf, b.csrf);
  auto old_cookie = a.cookies["cc_session"];
  auto out = a.post("/api/v1/auth/logout", json::object());
  EXPECT_EQ(out.status, 204);
  // The old token no longer works, even if replayed.
  Client replay = d.client();
  replay.cookies["cc_session"] = old_cookie;
  EXPECT_EQ(replay.get("/api/v1/me").status, 401);
  EXPECT_EQ(b.get("/api/v1/me").status, 200);
}

TEST(Auth, AForgedOrPlantedCookieIsNeverHonoured) {
  Deployment d;
  Client c = d.client();
  c.cookies["cc_session"] = "planted-before-login";
  EXPECT_EQ(c.get("/api/v1/me").status, 401);
  auto email = d.add_user("sam", "staff");
  ASSERT_EQ(c.login(email, Deployment::kPassword).status, 200);
  EXPECT_NE(c.cookies["cc_session"], "planted-before-login");
}

TEST(Auth, WritesNeedTheCsrfTokenAndSameOrigin) {
  Deployment d;
  auto email = d.add_user("sam", "staff");
  Client c = d.signed_in(email);
  auto token = c.csrf;
  c.csrf.clear();
  auto r = c.post("/api/v1/auth/logout", json::object());
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.json_body()["error"]["code"], "csrf");
  c.csrf = "wrong";
  EXPECT_EQ(c.post("/api/v1/auth/logout", json::object()).json_body()["error"]["code"], "csrf");
  c.csrf = token;
  auto foreign = c.request("POST", "/api/v1/auth/logout", json::object(), {{"Origin", "https://evil.example"}});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(foreign.json_body()["error"]["code"], "csrf");
  EXPECT_EQ(c.get("/api/v1/me").status, 200);  // still signed in: nothing happened
  EXPECT_EQ(c.post("/api/v1/auth/logout", json::object()).status, 204);
}

TEST(Auth, RepeatedFailuresAreRateLimitedWithRetryAfter) {
  ServerProcess::Options o = fast_options();
  o.env.push_back({"CARECROWD_LOGIN_FAILURES_PER_ACCOUNT", "3"});
  Deployment d(o);
  auto email = d.add_user("sam", "staff");
  Client c = d.client();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(c.post("/api/v1/auth/login", {{"email", email}, {"password", "wrong password here"}}).status, 401);
  auto r = c.post("/api/v1/auth/login", {{"email", email}, {"password", "wrong password here"}});
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.json_body()["error"]["code"], "rate_limited");
  EXPECT_FALSE(r.header("retry-after").empty());
  // Even the right password waits until the window passes.
  EXPECT_EQ(c.post("/api/v1/auth/login", {{"email", email}, {"password", Deployment::kPassword}}).status, 429);
}

TEST(Auth, DisabledUsersLoseTheirSessionsAndCannotSignIn) {
  Deployment d;
  auto email = d.add_user("sam", "staff");
  Client c = d.signed_in(email);
  ASSERT_EQ(d.admin({"user", "disable", email}).exit_code, 0);
  EXPECT_EQ(c.get("/api/v1/me").status, 401);
  EXPECT_EQ(d.client().login(email, Deployment::kPassword).status, 401);
  ASSERT_EQ(d.admin({"user", "enable", email}).exit_code, 0);
  EXPECT_EQ(d.client().login(email, Deployment::kPassword).status, 200);
}

// Sessions belong to requests, not connections: a keep-alive connection whose requests
// carry different cookies, or none, gets each request's own session. (Guards any cache
// of a connection's session, such as one of its token's hash.)
TEST(Auth, OneConnectionCarryingSeveralCookiesGetsEachOnesSession) {
  Deployment d;
  Client sam = d.signed_in(d.add_user("sam", "staff"));
  Client kim = d.signed_in(d.add_user("kim", "staff"));
  auto me = [](const std::string& cookie, bool last = false) {
    return "GET /api/v1/me HTTP/1.1\r\nHost: x\r\n" + (cookie.empty() ? "" : "Cookie: cc_session=" + cookie + "\r\n") +
           (last ? "Connection: close\r\n" : "") + "\r\n";
  };
  const auto s = sam.cookies["cc_session"], k = kim.cookies["cc_session"];
  auto got = raw_exchange(d.server->host(), d.server->port(),
                          me(s) + me(k) + me("") + me(s.substr(0, s.size() - 1) + "x") + me(s) + me(k, true),
                          std::chrono::milliseconds(5000));
  std::vector<std::string> answers;  // "status name"
  for (std::size_t at = 0; (at = got.find("HTTP/1.1 ", at)) != std::string::npos; at += 9) {
    auto status = got.substr(at + 9, 3);
    auto next = got.find("HTTP/1.1 ", at + 9);
    auto answer = got.substr(at, next == std::string::npos ? std::string::npos : next - at);
    std::string who = answer.find("\"sam\"") != std::string::npos ? "sam"
                      : answer.find("\"kim\"") != std::string::npos ? "kim"
                                                                     : "-";
    answers.push_back(status + " " + who);
  }
  EXPECT_EQ(answers, (std::vector<std::string>{"200 sam", "200 kim", "401 -", "401 -", "200 sam", "200 kim"})) << got;
}
