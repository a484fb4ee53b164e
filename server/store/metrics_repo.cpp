#include "store/metrics_repo.hpp"

#include "domain/metrics.hpp"

namespace cc::store {

std::vector<ParticipantFact> participant_facts(Connection& c, std::int64_t challenge_id) {
  // Votes per participant through votes_by_user_challenge: an index range per person.
  auto st = c.prepare(
      "SELECT p.user_id, u.profession, u.organisation, substr(p.first_at, 1, 10), "
      "(SELECT count(*) FROM votes v WHERE v.user_id = p.user_id AND v.challenge_id = p.challenge_id) "
      "FROM challenge_participants p JOIN users u ON u.id = p.user_id WHERE p.challenge_id = ?");
  st->bind(1, challenge_id);
  std::vector<ParticipantFact> out;
  while (st->executeStep())
    out.push_back({st->getColumn(0).getInt64(), st->getColumn(1).getString(), st->getColumn(2).getString(),
                   st->getColumn(3).getString(), st->getColumn(4).getInt64()});
  return out;
}

std::vector<IdeaFact> idea_facts(Connection& c, std::int64_t challenge_id) {
  auto st = c.prepare("SELECT author_id, status, substr(created_at, 1, 10) FROM ideas WHERE challenge_id = ?");
  st->bind(1, challenge_id);
  std::vector<IdeaFact> out;
  while (st->executeStep())
    out.push_back({st->getColumn(0).getInt64(), st->getColumn(1).getString(), st->getColumn(2).getString()});
  return out;
}

std::vector<CommentFact> comment_facts(Connection& c, std::int64_t challenge_id) {
  auto st = c.prepare(
      "SELECT cm.author_id, substr(cm.created_at, 1, 10) FROM ideas i JOIN comments cm ON cm.idea_id = i.id "
      "WHERE i.challenge_id = ? AND cm.state <> 'deleted'");
  st->bind(1, challenge_id);
  std::vector<CommentFact> out;
  while (st->executeStep()) out.push_back({st->getColumn(0).getInt64(), st->getColumn(1).getString()});
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> votes_by_day(Connection& c, std::int64_t challenge_id) {
  // Each day is a range of votes_by_challenge_time (sql/0003), counted inside SQLite
  // without touching the table: the first and last vote, then one count per day between.
  std::vector<std::pair<std::string, std::int64_t>> out;
  auto edge = [&](const char* sql) -> std::optional<std::string> {
    auto st = c.prepare(sql);
    st->bind(1, challenge_id);
    if (!st->executeStep()) return std::nullopt;
    return st->getColumn(0).getString().substr(0, 10);
  };
  auto first = edge("SELECT created_at FROM votes WHERE challenge_id = ? ORDER BY created_at LIMIT 1");
  auto last = edge("SELECT created_at FROM votes WHERE challenge_id = ? ORDER BY created_at DESC LIMIT 1");
  if (!first || !last) return out;
  auto days = domain::date_range(*first, *last);
  if (days.empty()) {
    // Malformed times (never written by the services): one group of everything.
    auto st = c.prepare("SELECT count(*) FROM votes WHERE challenge_id = ?");
    st->bind(1, challenge_id);
    if (st->executeStep() && st->getColumn(0).getInt64() > 0) out.emplace_back(*first, st->getColumn(0).getInt64());
    return out;
  }
  auto st = c.prepare("SELECT count(*) FROM votes WHERE challenge_id = ?1 AND created_at >= ?2 AND created_at < ?3");
  for (std::size_t i = 0; i < days.size(); ++i) {
    // Times are RFC 3339 text: every time of day D sorts at or after "D" and before "D+1".
    // The day after the last is "last" followed by a character above any time's.
    std::string next = i + 1 < days.size() ? days[i + 1] : days[i] + "\x7f";
    st->bind(1, challenge_id);
    st->bind(2, days[i]);
    st->bind(3, next);
    std::int64_t n = 0;
    if (st->executeStep()) n = st->getColumn(0).getInt64();
    st->reset();
    st->clearBindings();
    if (n > 0) out.emplace_back(days[i], n);
  }
  return out;
}

std::optional<std::pair<std::string, std::string>> profession_of(Connection& c, std::int64_t user_id) {
  auto st = c.prepare("SELECT profession, organisation FROM users WHERE id = ?");
  st->bind(1, user_id);
  if (!st->executeStep()) return std::nullopt;
  return std::make_pair(st->getColumn(0).getString(), st->getColumn(1).getString());
}

std::vector<PrincipleFact> principle_facts(Connection& c) {
  auto st = c.prepare(
      "SELECT p.id, count(ch.id), coalesce(sum(ch.status = 'open'), 0), coalesce(sum(ch.idea_count), 0), "
      "coalesce(sum(ch.comment_count), 0), coalesce(sum(ch.vote_count), 0), "
      "(SELECT count(DISTINCT cp2.user_id) FROM challenge_principles l2 "
      " JOIN challenge_participants cp2 ON cp2.challenge_id = l2.challenge_id WHERE l2.principle_id = p.id) "
      "FROM principles p LEFT JOIN challenge_principles l ON l.principle_id = p.id "
      "LEFT JOIN challenges ch ON ch.id = l.challenge_id GROUP BY p.id ORDER BY p.id");
  std::vector<PrincipleFact> out;
  while (st->executeStep())
    out.push_back({st->getColumn(0).getInt64(), st->getColumn(1).getInt64(), st->getColumn(2).getInt64(),
                   st->getColumn(3).getInt64(), st->getColumn(4).getInt64(), st->getColumn(5).getInt64(),
                   st->getColumn(6).getInt64()});
  return out;
}

std::int64_t distinct_participants(Connection& c) {
  return c.scalar_int("SELECT count(DISTINCT user_id) FROM challenge_participants");
}

std::vector<WaitFact> first_change_waits(Connection& c) {
  // The instants the API shows (created_at and the history's `at`), so anyone can check them.
  auto st = c.prepare(
      "SELECT i.challenge_id, unixepoch((SELECT h.at FROM idea_history h WHERE h.idea_id = i.id ORDER BY h.id "
      "LIMIT 1 OFFSET 1)) - unixepoch(i.created_at), i.first_status_change_ts - i.created_ts "
      "FROM ideas i WHERE i.first_status_change_ts IS NOT NULL");
  std::vector<WaitFact> out;
  while (st->executeStep()) {
    double s = st->getColumn(1).isNull() ? st->getColumn(2).getDouble() : st->getColumn(1).getDouble();
    out.push_back({st->getColumn(0).getInt64(), s});
  }
  return out;
}

std::vector<std::pair<std::int64_t, std::int64_t>> ideas_waiting_by_challenge(Connection& c) {
  auto st = c.prepare(
      "SELECT challenge_id, count(*) FROM ideas WHERE first_status_change_ts IS NULL GROUP BY challenge_id");
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  while (st->executeStep()) out.emplace_back(st->getColumn(0).getInt64(), st->getColumn(1).getInt64());
  return out;
}

std::vector<ExportRow> export_rows(Connection& c, std::int64_t challenge_id) {
  auto st = c.prepare(
      "SELECT i.id, i.title, i.body, i.tags, i.status, coalesce(i.status_note, ''), i.score, i.up_votes, i.down_votes, "
      "i.comment_count, u.profession, i.anonymous, i.hidden, i.merged_into_id, i.created_at, i.updated_at "
      "FROM ideas i JOIN users u ON u.id = i.author_id WHERE i.challenge_id = ? ORDER BY i.id");
  st->bind(1, challenge_id);
  std::vector<ExportRow> out;
  while (st->executeStep()) {
    ExportRow r;
    r.id = st->getColumn(0).getInt64();
    r.title = st->getColumn(1).getString();
    r.body = st->getColumn(2).getString();
    r.tags = st->getColumn(3).getString();
    r.status = st->getColumn(4).getString();
    r.status_note = st->getColumn(5).getString();
    r.score = st->getColumn(6).getInt64();
    r.up = st->getColumn(7).getInt64();
    r.down = st->getColumn(8).getInt64();
    r.comments = st->getColumn(9).getInt64();
    r.profession = st->getColumn(10).getString();
    r.anonymous = st->getColumn(11).getInt() != 0;
    r.hidden = st->getColumn(12).getInt() != 0;
    if (!st->getColumn(13).isNull()) r.merged_into_id = st->getColumn(13).getInt64();
    r.created_at = st->getColumn(14).getString();
    r.updated_at = st->getColumn(15).getString();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace cc::store
