// Impact measurement (SPEC §4, Metrics; issue 8): every figure checked against a model the
// test keeps of what it did, not against the server's own arithmetic.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <thread>

#include "integration/impact_helpers.hpp"

using namespace cc::test;
using namespace cc::test::impact;

namespace {

const std::vector<std::string> kStatuses = {"new", "under_review", "shortlisted", "forwarded", "adopted", "not_progressed",
                                            "merged"};

json metrics(Client& c, std::int64_t challenge) {
  return must(c.get(kApi + "/metrics/challenges/" + str(challenge)), 200, "metrics");
}

// What the test did, contribution by contribution, and what the figures must then be.
struct Model {
  struct Who {
    std::string profession, organisation;
  };
  std::map<std::int64_t, Who> people;         // by user id
  std::set<std::int64_t> participants;        // took part at least once
  std::vector<std::int64_t> idea_authors;     // ideas that count (not merged)
  std::vector<std::int64_t> comment_authors;  // comments that count (not deleted)
  std::vector<std::int64_t> voters;           // votes standing
  std::map<std::string, std::int64_t> funnel;

  void person(const Person& p) { people[p.id] = {p.profession, p.organisation}; }
  std::int64_t count(const std::vector<std::int64_t>& v, const std::string& prof) const {
    std::int64_t n = 0;
    for (auto id : v) n += people.at(id).profession == prof;
    return n;
  }
  std::int64_t count_org(const std::vector<std::int64_t>& v, const std::string& org) const {
    std::int64_t n = 0;
    for (auto id : v) n += people.at(id).organisation == org;
    return n;
  }
  std::map<std::string, std::int64_t> participants_by_profession() const {
    std::map<std::string, std::int64_t> m;
    for (auto id : participants) ++m[people.at(id).profession];
    return m;
  }
};

// Pielou's evenness, written out here independently of the server.
double evenness_of(const std::map<std::string, std::int64_t>& by) {
  double n = 0;
  for (const auto& [k, v] : by) n += static_cast<double>(v);
  double h = 0;
  for (const auto& [k, v] : by) {
    double p = static_cast<double>(v) / n;
    h += -p * std::log(p);
  }
  return h / std::log(static_cast<double>(by.size()));
}

}  // namespace

TEST(Metrics, StaffAreRefusedAndUnknownChallengesAreNotFound) {
  Crowd crowd;
  auto& lead = crowd.add("lead", "design_group", "management", "ICB");
  auto& staff = crowd.add("nurse", "staff", "nursing", "Trust A");
  auto ch = crowd.challenge(lead.client, {{"title", "Open challenge"}, {"brief", "b"}, {"principle_ids", {1}}, {"status", "open"}});
  for (const std::string& path : {"/metrics/challenges/" + str(ch), std::string("/metrics/overview"),
                                 "/export/challenges/" + str(ch) + ".csv"}) {
    auto r = staff.client.get(kApi + path);
    EXPECT_EQ(r.status, 403) << path;
    EXPECT_EQ(r.json_body()["error"]["code"], "forbidden") << path;
    Client anonymous = crowd.d.client();
    EXPECT_EQ(anonymous.get(kApi + path).status, 401) << path;
    EXPECT_EQ(lead.client.get(kApi + path).status, 200) << path;
  }
  EXPECT_EQ(lead.client.get(kApi + "/metrics/challenges/999999").status, 404);
  EXPECT_EQ(lead.client.get(kApi + "/export/challenges/999999.csv").status, 404);
  EXPECT_EQ(lead.client.get(kApi + "/metrics/challenges/abc").status, 404);
  // An admin is design group and more.
  auto& admin = crowd.add("root", "admin", "management", "ICB");
  EXPECT_EQ(admin.client.get(kApi + "/metrics/challenges/" + str(ch)).status, 200);
}

TEST(Metrics, AnEmptyChallengeHasZerosAndNoDivisionByZero) {
  Crowd crowd;
  auto& lead = crowd.add("lead", "design_group", "management", "ICB");
  auto ch = crowd.challenge(lead.client, {{"title", "Nobody here yet"}, {"brief", "b"}, {"principle_ids", {2}}});
  auto m = metrics(lead.client, ch);
  EXPECT_EQ(m["participants"], 0);
  EXPECT_EQ(m["ideas"], 0);
  EXPECT_EQ(m["comments"], 0);
  EXPECT_EQ(m["votes"], 0);
  EXPECT_EQ(m["by_profession"], json::object());
  EXPECT_EQ(m["by_organisation"], json::object());
  EXPECT_EQ(m["daily"], json::array());
  for (const auto& s : kStatuses) EXPECT_EQ(m["funnel"][s], 0) << s;
  EXPECT_EQ(m["funnel"].size(), kStatuses.size());
  EXPECT_EQ(m["diversity"]["professions"], 0);
  EXPECT_TRUE(m["diversity"]["evenness"].is_null());
  EXPECT_EQ(m["diversity"]["under_represented"], json::array());
  EXPECT_EQ(m["baseline_set"], false);

  // With a baseline but still nobody: every share is undefined (null), nothing is flagged.
  ASSERT_EQ(crowd.d.admin({"settings", "set", "workforce.baseline", R"({"nursing":0.4,"medical":0.1})"}).exit_code, 0);
  m = metrics(lead.client, ch);
  ASSERT_EQ(m["by_profession"].size(), 2u) << m.dump();
  for (const auto& p : {"nursing", "medical"}) {
    EXPECT_EQ(m["by_profession"][p]["participants"], 0);
    EXPECT_TRUE(m["by_profession"][p]["share"].is_null());
    EXPECT_TRUE(m["by_profession"][p]["representation"].is_null());
  }
  EXPECT_DOUBLE_EQ(m["by_profession"]["nursing"]["baseline_share"].get<double>(), 0.4);
  EXPECT_EQ(m["diversity"]["under_represented"], json::array());
  EXPECT_EQ(m["baseline_set"], true);
}

TEST(Metrics, WithoutABaselineSharesAreKnownAndRepresentationIsNull) {
  Crowd crowd;
  auto& lead = crowd.add("lead", "design_group", "management", "ICB");
  auto& a = crowd.add("ana", "staff", "nursing", "Trust A");
  auto& b = crowd.add("ben", "staff", "pharmacy", "Trust B");
  auto ch = crowd.challenge(lead.client, {{"title", "Two voices"}, {"brief", "b"}, {"principle_ids", {1}}, {"status", "open"}});
  auto idea = crowd.idea(a, ch, "Rota protected hours")["id"].get<std::int64_t>();
  crowd.vote(b, idea, 1);
  auto m = metrics(lead.client, ch);
  EXPECT_EQ(m["participants"], 2);
  ASSERT_EQ(m["by_profession"].size(), 2u) << m.dump();
  for (const auto& p : {"nursing", "pharmacy"}) {
    EXPECT_DOUBLE_EQ(m["by_profession"][p]["share"].get<double>(), 0.5) << p;
    EXPECT_TRUE(m["by_profession"][p]["baseline_share"].is_null()) << p;
    EXPECT_TRUE(m["by_profession"][p]["representation"].is_null()) << p;
  }
  EXPECT_DOUBLE_EQ(m["diversity"]["evenness"].get<double>(), 1.0);
  EXPECT_EQ(m["diversity"]["professions"], 2);
  EXPECT_EQ(m["diversity"]["under_represented"], json::array());
  EXPECT_EQ(m["baseline_set"], false);
}

TEST(Metrics, OneProfessionOnlyHasEvennessZero) {
  Crowd crowd;
  auto& lead = crowd.add("lead", "design_group", "nursing", "ICB");
  auto& a = crowd.add("ana", "staff", "nursing", "Trust A");
  auto ch = crowd.challenge(lead.client, {{"title", "One voice"}, {"brief", "b"}, {"principle_ids", {1}}, {"status", "open"}});
  crowd.idea(a, ch, "An idea from nursing");
  crowd.idea(lead, ch, "Another idea from nursing");
  auto m = metrics(lead.client, ch);
  EXPECT_EQ(m["diversity"]["professions"], 1);
  EXPECT_DOUBLE_EQ(m["diversity"]["evenness"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(m["by_profession"]["nursing"]["share"].get<double>(), 1.0);
}

TEST(Metrics, EveryFigureMatchesWhatWasDone) {
  Crowd crowd;
  std::string day_before = utc_today();
  auto& lead = crowd.add("lead", "design_group", "management", "Integrated Care Board");
  auto& n1 = crowd.add("nia", "staff", "nursing", "Trust A");
  auto& n2 = crowd.add("ned", "staff", "nursing", "Trust B");
  auto& p1 = crowd.add("pat", "staff", "pharmacy", "Trust A");
  auto& s1 = crowd.add("sol", "staff", "social_work", "City Council");
  auto& m1 = crowd.add("meg", "staff", "medical", "Trust A");
  crowd.add("idle", "staff", "dental", "Trust A");  // never takes part
  Model model;
  for (const auto& p : crowd.people) model.person(p);
  for (const auto& s : kStatuses) model.funnel[s] = 0;
  // The admins' workforce baseline, changed while the server runs (read live). Management
  // has a share of 0 (representation undefined), social care a share and nobody taking part.
  const json baseline = {{"nursing", 0.3}, {"pharmacy", 0.05}, {"medical", 0.2}, {"social_care", 0.25}, {"management", 0.0}};
  ASSERT_EQ(crowd.d.admin({"settings", "set", "workforce.baseline", baseline.dump()}).exit_code, 0);

  auto ch = crowd.challenge(lead.client, {{"title", "Protected time for leaders"},
                                          {"brief", "How?"},
                                          {"principle_ids", {3, 4}},
                                          {"status", "open"},
                                          {"voting", {{"model", "updown"}, {"votes_per_user", nullptr}}}});
  // Another challenge's activity must not leak into this one.
  auto other = crowd.challenge(lead.client, {{"title", "Elsewhere"}, {"brief", "b"}, {"principle_ids", {1}}, {"status", "open"}});
  auto elsewhere = crowd.idea(p1, other, "Not in the measured challenge")["id"].get<std::int64_t>();
  crowd.vote(n1, elsewhere, 1);
  crowd.comment(s1, elsewhere, "Also elsewhere");

  auto a = crowd.idea(n1, ch, "Idea A")["id"].get<std::int64_t>();
  auto b = crowd.idea(n2, ch, "Idea B", /*anonymous=*/true)["id"].get<std::int64_t>();
  auto c = crowd.idea(p1, ch, "Idea C")["id"].get<std::int64_t>();
  auto dd = crowd.idea(s1, ch, "Idea D")["id"].get<std::int64_t>();
  auto e = crowd.idea(n1, ch, "Idea E")["id"].get<std::int64_t>();
  for (auto* p : {&n1, &n2, &p1, &s1}) model.participants.insert(p->id);
  model.idea_authors = {n1.id, n2.id, p1.id, n1.id};  // D is merged below: it lives on in A

  crowd.comment(p1, a, "Yes, and weekends too");
  crowd.comment(s1, b, "In social work we need this");
  crowd.comment(n2, a, "Agreed");
  auto deleted = crowd.comment(n2, c, "I take this back")["id"].get<std::int64_t>();
  must(n2.client.del(kApi + "/comments/" + str(deleted)), 204, "delete comment");
  crowd.comment(lead, dd, "Moves with the merge");
  model.participants.insert(lead.id);
  model.comment_authors = {p1.id, s1.id, n2.id, lead.id};

  crowd.vote(n2, a, 1);
  crowd.vote(p1, b, -1);
  crowd.vote(s1, c, 1);
  crowd.vote(m1, c, 1);
  crowd.vote(m1, c, 0);  // withdrawn: meg took part, but her vote does not stand
  model.participants.insert(m1.id);
  crowd.vote(lead, dd, 1);  // moves to A with the merge
  crowd.vote(n2, dd, 1);    // set aside by the merge: n2 already voted for A
  model.voters = {n2.id, p1.id, s1.id, lead.id};

  must(lead.client.post(kApi + "/ideas/" + str(dd) + "/merge", {{"into_id", a}}), 200, "merge");
  crowd.status(lead, b, "under_review");
  crowd.status(lead, c, "shortlisted");
  model.funnel["new"] = 2;  // A, E
  model.funnel["under_review"] = 1;
  model.funnel["shortlisted"] = 1;
  model.funnel["merged"] = 1;
  (void)e;

  auto m = metrics(lead.client, ch);
  std::string day_after = utc_today();
  SCOPED_TRACE(m.dump(2));

  EXPECT_EQ(m["challenge"]["id"], ch);
  EXPECT_EQ(m["participants"].get<std::int64_t>(), static_cast<std::int64_t>(model.participants.size()));
  EXPECT_EQ(m["ideas"].get<std::int64_t>(), static_cast<std::int64_t>(model.idea_authors.size()));
  EXPECT_EQ(m["comments"].get<std::int64_t>(), static_cast<std::int64_t>(model.comment_authors.size()));
  EXPECT_EQ(m["votes"].get<std::int64_t>(), static_cast<std::int64_t>(model.voters.size()));
  // The challenge's own counts agree.
  auto counts = must(lead.client.get(kApi + "/challenges/" + str(ch)), 200, "challenge")["challenge"]["counts"];
  for (const auto& k : {"participants", "ideas", "comments", "votes"}) EXPECT_EQ(counts[k], m[k]) << k;

  for (const auto& s : kStatuses) EXPECT_EQ(m["funnel"][s], model.funnel[s]) << s;

  auto by = model.participants_by_profession();
  std::set<std::string> expected_keys;
  for (const auto& [k, v] : by) expected_keys.insert(k);
  for (const auto& [k, v] : baseline.items()) expected_keys.insert(k);
  std::set<std::string> keys;
  for (const auto& [k, v] : m["by_profession"].items()) keys.insert(k);
  EXPECT_EQ(keys, expected_keys);
  EXPECT_EQ(keys.count("dental"), 0u) << "a profession with nobody taking part and no baseline is left out";

  double total = static_cast<double>(model.participants.size());
  std::vector<std::string> under;
  for (const auto& prof : expected_keys) {
    SCOPED_TRACE(prof);
    const auto& f = m["by_profession"][prof];
    std::int64_t np = by.count(prof) ? by[prof] : 0;
    EXPECT_EQ(f["participants"].get<std::int64_t>(), np);
    EXPECT_EQ(f["ideas"].get<std::int64_t>(), model.count(model.idea_authors, prof));
    EXPECT_EQ(f["comments"].get<std::int64_t>(), model.count(model.comment_authors, prof));
    EXPECT_EQ(f["votes"].get<std::int64_t>(), model.count(model.voters, prof));
    double share = static_cast<double>(np) / total;
    EXPECT_DOUBLE_EQ(f["share"].get<double>(), share);
    if (!baseline.contains(prof)) {
      EXPECT_TRUE(f["baseline_share"].is_null());
      EXPECT_TRUE(f["representation"].is_null());
      continue;
    }
    double base = baseline[prof].get<double>();
    EXPECT_DOUBLE_EQ(f["baseline_share"].get<double>(), base);
    if (base == 0) {
      EXPECT_TRUE(f["representation"].is_null()) << "share ÷ 0 is undefined";
      continue;
    }
    EXPECT_DOUBLE_EQ(f["representation"].get<double>(), share / base);
    if (share / base < 0.5) under.push_back(prof);
  }
  EXPECT_EQ(m["diversity"]["under_represented"], json(under));
  EXPECT_EQ(under, std::vector<std::string>{"social_care"});
  EXPECT_EQ(m["diversity"]["professions"].get<std::size_t>(), by.size());
  EXPECT_NEAR(m["diversity"]["evenness"].get<double>(), evenness_of(by), 1e-12);

  // By organisation.
  std::map<std::string, std::int64_t> org_participants;
  for (auto id : model.participants) ++org_participants[model.people.at(id).organisation];
  ASSERT_EQ(m["by_organisation"].size(), org_participants.size());
  for (const auto& [org, n] : org_participants) {
    SCOPED_TRACE(org);
    const auto& f = m["by_organisation"][org];
    EXPECT_EQ(f["participants"], n);
    EXPECT_EQ(f["ideas"].get<std::int64_t>(), model.count_org(model.idea_authors, org));
    EXPECT_EQ(f["comments"].get<std::int64_t>(), model.count_org(model.comment_authors, org));
    EXPECT_EQ(f["votes"].get<std::int64_t>(), model.count_org(model.voters, org));
  }

  // Everything happened today (UTC); skip the day check if the test ran across midnight.
  if (day_before == day_after) {
    ASSERT_EQ(m["daily"].size(), 1u);
    const auto& d = m["daily"][0];
    EXPECT_EQ(d["date"], day_before);
    EXPECT_EQ(d["ideas"], m["ideas"]);
    EXPECT_EQ(d["comments"], m["comments"]);
    EXPECT_EQ(d["votes"], m["votes"]);
    EXPECT_EQ(d["participants"], m["participants"]);
  }

  // Aggregates never reveal who: no name or email of anyone appears in the figures.
  auto text = m.dump();
  for (const auto& p : crowd.people) {
    EXPECT_EQ(text.find(p.email), std::string::npos) << p.email;
    EXPECT_EQ(text.find("\"" + p.name + "\""), std::string::npos) << p.name;
  }
}

TEST(Metrics, OverviewCoversThePrinciplesAndTheWaitForAFirstStatusChange) {
  Crowd crowd;
  auto& lead = crowd.add("lead", "design_group", "management", "ICB");
  auto& a = crowd.add("ana", "staff", "nursing", "Trust A");
  auto& b = crowd.add("ben", "staff", "pharmacy", "Trust B");
  auto c1 = crowd.challenge(lead.client, {{"title", "Decisions and learning"}, {"brief", "b"}, {"principle_ids", {1, 2}}, {"status", "open"}});
  auto c2 = crowd.challenge(lead.client, {{"title", "A draft on learning"}, {"brief", "b"}, {"principle_ids", {2}}});
  auto c3 = crowd.challenge(lead.client, {{"title", "Time to lead"}, {"brief", "b"}, {"principle_ids", {3}}, {"status", "open"}});

  auto i1 = crowd.idea(a, c1, "First")["id"].get<std::int64_t>();
  auto i2 = crowd.idea(b, c1, "Second")["id"].get<std::int64_t>();
  crowd.idea(b, c1, "Third, still waiting");
  auto i4 = crowd.idea(a, c3, "In time to lead")["id"].get<std::int64_t>();
  crowd.vote(b, i4, 1);
  crowd.comment(a, i1, "A comment");
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  crowd.status(lead, i1, "under_review");
  crowd.status(lead, i2, "shortlisted");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  crowd.status(lead, i4, "under_review");
  crowd.status(lead, i4, "shortlisted");  // only the first change counts
  must(lead.client.patch(kApi + "/challenges/" + str(c3), {{"status", "closed"}}), 200, "close");

  // The waits, from what anyone can read: created_at and the first change in the history.
  std::map<std::int64_t, std::vector<double>> hours_by_challenge;
  std::vector<double> hours;
  for (auto [idea, challenge] : {std::pair{i1, c1}, std::pair{i2, c1}, std::pair{i4, c3}}) {
    auto j = must(lead.client.get(kApi + "/ideas/" + str(idea)), 200, "idea")["idea"];
    ASSERT_GE(j["history"].size(), 2u);
    double h = static_cast<double>(parse_time(j["history"][1]["at"]) - parse_time(j["created_at"])) / 3600.0;
    hours.push_back(h);
    hours_by_challenge[challenge].push_back(h);
  }
  std::sort(hours.begin(), hours.end());
  auto o = must(lead.client.get(kApi + "/metrics/overview"), 200, "overview");
  SCOPED_TRACE(o.dump(2));
  EXPECT_DOUBLE_EQ(o["first_status_change"]["median_hours"].get<double>(), hours[1]);
  EXPECT_GT(o["first_status_change"]["median_hours"].get<double>(), 0.0);
  EXPECT_EQ(o["first_status_change"]["ideas_changed"], 3);
  EXPECT_EQ(o["first_status_change"]["ideas_waiting"], 1);

  ASSERT_EQ(o["principles"].size(), 5u);
  struct Expect {
    int challenges, open, ideas, participants;
  };
  // P1: c1 (open); P2: c1 and the draft c2; P3: c3 (closed now); P4, P5: nothing.
  std::map<std::string, Expect> expect = {{"P1", {1, 1, 3, 2}}, {"P2", {2, 1, 3, 2}}, {"P3", {1, 0, 1, 2}},
                                          {"P4", {0, 0, 0, 0}}, {"P5", {0, 0, 0, 0}}};
  for (const auto& p : o["principles"]) {
    auto code = p["code"].get<std::string>();
    SCOPED_TRACE(code);
    EXPECT_EQ(p["challenges"], expect[code].challenges);
    EXPECT_EQ(p["open_challenges"], expect[code].open);
    EXPECT_EQ(p["ideas"], expect[code].ideas);
    EXPECT_EQ(p["participants"], expect[code].participants);
    EXPECT_EQ(p["has_open_challenge"], expect[code].open > 0);
  }
  std::vector<std::string> gaps;
  for (const auto& g : o["principles_without_open_challenge"]) gaps.push_back(g["code"]);
  EXPECT_EQ(gaps, (std::vector<std::string>{"P3", "P4", "P5"}));

  ASSERT_EQ(o["challenges"].size(), 3u);
  std::map<std::int64_t, json> by_id;
  for (const auto& c : o["challenges"]) by_id[c["id"].get<std::int64_t>()] = c;
  EXPECT_EQ(by_id[c1]["ideas"], 3);
  EXPECT_EQ(by_id[c1]["comments"], 1);
  EXPECT_EQ(by_id[c1]["participants"], 2);
  EXPECT_EQ(by_id[c1]["ideas_waiting"], 1);
  std::sort(hours_by_challenge[c1].begin(), hours_by_challenge[c1].end());
  EXPECT_DOUBLE_EQ(by_id[c1]["median_hours_to_first_status_change"].get<double>(),
                   (hours_by_challenge[c1][0] + hours_by_challenge[c1][1]) / 2);
  EXPECT_DOUBLE_EQ(by_id[c3]["median_hours_to_first_status_change"].get<double>(), hours_by_challenge[c3][0]);
  EXPECT_EQ(by_id[c3]["votes"], 1);
  EXPECT_EQ(by_id[c3]["status"], "closed");
  EXPECT_EQ(by_id[c2]["status"], "draft");
  EXPECT_TRUE(by_id[c2]["median_hours_to_first_status_change"].is_null());
  EXPECT_EQ(o["totals"]["challenges"], 3);
  EXPECT_EQ(o["totals"]["open_challenges"], 1);
  EXPECT_EQ(o["totals"]["ideas"], 4);
  EXPECT_EQ(o["totals"]["votes"], 1);
  EXPECT_EQ(o["totals"]["participants"], 2) << "ana and ben took part in two challenges each: counted once";
}

TEST(Metrics, OverviewOfAnEmptyDatabase) {
  Crowd crowd;
  auto& lead = crowd.add("lead", "design_group", "management", "ICB");
  auto o = must(lead.client.get(kApi + "/metrics/overview"), 200, "overview");
  EXPECT_TRUE(o["first_status_change"]["median_hours"].is_null());
  EXPECT_EQ(o["principles_without_open_challenge"].size(), 5u);
  EXPECT_EQ(o["challenges"], json::array());
  EXPECT_EQ(o["totals"]["participants"], 0);
}

TEST(Metrics, StatsFromTheAdminCliPrintTheSameFigures) {
  Crowd crowd;
  auto& lead = crowd.add("lead", "design_group", "management", "ICB");
  auto& a = crowd.add("ana", "staff", "nursing", "Trust A");
  auto ch = crowd.challenge(lead.client, {{"title", "CLI figures"}, {"brief", "b"}, {"principle_ids", {1}}, {"status", "open"}});
  auto idea = crowd.idea(a, ch, "An idea")["id"].get<std::int64_t>();
  crowd.vote(lead, idea, 1);
  auto api = metrics(lead.client, ch);
  auto cli = crowd.d.admin({"stats", "--challenge", str(ch), "--json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  auto j = json::parse(cli.out);
  api.erase("generated_at");
  j.erase("generated_at");
  EXPECT_EQ(j, api);
  // The global --json before the command means the same.
  auto global = crowd.d.admin({"--json", "stats", "--challenge", str(ch)});
  ASSERT_EQ(global.exit_code, 0) << global.err;
  auto g = json::parse(global.out);
  g.erase("generated_at");
  EXPECT_EQ(g, api);

  auto text = crowd.d.admin({"stats", "--challenge", str(ch)});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("CLI figures"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("nursing"), std::string::npos) << text.out;

  auto overview_api = must(lead.client.get(kApi + "/metrics/overview"), 200, "overview");
  auto overview_cli = crowd.d.admin({"stats", "--json"});
  ASSERT_EQ(overview_cli.exit_code, 0) << overview_cli.err;
  auto oc = json::parse(overview_cli.out);
  overview_api.erase("generated_at");
  oc.erase("generated_at");
  EXPECT_EQ(oc, overview_api);
  auto overview_text = crowd.d.admin({"stats"});
  ASSERT_EQ(overview_text.exit_code, 0);
  EXPECT_NE(overview_text.out.find("P1"), std::string::npos) << overview_text.out;

  auto missing = crowd.d.admin({"stats", "--challenge", "999999"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("challenge"), std::string::npos);
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << "one line: " << missing.err;
  EXPECT_EQ(crowd.d.admin({"stats", "--challenge", "x"}).exit_code, 2);
  EXPECT_EQ(crowd.d.admin({"stats", "--bogus"}).exit_code, 2);
  auto help = crowd.d.admin({"stats", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("usage"), std::string::npos);
}
