#pragma once
// A challenge set by the design group, linked to one or more principles (SPEC §3).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cc::domain {

enum class ChallengeStatus { draft, open, closed, archived };
std::string_view to_string(ChallengeStatus s);
std::optional<ChallengeStatus> parse_challenge_status(std::string_view s);
// draft → open → closed → archived; a closed challenge may be reopened.
bool can_move(ChallengeStatus from, ChallengeStatus to);

enum class VotingModel { up, updown };
std::string_view to_string(VotingModel m);

struct VotingRule {
  VotingModel model = VotingModel::up;
  std::optional<int> votes_per_user;  // a budget across the challenge; nullopt: unlimited
};

struct ForwardRule {
  int top_n = 0;
  int min_votes = 0;
  std::optional<std::int64_t> workshop_id;
};

struct ChallengeCounts {
  std::int64_t ideas = 0;
  std::int64_t comments = 0;
  std::int64_t votes = 0;
  std::int64_t participants = 0;
};

struct Challenge {
  std::int64_t id = 0;
  std::string title;
  std::string brief;
  std::vector<std::int64_t> principle_ids;
  ChallengeStatus status = ChallengeStatus::draft;
  std::optional<std::string> opens_at;
  std::optional<std::string> closes_at;
  VotingRule voting;
  ForwardRule forward;
  std::optional<std::int64_t> parent_idea_id;
  std::int64_t created_by = 0;
  std::string created_at;
  std::string updated_at;
  ChallengeCounts counts;
};

// A create or a partial update: absent fields are left as they are.
struct ChallengePatch {
  std::optional<std::string> title;
  std::optional<std::string> brief;
  std::optional<std::vector<std::int64_t>> principle_ids;
  std::optional<ChallengeStatus> status;
  std::optional<std::optional<std::string>> opens_at;   // set to null clears it
  std::optional<std::optional<std::string>> closes_at;
  std::optional<VotingRule> voting;
  std::optional<ForwardRule> forward;
  std::optional<std::optional<std::int64_t>> parent_idea_id;
};

// The limits of a challenge's rules, checked on a challenge and on the settings that give
// new challenges their defaults (domain/settings.cpp). Throw validation_failed naming `field`.
void validate_voting_rule(const VotingRule& v, const std::string& field);
void validate_forward_rule(const ForwardRule& f, const std::string& field);

// Applies `patch` to `c` and checks the result (lengths, principles 1..5, dates, rules).
// Throws validation_failed naming the field. Status moves are checked by the caller.
void apply_and_validate(Challenge& c, const ChallengePatch& patch);

}  // namespace cc::domain
