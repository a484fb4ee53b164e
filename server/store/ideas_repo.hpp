#pragma once
// Ideas, their history and votes. Counters (up, down, score, comment_count) are kept in
// the same transaction as the rows they count.
#include <memory>
#include <optional>
#include <vector>

#include "domain/idea.hpp"
#include "domain/ranking.hpp"
#include "store/connection.hpp"
#include "store/idea_standings.hpp"

namespace cc::store {

// Reads an idea; `viewer` fills my_vote (0 for none).
std::optional<domain::Idea> find_idea(Connection& c, std::int64_t id, std::int64_t viewer = 0);
// The idea's counts and `viewer`'s vote on it, in one statement.
std::optional<domain::IdeaTally> find_idea_tally(Connection& c, std::int64_t id, std::int64_t viewer);
// An idea of a list: its row as read at the reader's snapshot, shared with the thread's
// rows kept at that snapshot rather than copied (its my_vote is 0), and the viewer's vote.
struct ListedIdea {
  std::shared_ptr<const domain::Idea> idea;
  int my_vote = 0;
};
// Reads several ideas in the order of `ids` (missing ones are skipped).
std::vector<ListedIdea> find_ideas(Connection& c, const std::vector<std::int64_t>& ids, std::int64_t viewer);

std::int64_t insert_idea(Connection& c, std::int64_t challenge_id, std::int64_t author_id, const domain::NewIdea& idea,
                         std::int64_t now_ts, const std::string& now);
void update_idea_text(Connection& c, std::int64_t id, const std::string& title, const std::string& body,
                      const std::vector<std::string>& tags, const std::string& now);
void set_idea_status(Connection& c, std::int64_t id, domain::IdeaStatus status, const std::string& note,
                     std::optional<std::int64_t> merged_into, std::int64_t now_ts, const std::string& now);
void set_idea_hidden(Connection& c, std::int64_t id, bool hidden, const std::optional<std::string>& reason);
void add_history(Connection& c, std::int64_t idea_id, const std::string& status, const std::string& note,
                 std::optional<std::int64_t> by, const std::string& at);
std::vector<domain::HistoryEntry> idea_history(Connection& c, std::int64_t idea_id);
std::vector<domain::IdeaWorkshop> idea_workshops(Connection& c, std::int64_t idea_id);

// Ranked lists (top, trending, discussed) come from the ideas' standings, kept in
// memory: store/idea_standings.hpp, which also defines IdeaListFilter.
// Newest first, below `before_id` (0: from the newest): ids never change, so a keyset is exact.
std::vector<std::int64_t> newest_idea_ids(Connection& c, const IdeaListFilter& f, std::int64_t before_id, int limit);

// Votes.
std::int64_t votes_in_challenge(Connection& c, std::int64_t user_id, std::int64_t challenge_id);
// Moves the user's vote from `old` (their current one, 0 for none) to `value` (0 deletes
// it) and updates the idea's counters.
void put_vote(Connection& c, std::int64_t user_id, const domain::IdeaTally& idea, int old, int value, const std::string& now);
void recount_idea(Connection& c, std::int64_t idea_id);
// Users who voted on an idea.
std::vector<std::int64_t> idea_voters(Connection& c, std::int64_t idea_id);

// Merge: moves votes (keeping one per person) and comments from `from` to `into`.
void merge_idea_contributions(Connection& c, std::int64_t from, std::int64_t into);
// Ideas merged earlier into `from` are re-pointed at `into`, where their votes and
// comments now are; returns their ids.
std::vector<std::int64_t> repoint_merged_ideas(Connection& c, std::int64_t from, std::int64_t into);
void unmerge_idea_contributions(Connection& c, std::int64_t from, std::int64_t into);

}  // namespace cc::store
