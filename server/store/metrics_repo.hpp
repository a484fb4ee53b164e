#pragma once
// Reads for impact measurement (SPEC §4, Metrics) and the ideas export. Each returns
// compact facts; the service turns them into figures. Call them inside one ReadTx so the
// figures of one answer come from one snapshot.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/connection.hpp"

namespace cc::store {

// One person who has taken part in a challenge (challenge_participants: an idea, a
// comment or a vote, even if later withdrawn), with their votes there now.
struct ParticipantFact {
  std::int64_t user_id = 0;
  std::string profession;
  std::string organisation;
  std::string first_date;  // UTC day of their first contribution, "YYYY-MM-DD"
  std::int64_t votes = 0;
};
std::vector<ParticipantFact> participant_facts(Connection& c, std::int64_t challenge_id);

// Every idea of a challenge (merged ones too).
struct IdeaFact {
  std::int64_t author_id = 0;
  std::string status;
  std::string date;  // UTC day it was created
};
std::vector<IdeaFact> idea_facts(Connection& c, std::int64_t challenge_id);

// Every comment on the challenge's ideas that is not deleted (hidden ones count).
struct CommentFact {
  std::int64_t author_id = 0;
  std::string date;
};
std::vector<CommentFact> comment_facts(Connection& c, std::int64_t challenge_id);

// Votes standing now, by the UTC day they were first cast, in date order.
std::vector<std::pair<std::string, std::int64_t>> votes_by_day(Connection& c, std::int64_t challenge_id);

// A person's profession and organisation (for contributions by someone missing from
// challenge_participants, which the services never leave behind).
std::optional<std::pair<std::string, std::string>> profession_of(Connection& c, std::int64_t user_id);

// Per principle: challenges linked (any status), how many are open, and the ideas,
// comments and votes they hold (their counters) and distinct participants.
struct PrincipleFact {
  std::int64_t principle_id = 0;
  std::int64_t challenges = 0;
  std::int64_t open_challenges = 0;
  std::int64_t ideas = 0;
  std::int64_t comments = 0;
  std::int64_t votes = 0;
  std::int64_t participants = 0;
};
std::vector<PrincipleFact> principle_facts(Connection& c);
// Distinct people who have taken part in any challenge.
std::int64_t distinct_participants(Connection& c);

// Seconds from each idea's creation to its first status change (the second entry of its
// history), for ideas that have had one; with the challenge id. And how many wait still.
struct WaitFact {
  std::int64_t challenge_id = 0;
  double seconds = 0;
};
std::vector<WaitFact> first_change_waits(Connection& c);
std::vector<std::pair<std::int64_t, std::int64_t>> ideas_waiting_by_challenge(Connection& c);

// The rows of the ideas export: every idea of the challenge in id order, with its author's
// profession but never their name.
struct ExportRow {
  std::int64_t id = 0;
  std::string title;
  std::string body;
  std::string tags;  // JSON array text
  std::string status;
  std::string status_note;
  std::int64_t score = 0;
  std::int64_t up = 0;
  std::int64_t down = 0;
  std::int64_t comments = 0;
  std::string profession;
  bool anonymous = false;
  bool hidden = false;
  std::optional<std::int64_t> merged_into_id;
  std::string created_at;
  std::string updated_at;
};
std::vector<ExportRow> export_rows(Connection& c, std::int64_t challenge_id);

}  // namespace cc::store
