// Challenges over real HTTP: who sees drafts, who may create and edit, status moves,
// timed closing, validation of every field, counts, filters and pagination.
#include <gtest/gtest.h>

#include <ctime>
#include <thread>

#include "core_helpers.hpp"

using namespace cc::test;

namespace {

std::string rfc3339_in(int seconds) {
  std::time_t t = std::time(nullptr) + seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

TEST(Challenges, StaffNeverSeeDrafts) {
  Core c;
  auto draft = c.create_challenge(challenge_body("A draft challenge", "draft"));
  auto open = c.create_challenge(challenge_body("An open challenge"));
  EXPECT_EQ(draft["status"], "draft");
  auto draft_id = str(draft["id"].get<std::int64_t>());

  // A challenge created without a status starts as a draft.
  json no_status = challenge_body("No status given");
  no_status.erase("status");
  EXPECT_EQ(c.create_challenge(no_status)["status"], "draft");

  auto list = expect_status(c.staff.get(kApi + "/challenges"), 200, "staff list");
  auto ids = ids_of(list["items"]);
  EXPECT_EQ(ids, std::vector<std::int64_t>{open["id"].get<std::int64_t>()});
  EXPECT_TRUE(expect_status(c.staff.get(kApi + "/challenges?status=draft"), 200, "drafts")["items"].empty());

  auto r = c.staff.get(kApi + "/challenges/" + draft_id);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(error_code(r), "not_found");
  EXPECT_EQ(c.staff.get(kApi + "/challenges/" + draft_id + "/ideas").status, 404);
  EXPECT_EQ(c.staff.post(kApi + "/challenges/" + draft_id + "/ideas", idea_body("Sneaky idea")).status, 404);
  EXPECT_EQ(c.staff.put(kApi + "/challenges/" + draft_id + "/follow", {{"follow", true}}).status, 404);

  // The design group sees them all.
  auto dg_list = expect_status(c.dg.get(kApi + "/challenges"), 200, "dg list");
  EXPECT_EQ(dg_list["items"].size(), 3u);
  EXPECT_EQ(expect_status(c.dg.get(kApi + "/challenges?status=draft"), 200, "dg drafts")["items"].size(), 2u);
  EXPECT_EQ(c.dg.get(kApi + "/challenges/" + draft_id).status, 200);
  EXPECT_EQ(c.dg.get(kApi + "/challenges/" + draft_id + "/ideas").status, 200);

  // Once opened, staff see it.
  expect_status(c.dg.patch(kApi + "/challenges/" + draft_id, {{"status", "open"}}), 200, "open");
  EXPECT_EQ(c.staff.get(kApi + "/challenges/" + draft_id).status, 200);
}

TEST(Challenges, OnlyTheDesignGroupCreatesAndEdits) {
  Core c;
  auto r = c.staff.post(kApi + "/challenges", challenge_body());
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_code(r), "forbidden");
  auto id = str(c.open_challenge());
  r = c.staff.patch(kApi + "/challenges/" + id, {{"title", "Taken over"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_code(r), "forbidden");
  EXPECT_EQ(expect_status(c.staff.get(kApi + "/challenges/" + id), 200, "get")["challenge"]["title"],
            "Protected time for leaders");

  auto admin = c.user("ada", "admin");
  EXPECT_EQ(admin.post(kApi + "/challenges", challenge_body("Made by an admin")).status, 201);

  auto edited = expect_status(
      c.dg.patch(kApi + "/challenges/" + id,
                 {{"title", "Protected time, revisited"}, {"principle_ids", {1, 3}}, {"voting", {{"model", "updown"}, {"votes_per_user", 5}}}}),
      200, "edit")["challenge"];
  EXPECT_EQ(edited["title"], "Protected time, revisited");
  EXPECT_EQ(edited["principle_ids"], json({1, 3}));
  EXPECT_EQ(edited["voting"]["model"], "updown");
  EXPECT_EQ(edited["voting"]["votes_per_user"], 5);
  EXPECT_EQ(edited["brief"], "How do we give clinical leaders protected time?");  // untouched fields stay
  EXPECT_EQ(c.dg.patch(kApi + "/challenges/999999", {{"title", "Nothing here"}}).status, 404);
  // Without the session's CSRF token nothing changes.
  auto token = c.dg.csrf;
  c.dg.csrf = "wrong";
  EXPECT_EQ(c.dg.patch(kApi + "/challenges/" + id, {{"title", "Forged"}}).status, 403);
  c.dg.csrf = token;
  Client anon = c.d.client();
  EXPECT_EQ(anon.get(kApi + "/challenges").status, 401);
}

TEST(Challenges, StatusMovesAlongItsPipeline) {
  Core c;
  auto id = str(c.create_challenge(challenge_body("Moves", "draft"))["id"].get<std::int64_t>());
  auto move = [&](const std::string& to) { return c.dg.patch(kApi + "/challenges/" + id, {{"status", to}}); };
  EXPECT_EQ(move("open").json_body()["challenge"]["status"], "open");
  EXPECT_EQ(move("closed").json_body()["challenge"]["status"], "closed");
  EXPECT_EQ(move("open").json_body()["challenge"]["status"], "open");  // reopening is allowed
  auto r = move("draft");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "conflict");
  EXPECT_EQ(move("closed").status, 200);
  EXPECT_EQ(move("archived").json_body()["challenge"]["status"], "archived");
  r = move("open");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "conflict");
  EXPECT_EQ(move("closed").status, 409);
  EXPECT_EQ(expect_status(c.dg.get(kApi + "/challenges/" + id), 200, "get")["challenge"]["status"], "archived");
  r = move("finished");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "status");

  // A new challenge starts as draft or open, nothing else.
  r = c.dg.post(kApi + "/challenges", challenge_body("Born closed", "closed"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "status");
}

TEST(Challenges, ClosesByItselfWhenClosesAtPasses) {
  Core c;
  auto body = challenge_body("Closing soon");
  body["closes_at"] = rfc3339_in(2);
  auto ch = c.create_challenge(body);
  auto id = ch["id"].get<std::int64_t>();
  EXPECT_EQ(ch["status"], "open");
  auto idea = c.idea(c.staff, id, "Before the deadline");

  std::string status = "open";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  while (status == "open" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    status = expect_status(c.staff.get(kApi + "/challenges/" + str(id)), 200, "poll")["challenge"]["status"];
  }
  ASSERT_EQ(status, "closed");

  auto r = c.staff.post(kApi + "/challenges/" + str(id) + "/ideas", idea_body("Too late"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "conflict");
  r = c.vote(c.other, idea, 1);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "conflict");

  // The close is in the event log, so live clients learn of it.
  auto events = expect_status(c.staff.get(kApi + "/events?since=0&topic=challenge:" + str(id)), 200, "events");
  bool closed_event = false;
  for (const auto& e : events["items"])
    if (e["type"] == "challenge.updated" && e["data"]["challenge"]["status"] == "closed") closed_event = true;
  EXPECT_TRUE(closed_event) << events.dump();
}

TEST(Challenges, ValidationNamesEveryField) {
  Core c;
  struct Case {
    json patch;
    std::string field;
  };
  std::vector<Case> cases = {
      {{{"title", "ab"}}, "title"},
      {{{"title", std::string(141, 'x')}}, "title"},
      {{{"title", 42}}, "title"},
      {{{"title", "   "}}, "title"},
      {{{"title", "Bell\x07 character"}}, "title"},
      {{{"brief", std::string(5001, 'b')}}, "brief"},
      {{{"brief", json::array()}}, "brief"},
      {{{"principle_ids", json::array()}}, "principle_ids"},
      {{{"principle_ids", {6}}}, "principle_ids"},
      {{{"principle_ids", {0}}}, "principle_ids"},
      {{{"principle_ids", "1"}}, "principle_ids"},
      {{{"principle_ids", {"1"}}}, "principle_ids"},
      {{{"opens_at", "next tuesday"}}, "opens_at"},
      {{{"opens_at", 20261201}}, "opens_at"},
      {{{"closes_at", "2026-13-45T99:00:00Z"}}, "closes_at"},
      {{{"opens_at", "2030-06-01T09:00:00Z"}, {"closes_at", "2030-05-01T09:00:00Z"}}, "closes_at"},
      {{{"voting", {{"model", "sideways"}}}}, "voting"},
      {{{"voting", "up"}}, "voting"},
      {{{"voting", {{"model", "up"}, {"votes_per_user", 0}}}}, "voting"},
      {{{"voting", {{"model", "up"}, {"votes_per_user", "3"}}}}, "voting"},
      {{{"forward", {{"top_n", -1}}}}, "forward"},
      {{{"forward", 5}}, "forward"},
      {{{"status", "pending"}}, "status"},
      {{{"status", 1}}, "status"},
      {{{"parent_idea_id", "x"}}, "parent_idea_id"},
      {{{"parent_idea_id", 999999}}, "parent_idea_id"},
  };
  auto id = str(c.open_challenge());
  for (const auto& k : cases) {
    json create = challenge_body();
    for (auto& [key, value] : k.patch.items()) create[key] = value;
    auto r = c.dg.post(kApi + "/challenges", create);
    EXPECT_EQ(r.status, 422) << "create " << k.patch.dump() << " → " << r.body;
    EXPECT_EQ(error_code(r), "validation_failed") << k.patch.dump();
    EXPECT_EQ(error_field(r), k.field) << "create " << k.patch.dump() << " → " << r.body;
    r = c.dg.patch(kApi + "/challenges/" + id, k.patch);
    EXPECT_EQ(r.status, 422) << "patch " << k.patch.dump() << " → " << r.body;
    EXPECT_EQ(error_field(r), k.field) << "patch " << k.patch.dump() << " → " << r.body;
  }
  // Required on create.
  for (const char* required : {"title", "principle_ids"}) {
    json create = challenge_body();
    create.erase(required);
    auto r = c.dg.post(kApi + "/challenges", create);
    EXPECT_EQ(r.status, 422) << required;
    EXPECT_EQ(error_field(r), required);
  }
  // A body that is not a JSON object is a 400.
  auto r = c.dg.request("POST", kApi + "/challenges", json("just a string"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_code(r), "bad_request");
  // Nothing was created by any of the refused requests.
  EXPECT_EQ(expect_status(c.dg.get(kApi + "/challenges"), 200, "list")["items"].size(), 1u);
  // Edge values that are fine.
  json ok = challenge_body(std::string(140, 'T'));
  ok["brief"] = std::string(5000, 'b');
  ok["principle_ids"] = {1, 2, 3, 4, 5};
  ok["opens_at"] = "2030-01-01T09:00:00+01:00";
  ok["closes_at"] = "2030-02-01T09:00:00Z";
  ok["voting"] = {{"model", "updown"}, {"votes_per_user", nullptr}};
  auto made = expect_status(c.dg.post(kApi + "/challenges", ok), 201, "edge values")["challenge"];
  EXPECT_EQ(made["opens_at"], "2030-01-01T08:00:00Z");  // normalised to UTC
  EXPECT_EQ(made["principle_ids"], json({1, 2, 3, 4, 5}));
  EXPECT_TRUE(made["voting"]["votes_per_user"].is_null());
}

TEST(Challenges, TextIsStoredExactlyAsGiven) {
  Core c;
  std::string title = "<b>&amp;</b> \"quoted\" & 'single' — café 🙂";
  std::string brief = "<script>alert('x')</script>\n&lt;p&gt;\ttabbed\r\nend";
  json body = challenge_body(title);
  body["brief"] = brief;
  auto made = c.create_challenge(body);
  EXPECT_EQ(made["title"], title);
  EXPECT_EQ(made["brief"], brief);
  auto got = expect_status(c.staff.get(kApi + "/challenges/" + str(made["id"].get<std::int64_t>())), 200, "get");
  EXPECT_EQ(got["challenge"]["title"], title);
  EXPECT_EQ(got["challenge"]["brief"], brief);
  auto listed = expect_status(c.staff.get(kApi + "/challenges"), 200, "list")["items"][0];
  EXPECT_EQ(listed["title"], title);
}

TEST(Challenges, GetCarriesCountsOfItsActivity) {
  Core c;
  auto id = c.open_challenge();
  auto a = c.idea(c.staff, id, "First idea");
  auto b = c.idea(c.other, id, "Second idea");
  expect_status(c.vote(c.staff, b, 1), 200, "vote");
  expect_status(c.vote(c.other, a, 1), 200, "vote");
  expect_status(c.vote(c.dg, a, 1), 200, "vote");
  c.comment(c.dg, a, "A comment");
  auto ch = expect_status(c.staff.get(kApi + "/challenges/" + str(id)), 200, "get")["challenge"];
  EXPECT_EQ(ch["counts"]["ideas"], 2);
  EXPECT_EQ(ch["counts"]["votes"], 3);
  EXPECT_EQ(ch["counts"]["comments"], 1);
  EXPECT_EQ(ch["counts"]["participants"], 3);
  // Withdrawing a vote takes it off the count.
  expect_status(c.vote(c.dg, a, 0), 200, "withdraw");
  ch = expect_status(c.staff.get(kApi + "/challenges/" + str(id)), 200, "get")["challenge"];
  EXPECT_EQ(ch["counts"]["votes"], 2);
  EXPECT_EQ(ch["counts"]["participants"], 3);  // they took part all the same
  EXPECT_EQ(c.staff.get(kApi + "/challenges/999999").status, 404);
  EXPECT_EQ(c.staff.get(kApi + "/challenges/abc").status, 404);
}

TEST(Challenges, ListFiltersByStatusAndPrincipleAndPages) {
  Core c;
  std::vector<std::int64_t> made;
  for (int i = 0; i < 5; ++i) {
    json b = challenge_body("Challenge " + std::to_string(i));
    b["principle_ids"] = {i % 2 == 0 ? 1 : 2};
    made.push_back(c.open_challenge(b));
  }
  expect_status(c.dg.patch(kApi + "/challenges/" + str(made[0]), {{"status", "closed"}}), 200, "close");

  auto open = expect_status(c.staff.get(kApi + "/challenges?status=open"), 200, "open");
  EXPECT_EQ(ids_of(open["items"]), (std::vector<std::int64_t>{made[4], made[3], made[2], made[1]}));
  auto closed = expect_status(c.staff.get(kApi + "/challenges?status=closed"), 200, "closed");
  EXPECT_EQ(ids_of(closed["items"]), std::vector<std::int64_t>{made[0]});
  auto p1 = expect_status(c.staff.get(kApi + "/challenges?principle=1"), 200, "p1");
  EXPECT_EQ(ids_of(p1["items"]), (std::vector<std::int64_t>{made[4], made[2], made[0]}));
  auto p2open = expect_status(c.staff.get(kApi + "/challenges?principle=2&status=open"), 200, "p2");
  EXPECT_EQ(ids_of(p2open["items"]), (std::vector<std::int64_t>{made[3], made[1]}));
  EXPECT_EQ(c.staff.get(kApi + "/challenges?status=nope").status, 422);
  EXPECT_EQ(error_field(c.staff.get(kApi + "/challenges?principle=x")), "principle");

  // Pages of two: every challenge exactly once, then a null cursor.
  std::vector<std::int64_t> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto r = expect_status(c.staff.get(kApi + "/challenges?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor)), 200,
                           "page");
    EXPECT_LE(r["items"].size(), 2u);
    for (auto id : ids_of(r["items"])) seen.push_back(id);
    if (r["next_cursor"].is_null()) break;
    cursor = r["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{made[4], made[3], made[2], made[1], made[0]}));
  auto bad = c.staff.get(kApi + "/challenges?cursor=!!");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(error_field(bad), "cursor");
}

TEST(Challenges, PrinciplesAreListed) {
  Core c;
  auto r = expect_status(c.staff.get(kApi + "/principles"), 200, "principles");
  ASSERT_EQ(r["items"].size(), 5u);
  EXPECT_EQ(r["items"][0]["code"], "P1");
  EXPECT_EQ(r["items"][4]["code"], "P5");
  EXPECT_FALSE(r["items"][2]["summary"].get<std::string>().empty());
}

TEST(Challenges, OpensByItselfWhenOpensAtPasses) {
  Core c;
  auto body = challenge_body("Opening soon", "draft");
  body["opens_at"] = rfc3339_in(1);
  auto id = c.create_challenge(body)["id"].get<std::int64_t>();
  EXPECT_EQ(c.staff.get(kApi + "/challenges/" + str(id)).status, 404);
  int status = 404;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    status = c.staff.get(kApi + "/challenges/" + str(id)).status;
  }
  ASSERT_EQ(status, 200);
  EXPECT_EQ(expect_status(c.staff.get(kApi + "/challenges/" + str(id)), 200, "get")["challenge"]["status"], "open");
  EXPECT_EQ(c.staff.post(kApi + "/challenges/" + str(id) + "/ideas", idea_body("First in")).status, 201);
}

TEST(Challenges, AnswerCarriesEveryDocumentedField) {
  Core c;
  auto ch = c.create_challenge();
  for (const char* key : {"id", "title", "brief", "principle_ids", "status", "opens_at", "closes_at", "voting", "forward",
                          "parent_idea_id", "created_at", "updated_at", "counts"})
    EXPECT_TRUE(ch.contains(key)) << key << " in " << ch.dump();
  for (const char* key : {"ideas", "comments", "votes", "participants"}) EXPECT_TRUE(ch["counts"].contains(key)) << key;
  for (const char* key : {"model", "votes_per_user"}) EXPECT_TRUE(ch["voting"].contains(key)) << key;
  for (const char* key : {"top_n", "min_votes", "workshop_id"}) EXPECT_TRUE(ch["forward"].contains(key)) << key;
  EXPECT_EQ(ch["voting"]["model"], "up") << "the default rule";
}
