// carecrowd-admin settings get KEY | set KEY VALUE | list
#include <cstdio>
#include <nlohmann/json.hpp>

#include "admin/cli.hpp"
#include "domain/error.hpp"
#include "domain/settings.hpp"
#include "service/settings.hpp"
#include "store/workshops_repo.hpp"

namespace cc::admin {

namespace {

std::string keys_help() {
  std::string out = "Keys:\n";
  for (const auto& s : domain::known_settings()) out += "  " + s.key + "  " + s.description + "\n";
  return out;
}

int settings_get(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"settings get KEY", "Prints the value of a runtime setting.\n" + keys_help(), {}, {}, 1, 1};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  const auto& key = args.positional[0];
  bool known = false;
  for (const auto& s : domain::known_settings()) known = known || s.key == key;
  if (!known) throw UsageError("unknown setting: " + key + " (see settings get --help)");
  auto store = ctx.open();
  auto value = service::Settings::get(store->reader(), key);
  if (want_json(ctx, args)) std::printf("%s\n", nlohmann::json{{"key", key}, {"value", value}}.dump().c_str());
  else std::printf("%s\n", value.c_str());
  return 0;
}

int settings_set(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"settings set KEY VALUE",
            "Changes a runtime setting; the running server uses it at once.\n" + keys_help(), {}, {}, 2, 2};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  const auto& key = args.positional[0];
  const auto& value = args.positional[1];
  try {
    domain::validate_setting(key, value);
  } catch (const domain::Error& e) {
    throw UsageError(e.what());
  }
  auto store = ctx.open();
  if (key == "forward.default") {
    // The default workshop must exist (the rule would otherwise forward nowhere).
    const auto rule = domain::parse_forward_default(value);
    if (rule.workshop_id && !store::find_workshop(store->reader(), *rule.workshop_id))
      throw UsageError("forward.default.workshop_id names no workshop (see workshop list)");
  }
  try {
    store->write_sync([&](store::WriteTx& tx) { service::Settings::put(tx.conn, key, value); });
  } catch (const std::exception& e) {
    throw Failure(e.what());
  }
  auto stored = service::Settings::get(store->reader(), key);
  if (want_json(ctx, args)) std::printf("%s\n", nlohmann::json{{"key", key}, {"value", stored}}.dump().c_str());
  else std::printf("%s = %s\n", key.c_str(), stored.c_str());
  return 0;
}

int settings_list(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"settings list", "Lists every runtime setting with its value.\n", {}, {}};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  auto store = ctx.open();
  nlohmann::json out = nlohmann::json::object();
  for (const auto& s : domain::known_settings()) {
    auto v = service::Settings::get(store->reader(), s.key);
    if (want_json(ctx, args)) out[s.key] = v;
    else std::printf("%-30s %s\n", s.key.c_str(), v.c_str());
  }
  if (want_json(ctx, args)) std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace

void register_settings_commands() {
  registry().push_back({"settings", "get", "print a runtime setting", settings_get});
  registry().push_back({"settings", "set", "change a runtime setting", settings_set});
  registry().push_back({"settings", "list", "list the runtime settings", settings_list});
}

}  // namespace cc::admin
