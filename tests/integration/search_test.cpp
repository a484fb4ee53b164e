// Full-text search over real HTTP: best match first, plain-text snippets with
// highlights in UTF-16 units, filters by challenge and principle, what staff may not
// see, and hostile queries that must never break anything.
#include <gtest/gtest.h>

#include "core_helpers.hpp"

using namespace cc::test;

namespace {

std::u16string utf16(const std::string& s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    std::size_t len;
    if (c < 0x80) { cp = c; len = 1; }
    else if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; len = 2; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; len = 3; }
    else { cp = c & 0x07; len = 4; }
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

std::u16string lower(std::u16string s) {
  for (auto& c : s)
    if (c >= u'A' && c <= u'Z') c = static_cast<char16_t>(c - u'A' + u'a');
  return s;
}

json search(Client& who, const std::string& query) {
  return expect_status(who.get(kApi + "/search?" + query), 200, "search " + query);
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

TEST(Search, BestMatchFirstWithPlainSnippetsAndHighlights) {
  Core c;
  auto id = c.open_challenge();
  auto in_body = c.create_idea(c.staff, id,
                               idea_body("Shared learning sessions",
                                         "Monthly sessions where teams share what they learnt, including the handover "
                                         "problems we found on night shifts and elsewhere in the trust."))["id"];
  auto in_title = c.create_idea(c.other, id, idea_body("Handover checklist", "A one-page checklist for shift changes."))["id"];
  json tagged = idea_body("Protected time rota", "Time for leaders to meet.");
  tagged["tags"] = {"handover"};
  auto in_tags = c.create_idea(c.other, id, tagged)["id"];
  c.idea(c.staff, id, "Unrelated idea about parking");

  auto items = search(c.staff, "q=handover")["items"];
  ASSERT_EQ(items.size(), 3u) << items.dump();
  EXPECT_EQ(items[0]["idea"]["id"], in_title) << "a title match beats tags and body";
  EXPECT_EQ(items[1]["idea"]["id"], in_tags);
  EXPECT_EQ(items[2]["idea"]["id"], in_body);
  // Each snippet is its own idea's text (a page's snippets are read in one query).
  EXPECT_NE(items[0]["snippet"].get<std::string>().find("checklist"), std::string::npos) << items.dump();
  EXPECT_NE(items[2]["snippet"].get<std::string>().find("problems"), std::string::npos) << items.dump();
  for (const auto& item : items) {
    EXPECT_EQ(item["type"], "idea");
    auto snippet = item["snippet"].get<std::string>();
    EXPECT_EQ(snippet.find('\x01'), std::string::npos) << "snippets are plain text";
    EXPECT_EQ(snippet.find('\x02'), std::string::npos);
    ASSERT_FALSE(item["highlights"].empty()) << item.dump();
    auto s16 = utf16(snippet);
    for (const auto& h : item["highlights"]) {
      auto start = h[0].get<std::size_t>(), len = h[1].get<std::size_t>();
      ASSERT_LE(start + len, s16.size()) << item.dump();
      EXPECT_EQ(lower(s16.substr(start, len)), u"handover") << item.dump();
    }
  }
  // Stemming: plurals find the singular; several words narrow it down.
  EXPECT_EQ(search(c.staff, "q=handovers")["items"].size(), 3u);
  auto two = search(c.staff, "q=handover%20checklist")["items"];
  ASSERT_GE(two.size(), 1u);
  EXPECT_EQ(two[0]["idea"]["id"], in_title);
  // The last word is matched as a prefix while typing.
  auto prefix = search(c.staff, "q=checkl")["items"];
  ASSERT_EQ(prefix.size(), 1u);
  EXPECT_EQ(prefix[0]["idea"]["id"], in_title);
  // Empty queries find nothing, and do not fail.
  EXPECT_TRUE(search(c.staff, "q=")["items"].empty());
  EXPECT_TRUE(search(c.staff, "")["items"].empty());
  // Edits are searchable at once.
  expect_status(c.other.patch(kApi + "/ideas/" + str(in_title.get<std::int64_t>()), {{"title", "Shift change list"}}), 200,
                "edit");
  auto after = search(c.staff, "q=checklist")["items"];
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0]["idea"]["title"], "Shift change list");
}

TEST(Search, HighlightsCountUtf16Units) {
  Core c;
  auto id = c.open_challenge();
  c.create_idea(c.staff, id, idea_body("Café 🙂 handover rota", "Résumé of the plan"));
  auto items = search(c.staff, "q=handover")["items"];
  ASSERT_EQ(items.size(), 1u);
  auto s16 = utf16(items[0]["snippet"].get<std::string>());
  ASSERT_EQ(items[0]["highlights"].size(), 1u) << items.dump();
  auto start = items[0]["highlights"][0][0].get<std::size_t>();
  auto len = items[0]["highlights"][0][1].get<std::size_t>();
  ASSERT_LE(start + len, s16.size());
  EXPECT_EQ(s16.substr(start, len), u"handover");
  EXPECT_EQ(start, 8u) << "Café (4) + space + emoji (2 units) + space";
  // Accents are folded: "resume" finds "Résumé", "cafe" finds "Café".
  EXPECT_EQ(search(c.staff, "q=resume")["items"].size(), 1u);
  EXPECT_EQ(search(c.staff, "q=" + url_encode("café"))["items"].size(), 1u);
}

TEST(Search, FiltersByChallengeAndPrincipleAndHidesWhatStaffMayNotSee) {
  Core c;
  json p1 = challenge_body("Principle one");
  p1["principle_ids"] = {1};
  json p3 = challenge_body("Principle three");
  p3["principle_ids"] = {3, 4};
  auto ch1 = c.open_challenge(p1);
  auto ch3 = c.open_challenge(p3);
  auto a = c.idea(c.staff, ch1, "Mentoring scheme one");
  auto b = c.idea(c.staff, ch3, "Mentoring scheme three");
  auto draft = c.open_challenge(challenge_body("Draft", "draft"));
  (void)draft;

  auto all = search(c.staff, "q=mentoring")["items"];
  EXPECT_EQ(all.size(), 2u);
  auto only1 = search(c.staff, "q=mentoring&challenge=" + str(ch1))["items"];
  ASSERT_EQ(only1.size(), 1u);
  EXPECT_EQ(only1[0]["idea"]["id"], a);
  auto only3 = search(c.staff, "q=mentoring&principle=4")["items"];
  ASSERT_EQ(only3.size(), 1u);
  EXPECT_EQ(only3[0]["idea"]["id"], b);
  EXPECT_TRUE(search(c.staff, "q=mentoring&principle=2")["items"].empty());
  EXPECT_TRUE(search(c.staff, "q=mentoring&principle=1&challenge=" + str(ch3))["items"].empty());
  EXPECT_EQ(c.staff.get(kApi + "/search?q=mentoring&challenge=abc").status, 422);
  EXPECT_EQ(c.staff.get(kApi + "/search?q=mentoring&challenge=" + str(draft)).status, 404);

  // Merged ideas drop out of search; hidden ones too, for staff.
  auto dup = c.idea(c.other, ch1, "Mentoring scheme duplicate");
  EXPECT_EQ(search(c.staff, "q=mentoring")["items"].size(), 3u);
  expect_status(c.dg.post(kApi + "/ideas/" + str(dup) + "/merge", {{"into_id", a}}), 200, "merge");
  EXPECT_EQ(search(c.staff, "q=mentoring")["items"].size(), 2u);

  // Pages.
  for (int i = 0; i < 5; ++i) c.idea(c.other, ch3, "Mentoring circle " + std::to_string(i));
  auto page = search(c.staff, "q=mentoring&limit=3");
  EXPECT_EQ(page["items"].size(), 3u);
  ASSERT_TRUE(page["next_cursor"].is_string());
  std::vector<std::int64_t> seen;
  std::string cursor;
  for (int i = 0; i < 5; ++i) {
    auto p = search(c.staff, "q=mentoring&limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const auto& item : p["items"]) seen.push_back(item["idea"]["id"].get<std::int64_t>());
    if (p["next_cursor"].is_null()) break;
    cursor = p["next_cursor"].get<std::string>();
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end()) << "no repeats";
  EXPECT_EQ(seen.size(), 7u);
  // Offsets past the bound are refused, also those that would wrap to a small number
  // as a 32-bit int: {"o":4294967301} (2^32 + 5) and {"o":4294967295} (-1).
  for (const char* forged : {"eyJvIjo0Mjk0OTY3MzAxfQ", "eyJvIjo0Mjk0OTY3Mjk1fQ"}) {
    auto r = c.staff.get(kApi + "/search?q=mentoring&limit=3&cursor=" + forged);
    EXPECT_EQ(r.status, 422) << forged << " → " << r.body;
    EXPECT_EQ(error_field(r), "cursor");
  }
}

TEST(Search, HostileQueriesNeverBreakAnything) {
  Core c;
  auto id = c.open_challenge();
  auto idea = c.idea(c.staff, id, "Quote \"marks\" and OR operators");
  std::vector<std::string> queries = {
      "\"", "\"\"", "\"unbalanced", "*", "**", "a*", "NEAR(", "NEAR(a b, 2)", "OR", "AND", "NOT", "a OR", "OR b",
      "'; DROP TABLE ideas; --", "\"; DELETE FROM ideas; --", "title:quote", "{title body}: x", "^", "-", "+", "(", ")",
      "()", "a AND (b OR", "\\", "%", "%%", "_", "'", "''", "café", "日本語", "🙂", "Ｑｕｏｔｅ", "quote\"marks",
      "col:", ":", "a:b:c", "rowid", "ideas_fts", "MATCH", "bm25(", std::string(200, 'x'), "marks OR", "NOT marks",
      "\"marks\"", "marks*", "marks^"};
  for (const auto& q : queries) {
    auto r = c.staff.get(kApi + "/search?q=" + url_encode(q));
    EXPECT_EQ(r.status, 200) << "q=" << q << " → " << r.body;
    if (r.status == 200) {
      EXPECT_TRUE(r.json_body()["items"].is_array()) << q;
    }
  }
  // Words inside hostile text still match as words.
  EXPECT_EQ(search(c.staff, "q=" + url_encode("\"marks"))["items"].size(), 1u);
  EXPECT_EQ(search(c.staff, "q=" + url_encode("OR"))["items"].size(), 1u) << "OR is a word here, not an operator";
  EXPECT_EQ(search(c.staff, "q=" + url_encode("(quote*)"))["items"].size(), 1u);
  // Too long is a validation error, not a crash.
  auto r = c.staff.get(kApi + "/search?q=" + std::string(201, 'y'));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "q");

  // The table is still there and still works.
  EXPECT_EQ(c.get_idea(c.staff, idea)["title"], "Quote \"marks\" and OR operators");
  c.idea(c.other, id, "Another idea after the attack");
  EXPECT_EQ(c.list_ideas(c.staff, id)["items"].size(), 2u);
  EXPECT_EQ(search(c.staff, "q=attack")["items"].size(), 1u);
}
