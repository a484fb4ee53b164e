#pragma once
// Users, sessions and settings rows. Functions take the connection to use, so the same
// code serves readers and the writer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/user.hpp"
#include "store/connection.hpp"

namespace cc::store {

struct UserRow {
  domain::User user;
  std::string password_hash;
};

std::optional<UserRow> find_user_by_email(Connection& c, const std::string& email);
std::optional<domain::User> find_user(Connection& c, std::int64_t id);
// Inserts; throws domain conflict (field "email") when the email is taken.
std::int64_t insert_user(Connection& c, const domain::NewUser& u, const std::string& password_hash,
                         const std::string& now);
std::vector<domain::User> list_users(Connection& c, std::int64_t after_id, int limit);
void set_user_role(Connection& c, std::int64_t id, domain::Role role);
void set_user_status(Connection& c, std::int64_t id, bool active);
void set_user_password(Connection& c, std::int64_t id, const std::string& password_hash);

struct SessionRow {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string csrf_token;
  std::int64_t created_ts = 0;
  std::int64_t last_seen_ts = 0;
  std::int64_t expires_ts = 0;
  bool revoked = false;
  domain::User user;
};

// The session with this token hash and its user. Inside a ReadTx the row may come from
// the thread's cache, kept until a change to any session or user (sql/0007_auth_epoch.sql);
// its last_seen_ts can then be older than the stored one, as activity is written without
// moving the epoch. Callers take the later of it and the activity noted in memory
// (service/session_activity.hpp), which is at least as late as anything written.
// Shared, not copied: a copy of the user's strings was most of the cost of a kept row.
std::shared_ptr<const SessionRow> find_session(Connection& c, const std::string& token_hash);
std::int64_t insert_session(Connection& c, const std::string& token_hash, std::int64_t user_id,
                            const std::string& csrf, std::int64_t now, std::int64_t expires);
void touch_session(Connection& c, std::int64_t session_id, std::int64_t now);
void revoke_session(Connection& c, std::int64_t session_id);
// Revokes every session of a user; returns how many.
int revoke_user_sessions(Connection& c, std::int64_t user_id);
// Deletes sessions that ended before `before` (revoked or expired).
int prune_sessions(Connection& c, std::int64_t before);

std::optional<std::string> get_setting(Connection& c, const std::string& key);
void put_setting(Connection& c, const std::string& key, const std::string& value, const std::string& now);
std::vector<std::pair<std::string, std::string>> list_settings(Connection& c);

}  // namespace cc::store
