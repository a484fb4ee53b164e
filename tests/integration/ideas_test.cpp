// Ideas over real HTTP: submitting only while open, validation, exact text, author-only
// edits until forwarded, status changes with notes and history, anonymity, the patient
// data guard, ranking and pagination.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "core_helpers.hpp"

using namespace cc::test;

namespace {

// True when `body` names the user anywhere as a person.
bool names(const std::string& body, const std::string& display_name) {
  return body.find("\"display_name\":\"" + display_name + "\"") != std::string::npos;
}

}  // namespace

TEST(Ideas, SubmittedOnlyWhileTheChallengeIsOpen) {
  Core c;
  auto draft = c.create_challenge(challenge_body("Draft", "draft"))["id"].get<std::int64_t>();
  auto r = c.dg.post(kApi + "/challenges/" + str(draft) + "/ideas", idea_body("In a draft"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "conflict");

  auto id = c.open_challenge();
  auto made = c.create_idea(c.staff, id, idea_body("While open"));
  EXPECT_EQ(made["status"], "new");
  EXPECT_EQ(made["challenge_id"], id);
  EXPECT_EQ(made["author"]["id"], c.staff_id);
  EXPECT_EQ(made["votes"], json({{"up", 0}, {"down", 0}}));
  EXPECT_EQ(made["score"], 0);
  EXPECT_EQ(made["my_vote"], 0);
  EXPECT_EQ(made["comment_count"], 0);
  EXPECT_EQ(made["mine"], true);
  EXPECT_FALSE(made["created_at"].get<std::string>().empty());
  for (const char* key : {"id", "challenge_id", "title", "body", "tags", "anonymous", "author", "status", "status_note",
                          "votes", "score", "my_vote", "comment_count", "created_at", "updated_at"})
    EXPECT_TRUE(made.contains(key)) << key << " in " << made.dump();
  for (const char* key : {"id", "display_name", "profession"}) EXPECT_TRUE(made["author"].contains(key)) << key;
  auto full = c.get_idea(c.other, made["id"].get<std::int64_t>());
  EXPECT_TRUE(full["history"].is_array());
  EXPECT_TRUE(full["workshops"].is_array());

  expect_status(c.dg.patch(kApi + "/challenges/" + str(id), {{"status", "closed"}}), 200, "close");
  r = c.staff.post(kApi + "/challenges/" + str(id) + "/ideas", idea_body("While closed"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "conflict");
  expect_status(c.dg.patch(kApi + "/challenges/" + str(id), {{"status", "open"}}), 200, "reopen");
  EXPECT_EQ(c.staff.post(kApi + "/challenges/" + str(id) + "/ideas", idea_body("Reopened")).status, 201);
  expect_status(c.dg.patch(kApi + "/challenges/" + str(id), {{"status", "closed"}}), 200, "close");
  expect_status(c.dg.patch(kApi + "/challenges/" + str(id), {{"status", "archived"}}), 200, "archive");
  EXPECT_EQ(c.staff.post(kApi + "/challenges/" + str(id) + "/ideas", idea_body("Archived")).status, 409);
  EXPECT_EQ(c.staff.post(kApi + "/challenges/999999/ideas", idea_body("Nowhere")).status, 404);
  // Nothing was stored by the refused requests.
  EXPECT_EQ(c.list_ideas(c.dg, id)["items"].size(), 2u);
}

TEST(Ideas, ValidationNamesEveryField) {
  Core c;
  auto id = c.open_challenge();
  struct Case {
    json body;
    std::string field;
  };
  std::vector<Case> cases = {
      {{{"body", "b"}}, "title"},
      {{{"title", "ab"}, {"body", "b"}}, "title"},
      {{{"title", std::string(141, 't')}, {"body", "b"}}, "title"},
      {{{"title", 12345}, {"body", "b"}}, "title"},
      {{{"title", "Line\nbreak"}, {"body", "b"}}, "title"},
      {{{"title", "Fine title"}}, "body"},
      {{{"title", "Fine title"}, {"body", ""}}, "body"},
      {{{"title", "Fine title"}, {"body", " \n "}}, "body"},
      {{{"title", "Fine title"}, {"body", std::string(5001, 'b')}}, "body"},
      {{{"title", "Fine title"}, {"body", {{"nested", true}}}}, "body"},
      {{{"title", "Fine title"}, {"body", "b"}, {"tags", {"a", "b", "c", "d", "e", "f", "g", "h", "i"}}}, "tags"},
      {{{"title", "Fine title"}, {"body", "b"}, {"tags", {std::string(31, 'x')}}}, "tags"},
      {{{"title", "Fine title"}, {"body", "b"}, {"tags", {""}}}, "tags"},
      {{{"title", "Fine title"}, {"body", "b"}, {"tags", "one,two"}}, "tags"},
      {{{"title", "Fine title"}, {"body", "b"}, {"tags", {1, 2}}}, "tags"},
      {{{"title", "Fine title"}, {"body", "b"}, {"anonymous", "yes"}}, "anonymous"},
      {{{"title", "Fine title"}, {"body", "b"}, {"confirm_no_patient_data", "true"}}, "confirm_no_patient_data"},
  };
  for (const auto& k : cases) {
    auto r = c.staff.post(kApi + "/challenges/" + str(id) + "/ideas", k.body);
    EXPECT_EQ(r.status, 422) << k.body.dump() << " → " << r.body;
    EXPECT_EQ(error_code(r), "validation_failed") << k.body.dump();
    EXPECT_EQ(error_field(r), k.field) << k.body.dump() << " → " << r.body;
  }
  EXPECT_TRUE(c.list_ideas(c.staff, id)["items"].empty());

  // Limits themselves are fine; duplicate tags collapse keeping the first spelling.
  json edge = {{"title", std::string(140, 't')},
               {"body", std::string(5000, 'b')},
               {"tags", {"Rota", "rota", std::string(30, 'x'), "a", "b", "c", "d", "e"}}};
  auto made = c.create_idea(c.staff, id, edge);
  EXPECT_EQ(made["tags"], json({"Rota", std::string(30, 'x'), "a", "b", "c", "d", "e"}));

  // The same rules on edit.
  auto idea = str(made["id"].get<std::int64_t>());
  for (const auto& [patch, field] : std::vector<std::pair<json, std::string>>{
           {{{"title", "no"}}, "title"},
           {{{"body", ""}}, "body"},
           {{{"tags", {std::string(31, 'y')}}}, "tags"},
           {{{"title", 7}}, "title"},
           {{{"status", "done"}, {"status_note", "x"}}, "status"}}) {
    auto r = c.staff.patch(kApi + "/ideas/" + idea, patch);
    EXPECT_EQ(r.status, 422) << patch.dump() << " → " << r.body;
    EXPECT_EQ(error_field(r), field) << patch.dump() << " → " << r.body;
  }
}

TEST(Ideas, TextIsStoredByteForByte) {
  Core c;
  auto id = c.open_challenge();
  std::string title = "<b>&amp;</b> & \"quotes\"";
  std::string body = "<script>alert(\"x\")</script>\n&lt;img src=x onerror=alert(1)&gt;\r\n\tCafé — 日本語 🙂  ";
  json in = {{"title", title}, {"body", body}, {"tags", {"<i>tag</i>", "a&b"}}};
  auto made = c.create_idea(c.staff, id, in);
  EXPECT_EQ(made["title"], title);
  EXPECT_EQ(made["body"], body);
  EXPECT_EQ(made["tags"], json({"<i>tag</i>", "a&b"}));
  auto idea = made["id"].get<std::int64_t>();
  auto got = c.get_idea(c.other, idea);
  EXPECT_EQ(got["title"], title);
  EXPECT_EQ(got["body"], body);
  auto listed = c.list_ideas(c.other, id)["items"][0];
  EXPECT_EQ(listed["title"], title);
  EXPECT_EQ(listed["body"], body);
  // And on edit.
  std::string edited = "<p>&nbsp;</p>";
  expect_status(c.staff.patch(kApi + "/ideas/" + str(idea), {{"body", edited}}), 200, "edit");
  EXPECT_EQ(c.get_idea(c.other, idea)["body"], edited);
}

TEST(Ideas, OnlyTheAuthorEditsAndOnlyUntilForwarded) {
  Core c;
  auto id = c.open_challenge();
  auto idea = str(c.idea(c.staff, id, "Original title"));
  auto r = c.other.patch(kApi + "/ideas/" + idea, {{"title", "Hijacked"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_code(r), "forbidden");
  EXPECT_EQ(c.dg.patch(kApi + "/ideas/" + idea, {{"title", "Rewritten by staff"}}).status, 403);

  auto edited = expect_status(
      c.staff.patch(kApi + "/ideas/" + idea, {{"title", "Better title"}, {"body", "Better body"}, {"tags", {"rota"}}}), 200,
      "edit")["idea"];
  EXPECT_EQ(edited["title"], "Better title");
  EXPECT_EQ(edited["body"], "Better body");
  EXPECT_EQ(edited["tags"], json({"rota"}));
  // A partial edit leaves the rest alone.
  edited = expect_status(c.staff.patch(kApi + "/ideas/" + idea, {{"body", "Only the body"}}), 200, "edit")["idea"];
  EXPECT_EQ(edited["title"], "Better title");
  EXPECT_EQ(edited["tags"], json({"rota"}));

  // Still editable while under review and shortlisted.
  expect_status(c.dg.patch(kApi + "/ideas/" + idea, {{"status", "shortlisted"}, {"status_note", "On the list"}}), 200,
                "shortlist");
  EXPECT_EQ(c.staff.patch(kApi + "/ideas/" + idea, {{"title", "Shortlisted title"}}).status, 200);

  expect_status(c.dg.patch(kApi + "/ideas/" + idea, {{"status", "forwarded"}, {"status_note", "To the workshop"}}), 200,
                "forward");
  r = c.staff.patch(kApi + "/ideas/" + idea, {{"title", "Too late to change"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "conflict");
  auto now = c.get_idea(c.staff, std::stoll(idea));
  EXPECT_EQ(now["title"], "Shortlisted title");
  EXPECT_EQ(now["status"], "forwarded");
  EXPECT_EQ(now["status_note"], "To the workshop");
  EXPECT_EQ(c.staff.patch(kApi + "/ideas/999999", {{"title", "Nothing"}}).status, 404);

  // While the challenge is closed the author may still polish; once archived, it is a record.
  auto other = str(c.idea(c.staff, id, "Another idea"));
  expect_status(c.dg.patch(kApi + "/challenges/" + str(id), {{"status", "closed"}}), 200, "close");
  EXPECT_EQ(c.staff.patch(kApi + "/ideas/" + other, {{"title", "Polished after closing"}}).status, 200);
  expect_status(c.dg.patch(kApi + "/challenges/" + str(id), {{"status", "archived"}}), 200, "archive");
  r = c.staff.patch(kApi + "/ideas/" + other, {{"title", "Rewritten in the archive"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "conflict");
  EXPECT_EQ(c.get_idea(c.staff, std::stoll(other))["title"], "Polished after closing");
}

TEST(Ideas, StatusChangesNeedTheDesignGroupAndANoteAndMakeHistory) {
  Core c;
  auto id = c.open_challenge();
  auto idea = str(c.idea(c.staff, id, "An idea with a journey"));
  auto r = c.staff.patch(kApi + "/ideas/" + idea, {{"status", "shortlisted"}, {"status_note", "I like it"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_code(r), "forbidden");
  EXPECT_EQ(c.other.patch(kApi + "/ideas/" + idea, {{"status", "adopted"}, {"status_note", "Sure"}}).status, 403);

  r = c.dg.patch(kApi + "/ideas/" + idea, {{"status", "under_review"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "status_note");
  r = c.dg.patch(kApi + "/ideas/" + idea, {{"status", "under_review"}, {"status_note", ""}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "status_note");
  r = c.dg.patch(kApi + "/ideas/" + idea, {{"status", "merged"}, {"status_note", "Merged by hand"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "status");
  EXPECT_EQ(c.get_idea(c.staff, std::stoll(idea))["status"], "new");

  auto changed =
      expect_status(c.dg.patch(kApi + "/ideas/" + idea, {{"status", "under_review"}, {"status_note", "We are looking"}}),
                    200, "review")["idea"];
  EXPECT_EQ(changed["status"], "under_review");
  EXPECT_EQ(changed["status_note"], "We are looking");
  expect_status(c.dg.patch(kApi + "/ideas/" + idea, {{"status", "forwarded"}, {"status_note", "Off to the workshop"}}),
                200, "forward");
  expect_status(c.dg.patch(kApi + "/ideas/" + idea, {{"status", "adopted"}, {"status_note", "Starting in May"}}), 200,
                "adopt");

  auto got = c.get_idea(c.other, std::stoll(idea));
  EXPECT_EQ(got["status"], "adopted");
  EXPECT_EQ(got["status_note"], "Starting in May");
  ASSERT_EQ(got["history"].size(), 4u) << got.dump();
  EXPECT_EQ(got["history"][0]["status"], "new");
  EXPECT_EQ(got["history"][1]["status"], "under_review");
  EXPECT_EQ(got["history"][1]["note"], "We are looking");
  EXPECT_EQ(got["history"][1]["by"]["id"], c.dg_id);
  EXPECT_EQ(got["history"][1]["by"]["display_name"], "dora");
  EXPECT_EQ(got["history"][2]["status"], "forwarded");
  EXPECT_EQ(got["history"][3]["status"], "adopted");
  EXPECT_EQ(got["history"][3]["note"], "Starting in May");
  EXPECT_FALSE(got["history"][3]["at"].get<std::string>().empty());
  EXPECT_TRUE(got["workshops"].is_array());
  // The list filter by status.
  EXPECT_EQ(ids_of(c.list_ideas(c.staff, id, "?status=adopted")["items"]), std::vector<std::int64_t>{std::stoll(idea)});
  EXPECT_TRUE(c.list_ideas(c.staff, id, "?status=new")["items"].empty());
  EXPECT_EQ(c.staff.get(kApi + "/challenges/" + str(id) + "/ideas?status=bogus").status, 422);
}

TEST(Ideas, AnonymousAuthorsAreHiddenFromEveryoneButTheDesignGroup) {
  Core c;
  auto id = c.open_challenge();
  json body = idea_body("Anonymous handover idea", "Say it without my name");
  body["anonymous"] = true;
  auto mine = c.create_idea(c.staff, id, body);
  auto idea = mine["id"].get<std::int64_t>();
  EXPECT_TRUE(mine["anonymous"].get<bool>());
  EXPECT_TRUE(mine["author"].is_null());
  EXPECT_EQ(mine["mine"], true);
  c.idea(c.other, id, "A named idea");
  expect_status(c.vote(c.other, idea, 1), 200, "vote");
  expect_status(c.dg.patch(kApi + "/ideas/" + str(idea), {{"status", "under_review"}, {"status_note", "Looking"}}), 200,
                "status");

  // Another member of staff: the idea, its history, lists, search and events.
  auto seen = c.get_idea(c.other, idea);
  EXPECT_TRUE(seen["author"].is_null());
  EXPECT_EQ(seen["mine"], false);
  auto raw = c.other.get(kApi + "/ideas/" + str(idea));
  EXPECT_FALSE(names(raw.body, "sam")) << raw.body;
  for (const auto& h : seen["history"])
    if (!h["by"].is_null()) {
      EXPECT_NE(h["by"]["id"], c.staff_id) << seen.dump();
    }

  for (const std::string sort : {"top", "new", "trending", "discussed"}) {
    auto list = c.other.get(kApi + "/challenges/" + str(id) + "/ideas?sort=" + sort);
    ASSERT_EQ(list.status, 200);
    EXPECT_FALSE(names(list.body, "sam")) << sort << ": " << list.body;
    bool found = false;
    auto items = list.json_body()["items"];
    for (const auto& i : items)
      if (i["id"] == idea) {
        found = true;
        EXPECT_TRUE(i["author"].is_null());
      }
    EXPECT_TRUE(found) << sort;
  }
  auto search = c.other.get(kApi + "/search?q=handover");
  ASSERT_EQ(search.status, 200);
  ASSERT_EQ(search.json_body()["items"].size(), 1u) << search.body;
  EXPECT_TRUE(search.json_body()["items"][0]["idea"]["author"].is_null());
  EXPECT_FALSE(names(search.body, "sam")) << search.body;
  for (const std::string& topic : std::vector<std::string>{"challenge:" + str(id), "idea:" + str(idea), ""}) {
    auto events = c.other.get(kApi + "/events?since=0" + (topic.empty() ? "" : "&topic=" + topic));
    ASSERT_EQ(events.status, 200) << events.body;
    EXPECT_FALSE(names(events.body, "sam")) << topic << ": " << events.body;
    EXPECT_EQ(events.body.find("\"author_id\":" + str(c.staff_id)), std::string::npos);
    int idea_events = 0;
    auto items = events.json_body()["items"];
    for (const auto& e : items)
      if (e["data"].contains("idea") && e["data"]["idea"]["id"] == idea) {
        ++idea_events;
        EXPECT_TRUE(e["data"]["idea"]["author"].is_null()) << e.dump();
      }
    EXPECT_GE(idea_events, 2) << topic;  // created and status_changed
  }

  // The author sees it as theirs, still without a name on it.
  auto own = c.get_idea(c.staff, idea);
  EXPECT_TRUE(own["author"].is_null());
  EXPECT_EQ(own["mine"], true);

  // The design group (and admins) see who wrote it.
  auto dg_view = c.get_idea(c.dg, idea);
  ASSERT_FALSE(dg_view["author"].is_null());
  EXPECT_EQ(dg_view["author"]["id"], c.staff_id);
  EXPECT_EQ(dg_view["author"]["display_name"], "sam");
  auto admin = c.user("ada", "admin");
  EXPECT_EQ(c.get_idea(admin, idea)["author"]["id"], c.staff_id);
  auto dg_events = expect_status(c.dg.get(kApi + "/events?since=0&topic=idea:" + str(idea)), 200, "dg events");
  EXPECT_EQ(dg_events["items"][0]["data"]["idea"]["author"]["id"], c.staff_id);
  auto dg_search = expect_status(c.dg.get(kApi + "/search?q=handover"), 200, "dg search");
  EXPECT_EQ(dg_search["items"][0]["idea"]["author"]["id"], c.staff_id);
}

TEST(Ideas, PatientDataGuardRefusesIdentifiers) {
  Core c;
  auto id = c.open_challenge();
  auto post = [&](json body) { return c.staff.post(kApi + "/challenges/" + str(id) + "/ideas", body); };

  // NHS numbers: always refused, even when confirmed.
  for (const std::string nhs : {"9434765919", "943 476 5919", "943-476-5919"}) {
    auto r = post(idea_body("Patient follow-up", "Bed 4, NHS number " + nhs + ", waited too long"));
    EXPECT_EQ(r.status, 422) << nhs;
    EXPECT_EQ(error_code(r), "possible_patient_data") << nhs;
    EXPECT_EQ(error_field(r), "body") << nhs;
    json confirmed = idea_body("Patient follow-up", "NHS number " + nhs);
    confirmed["confirm_no_patient_data"] = true;
    EXPECT_EQ(post(confirmed).status, 422) << nhs;
  }
  auto r = post(idea_body("Case 9434765919 again", "body"));
  EXPECT_EQ(error_code(r), "possible_patient_data");
  EXPECT_EQ(error_field(r), "title");
  json tagged = idea_body("Tagged idea");
  tagged["tags"] = {"ok", "9434765919"};
  r = post(tagged);
  EXPECT_EQ(error_code(r), "possible_patient_data");
  EXPECT_EQ(error_field(r), "tags");

  // Postcodes and dates of birth beside a name: refused unless confirmed.
  for (const std::string text : {"The clinic at L3 5TQ needs a ramp", "Post to SW1A 1AA", "born 12/03/1956 Mr Smith"}) {
    r = post(idea_body("Identifier check", text));
    EXPECT_EQ(r.status, 422) << text;
    EXPECT_EQ(error_code(r), "possible_patient_data") << text;
    EXPECT_EQ(error_field(r), "body") << text;
    json confirmed = idea_body("Identifier check", text);
    confirmed["confirm_no_patient_data"] = true;
    EXPECT_EQ(post(confirmed).status, 201) << text;
  }
  // Numbers that are not NHS numbers pass.
  EXPECT_EQ(post(idea_body("Phone line", "Call 9434765918 or 01234567890 for the rota")).status, 201);

  // Edits are guarded too.
  auto idea = str(c.idea(c.staff, id, "Clean idea"));
  r = c.staff.patch(kApi + "/ideas/" + idea, {{"body", "Now with 943 476 5919"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_code(r), "possible_patient_data");
  EXPECT_EQ(error_field(r), "body");
  r = c.staff.patch(kApi + "/ideas/" + idea, {{"body", "Now at L3 5TQ"}});
  EXPECT_EQ(error_code(r), "possible_patient_data");
  EXPECT_EQ(c.staff.patch(kApi + "/ideas/" + idea, {{"body", "Now at L3 5TQ"}, {"confirm_no_patient_data", true}}).status,
            200);
  EXPECT_EQ(c.get_idea(c.staff, std::stoll(idea))["body"], "Now at L3 5TQ");
}

// A ranking is reused for a moment while others vote (service/list_snapshots.hpp); a
// reader's own vote still moves their list at once, and everyone's after the moment.
TEST(Ideas, AReadersOwnVoteShowsInTheirRankedListAtOnce) {
  Core c;
  auto v1 = c.user("v1");
  auto id = c.open_challenge();
  auto a = c.idea(c.staff, id, "Idea A");
  c.idea(c.staff, id, "Idea B");
  auto last = c.idea(c.other, id, "Idea C");
  // Two to a page, so that the ranking is kept for the next pages.
  EXPECT_EQ(ids_of(c.list_ideas(c.staff, id, "?sort=top&limit=2")["items"])[0], last) << "all at 0: newest first";
  expect_status(c.vote(v1, a, 1), 200, "vote a");
  EXPECT_EQ(ids_of(c.list_ideas(v1, id, "?sort=top&limit=2")["items"])[0], a) << "the voter's own vote shows";
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(ids_of(c.list_ideas(c.other, id, "?sort=top&limit=2")["items"])[0], a) << "and everyone's, a moment later";
}

// Rankings are made from the ideas' standings kept in memory (store/idea_standings.hpp).
// A commit by the admin CLI, which the server's writer does not make, drops them within
// a second or two, and the next list loads them again.
TEST(Ideas, RankingsKeptInMemoryAreLoadedAgainAfterTheAdminCliWrites) {
  Core c;
  auto id = c.open_challenge();
  auto a = c.idea(c.staff, id, "Idea A");
  c.idea(c.staff, id, "Idea B");
  auto metric = [&](const std::string& name) {
    auto body = c.d.client().get("/metrics").body;
    auto at = body.find("\n" + name + " ");
    return at == std::string::npos ? -1L : std::atol(body.c_str() + at + name.size() + 2);
  };
  EXPECT_EQ(metric("carecrowd_ranking_challenges_held"), 0);
  expect_status(c.vote(c.other, a, 1), 200, "vote a");
  EXPECT_EQ(ids_of(c.list_ideas(c.staff, id, "?sort=top")["items"])[0], a);
  EXPECT_EQ(metric("carecrowd_ranking_challenges_held"), 1);
  EXPECT_EQ(metric("carecrowd_ranking_standings_forgotten_total"), 0);
  ASSERT_EQ(c.d.admin({"settings", "set", "registration.open", "false"}).exit_code, 0);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (metric("carecrowd_ranking_standings_forgotten_total") < 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(metric("carecrowd_ranking_standings_forgotten_total"), 1);
  EXPECT_EQ(metric("carecrowd_ranking_challenges_held"), 0);
  EXPECT_EQ(ids_of(c.list_ideas(c.other, id, "?sort=top")["items"])[0], a) << "loaded again, the same order";
  EXPECT_EQ(metric("carecrowd_ranking_challenges_held"), 1);
}

TEST(Ideas, RankingTopNewDiscussedTrending) {
  Core c;
  auto v1 = c.user("v1");
  auto v2 = c.user("v2");
  auto id = c.open_challenge();
  auto a = c.idea(c.staff, id, "Idea A");
  auto b = c.idea(c.staff, id, "Idea B");
  auto cc = c.idea(c.other, id, "Idea C");
  auto d = c.idea(c.other, id, "Idea D");
  // Scores: A 3, B 1, C 1 (newer than B), D 0.
  for (auto* voter : {&c.dg, &v1, &v2}) expect_status(c.vote(*voter, a, 1), 200, "vote a");
  expect_status(c.vote(v1, b, 1), 200, "vote b");
  expect_status(c.vote(v2, cc, 1), 200, "vote c");
  // Comments: D 3, B 1.
  for (int i = 0; i < 3; ++i) c.comment(c.staff, d, "Comment " + std::to_string(i));
  c.comment(c.other, b, "One comment");

  EXPECT_EQ(ids_of(c.list_ideas(c.staff, id)["items"]), (std::vector<std::int64_t>{a, cc, b, d})) << "default is top";
  EXPECT_EQ(ids_of(c.list_ideas(c.staff, id, "?sort=top")["items"]), (std::vector<std::int64_t>{a, cc, b, d}));
  EXPECT_EQ(ids_of(c.list_ideas(c.staff, id, "?sort=new")["items"]), (std::vector<std::int64_t>{d, cc, b, a}));
  EXPECT_EQ(ids_of(c.list_ideas(c.staff, id, "?sort=discussed")["items"]), (std::vector<std::int64_t>{d, b, cc, a}));
  // All of the same age (within seconds): trending follows the score.
  EXPECT_EQ(ids_of(c.list_ideas(c.staff, id, "?sort=trending")["items"]), (std::vector<std::int64_t>{a, cc, b, d}));
  auto r = c.staff.get(kApi + "/challenges/" + str(id) + "/ideas?sort=random");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "sort");

  // Lists carry the viewer's own vote.
  auto listed = c.list_ideas(v1, id, "?sort=new")["items"];
  for (const auto& i : listed) EXPECT_EQ(i["my_vote"], (i["id"] == a || i["id"] == b) ? 1 : 0) << i.dump();

  // Votes move ideas: D overtakes everyone.
  for (auto* voter : {&c.dg, &v1, &v2, &c.staff}) expect_status(c.vote(*voter, d, 1), 200, "vote d");
  EXPECT_EQ(ids_of(c.list_ideas(c.staff, id, "?sort=top")["items"])[0], d);
  EXPECT_EQ(ids_of(c.list_ideas(c.staff, id, "?sort=trending")["items"])[0], d);
}

// A list reads the viewer's votes among its challenge's ideas: down votes too, and not
// a vote on another challenge's idea, even one whose id lies among the page's.
TEST(Ideas, ListsCarryTheViewersOwnVotesAndNoOthers) {
  Core c;
  auto voter = c.user("voter");
  auto id = c.open_updown_challenge();
  auto other = c.open_challenge();
  auto e = c.idea(c.staff, id, "Idea E");
  auto elsewhere = c.idea(c.staff, other, "Elsewhere");
  auto f = c.idea(c.staff, id, "Idea F");
  auto g = c.idea(c.other, id, "Idea G");
  ASSERT_TRUE(e < elsewhere && elsewhere < f);
  expect_status(c.vote(voter, elsewhere, 1), 200, "vote elsewhere");
  expect_status(c.vote(voter, f, -1), 200, "vote f down");
  expect_status(c.vote(voter, g, 1), 200, "vote g");
  for (const std::string sort : {"new", "top"}) {
    auto items = c.list_ideas(voter, id, "?sort=" + sort)["items"];
    ASSERT_EQ(items.size(), 3u);
    for (const auto& i : items) EXPECT_EQ(i["my_vote"], i["id"] == f ? -1 : i["id"] == g ? 1 : 0) << i.dump();
    auto theirs = c.list_ideas(c.staff, id, "?sort=" + sort)["items"];  // a copy: the page is a temporary
    for (const auto& i : theirs) EXPECT_EQ(i["my_vote"], 0) << i.dump();
  }
  EXPECT_EQ(c.list_ideas(voter, other)["items"][0]["my_vote"], 1);
  EXPECT_EQ(c.get_idea(voter, f)["my_vote"], -1);
  EXPECT_EQ(c.get_idea(voter, e)["my_vote"], 0);
}

TEST(Ideas, ListLimitsDefaultTo20AndCapAt100) {
  Core c;
  auto id = c.open_challenge();
  std::vector<Client*> authors = {&c.staff, &c.other, &c.dg};
  for (int i = 0; i < 105; ++i) c.idea(*authors[static_cast<std::size_t>(i) % 3], id, "Idea number " + std::to_string(i));

  for (const std::string sort : {"top", "new"}) {
    auto page = c.list_ideas(c.staff, id, "?sort=" + sort);
    EXPECT_EQ(page["items"].size(), 20u) << sort;
    EXPECT_TRUE(page["next_cursor"].is_string()) << sort;
    page = c.list_ideas(c.staff, id, "?sort=" + sort + "&limit=500");
    EXPECT_EQ(page["items"].size(), 100u) << sort;
    ASSERT_TRUE(page["next_cursor"].is_string()) << sort;
    auto rest = c.list_ideas(c.staff, id, "?sort=" + sort + "&limit=100&cursor=" + page["next_cursor"].get<std::string>());
    EXPECT_EQ(rest["items"].size(), 5u) << sort;
    EXPECT_TRUE(rest["next_cursor"].is_null()) << sort;
  }
  auto r = c.staff.get(kApi + "/challenges/" + str(id) + "/ideas?limit=0");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "limit");
  EXPECT_EQ(error_field(c.staff.get(kApi + "/challenges/" + str(id) + "/ideas?limit=ten")), "limit");
  r = c.staff.get(kApi + "/challenges/" + str(id) + "/ideas?sort=top&cursor=bm90LWEtY3Vyc29y");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "cursor");
  r = c.staff.get(kApi + "/challenges/" + str(id) + "/ideas?sort=new&cursor=!!");
  EXPECT_EQ(error_field(r), "cursor");
  // A page that holds the whole list has no cursor.
  auto small = c.open_challenge(challenge_body("Small challenge"));
  c.idea(c.staff, small, "Only idea");
  for (const std::string sort : {"top", "new", "trending", "discussed"})
    EXPECT_TRUE(c.list_ideas(c.staff, small, "?sort=" + sort)["next_cursor"].is_null()) << sort;
}

TEST(Ideas, PagingByRankNeverSkipsOrRepeatsWhileOthersVote) {
  Core c;
  std::vector<Client> voters;
  for (int i = 0; i < 4; ++i) voters.push_back(c.user("voter" + std::to_string(i)));
  auto id = c.open_challenge();
  std::vector<std::int64_t> ideas;
  for (int i = 0; i < 10; ++i) ideas.push_back(c.idea(i % 2 ? c.staff : c.other, id, "Ranked idea " + std::to_string(i)));

  // Someone keeps voting in the background, reshuffling the ranking.
  std::atomic<bool> stop{false};
  std::atomic<int> votes_cast{0};
  std::thread churn([&] {
    unsigned k = 0;
    while (!stop) {
      auto& v = voters[k % voters.size()];
      auto idea = ideas[(k * 7 + 3) % ideas.size()];
      if (v.put(kApi + "/ideas/" + str(idea) + "/vote", {{"value", (k / 3) % 2 ? 0 : 1}}).status == 200) ++votes_cast;
      ++k;
    }
  });

  for (const std::string sort : {"top", "trending", "discussed"}) {
    std::vector<std::int64_t> seen;
    std::string cursor;
    int pages = 0;
    for (; pages < 20; ++pages) {
      // Between pages, push the last idea of the current order to the top in a way that an
      // offset into a live ranking would repeat or skip.
      auto r = c.list_ideas(c.staff, id, "?sort=" + sort + "&limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor));
      for (auto i : ids_of(r["items"])) seen.push_back(i);
      if (!seen.empty()) {
        expect_status(c.vote(c.dg, seen.back(), 0), 200, "withdraw");
        auto live = ids_of(c.list_ideas(c.dg, id, "?sort=" + sort + "&limit=100")["items"]);
        expect_status(c.vote(c.dg, live.back(), 1), 200, "push up");
        c.comment(c.dg, live.back(), "Bumping the discussion");
      }
      if (r["next_cursor"].is_null()) break;
      cursor = r["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(pages, 3) << sort;  // 3 + 3 + 3 + 1
    std::multiset<std::int64_t> got(seen.begin(), seen.end());
    std::multiset<std::int64_t> want(ideas.begin(), ideas.end());
    EXPECT_EQ(got, want) << sort << ": every idea exactly once";
  }
  stop = true;
  churn.join();
  EXPECT_GT(votes_cast.load(), 0);

  // sort=new pages by a keyset cursor: new ideas arriving meanwhile do not shift it.
  std::vector<std::int64_t> seen;
  std::string cursor;
  for (int pages = 0; pages < 20; ++pages) {
    auto r = c.list_ideas(c.staff, id, "?sort=new&limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (auto i : ids_of(r["items"])) seen.push_back(i);
    c.idea(c.other, id, "Arrived while paging " + std::to_string(pages));
    if (r["next_cursor"].is_null()) break;
    cursor = r["next_cursor"].get<std::string>();
  }
  std::vector<std::int64_t> newest_first(ideas.rbegin(), ideas.rend());
  EXPECT_EQ(seen, newest_first);
}

// A list's ideas are written from text kept per snapshot and class of viewer: readers of
// one snapshot, one after another, each still see their own vote, "mine", and the author
// as their class may.
TEST(Ideas, ReadersOfOneSnapshotEachSeeTheirOwnList) {
  Core c;
  auto id = c.open_challenge();
  json body = idea_body("Anonymous rota idea", "Say it without my name");
  body["anonymous"] = true;
  auto idea = c.create_idea(c.staff, id, body)["id"].get<std::int64_t>();
  expect_status(c.vote(c.other, idea, 1), 200, "vote");
  for (int round = 0; round < 3; ++round) {  // no writes: every read is of the same snapshot
    for (auto* who : {&c.staff, &c.dg, &c.other}) {
      auto items = c.list_ideas(*who, id, "?sort=top")["items"];
      ASSERT_EQ(items.size(), 1u) << items.dump();
      const auto& i = items[0];
      EXPECT_EQ(i["my_vote"], who == &c.other ? 1 : 0) << i.dump();
      EXPECT_EQ(i["mine"], who == &c.staff) << i.dump();
      EXPECT_EQ(i["author"].is_null(), who != &c.dg) << i.dump();
      EXPECT_EQ(i.contains("hidden"), who == &c.dg) << i.dump();
      EXPECT_EQ(i["votes"]["up"], 1);
    }
  }
}
