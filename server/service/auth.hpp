#pragma once
// Sign-in use cases: register, login, logout, resolving a session cookie, and the
// account-level rules (rate limits on failures, idle and absolute expiry).
#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "auth/password_hasher.hpp"
#include "auth/rate_limiter.hpp"
#include "common/worker_pool.hpp"
#include "domain/user.hpp"
#include "service/outcome.hpp"
#include "service/session_activity.hpp"
#include "service/settings.hpp"
#include "store/users_repo.hpp"

namespace cc::service {

struct AuthOptions {
  int idle_timeout_seconds = 30 * 60;
  int absolute_timeout_seconds = 12 * 3600;
  int login_failures_per_account = 5;   // per window
  int login_failures_per_address = 20;  // per window
  int login_window_seconds = 15 * 60;
};

// A request's live session: its row as the reading thread keeps it (store::find_session).
struct AuthSession {
  std::shared_ptr<const store::SessionRow> row;

  std::int64_t session_id() const { return row->id; }
  const domain::User& user() const { return row->user; }
  const std::string& csrf_token() const { return row->csrf_token; }
};

// A new session: the token goes in the cookie, only its hash is stored.
struct SignedIn {
  domain::User user;
  std::string token;
  std::string csrf_token;
  int max_age_seconds = 0;
};

class Auth {
public:
  Auth(store::Store& store, auth::PasswordHasher& hasher, WorkerPool& workers, Settings& settings, AuthOptions options);

  // The live session for a cookie token, or nullopt. Notes activity (written in batches).
  std::optional<AuthSession> resolve(const std::string& token);

  void register_user(domain::NewUser input, Then<SignedIn> then);
  void login(std::string email, std::string password, std::string address, Then<SignedIn> then);
  void logout(std::int64_t session_id, Then<bool> then);
  // Marks a session as active now (WebSocket traffic counts as activity).
  void touch(std::int64_t session_id);
  // The session's last activity, given the time stored in its row.
  std::int64_t last_seen(std::int64_t session_id, std::int64_t stored) const { return activity_.last_seen(session_id, stored); }
  // Writes the activity noted but not yet stored (at shutdown, before the store stops).
  void flush_activity();

  const AuthOptions& options() const { return options_; }
  // Activity is written at most this often per session: a fraction of the idle timeout,
  // so activity always lands in time, and at most every 30 s, so it costs little.
  int activity_write_seconds() const { return std::clamp(options_.idle_timeout_seconds / 10, 1, 30); }
  // Called when sessions end (logout, a user disabled) so live connections can close.
  void on_session_revoked(std::function<void(std::int64_t session_id)> f) { revoked_listener_ = std::move(f); }

private:
  void create_session(domain::User user, Then<SignedIn> then);

  store::Store& store_;
  auth::PasswordHasher& hasher_;
  WorkerPool& workers_;
  Settings& settings_;
  AuthOptions options_;
  auth::RateLimiter per_account_;
  auth::RateLimiter per_address_;
  SessionActivity activity_;
  std::function<void(std::int64_t)> revoked_listener_;
};

}  // namespace cc::service
