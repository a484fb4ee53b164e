// The ideas export (SPEC §4 GET /export/challenges/{id}.csv; issue 8; `export ideas`):
// a CSV that opens correctly in a spreadsheet and never names anyone.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "integration/impact_helpers.hpp"

using namespace cc::test;
using namespace cc::test::impact;

namespace {

const std::vector<std::string> kHeader = {"id",         "title",      "status",   "score",     "up",
                                          "down",       "comments",   "profession", "created_at", "updated_at",
                                          "anonymous",  "hidden",     "merged_into_id", "status_note", "tags",
                                          "body"};

struct Exported {
  Crowd crowd;
  Person& lead = crowd.add("Lead Person", "design_group", "management", "ICB");
  Person& nurse = crowd.add("Nadia Nurse", "staff", "nursing", "Trust A");
  Person& pharmacist = crowd.add("Pete Pharmacist", "staff", "pharmacy", "Trust B");
  std::int64_t ch = crowd.challenge(lead.client, {{"title", "Export me"},
                                                  {"brief", "b"},
                                                  {"principle_ids", {1}},
                                                  {"status", "open"},
                                                  {"voting", {{"model", "updown"}, {"votes_per_user", nullptr}}}});

  Response csv() { return lead.client.get(kApi + "/export/challenges/" + str(ch) + ".csv"); }
};

std::map<std::string, std::string> row_map(const std::vector<std::string>& header, const std::vector<std::string>& row) {
  std::map<std::string, std::string> m;
  for (std::size_t i = 0; i < header.size() && i < row.size(); ++i) m[header[i]] = row[i];
  return m;
}

}  // namespace

TEST(Export, CsvQuotesNeutralisesFormulasAndNamesNoOne) {
  Exported x;
  struct Case {
    std::string title, body;
    std::string expected_title, expected_body;
  };
  std::vector<Case> cases = {
      {"Commas, in the title", "plain", "Commas, in the title", "plain"},
      {"She said \"protected time\"", "with \"quotes\"", "She said \"protected time\"", "with \"quotes\""},
      {"Multi-line body", "line one\nline two\r\nline three", "Multi-line body", "line one\nline two\r\nline three"},
      {"=HYPERLINK(\"http://evil\",\"x\")", "=1+2", "'=HYPERLINK(\"http://evil\",\"x\")", "'=1+2"},
      {"+44 call me", "+cmd", "'+44 call me", "'+cmd"},
      {"-2 is a formula", "-1", "'-2 is a formula", "'-1"},
      {"@SUM(A1:A9)", "@x", "'@SUM(A1:A9)", "'@x"},
      {"Tab body", "\t=cmd|' /C calc'!A0", "Tab body", "'\t=cmd|' /C calc'!A0"},
      {"CR body", "\r=2", "CR body", "'\r=2"},
      {"Unicode: café – naïve ✓", "ünïcödé", "Unicode: café – naïve ✓", "ünïcödé"},
  };
  std::map<std::int64_t, Case> by_id;
  for (const auto& c : cases) {
    auto idea = x.crowd.idea(x.nurse, x.ch, c.title, false, c.body);
    by_id[idea["id"].get<std::int64_t>()] = c;
  }
  auto anon = x.crowd.idea(x.pharmacist, x.ch, "Anonymous idea", true)["id"].get<std::int64_t>();
  auto down = x.crowd.idea(x.nurse, x.ch, "Voted down")["id"].get<std::int64_t>();
  x.crowd.vote(x.pharmacist, down, -1);
  x.crowd.vote(x.lead, down, -1);
  auto merged = x.crowd.idea(x.nurse, x.ch, "A duplicate")["id"].get<std::int64_t>();
  must(x.lead.client.post(kApi + "/ideas/" + str(merged) + "/merge", {{"into_id", down}}), 200, "merge");
  x.crowd.comment(x.pharmacist, down, "A comment");

  auto r = x.csv();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8");
  auto disposition = r.header("content-disposition");
  EXPECT_EQ(disposition.rfind("attachment", 0), 0u) << disposition;
  EXPECT_NE(disposition.find("filename=\"challenge-" + str(x.ch) + "-ideas.csv\""), std::string::npos) << disposition;
  ASSERT_GE(r.body.size(), 3u);
  EXPECT_EQ(r.body.substr(0, 3), "\xEF\xBB\xBF") << "UTF-8 with a byte-order mark";
  auto rows = parse_csv(r.body.substr(3));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], kHeader);
  ASSERT_EQ(rows.size(), 1 + cases.size() + 3) << "every idea, merged ones too";

  std::map<std::int64_t, std::map<std::string, std::string>> got;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), kHeader.size()) << "row " << i;
    auto m = row_map(rows[0], rows[i]);
    got[std::stoll(m["id"])] = m;
  }
  for (const auto& [id, c] : by_id) {
    SCOPED_TRACE(c.title);
    EXPECT_EQ(got[id]["title"], c.expected_title);
    EXPECT_EQ(got[id]["body"], c.expected_body);
    EXPECT_EQ(got[id]["profession"], "nursing");
    EXPECT_EQ(got[id]["status"], "new");
  }
  // Every field agrees with the API's view of the idea.
  for (auto id : {anon, down, merged}) {
    auto idea = must(x.lead.client.get(kApi + "/ideas/" + str(id)), 200, "idea")["idea"];
    auto& row = got[id];
    SCOPED_TRACE(idea.dump());
    EXPECT_EQ(row["title"], idea["title"]);
    EXPECT_EQ(row["status"], idea["status"]);
    EXPECT_EQ(row["score"], std::to_string(idea["score"].get<int>()));
    EXPECT_EQ(row["up"], std::to_string(idea["votes"]["up"].get<int>()));
    EXPECT_EQ(row["down"], std::to_string(idea["votes"]["down"].get<int>()));
    EXPECT_EQ(row["comments"], std::to_string(idea["comment_count"].get<int>()));
    EXPECT_EQ(row["created_at"], idea["created_at"]);
    EXPECT_EQ(row["anonymous"], idea["anonymous"].get<bool>() ? "yes" : "no");
  }
  EXPECT_EQ(got[down]["score"], "-2") << "a negative score stays a number, not neutralised text";
  EXPECT_EQ(got[down]["comments"], "1");
  EXPECT_EQ(got[merged]["status"], "merged");
  EXPECT_EQ(got[merged]["merged_into_id"], str(down));
  EXPECT_EQ(got[anon]["profession"], "pharmacy") << "the author's profession only";
  EXPECT_EQ(got[anon]["anonymous"], "yes");
  // No one's name or email is in the file, anonymous or not.
  for (const auto& p : x.crowd.people) {
    EXPECT_EQ(r.body.find(p.name), std::string::npos) << p.name;
    EXPECT_EQ(r.body.find(p.email), std::string::npos) << p.email;
  }
}

TEST(Export, AnEmptyChallengeGivesTheHeaderOnly) {
  Exported x;
  auto r = x.csv();
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.substr(0, 3), "\xEF\xBB\xBF");
  auto rows = parse_csv(r.body.substr(3));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], kHeader);
  EXPECT_EQ(r.body.substr(r.body.size() - 2), "\r\n");
}

TEST(Export, TheAdminCliWritesTheSameCsvAndAJsonForm) {
  Exported x;
  auto idea = x.crowd.idea(x.nurse, x.ch, "=Formula, \"quoted\"", false, "two\nlines")["id"].get<std::int64_t>();
  x.crowd.vote(x.pharmacist, idea, 1);
  auto http = x.csv();
  ASSERT_EQ(http.status, 200);

  auto cli = x.crowd.d.admin({"export", "ideas", "--challenge", str(x.ch), "--format", "csv"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(cli.out, http.body) << "the same bytes as the HTTP export";

  auto file = x.crowd.d.dir.file("ideas.csv");
  auto to_file = x.crowd.d.admin({"export", "ideas", "--challenge", str(x.ch), "--format", "csv", "--output", file});
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  std::ifstream in(file, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  EXPECT_EQ(buf.str(), http.body);

  auto js = x.crowd.d.admin({"export", "ideas", "--challenge", str(x.ch), "--format", "json"});
  ASSERT_EQ(js.exit_code, 0) << js.err;
  auto j = json::parse(js.out);
  EXPECT_EQ(j["challenge"]["id"], x.ch);
  ASSERT_EQ(j["ideas"].size(), 1u);
  EXPECT_EQ(j["ideas"][0]["title"], "=Formula, \"quoted\"") << "JSON carries the text as it is";
  EXPECT_EQ(j["ideas"][0]["up"], 1);
  EXPECT_EQ(j["ideas"][0]["profession"], "nursing");
  EXPECT_EQ(js.out.find("Nadia"), std::string::npos);

  // Errors: bad usage exits 2, a failure exits 1; one line on stderr each.
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"export", "ideas", "--format", "csv"},
           {"export", "ideas", "--challenge", str(x.ch), "--format", "xml"},
           {"export", "ideas", "--challenge", "0", "--format", "csv"},
           {"export", "ideas", "--challenge", str(x.ch)},
           {"export", "things"}}) {
    auto r = x.crowd.d.admin(args);
    EXPECT_EQ(r.exit_code, 2) << args[1] << " " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  auto missing = x.crowd.d.admin({"export", "ideas", "--challenge", "999999", "--format", "csv"});
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
  EXPECT_TRUE(missing.out.empty());
  auto help = x.crowd.d.admin({"export", "ideas", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--format csv|json"), std::string::npos);
}
