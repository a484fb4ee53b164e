#include "service/auth.hpp"

#include <algorithm>

#include "auth/crypto.hpp"
#include "common/clock.hpp"
#include "common/log.hpp"
#include "domain/error.hpp"
#include "domain/text.hpp"
#include "store/users_repo.hpp"

namespace cc::service {

using domain::Error;
using domain::ErrorKind;

namespace {
Error wrong_credentials() {
  return Error(ErrorKind::unauthenticated, "unauthenticated", "the email or password is not right");
}
Error too_many(int seconds) {
  return Error(ErrorKind::rate_limited, "rate_limited", "too many attempts; please wait and try again")
      .with_retry_after(seconds);
}
Error busy() {
  return Error(ErrorKind::unavailable, "unavailable", "the service is busy; please try again shortly");
}
// Who a sign-in attempt was for, for the security log: the user's id when the account
// exists, else a short keyed hash of what was typed. People sometimes type a password
// into the email field, so it is never logged as text, and the key (random per run)
// keeps a weak one from being guessed back from the log; attempts still group by it.
std::string attempted_account(const std::optional<store::UserRow>& row, const std::string& account_key) {
  if (row) return "user=" + std::to_string(row->user.id);
  static const std::string key = auth::random_token(32);
  return "user=- account=" + auth::hex(auth::hmac_sha256(key, account_key)).substr(0, 12);
}
}  // namespace

Auth::Auth(store::Store& store, auth::PasswordHasher& hasher, WorkerPool& workers, Settings& settings,
           AuthOptions options)
    : store_(store),
      hasher_(hasher),
      workers_(workers),
      settings_(settings),
      options_(options),
      per_account_(options.login_failures_per_account, options.login_window_seconds),
      per_address_(options.login_failures_per_address, options.login_window_seconds),
      activity_(store, activity_write_seconds(), options.idle_timeout_seconds) {}

std::optional<AuthSession> Auth::resolve(const std::string& token) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  auto& reader = store_.reader();
  store::ReadTx read(reader);  // a snapshot, so the row can be kept while nothing changes
  auto row = store::find_session(reader, auth::sha256(token));
  if (!row || row->revoked || !row->user.active) return std::nullopt;
  auto now = now_seconds();
  // Activity is written in batches (activity_write_seconds), and nobody waits for it.
  if (now >= row->expires_ts || !activity_.note_if_active(row->id, row->last_seen_ts, now, options_.idle_timeout_seconds))
    return std::nullopt;
  return AuthSession{std::move(row)};
}

void Auth::touch(std::int64_t session_id) { activity_.note(session_id, now_seconds()); }

void Auth::flush_activity() { activity_.flush(now_seconds()); }

void Auth::create_session(domain::User user, Then<SignedIn> then) {
  auto token = auth::random_token(32);
  auto csrf = auth::random_token(24);
  auto hash = auth::sha256(token);
  auto now = now_seconds();
  auto expires = now + options_.absolute_timeout_seconds;
  int max_age = options_.absolute_timeout_seconds;
  write<SignedIn>(
      store_,
      [=](store::WriteTx& tx) {
        store::insert_session(tx.conn, hash, user.id, csrf, now, expires);
        return SignedIn{user, token, csrf, max_age};
      },
      std::move(then));
}

void Auth::register_user(domain::NewUser input, Then<SignedIn> then) {
  try {
    if (!settings_.registration_open())
      throw Error(ErrorKind::forbidden, "forbidden", "registration is closed; ask an administrator for an account");
    input.role = domain::Role::staff;  // registration never grants more
    auto user = domain::validate_new_user(std::move(input), settings_.professions());
    auto allowed = settings_.allowed_domains();
    auto domain_of = domain::email_domain(user.email);
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), domain_of) == allowed.end())
      throw domain::validation_error("email", "registration is open only to email addresses of approved organisations");
    auto submitted = workers_.submit([this, user = std::move(user), then]() mutable {
      std::string hash;
      try {
        hash = hasher_.hash(user.password);
      } catch (...) {
        return then(Outcome<SignedIn>{std::current_exception(), std::nullopt});
      }
      auto now = now_rfc3339();
      write<domain::User>(
          store_,
          [user, hash, now](store::WriteTx& tx) {
            auto id = store::insert_user(tx.conn, user, hash, now);
            return *store::find_user(tx.conn, id);
          },
          [this, then](Outcome<domain::User> o) {
            if (o.error) return then(Outcome<SignedIn>{o.error, std::nullopt});
            log::info("event=register user=" + std::to_string(o.value->id));
            create_session(std::move(*o.value), then);
          });
    });
    if (!submitted) throw busy();
  } catch (...) {
    then(Outcome<SignedIn>{std::current_exception(), std::nullopt});
  }
}

void Auth::login(std::string email, std::string password, std::string address, Then<SignedIn> then) {
  try {
    auto now = now_seconds();
    auto account_key = domain::to_lower_ascii(email);
    if (int wait = std::max(per_address_.blocked_for(address, now), per_account_.blocked_for(account_key, now))) {
      log::warn("event=login_limited ip=" + address + " " +
                attempted_account(store::find_user_by_email(store_.reader(), account_key), account_key));
      throw too_many(wait);
    }
    auto row = store::find_user_by_email(store_.reader(), account_key);
    if (password.size() > 1024) {
      log::warn("event=login_failed ip=" + address + " " + attempted_account(row, account_key));
      throw wrong_credentials();
    }
    auto submitted = workers_.submit([this, row = std::move(row), password = std::move(password), account_key,
                                      address, then]() mutable {
      try {
        // Unknown emails cost the same time as wrong passwords.
        bool ok = hasher_.verify(password, row ? row->password_hash : hasher_.dummy_hash()) && row && row->user.active;
        if (!ok) {
          auto t = now_seconds();
          per_account_.hit(account_key, t);
          per_address_.hit(address, t);
          log::warn("event=login_failed ip=" + address + " " + attempted_account(row, account_key));
          throw wrong_credentials();
        }
        log::info("event=login ip=" + address + " user=" + std::to_string(row->user.id));
        create_session(std::move(row->user), then);
      } catch (...) {
        then(Outcome<SignedIn>{std::current_exception(), std::nullopt});
      }
    });
    if (!submitted) throw busy();
  } catch (...) {
    then(Outcome<SignedIn>{std::current_exception(), std::nullopt});
  }
}

void Auth::logout(std::int64_t session_id, Then<bool> then) {
  write<bool>(
      store_,
      [session_id](store::WriteTx& tx) {
        store::revoke_session(tx.conn, session_id);
        return true;
      },
      [this, session_id, then](Outcome<bool> o) {
        if (!o.error) log::info("event=logout session=" + std::to_string(session_id));
        if (!o.error && revoked_listener_) revoked_listener_(session_id);
        then(std::move(o));
      });
}

}  // namespace cc::service
