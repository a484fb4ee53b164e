// The ideas written straight as text (the hot paths) say exactly what their document
// forms say, for every kind of viewer and idea.
#include <gtest/gtest.h>

#include <vector>

#include "json/domain_json.hpp"

using Json = nlohmann::json;
namespace domain = cc::domain;

namespace {

domain::Idea sample() {
  domain::Idea i;
  i.id = 42;
  i.challenge_id = 7;
  i.author = {9, "Ana \"Nurse\" Lee", "Nurse"};
  i.title = "Discharge \xE2\x80\x94 earlier";
  i.body = "Line one\nline two <script>alert(1)</script>";
  i.tags = {"discharge", "flow\ttab"};
  i.up = 12;
  i.down = 3;
  i.score = 9;
  i.my_vote = -1;
  i.comment_count = 4;
  i.created_at = "2026-11-01T09:00:00Z";
  i.updated_at = "2026-11-02T10:30:00Z";
  return i;
}

// The plain sample, one anonymous and hidden (without tags), one merged with a note.
std::vector<domain::Idea> variants() {
  auto plain = sample();
  auto anonymous = sample();
  anonymous.anonymous = true;
  anonymous.hidden = true;
  anonymous.tags.clear();
  auto merged = sample();
  merged.status = domain::IdeaStatus::merged;
  merged.status_note = "joined with another";
  merged.merged_into_id = 5;
  return {plain, anonymous, merged};
}

Json as_text(const domain::Idea& i, const domain::Viewer& v, bool with_my_vote) {
  std::string out;
  cc::json::TextWriter w(out);
  w.begin_object();
  cc::json::write_idea_members(w, i, v, with_my_vote);
  w.end_object();
  return Json::parse(out);
}

}  // namespace

TEST(IdeaText, SaysWhatTheDocumentSaysForEveryViewer) {
  const auto ideas = variants();
  const auto& anonymous = ideas[1];
  const std::vector<domain::Viewer> viewers = {domain::Viewer::anyone(), domain::Viewer::design_group(),
                                               {9, domain::Role::staff}, {10, domain::Role::staff},
                                               {11, domain::Role::admin}};
  for (const auto& idea : ideas)
    for (const auto& v : viewers)
      for (bool with_vote : {true, false}) {
        auto expected = cc::json::idea_json(idea, v, with_vote);
        EXPECT_EQ(as_text(idea, v, with_vote), expected) << expected.dump();
      }
  EXPECT_TRUE(as_text(anonymous, domain::Viewer::anyone(), true)["author"].is_null());
}

// The text kept once for every viewer (json::IdeaText, the top list's) is byte for byte
// what write_idea_members writes for each viewer, whatever the idea holds: an anonymous
// author shown only to the design group, the viewer's own vote, mine, hidden, and user
// text that looks like the members around it.
TEST(IdeaText, KeptTextIsTheSameBytesForEveryViewer) {
  auto ideas = variants();
  auto tricky = sample();
  tricky.title = "\",\"author\":null,\"my_vote\":1";
  tricky.body = ",\"status\":\"adopted\",\"hidden\":true}";
  tricky.tags = {"author", ",\"my_vote\":"};
  tricky.author.display_name = "x\",\"status\":\"";
  tricky.status = domain::IdeaStatus::merged;
  tricky.status_note = ",\"my_vote\":null";
  tricky.merged_into_id = 5;
  ideas.push_back(tricky);
  const std::vector<domain::Viewer> viewers = {domain::Viewer::anyone(), domain::Viewer::design_group(),
                                               {9, domain::Role::staff}, {10, domain::Role::staff},
                                               {11, domain::Role::admin}, {9, domain::Role::design_group}};
  for (auto idea : ideas) {
    const cc::json::IdeaText kept(idea);
    for (int vote : {-1, 0, 1}) {
      idea.my_vote = vote;
      for (const auto& v : viewers) {
        std::string expected, got;
        cc::json::TextWriter a(expected), b(got);
        cc::json::write_idea_members(a.begin_object(), idea, v);
        a.key("next").integer(1).end_object();
        kept.write_members(b.begin_object(), v, vote);
        b.key("next").integer(1).end_object();
        EXPECT_EQ(got, expected);
      }
    }
  }
}

TEST(IdeaText, HistoryMatchesItsDocument) {
  std::vector<domain::HistoryEntry> h = {{"new", "", domain::Author{3, "Sam", "GP"}, "2026-11-01T09:00:00Z"},
                                         {"under_review", "a \"note\"", std::nullopt, "2026-11-03T09:00:00Z"}};
  std::string out;
  cc::json::TextWriter w(out);
  cc::json::write_history(w, h);
  EXPECT_EQ(Json::parse(out), cc::json::history_json(h));
}

TEST(VotesText, IsTheSameBytesAsItsDocument) {
  // The document SPEC describes, as nlohmann writes it.
  auto votes_json = [](std::int64_t id, std::int64_t up, std::int64_t down, std::int64_t score) {
    return Json{{"idea_id", id}, {"votes", {{"up", up}, {"down", down}}}, {"score", score}};
  };
  domain::IdeaTally t;
  t.id = 12;
  t.up = 30;
  t.down = 4;
  t.score = 26;
  EXPECT_EQ(cc::json::votes_text(t), votes_json(12, 30, 4, 26).dump());
  for (int my_vote : {-1, 0, 1}) {
    auto doc = votes_json(12, 30, 4, 26);
    doc["my_vote"] = my_vote;
    EXPECT_EQ(cc::json::votes_text(t, my_vote), doc.dump());
  }
  t.down = 0;
  t.up = 0;
  t.score = -3;  // the writer's numbers, whatever they are
  EXPECT_EQ(cc::json::votes_text(t), votes_json(12, 0, 0, -3).dump());
  domain::Idea i = sample();  // the idea's own counts, for the events of a merge
  EXPECT_EQ(cc::json::votes_text(i), votes_json(i.id, i.up, i.down, i.score).dump());
}
