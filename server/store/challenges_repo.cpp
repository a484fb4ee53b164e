#include "store/challenges_repo.hpp"

#include <algorithm>

#include "store/snapshot_cache.hpp"

namespace cc::store {
namespace {

const char* kChallengeColumns =
    "c.id, c.title, c.brief, c.status, c.opens_at, c.closes_at, c.voting_model, c.votes_per_user, c.forward_top_n, "
    "c.forward_min_votes, c.forward_workshop_id, c.parent_idea_id, c.created_by, c.created_at, c.updated_at, "
    "c.idea_count, c.comment_count, c.vote_count, c.participant_count, "
    "(SELECT group_concat(principle_id) FROM challenge_principles p WHERE p.challenge_id = c.id)";

std::optional<std::string> opt_text(SQLite::Statement& st, int i) {
  if (st.getColumn(i).isNull()) return std::nullopt;
  return st.getColumn(i).getString();
}
std::optional<std::int64_t> opt_int(SQLite::Statement& st, int i) {
  if (st.getColumn(i).isNull()) return std::nullopt;
  return st.getColumn(i).getInt64();
}

// The voting rule from its two columns, the model at `i` and the budget next to it.
domain::VotingRule voting_rule(SQLite::Statement& st, int i) {
  domain::VotingRule r;
  r.model = st.getColumn(i).getString() == "updown" ? domain::VotingModel::updown : domain::VotingModel::up;
  if (auto v = opt_int(st, i + 1)) r.votes_per_user = static_cast<int>(*v);
  return r;
}

domain::Challenge read_challenge(SQLite::Statement& st) {
  domain::Challenge c;
  c.id = st.getColumn(0).getInt64();
  c.title = st.getColumn(1).getString();
  c.brief = st.getColumn(2).getString();
  c.status = domain::parse_challenge_status(st.getColumn(3).getString()).value_or(domain::ChallengeStatus::draft);
  c.opens_at = opt_text(st, 4);
  c.closes_at = opt_text(st, 5);
  c.voting = voting_rule(st, 6);
  c.forward.top_n = st.getColumn(8).isNull() ? 0 : st.getColumn(8).getInt();
  c.forward.min_votes = st.getColumn(9).isNull() ? 0 : st.getColumn(9).getInt();
  c.forward.workshop_id = opt_int(st, 10);
  c.parent_idea_id = opt_int(st, 11);
  c.created_by = st.getColumn(12).isNull() ? 0 : st.getColumn(12).getInt64();
  c.created_at = st.getColumn(13).getString();
  c.updated_at = st.getColumn(14).getString();
  c.counts.ideas = st.getColumn(15).getInt64();
  c.counts.comments = st.getColumn(16).getInt64();
  c.counts.votes = st.getColumn(17).getInt64();
  c.counts.participants = st.getColumn(18).getInt64();
  std::string ids = st.getColumn(19).isNull() ? "" : st.getColumn(19).getString();
  std::size_t i = 0;
  while (i < ids.size()) {
    auto j = ids.find(',', i);
    if (j == std::string::npos) j = ids.size();
    c.principle_ids.push_back(std::stoll(ids.substr(i, j - i)));
    i = j + 1;
  }
  std::sort(c.principle_ids.begin(), c.principle_ids.end());
  return c;
}

void bind_fields(SQLite::Statement& st, const domain::Challenge& ch) {
  st.bind(1, ch.title);
  st.bind(2, ch.brief);
  st.bind(3, std::string(domain::to_string(ch.status)));
  if (ch.opens_at) st.bind(4, *ch.opens_at); else st.bind(4);
  if (ch.closes_at) st.bind(5, *ch.closes_at); else st.bind(5);
  st.bind(6, std::string(domain::to_string(ch.voting.model)));
  if (ch.voting.votes_per_user) st.bind(7, *ch.voting.votes_per_user); else st.bind(7);
  st.bind(8, ch.forward.top_n);
  st.bind(9, ch.forward.min_votes);
  if (ch.forward.workshop_id) st.bind(10, *ch.forward.workshop_id); else st.bind(10);
  if (ch.parent_idea_id) st.bind(11, *ch.parent_idea_id); else st.bind(11);
  st.bind(12, ch.updated_at);
}

void write_principles(Connection& c, const domain::Challenge& ch) {
  auto del = c.prepare("DELETE FROM challenge_principles WHERE challenge_id = ?");
  del->bind(1, ch.id);
  del->exec();
  for (auto pid : ch.principle_ids) {
    auto ins = c.prepare("INSERT INTO challenge_principles(challenge_id, principle_id) VALUES (?, ?)");
    ins->bind(1, ch.id);
    ins->bind(2, pid);
    ins->exec();
  }
}

}  // namespace

// Challenges as read at the thread's current snapshot: every read of an idea checks its
// challenge (is it a draft?), and a care system has tens or hundreds of them.
static thread_local SnapshotCache<std::int64_t, domain::Challenge, 1024> t_challenges;

namespace {

// The challenge's row as kept at the reader's snapshot, or in `scratch` when the
// connection keeps nothing (no snapshot); null when there is no such challenge.
const domain::Challenge* challenge_row(Connection& c, std::int64_t id, std::optional<domain::Challenge>& scratch) {
  const auto snapshot = c.snapshot();
  if (const auto* kept = t_challenges.find(snapshot, id)) return kept;
  static const std::string sql = std::string("SELECT ") + kChallengeColumns + " FROM challenges c WHERE c.id = ?";
  auto st = c.prepare(sql);
  st->bind(1, id);
  if (!st->executeStep()) return nullptr;
  if (snapshot == 0) return &scratch.emplace(read_challenge(*st));
  return t_challenges.put(snapshot, id, read_challenge(*st));
}

}  // namespace

std::optional<domain::Challenge> find_challenge(Connection& c, std::int64_t id) {
  std::optional<domain::Challenge> scratch;
  const auto* row = challenge_row(c, id, scratch);
  if (!row) return std::nullopt;
  return *row;
}

std::optional<domain::ChallengeStatus> find_challenge_status(Connection& c, std::int64_t id) {
  std::optional<domain::Challenge> scratch;
  const auto* row = challenge_row(c, id, scratch);
  if (!row) return std::nullopt;
  return row->status;
}

std::optional<ChallengeVoting> find_challenge_voting(Connection& c, std::int64_t id) {
  auto st = c.prepare("SELECT status, voting_model, votes_per_user FROM challenges WHERE id = ?");
  st->bind(1, id);
  if (!st->executeStep()) return std::nullopt;
  ChallengeVoting v;
  v.status = domain::parse_challenge_status(st->getColumn(0).getString()).value_or(domain::ChallengeStatus::draft);
  v.voting = voting_rule(*st, 1);
  return v;
}

std::int64_t insert_challenge(Connection& c, const domain::Challenge& ch) {
  auto st = c.prepare(
      "INSERT INTO challenges(title, brief, status, opens_at, closes_at, voting_model, votes_per_user, forward_top_n, "
      "forward_min_votes, forward_workshop_id, parent_idea_id, updated_at, created_by, created_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  bind_fields(*st, ch);
  if (ch.created_by) st->bind(13, ch.created_by); else st->bind(13);  // 0: made by the admin CLI, no user
  st->bind(14, ch.created_at);
  st->exec();
  auto copy = ch;
  copy.id = c.last_insert_id();
  write_principles(c, copy);
  return copy.id;
}

void update_challenge(Connection& c, const domain::Challenge& ch) {
  auto st = c.prepare(
      "UPDATE challenges SET title = ?, brief = ?, status = ?, opens_at = ?, closes_at = ?, voting_model = ?, "
      "votes_per_user = ?, forward_top_n = ?, forward_min_votes = ?, forward_workshop_id = ?, parent_idea_id = ?, "
      "updated_at = ? WHERE id = ?");
  bind_fields(*st, ch);
  st->bind(13, ch.id);
  st->exec();
  write_principles(c, ch);
}

std::vector<domain::Challenge> list_challenges(Connection& c, const ChallengeFilter& f) {
  std::string sql = std::string("SELECT ") + kChallengeColumns + " FROM challenges c WHERE c.id < ?1";
  if (f.status) sql += " AND c.status = ?2";
  else if (!f.include_drafts) sql += " AND c.status <> 'draft'";
  if (f.status && *f.status == domain::ChallengeStatus::draft && !f.include_drafts) sql += " AND 0";
  if (f.principle_id)
    sql += " AND EXISTS (SELECT 1 FROM challenge_principles p WHERE p.challenge_id = c.id AND p.principle_id = ?3)";
  sql += " ORDER BY c.id DESC LIMIT ?4";
  auto st = c.prepare(sql);
  st->bind(1, f.before_id > 0 ? f.before_id : INT64_MAX);
  if (f.status) st->bind(2, std::string(domain::to_string(*f.status)));
  if (f.principle_id) st->bind(3, *f.principle_id);
  st->bind(4, f.limit);
  std::vector<domain::Challenge> out;
  while (st->executeStep()) out.push_back(read_challenge(*st));
  return out;
}

std::vector<std::int64_t> challenges_due_to_close(Connection& c, const std::string& now) {
  auto st = c.prepare("SELECT id FROM challenges WHERE status = 'open' AND closes_at IS NOT NULL AND closes_at <= ?");
  st->bind(1, now);
  std::vector<std::int64_t> out;
  while (st->executeStep()) out.push_back(st->getColumn(0).getInt64());
  return out;
}

std::vector<std::int64_t> challenges_due_to_open(Connection& c, const std::string& now) {
  auto st = c.prepare("SELECT id FROM challenges WHERE status = 'draft' AND opens_at IS NOT NULL AND opens_at <= ? "
                      "AND (closes_at IS NULL OR closes_at > ?)");
  st->bind(1, now);
  st->bind(2, now);
  std::vector<std::int64_t> out;
  while (st->executeStep()) out.push_back(st->getColumn(0).getInt64());
  return out;
}

void add_participant(Connection& c, std::int64_t challenge_id, std::int64_t user_id, const std::string& now) {
  auto st = c.prepare("INSERT OR IGNORE INTO challenge_participants(challenge_id, user_id, first_at) VALUES (?,?,?)");
  st->bind(1, challenge_id);
  st->bind(2, user_id);
  st->bind(3, now);
  if (st->exec() == 1) {
    auto up = c.prepare("UPDATE challenges SET participant_count = participant_count + 1 WHERE id = ?");
    up->bind(1, challenge_id);
    up->exec();
  }
}

void bump_challenge_counts(Connection& c, std::int64_t challenge_id, int ideas, int comments, int votes) {
  auto st = c.prepare("UPDATE challenges SET idea_count = idea_count + ?, comment_count = comment_count + ?, "
                      "vote_count = vote_count + ? WHERE id = ?");
  st->bind(1, ideas);
  st->bind(2, comments);
  st->bind(3, votes);
  st->bind(4, challenge_id);
  st->exec();
}

}  // namespace cc::store
