#pragma once
// The admin CLI's shared pieces: argument parsing with one-line errors, exit codes
// (2 for bad usage, 1 for a failure that changed nothing), and opening the database.
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace cc::admin {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The options a command accepts: `value_options` take a value, `flag_options` do not.
struct Spec {
  std::string usage;        // one line: "user add --email E ..."
  std::string help;         // the rest of --help
  std::set<std::string> value_options;
  std::set<std::string> flag_options;
  std::size_t min_positional = 0;
  std::size_t max_positional = 0;
};

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;
  std::set<std::string> flags;
  bool help = false;

  bool has(const std::string& name) const { return values.count(name) || flags.count(name); }
  std::string value(const std::string& name) const;            // required: UsageError if absent
  std::string value_or(const std::string& name, std::string fallback) const;
  std::int64_t id(const std::string& name) const;              // a positive integer option
  static std::int64_t parse_id(const std::string& what, const std::string& text);
};

Args parse_args(const Spec& spec, const std::vector<std::string>& argv);

struct Context {
  std::string db_path;
  bool json = false;
  // Opens the database; with `create`, makes and migrates it when absent.
  std::unique_ptr<store::Store> open(bool create = false, bool migrate = true) const;
  std::string pepper_path() const;
};

using Command = std::function<int(const Context&, const std::vector<std::string>& argv)>;

struct CommandInfo {
  std::string group;    // "user", or "" for a top-level command
  std::string name;     // "add"
  std::string summary;  // one line for the overview
  Command run;
};

// Every command, registered by the command-group files.
std::vector<CommandInfo>& registry();
void register_db_commands();
void register_user_commands();
void register_settings_commands();
void register_demo_commands();
void register_content_commands();  // principle, challenge, workshop
void register_backup_commands();   // backup, restore
void register_report_commands();   // stats, export ideas

// Prints `spec`'s help when asked and returns true.
bool print_help_if_asked(const Spec& spec, const Args& args);

// Whether to answer in JSON: `--json` before the command or after it (every command
// accepts it; parse_args records it as the flag "json").
bool want_json(const Context& ctx, const Args& args);

}  // namespace cc::admin
