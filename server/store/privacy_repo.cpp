#include "store/privacy_repo.hpp"

namespace cc::store {

using Json = nlohmann::json;

namespace {

Json col(SQLite::Statement& st, int i) {
  auto c = st.getColumn(i);
  if (c.isNull()) return Json();
  if (c.isInteger()) return c.getInt64();
  if (c.isFloat()) return c.getDouble();
  return c.getString();
}

// Every row of a query as objects named by its columns.
Json rows(Connection& c, const std::string& sql, std::int64_t user_id) {
  auto st = c.prepare(sql);
  st->bind(1, user_id);
  Json out = Json::array();
  while (st->executeStep()) {
    Json row = Json::object();
    for (int i = 0; i < st->getColumnCount(); ++i) row[st->getColumnName(i)] = col(*st, i);
    out.push_back(std::move(row));
  }
  return out;
}

// Replaces the name in every {id: user, display_name: ...} object and in a comment
// notification's "by" when the comment is theirs. Returns whether anything changed.
bool scrub(Json& j, std::int64_t user_id, Connection& c) {
  bool changed = false;
  if (j.is_object()) {
    auto id = j.find("id");
    auto name = j.find("display_name");
    if (id != j.end() && name != j.end() && id->is_number_integer() && id->get<std::int64_t>() == user_id &&
        *name != kErasedName) {
      *name = kErasedName;
      changed = true;
    }
    auto by = j.find("by");
    auto comment = j.find("comment_id");
    if (by != j.end() && by->is_string() && *by != kErasedName && comment != j.end() && comment->is_number_integer()) {
      auto st = c.prepare("SELECT author_id FROM comments WHERE id = ?");
      st->bind(1, comment->get<std::int64_t>());
      if (st->executeStep() && st->getColumn(0).getInt64() == user_id) {
        *by = kErasedName;
        changed = true;
      }
    }
    for (auto& [k, v] : j.items()) changed = scrub(v, user_id, c) || changed;
  } else if (j.is_array()) {
    for (auto& v : j) changed = scrub(v, user_id, c) || changed;
  }
  return changed;
}

}  // namespace

Json person_data(Connection& c, std::int64_t user_id) {
  Json out;
  auto users = rows(c,
                    "SELECT id, email, display_name, profession, organisation, place, role, status, created_at "
                    "FROM users WHERE id = ?",
                    user_id);
  out["user"] = users.empty() ? Json() : users[0];
  out["sessions"] = rows(c,
                         "SELECT id, datetime(created_ts, 'unixepoch') AS created, datetime(last_seen_ts, 'unixepoch') "
                         "AS last_seen, datetime(expires_ts, 'unixepoch') AS expires, revoked FROM sessions "
                         "WHERE user_id = ? ORDER BY id",
                         user_id);
  out["ideas"] = rows(c,
                      "SELECT id, challenge_id, title, body, tags, anonymous, status, status_note, merged_into_id, hidden, "
                      "up_votes, down_votes, comment_count, created_at, updated_at FROM ideas WHERE author_id = ? "
                      "ORDER BY id",
                      user_id);
  for (auto& i : out["ideas"]) {
    auto tags = Json::parse(i["tags"].get<std::string>(), nullptr, false);
    i["tags"] = tags.is_discarded() ? Json::array() : tags;
  }
  out["comments"] = rows(c,
                         "SELECT id, idea_id, parent_id, body, state, created_at, edited_at FROM comments "
                         "WHERE author_id = ? ORDER BY id",
                         user_id);
  out["votes"] = rows(c,
                      "SELECT idea_id, challenge_id, value, created_at, updated_at FROM votes WHERE user_id = ? "
                      "ORDER BY created_at, idea_id",
                      user_id);
  out["votes_set_aside_by_merges"] =
      rows(c, "SELECT idea_id, value, created_at, updated_at FROM merged_votes WHERE user_id = ? ORDER BY idea_id", user_id);
  out["challenges_taken_part_in"] =
      rows(c, "SELECT challenge_id, first_at FROM challenge_participants WHERE user_id = ? ORDER BY challenge_id", user_id);
  out["follows"] =
      rows(c, "SELECT target_type, target_id, active FROM follows WHERE user_id = ? ORDER BY target_type, target_id", user_id);
  out["notifications"] =
      rows(c, "SELECT id, type, data, created_at, read_at FROM notifications WHERE user_id = ? ORDER BY id", user_id);
  for (auto& n : out["notifications"]) {
    auto data = Json::parse(n["data"].get<std::string>(), nullptr, false);
    if (!data.is_discarded()) n["data"] = data;
  }
  out["flags_reported"] = rows(c,
                               "SELECT id, target_type, target_id, reason, state, created_at FROM flags "
                               "WHERE reporter_id = ? ORDER BY id",
                               user_id);
  out["status_changes_made"] =
      rows(c, "SELECT idea_id, status, note, at FROM idea_history WHERE by_user_id = ? ORDER BY id", user_id);
  return out;
}

int erase_person(Connection& c, std::int64_t user_id) {
  auto st = c.prepare(
      "UPDATE users SET email = 'erased-' || id || '@erased.invalid', display_name = ?, organisation = 'erased', "
      "place = NULL, password_hash = '!erased', status = 'disabled' WHERE id = ?");
  st->bind(1, kErasedName);
  st->bind(2, user_id);
  st->exec();
  auto rv = c.prepare("UPDATE sessions SET revoked = 1 WHERE user_id = ? AND revoked = 0");
  rv->bind(1, user_id);
  int revoked = rv->exec();
  for (const char* sql : {"DELETE FROM notifications WHERE user_id = ?", "DELETE FROM follows WHERE user_id = ?"}) {
    auto d = c.prepare(sql);
    d->bind(1, user_id);
    d->exec();
  }
  return revoked;
}

std::int64_t scrub_events(Connection& c, std::int64_t user_id, std::int64_t from_seq, int batch, int* changed) {
  auto st = c.prepare("SELECT seq, data, data_privileged FROM events WHERE seq >= ? AND seq < ? ORDER BY seq");
  st->bind(1, from_seq);
  st->bind(2, from_seq + batch);
  // The id appears as "id":N in every object that names the person, and a comment
  // notification names its author in "by": a cheap filter first.
  std::string needle = "\"id\":" + std::to_string(user_id);
  struct Update {
    std::int64_t seq;
    std::string data;
    std::optional<std::string> privileged;
  };
  std::vector<Update> updates;
  bool any = false;
  while (st->executeStep()) {
    any = true;
    auto seq = st->getColumn(0).getInt64();
    std::string data = st->getColumn(1).getString();
    std::optional<std::string> priv;
    if (!st->getColumn(2).isNull()) priv = st->getColumn(2).getString();
    auto mentions = [&](const std::string& t) {
      return t.find(needle) != std::string::npos || t.find("\"by\":\"") != std::string::npos;
    };
    bool hit = mentions(data) || (priv && mentions(*priv));
    if (!hit) continue;
    bool dirty = false;
    auto j = Json::parse(data, nullptr, false);
    if (!j.is_discarded() && scrub(j, user_id, c)) {
      data = j.dump();
      dirty = true;
    }
    if (priv) {
      auto p = Json::parse(*priv, nullptr, false);
      if (!p.is_discarded() && scrub(p, user_id, c)) {
        priv = p.dump();
        dirty = true;
      }
    }
    if (dirty) updates.push_back({seq, data, priv});
  }
  st->reset();
  for (const auto& u : updates) {
    auto up = c.prepare("UPDATE events SET data = ?, data_privileged = ? WHERE seq = ?");
    up->bind(1, u.data);
    if (u.privileged) up->bind(2, *u.privileged); else up->bind(2);
    up->bind(3, u.seq);
    up->exec();
  }
  if (changed) *changed += static_cast<int>(updates.size());
  if (!any) {
    // Past the end, or a gap in seq: look for the next event at all.
    auto next = c.prepare("SELECT min(seq) FROM events WHERE seq >= ?");
    next->bind(1, from_seq + batch);
    if (!next->executeStep() || next->getColumn(0).isNull()) return 0;
    return next->getColumn(0).getInt64();
  }
  return from_seq + batch;
}

int scrub_notifications(Connection& c, std::int64_t user_id) {
  // Other people's notifications that name them: comments they wrote ("by").
  auto st = c.prepare(
      "SELECT n.id, n.data FROM notifications n WHERE n.type = 'comment.created' AND EXISTS (SELECT 1 FROM comments cm "
      "WHERE cm.author_id = ?1 AND cm.id = json_extract(n.data, '$.comment_id'))");
  st->bind(1, user_id);
  std::vector<std::pair<std::int64_t, std::string>> updates;
  while (st->executeStep()) {
    auto j = Json::parse(st->getColumn(1).getString(), nullptr, false);
    if (!j.is_discarded() && scrub(j, user_id, c)) updates.emplace_back(st->getColumn(0).getInt64(), j.dump());
  }
  st->reset();
  for (const auto& [id, data] : updates) {
    auto up = c.prepare("UPDATE notifications SET data = ? WHERE id = ?");
    up->bind(1, data);
    up->bind(2, id);
    up->exec();
  }
  return static_cast<int>(updates.size());
}

}  // namespace cc::store
