// carecrowd-admin user add | list | role | disable | enable | reset-password
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "admin/cli.hpp"
#include "auth/crypto.hpp"
#include "auth/password_hasher.hpp"
#include "common/clock.hpp"
#include "domain/error.hpp"
#include "domain/settings.hpp"
#include "domain/text.hpp"
#include "json/user_json.hpp"
#include "service/settings.hpp"
#include "store/users_repo.hpp"

namespace cc::admin {

namespace {

// A generated password: 24 characters from 18 random bytes (144 bits).
std::string generate_password() { return auth::random_token(18); }

std::string read_password_stdin() {
  std::string line;
  if (!std::getline(std::cin, line)) throw UsageError("--password-stdin: no password on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

auth::PasswordHasher hasher_for(const Context& ctx) {
  try {
    return auth::PasswordHasher(auth::load_or_create_pepper(ctx.pepper_path()), auth::HashCost{});
  } catch (const std::exception& e) {
    throw Failure(e.what());
  }
}

domain::User find_by_email(store::Store& s, const std::string& email) {
  auto row = store::find_user_by_email(s.reader(), domain::to_lower_ascii(email));
  if (!row) throw Failure("no user with email " + email);
  return row->user;
}

int add(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"user add --email E --name N --role staff|design_group|admin --profession P --organisation O "
            "[--place PLACE] [--password-stdin]",
            "Adds a user. Without --password-stdin a strong password is generated and printed once.\n",
            {"email", "name", "role", "profession", "organisation", "place"},
            {"password-stdin"}};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  domain::NewUser u;
  u.email = args.value("email");
  u.display_name = args.value("name");
  auto role = domain::parse_role(args.value("role"));
  if (!role) throw UsageError("--role must be staff, design_group or admin");
  u.role = *role;
  u.profession = args.value("profession");
  u.organisation = args.value("organisation");
  if (args.has("place")) u.place = args.value("place");
  bool generated = !args.flags.count("password-stdin");
  u.password = generated ? generate_password() : read_password_stdin();
  auto store = ctx.open();
  domain::NewUser valid;
  try {
    valid = domain::validate_new_user(u, domain::parse_list_setting(service::Settings::get(store->reader(), "professions")));
  } catch (const domain::Error& e) {
    throw UsageError(e.field() + ": " + e.what());
  }
  auto hash = hasher_for(ctx).hash(valid.password);
  std::int64_t id = 0;
  try {
    store->write_sync([&](store::WriteTx& tx) { id = store::insert_user(tx.conn, valid, hash, now_rfc3339()); });
  } catch (const std::exception& e) {
    throw Failure(e.what());
  }
  auto user = store::find_user(store->reader(), id);
  if (ctx.json) {
    auto j = json::user_json(*user);
    if (generated) j["password"] = u.password;
    std::printf("%s\n", nlohmann::json{{"user", j}}.dump().c_str());
  } else {
    std::printf("added user %lld <%s> as %s\n", static_cast<long long>(id), user->email.c_str(),
                std::string(domain::to_string(user->role)).c_str());
    if (generated) std::printf("password (shown once): %s\n", u.password.c_str());
  }
  return 0;
}

int list(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"user list [--limit N]", "Lists users in id order.\n", {"limit"}, {}};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  int limit = args.has("limit") ? static_cast<int>(Args::parse_id("--limit", args.value("limit"))) : 1000000;
  auto store = ctx.open();
  auto users = store::list_users(store->reader(), 0, limit);
  if (ctx.json) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& u : users) items.push_back(json::user_json(u));
    std::printf("%s\n", nlohmann::json{{"items", items}}.dump().c_str());
    return 0;
  }
  if (users.empty()) {
    std::printf("no users yet (add one with: carecrowd-admin user add --help)\n");
    return 0;
  }
  std::printf("%-6s %-32s %-24s %-13s %-8s %s\n", "ID", "EMAIL", "NAME", "ROLE", "STATUS", "PROFESSION");
  for (const auto& u : users)
    std::printf("%-6lld %-32s %-24s %-13s %-8s %s\n", static_cast<long long>(u.id), u.email.c_str(),
                u.display_name.c_str(), std::string(domain::to_string(u.role)).c_str(), u.active ? "active" : "disabled",
                u.profession.c_str());
  return 0;
}

int role(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"user role EMAIL staff|design_group|admin", "Changes a user's role.\n", {}, {}, 2, 2};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  auto r = domain::parse_role(args.positional[1]);
  if (!r) throw UsageError("the role must be staff, design_group or admin");
  auto store = ctx.open();
  auto user = find_by_email(*store, args.positional[0]);
  store->write_sync([&](store::WriteTx& tx) { store::set_user_role(tx.conn, user.id, *r); });
  std::printf("%s is now %s\n", user.email.c_str(), args.positional[1].c_str());
  return 0;
}

int set_status(const Context& ctx, const std::vector<std::string>& argv, bool active) {
  Spec spec{std::string("user ") + (active ? "enable" : "disable") + " EMAIL",
            active ? "Lets a disabled user sign in again.\n"
                   : "Stops a user signing in and ends their sessions at once.\n",
            {}, {}, 1, 1};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  auto store = ctx.open();
  auto user = find_by_email(*store, args.positional[0]);
  int revoked = 0;
  store->write_sync([&](store::WriteTx& tx) {
    store::set_user_status(tx.conn, user.id, active);
    if (!active) revoked = store::revoke_user_sessions(tx.conn, user.id);
  });
  if (active) std::printf("%s is enabled\n", user.email.c_str());
  else std::printf("%s is disabled; %d session(s) ended\n", user.email.c_str(), revoked);
  return 0;
}

int reset_password(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"user reset-password EMAIL [--password-stdin]",
            "Sets a new password (generated and printed once unless --password-stdin) and ends the user's "
            "sessions.\n",
            {}, {"password-stdin"}, 1, 1};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  bool generated = !args.flags.count("password-stdin");
  auto password = generated ? generate_password() : read_password_stdin();
  try {
    domain::check_password(password);
  } catch (const domain::Error& e) {
    throw UsageError(e.what());
  }
  auto store = ctx.open();
  auto user = find_by_email(*store, args.positional[0]);
  auto hash = hasher_for(ctx).hash(password);
  store->write_sync([&](store::WriteTx& tx) {
    store::set_user_password(tx.conn, user.id, hash);
    store::revoke_user_sessions(tx.conn, user.id);
  });
  std::printf("password changed for %s\n", user.email.c_str());
  if (generated) std::printf("password (shown once): %s\n", password.c_str());
  return 0;
}

}  // namespace

void register_user_commands() {
  registry().push_back({"user", "add", "add a user", add});
  registry().push_back({"user", "list", "list users", list});
  registry().push_back({"user", "role", "change a user's role", role});
  registry().push_back({"user", "disable", "disable a user and end their sessions",
                        [](const Context& c, const std::vector<std::string>& a) { return set_status(c, a, false); }});
  registry().push_back({"user", "enable", "enable a disabled user",
                        [](const Context& c, const std::vector<std::string>& a) { return set_status(c, a, true); }});
  registry().push_back({"user", "reset-password", "set a new password", reset_password});
}

}  // namespace cc::admin
