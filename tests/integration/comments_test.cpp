// Comments over real HTTP: oldest first, one level of replies, edits with edited_at,
// who may edit and delete, deletion that keeps the thread, validation, counters and the
// patient data guard.
#include <gtest/gtest.h>

#include "core_helpers.hpp"

using namespace cc::test;

namespace {
json comments_of(Client& who, std::int64_t idea, const std::string& query = "") {
  return expect_status(who.get(kApi + "/ideas/" + str(idea) + "/comments" + query), 200, "comments");
}
}  // namespace

TEST(Comments, OldestFirstWithOneLevelOfReplies) {
  Core c;
  auto id = c.open_challenge();
  auto idea = c.idea(c.staff, id, "Discuss me");
  auto first = c.comment(c.other, idea, "First!");
  EXPECT_EQ(first["idea_id"], idea);
  EXPECT_TRUE(first["parent_id"].is_null());
  EXPECT_EQ(first["author"]["id"], c.other_id);
  EXPECT_EQ(first["state"], "visible");
  EXPECT_TRUE(first["edited_at"].is_null());
  auto second = c.comment(c.dg, idea, "Second");
  auto reply = c.comment(c.staff, idea, "A reply to the first", first["id"].get<std::int64_t>());
  EXPECT_EQ(reply["parent_id"], first["id"]);

  // Replies go one level deep.
  auto r = c.other.post(kApi + "/ideas/" + str(idea) + "/comments",
                        {{"body", "Reply to a reply"}, {"parent_id", reply["id"]}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "parent_id");
  // The parent must be a comment on the same idea.
  auto elsewhere = c.idea(c.other, id, "Another idea");
  auto foreign = c.comment(c.other, elsewhere, "Over here");
  r = c.other.post(kApi + "/ideas/" + str(idea) + "/comments", {{"body", "Wrong thread"}, {"parent_id", foreign["id"]}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "parent_id");
  r = c.other.post(kApi + "/ideas/" + str(idea) + "/comments", {{"body", "No parent"}, {"parent_id", 999999}});
  EXPECT_EQ(error_field(r), "parent_id");
  r = c.other.post(kApi + "/ideas/" + str(idea) + "/comments", {{"body", "Bad parent"}, {"parent_id", "one"}});
  EXPECT_EQ(error_field(r), "parent_id");

  auto third = c.comment(c.other, idea, "Third");
  auto list = comments_of(c.staff, idea);
  EXPECT_EQ(ids_of(list["items"]),
            (std::vector<std::int64_t>{first["id"].get<std::int64_t>(), second["id"].get<std::int64_t>(),
                                       reply["id"].get<std::int64_t>(), third["id"].get<std::int64_t>()}));
  EXPECT_TRUE(list["next_cursor"].is_null());
  EXPECT_EQ(c.get_idea(c.staff, idea)["comment_count"], 4);
  EXPECT_EQ(expect_status(c.staff.get(kApi + "/challenges/" + str(id)), 200, "ch")["challenge"]["counts"]["comments"], 5);

  // Pages of two, oldest first, each exactly once.
  std::vector<std::int64_t> seen;
  std::string cursor;
  for (int i = 0; i < 5; ++i) {
    auto page = comments_of(c.staff, idea, "?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (auto x : ids_of(page["items"])) seen.push_back(x);
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen, ids_of(list["items"]));
  EXPECT_EQ(c.staff.get(kApi + "/ideas/999999/comments").status, 404);
  EXPECT_EQ(c.staff.post(kApi + "/ideas/999999/comments", {{"body", "Into the void"}}).status, 404);
}

TEST(Comments, BodyIsValidatedAndStoredExactly) {
  Core c;
  auto idea = c.idea(c.staff, c.open_challenge(), "Validate comments");
  for (const auto& [body, field] : std::vector<std::pair<json, std::string>>{
           {json::object(), "body"},
           {{{"body", ""}}, "body"},
           {{{"body", "  \n "}}, "body"},
           {{{"body", std::string(2001, 'c')}}, "body"},
           {{{"body", 5}}, "body"},
           {{{"body", "ok"}, {"confirm_no_patient_data", 1}}, "confirm_no_patient_data"}}) {
    auto r = c.other.post(kApi + "/ideas/" + str(idea) + "/comments", body);
    EXPECT_EQ(r.status, 422) << body.dump();
    EXPECT_EQ(error_field(r), field) << body.dump() << " → " << r.body;
  }
  std::string exact = "<b>&amp;</b>\n<script>x()</script> 🙂";
  EXPECT_EQ(c.comment(c.other, idea, exact)["body"], exact);
  EXPECT_EQ(c.comment(c.other, idea, std::string(2000, 'c'))["body"].get<std::string>().size(), 2000u);
  EXPECT_EQ(comments_of(c.staff, idea)["items"][0]["body"], exact);
}

TEST(Comments, EditsShowEditedAtAndOnlyTheAuthorOrDesignGroupMayEditOrDelete) {
  Core c;
  auto idea = c.idea(c.staff, c.open_challenge(), "Edit comments");
  auto comment = c.comment(c.other, idea, "Original words");
  auto cid = str(comment["id"].get<std::int64_t>());

  auto r = c.staff.patch(kApi + "/comments/" + cid, {{"body", "Put words in your mouth"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_code(r), "forbidden");
  r = c.staff.del(kApi + "/comments/" + cid);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(comments_of(c.staff, idea)["items"][0]["body"], "Original words");

  auto edited = expect_status(c.other.patch(kApi + "/comments/" + cid, {{"body", "Better words"}}), 200, "edit")["comment"];
  EXPECT_EQ(edited["body"], "Better words");
  ASSERT_TRUE(edited["edited_at"].is_string());
  EXPECT_GE(edited["edited_at"].get<std::string>(), comment["created_at"].get<std::string>());
  auto listed = comments_of(c.staff, idea)["items"][0];
  EXPECT_EQ(listed["body"], "Better words");
  EXPECT_EQ(listed["edited_at"], edited["edited_at"]);
  r = c.other.patch(kApi + "/comments/" + cid, {{"body", ""}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "body");

  // The design group may edit and delete anyone's comment.
  EXPECT_EQ(c.dg.patch(kApi + "/comments/" + cid, {{"body", "Tidied by the design group"}}).status, 200);
  auto other_comment = str(c.comment(c.staff, idea, "Delete me")["id"].get<std::int64_t>());
  EXPECT_EQ(c.dg.del(kApi + "/comments/" + other_comment).status, 204);

  EXPECT_EQ(c.other.patch(kApi + "/comments/999999", {{"body", "Nothing"}}).status, 404);
  EXPECT_EQ(c.other.del(kApi + "/comments/999999").status, 404);
}

TEST(Comments, DeletingKeepsTheThread) {
  Core c;
  auto id = c.open_challenge();
  auto idea = c.idea(c.staff, id, "A thread");
  auto top = c.comment(c.other, idea, "I will regret this");
  auto top_id = top["id"].get<std::int64_t>();
  auto reply = c.comment(c.staff, idea, "A reply that stays", top_id);
  EXPECT_EQ(c.get_idea(c.staff, idea)["comment_count"], 2);

  EXPECT_EQ(c.other.del(kApi + "/comments/" + str(top_id)).status, 204);
  auto items = comments_of(c.staff, idea)["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["id"], top_id);
  EXPECT_EQ(items[0]["state"], "deleted");
  EXPECT_EQ(items[0]["body"], "[deleted by its author]");
  EXPECT_TRUE(items[0]["author"].is_null());
  EXPECT_EQ(items[1]["id"], reply["id"]);
  EXPECT_EQ(items[1]["parent_id"], top_id);
  EXPECT_EQ(items[1]["body"], "A reply that stays");
  // The words are gone for the design group too.
  auto dg_items = comments_of(c.dg, idea)["items"];
  EXPECT_EQ(dg_items[0]["body"], "[deleted by its author]");
  auto raw = c.dg.get(kApi + "/ideas/" + str(idea) + "/comments");
  EXPECT_EQ(raw.body.find("I will regret this"), std::string::npos);

  EXPECT_EQ(c.get_idea(c.staff, idea)["comment_count"], 1);
  EXPECT_EQ(expect_status(c.staff.get(kApi + "/challenges/" + str(id)), 200, "ch")["challenge"]["counts"]["comments"], 1);
  // Deleting again changes nothing; editing a deleted comment is refused.
  EXPECT_EQ(c.other.del(kApi + "/comments/" + str(top_id)).status, 204);
  EXPECT_EQ(c.get_idea(c.staff, idea)["comment_count"], 1);
  EXPECT_EQ(c.other.patch(kApi + "/comments/" + str(top_id), {{"body", "Undo"}}).status, 409);
  // A reply to the deleted comment is still possible: the thread goes on.
  EXPECT_EQ(c.other.post(kApi + "/ideas/" + str(idea) + "/comments", {{"body", "Still here"}, {"parent_id", top_id}}).status,
            201);
}

TEST(Comments, PatientDataGuardAppliesToComments) {
  Core c;
  auto idea = c.idea(c.staff, c.open_challenge(), "Guarded comments");
  auto post = [&](json body) { return c.other.post(kApi + "/ideas/" + str(idea) + "/comments", body); };
  auto r = post({{"body", "The patient with NHS number 943 476 5919 agreed"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_code(r), "possible_patient_data");
  EXPECT_EQ(error_field(r), "body");
  EXPECT_EQ(post({{"body", "NHS no 9434765919"}, {"confirm_no_patient_data", true}}).status, 422);
  r = post({{"body", "Send it to L3 5TQ"}});
  EXPECT_EQ(error_code(r), "possible_patient_data");
  EXPECT_EQ(post({{"body", "Send it to L3 5TQ"}, {"confirm_no_patient_data", true}}).status, 201);
  r = post({{"body", "Mrs Jones, born 12/03/1956, said so"}});
  EXPECT_EQ(error_code(r), "possible_patient_data");
  EXPECT_EQ(post({{"body", "Mrs Jones, born 12/03/1956, said so"}, {"confirm_no_patient_data", true}}).status, 201);
  auto cid = str(c.comment(c.other, idea, "Clean")["id"].get<std::int64_t>());
  r = c.other.patch(kApi + "/comments/" + cid, {{"body", "Edited to add 9434765919"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_code(r), "possible_patient_data");
  EXPECT_EQ(comments_of(c.staff, idea)["items"].size(), 3u);
}

TEST(Comments, NotAllowedOnArchivedChallengesOrInvisibleIdeas) {
  Core c;
  auto id = c.open_challenge();
  auto idea = c.idea(c.staff, id, "Soon archived");
  expect_status(c.dg.patch(kApi + "/challenges/" + str(id), {{"status", "closed"}}), 200, "close");
  // Discussion may go on while closed.
  EXPECT_EQ(c.other.post(kApi + "/ideas/" + str(idea) + "/comments", {{"body", "Closed but talking"}}).status, 201);
  expect_status(c.dg.patch(kApi + "/challenges/" + str(id), {{"status", "archived"}}), 200, "archive");
  auto r = c.other.post(kApi + "/ideas/" + str(idea) + "/comments", {{"body", "Archived"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "conflict");
}
