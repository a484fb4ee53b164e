// Notifications and the event log over real HTTP: who is told what, following and
// unfollowing, marking read, and replaying events by topic in order, with drafts and
// other people's notifications out of sight.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core_helpers.hpp"

using namespace cc::test;

namespace {

json notifications(Client& who, const std::string& query = "") {
  return expect_status(who.get(kApi + "/notifications" + query), 200, "notifications");
}

int count_type(const json& items, const std::string& type) {
  int n = 0;
  for (const auto& i : items)
    if (i["type"] == type) ++n;
  return n;
}

json events(Client& who, const std::string& query) {
  return expect_status(who.get(kApi + "/events?" + query), 200, "events " + query);
}

}  // namespace

TEST(Notifications, ACommentTellsTheIdeasAuthor) {
  Core c;
  auto idea = c.idea(c.staff, c.open_challenge(), "Tell me about comments");
  EXPECT_EQ(notifications(c.staff)["unread_count"], 0);
  auto comment = c.comment(c.other, idea, "Nice idea");
  auto n = notifications(c.staff);
  ASSERT_EQ(n["items"].size(), 1u) << n.dump();
  EXPECT_EQ(n["unread_count"], 1);
  auto item = n["items"][0];
  EXPECT_EQ(item["type"], "comment.created");
  EXPECT_EQ(item["data"]["idea_id"], idea);
  EXPECT_EQ(item["data"]["comment_id"], comment["id"]);
  EXPECT_EQ(item["read"], false);
  EXPECT_TRUE(item["read_at"].is_null());
  EXPECT_TRUE(n["next_cursor"].is_null());
  // Nobody is told about their own comment.
  EXPECT_TRUE(notifications(c.other)["items"].empty());
  c.comment(c.staff, idea, "Thanks!");
  EXPECT_EQ(notifications(c.staff)["items"].size(), 1u);
  // A reply tells the author of the comment replied to.
  c.comment(c.dg, idea, "Agreed", comment["id"].get<std::int64_t>());
  EXPECT_EQ(count_type(notifications(c.other)["items"], "comment.created"), 1);
  EXPECT_EQ(notifications(c.staff)["unread_count"], 2);
}

TEST(Notifications, StatusChangesTellAuthorVotersCommentersAndFollowersButNotTheActor) {
  Core c;
  auto voter = c.user("vic");
  auto commenter = c.user("cam");
  auto follower = c.user("fay");
  auto bystander = c.user("bob");
  auto id = c.open_challenge();
  auto idea = c.idea(c.staff, id, "Follow my journey");
  expect_status(c.vote(voter, idea, 1), 200, "vote");
  c.comment(commenter, idea, "Interesting");
  auto f = expect_status(follower.put(kApi + "/challenges/" + str(id) + "/follow", {{"follow", true}}), 200, "follow");
  EXPECT_EQ(f, json({{"following", true}}));
  expect_status(c.dg.put(kApi + "/challenges/" + str(id) + "/follow", {{"follow", true}}), 200, "dg follows");
  auto before_staff = notifications(c.staff)["items"].size();  // the comment notification

  expect_status(c.dg.patch(kApi + "/ideas/" + str(idea), {{"status", "under_review"}, {"status_note", "Looking at it"}}),
                200, "status");
  for (auto* who : {&c.staff, &voter, &commenter, &follower}) {
    auto items = notifications(*who)["items"];
    ASSERT_EQ(count_type(items, "idea.status_changed"), 1) << items.dump();
    for (const auto& i : items)
      if (i["type"] == "idea.status_changed") {
        EXPECT_EQ(i["data"]["idea_id"], idea);
        EXPECT_EQ(i["data"]["status"], "under_review");
        EXPECT_EQ(i["data"]["note"], "Looking at it");
      }
  }
  EXPECT_EQ(notifications(c.staff)["items"].size(), before_staff + 1);
  EXPECT_TRUE(notifications(c.dg)["items"].empty()) << "the actor is not told about their own change";
  EXPECT_TRUE(notifications(bystander)["items"].empty());

  // Unfollowing stops them, even if the person touches the idea again.
  auto u = expect_status(voter.put(kApi + "/ideas/" + str(idea) + "/follow", {{"follow", false}}), 200, "unfollow");
  EXPECT_EQ(u, json({{"following", false}}));
  expect_status(c.vote(voter, idea, 0), 200, "withdraw");
  expect_status(c.vote(voter, idea, 1), 200, "vote again");
  expect_status(follower.put(kApi + "/challenges/" + str(id) + "/follow", {{"follow", false}}), 200, "unfollow");
  expect_status(c.dg.patch(kApi + "/ideas/" + str(idea), {{"status", "shortlisted"}, {"status_note", "Shortlisted"}}), 200,
                "status");
  EXPECT_EQ(count_type(notifications(voter)["items"], "idea.status_changed"), 1);
  EXPECT_EQ(count_type(notifications(follower)["items"], "idea.status_changed"), 1);
  EXPECT_EQ(count_type(notifications(c.staff)["items"], "idea.status_changed"), 2);
  EXPECT_EQ(count_type(notifications(commenter)["items"], "idea.status_changed"), 2);
  // Following again brings them back.
  expect_status(voter.put(kApi + "/ideas/" + str(idea) + "/follow", {{"follow", true}}), 200, "follow");
  expect_status(c.dg.patch(kApi + "/ideas/" + str(idea), {{"status", "forwarded"}, {"status_note", "Forwarded"}}), 200,
                "status");
  EXPECT_EQ(notifications(voter)["items"].size(), 2u);

  auto r = voter.put(kApi + "/ideas/" + str(idea) + "/follow", {{"follow", "yes"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "follow");
  EXPECT_EQ(voter.put(kApi + "/ideas/999999/follow", {{"follow", true}}).status, 404);
}

TEST(Notifications, MarkingReadByIdsAndAll) {
  Core c;
  auto idea = c.idea(c.staff, c.open_challenge(), "Many comments");
  for (int i = 0; i < 3; ++i) c.comment(c.other, idea, "Comment " + std::to_string(i));
  auto n = notifications(c.staff);
  ASSERT_EQ(n["items"].size(), 3u);
  EXPECT_EQ(n["unread_count"], 3);
  // Newest first.
  EXPECT_GT(n["items"][0]["id"].get<std::int64_t>(), n["items"][2]["id"].get<std::int64_t>());
  auto first = n["items"][2]["id"].get<std::int64_t>();

  // Someone else cannot mark them.
  auto r = expect_status(c.other.post(kApi + "/notifications/read", {{"ids", {first}}}), 200, "foreign");
  EXPECT_EQ(r["marked"], 0);
  EXPECT_EQ(notifications(c.staff)["unread_count"], 3);

  r = expect_status(c.staff.post(kApi + "/notifications/read", {{"ids", {first}}}), 200, "read one");
  EXPECT_EQ(r["marked"], 1);
  n = notifications(c.staff);
  EXPECT_EQ(n["unread_count"], 2);
  EXPECT_EQ(n["items"][2]["read"], true);
  EXPECT_TRUE(n["items"][2]["read_at"].is_string());
  auto unread = notifications(c.staff, "?unread=true");
  EXPECT_EQ(unread["items"].size(), 2u);
  for (const auto& i : unread["items"]) EXPECT_NE(i["id"], first);

  auto bad = c.staff.post(kApi + "/notifications/read", json::object());
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(error_field(bad), "ids");
  EXPECT_EQ(error_field(c.staff.post(kApi + "/notifications/read", {{"ids", "all"}})), "ids");

  r = expect_status(c.staff.post(kApi + "/notifications/read", {{"all", true}}), 200, "read all");
  EXPECT_EQ(r["marked"], 2);
  n = notifications(c.staff);
  EXPECT_EQ(n["unread_count"], 0);
  EXPECT_TRUE(notifications(c.staff, "?unread=true")["items"].empty());
  EXPECT_EQ(n["items"].size(), 3u) << "read notifications are kept";

  // Pages.
  auto page = notifications(c.staff, "?limit=2");
  EXPECT_EQ(page["items"].size(), 2u);
  ASSERT_TRUE(page["next_cursor"].is_string());
  auto rest = notifications(c.staff, "?limit=2&cursor=" + page["next_cursor"].get<std::string>());
  EXPECT_EQ(rest["items"].size(), 1u);
  EXPECT_TRUE(rest["next_cursor"].is_null());
}

TEST(Events, ReplayByTopicInSeqOrder) {
  Core c;
  auto ch = c.create_challenge();
  auto id = ch["id"].get<std::int64_t>();
  auto idea = c.idea(c.staff, id, "Evented idea");
  expect_status(c.vote(c.other, idea, 1), 200, "vote");
  c.comment(c.other, idea, "Evented comment");
  expect_status(c.dg.patch(kApi + "/ideas/" + str(idea), {{"status", "under_review"}, {"status_note", "Reviewing"}}), 200,
                "status");
  auto other_ch = c.open_challenge(challenge_body("Unrelated"));
  c.idea(c.staff, other_ch, "Unrelated idea");

  auto r = events(c.staff, "since=0&topic=challenge:" + str(id));
  auto items = r["items"];
  std::vector<std::string> types;
  std::int64_t last = 0;
  for (const auto& e : items) {
    EXPECT_GT(e["seq"].get<std::int64_t>(), last) << "seq increases";
    last = e["seq"].get<std::int64_t>();
    EXPECT_EQ(e["topic"], "challenge:" + str(id));
    EXPECT_FALSE(e["at"].get<std::string>().empty());
    types.push_back(e["type"]);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"challenge.created", "idea.created", "vote.changed", "comment.created",
                                             "idea.status_changed"}));
  EXPECT_EQ(r["next_since"], last);
  // Each carries what a client needs to update its view.
  EXPECT_EQ(items[0]["data"]["challenge"]["id"], id);
  EXPECT_EQ(items[1]["data"]["idea"]["title"], "Evented idea");
  EXPECT_EQ(items[2]["data"], json({{"idea_id", idea}, {"votes", {{"up", 1}, {"down", 0}}}, {"score", 1}}));
  EXPECT_EQ(items[3]["data"]["comment"]["body"], "Evented comment");
  EXPECT_EQ(items[3]["data"]["comment_count"], 1);
  EXPECT_EQ(items[4]["data"]["idea"]["status"], "under_review");

  // Nothing after the end; next_since stays.
  auto tail = events(c.staff, "since=" + str(last) + "&topic=challenge:" + str(id));
  EXPECT_TRUE(tail["items"].empty());
  EXPECT_EQ(tail["next_since"], last);
  // Bounded pages that continue where they stopped.
  auto p1 = events(c.staff, "since=0&limit=2&topic=challenge:" + str(id));
  ASSERT_EQ(p1["items"].size(), 2u);
  EXPECT_EQ(p1["next_since"], p1["items"][1]["seq"]);
  auto p2 = events(c.staff, "since=" + str(p1["next_since"].get<std::int64_t>()) + "&limit=2&topic=challenge:" + str(id));
  ASSERT_EQ(p2["items"].size(), 2u);
  EXPECT_EQ(p2["items"][0]["seq"], items[2]["seq"]);
  // By idea topic: only that idea's events.
  auto by_idea = events(c.staff, "since=0&topic=idea:" + str(idea))["items"];
  EXPECT_EQ(by_idea.size(), 4u);
  // Without a topic: everything visible, in order, including the other challenge.
  auto everything = events(c.staff, "since=0")["items"];
  last = 0;
  for (const auto& e : everything) {
    EXPECT_GT(e["seq"].get<std::int64_t>(), last);
    last = e["seq"].get<std::int64_t>();
  }
  EXPECT_GE(everything.size(), items.size() + 2);

  EXPECT_EQ(error_field(c.staff.get(kApi + "/events?since=-1")), "since");
  EXPECT_EQ(c.staff.get(kApi + "/events?since=0&topic=bogus").status, 422);
  EXPECT_EQ(c.staff.get(kApi + "/events?since=0&topic=challenge:999999").status, 404);
  EXPECT_EQ(c.staff.get(kApi + "/events?since=0&topic=idea:999999").status, 404);
  Client anon = c.d.client();
  EXPECT_EQ(anon.get(kApi + "/events?since=0").status, 401);
}

TEST(Events, DraftsAndOtherPeoplesNotificationsStayOutOfSight) {
  Core c;
  auto draft = c.create_challenge(challenge_body("Secret draft", "draft"))["id"].get<std::int64_t>();
  expect_status(c.dg.patch(kApi + "/challenges/" + str(draft), {{"title", "Secret draft, edited"}}), 200, "edit draft");
  auto open = c.open_challenge(challenge_body("Public challenge"));
  auto idea = c.idea(c.other, open, "Somebody's idea");
  c.comment(c.dg, idea, "A comment that notifies olu");

  auto mentions_draft = [&](const json& items) {
    for (const auto& e : items)
      if (e["data"].contains("challenge") && e["data"]["challenge"]["id"] == draft) return true;
    return false;
  };
  EXPECT_EQ(c.staff.get(kApi + "/events?since=0&topic=challenge:" + str(draft)).status, 404);
  auto staff_all = events(c.staff, "since=0")["items"];
  EXPECT_FALSE(mentions_draft(staff_all)) << staff_all.dump();
  EXPECT_EQ(c.staff.get(kApi + "/events?since=0").body.find("Secret draft"), std::string::npos);
  auto staff_challenges = events(c.staff, "since=0&topic=challenges")["items"];
  EXPECT_FALSE(mentions_draft(staff_challenges));
  EXPECT_EQ(staff_challenges.size(), 1u) << "only the public challenge";
  // The design group sees the draft's events.
  auto dg_draft = events(c.dg, "since=0&topic=challenge:" + str(draft))["items"];
  ASSERT_EQ(dg_draft.size(), 2u);
  EXPECT_EQ(dg_draft[0]["type"], "challenge.created");
  EXPECT_EQ(dg_draft[1]["type"], "challenge.updated");
  EXPECT_TRUE(mentions_draft(events(c.dg, "since=0&topic=challenges")["items"]));

  // Notifications travel on user:{id}, for that user only.
  auto r = c.staff.get(kApi + "/events?since=0&topic=user:" + str(c.other_id));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_code(r), "forbidden");
  auto own = events(c.other, "since=0&topic=user:" + str(c.other_id))["items"];
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0]["type"], "notification");
  EXPECT_EQ(own[0]["data"]["notification"]["type"], "comment.created");
  for (const auto& e : staff_all) EXPECT_NE(e["type"], "notification") << e.dump();
  EXPECT_TRUE(events(c.staff, "since=0&topic=user:" + str(c.staff_id))["items"].empty());

  // Once the draft opens, its later events are public; the draft-time ones stay private.
  expect_status(c.dg.patch(kApi + "/challenges/" + str(draft), {{"status", "open"}}), 200, "open");
  auto now_public = events(c.staff, "since=0&topic=challenge:" + str(draft))["items"];
  ASSERT_EQ(now_public.size(), 1u) << now_public.dump();
  EXPECT_EQ(now_public[0]["type"], "challenge.updated");
  EXPECT_EQ(now_public[0]["data"]["challenge"]["status"], "open");
}

TEST(Events, EveryChangeAppendsItsEvent) {
  Core c;
  auto id = c.open_challenge();
  auto since = events(c.dg, "since=0&topic=challenge:" + str(id))["next_since"].get<std::int64_t>();
  auto next = [&](const std::string& what) {
    auto r = events(c.dg, "since=" + str(since) + "&topic=challenge:" + str(id));
    since = r["next_since"].get<std::int64_t>();
    std::vector<std::string> types;
    for (const auto& e : r["items"]) types.push_back(e["type"]);
    return std::make_pair(types, r["items"]);
  };
  auto a = c.idea(c.staff, id, "Idea that changes");
  auto b = c.idea(c.other, id, "Its duplicate");
  next("ideas");
  expect_status(c.staff.patch(kApi + "/ideas/" + str(a), {{"title", "Idea that changed"}}), 200, "edit");
  auto [t1, e1] = next("edit");
  EXPECT_EQ(t1, std::vector<std::string>{"idea.updated"});
  EXPECT_EQ(e1[0]["data"]["idea"]["title"], "Idea that changed");

  auto comment = c.comment(c.other, a, "First words");
  auto cid = str(comment["id"].get<std::int64_t>());
  expect_status(c.other.patch(kApi + "/comments/" + cid, {{"body", "Second words"}}), 200, "edit comment");
  EXPECT_EQ(c.other.del(kApi + "/comments/" + cid).status, 204);
  auto [t2, e2] = next("comments");
  EXPECT_EQ(t2, (std::vector<std::string>{"comment.created", "comment.updated", "comment.deleted"}));
  EXPECT_EQ(e2[1]["data"]["comment"]["body"], "Second words");
  EXPECT_TRUE(e2[1]["data"]["comment"]["edited_at"].is_string());
  EXPECT_EQ(e2[2]["data"]["comment"]["state"], "deleted");
  EXPECT_EQ(e2[2]["data"]["comment_count"], 0);
  EXPECT_EQ(e2[2].dump().find("Second words"), std::string::npos) << "deleted words do not travel";

  expect_status(c.vote(c.dg, b, 1), 200, "vote");
  expect_status(c.vote(c.dg, b, 0), 200, "withdraw");
  expect_status(c.vote(c.dg, b, 0), 200, "withdraw again");  // no change, no event
  auto [t3, e3] = next("votes");
  EXPECT_EQ(t3, (std::vector<std::string>{"vote.changed", "vote.changed"}));
  EXPECT_EQ(e3[1]["data"]["score"], 0);

  expect_status(c.dg.post(kApi + "/ideas/" + str(b) + "/merge", {{"into_id", a}}), 200, "merge");
  auto [t4, e4] = next("merge");
  EXPECT_NE(std::find(t4.begin(), t4.end(), "idea.merged"), t4.end()) << e4.dump();
  for (const auto& e : e4)
    if (e["type"] == "idea.merged") {
      EXPECT_EQ(e["data"]["idea"]["id"], b);
      EXPECT_EQ(e["data"]["into_id"], a);
    }
  expect_status(c.dg.post(kApi + "/ideas/" + str(b) + "/unmerge", json::object()), 200, "unmerge");
  auto [t5, e5] = next("unmerge");
  EXPECT_FALSE(t5.empty());
  bool restored = false;
  for (const auto& e : e5)
    if (e["data"].contains("idea") && e["data"]["idea"]["id"] == b && e["data"]["idea"]["status"] == "new") restored = true;
  EXPECT_TRUE(restored) << e5.dump();

  expect_status(c.dg.patch(kApi + "/challenges/" + str(id), {{"title", "Renamed challenge"}}), 200, "rename");
  auto [t6, e6] = next("challenge");
  EXPECT_EQ(t6, std::vector<std::string>{"challenge.updated"});
  EXPECT_EQ(e6[0]["data"]["challenge"]["title"], "Renamed challenge");

  // Refused changes leave no trace in the log.
  EXPECT_EQ(c.other.patch(kApi + "/ideas/" + str(a), {{"title", "Not mine"}}).status, 403);
  EXPECT_EQ(c.staff.post(kApi + "/challenges/" + str(id) + "/ideas", idea_body("x")).status, 422);
  EXPECT_TRUE(next("nothing").first.empty());
}

TEST(Notifications, AnUnfollowCarriesThroughAMergeWhenTheMovedVoteChanges) {
  Core c;
  auto voter = c.user("vic");
  auto id = c.open_updown_challenge();
  auto into = c.idea(c.staff, id, "The survivor");
  auto dup = c.idea(c.other, id, "The duplicate");
  auto other = c.idea(c.other, id, "Another one");
  expect_status(c.vote(voter, dup, 1), 200, "vote");
  expect_status(voter.put(kApi + "/ideas/" + str(dup) + "/follow", {{"follow", false}}), 200, "unfollow");
  expect_status(c.dg.post(kApi + "/ideas/" + str(dup) + "/merge", {{"into_id", into}}), 200, "merge");
  // The vote moved to the survivor and is changed there: changing a vote follows nothing,
  // and the voter had stopped following the idea it was cast on.
  EXPECT_EQ(c.get_idea(voter, into)["my_vote"], 1);
  expect_status(c.vote(voter, into, -1), 200, "change the moved vote");
  // A new vote follows its idea, as ever.
  expect_status(c.vote(voter, other, 1), 200, "a new vote");
  for (auto idea : {into, other})
    expect_status(c.dg.patch(kApi + "/ideas/" + str(idea), {{"status", "under_review"}, {"status_note", "Looking"}}),
                  200, "status");
  auto items = notifications(voter)["items"];
  ASSERT_EQ(count_type(items, "idea.status_changed"), 1) << items.dump();
  for (const auto& i : items)
    if (i["type"] == "idea.status_changed") {
      EXPECT_EQ(i["data"]["idea_id"], other);
    }
}

TEST(Notifications, MergesAndForwardingTellTheIdeasPeople) {
  Core c;
  auto voter = c.user("vic");
  auto id = c.open_challenge();
  auto into = c.idea(c.staff, id, "The survivor");
  auto dup = c.idea(c.other, id, "The duplicate");
  expect_status(c.vote(voter, dup, 1), 200, "vote");
  expect_status(c.dg.post(kApi + "/ideas/" + str(dup) + "/merge", {{"into_id", into}}), 200, "merge");
  for (auto* who : {&c.other, &voter}) {
    auto items = notifications(*who)["items"];
    ASSERT_EQ(count_type(items, "idea.merged"), 1) << items.dump();
    EXPECT_EQ(items[0]["data"]["idea_id"], dup);
  }
  EXPECT_EQ(count_type(notifications(c.dg)["items"], "idea.merged"), 0);
  // The duplicate's people now follow the survivor: they hear of its journey.
  expect_status(c.dg.patch(kApi + "/ideas/" + str(into), {{"status", "forwarded"}, {"status_note", "To the workshop"}}),
                200, "forward");
  for (auto* who : {&c.staff, &c.other, &voter}) {
    auto items = notifications(*who)["items"];
    int about_forwarding = 0;
    for (const auto& i : items)
      if (i["data"]["idea_id"] == into && i["data"]["status"] == "forwarded") ++about_forwarding;
    EXPECT_EQ(about_forwarding, 1) << items.dump();
  }
}
