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
#include "store/privacy_repo.hpp"
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
  if (want_json(ctx, args)) {
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

int user_list(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"user list [--limit N]", "Lists users in id order.\n", {"limit"}, {}};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  int limit = args.has("limit") ? static_cast<int>(Args::parse_id("--limit", args.value("limit"))) : 1000000;
  auto store = ctx.open();
  auto users = store::list_users(store->reader(), 0, limit);
  if (want_json(ctx, args)) {
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

int export_person(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"user export EMAIL [--output FILE]",
            "Prints, as JSON, all the personal data held about a person (a subject access request):\n"
            "their profile, sessions, ideas (anonymous ones too), comments, votes, the challenges they\n"
            "took part in, follows, notifications, flags they raised and status changes they made.\n",
            {"output"}, {}, 1, 1};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  auto store = ctx.open();
  auto user = find_by_email(*store, args.positional[0]);
  nlohmann::json data;
  {
    store::ReadTx read(store->reader());
    data = store::person_data(store->reader(), user.id);
  }
  data["exported_at"] = now_rfc3339();
  auto text = data.dump(2) + "\n";
  if (!args.has("output")) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  auto path = args.value("output");
  std::FILE* f = std::fopen(path.c_str(), "wbx");  // never overwrite: it holds personal data
  if (!f) throw Failure("cannot create " + path + " (it may exist already)");
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) {
    std::remove(path.c_str());
    throw Failure("cannot write " + path);
  }
  std::printf("personal data of %s written to %s\n", user.email.c_str(), path.c_str());
  return 0;
}

int erase_person(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"user erase EMAIL --yes",
            "Erases a person's personal data (the right to erasure) and cannot be undone: their email,\n"
            "name, organisation and place are replaced with placeholders, the password is made unusable,\n"
            "the account is disabled, every session ends, and their notifications and follows are\n"
            "deleted. Their ideas, comments and votes stay and keep counting, shown as \"Erased user\";\n"
            "their name is scrubbed from the event log and from others' notifications too. Their\n"
            "profession stays, so the diversity figures remain true. --yes confirms.\n",
            {}, {"yes"}, 1, 1};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  if (!args.flags.count("yes")) throw UsageError("erasing cannot be undone: add --yes to confirm");
  auto store = ctx.open();
  auto user = find_by_email(*store, args.positional[0]);
  int revoked = 0, notifications = 0, events = 0;
  try {
    store->write_sync([&](store::WriteTx& tx) {
      revoked = store::erase_person(tx.conn, user.id);
      notifications = store::scrub_notifications(tx.conn, user.id);
    });
    // The event log can be long: scrub it in short transactions so the server keeps writing.
    std::int64_t from = 1;
    while (from) {
      store->write_sync([&](store::WriteTx& tx) { from = store::scrub_events(tx.conn, user.id, from, 5000, &events); });
    }
  } catch (const std::exception& e) {
    throw Failure(std::string("erasure did not finish: ") + e.what() + " (run it again)");
  }
  if (want_json(ctx, args))
    std::printf("%s\n", nlohmann::json{{"erased_user_id", user.id}, {"sessions_revoked", revoked},
                                       {"notifications_scrubbed", notifications}, {"events_scrubbed", events}}
                            .dump()
                            .c_str());
  else
    std::printf("erased the personal data of user %lld; %d session(s) ended, %d event(s) and %d notification(s) scrubbed\n",
                static_cast<long long>(user.id), revoked, events, notifications);
  return 0;
}

}  // namespace

void register_user_commands() {
  registry().push_back({"user", "add", "add a user", add});
  registry().push_back({"user", "list", "list users", user_list});
  registry().push_back({"user", "role", "change a user's role", role});
  registry().push_back({"user", "disable", "disable a user and end their sessions",
                        [](const Context& c, const std::vector<std::string>& a) { return set_status(c, a, false); }});
  registry().push_back({"user", "enable", "enable a disabled user",
                        [](const Context& c, const std::vector<std::string>& a) { return set_status(c, a, true); }});
  registry().push_back({"user", "reset-password", "set a new password", reset_password});
  registry().push_back({"user", "export", "print all personal data held about a person (JSON)", export_person});
  registry().push_back({"user", "erase", "erase a person's personal data, keeping their contributions", erase_person});
}

}  // namespace cc::admin
