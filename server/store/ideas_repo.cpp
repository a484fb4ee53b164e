#include "store/ideas_repo.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <memory>

#include "store/snapshot_cache.hpp"

namespace cc::store {
namespace {

const char* kIdeaColumns =
    "i.id, i.challenge_id, i.author_id, u.display_name, u.profession, i.title, i.body, i.tags, i.anonymous, i.status, "
    "i.status_note, i.merged_into_id, i.hidden, i.up_votes, i.down_votes, i.score, i.comment_count, i.created_ts, "
    "i.created_at, i.updated_at, 0";  // the viewer's vote is read apart (find_idea, find_ideas)

domain::Idea read_idea(SQLite::Statement& st) {
  domain::Idea i;
  i.id = st.getColumn(0).getInt64();
  i.challenge_id = st.getColumn(1).getInt64();
  i.author.id = st.getColumn(2).getInt64();
  i.author.display_name = st.getColumn(3).getString();
  i.author.profession = st.getColumn(4).getString();
  i.title = st.getColumn(5).getString();
  i.body = st.getColumn(6).getString();
  auto tags = nlohmann::json::parse(st.getColumn(7).getString(), nullptr, false);
  if (tags.is_array())
    for (auto& t : tags)
      if (t.is_string()) i.tags.push_back(t.get<std::string>());
  i.anonymous = st.getColumn(8).getInt() != 0;
  i.status = domain::parse_idea_status(st.getColumn(9).getString()).value_or(domain::IdeaStatus::new_);
  if (!st.getColumn(10).isNull()) i.status_note = st.getColumn(10).getString();
  if (!st.getColumn(11).isNull()) i.merged_into_id = st.getColumn(11).getInt64();
  i.hidden = st.getColumn(12).getInt() != 0;
  i.up = st.getColumn(13).getInt64();
  i.down = st.getColumn(14).getInt64();
  i.score = st.getColumn(15).getInt64();
  i.comment_count = st.getColumn(16).getInt64();
  i.created_ts = st.getColumn(17).getInt64();
  i.created_at = st.getColumn(18).getString();
  i.updated_at = st.getColumn(19).getString();
  i.my_vote = st.getColumn(20).getInt();
  return i;
}

std::string tags_json(const std::vector<std::string>& tags) { return nlohmann::json(tags).dump(); }
std::string tags_text(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) out += (out.empty() ? "" : " ") + t;
  return out;
}

std::string filter_sql(const IdeaListFilter& f) {
  std::string sql = " WHERE i.challenge_id = ?1";
  sql += f.status ? " AND i.status = ?2" : " AND i.status <> 'merged'";
  if (!f.include_hidden) sql += " AND i.hidden = 0";
  if (f.author_id) sql += " AND i.author_id = ?3";
  return sql;
}

void bind_filter(SQLite::Statement& st, const IdeaListFilter& f) {
  st.bind(1, f.challenge_id);
  if (f.status) st.bind(2, std::string(domain::to_string(*f.status)));
  if (f.author_id) st.bind(3, *f.author_id);
}

}  // namespace

// Ideas as read at the thread's current snapshot, without the reader's vote: a page of
// twenty ideas was twenty joins, half of the request. 4,096 ideas are about 4 MB a thread.
// Shared, so that a page takes them without copying their text.
static thread_local SnapshotCache<std::int64_t, std::shared_ptr<const domain::Idea>, 4096> t_ideas;

namespace {

// The idea with its author, without the viewer's vote (my_vote 0): kept at the snapshot.
std::shared_ptr<const domain::Idea> idea_row(Connection& c, std::int64_t id) {
  const auto snapshot = c.snapshot();
  if (const auto* kept = t_ideas.find(snapshot, id)) return *kept;
  static const std::string sql = std::string("SELECT ") + kIdeaColumns +
                                 " FROM ideas i JOIN users u ON u.id = i.author_id WHERE i.id = ?1";
  auto st = c.prepare(sql);
  st->bind(1, id);
  if (!st->executeStep()) return nullptr;
  auto idea = std::make_shared<const domain::Idea>(read_idea(*st));
  t_ideas.put(snapshot, id, idea);
  return idea;
}

}  // namespace

std::optional<domain::Idea> find_idea(Connection& c, std::int64_t id, std::int64_t viewer) {
  auto row = idea_row(c, id);
  if (!row) return std::nullopt;
  std::optional<domain::Idea> idea(*row);
  if (viewer != 0) {
    static const std::string sql = "SELECT value FROM votes WHERE user_id = ?1 AND idea_id = ?2";
    auto st = c.prepare(sql);
    st->bind(1, viewer);
    st->bind(2, id);
    if (st->executeStep()) idea->my_vote = st->getColumn(0).getInt();
  }
  return idea;
}

std::optional<domain::IdeaTally> find_idea_tally(Connection& c, std::int64_t id, std::int64_t viewer) {
  static const std::string sql =
      "SELECT i.challenge_id, i.author_id, i.status, i.hidden, i.up_votes, i.down_votes, i.score, "
      "coalesce((SELECT value FROM votes WHERE user_id = ?2 AND idea_id = ?1), 0) FROM ideas i WHERE i.id = ?1";
  auto st = c.prepare(sql);
  st->bind(1, id);
  st->bind(2, viewer);
  if (!st->executeStep()) return std::nullopt;
  domain::IdeaTally t;
  t.id = id;
  t.challenge_id = st->getColumn(0).getInt64();
  t.author_id = st->getColumn(1).getInt64();
  t.status = domain::parse_idea_status(st->getColumn(2).getString()).value_or(domain::IdeaStatus::new_);
  t.hidden = st->getColumn(3).getInt() != 0;
  t.up = st->getColumn(4).getInt64();
  t.down = st->getColumn(5).getInt64();
  t.score = st->getColumn(6).getInt64();
  t.my_vote = st->getColumn(7).getInt();
  return t;
}

std::vector<ListedIdea> find_ideas(Connection& c, const std::vector<std::int64_t>& ids, std::int64_t viewer) {
  std::vector<ListedIdea> out;
  out.reserve(ids.size());
  for (auto id : ids)
    if (auto row = idea_row(c, id)) out.push_back({std::move(row), 0});
  if (viewer == 0 || out.empty()) return out;
  auto on_page = [&](std::int64_t id) -> ListedIdea* {
    for (auto& i : out)
      if (i.idea->id == id) return &i;
    return nullptr;
  };
  auto [lo, hi] = std::minmax_element(ids.begin(), ids.end());
  const auto challenge = out.front().idea->challenge_id;
  const bool one_challenge = out.size() > 1 && std::all_of(out.begin(), out.end(), [&](const ListedIdea& i) {
    return i.idea->challenge_id == challenge;
  });
  if (one_challenge) {
    // A page of a list: which of its ideas the viewer voted on, from the votes they cast
    // in its challenge (votes_by_user_challenge holds the idea: no row is read), then the
    // value of those alone. A challenge's ideas are spread among all the ideas, so the
    // range below held many votes on other challenges' ideas: the top list 1.07 x.
    static const std::string voted =
        "SELECT idea_id FROM votes INDEXED BY votes_by_user_challenge "
        "WHERE user_id = ?1 AND challenge_id = ?2 AND idea_id BETWEEN ?3 AND ?4";
    static const std::string value = "SELECT value FROM votes WHERE user_id = ?1 AND idea_id = ?2";
    std::vector<ListedIdea*> found;
    {
      auto st = c.prepare(voted);
      st->bind(1, viewer);
      st->bind(2, challenge);
      st->bind(3, *lo);
      st->bind(4, *hi);
      while (st->executeStep())
        if (auto* i = on_page(st->getColumn(0).getInt64())) found.push_back(i);
    }
    for (auto* i : found) {
      auto st = c.prepare(value);
      st->bind(1, viewer);
      st->bind(2, i->idea->id);
      if (st->executeStep()) i->my_vote = st->getColumn(0).getInt();
    }
    return out;
  }
  // The viewer's votes among these ideas in one range read of their own votes (the
  // primary key starts with the user), rather than one lookup an idea.
  static const std::string sql = "SELECT idea_id, value FROM votes WHERE user_id = ?1 AND idea_id BETWEEN ?2 AND ?3";
  auto st = c.prepare(sql);
  st->bind(1, viewer);
  st->bind(2, *lo);
  st->bind(3, *hi);
  while (st->executeStep())
    if (auto* i = on_page(st->getColumn(0).getInt64())) i->my_vote = st->getColumn(1).getInt();
  return out;
}

std::int64_t insert_idea(Connection& c, std::int64_t challenge_id, std::int64_t author_id, const domain::NewIdea& idea,
                         std::int64_t now_ts, const std::string& now) {
  auto st = c.prepare(
      "INSERT INTO ideas(challenge_id, author_id, title, body, tags, tags_text, anonymous, status, created_ts, "
      "created_at, updated_at) VALUES (?,?,?,?,?,?,?,'new',?,?,?)");
  st->bind(1, challenge_id);
  st->bind(2, author_id);
  st->bind(3, idea.title);
  st->bind(4, idea.body);
  st->bind(5, tags_json(idea.tags));
  st->bind(6, tags_text(idea.tags));
  st->bind(7, idea.anonymous ? 1 : 0);
  st->bind(8, now_ts);
  st->bind(9, now);
  st->bind(10, now);
  st->exec();
  return c.last_insert_id();
}

void update_idea_text(Connection& c, std::int64_t id, const std::string& title, const std::string& body,
                      const std::vector<std::string>& tags, const std::string& now) {
  auto st = c.prepare("UPDATE ideas SET title = ?, body = ?, tags = ?, tags_text = ?, updated_at = ? WHERE id = ?");
  st->bind(1, title);
  st->bind(2, body);
  st->bind(3, tags_json(tags));
  st->bind(4, tags_text(tags));
  st->bind(5, now);
  st->bind(6, id);
  st->exec();
}

void set_idea_status(Connection& c, std::int64_t id, domain::IdeaStatus status, const std::string& note,
                     std::optional<std::int64_t> merged_into, std::int64_t now_ts, const std::string& now) {
  auto st = c.prepare(
      "UPDATE ideas SET status = ?, status_note = ?, merged_into_id = ?, updated_at = ?, "
      "first_status_change_ts = coalesce(first_status_change_ts, ?) WHERE id = ?");
  st->bind(1, std::string(domain::to_string(status)));
  st->bind(2, note);
  if (merged_into) st->bind(3, *merged_into); else st->bind(3);
  st->bind(4, now);
  st->bind(5, now_ts);
  st->bind(6, id);
  st->exec();
}

void set_idea_hidden(Connection& c, std::int64_t id, bool hidden, const std::optional<std::string>& reason) {
  auto st = c.prepare("UPDATE ideas SET hidden = ?, hidden_reason = ? WHERE id = ?");
  st->bind(1, hidden ? 1 : 0);
  if (reason) st->bind(2, *reason); else st->bind(2);
  st->bind(3, id);
  st->exec();
}

void add_history(Connection& c, std::int64_t idea_id, const std::string& status, const std::string& note,
                 std::optional<std::int64_t> by, const std::string& at) {
  auto st = c.prepare("INSERT INTO idea_history(idea_id, status, note, by_user_id, at) VALUES (?,?,?,?,?)");
  st->bind(1, idea_id);
  st->bind(2, status);
  st->bind(3, note);
  if (by) st->bind(4, *by); else st->bind(4);
  st->bind(5, at);
  st->exec();
}

// An idea's journey and its workshops, kept at the snapshot like its row: opening an idea
// ran both queries on every request.
static thread_local SnapshotCache<std::int64_t, std::vector<domain::HistoryEntry>, 4096> t_history;
static thread_local SnapshotCache<std::int64_t, std::vector<domain::IdeaWorkshop>, 4096> t_workshops;

std::vector<domain::HistoryEntry> idea_history(Connection& c, std::int64_t idea_id) {
  const auto snapshot = c.snapshot();
  if (const auto* kept = t_history.find(snapshot, idea_id)) return *kept;
  auto st = c.prepare(
      "SELECT h.status, h.note, h.by_user_id, u.display_name, u.profession, h.at FROM idea_history h "
      "LEFT JOIN users u ON u.id = h.by_user_id WHERE h.idea_id = ? ORDER BY h.id");
  st->bind(1, idea_id);
  std::vector<domain::HistoryEntry> out;
  while (st->executeStep()) {
    domain::HistoryEntry e;
    e.status = st->getColumn(0).getString();
    e.note = st->getColumn(1).getString();
    if (!st->getColumn(2).isNull())
      e.by = domain::Author{st->getColumn(2).getInt64(), st->getColumn(3).getString(), st->getColumn(4).getString()};
    e.at = st->getColumn(5).getString();
    out.push_back(std::move(e));
  }
  t_history.put(snapshot, idea_id, out);
  return out;
}

std::vector<domain::IdeaWorkshop> idea_workshops(Connection& c, std::int64_t idea_id) {
  const auto snapshot = c.snapshot();
  if (const auto* kept = t_workshops.find(snapshot, idea_id)) return *kept;
  auto st = c.prepare(
      "SELECT w.id, w.title, wi.state FROM workshop_items wi JOIN workshops w ON w.id = wi.workshop_id "
      "WHERE wi.idea_id = ? ORDER BY wi.id");
  st->bind(1, idea_id);
  std::vector<domain::IdeaWorkshop> out;
  while (st->executeStep())
    out.push_back({st->getColumn(0).getInt64(), st->getColumn(1).getString(), st->getColumn(2).getString()});
  t_workshops.put(snapshot, idea_id, out);
  return out;
}

std::vector<std::int64_t> newest_idea_ids(Connection& c, const IdeaListFilter& f, std::int64_t before_id, int limit) {
  auto st = c.prepare("SELECT i.id FROM ideas i" + filter_sql(f) + " AND i.id < ?5 ORDER BY i.id DESC LIMIT ?4");
  bind_filter(*st, f);
  st->bind(4, limit);
  st->bind(5, before_id > 0 ? before_id : INT64_MAX);
  std::vector<std::int64_t> ids;
  while (st->executeStep()) ids.push_back(st->getColumn(0).getInt64());
  return ids;
}

std::int64_t votes_in_challenge(Connection& c, std::int64_t user_id, std::int64_t challenge_id) {
  auto st = c.prepare("SELECT count(*) FROM votes WHERE user_id = ? AND challenge_id = ?");
  st->bind(1, user_id);
  st->bind(2, challenge_id);
  return st->executeStep() ? st->getColumn(0).getInt64() : 0;
}

void put_vote(Connection& c, std::int64_t user_id, const domain::IdeaTally& idea, int old, int value, const std::string& now) {
  if (old == value) return;
  if (value == 0) {
    auto st = c.prepare("DELETE FROM votes WHERE user_id = ? AND idea_id = ?");
    st->bind(1, user_id);
    st->bind(2, idea.id);
    st->exec();
  } else if (old != 0) {
    // `old` was read in this transaction: the row is there. A plain update finds it
    // once; an upsert first tries the insert, then finds the row again to update it.
    auto st = c.prepare("UPDATE votes SET value = ?, updated_at = ? WHERE user_id = ? AND idea_id = ?");
    st->bind(1, value);
    st->bind(2, now);
    st->bind(3, user_id);
    st->bind(4, idea.id);
    st->exec();
  } else {
    auto st = c.prepare(
        "INSERT INTO votes(user_id, idea_id, challenge_id, value, created_at, updated_at) VALUES (?,?,?,?,?,?)");
    st->bind(1, user_id);
    st->bind(2, idea.id);
    st->bind(3, idea.challenge_id);
    st->bind(4, value);
    st->bind(5, now);
    st->bind(6, now);
    st->exec();
  }
  int up = (value == 1) - (old == 1);
  int down = (value == -1) - (old == -1);
  auto st = c.prepare("UPDATE ideas SET up_votes = up_votes + ?1, down_votes = down_votes + ?2, "
                      "score = score + ?1 - ?2 WHERE id = ?3");
  st->bind(1, up);
  st->bind(2, down);
  st->bind(3, idea.id);
  st->exec();
}

void recount_idea(Connection& c, std::int64_t idea_id) {
  auto st = c.prepare(
      "UPDATE ideas SET "
      "up_votes = (SELECT count(*) FROM votes WHERE idea_id = ?1 AND value = 1), "
      "down_votes = (SELECT count(*) FROM votes WHERE idea_id = ?1 AND value = -1), "
      "comment_count = (SELECT count(*) FROM comments WHERE idea_id = ?1 AND state <> 'deleted') WHERE id = ?1");
  st->bind(1, idea_id);
  st->exec();
  auto sc = c.prepare("UPDATE ideas SET score = up_votes - down_votes WHERE id = ?");
  sc->bind(1, idea_id);
  sc->exec();
}

std::vector<std::int64_t> idea_voters(Connection& c, std::int64_t idea_id) {
  auto st = c.prepare("SELECT user_id FROM votes WHERE idea_id = ?");
  st->bind(1, idea_id);
  std::vector<std::int64_t> out;
  while (st->executeStep()) out.push_back(st->getColumn(0).getInt64());
  return out;
}

void merge_idea_contributions(Connection& c, std::int64_t from, std::int64_t into) {
  // Votes of people who also voted on the surviving idea are set aside (one vote per
  // person survives); the others move over, remembering where they came from. "Where
  // they came from" is the idea they were first cast on: when `from` holds contributions
  // of an idea merged into it earlier, they keep that origin, so unmerging either idea
  // later restores exactly its own votes and comments (merges may chain: A→B, then B→C).
  auto aside = c.prepare(
      "INSERT OR REPLACE INTO merged_votes(user_id, idea_id, value, created_at, updated_at) "
      "SELECT v.user_id, coalesce(v.moved_from_idea_id, v.idea_id), v.value, v.created_at, v.updated_at FROM votes v "
      "WHERE v.idea_id = ?1 AND EXISTS (SELECT 1 FROM votes w WHERE w.idea_id = ?2 AND w.user_id = v.user_id)");
  aside->bind(1, from);
  aside->bind(2, into);
  aside->exec();
  auto drop = c.prepare(
      "DELETE FROM votes WHERE idea_id = ?1 AND user_id IN (SELECT w.user_id FROM votes w WHERE w.idea_id = ?2)");
  drop->bind(1, from);
  drop->bind(2, into);
  drop->exec();
  auto move = c.prepare(
      "UPDATE votes SET idea_id = ?2, moved_from_idea_id = coalesce(moved_from_idea_id, ?1) WHERE idea_id = ?1");
  move->bind(1, from);
  move->bind(2, into);
  move->exec();
  auto comments = c.prepare(
      "UPDATE comments SET idea_id = ?2, original_idea_id = coalesce(original_idea_id, ?1) WHERE idea_id = ?1");
  comments->bind(1, from);
  comments->bind(2, into);
  comments->exec();
  recount_idea(c, from);
  recount_idea(c, into);
}

std::vector<std::int64_t> repoint_merged_ideas(Connection& c, std::int64_t from, std::int64_t into) {
  std::vector<std::int64_t> ids;
  auto st = c.prepare("SELECT id FROM ideas WHERE merged_into_id = ? AND status = 'merged' ORDER BY id");
  st->bind(1, from);
  while (st->executeStep()) ids.push_back(st->getColumn(0).getInt64());
  auto up = c.prepare("UPDATE ideas SET merged_into_id = ?2 WHERE merged_into_id = ?1 AND status = 'merged'");
  up->bind(1, from);
  up->bind(2, into);
  up->exec();
  return ids;
}

void unmerge_idea_contributions(Connection& c, std::int64_t from, std::int64_t into) {
  auto back = c.prepare("UPDATE votes SET idea_id = ?1, moved_from_idea_id = NULL WHERE moved_from_idea_id = ?1 AND idea_id = ?2");
  back->bind(1, from);
  back->bind(2, into);
  back->exec();
  auto restore = c.prepare(
      "INSERT OR IGNORE INTO votes(user_id, idea_id, challenge_id, value, created_at, updated_at) "
      "SELECT m.user_id, m.idea_id, i.challenge_id, m.value, m.created_at, m.updated_at FROM merged_votes m "
      "JOIN ideas i ON i.id = m.idea_id WHERE m.idea_id = ?1");
  restore->bind(1, from);
  restore->exec();
  auto clear = c.prepare("DELETE FROM merged_votes WHERE idea_id = ?1");
  clear->bind(1, from);
  clear->exec();
  auto comments = c.prepare("UPDATE comments SET idea_id = ?1, original_idea_id = NULL WHERE original_idea_id = ?1");
  comments->bind(1, from);
  comments->exec();
  recount_idea(c, from);
  recount_idea(c, into);
}

}  // namespace cc::store
