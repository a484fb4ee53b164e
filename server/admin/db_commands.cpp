// carecrowd-admin init | migrate [--status]
#include <cstdio>
#include <filesystem>

#include "admin/cli.hpp"
#include "store/migrator.hpp"

namespace cc::admin {

namespace {

int init(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"init", "Creates the database (if absent) and applies every migration. Safe to run again.\n", {}, {}};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  auto store = ctx.open(true, true);
  std::printf("database ready at %s (schema version %d)\n", ctx.db_path.c_str(), store->schema_version());
  return 0;
}

int migrate(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"migrate [--status]",
            "Applies pending migrations, each in its own transaction.\n"
            "  --status   only show the current and latest schema versions\n",
            {}, {"status"}};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  if (!std::filesystem::exists(ctx.db_path))
    throw Failure("there is no database at " + ctx.db_path + " (run carecrowd-admin init first)");
  try {
    store::Connection conn(ctx.db_path, store::Access::read_write, 5000);
    int current = store::current_schema_version(conn);
    int latest = store::latest_schema_version();
    if (args.flags.count("status")) {
      std::printf("schema version %d; this program knows up to %d", current, latest);
      std::printf(current < latest ? " (%d pending)\n" : " (up to date)\n", latest - current);
      for (const auto& m : store::migrations())
        std::printf("  %s %s\n", m.version <= current ? "applied" : "pending", m.name);
      return 0;
    }
    int applied = store::migrate(conn);
    std::printf("applied %d migration(s); schema version %d\n", applied, store::current_schema_version(conn));
  } catch (const std::exception& e) {
    throw Failure(e.what());
  }
  return 0;
}
}  // namespace

void register_db_commands() {
  registry().push_back({"", "init", "create the database and apply migrations", init});
  registry().push_back({"", "migrate", "apply pending migrations (--status to list them)", migrate});
}

}  // namespace cc::admin
