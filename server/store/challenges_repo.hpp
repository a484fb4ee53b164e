#pragma once
#include <optional>
#include <vector>

#include "domain/challenge.hpp"
#include "store/connection.hpp"

namespace cc::store {

std::optional<domain::Challenge> find_challenge(Connection& c, std::int64_t id);
// Only its status, without copying the challenge's text.
std::optional<domain::ChallengeStatus> find_challenge_status(Connection& c, std::int64_t id);

// What deciding a vote needs of a challenge, and no more: votes are the busiest write and
// all writes share one thread, and the whole challenge (its brief, its principles) was
// a tenth of a vote there.
struct ChallengeVoting {
  domain::ChallengeStatus status = domain::ChallengeStatus::draft;
  domain::VotingRule voting;
};
std::optional<ChallengeVoting> find_challenge_voting(Connection& c, std::int64_t id);
std::int64_t insert_challenge(Connection& c, const domain::Challenge& ch);
void update_challenge(Connection& c, const domain::Challenge& ch);

struct ChallengeFilter {
  std::optional<domain::ChallengeStatus> status;
  std::optional<std::int64_t> principle_id;
  bool include_drafts = false;
  std::int64_t before_id = 0;  // cursor: ids below this (0: from the newest)
  int limit = 20;
};
std::vector<domain::Challenge> list_challenges(Connection& c, const ChallengeFilter& f);

// Open challenges whose closes_at has passed, drafts whose opens_at has passed.
std::vector<std::int64_t> challenges_due_to_close(Connection& c, const std::string& now);
std::vector<std::int64_t> challenges_due_to_open(Connection& c, const std::string& now);

// Records a contribution; counts the user as a participant the first time.
void add_participant(Connection& c, std::int64_t challenge_id, std::int64_t user_id, const std::string& now);
// Adds deltas to the challenge's counters.
void bump_challenge_counts(Connection& c, std::int64_t challenge_id, int ideas, int comments, int votes);

}  // namespace cc::store
