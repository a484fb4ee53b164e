// Workshop queues: forwarding by hand and by rule, reordering, outcomes flowing back.
#include <gtest/gtest.h>

#include <thread>

#include "support/harness.hpp"
#include "support/ws_client.hpp"

using namespace cc::test;

namespace {

struct Journey {
  Deployment d;
  std::string author_email = d.add_user("author", "staff");
  std::string voter_email = d.add_user("voter", "staff");
  std::string lead_email = d.add_user("lead", "design_group");
  Client author = d.signed_in(author_email);
  Client voter = d.signed_in(voter_email);
  Client lead = d.signed_in(lead_email);

  std::int64_t workshop(const std::string& title = "Design workshop 1") {
    auto r = lead.post("/api/v1/workshops", {{"title", title}, {"description", "Day one"}, {"scheduled_at", "2026-12-01T09:00:00Z"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json_body()["workshop"]["id"];
  }
  std::int64_t challenge(json forward = json()) {
    json body = {{"title", "Protected time for leaders"}, {"brief", "How?"}, {"principle_ids", {3}}, {"status", "open"}};
    if (!forward.is_null()) body["forward"] = forward;
    auto r = lead.post("/api/v1/challenges", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json_body()["challenge"]["id"];
  }
  std::int64_t idea(std::int64_t challenge, const std::string& title) {
    auto r = author.post("/api/v1/challenges/" + std::to_string(challenge) + "/ideas", {{"title", title}, {"body", "Details"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json_body()["idea"]["id"];
  }
  // `n` distinct people vote for the idea.
  void votes(std::int64_t idea, int n) {
    static int counter = 0;
    for (int i = 0; i < n; ++i) {
      auto email = d.add_user("v" + std::to_string(++counter), "staff");
      Client c = d.signed_in(email);
      EXPECT_EQ(c.put("/api/v1/ideas/" + std::to_string(idea) + "/vote", {{"value", 1}}).status, 200);
    }
  }
  json get_idea(Client& c, std::int64_t id) { return c.get("/api/v1/ideas/" + std::to_string(id)).json_body()["idea"]; }
  json get_workshop(Client& c, std::int64_t id) { return c.get("/api/v1/workshops/" + std::to_string(id)).json_body(); }
};

}  // namespace

TEST(Workshops, ManualForwardIsIdempotentAndMarksTheIdeaForwarded) {
  Journey j;
  auto w = j.workshop();
  auto ch = j.challenge();
  auto idea = j.idea(ch, "Rota protected hours");
  auto first = j.lead.post("/api/v1/workshops/" + std::to_string(w) + "/queue", {{"idea_id", idea}, {"note", "Strong support"}});
  ASSERT_EQ(first.status, 201) << first.body;
  auto item = first.json_body()["item"];
  EXPECT_EQ(item["idea_id"], idea);
  EXPECT_EQ(item["position"], 1);
  EXPECT_EQ(item["state"], "queued");
  EXPECT_EQ(item["reason"], "manual");
  EXPECT_EQ(item["forwarded_by"]["display_name"], "lead");
  auto again = j.lead.post("/api/v1/workshops/" + std::to_string(w) + "/queue", {{"idea_id", idea}});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.json_body()["item"]["id"], item["id"]);
  auto view = j.get_idea(j.author, idea);
  EXPECT_EQ(view["status"], "forwarded");
  ASSERT_EQ(view["workshops"].size(), 1u);
  EXPECT_EQ(view["workshops"][0]["id"], w);
  EXPECT_EQ(view["workshops"][0]["item_state"], "queued");
  EXPECT_EQ(view["history"].back()["status"], "forwarded");
  EXPECT_EQ(view["history"].back()["note"], "Strong support");
  EXPECT_EQ(j.get_workshop(j.author, w)["queue"].size(), 1u);
}

TEST(Workshops, StaffCannotForwardOrRunWorkshops) {
  Journey j;
  auto w = j.workshop();
  auto ch = j.challenge(json{{"top_n", 3}, {"min_votes", 0}, {"workshop_id", w}});
  auto idea = j.idea(ch, "Staff idea");
  EXPECT_EQ(j.author.post("/api/v1/workshops", {{"title", "Mine"}}).status, 403);
  EXPECT_EQ(j.author.post("/api/v1/workshops/" + std::to_string(w) + "/queue", {{"idea_id", idea}}).status, 403);
  EXPECT_EQ(j.author.post("/api/v1/challenges/" + std::to_string(ch) + "/forward", json::object()).status, 403);
  auto q = j.lead.post("/api/v1/workshops/" + std::to_string(w) + "/queue", {{"idea_id", idea}});
  auto item = q.json_body()["item"]["id"].get<std::int64_t>();
  EXPECT_EQ(j.author.patch("/api/v1/workshops/" + std::to_string(w) + "/queue/" + std::to_string(item), {{"state", "parked"}}).status, 403);
  // Reading is open to everyone signed in.
  EXPECT_EQ(j.author.get("/api/v1/workshops").status, 200);
  EXPECT_EQ(j.author.get("/api/v1/workshops/" + std::to_string(w)).status, 200);
}

TEST(Workshops, RuleForwardsTopNWithMinVotesTiesToTheOlderIdea) {
  Journey j;
  auto w = j.workshop();
  auto ch = j.challenge(json{{"top_n", 2}, {"min_votes", 2}, {"workshop_id", w}});
  auto a = j.idea(ch, "Idea A older");
  auto b = j.idea(ch, "Idea B newer");
  auto c = j.idea(ch, "Idea C one vote");
  auto e = j.idea(ch, "Idea E top");
  j.votes(a, 2);
  j.votes(b, 2);
  j.votes(c, 1);
  j.votes(e, 3);
  auto r = j.lead.post("/api/v1/challenges/" + std::to_string(ch) + "/forward", json::object());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json_body()["forwarded"], json({e, a}));  // E by score, then A over B (older)
  EXPECT_EQ(r.json_body()["already"], json::array());
  auto again = j.lead.post("/api/v1/challenges/" + std::to_string(ch) + "/forward", json::object());
  EXPECT_EQ(again.json_body()["forwarded"], json::array());
  EXPECT_EQ(again.json_body()["already"], json({e, a}));
  auto queue = j.get_workshop(j.lead, w)["queue"];
  ASSERT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue[0]["idea_id"], e);
  EXPECT_EQ(queue[0]["reason"], "top_n");
  EXPECT_EQ(j.get_idea(j.author, c)["status"], "new");
}

TEST(Workshops, ForwardWithoutAWorkshopIsAConflict) {
  Journey j;
  auto ch = j.challenge();
  auto r = j.lead.post("/api/v1/challenges/" + std::to_string(ch) + "/forward", json::object());
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json_body()["error"]["code"], "conflict");
}

TEST(Workshops, MergedIdeasAreNotForwardedAgainButTheSurvivorIs) {
  Journey j;
  auto w = j.workshop();
  auto ch = j.challenge(json{{"top_n", 1}, {"min_votes", 1}, {"workshop_id", w}});
  auto a = j.idea(ch, "Original");
  auto b = j.idea(ch, "Duplicate");
  j.votes(a, 2);
  auto r = j.lead.post("/api/v1/challenges/" + std::to_string(ch) + "/forward", json::object());
  ASSERT_EQ(r.json_body()["forwarded"], json({a}));
  // After forwarding, A is merged into B: B now holds the votes and is picked next time.
  ASSERT_EQ(j.lead.post("/api/v1/ideas/" + std::to_string(a) + "/merge", {{"into_id", b}}).status, 200);
  auto again = j.lead.post("/api/v1/challenges/" + std::to_string(ch) + "/forward", json::object());
  EXPECT_EQ(again.json_body()["forwarded"], json({b}));
  // Forwarding a merged idea by hand is refused.
  auto manual = j.lead.post("/api/v1/workshops/" + std::to_string(j.workshop("Second")) + "/queue", {{"idea_id", a}});
  EXPECT_EQ(manual.status, 409);
}

TEST(Workshops, ClosingByHandForwardsByItself) {
  Journey j;
  auto w = j.workshop();
  auto ch = j.challenge(json{{"top_n", 5}, {"min_votes", 1}, {"workshop_id", w}});
  auto a = j.idea(ch, "Voted idea");
  j.idea(ch, "Unvoted idea");
  j.votes(a, 1);
  ASSERT_EQ(j.lead.patch("/api/v1/challenges/" + std::to_string(ch), {{"status", "closed"}}).status, 200);
  auto queue = j.get_workshop(j.lead, w)["queue"];
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0]["idea_id"], a);
}

TEST(Workshops, TimedCloseForwardsByItself) {
  Journey j;
  auto w = j.workshop();
  auto ch = j.challenge(json{{"top_n", 5}, {"min_votes", 1}, {"workshop_id", w}});
  auto a = j.idea(ch, "Timed idea");
  j.votes(a, 1);
  // Only once the vote is in does the challenge get a close time, three seconds ahead: a slow
  // run (sanitizers, a busy machine) cannot have it close before the vote arrives.
  auto now = std::chrono::system_clock::now() + std::chrono::seconds(3);
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  auto set = j.lead.patch("/api/v1/challenges/" + std::to_string(ch), {{"closes_at", buf}});
  ASSERT_EQ(set.status, 200) << set.body;
  ASSERT_EQ(set.json_body()["challenge"]["status"], "open");
  json queue;
  for (int i = 0; i < 100; ++i) {
    queue = j.get_workshop(j.lead, w)["queue"];
    if (!queue.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0]["idea_id"], a);
  EXPECT_EQ(j.lead.get("/api/v1/challenges/" + std::to_string(ch)).json_body()["challenge"]["status"], "closed");
}

TEST(Workshops, ReorderRenumbersTheQueue) {
  Journey j;
  auto w = j.workshop();
  auto ch = j.challenge();
  std::vector<std::int64_t> items;
  for (int i = 0; i < 4; ++i) {
    auto idea = j.idea(ch, "Idea number " + std::to_string(i));
    items.push_back(j.lead.post("/api/v1/workshops/" + std::to_string(w) + "/queue", {{"idea_id", idea}}).json_body()["item"]["id"]);
  }
  auto r = j.lead.patch("/api/v1/workshops/" + std::to_string(w) + "/queue/" + std::to_string(items[3]), {{"position", 1}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json_body()["item"]["position"], 1);
  auto queue = j.get_workshop(j.lead, w)["queue"];
  std::vector<std::int64_t> order;
  for (auto& i : queue) order.push_back(i["id"]);
  EXPECT_EQ(order, (std::vector<std::int64_t>{items[3], items[0], items[1], items[2]}));
  for (std::size_t k = 0; k < queue.size(); ++k) EXPECT_EQ(queue[k]["position"], static_cast<int>(k + 1));
  EXPECT_EQ(j.lead.patch("/api/v1/workshops/" + std::to_string(w) + "/queue/" + std::to_string(items[0]), {{"position", 0}}).status, 422);
  EXPECT_EQ(j.lead.patch("/api/v1/workshops/" + std::to_string(w) + "/queue/999999", {{"state", "parked"}}).status, 404);
}

TEST(Workshops, OutcomeFlowsBackToTheIdeaAndNotifiesTheCrowd) {
  Journey j;
  auto w = j.workshop();
  auto ch = j.challenge();
  auto idea = j.idea(ch, "Shared learning sets");
  ASSERT_EQ(j.voter.put("/api/v1/ideas/" + std::to_string(idea) + "/vote", {{"value", 1}}).status, 200);
  auto item = j.lead.post("/api/v1/workshops/" + std::to_string(w) + "/queue", {{"idea_id", idea}}).json_body()["item"]["id"];
  auto path = "/api/v1/workshops/" + std::to_string(w) + "/queue/" + std::to_string(item.get<std::int64_t>());
  // An outcome needs a note.
  EXPECT_EQ(j.lead.patch(path, {{"idea_status", "adopted"}}).json_body()["error"]["field"], "outcome_note");
  auto r = j.lead.patch(path, {{"idea_status", "adopted"}, {"outcome_note", "Piloting in two places from January"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json_body()["item"]["state"], "actioned");
  auto view = j.get_idea(j.author, idea);
  EXPECT_EQ(view["status"], "adopted");
  EXPECT_EQ(view["status_note"], "Piloting in two places from January");
  EXPECT_EQ(view["workshops"][0]["item_state"], "actioned");
  EXPECT_EQ(view["history"].back()["by"]["display_name"], "lead");
  for (Client* c : {&j.author, &j.voter}) {
    auto n = c->get("/api/v1/notifications").json_body()["items"];
    bool outcome = false, forwarded = false;
    for (auto& x : n) {
      outcome = outcome || (x["type"] == "workshop.outcome" && x["data"]["status"] == "adopted");
      forwarded = forwarded || x["type"] == "idea.forwarded";
    }
    EXPECT_TRUE(outcome) << n;
    EXPECT_TRUE(forwarded) << n;
  }
  // The actor is not notified of their own decision.
  auto lead_notes = j.lead.get("/api/v1/notifications").json_body();
  for (auto& x : lead_notes["items"]) EXPECT_NE(x["type"], "workshop.outcome");
}

TEST(Workshops, FollowUpChallengeFromAQueueItem) {
  Journey j;
  auto ch = j.challenge();
  auto idea = j.idea(ch, "Mentoring circles");
  auto r = j.lead.post("/api/v1/challenges", {{"title", "How should mentoring circles work?"},
                                              {"brief", "A question back to the crowd"},
                                              {"principle_ids", {4}},
                                              {"status", "open"},
                                              {"parent_idea_id", idea}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json_body()["challenge"]["parent_idea_id"], idea);
  EXPECT_EQ(j.lead.post("/api/v1/challenges", {{"title", "Bad parent"}, {"principle_ids", {4}}, {"parent_idea_id", 999999}})
                .json_body()["error"]["field"],
            "parent_idea_id");
}

TEST(Workshops, QueueChangesArriveLiveOnTheWorkshopTopic) {
  Journey j;
  auto w = j.workshop();
  auto ch = j.challenge();
  auto idea = j.idea(ch, "Live queue idea");
  WsClient ws(j.d.server->host(), j.d.server->port(), {j.author.cookies, std::nullopt});
  ws.send({{"op", "subscribe"}, {"topics", {"workshop:" + std::to_string(w)}}});
  ASSERT_EQ((*ws.recv())["op"], "subscribed");
  auto item = j.lead.post("/api/v1/workshops/" + std::to_string(w) + "/queue", {{"idea_id", idea}}).json_body()["item"]["id"];
  auto added = ws.recv_event("workshop.item_added");
  ASSERT_TRUE(added);
  EXPECT_EQ((*added)["data"]["item"]["idea_id"], idea);
  ASSERT_EQ(j.lead.patch("/api/v1/workshops/" + std::to_string(w) + "/queue/" + std::to_string(item.get<std::int64_t>()),
                         {{"state", "discussed"}}).status, 200);
  auto updated = ws.recv_event("workshop.item_updated");
  ASSERT_TRUE(updated);
  EXPECT_EQ((*updated)["data"]["item"]["state"], "discussed");
}
