#include "admin/cli.hpp"

#include <charconv>
#include <cstdlib>
#include <cstdio>

#include "auth/password_hasher.hpp"

namespace cc::admin {

std::string Args::value(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end()) throw UsageError("--" + name + " is required");
  return it->second;
}

std::string Args::value_or(const std::string& name, std::string fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second;
}

std::int64_t Args::parse_id(const std::string& what, const std::string& text) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v <= 0)
    throw UsageError(what + " must be a positive whole number (got \"" + text + "\")");
  return v;
}

std::int64_t Args::id(const std::string& name) const { return parse_id("--" + name, value(name)); }

Args parse_args(const Spec& spec, const std::vector<std::string>& argv) {
  Args a;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& s = argv[i];
    if (s == "--help" || s == "-h") {
      a.help = true;
      continue;
    }
    if (s == "--json") {  // accepted by every command (see want_json)
      a.flags.insert("json");
      continue;
    }
    if (s.rfind("--", 0) == 0 && s.size() > 2) {
      std::string name = s.substr(2), value;
      bool inline_value = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        inline_value = true;
      }
      if (spec.flag_options.count(name)) {
        if (inline_value) throw UsageError("--" + name + " takes no value");
        a.flags.insert(name);
      } else if (spec.value_options.count(name)) {
        if (!inline_value) {
          if (i + 1 >= argv.size()) throw UsageError("--" + name + " needs a value");
          value = argv[++i];
        }
        a.values[name] = value;
      } else {
        throw UsageError("unknown option --" + name + " (usage: carecrowd-admin " + spec.usage + ")");
      }
      continue;
    }
    a.positional.push_back(s);
  }
  if (a.help) return a;
  if (a.positional.size() < spec.min_positional || a.positional.size() > spec.max_positional)
    throw UsageError("usage: carecrowd-admin " + spec.usage);
  return a;
}

bool print_help_if_asked(const Spec& spec, const Args& args) {
  if (!args.help) return false;
  std::printf("usage: carecrowd-admin [--db FILE] [--json] %s\n\n%s", spec.usage.c_str(), spec.help.c_str());
  return true;
}

bool want_json(const Context& ctx, const Args& args) { return ctx.json || args.flags.count("json") > 0; }

std::unique_ptr<store::Store> Context::open(bool create, bool migrate) const {
  store::StoreOptions o;
  o.path = db_path;
  o.create = create;
  o.migrate = migrate;
  try {
    return std::make_unique<store::Store>(o);
  } catch (const std::exception& e) {
    throw Failure(e.what());
  }
}

// The same pepper as the server's: CARECROWD_PEPPER_FILE when set (as the server reads
// it), else the file beside the database.
std::string Context::pepper_path() const {
  if (const char* configured = std::getenv("CARECROWD_PEPPER_FILE"); configured && *configured) return configured;
  return auth::default_pepper_path(db_path);
}

std::vector<CommandInfo>& registry() {
  static std::vector<CommandInfo> r;
  return r;
}

}  // namespace cc::admin
