// Moderation over real HTTP: flags (raise, list, resolve), hiding ideas and comments,
// and merging duplicate ideas (and undoing the merge).
#include <gtest/gtest.h>

#include <algorithm>

#include "core_helpers.hpp"

using namespace cc::test;

namespace {
bool contains(const std::vector<std::int64_t>& v, std::int64_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }
}  // namespace

TEST(Moderation, AnyoneFlagsTheDesignGroupListsAndResolves) {
  Core c;
  auto id = c.open_challenge();
  auto idea = c.idea(c.staff, id, "Flag me");
  auto comment = c.comment(c.staff, idea, "A rude comment");

  auto r = c.other.post(kApi + "/flags", {{"target", "idea"}, {"id", idea}, {"reason", "Off topic"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto flag = r.json_body()["flag"];
  EXPECT_EQ(flag["target"], "idea");
  EXPECT_EQ(flag["target_id"], idea);
  EXPECT_EQ(flag["state"], "open");
  EXPECT_EQ(flag["reason"], "Off topic");
  r = c.other.post(kApi + "/flags", {{"target", "comment"}, {"id", comment["id"]}, {"reason", "Rude"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto comment_flag = r.json_body()["flag"];

  for (const auto& [body, field] : std::vector<std::pair<json, std::string>>{
           {{{"target", "user"}, {"id", idea}, {"reason", "x"}}, "target"},
           {{{"id", idea}, {"reason", "x"}}, "target"},
           {{{"target", "idea"}, {"reason", "x"}}, "id"},
           {{{"target", "idea"}, {"id", idea}}, "reason"},
           {{{"target", "idea"}, {"id", idea}, {"reason", ""}}, "reason"},
           {{{"target", "idea"}, {"id", "one"}, {"reason", "x"}}, "id"}}) {
    auto res = c.other.post(kApi + "/flags", body);
    EXPECT_EQ(res.status, 422) << body.dump();
    EXPECT_EQ(error_field(res), field) << body.dump() << " → " << res.body;
  }
  EXPECT_EQ(c.other.post(kApi + "/flags", {{"target", "idea"}, {"id", 999999}, {"reason", "x"}}).status, 404);
  EXPECT_EQ(c.other.post(kApi + "/flags", {{"target", "comment"}, {"id", 999999}, {"reason", "x"}}).status, 404);

  r = c.staff.get(kApi + "/flags?state=open");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_code(r), "forbidden");
  auto open = expect_status(c.dg.get(kApi + "/flags?state=open"), 200, "flags");
  EXPECT_EQ(ids_of(open["items"]),
            (std::vector<std::int64_t>{flag["id"].get<std::int64_t>(), comment_flag["id"].get<std::int64_t>()}));
  EXPECT_EQ(c.dg.get(kApi + "/flags?state=bogus").status, 422);

  auto fid = str(flag["id"].get<std::int64_t>());
  EXPECT_EQ(c.staff.patch(kApi + "/flags/" + fid, {{"state", "resolved"}, {"action", "none"}}).status, 403);
  r = c.dg.patch(kApi + "/flags/" + fid, {{"state", "resolved"}, {"action", "delete"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "action");
  auto resolved =
      expect_status(c.dg.patch(kApi + "/flags/" + fid, {{"state", "resolved"}, {"action", "none"}, {"note", "It is on topic"}}),
                    200, "resolve")["flag"];
  EXPECT_EQ(resolved["state"], "resolved");
  EXPECT_EQ(resolved["action"], "none");
  EXPECT_EQ(resolved["note"], "It is on topic");
  EXPECT_EQ(resolved["resolved_by"], c.dg_id);
  EXPECT_EQ(c.dg.patch(kApi + "/flags/" + fid, {{"state", "resolved"}, {"action", "hide"}}).status, 409);
  EXPECT_EQ(c.dg.patch(kApi + "/flags/999999", {{"state", "resolved"}, {"action", "none"}}).status, 404);
  // Action none leaves the idea as it was.
  EXPECT_EQ(c.other.get(kApi + "/ideas/" + str(idea)).status, 200);

  open = expect_status(c.dg.get(kApi + "/flags?state=open"), 200, "flags");
  EXPECT_EQ(ids_of(open["items"]), std::vector<std::int64_t>{comment_flag["id"].get<std::int64_t>()});
  auto done = expect_status(c.dg.get(kApi + "/flags?state=resolved"), 200, "resolved");
  EXPECT_EQ(ids_of(done["items"]), std::vector<std::int64_t>{flag["id"].get<std::int64_t>()});
}

TEST(Moderation, HidingAnIdeaTakesItAwayFromStaffButNotTheDesignGroup) {
  Core c;
  auto id = c.open_challenge();
  auto idea = c.idea(c.staff, id, "Unkind idea about handover");
  auto kept = c.idea(c.staff, id, "Kind idea about handover");
  auto flag = expect_status(c.other.post(kApi + "/flags", {{"target", "idea"}, {"id", idea}, {"reason", "Unkind"}}), 201,
                            "flag")["flag"];
  expect_status(c.dg.patch(kApi + "/flags/" + str(flag["id"].get<std::int64_t>()),
                           {{"state", "resolved"}, {"action", "hide"}, {"note", "Breaks the code of conduct"}}),
                200, "hide");

  auto r = c.other.get(kApi + "/ideas/" + str(idea));
  EXPECT_EQ(r.status, 404);
  for (const std::string sort : {"top", "new", "trending", "discussed"}) {
    auto ids = ids_of(c.list_ideas(c.other, id, "?sort=" + sort)["items"]);
    EXPECT_FALSE(contains(ids, idea)) << sort;
    EXPECT_TRUE(contains(ids, kept)) << sort;
  }
  auto hits = expect_status(c.other.get(kApi + "/search?q=handover"), 200, "search")["items"];
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]["idea"]["id"], kept);
  EXPECT_EQ(c.other.get(kApi + "/ideas/" + str(idea) + "/comments").status, 404);
  EXPECT_EQ(c.other.post(kApi + "/ideas/" + str(idea) + "/comments", {{"body", "Hello?"}}).status, 404);
  EXPECT_EQ(c.vote(c.other, idea, 1).status, 404);
  // Its author still sees it, and may still vote on it.
  EXPECT_EQ(c.vote(c.staff, idea, 1).status, 200);

  auto seen = c.get_idea(c.dg, idea);
  EXPECT_EQ(seen["hidden"], true);
  EXPECT_TRUE(contains(ids_of(c.list_ideas(c.dg, id)["items"]), idea));
  auto dg_hits = expect_status(c.dg.get(kApi + "/search?q=handover"), 200, "search")["items"];
  EXPECT_EQ(dg_hits.size(), 2u);
}

TEST(Moderation, HidingACommentShowsAPlaceholderToStaff) {
  Core c;
  auto idea = c.idea(c.staff, c.open_challenge(), "Comment moderation");
  auto comment = c.comment(c.other, idea, "Something unkind");
  auto flag = expect_status(c.staff.post(kApi + "/flags", {{"target", "comment"}, {"id", comment["id"]}, {"reason", "Unkind"}}),
                            201, "flag")["flag"];
  expect_status(c.dg.patch(kApi + "/flags/" + str(flag["id"].get<std::int64_t>()),
                           {{"state", "resolved"}, {"action", "hide"}, {"note", "Personal remark"}}),
                200, "hide");
  auto staff_view = expect_status(c.staff.get(kApi + "/ideas/" + str(idea) + "/comments"), 200, "comments");
  EXPECT_EQ(staff_view["items"][0]["state"], "hidden");
  EXPECT_EQ(staff_view["items"][0]["body"], "[hidden by the moderators]");
  EXPECT_EQ(c.staff.get(kApi + "/ideas/" + str(idea) + "/comments").body.find("Something unkind"), std::string::npos);
  auto dg_view = expect_status(c.dg.get(kApi + "/ideas/" + str(idea) + "/comments"), 200, "comments");
  EXPECT_EQ(dg_view["items"][0]["body"], "Something unkind");
  EXPECT_EQ(dg_view["items"][0]["hidden_reason"], "Personal remark");
}

TEST(Moderation, MergeMovesVotesAndCommentsAndUnmergeRestoresBoth) {
  Core c;
  auto u1 = c.user("uno");
  auto u2 = c.user("dos");
  auto u3 = c.user("tres");
  auto id = c.open_challenge();
  auto into = c.idea(c.staff, id, "Rota app");
  auto dup = c.idea(c.other, id, "An app for rotas");
  // u1 voted on both (one vote survives), u2 only on the duplicate, u3 only on the survivor.
  for (auto* v : {&u1, &u3}) expect_status(c.vote(*v, into, 1), 200, "vote into");
  for (auto* v : {&u1, &u2}) expect_status(c.vote(*v, dup, 1), 200, "vote dup");
  auto into_comment = c.comment(u3, into, "On the survivor");
  auto dup_c1 = c.comment(u1, dup, "On the duplicate");
  auto dup_c2 = c.comment(u2, dup, "Reply on the duplicate", dup_c1["id"].get<std::int64_t>());
  auto before_into = c.get_idea(c.dg, into);
  auto before_dup = c.get_idea(c.dg, dup);
  auto ch_before = expect_status(c.dg.get(kApi + "/challenges/" + str(id)), 200, "ch")["challenge"]["counts"];
  EXPECT_EQ(ch_before["votes"], 4);
  EXPECT_EQ(ch_before["ideas"], 2);

  // Only the design group merges; not into itself, nor across challenges.
  auto r = c.staff.post(kApi + "/ideas/" + str(dup) + "/merge", {{"into_id", into}});
  EXPECT_EQ(r.status, 403);
  r = c.dg.post(kApi + "/ideas/" + str(dup) + "/merge", {{"into_id", dup}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "into_id");
  auto foreign = c.idea(c.staff, c.open_challenge(challenge_body("Elsewhere")), "Foreign idea");
  r = c.dg.post(kApi + "/ideas/" + str(dup) + "/merge", {{"into_id", foreign}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "into_id");
  EXPECT_EQ(error_field(c.dg.post(kApi + "/ideas/" + str(dup) + "/merge", json::object())), "into_id");
  EXPECT_EQ(c.dg.post(kApi + "/ideas/" + str(dup) + "/unmerge", json::object()).status, 409);

  auto survivor = expect_status(c.dg.post(kApi + "/ideas/" + str(dup) + "/merge", {{"into_id", into}}), 200, "merge")["idea"];
  EXPECT_EQ(survivor["id"], into);
  EXPECT_EQ(survivor["votes"], json({{"up", 3}, {"down", 0}})) << "u1 once, u2, u3";
  EXPECT_EQ(survivor["score"], 3);
  EXPECT_EQ(survivor["comment_count"], 3);
  auto merged = c.get_idea(c.dg, dup);
  EXPECT_EQ(merged["status"], "merged");
  EXPECT_EQ(merged["merged_into_id"], into);
  EXPECT_EQ(merged["votes"], json({{"up", 0}, {"down", 0}}));
  EXPECT_EQ(merged["comment_count"], 0);
  EXPECT_EQ(c.get_idea(u2, into)["my_vote"], 1) << "u2's vote moved over";
  auto comments = expect_status(c.staff.get(kApi + "/ideas/" + str(into) + "/comments"), 200, "comments")["items"];
  EXPECT_EQ(ids_of(comments), (std::vector<std::int64_t>{into_comment["id"].get<std::int64_t>(), dup_c1["id"].get<std::int64_t>(),
                                                         dup_c2["id"].get<std::int64_t>()}));
  EXPECT_FALSE(contains(ids_of(c.list_ideas(c.staff, id)["items"]), dup));
  auto ch = expect_status(c.dg.get(kApi + "/challenges/" + str(id)), 200, "ch")["challenge"]["counts"];
  EXPECT_EQ(ch["ideas"], 1);
  EXPECT_EQ(ch["votes"], 3);
  // A merged idea takes no votes or comments, and cannot be merged again.
  EXPECT_EQ(c.vote(u3, dup, 1).status, 409);
  EXPECT_EQ(c.staff.post(kApi + "/ideas/" + str(dup) + "/comments", {{"body", "Late"}}).status, 409);
  EXPECT_EQ(c.dg.post(kApi + "/ideas/" + str(dup) + "/merge", {{"into_id", into}}).status, 409);
  EXPECT_EQ(c.dg.post(kApi + "/ideas/" + str(foreign) + "/merge", {{"into_id", dup}}).status, 422);

  // Undo: both ideas as they were.
  EXPECT_EQ(c.staff.post(kApi + "/ideas/" + str(dup) + "/unmerge", json::object()).status, 403);
  auto restored = expect_status(c.dg.post(kApi + "/ideas/" + str(dup) + "/unmerge", json::object()), 200, "unmerge")["idea"];
  EXPECT_EQ(restored["id"], dup);
  EXPECT_EQ(restored["status"], before_dup["status"]);
  EXPECT_TRUE(restored["merged_into_id"].is_null());
  for (const auto& [before, idea] : {std::pair{before_into, into}, std::pair{before_dup, dup}}) {
    auto now = c.get_idea(c.dg, idea);
    EXPECT_EQ(now["votes"], before["votes"]) << idea;
    EXPECT_EQ(now["score"], before["score"]) << idea;
    EXPECT_EQ(now["comment_count"], before["comment_count"]) << idea;
    EXPECT_EQ(now["status"], before["status"]) << idea;
    EXPECT_EQ(now["title"], before["title"]) << idea;
  }
  EXPECT_EQ(c.get_idea(u1, dup)["my_vote"], 1);
  EXPECT_EQ(c.get_idea(u1, into)["my_vote"], 1);
  EXPECT_EQ(c.get_idea(u2, into)["my_vote"], 0);
  EXPECT_EQ(c.get_idea(u2, dup)["my_vote"], 1);
  EXPECT_EQ(ids_of(expect_status(c.staff.get(kApi + "/ideas/" + str(dup) + "/comments"), 200, "c")["items"]),
            (std::vector<std::int64_t>{dup_c1["id"].get<std::int64_t>(), dup_c2["id"].get<std::int64_t>()}));
  EXPECT_EQ(ids_of(expect_status(c.staff.get(kApi + "/ideas/" + str(into) + "/comments"), 200, "c")["items"]),
            std::vector<std::int64_t>{into_comment["id"].get<std::int64_t>()});
  auto ch_after = expect_status(c.dg.get(kApi + "/challenges/" + str(id)), 200, "ch")["challenge"]["counts"];
  EXPECT_EQ(ch_after["ideas"], ch_before["ideas"]);
  EXPECT_EQ(ch_after["votes"], ch_before["votes"]);
  EXPECT_EQ(ch_after["comments"], ch_before["comments"]);
  EXPECT_TRUE(contains(ids_of(c.list_ideas(c.staff, id)["items"]), dup));
  // Voting on the restored idea works again, and the survivor's budget is as before.
  EXPECT_EQ(c.vote(u3, dup, 1).status, 200);
  // The journey records both moves.
  auto history = c.get_idea(c.staff, dup)["history"];
  ASSERT_GE(history.size(), 3u);
  EXPECT_EQ(history[history.size() - 2]["status"], "merged");
  EXPECT_EQ(history.back()["status"], "new");
}

TEST(Moderation, ChainedMergesUndoExactlyInEitherOrder) {
  Core c;
  std::vector<Client> u;
  for (const char* name : {"u1", "u2", "u3", "u4"}) u.push_back(c.user(name));
  auto id = c.open_challenge();
  auto a = c.idea(c.staff, id, "Idea A");
  auto b = c.idea(c.staff, id, "Idea B");
  auto cc = c.idea(c.other, id, "Idea C");
  // u1 on A; u2 on A and B; u3 on B and C; u4 on C. One comment each.
  expect_status(c.vote(u[0], a, 1), 200, "vote");
  expect_status(c.vote(u[1], a, 1), 200, "vote");
  expect_status(c.vote(u[1], b, 1), 200, "vote");
  expect_status(c.vote(u[2], b, 1), 200, "vote");
  expect_status(c.vote(u[2], cc, 1), 200, "vote");
  expect_status(c.vote(u[3], cc, 1), 200, "vote");
  for (auto idea : {a, b, cc}) c.comment(u[0], idea, "On " + str(idea));

  struct State {
    json votes;
    std::int64_t comments;
    std::vector<std::int64_t> comment_ids;
    std::string status;
  };
  auto state = [&](std::int64_t idea) {
    auto i = c.get_idea(c.dg, idea);
    auto list = expect_status(c.dg.get(kApi + "/ideas/" + str(idea) + "/comments"), 200, "comments");
    return State{i["votes"], i["comment_count"].get<std::int64_t>(), ids_of(list["items"]), i["status"]};
  };
  auto initial = std::vector<State>{state(a), state(b), state(cc)};
  auto my_votes = [&] {
    std::vector<int> out;
    for (auto& v : u)
      for (auto idea : {a, b, cc}) out.push_back(c.get_idea(v, idea)["my_vote"].get<int>());
    return out;
  };
  auto initial_votes = my_votes();
  auto counts = [&] { return expect_status(c.dg.get(kApi + "/challenges/" + str(id)), 200, "ch")["challenge"]["counts"]; };
  auto initial_counts = counts();

  auto expect_initial = [&](const std::string& when) {
    std::vector<std::int64_t> ideas = {a, b, cc};
    for (std::size_t k = 0; k < 3; ++k) {
      auto now = state(ideas[k]);
      EXPECT_EQ(now.votes, initial[k].votes) << when << " idea " << ideas[k];
      EXPECT_EQ(now.comments, initial[k].comments) << when << " idea " << ideas[k];
      EXPECT_EQ(now.comment_ids, initial[k].comment_ids) << when << " idea " << ideas[k];
      EXPECT_EQ(now.status, initial[k].status) << when << " idea " << ideas[k];
    }
    EXPECT_EQ(my_votes(), initial_votes) << when;
    EXPECT_EQ(counts(), initial_counts) << when;
  };

  for (bool inner_first : {true, false}) {
    std::string order = inner_first ? "A then B" : "B then A";
    expect_status(c.dg.post(kApi + "/ideas/" + str(a) + "/merge", {{"into_id", b}}), 200, "merge A into B");
    auto survivor =
        expect_status(c.dg.post(kApi + "/ideas/" + str(b) + "/merge", {{"into_id", cc}}), 200, "merge B into C")["idea"];
    // Everyone's one vote ends on C: u1 (from A), u2, u3, u4.
    EXPECT_EQ(survivor["votes"]["up"], 4) << order;
    EXPECT_EQ(survivor["comment_count"], 3) << order;
    EXPECT_EQ(counts()["votes"], 4) << order;
    EXPECT_EQ(counts()["ideas"], 1) << order;
    // A now points at the idea that holds its votes and comments.
    EXPECT_EQ(c.get_idea(c.dg, a)["merged_into_id"], cc) << order;
    for (auto first : inner_first ? std::vector<std::int64_t>{a, b} : std::vector<std::int64_t>{b, a}) {
      auto r = c.dg.post(kApi + "/ideas/" + str(first) + "/unmerge", json::object());
      ASSERT_EQ(r.status, 200) << order << ": " << r.body;
      EXPECT_EQ(r.json_body()["idea"]["id"], first);
      EXPECT_EQ(r.json_body()["idea"]["status"], "new");
    }
    expect_initial("after undoing " + order);
  }
}
