#include "store/users_repo.hpp"

#include <atomic>

#include <sqlite3.h>

#include "domain/error.hpp"
#include "store/snapshot_cache.hpp"

namespace cc::store {
namespace {
const char* kUserColumns = "u.id, u.email, u.display_name, u.profession, u.organisation, u.place, u.role, u.status, u.created_at";

domain::User read_user(SQLite::Statement& st, int first) {
  domain::User u;
  u.id = st.getColumn(first).getInt64();
  u.email = st.getColumn(first + 1).getString();
  u.display_name = st.getColumn(first + 2).getString();
  u.profession = st.getColumn(first + 3).getString();
  u.organisation = st.getColumn(first + 4).getString();
  if (!st.getColumn(first + 5).isNull()) u.place = st.getColumn(first + 5).getString();
  u.role = domain::parse_role(st.getColumn(first + 6).getString()).value_or(domain::Role::staff);
  u.active = st.getColumn(first + 7).getString() == "active";
  u.created_at = st.getColumn(first + 8).getString();
  return u;
}
}  // namespace

std::optional<UserRow> find_user_by_email(Connection& c, const std::string& email) {
  auto st = c.prepare(std::string("SELECT ") + kUserColumns + ", u.password_hash FROM users u WHERE u.email = ?");
  st->bind(1, email);
  if (!st->executeStep()) return std::nullopt;
  UserRow row{read_user(*st, 0), st->getColumn(9).getString()};
  return row;
}

std::optional<domain::User> find_user(Connection& c, std::int64_t id) {
  auto st = c.prepare(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.id = ?");
  st->bind(1, id);
  if (!st->executeStep()) return std::nullopt;
  return read_user(*st, 0);
}

std::int64_t insert_user(Connection& c, const domain::NewUser& u, const std::string& password_hash,
                         const std::string& now) {
  auto st = c.prepare(
      "INSERT INTO users(email, password_hash, display_name, profession, organisation, place, role, status, created_at) "
      "VALUES (?,?,?,?,?,?,?,'active',?)");
  st->bind(1, u.email);
  st->bind(2, password_hash);
  st->bind(3, u.display_name);
  st->bind(4, u.profession);
  st->bind(5, u.organisation);
  if (u.place) st->bind(6, *u.place); else st->bind(6);
  st->bind(7, std::string(domain::to_string(u.role)));
  st->bind(8, now);
  try {
    st->exec();
  } catch (const SQLite::Exception& e) {
    if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE)
      throw domain::conflict("an account with this email already exists", "email");
    throw;
  }
  return c.last_insert_id();
}

std::vector<domain::User> list_users(Connection& c, std::int64_t after_id, int limit) {
  auto st = c.prepare(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.id > ? ORDER BY u.id LIMIT ?");
  st->bind(1, after_id);
  st->bind(2, limit);
  std::vector<domain::User> out;
  while (st->executeStep()) out.push_back(read_user(*st, 0));
  return out;
}

void set_user_role(Connection& c, std::int64_t id, domain::Role role) {
  auto st = c.prepare("UPDATE users SET role = ? WHERE id = ?");
  st->bind(1, std::string(domain::to_string(role)));
  st->bind(2, id);
  if (st->exec() == 0) throw domain::not_found("user");
}

void set_user_status(Connection& c, std::int64_t id, bool active) {
  auto st = c.prepare("UPDATE users SET status = ? WHERE id = ?");
  st->bind(1, active ? "active" : "disabled");
  st->bind(2, id);
  if (st->exec() == 0) throw domain::not_found("user");
}

void set_user_password(Connection& c, std::int64_t id, const std::string& password_hash) {
  auto st = c.prepare("UPDATE users SET password_hash = ? WHERE id = ?");
  st->bind(1, password_hash);
  st->bind(2, id);
  if (st->exec() == 0) throw domain::not_found("user");
}

namespace {

// Sessions as this thread read them, kept while the auth epoch stays (sql/0007): every
// change a session's answer depends on moves it in the same commit, so a kept row is the
// row as it is, except for last_seen_ts (see find_session in the header). Votes and
// other writes commit all the time, and reading the rows again at every new snapshot
// was a fifth of the network threads' work under votes. 16,384 rows of about 600 bytes.
thread_local SnapshotCache<std::string, std::shared_ptr<const SessionRow>, 16384> t_sessions;

// The number the rows above are kept under: new whenever this thread reads another
// connection or a different epoch. The epoch is read once a snapshot.
struct AuthGeneration {
  std::uint64_t connection = 0;
  std::uint64_t snapshot = 0;
  std::int64_t epoch = -1;
  std::uint64_t key = 0;
};
thread_local AuthGeneration t_generation;
std::atomic<std::uint64_t> g_generations{0};

std::uint64_t auth_generation(Connection& c) {
  const auto snapshot = c.snapshot();
  if (snapshot == 0) return 0;  // outside a snapshot nothing is kept
  auto& g = t_generation;
  if (snapshot == g.snapshot && c.id() == g.connection) return g.key;
  const auto epoch = c.scalar_int("SELECT n FROM auth_epoch WHERE id = 1");
  if (c.id() != g.connection || epoch != g.epoch) g.key = ++g_generations;
  g.connection = c.id();
  g.snapshot = snapshot;
  g.epoch = epoch;
  return g.key;
}

}  // namespace

std::shared_ptr<const SessionRow> find_session(Connection& c, const std::string& token_hash) {
  const auto generation = auth_generation(c);
  if (const auto* kept = t_sessions.find(generation, token_hash)) return *kept;
  static const std::string sql = std::string("SELECT s.id, s.user_id, s.csrf_token, s.created_ts, s.last_seen_ts, "
                                             "s.expires_ts, s.revoked, ") +
                                 kUserColumns + " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?";
  auto st = c.prepare(sql);
  st->bind(1, token_hash.data(), static_cast<int>(token_hash.size()));
  if (!st->executeStep()) return nullptr;
  auto row = std::make_shared<SessionRow>();
  SessionRow& r = *row;
  r.id = st->getColumn(0).getInt64();
  r.user_id = st->getColumn(1).getInt64();
  r.csrf_token = st->getColumn(2).getString();
  r.created_ts = st->getColumn(3).getInt64();
  r.last_seen_ts = st->getColumn(4).getInt64();
  r.expires_ts = st->getColumn(5).getInt64();
  r.revoked = st->getColumn(6).getInt() != 0;
  r.user = read_user(*st, 7);
  t_sessions.put(generation, token_hash, row);
  return row;
}

std::int64_t insert_session(Connection& c, const std::string& token_hash, std::int64_t user_id,
                            const std::string& csrf, std::int64_t now, std::int64_t expires) {
  auto st = c.prepare(
      "INSERT INTO sessions(token_hash, user_id, csrf_token, created_ts, last_seen_ts, expires_ts) VALUES (?,?,?,?,?,?)");
  st->bind(1, token_hash.data(), static_cast<int>(token_hash.size()));
  st->bind(2, user_id);
  st->bind(3, csrf);
  st->bind(4, now);
  st->bind(5, now);
  st->bind(6, expires);
  st->exec();
  return c.last_insert_id();
}

void touch_session(Connection& c, std::int64_t session_id, std::int64_t now) {
  auto st = c.prepare("UPDATE sessions SET last_seen_ts = max(last_seen_ts, ?) WHERE id = ? AND revoked = 0");
  st->bind(1, now);
  st->bind(2, session_id);
  st->exec();
}

void revoke_session(Connection& c, std::int64_t session_id) {
  auto st = c.prepare("UPDATE sessions SET revoked = 1 WHERE id = ?");
  st->bind(1, session_id);
  st->exec();
}

int revoke_user_sessions(Connection& c, std::int64_t user_id) {
  auto st = c.prepare("UPDATE sessions SET revoked = 1 WHERE user_id = ? AND revoked = 0");
  st->bind(1, user_id);
  return st->exec();
}

int prune_sessions(Connection& c, std::int64_t before) {
  auto st = c.prepare("DELETE FROM sessions WHERE expires_ts < ? OR (revoked = 1 AND last_seen_ts < ?)");
  st->bind(1, before);
  st->bind(2, before);
  return st->exec();
}

std::optional<std::string> get_setting(Connection& c, const std::string& key) {
  auto st = c.prepare("SELECT value FROM settings WHERE key = ?");
  st->bind(1, key);
  if (!st->executeStep()) return std::nullopt;
  return st->getColumn(0).getString();
}

void put_setting(Connection& c, const std::string& key, const std::string& value, const std::string& now) {
  auto st = c.prepare(
      "INSERT INTO settings(key, value, updated_at) VALUES (?,?,?) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at");
  st->bind(1, key);
  st->bind(2, value);
  st->bind(3, now);
  st->exec();
}

std::vector<std::pair<std::string, std::string>> list_settings(Connection& c) {
  auto st = c.prepare("SELECT key, value FROM settings ORDER BY key");
  std::vector<std::pair<std::string, std::string>> out;
  while (st->executeStep()) out.emplace_back(st->getColumn(0).getString(), st->getColumn(1).getString());
  return out;
}

}  // namespace cc::store
