// Live updates over /ws (SPEC §5) with a real WebSocket client.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/socket.h>

#include <fstream>
#include <thread>

#include "support/harness.hpp"
#include "support/ws_client.hpp"

using namespace cc::test;

namespace {

struct LiveFixture {
  Deployment d;
  std::string staff_email, dg_email;
  Client staff, dg;
  std::int64_t challenge = 0, idea = 0;

  explicit LiveFixture(ServerProcess::Options o = fast_options())
      : d(std::move(o)),
        staff_email(d.add_user("staff", "staff")),
        dg_email(d.add_user("lead", "design_group")),
        staff(d.signed_in(staff_email)),
        dg(d.signed_in(dg_email)) {
    auto r = dg.post("/api/v1/challenges", {{"title", "Live challenge"}, {"brief", "b"}, {"principle_ids", {1}}, {"status", "open"}});
    challenge = r.json_body()["challenge"]["id"];
    auto i = staff.post("/api/v1/challenges/" + std::to_string(challenge) + "/ideas", {{"title", "First idea"}, {"body", "Body"}});
    idea = i.json_body()["idea"]["id"];
  }
  WsClient ws(Client& c) { return WsClient(d.server->host(), d.server->port(), {c.cookies, std::nullopt}); }
  std::string topic() const { return "challenge:" + std::to_string(challenge); }
  int vote(Client& c, int value) {
    return c.put("/api/v1/ideas/" + std::to_string(idea) + "/vote", {{"value", value}}).status;
  }
};

json subscribe(WsClient& ws, const std::vector<std::string>& topics, std::optional<std::int64_t> since = std::nullopt) {
  json m = {{"op", "subscribe"}, {"topics", topics}};
  if (since) m["since"] = *since;
  ws.send(m);
  for (int i = 0; i < 10; ++i) {
    auto r = ws.recv();
    if (!r) break;
    if ((*r)["op"] == "subscribed" || (*r)["op"] == "error") return *r;
  }
  return json();
}

}  // namespace

TEST(Live, SubscribeThenReceiveVoteChanged) {
  LiveFixture f;
  auto ws = f.ws(f.staff);
  auto sub = subscribe(ws, {f.topic()});
  ASSERT_EQ(sub["op"], "subscribed") << sub;
  EXPECT_TRUE(sub["seq"].is_number_integer());
  ASSERT_EQ(f.vote(f.dg, 1), 200);
  auto ev = ws.recv_event("vote.changed");
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["topic"], f.topic());
  EXPECT_GT((*ev)["seq"].get<std::int64_t>(), sub["seq"].get<std::int64_t>());
  EXPECT_EQ((*ev)["data"]["idea_id"], f.idea);
  EXPECT_EQ((*ev)["data"]["score"], 1);
  EXPECT_EQ((*ev)["data"]["votes"]["up"], 1);
}

TEST(Live, AnEventOnTwoSubscribedTopicsArrivesOnce) {
  LiveFixture f;
  auto ws = f.ws(f.staff);
  subscribe(ws, {f.topic(), "idea:" + std::to_string(f.idea)});
  ASSERT_EQ(f.vote(f.dg, 1), 200);
  ASSERT_TRUE(ws.recv_event("vote.changed"));
  EXPECT_FALSE(ws.recv_event("vote.changed", std::chrono::milliseconds(400)));
}

TEST(Live, ResumeWithSinceReplaysMissedEventsWithoutGapOrDuplicate) {
  LiveFixture f;
  std::int64_t last = 0;
  {
    auto ws = f.ws(f.staff);
    auto sub = subscribe(ws, {f.topic()});
    last = sub["seq"];
  }
  // While disconnected: three changes.
  ASSERT_EQ(f.vote(f.dg, 1), 200);
  ASSERT_EQ(f.staff.post("/api/v1/ideas/" + std::to_string(f.idea) + "/comments", {{"body", "missed comment"}}).status, 201);
  ASSERT_EQ(f.vote(f.dg, 0), 200);
  auto ws = f.ws(f.staff);
  auto sub = subscribe(ws, {f.topic()}, last);
  ASSERT_EQ(sub["op"], "subscribed");
  std::vector<std::string> types;
  std::int64_t prev = last;
  for (int i = 0; i < 3; ++i) {
    auto m = ws.recv();
    ASSERT_TRUE(m) << "missing replayed event " << i;
    ASSERT_EQ((*m)["op"], "event");
    EXPECT_GT((*m)["seq"].get<std::int64_t>(), prev);
    prev = (*m)["seq"];
    types.push_back((*m)["type"]);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"vote.changed", "comment.created", "vote.changed"}));
  // Then live, continuing the sequence.
  ASSERT_EQ(f.vote(f.dg, 1), 200);
  auto live = ws.recv_event("vote.changed");
  ASSERT_TRUE(live);
  EXPECT_GT((*live)["seq"].get<std::int64_t>(), prev);
  EXPECT_FALSE(ws.recv(std::chrono::milliseconds(300)));
}

TEST(Live, EventsCommittedDuringReplayAreDeliveredExactlyOnce) {
  LiveFixture f;
  auto ws0 = f.ws(f.staff);
  auto first = subscribe(ws0, {f.topic()});
  std::int64_t since = first["seq"];
  // A writer keeps voting while a second connection subscribes with `since`.
  std::atomic<bool> stop{false};
  std::atomic<int> acknowledged{0};
  std::thread writer([&] {
    Client dg = f.d.signed_in(f.dg_email);
    int v = 1;
    while (!stop) {
      if (dg.put("/api/v1/ideas/" + std::to_string(f.idea) + "/vote", {{"value", v}}).status == 200) ++acknowledged;
      v = v == 1 ? 0 : 1;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto ws = f.ws(f.staff);
  auto sub = subscribe(ws, {f.topic()}, since);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stop = true;
  writer.join();
  // Every vote gave one event: the resumed connection sees each seq once, in order.
  std::vector<std::int64_t> seqs;
  while (auto m = ws.recv(std::chrono::milliseconds(500))) {
    if ((*m)["op"] == "event") seqs.push_back((*m)["seq"]);
  }
  ASSERT_EQ(static_cast<int>(seqs.size()), acknowledged.load());
  for (std::size_t i = 1; i < seqs.size(); ++i) EXPECT_GT(seqs[i], seqs[i - 1]);
}

TEST(Live, ForeignOriginAndNoSessionAreRefused) {
  LiveFixture f;
  try {
    WsClient ws(f.d.server->host(), f.d.server->port(), {f.staff.cookies, std::string("https://evil.example")});
    FAIL() << "a foreign origin was accepted";
  } catch (const WsRefused& e) {
    EXPECT_EQ(e.status, 403);
  }
  try {
    WsClient ws(f.d.server->host(), f.d.server->port(), {{}, std::nullopt});
    FAIL() << "no session was accepted";
  } catch (const WsRefused& e) {
    EXPECT_EQ(e.status, 401);
  }
}

TEST(Live, BadMessagesGetErrorsWithoutDroppingTheConnection) {
  LiveFixture f;
  auto ws = f.ws(f.staff);
  ws.send_text("not json");
  auto e1 = ws.recv();
  ASSERT_TRUE(e1);
  EXPECT_EQ((*e1)["op"], "error");
  ws.send({{"op", "dance"}});
  EXPECT_EQ((*ws.recv())["op"], "error");
  ws.send({{"op", "subscribe"}, {"topics", "challenge:1"}});
  EXPECT_EQ((*ws.recv())["op"], "error");
  // Another user's notifications: refused, by name.
  auto other = subscribe(ws, {"user:999999"});
  EXPECT_EQ(other["op"], "error");
  EXPECT_EQ(other["topic"], "user:999999");
  // Still usable.
  auto ok = subscribe(ws, {f.topic()});
  EXPECT_EQ(ok["op"], "subscribed");
}

TEST(Live, StaffNeverReceiveDraftsOrAnonymousAuthors) {
  LiveFixture f;
  auto staff_ws = f.ws(f.staff);
  auto dg_ws = f.ws(f.dg);
  subscribe(staff_ws, {"challenges", f.topic()});
  subscribe(dg_ws, {"challenges", f.topic()});
  // A draft challenge: only the design group hears of it.
  ASSERT_EQ(f.dg.post("/api/v1/challenges", {{"title", "Secret draft"}, {"brief", ""}, {"principle_ids", {2}}}).status, 201);
  ASSERT_TRUE(dg_ws.recv_event("challenge.created"));
  EXPECT_FALSE(staff_ws.recv_event("challenge.created", std::chrono::milliseconds(400)));
  // An anonymous idea: staff see no author, the design group does.
  ASSERT_EQ(f.staff.post("/api/v1/challenges/" + std::to_string(f.challenge) + "/ideas",
                         {{"title", "Quiet idea"}, {"body", "b"}, {"anonymous", true}}).status, 201);
  auto s = staff_ws.recv_event("idea.created");
  auto g = dg_ws.recv_event("idea.created");
  ASSERT_TRUE(s && g);
  EXPECT_TRUE((*s)["data"]["idea"]["author"].is_null());
  EXPECT_EQ((*g)["data"]["idea"]["author"]["display_name"], "staff");
}

TEST(Live, NotificationsArriveOnlyOnTheOwnersTopic) {
  LiveFixture f;
  auto author_ws = f.ws(f.staff);
  auto me = f.staff.get("/api/v1/me").json_body()["user"]["id"].get<std::int64_t>();
  auto sub = subscribe(author_ws, {"user:" + std::to_string(me)});
  ASSERT_EQ(sub["op"], "subscribed");
  ASSERT_EQ(f.dg.post("/api/v1/ideas/" + std::to_string(f.idea) + "/comments", {{"body", "Nice one"}}).status, 201);
  auto n = author_ws.recv_event("notification");
  ASSERT_TRUE(n);
  EXPECT_EQ((*n)["data"]["notification"]["type"], "comment.created");
}

TEST(Live, LogoutClosesThatSessionsSockets) {
  LiveFixture f;
  auto ws = f.ws(f.staff);
  subscribe(ws, {f.topic()});
  ASSERT_EQ(f.staff.post("/api/v1/auth/logout", json::object()).status, 204);
  while (ws.recv(std::chrono::milliseconds(2000))) {
  }
  EXPECT_TRUE(ws.closed());
  EXPECT_EQ(ws.close_code(), 1008);
}

TEST(Live, DisabledUserLosesSocketsWithinSeconds) {
  LiveFixture f;
  auto ws = f.ws(f.staff);
  subscribe(ws, {f.topic()});
  ASSERT_EQ(f.d.admin({"user", "disable", f.staff_email}).exit_code, 0);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!ws.closed() && std::chrono::steady_clock::now() < deadline) ws.recv(std::chrono::milliseconds(500));
  EXPECT_TRUE(ws.closed());
}

TEST(Live, SlowConsumerIsClosedWith1013) {
  auto o = fast_options();
  o.env.push_back({"CARECROWD_LIMITS_WS_QUEUE_MESSAGES", "50"});
  o.env.push_back({"CARECROWD_LIMITS_WRITES_PER_MINUTE_PER_USER", "0"});
  LiveFixture f(o);
  auto slow = f.ws(f.staff);
  subscribe(slow, {f.topic()});
  // Shrink our receive buffer and stop reading, then make the server send a lot.
  int small = 4096;
  setsockopt(slow.native_handle(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  std::string big(1900, 'x');
  for (int i = 0; i < 400; ++i)
    f.staff.post("/api/v1/ideas/" + std::to_string(f.idea) + "/comments", {{"body", big}});
  // Now read: the server gave up on us with 1013 rather than queueing without bound.
  // Generous: after a long zero window the kernel's window probes back off to seconds
  // apart, and under the sanitizers the writes above take long enough for that.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  while (!slow.closed() && std::chrono::steady_clock::now() < deadline) slow.recv(std::chrono::milliseconds(200));
  EXPECT_TRUE(slow.closed());
  EXPECT_EQ(slow.close_code(), 1013);
  auto metrics = f.d.client().get("/metrics").body;
  EXPECT_NE(metrics.find("carecrowd_slow_consumers_closed_total 1"), std::string::npos);
}

TEST(Live, OversizedMessageClosesWith1009) {
  LiveFixture f;
  auto ws = f.ws(f.staff);
  ws.send_text(std::string(70 * 1024, 'a'));
  while (ws.recv(std::chrono::milliseconds(2000))) {
  }
  EXPECT_TRUE(ws.closed());
  EXPECT_EQ(ws.close_code(), 1009);
}

TEST(Live, APingFloodClosesWith1008AndPingsWithinTheLimitDoNot) {
  LiveFixture f;
  auto calm = f.ws(f.staff);
  EXPECT_EQ(calm.send_pings(5), 5);  // within 10 a second (the default)
  calm.send({{"op", "ping"}});
  auto pong = calm.recv();
  ASSERT_TRUE(pong) << "a few pings leave the socket working";
  EXPECT_EQ((*pong)["op"], "pong");

  auto flood = f.ws(f.staff);
  flood.send_pings(2000);
  while (flood.recv(std::chrono::milliseconds(2000))) {
  }
  EXPECT_TRUE(flood.closed());
  EXPECT_EQ(flood.close_code(), 1008);
  // The server is unharmed: the calm socket still answers.
  calm.send({{"op", "ping"}});
  pong = calm.recv();
  ASSERT_TRUE(pong);
  EXPECT_EQ((*pong)["op"], "pong");
}

TEST(Live, BroadcastReachesAThousandSubscribers) {
  auto o = fast_options();
  o.env.push_back({"CARECROWD_LIMITS_CONNECTIONS_PER_IP", "2000"});
  o.env.push_back({"CARECROWD_LIMITS_WS_PER_USER", "2000"});
  LiveFixture f(o);
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < 1000; ++i) {
    clients.push_back(std::make_unique<WsClient>(f.d.server->host(), f.d.server->port(),
                                                 WsClient::Options{f.staff.cookies, std::nullopt}));
    clients.back()->send({{"op", "subscribe"}, {"topics", {f.topic()}}});
  }
  for (auto& c : clients) ASSERT_EQ((*c->recv())["op"], "subscribed");
  ASSERT_EQ(f.vote(f.dg, 1), 200);
  int reached = 0;
  for (auto& c : clients)
    if (auto ev = c->recv_event("vote.changed", std::chrono::milliseconds(5000)); ev && (*ev)["data"]["score"] == 1) ++reached;
  EXPECT_EQ(reached, 1000);
}

// Events another process appends to the log (carecrowd-admin's) reach subscribers live:
// by themselves while the server writes nothing, and ahead of the server's next event when
// it writes one first. Each arrives once, in seq order, as the server's own do.
TEST(Live, EventsTheAdminCliWritesArriveLive) {
  LiveFixture f;
  auto ws = f.ws(f.staff);
  auto sub = subscribe(ws, {"challenges", f.topic()});
  ASSERT_EQ(sub["op"], "subscribed") << sub;
  auto import = [&](const std::string& title) {
    auto file = f.d.dir.file(title + ".json");
    std::ofstream(file) << json({{"challenges", {{{"title", title}, {"principles", {"P1"}}, {"status", "open"}}}}}).dump();
    auto r = f.d.admin({"challenge", "import", file});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };

  import("Imported while the server is idle");
  auto created = ws.recv_event("challenge.created", std::chrono::milliseconds(5000));
  ASSERT_TRUE(created) << "the admin CLI's event never arrived";
  EXPECT_EQ((*created)["data"]["challenge"]["title"], "Imported while the server is idle");
  std::int64_t last = (*created)["seq"];
  EXPECT_GT(last, sub["seq"].get<std::int64_t>());

  import("Imported just before a vote");
  ASSERT_EQ(f.vote(f.dg, 1), 200);
  std::vector<std::string> types;
  for (int i = 0; i < 2; ++i) {
    auto m = ws.recv(std::chrono::milliseconds(5000));
    ASSERT_TRUE(m) << "missing event " << i;
    ASSERT_EQ((*m)["op"], "event") << *m;
    EXPECT_GT((*m)["seq"].get<std::int64_t>(), last) << "in seq order";
    last = (*m)["seq"];
    types.push_back((*m)["type"]);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"challenge.created", "vote.changed"}));
  EXPECT_FALSE(ws.recv(std::chrono::milliseconds(1500))) << "an event arrived twice";

  // One that subscribes with `since` just after the CLI's write gets it once, whether
  // by the replay or live.
  import("Imported before a resume");
  auto late = f.ws(f.staff);
  ASSERT_EQ(subscribe(late, {"challenges"}, last)["op"], "subscribed");
  auto replayed = late.recv_event("challenge.created", std::chrono::milliseconds(5000));
  ASSERT_TRUE(replayed);
  EXPECT_EQ((*replayed)["data"]["challenge"]["title"], "Imported before a resume");
  EXPECT_FALSE(late.recv(std::chrono::milliseconds(1500))) << "an event arrived twice";
}

TEST(Live, AQuietChallengesSubscriberResumesAfterManyEventsElsewhere) {
  LiveFixture f;
  std::int64_t last = 0;
  {
    auto ws = f.ws(f.staff);
    last = subscribe(ws, {f.topic()})["seq"];
  }
  ASSERT_EQ(f.vote(f.dg, 1), 200);
  // Meanwhile 21,000 events elsewhere: more than a replay reads of the log to find a
  // challenge's events (a second or two of a launch-day surge).
  json many = {{"challenges", json::array()}};
  for (int i = 0; i < 21000; ++i)
    many["challenges"].push_back({{"title", "Elsewhere " + std::to_string(i)}, {"principles", {"P1"}}, {"status", "open"}});
  auto file = f.d.dir.file("many.json");
  std::ofstream(file) << many.dump();
  auto import = f.d.admin({"challenge", "import", file});
  ASSERT_EQ(import.exit_code, 0) << import.err;
  // Once a live subscriber has this vote, the server has published everything before it.
  auto watcher = f.ws(f.dg);
  ASSERT_EQ(subscribe(watcher, {f.topic()})["op"], "subscribed");
  ASSERT_EQ(f.vote(f.dg, 0), 200);
  ASSERT_TRUE(watcher.recv_event("vote.changed", std::chrono::milliseconds(20000)));

  auto ws = f.ws(f.staff);
  auto sub = subscribe(ws, {f.topic()}, last);
  ASSERT_EQ(sub["op"], "subscribed") << sub;
  std::vector<int> scores;
  for (int i = 0; i < 2; ++i) {
    auto m = ws.recv(std::chrono::milliseconds(5000));
    ASSERT_TRUE(m) << "missing replayed event " << i;
    ASSERT_EQ((*m)["op"], "event") << *m;
    EXPECT_EQ((*m)["type"], "vote.changed");
    scores.push_back((*m)["data"]["score"]);
  }
  EXPECT_EQ(scores, (std::vector<int>{1, 0}));
  EXPECT_FALSE(ws.recv(std::chrono::milliseconds(300)));
}

TEST(Live, ShutdownClosesSocketsWith1001) {
  LiveFixture f;
  auto ws = f.ws(f.staff);
  subscribe(ws, {f.topic()});
  std::thread stopper([&] { EXPECT_EQ(f.d.server->stop(SIGTERM), 0); });
  while (ws.recv(std::chrono::milliseconds(3000))) {
  }
  stopper.join();
  EXPECT_TRUE(ws.closed());
  EXPECT_EQ(ws.close_code(), 1001);
}
