// carecrowd-admin: the config CLI (SPEC §6). Works on the same database as the server,
// safely while it runs. Exit 0 on success, 1 on a failure that changed nothing, 2 on
// bad usage.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "admin/cli.hpp"
#include "domain/error.hpp"

namespace {

void print_overview() {
  std::printf(
      "usage: carecrowd-admin [--db FILE] [--json] COMMAND [ARGS]\n\n"
      "Administers a CareCrowd database (default data/carecrowd.db, or CARECROWD_DB).\n"
      "Safe to use while the server runs. Every command takes --help.\n\nCommands:\n");
  for (const auto& c : cc::admin::registry()) {
    std::string name = c.group.empty() ? c.name : c.group + " " + c.name;
    std::printf("  %-24s %s\n", name.c_str(), c.summary.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cc::admin;
  register_db_commands();
  register_user_commands();
  register_settings_commands();
  register_content_commands();
  register_backup_commands();
  register_report_commands();
  register_demo_commands();

  Context ctx;
  ctx.db_path = std::getenv("CARECROWD_DB") ? std::getenv("CARECROWD_DB") : "data/carecrowd.db";
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    // Global options come before the command.
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
      if (args[i] == "--db") {
        if (i + 1 >= args.size()) throw UsageError("--db needs a file");
        ctx.db_path = args[++i];
      } else if (args[i].rfind("--db=", 0) == 0) {
        ctx.db_path = args[i].substr(5);
      } else if (args[i] == "--json") {
        ctx.json = true;
      } else if (args[i] == "--help" || args[i] == "-h") {
        print_overview();
        return 0;
      } else {
        break;
      }
    }
    if (i >= args.size()) {
      print_overview();
      return 2;
    }
    std::string first = args[i];
    bool is_group = false;
    for (const auto& c : registry()) is_group = is_group || c.group == first;
    std::string second = is_group && i + 1 < args.size() ? args[i + 1] : "";
    for (const auto& c : registry()) {
      bool match = is_group ? (c.group == first && c.name == second) : (c.group.empty() && c.name == first);
      if (!match) continue;
      std::vector<std::string> rest(args.begin() + static_cast<long>(i + (is_group ? 2 : 1)), args.end());
      return c.run(ctx, rest);
    }
    if (is_group) {
      if (second.empty() || second == "--help" || second == "-h") {
        std::printf("usage: carecrowd-admin %s SUBCOMMAND\n\nSubcommands:\n", first.c_str());
        for (const auto& c : registry())
          if (c.group == first) std::printf("  %-16s %s\n", c.name.c_str(), c.summary.c_str());
        return second.empty() ? 2 : 0;
      }
      throw UsageError("unknown subcommand: " + first + " " + second + " (see carecrowd-admin " + first + " --help)");
    }
    throw UsageError("unknown command: " + first + " (see carecrowd-admin --help)");
  } catch (const UsageError& e) {
    std::fprintf(stderr, "carecrowd-admin: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "carecrowd-admin: %s\n", e.what());
    return 1;
  }
}
