// Stored XSS: script and markup in every text field come back from the REST API and over
// the WebSocket as the exact text, inside JSON strings of application/json answers with
// nosniff, never as markup. (The browser tests check the pages render them as text.)
#include <gtest/gtest.h>

#include <set>

#include "integration/core_helpers.hpp"
#include "support/ws_client.hpp"

using namespace cc::test;

namespace {

const std::vector<std::string> kPayloads = {
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "<svg/onload=alert(document.cookie)>",
    "</script><script>alert(1)</script>",
    "'\"><iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\">",
    "javascript:alert(1)//<a href=\"javascript:alert(1)\">x</a>",
    "{{constructor.constructor('alert(1)')()}}",
    "\u2028\u2029<b onmouseover=alert(1)>x</b>",
};

// True when some string anywhere in `j` is exactly `text`.
bool holds(const json& j, const std::string& text) {
  if (j.is_string()) return j.get<std::string>() == text;
  if (j.is_structured())
    for (const auto& v : j) if (holds(v, text)) return true;
  return false;
}

// A JSON answer, checked for the headers that keep a browser from reading it as HTML.
json json_answer(const Response& r, int status, const std::string& what) {
  EXPECT_EQ(r.status, status) << what << ": " << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8") << what;
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << what;
  EXPECT_NE(r.header("content-security-policy").find("script-src 'self'"), std::string::npos) << what;
  auto j = json::parse(r.body, nullptr, false);
  EXPECT_TRUE(j.is_object()) << what << " is not a JSON object: " << r.body;
  return j.is_discarded() ? json::object() : j;
}

}  // namespace

TEST(StoredXss, EveryTextFieldComesBackAsExactJsonText) {
  Core c;
  WsClient ws(c.d.server->host(), c.d.server->port(), {c.dg.cookies, std::nullopt});
  ws.send({{"op", "subscribe"}, {"topics", {"challenges"}}});
  ASSERT_TRUE(ws.recv().has_value());
  for (std::size_t n = 0; n < kPayloads.size(); ++n) {
    const std::string& p = kPayloads[n];
    SCOPED_TRACE("payload " + p);
    std::string tag = p.size() <= 30 ? p : p.substr(0, 30);
    // Display name, through registration.
    Client author = c.d.client();
    auto reg = author.post(kApi + "/auth/register", {{"email", "xss" + str(n) + "@example.nhs.uk"},
                                                     {"password", "a long enough passphrase 42"},
                                                     {"display_name", p},
                                                     {"profession", "nursing"},
                                                     {"organisation", "Trust"}});
    ASSERT_EQ(reg.status, 201) << reg.body;
    author.csrf = reg.json_body()["csrf_token"];
    EXPECT_EQ(json_answer(author.get(kApi + "/me"), 200, "me")["user"]["display_name"], p);

    // Challenge title and brief.
    auto ch = c.create_challenge({{"title", p}, {"brief", p}, {"principle_ids", {1}}, {"status", "open"}});
    auto challenge = str(ch["id"].get<std::int64_t>());
    auto got = json_answer(c.staff.get(kApi + "/challenges/" + challenge), 200, "challenge")["challenge"];
    EXPECT_EQ(got["title"], p);
    EXPECT_EQ(got["brief"], p);
    ws.send({{"op", "subscribe"}, {"topics", {"challenge:" + challenge}}});

    // Idea title, body and tags; comment body; status note.
    auto idea = str(c.create_idea(author, ch["id"], {{"title", p}, {"body", p}, {"tags", {tag}}})["id"].get<std::int64_t>());
    auto comment = c.comment(author, std::stoll(idea), p);
    expect_status(c.dg.patch(kApi + "/ideas/" + idea, {{"status", "under_review"}, {"status_note", p}}), 200, "status");
    auto i = json_answer(c.staff.get(kApi + "/ideas/" + idea), 200, "idea")["idea"];
    EXPECT_EQ(i["title"], p);
    EXPECT_EQ(i["body"], p);
    EXPECT_EQ(i["tags"], json::array({tag}));
    EXPECT_EQ(i["author"]["display_name"], p);
    EXPECT_EQ(i["status_note"], p);
    EXPECT_TRUE(holds(i["history"], p)) << i["history"];
    auto comments = json_answer(c.staff.get(kApi + "/ideas/" + idea + "/comments"), 200, "comments")["items"];
    ASSERT_EQ(comments.size(), 1u);
    EXPECT_EQ(comments[0]["body"], p);
    EXPECT_EQ(comments[0]["author"]["display_name"], p);
    auto listed = json_answer(c.staff.get(kApi + "/challenges/" + challenge + "/ideas"), 200, "ideas")["items"];
    EXPECT_TRUE(holds(listed, p));

    // Workshop title, description and outcome note; flag reason and resolution note.
    auto w = expect_status(c.dg.post(kApi + "/workshops", {{"title", p}, {"description", p}}), 201, "workshop")["workshop"];
    auto workshop = str(w["id"].get<std::int64_t>());
    auto item = expect_status(c.dg.post(kApi + "/workshops/" + workshop + "/queue", {{"idea_id", std::stoll(idea)}, {"note", p}}),
                              201, "queue")["item"];
    expect_status(c.dg.patch(kApi + "/workshops/" + workshop + "/queue/" + str(item["id"].get<std::int64_t>()),
                             {{"outcome_note", p}}),
                  200, "outcome");
    auto wv = json_answer(c.staff.get(kApi + "/workshops/" + workshop), 200, "workshop view");
    EXPECT_EQ(wv["workshop"]["title"], p);
    EXPECT_EQ(wv["workshop"]["description"], p);
    EXPECT_TRUE(holds(wv["queue"], p)) << wv["queue"];
    auto flag = expect_status(c.staff.post(kApi + "/flags", {{"target", "comment"}, {"id", comment["id"]}, {"reason", p}}), 201,
                              "flag")["flag"];
    expect_status(c.dg.patch(kApi + "/flags/" + str(flag["id"].get<std::int64_t>()), {{"action", "none"}, {"note", p}}), 200,
                  "resolve");
    auto flags = json_answer(c.dg.get(kApi + "/flags"), 200, "flags")["items"];
    EXPECT_TRUE(holds(flags, p));

    // The same text over the WebSocket: JSON objects whose strings hold it exactly.
    std::set<std::string> carried;
    for (int k = 0; k < 50; ++k) {
      auto m = ws.recv(std::chrono::milliseconds(500));
      if (!m) break;
      ASSERT_TRUE(m->is_object()) << "a frame that is not a JSON object: " << *m;
      if ((*m)["op"] == "event" && holds((*m)["data"], p)) carried.insert((*m)["type"].get<std::string>());
    }
    for (const char* type : {"challenge.created", "idea.created", "comment.created", "idea.status_changed"})
      EXPECT_TRUE(carried.count(type)) << type << " did not carry the text";
  }
}

TEST(StoredXss, ErrorsNeverEchoMarkupOutsideJson) {
  Core c;
  // A refused field and an unknown path both answer JSON, whatever they were sent.
  auto challenge = c.open_challenge();
  auto bad = c.staff.post(kApi + "/challenges/" + str(challenge) + "/ideas", {{"title", "<script>alert(1)</script>"}, {"body", ""}});
  auto e = json_answer(bad, 422, "validation error");
  EXPECT_EQ(e["error"]["code"], "validation_failed");
  auto missing = c.staff.get(kApi + "/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
  json_answer(missing, 404, "unknown API path");
  EXPECT_EQ(missing.body.find("<script>"), std::string::npos) << "the path is not echoed";
}
