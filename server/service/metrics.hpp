#pragma once
// Impact measurement (SPEC §4, Metrics; issue 8): who took part in a challenge, by
// profession against the workforce baseline and by organisation, day by day, where its
// ideas are in the pipeline, how evenly the professions were heard; coverage of the five
// principles; and the ideas export as CSV or JSON. Used by the API and by the admin CLI
// (`stats`, `export ideas`), so both print the same figures.
//
// What counts (the same rules as a challenge's `counts`):
// - participants: everyone who has contributed to the challenge (an idea, a comment or a
//   vote), counted once, even if the vote was later withdrawn; a person's day in `daily`
//   is the day of their first contribution, so the days add up to the total.
// - ideas: every idea except merged ones. A merged idea lives on in the idea it joined:
//   its votes and comments moved there (one vote per person survives) and are counted
//   there; it still appears in `funnel.merged`, and its author is still a participant.
//   Ideas hidden by moderation count (they were contributed).
// - comments: every comment that is not deleted (hidden ones count).
// - votes: the votes standing now (a withdrawn vote does not count; up and down both do).
// - anonymous contributions count like any other, and no figure names anyone.
// - days are UTC calendar days; `daily` runs from the first to the last active day with
//   no gaps (days without activity show zeros).
// - share = participants of a profession ÷ all participants; baseline_share from the
//   setting workforce.baseline; representation = share ÷ baseline_share; each is null
//   when it is undefined (no participants, no baseline for the profession, a baseline
//   of 0), never a division by zero.
// - diversity.evenness: Shannon entropy of participants by profession ÷ ln(k) for the k
//   professions taking part (Pielou's evenness); 0 when only one profession takes part,
//   null when nobody does. under_represented: professions whose representation is below
//   0.5 (in name order), which includes professions with a baseline share and nobody
//   taking part.
#include <nlohmann/json.hpp>
#include <string>

#include "service/settings.hpp"
#include "store/store.hpp"

namespace cc::service {

class ImpactMetrics {
public:
  ImpactMetrics(store::Store& store, Settings& settings) : store_(store), settings_(settings) {}

  // GET /metrics/challenges/{id}. Throws not_found.
  nlohmann::json challenge(std::int64_t challenge_id);
  // GET /metrics/overview.
  nlohmann::json overview();
  // GET /export/challenges/{id}.csv: every idea of the challenge (merged and hidden ones
  // too, marked so) with its votes, comments, status and author's profession; never a
  // name. Throws not_found.
  std::string ideas_csv(std::int64_t challenge_id);
  // The same rows as JSON: {"challenge": {...}, "ideas": [...]}.
  nlohmann::json ideas_json(std::int64_t challenge_id);

private:
  store::Store& store_;
  Settings& settings_;
};

}  // namespace cc::service
