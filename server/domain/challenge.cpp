#include "domain/challenge.hpp"

#include <algorithm>

#include "common/clock.hpp"
#include "domain/error.hpp"
#include "domain/text.hpp"

namespace cc::domain {

std::string_view to_string(ChallengeStatus s) {
  switch (s) {
    case ChallengeStatus::draft: return "draft";
    case ChallengeStatus::open: return "open";
    case ChallengeStatus::closed: return "closed";
    case ChallengeStatus::archived: return "archived";
  }
  return "draft";
}

std::optional<ChallengeStatus> parse_challenge_status(std::string_view s) {
  if (s == "draft") return ChallengeStatus::draft;
  if (s == "open") return ChallengeStatus::open;
  if (s == "closed") return ChallengeStatus::closed;
  if (s == "archived") return ChallengeStatus::archived;
  return std::nullopt;
}

bool can_move(ChallengeStatus from, ChallengeStatus to) {
  using S = ChallengeStatus;
  if (from == to) return true;
  switch (from) {
    case S::draft: return to == S::open || to == S::archived;
    case S::open: return to == S::closed;
    case S::closed: return to == S::open || to == S::archived;
    case S::archived: return false;
  }
  return false;
}

std::string_view to_string(VotingModel m) { return m == VotingModel::updown ? "updown" : "up"; }

void validate_voting_rule(const VotingRule& v, const std::string& field) {
  if (v.votes_per_user && (*v.votes_per_user < 1 || *v.votes_per_user > 100000))
    throw validation_error(field, "votes_per_user must be null or a whole number from 1 to 100000");
}

void validate_forward_rule(const ForwardRule& f, const std::string& field) {
  if (f.top_n < 0 || f.top_n > 1000) throw validation_error(field, "forward.top_n must be a whole number from 0 to 1000");
  if (f.min_votes < 0) throw validation_error(field, "forward.min_votes must be 0 or more");
}

void apply_and_validate(Challenge& c, const ChallengePatch& p) {
  if (p.title) c.title = *p.title;
  if (p.brief) c.brief = *p.brief;
  if (p.principle_ids) c.principle_ids = *p.principle_ids;
  if (p.opens_at) c.opens_at = *p.opens_at;
  if (p.closes_at) c.closes_at = *p.closes_at;
  if (p.voting) c.voting = *p.voting;
  if (p.forward) c.forward = *p.forward;
  if (p.parent_idea_id) c.parent_idea_id = *p.parent_idea_id;

  check_text("title", c.title, 3, 140);
  check_text("brief", c.brief, 0, 5000, true);
  if (c.principle_ids.empty()) throw validation_error("principle_ids", "choose at least one principle");
  for (auto id : c.principle_ids)
    if (id < 1 || id > 5) throw validation_error("principle_ids", "principle ids run from 1 to 5");
  std::sort(c.principle_ids.begin(), c.principle_ids.end());
  c.principle_ids.erase(std::unique(c.principle_ids.begin(), c.principle_ids.end()), c.principle_ids.end());
  std::optional<std::int64_t> opens, closes;
  if (c.opens_at) {
    opens = parse_rfc3339(*c.opens_at);
    if (!opens) throw validation_error("opens_at", "opens_at must be an RFC 3339 time, e.g. 2026-12-01T09:00:00Z");
    c.opens_at = to_rfc3339(*opens);
  }
  if (c.closes_at) {
    closes = parse_rfc3339(*c.closes_at);
    if (!closes) throw validation_error("closes_at", "closes_at must be an RFC 3339 time, e.g. 2026-12-31T17:00:00Z");
    c.closes_at = to_rfc3339(*closes);
  }
  if (opens && closes && *closes <= *opens) throw validation_error("closes_at", "closes_at must be after opens_at");
  validate_voting_rule(c.voting, "voting");
  validate_forward_rule(c.forward, "forward");
}

}  // namespace cc::domain
