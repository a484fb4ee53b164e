// carecrowd-admin backup FILE | restore FILE
// backup: SQLite's online backup API, copying every page in one step under one read
// transaction, so the copy is one consistent snapshot even while the server writes (WAL
// lets it read without stopping the writer), and it holds every write acknowledged before
// it began (the server acknowledges only after its commit). The copy goes to a temporary
// file that is checked, synced and then renamed: FILE is either the whole backup or absent.
// restore: checks FILE (integrity, schema version) before touching anything, refuses while
// a server has the database open (store/db_lock.hpp) unless --force, keeps a copy of the
// database it replaces, and copies FILE in with the backup API in one transaction.
#include <SQLiteCpp/Backup.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "admin/cli.hpp"
#include "common/clock.hpp"
#include "store/db_lock.hpp"
#include "store/migrator.hpp"

namespace cc::admin {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Copies every page of src into dst in one step, retrying while another connection holds
// a lock that stops it (busy); throws on anything else.
void copy_pages(SQLite::Database& dst, SQLite::Database& src) {
  SQLite::Backup backup(dst, src);
  for (int attempt = 0;; ++attempt) {
    int rc = backup.executeStep(-1);
    if (rc == SQLITE_DONE) return;
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && attempt < 200) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    throw std::runtime_error("the copy could not finish (SQLite code " + std::to_string(rc) + ")");
  }
}

std::string integrity(SQLite::Database& db) {
  SQLite::Statement st(db, "PRAGMA integrity_check");
  std::string out;
  while (st.executeStep()) out += (out.empty() ? "" : "; ") + st.getColumn(0).getString();
  return out;
}

int page_size(SQLite::Database& db) { return db.execAndGet("PRAGMA page_size").getInt(); }

bool has_table(SQLite::Database& db, const char* name) {
  SQLite::Statement st(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  st.bind(1, name);
  return st.executeStep();
}

void sync_path(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string parent_dir(const std::string& path) {
  auto p = fs::path(path).parent_path();
  return p.empty() ? "." : p.string();
}

void remove_db_files(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}

struct Checked {
  int version = 0;
  std::uintmax_t bytes = 0;
};

// Opens `file` read-only and checks it is a whole CareCrowd database this program can use.
Checked verify(const std::string& file) {
  if (!fs::exists(file)) throw Failure("there is no file " + file);
  Checked c;
  try {
    SQLite::Database db(file, SQLite::OPEN_READONLY, 5000);
    auto check = integrity(db);
    if (check != "ok") throw Failure(file + " fails PRAGMA integrity_check: " + check.substr(0, 300));
    c.version = db.execAndGet("PRAGMA user_version").getInt();
    if (c.version < 1 || !has_table(db, "users") || !has_table(db, "challenges") || !has_table(db, "principles"))
      throw Failure(file + " is not a CareCrowd database");
    if (c.version > store::latest_schema_version())
      throw Failure(file + " has schema version " + std::to_string(c.version) + ", newer than this program knows (" +
                    std::to_string(store::latest_schema_version()) + ")");
  } catch (const SQLite::Exception& e) {
    throw Failure(file + " is not a readable SQLite database: " + e.what());
  }
  c.bytes = fs::file_size(file);
  return c;
}

int backup(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"backup FILE [--force] [--json]",
            "Writes a consistent copy of the database to FILE while the server keeps running (SQLite's\n"
            "online backup). The copy holds every change acknowledged before the backup began. FILE is\n"
            "written whole or not at all; an existing FILE is kept unless --force.\n"
            "Keep the pepper file (DB.pepper, or CARECROWD_PEPPER_FILE) safe as well, apart from the\n"
            "backups: passwords cannot be checked without it.\n",
            {}, {"force"}, 1, 1};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  const auto& file = args.positional[0];
  if (!fs::exists(ctx.db_path)) throw Failure("there is no database at " + ctx.db_path);
  if (fs::exists(file) && fs::equivalent(file, ctx.db_path)) throw UsageError("FILE is the database itself");
  if (fs::exists(file) && !args.flags.count("force")) throw Failure(file + " exists already; use --force to replace it");
  auto tmp = file + ".partial";
  remove_db_files(tmp);
  auto started = std::chrono::steady_clock::now();
  int version = 0;
  try {
    {
      SQLite::Database src(ctx.db_path, SQLite::OPEN_READONLY, 5000);
      SQLite::Database dst(tmp, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 5000);
      copy_pages(dst, src);
      // One self-contained file (no -wal beside it), checked before it takes FILE's name.
      dst.exec("PRAGMA journal_mode = DELETE");
      auto check = integrity(dst);
      if (check != "ok") throw std::runtime_error("the copy fails PRAGMA integrity_check: " + check);
      version = dst.execAndGet("PRAGMA user_version").getInt();
    }
    sync_path(tmp, false);
    fs::rename(tmp, file);
    sync_path(parent_dir(file), true);
  } catch (const std::exception& e) {
    remove_db_files(tmp);
    throw Failure(std::string("backup failed, nothing was written: ") + e.what());
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto bytes = fs::file_size(file);
  if (want_json(ctx, args)) {
    std::printf("%s\n", Json{{"file", file}, {"bytes", bytes}, {"schema_version", version}, {"seconds", seconds},
                             {"integrity", "ok"}, {"pepper_file", ctx.pepper_path()}}
                            .dump()
                            .c_str());
  } else {
    std::printf("backup written to %s (%ju bytes, schema version %d, integrity ok, %.2f s)\n", file.c_str(),
                static_cast<std::uintmax_t>(bytes), version, seconds);
    std::printf("keep a copy of %s too, stored apart from backups: passwords cannot be checked without it\n",
                ctx.pepper_path().c_str());
  }
  return 0;
}

int restore(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"restore FILE [--force] [--json]",
            "Replaces the database with the backup FILE. FILE is checked first (PRAGMA integrity_check,\n"
            "a CareCrowd schema this program knows); then the current database is kept as\n"
            "DB.before-restore and FILE's contents are copied in, in one transaction, and any pending\n"
            "migrations applied. Refuses while a CareCrowd server has the database open: stop it\n"
            "first. --force restores under a running server (it then serves the restored data, but\n"
            "live clients may miss events; restart it).\n",
            {}, {"force"}, 1, 1};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  const auto& file = args.positional[0];
  if (fs::exists(ctx.db_path) && fs::exists(file) && fs::equivalent(file, ctx.db_path))
    throw UsageError("FILE is the database itself");
  auto checked = verify(file);

  std::unique_ptr<store::DbLock> lock;
  try {
    lock = store::DbLock::try_acquire(ctx.db_path, store::DbLock::Mode::exclusive);
  } catch (const std::exception& e) {
    throw Failure(e.what());
  }
  bool server_running = !lock;
  if (server_running && !args.flags.count("force"))
    throw Failure("a CareCrowd server has " + ctx.db_path + " open; stop it first (or use --force)");

  std::string kept;
  int version = 0;
  std::int64_t epoch_before = 0;
  try {
    bool existed = fs::exists(ctx.db_path);
    if (existed) {
      // The database being replaced, as it is now: a restore can be undone.
      kept = ctx.db_path + ".before-restore";
      remove_db_files(kept);
      SQLite::Database current(ctx.db_path, SQLite::OPEN_READONLY, 5000);
      if (has_table(current, "auth_epoch")) epoch_before = current.execAndGet("SELECT n FROM auth_epoch").getInt64();
      SQLite::Database copy(kept, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 5000);
      copy_pages(copy, current);
      copy.exec("PRAGMA journal_mode = DELETE");
    }
    {
      SQLite::Database src(file, SQLite::OPEN_READONLY, 5000);
      SQLite::Database dst(ctx.db_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 5000);
      // A database in WAL mode keeps its page size, so a backup with pages of another
      // size (new databases have 2 KiB, older ones 4 KiB) cannot be copied into it. It is
      // copied in rollback mode instead (WAL again below), which needs the database to
      // itself.
      if (page_size(src) != page_size(dst)) {
        std::string mode;
        try {
          mode = dst.execAndGet("PRAGMA journal_mode = DELETE").getString();
        } catch (const SQLite::Exception&) {
        }
        if (mode != "delete")
          throw Failure(file + " has pages of " + std::to_string(page_size(src)) + " bytes and " + ctx.db_path +
                        " of " + std::to_string(page_size(dst)) +
                        ": the copy needs the database to itself; stop the server, then restore again");
      }
      copy_pages(dst, src);
    }
    // The server's settings: WAL, then the migrations this program has that FILE lacks.
    store::Connection conn(ctx.db_path, store::Access::read_write, 5000);
    conn.exec("PRAGMA journal_mode = WAL");
    store::migrate(conn);
    // A server running on (--force) keeps the sessions it has read until this number
    // moves (sql/0007): past any it can have seen, before the restore or in the backup.
    auto bump = conn.prepare("UPDATE auth_epoch SET n = max(n, ?) + 1");
    bump->bind(1, epoch_before);
    bump->exec();
    version = store::current_schema_version(conn);
  } catch (const Failure&) {
    throw;
  } catch (const std::exception& e) {
    throw Failure(std::string("restore failed: ") + e.what() +
                  (kept.empty() ? "" : " (the database as it was is kept in " + kept + ")"));
  }
  if (want_json(ctx, args)) {
    std::printf("%s\n", Json{{"restored_from", file}, {"database", ctx.db_path}, {"schema_version", version},
                             {"previous_copy", kept.empty() ? Json() : Json(kept)}, {"server_running", server_running}}
                            .dump()
                            .c_str());
  } else {
    std::printf("restored %s from %s (schema version %d, was %d in the backup)\n", ctx.db_path.c_str(), file.c_str(),
                version, checked.version);
    if (!kept.empty()) std::printf("the database as it was is kept in %s\n", kept.c_str());
    if (server_running) std::printf("a server was running: restart it so live clients start afresh\n");
  }
  return 0;
}

}  // namespace

void register_backup_commands() {
  registry().push_back({"", "backup", "write a consistent copy of the database (safe while the server runs)", backup});
  registry().push_back({"", "restore", "replace the database with a checked backup (server stopped)", restore});
}

}  // namespace cc::admin
