// Validation rules of the domain (SPEC §3): challenges, idea text, comments, votes and the
// settings' values.
// Each refusal is a validation_failed error naming the field.
#include <gtest/gtest.h>

#include "domain/challenge.hpp"
#include "domain/error.hpp"
#include "domain/idea.hpp"
#include "domain/settings.hpp"

using namespace cc::domain;

namespace {

template <class F>
std::string refused_field(F f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::validation);
    EXPECT_EQ(e.code(), "validation_failed");
    return e.field();
  }
  return "";
}

Challenge valid_challenge() {
  Challenge c;
  c.title = "Protected time";
  c.brief = "";
  c.principle_ids = {3};
  return c;
}

std::string challenge_field(const ChallengePatch& p) {
  auto c = valid_challenge();
  return refused_field([&] { apply_and_validate(c, p); });
}

}  // namespace

TEST(ChallengeValidation, AcceptsAValidChallengeAndNormalises) {
  auto c = valid_challenge();
  ChallengePatch p;
  p.principle_ids = std::vector<std::int64_t>{5, 1, 3, 1};
  p.opens_at = std::optional<std::string>("2030-01-01T10:00:00+01:00");
  p.closes_at = std::optional<std::string>("2030-01-31T17:00:00.250Z");
  p.voting = VotingRule{VotingModel::updown, 3};
  EXPECT_NO_THROW(apply_and_validate(c, p));
  EXPECT_EQ(c.principle_ids, (std::vector<std::int64_t>{1, 3, 5})) << "sorted, without duplicates";
  EXPECT_EQ(c.opens_at, "2030-01-01T09:00:00Z") << "UTC";
  EXPECT_EQ(c.closes_at, "2030-01-31T17:00:00Z");
  EXPECT_EQ(c.voting.model, VotingModel::updown);
  EXPECT_EQ(c.voting.votes_per_user, 3);
  EXPECT_EQ(c.title, "Protected time") << "absent fields are left alone";

  // Clearing a date with null.
  ChallengePatch clear;
  clear.opens_at = std::optional<std::string>();
  apply_and_validate(c, clear);
  EXPECT_FALSE(c.opens_at);
  EXPECT_EQ(c.closes_at, "2030-01-31T17:00:00Z");
}

TEST(ChallengeValidation, TitleIs3To140Characters) {
  for (const std::string& ok : {std::string("abc"), std::string(140, 't'), std::string("Ünï")}) {
    ChallengePatch p;
    p.title = ok;
    EXPECT_EQ(challenge_field(p), "") << ok;
  }
  for (const std::string& bad : {std::string("ab"), std::string(141, 't'), std::string(""), std::string("   "),
                                std::string("tab\there"), std::string("bad \xff utf8")}) {
    ChallengePatch p;
    p.title = bad;
    EXPECT_EQ(challenge_field(p), "title") << bad;
  }
  ChallengePatch p;
  p.title = std::string(140, 'x') + "é";  // 141 characters
  EXPECT_EQ(challenge_field(p), "title");
  p.title = std::string(139, 'x') + "é";  // 140 characters, 141 bytes
  EXPECT_EQ(challenge_field(p), "");
}

TEST(ChallengeValidation, BriefUpTo5000WithLineBreaks) {
  ChallengePatch p;
  p.brief = std::string(5000, 'b');
  EXPECT_EQ(challenge_field(p), "");
  p.brief = "line one\nline two\r\n\tindented";
  EXPECT_EQ(challenge_field(p), "");
  p.brief = std::string(5001, 'b');
  EXPECT_EQ(challenge_field(p), "brief");
  p.brief = std::string("nul\0inside", 10);
  EXPECT_EQ(challenge_field(p), "brief");
}

TEST(ChallengeValidation, PrinciplesAreOneToFiveAndAtLeastOne) {
  for (const auto& bad : std::vector<std::vector<std::int64_t>>{{}, {0}, {6}, {1, 6}, {-1}}) {
    ChallengePatch p;
    p.principle_ids = bad;
    EXPECT_EQ(challenge_field(p), "principle_ids");
  }
  ChallengePatch p;
  p.principle_ids = std::vector<std::int64_t>{1, 2, 3, 4, 5};
  EXPECT_EQ(challenge_field(p), "");
}

TEST(ChallengeValidation, DatesAreRfc3339AndCloseAfterOpening) {
  for (const std::string bad : {"tomorrow", "2030-02-30T10:00:00Z", "2030-01-01", "2030-01-01 10:00:00", "",
                                "2030-01-01T25:00:00Z"}) {
    ChallengePatch p;
    p.opens_at = std::optional<std::string>(bad);
    EXPECT_EQ(challenge_field(p), "opens_at") << bad;
    ChallengePatch q;
    q.closes_at = std::optional<std::string>(bad);
    EXPECT_EQ(challenge_field(q), "closes_at") << bad;
  }
  ChallengePatch p;
  p.opens_at = std::optional<std::string>("2030-06-01T09:00:00Z");
  p.closes_at = std::optional<std::string>("2030-06-01T09:00:00Z");
  EXPECT_EQ(challenge_field(p), "closes_at") << "closing when it opens";
  p.closes_at = std::optional<std::string>("2030-05-01T09:00:00Z");
  EXPECT_EQ(challenge_field(p), "closes_at");
}

TEST(ChallengeValidation, VotingAndForwardingRules) {
  for (int bad : {0, -1, 100001}) {
    ChallengePatch p;
    p.voting = VotingRule{VotingModel::up, bad};
    EXPECT_EQ(challenge_field(p), "voting") << bad;
  }
  ChallengePatch p;
  p.voting = VotingRule{VotingModel::up, std::nullopt};
  EXPECT_EQ(challenge_field(p), "");
  p.voting = VotingRule{VotingModel::up, 1};
  EXPECT_EQ(challenge_field(p), "");
  ChallengePatch f;
  f.forward = ForwardRule{-1, 0, std::nullopt};
  EXPECT_EQ(challenge_field(f), "forward");
  f.forward = ForwardRule{1001, 0, std::nullopt};
  EXPECT_EQ(challenge_field(f), "forward");
  f.forward = ForwardRule{5, -1, std::nullopt};
  EXPECT_EQ(challenge_field(f), "forward");
  f.forward = ForwardRule{5, 2, std::nullopt};
  EXPECT_EQ(challenge_field(f), "");
}

TEST(ChallengeValidation, StatusMoves) {
  using S = ChallengeStatus;
  EXPECT_TRUE(can_move(S::draft, S::open));
  EXPECT_TRUE(can_move(S::open, S::closed));
  EXPECT_TRUE(can_move(S::closed, S::open));
  EXPECT_TRUE(can_move(S::closed, S::archived));
  EXPECT_TRUE(can_move(S::open, S::open));
  EXPECT_FALSE(can_move(S::archived, S::open));
  EXPECT_FALSE(can_move(S::archived, S::draft));
  EXPECT_FALSE(can_move(S::open, S::draft));
  EXPECT_FALSE(can_move(S::closed, S::draft));
  EXPECT_EQ(parse_challenge_status("open"), S::open);
  EXPECT_FALSE(parse_challenge_status("Open"));
}

namespace {
std::string idea_field(std::optional<std::string> title, std::optional<std::string> body,
                       std::optional<std::vector<std::string>> tags = std::nullopt) {
  return refused_field([&] { validate_idea_text(title, body, tags); });
}
}  // namespace

TEST(IdeaValidation, TitleBodyAndTags) {
  EXPECT_EQ(idea_field("Fine title", "b"), "");
  EXPECT_EQ(idea_field(std::string(140, 't'), std::string(5000, 'b')), "");
  EXPECT_EQ(idea_field("ab", "b"), "title");
  EXPECT_EQ(idea_field(std::string(141, 't'), "b"), "title");
  EXPECT_EQ(idea_field("two\nlines", "b"), "title");
  EXPECT_EQ(idea_field("Fine title", ""), "body");
  EXPECT_EQ(idea_field("Fine title", "\n\t "), "body");
  EXPECT_EQ(idea_field("Fine title", std::string(5001, 'b')), "body");
  EXPECT_EQ(idea_field("Fine title", "multi\nline\r\nbody\twith tab"), "");
  EXPECT_EQ(idea_field(std::nullopt, std::nullopt), "") << "a partial edit checks only what it sends";
  EXPECT_EQ(idea_field(std::nullopt, std::string("")), "body");

  EXPECT_EQ(idea_field("Fine title", "b", std::vector<std::string>(8, "t")), "");
  EXPECT_EQ(idea_field("Fine title", "b", std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "9"}), "tags");
  EXPECT_EQ(idea_field("Fine title", "b", std::vector<std::string>{std::string(30, 'x')}), "");
  EXPECT_EQ(idea_field("Fine title", "b", std::vector<std::string>{std::string(31, 'x')}), "tags");
  EXPECT_EQ(idea_field("Fine title", "b", std::vector<std::string>{""}), "tags");
  EXPECT_EQ(idea_field("Fine title", "b", std::vector<std::string>{"new\nline"}), "tags");
}

TEST(IdeaValidation, TagsAreDeduplicatedKeepingTheFirstSpelling) {
  std::optional<std::string> title = "Fine title", body = "b";
  std::optional<std::vector<std::string>> tags = std::vector<std::string>{"Rota", "rota", "ROTA", "nights", "Nights"};
  validate_idea_text(title, body, tags);
  EXPECT_EQ(*tags, (std::vector<std::string>{"Rota", "nights"}));
  EXPECT_EQ(*title, "Fine title") << "text is never altered";
}

TEST(IdeaValidation, CommentBody) {
  EXPECT_EQ(refused_field([] { validate_comment_body("ok"); }), "");
  EXPECT_EQ(refused_field([] { validate_comment_body(std::string(2000, 'c')); }), "");
  EXPECT_EQ(refused_field([] { validate_comment_body(std::string(2001, 'c')); }), "body");
  EXPECT_EQ(refused_field([] { validate_comment_body(""); }), "body");
  EXPECT_EQ(refused_field([] { validate_comment_body("line\nbreaks are fine"); }), "");
}

TEST(VoteValidation, ValuesAndModels) {
  for (bool updown : {false, true}) {
    EXPECT_EQ(refused_field([&] { validate_vote_value(1, updown); }), "");
    EXPECT_EQ(refused_field([&] { validate_vote_value(0, updown); }), "");
    EXPECT_EQ(refused_field([&] { validate_vote_value(2, updown); }), "value");
    EXPECT_EQ(refused_field([&] { validate_vote_value(-2, updown); }), "value");
  }
  EXPECT_EQ(refused_field([] { validate_vote_value(-1, false); }), "value") << "no down votes under model up";
  EXPECT_EQ(refused_field([] { validate_vote_value(-1, true); }), "");
}

TEST(IdeaStatusRules, AuthorsEditUntilForwarded) {
  EXPECT_TRUE(author_may_edit(IdeaStatus::new_));
  EXPECT_TRUE(author_may_edit(IdeaStatus::under_review));
  EXPECT_TRUE(author_may_edit(IdeaStatus::shortlisted));
  EXPECT_FALSE(author_may_edit(IdeaStatus::forwarded));
  EXPECT_FALSE(author_may_edit(IdeaStatus::adopted));
  EXPECT_FALSE(author_may_edit(IdeaStatus::not_progressed));
  EXPECT_FALSE(author_may_edit(IdeaStatus::merged));
  for (auto s : {IdeaStatus::new_, IdeaStatus::under_review, IdeaStatus::shortlisted, IdeaStatus::forwarded,
                 IdeaStatus::adopted, IdeaStatus::not_progressed, IdeaStatus::merged})
    EXPECT_EQ(parse_idea_status(to_string(s)), s);
  EXPECT_FALSE(parse_idea_status("done"));
}

// The default rules a new challenge takes: refused with a validation error, never let
// through to a challenge that could not hold them, whatever the JSON's types. Found by
// tests/fuzz/json_body_fuzz: a number as the model threw nlohmann's type_error.
TEST(SettingValidation, DefaultRulesAreChallengeRules) {
  auto refused = [](const char* key, const char* value) {
    return refused_field([&] { validate_setting(key, value); });
  };
  for (const char* bad : {R"({"model":5})", R"({"model":null})", R"({"model":"down"})", R"({"votes_per_user":0})",
                          R"({"votes_per_user":100001})", R"({"votes_per_user":-3})", R"({"votes_per_user":1.5})",
                          R"({"votes_per_user":18446744073709551615})", R"({"votes_per_user":"3"})", "[]"})
    EXPECT_EQ(refused("voting.default", bad), "value") << bad;
  EXPECT_EQ(validate_setting("voting.default", R"({"votes_per_user":100000})"),
            R"({"model":"up","votes_per_user":100000})");
  EXPECT_EQ(validate_setting("voting.default", R"({"model":"updown"})"), R"({"model":"updown","votes_per_user":null})");

  for (const char* bad : {R"({"top_n":1001})", R"({"top_n":-1})", R"({"top_n":"5"})", R"({"min_votes":-1})",
                          R"({"min_votes":18446744073709551615})", R"({"workshop_id":"x"})", R"({"workshop_id":0})",
                          R"({"workshop_id":18446744073709551615})"})
    EXPECT_EQ(refused("forward.default", bad), "value") << bad;
  EXPECT_EQ(validate_setting("forward.default", R"({"top_n":1000,"min_votes":0})"),
            R"({"min_votes":0,"top_n":1000,"workshop_id":null})");

  // What a new challenge takes from the stored text: the rules as they were accepted.
  const auto voting = parse_voting_default(R"({"model":"updown","votes_per_user":7})");
  EXPECT_EQ(voting.model, VotingModel::updown);
  EXPECT_EQ(voting.votes_per_user, 7);
  EXPECT_FALSE(parse_voting_default("{}").votes_per_user);
  const auto forward = parse_forward_default(R"({"min_votes":2,"workshop_id":4})");
  EXPECT_EQ(forward.top_n, 5) << "a missing top_n is the setting's own default";
  EXPECT_EQ(forward.min_votes, 2);
  EXPECT_EQ(forward.workshop_id, 4);
  EXPECT_EQ(refused_field([] { parse_forward_default("not json"); }), "value");
}
