// The per-address request limit (limits.requests_per_minute_per_ip): 429 with
// Retry-After past it, WebSocket handshakes counted, /healthz and other addresses
// unaffected, 0 meaning no limit.
#include <gtest/gtest.h>

#include "support/harness.hpp"
#include "support/ws_client.hpp"

using namespace cc::test;

namespace {

ServerProcess::Options with_limit(int per_minute) {
  ServerProcess::Options o = fast_options();
  o.env.push_back({"CARECROWD_LIMITS_REQUESTS_PER_MINUTE_PER_IP", std::to_string(per_minute)});
  return o;
}

void expect_rate_limited(const Response& r, const std::string& what) {
  EXPECT_EQ(r.status, 429) << what << ": " << r.body;
  EXPECT_EQ(r.json_body()["error"]["code"], "rate_limited") << what;
  EXPECT_FALSE(r.json_body()["error"]["message"].get<std::string>().empty()) << what;
  auto wait = r.header("retry-after");
  ASSERT_FALSE(wait.empty()) << what;
  EXPECT_GE(std::stoi(wait), 1) << what;
  EXPECT_LE(std::stoi(wait), 60) << what;
  EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8") << what;
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << what;
}

}  // namespace

TEST(RequestLimit, PastTheLimitAnAddressGets429WithRetryAfter) {
  Deployment d(with_limit(20));
  auto email = d.add_user("sam", "staff");
  Client c = d.client();
  for (int i = 0; i < 19; ++i) ASSERT_NE(c.get("/api/v1/principles").status, 429) << "request " << i + 1;
  ASSERT_EQ(c.login(email, Deployment::kPassword).status, 200) << "the 20th request";
  // Every kind of request counts, whoever sends it: reads, writes, the signed-in and not.
  expect_rate_limited(c.get("/api/v1/me"), "a signed-in read");
  expect_rate_limited(c.post("/api/v1/auth/logout", json::object()), "a signed-in write");
  expect_rate_limited(d.client().get("/api/v1/principles"), "a fresh client on the same address");
  expect_rate_limited(d.client().get("/"), "a page");
  expect_rate_limited(d.client().get("/metrics"), "metrics");
}

TEST(RequestLimit, HealthzAndOtherAddressesAreNotHeldBack) {
  Deployment d(with_limit(5));
  Client c = d.client();
  for (int i = 0; i < 5; ++i) ASSERT_NE(c.get("/api/v1/principles").status, 429);
  expect_rate_limited(c.get("/api/v1/principles"), "the 6th request");
  // /healthz is not counted, so a load balancer behind a limited address still sees us up.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(c.get("/healthz").status, 200);
  // Another client address has its own count (the whole of 127.0.0.0/8 is loopback).
  Client other = d.client();
  other.source_address = "127.0.0.2";
  for (int i = 0; i < 5; ++i) EXPECT_EQ(other.get("/api/v1/principles").status, 401) << "request " << i + 1;
  expect_rate_limited(other.get("/api/v1/principles"), "127.0.0.2's 6th request");
}

TEST(RequestLimit, WebSocketHandshakesCountButAnOpenSocketIsNotCut) {
  Deployment d(with_limit(6));
  auto email = d.add_user("sam", "staff");
  Client c = d.signed_in(email);                                        // 1
  WsClient ws(d.server->host(), d.server->port(), {c.cookies, std::nullopt});  // 2
  for (int i = 0; i < 4; ++i) ASSERT_EQ(c.get("/api/v1/me").status, 200);      // 3..6
  try {
    WsClient refused(d.server->host(), d.server->port(), {c.cookies, std::nullopt});
    ADD_FAILURE() << "a handshake over the limit was accepted";
  } catch (const WsRefused& e) {
    EXPECT_EQ(e.status, 429);
  }
  // Messages on an open socket are limited by the live hub, not by this limit.
  ws.send({{"op", "ping"}});
  auto pong = ws.recv();
  ASSERT_TRUE(pong.has_value());
  EXPECT_EQ((*pong)["op"], "pong");
}

TEST(RequestLimit, ZeroMeansNoLimit) {
  Deployment d(with_limit(0));
  Client c = d.client();
  int limited = 0;
  for (int i = 0; i < 300; ++i) limited += c.get("/api/v1/principles").status == 429;
  EXPECT_EQ(limited, 0);
}

TEST(RequestLimit, TheDefaultIsSixThousandAMinute) {
  auto r = run_command({CARECROWD_SERVER_BIN, "--print-config"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("limits.requests_per_minute_per_ip = 6000\n"), std::string::npos) << r.out;
}
