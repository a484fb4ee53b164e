// Idle and absolute session expiry (SPEC §4 Sessions), with the timeouts set in seconds
// so that the tests take seconds: activity over HTTP or WebSocket keeps a session alive
// past the idle timeout, but nothing keeps it past the absolute one.
#include <gtest/gtest.h>

#include <thread>

#include "support/harness.hpp"
#include "support/ws_client.hpp"

using namespace cc::test;
using namespace std::chrono_literals;

namespace {

// Timestamps are whole seconds, so activity every second keeps an idle timeout of 3 s
// comfortably alive, and 3 s + 1.5 s of silence always ends it.
constexpr int kIdleSeconds = 3;
constexpr auto kBeyondIdle = 4500ms;

ServerProcess::Options expiry(int idle_seconds, int absolute_seconds) {
  ServerProcess::Options o = fast_options();
  o.env.push_back({"CARECROWD_SESSIONS_IDLE_SECONDS", std::to_string(idle_seconds)});
  o.env.push_back({"CARECROWD_SESSIONS_ABSOLUTE_SECONDS", std::to_string(absolute_seconds)});
  return o;
}

void expect_signed_out(Client& c, const std::string& what) {
  auto r = c.get("/api/v1/me");
  EXPECT_EQ(r.status, 401) << what;
  EXPECT_EQ(r.json_body()["error"]["code"], "unauthenticated") << what;
}

}  // namespace

TEST(SessionExpiry, HttpActivityExtendsTheIdleTimeoutAndSilenceEndsIt) {
  Deployment d(expiry(kIdleSeconds, 3600));
  Client c = d.signed_in(d.add_user("sam", "staff"));
  for (int i = 0; i < 5; ++i) {  // 5 s in all, well past the idle timeout
    std::this_thread::sleep_for(1s);
    ASSERT_EQ(c.get("/api/v1/me").status, 200) << "after " << i + 1 << " s of steady activity";
  }
  std::this_thread::sleep_for(kBeyondIdle);
  expect_signed_out(c, "after a silence longer than the idle timeout");
  // The ended session stays ended, and signing in again starts a new one.
  expect_signed_out(c, "asked again");
  EXPECT_EQ(c.login(d.add_user("ana", "staff"), Deployment::kPassword).status, 200);
  EXPECT_EQ(c.get("/api/v1/me").status, 200);
}

TEST(SessionExpiry, WebSocketMessagesCountAsActivity) {
  Deployment d(expiry(kIdleSeconds, 3600));
  Client c = d.signed_in(d.add_user("sam", "staff"));
  WsClient ws(d.server->host(), d.server->port(), {c.cookies, std::nullopt});
  for (int i = 0; i < 5; ++i) {  // only the socket is active
    std::this_thread::sleep_for(1s);
    ws.send({{"op", "ping"}});
    auto pong = ws.recv();
    ASSERT_TRUE(pong.has_value()) << "after " << i + 1 << " s";
    ASSERT_EQ((*pong)["op"], "pong");
  }
  EXPECT_EQ(c.get("/api/v1/me").status, 200) << "5 s after the last HTTP request, kept alive by the socket";
  std::this_thread::sleep_for(kBeyondIdle);
  expect_signed_out(c, "after a silence on both");
  // The server closes the socket of an ended session (it checks every few seconds).
  for (int i = 0; i < 10 && !ws.closed(); ++i) ws.recv(1000ms);
  EXPECT_TRUE(ws.closed());
  EXPECT_EQ(ws.close_code(), 1008);
}

TEST(SessionExpiry, TheAbsoluteTimeoutEndsEvenAnActiveSession) {
  constexpr int kAbsoluteSeconds = 5;
  Deployment d(expiry(kIdleSeconds, kAbsoluteSeconds));
  Client c = d.client();
  auto login = c.login(d.add_user("sam", "staff"), Deployment::kPassword);
  ASSERT_EQ(login.status, 200);
  // The cookie lives no longer than the session.
  EXPECT_NE(login.header("set-cookie").find("Max-Age=" + std::to_string(kAbsoluteSeconds)), std::string::npos)
      << login.header("set-cookie");
  auto start = std::chrono::steady_clock::now();
  int last_ok = 0;
  while (std::chrono::steady_clock::now() - start < 7s) {
    std::this_thread::sleep_for(500ms);
    auto status = c.get("/api/v1/me").status;
    auto at = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (status == 200) {
      last_ok = static_cast<int>(at.count());
    } else {
      EXPECT_EQ(status, 401);
      break;
    }
  }
  // Whole-second timestamps: the end falls within a second either side of 5 s.
  EXPECT_GE(last_ok, (kAbsoluteSeconds - 1) * 1000 - 500) << "ended too early";
  EXPECT_LE(last_ok, (kAbsoluteSeconds + 1) * 1000) << "activity kept it alive past the absolute timeout";
  expect_signed_out(c, "after the absolute timeout");
}

TEST(SessionExpiry, SecondsAndMinutesKeysBothConfigureIt) {
  auto r = run_command({CARECROWD_SERVER_BIN, "--set", "sessions.idle_minutes=30", "--set", "sessions.idle_seconds=90",
                        "--set", "sessions.absolute_hours=12", "--print-config"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sessions.idle_seconds = 90\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sessions.absolute_seconds = 43200\n"), std::string::npos) << r.out;
  auto bad = run_command({CARECROWD_SERVER_BIN, "--set", "sessions.idle_seconds=1", "--print-config"});
  EXPECT_NE(bad.exit_code, 0);
}
