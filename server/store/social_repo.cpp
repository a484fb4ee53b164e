#include "store/social_repo.hpp"

namespace cc::store {

void auto_follow(Connection& c, std::int64_t user_id, const std::string& type, std::int64_t target_id) {
  auto st = c.prepare("INSERT OR IGNORE INTO follows(user_id, target_type, target_id, active) VALUES (?,?,?,1)");
  st->bind(1, user_id);
  st->bind(2, type);
  st->bind(3, target_id);
  st->exec();
}

void set_follow(Connection& c, std::int64_t user_id, const std::string& type, std::int64_t target_id, bool following) {
  auto st = c.prepare("INSERT INTO follows(user_id, target_type, target_id, active) VALUES (?,?,?,?) "
                      "ON CONFLICT(user_id, target_type, target_id) DO UPDATE SET active = excluded.active");
  st->bind(1, user_id);
  st->bind(2, type);
  st->bind(3, target_id);
  st->bind(4, following ? 1 : 0);
  st->exec();
}

bool is_following(Connection& c, std::int64_t user_id, const std::string& type, std::int64_t target_id) {
  auto st = c.prepare("SELECT active FROM follows WHERE user_id = ? AND target_type = ? AND target_id = ?");
  st->bind(1, user_id);
  st->bind(2, type);
  st->bind(3, target_id);
  return st->executeStep() && st->getColumn(0).getInt() == 1;
}

std::vector<std::int64_t> followers(Connection& c, const std::string& type, std::int64_t target_id) {
  auto st = c.prepare("SELECT user_id FROM follows WHERE target_type = ? AND target_id = ? AND active = 1");
  st->bind(1, type);
  st->bind(2, target_id);
  std::vector<std::int64_t> out;
  while (st->executeStep()) out.push_back(st->getColumn(0).getInt64());
  return out;
}

std::int64_t insert_notification(Connection& c, std::int64_t user_id, const std::string& type, const std::string& data,
                                 const std::string& now) {
  auto st = c.prepare("INSERT INTO notifications(user_id, type, data, created_at) VALUES (?,?,?,?)");
  st->bind(1, user_id);
  st->bind(2, type);
  st->bind(3, data);
  st->bind(4, now);
  st->exec();
  return c.last_insert_id();
}

std::vector<NotificationRow> list_notifications(Connection& c, std::int64_t user_id, bool unread_only,
                                                std::int64_t before_id, int limit) {
  auto st = c.prepare(std::string("SELECT id, user_id, type, data, created_at, read_at FROM notifications "
                                  "WHERE user_id = ? AND id < ?") +
                      (unread_only ? " AND read_at IS NULL" : "") + " ORDER BY id DESC LIMIT ?");
  st->bind(1, user_id);
  st->bind(2, before_id > 0 ? before_id : INT64_MAX);
  st->bind(3, limit);
  std::vector<NotificationRow> out;
  while (st->executeStep()) {
    NotificationRow r{st->getColumn(0).getInt64(), st->getColumn(1).getInt64(), st->getColumn(2).getString(),
                      st->getColumn(3).getString(), st->getColumn(4).getString(), std::nullopt};
    if (!st->getColumn(5).isNull()) r.read_at = st->getColumn(5).getString();
    out.push_back(std::move(r));
  }
  return out;
}

std::int64_t unread_count(Connection& c, std::int64_t user_id) {
  auto st = c.prepare("SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL");
  st->bind(1, user_id);
  return st->executeStep() ? st->getColumn(0).getInt64() : 0;
}

int mark_read(Connection& c, std::int64_t user_id, const std::vector<std::int64_t>& ids, const std::string& now) {
  int n = 0;
  for (auto id : ids) {
    auto st = c.prepare("UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL");
    st->bind(1, now);
    st->bind(2, id);
    st->bind(3, user_id);
    n += st->exec();
  }
  return n;
}

int mark_all_read(Connection& c, std::int64_t user_id, const std::string& now) {
  auto st = c.prepare("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL");
  st->bind(1, now);
  st->bind(2, user_id);
  return st->exec();
}

namespace {
const char* kFlagColumns =
    "id, target_type, target_id, reason, reporter_id, state, action, note, resolved_by, created_at, resolved_at, "
    "CASE target_type WHEN 'idea' THEN target_id ELSE (SELECT idea_id FROM comments c WHERE c.id = flags.target_id) END";
FlagRow read_flag(SQLite::Statement& st) {
  FlagRow f;
  f.id = st.getColumn(0).getInt64();
  f.target_type = st.getColumn(1).getString();
  f.target_id = st.getColumn(2).getInt64();
  f.reason = st.getColumn(3).getString();
  f.reporter_id = st.getColumn(4).getInt64();
  f.state = st.getColumn(5).getString();
  if (!st.getColumn(6).isNull()) f.action = st.getColumn(6).getString();
  if (!st.getColumn(7).isNull()) f.note = st.getColumn(7).getString();
  if (!st.getColumn(8).isNull()) f.resolved_by = st.getColumn(8).getInt64();
  f.created_at = st.getColumn(9).getString();
  if (!st.getColumn(10).isNull()) f.resolved_at = st.getColumn(10).getString();
  f.idea_id = st.getColumn(11).isNull() ? 0 : st.getColumn(11).getInt64();
  return f;
}
}  // namespace

std::int64_t insert_flag(Connection& c, const std::string& type, std::int64_t target_id, const std::string& reason,
                         std::int64_t reporter, const std::string& now) {
  auto st = c.prepare("INSERT INTO flags(target_type, target_id, reason, reporter_id, created_at) VALUES (?,?,?,?,?)");
  st->bind(1, type);
  st->bind(2, target_id);
  st->bind(3, reason);
  st->bind(4, reporter);
  st->bind(5, now);
  st->exec();
  return c.last_insert_id();
}

std::optional<FlagRow> find_flag(Connection& c, std::int64_t id) {
  auto st = c.prepare(std::string("SELECT ") + kFlagColumns + " FROM flags WHERE id = ?");
  st->bind(1, id);
  if (!st->executeStep()) return std::nullopt;
  return read_flag(*st);
}

std::vector<FlagRow> list_flags(Connection& c, const std::optional<std::string>& state, std::int64_t after_id, int limit) {
  auto st = c.prepare(std::string("SELECT ") + kFlagColumns + " FROM flags WHERE id > ?1" +
                      (state ? " AND state = ?2" : "") + " ORDER BY id LIMIT ?3");
  st->bind(1, after_id);
  if (state) st->bind(2, *state);
  st->bind(3, limit);
  std::vector<FlagRow> out;
  while (st->executeStep()) out.push_back(read_flag(*st));
  return out;
}

void resolve_flag(Connection& c, std::int64_t id, const std::string& action, const std::string& note,
                  std::int64_t by, const std::string& now) {
  auto st = c.prepare("UPDATE flags SET state = 'resolved', action = ?, note = ?, resolved_by = ?, resolved_at = ? WHERE id = ?");
  st->bind(1, action);
  st->bind(2, note);
  st->bind(3, by);
  st->bind(4, now);
  st->bind(5, id);
  st->exec();
}

}  // namespace cc::store
