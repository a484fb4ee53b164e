// carecrowd-admin (SPEC §6, issue 7): the real binary against a temp database, for every
// command's success and its error paths. Exit 0 on success, 2 for bad usage, 1 for a
// failure that changed nothing; errors are one line on stderr.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "integration/impact_helpers.hpp"

using namespace cc::test;
using namespace cc::test::impact;
namespace fs = std::filesystem;

namespace {

std::int64_t count_rows(const std::string& db, const std::string& table) {
  SQLite::Database c(db, SQLite::OPEN_READONLY, 5000);
  return c.execAndGet("SELECT count(*) FROM " + table).getInt64();
}

std::string integrity(const std::string& db) {
  SQLite::Database c(db, SQLite::OPEN_READONLY, 5000);
  return c.execAndGet("PRAGMA integrity_check").getString();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// Asserts a failed command: its exit status and exactly one line on stderr.
void expect_error(const CommandResult& r, int code, const std::string& fragment = "") {
  EXPECT_EQ(r.exit_code, code) << r.err << r.out;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  if (!fragment.empty()) {
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
  }
}

json parse_out(const CommandResult& r) {
  auto j = json::parse(r.out, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error("not JSON: " + r.out + r.err);
  return j;
}

const std::vector<std::vector<std::string>> kCommands = {
    {"init"},
    {"migrate"},
    {"user", "add"},
    {"user", "list"},
    {"user", "role"},
    {"user", "disable"},
    {"user", "enable"},
    {"user", "reset-password"},
    {"user", "export"},
    {"user", "erase"},
    {"principle", "list"},
    {"principle", "edit"},
    {"challenge", "import"},
    {"challenge", "list"},
    {"workshop", "create"},
    {"workshop", "list"},
    {"settings", "get"},
    {"settings", "set"},
    {"settings", "list"},
    {"backup"},
    {"restore"},
    {"export", "ideas"},
    {"stats"},
    {"demo-data"},
};

}  // namespace

TEST(AdminCli, EveryCommandHasHelpAndBadUsageExitsTwo) {
  TempDir dir;
  auto db = dir.file("x.db");
  for (const auto& cmd : kCommands) {
    std::vector<std::string> argv = {CARECROWD_ADMIN_BIN, "--db", db};
    argv.insert(argv.end(), cmd.begin(), cmd.end());
    auto with_help = argv;
    with_help.push_back("--help");
    auto r = run_command(with_help);
    std::string name = cmd.size() > 1 ? cmd[0] + " " + cmd[1] : cmd[0];
    EXPECT_EQ(r.exit_code, 0) << name << r.err;
    EXPECT_NE(r.out.find("usage: carecrowd-admin"), std::string::npos) << name;
    EXPECT_NE(r.out.find(name), std::string::npos) << name << ": " << r.out;
    auto bogus = argv;
    bogus.push_back("--no-such-option");
    expect_error(run_command(bogus), 2, "--no-such-option");
  }
  EXPECT_FALSE(fs::exists(db)) << "--help and bad usage touch nothing";
  // The overview and the groups.
  auto overview = run_command({CARECROWD_ADMIN_BIN, "--help"});
  EXPECT_EQ(overview.exit_code, 0);
  for (const auto& cmd : kCommands) EXPECT_NE(overview.out.find(cmd[0]), std::string::npos) << cmd[0];
  for (const char* group : {"user", "principle", "challenge", "workshop", "settings", "export"}) {
    auto r = run_command({CARECROWD_ADMIN_BIN, group, "--help"});
    EXPECT_EQ(r.exit_code, 0) << group;
    expect_error(run_command({CARECROWD_ADMIN_BIN, group, "frobnicate"}), 2, "unknown subcommand");
  }
  expect_error(run_command({CARECROWD_ADMIN_BIN, "--db", db, "frobnicate"}), 2, "unknown command");
  EXPECT_EQ(run_command({CARECROWD_ADMIN_BIN}).exit_code, 2);
  // A database that is not there is a failure, not bad usage.
  expect_error(run_command({CARECROWD_ADMIN_BIN, "--db", db, "user", "list"}), 1, "no database");
}

TEST(AdminCli, InitAndMigrate) {
  TempDir dir;
  auto db = dir.file("sub/dir/x.db");
  auto admin = [&](std::vector<std::string> a) {
    a.insert(a.begin(), {CARECROWD_ADMIN_BIN, "--db", db});
    return run_command(a);
  };
  auto r = admin({"init"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("schema version"), std::string::npos);
  EXPECT_EQ(admin({"init"}).exit_code, 0) << "init again is harmless";
  auto st = admin({"migrate", "--status"});
  EXPECT_EQ(st.exit_code, 0);
  EXPECT_NE(st.out.find("up to date"), std::string::npos) << st.out;
  EXPECT_EQ(admin({"migrate"}).exit_code, 0);
  expect_error(admin({"init", "extra"}), 2);
}

TEST(AdminCli, Users) {
  Deployment d;
  auto email = d.add_user("alice", "staff", "nursing", "Trust A");
  // A generated password is printed once and works.
  auto gen = d.admin({"user", "add", "--email", "Bob@Example.NHS.uk", "--name", "Bob", "--role", "design_group",
                      "--profession", "medical", "--organisation", "Trust B", "--json"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  auto added = parse_out(gen);
  EXPECT_EQ(added["user"]["email"], "bob@example.nhs.uk");
  auto password = added["user"]["password"].get<std::string>();
  Client bob = d.client();
  EXPECT_EQ(bob.login("bob@example.nhs.uk", password).status, 200);

  expect_error(d.admin({"user", "add", "--email", email, "--name", "Again", "--role", "staff", "--profession", "nursing",
                        "--organisation", "T"}),
               1, "exists");
  expect_error(d.admin({"user", "add", "--email", "c@example.nhs.uk", "--name", "C", "--role", "king", "--profession",
                        "nursing", "--organisation", "T"}),
               2, "--role");
  expect_error(d.admin({"user", "add", "--email", "c@example.nhs.uk", "--name", "C", "--role", "staff", "--profession",
                        "astronaut", "--organisation", "T"}),
               2, "profession");
  expect_error(d.admin({"user", "add", "--email", "c@example.nhs.uk", "--name", "C", "--role", "staff", "--profession",
                        "nursing", "--organisation", "T", "--password-stdin"},
                       "password\n"),
               2);
  expect_error(d.admin({"user", "add", "--name", "C"}), 2, "--email");

  auto list = parse_out(d.admin({"user", "list", "--json"}));
  ASSERT_EQ(list["items"].size(), 2u);
  auto text = d.admin({"user", "list"});
  EXPECT_NE(text.out.find("alice@example.nhs.uk"), std::string::npos);
  EXPECT_NE(d.admin({"user", "list", "--limit", "1"}).out.find("alice"), std::string::npos);
  expect_error(d.admin({"user", "list", "--limit", "x"}), 2);

  // Role changes take effect for the next request.
  Client alice = d.signed_in(email);
  EXPECT_EQ(alice.get(kApi + "/metrics/overview").status, 403);
  ASSERT_EQ(d.admin({"user", "role", email, "design_group"}).exit_code, 0);
  EXPECT_EQ(alice.get(kApi + "/metrics/overview").status, 200);
  expect_error(d.admin({"user", "role", email, "emperor"}), 2);
  expect_error(d.admin({"user", "role", "nobody@example.nhs.uk", "staff"}), 1, "no user");

  // Disabling ends the sessions at once and stops sign-in; enabling lets them back.
  ASSERT_EQ(d.admin({"user", "disable", email}).exit_code, 0);
  EXPECT_EQ(alice.get(kApi + "/me").status, 401);
  EXPECT_NE(d.client().login(email, Deployment::kPassword).status, 200);
  ASSERT_EQ(d.admin({"user", "enable", email}).exit_code, 0);
  EXPECT_EQ(d.client().login(email, Deployment::kPassword).status, 200);
  expect_error(d.admin({"user", "disable", "nobody@example.nhs.uk"}), 1);

  // A new password: the old one stops working and the sessions end.
  Client again = d.signed_in(email);
  auto reset = d.admin({"user", "reset-password", email, "--password-stdin"}, "a brand new passphrase 42\n");
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_EQ(again.get(kApi + "/me").status, 401);
  EXPECT_NE(d.client().login(email, Deployment::kPassword).status, 200);
  EXPECT_EQ(d.client().login(email, "a brand new passphrase 42").status, 200);
  expect_error(d.admin({"user", "reset-password", email, "--password-stdin"}, "short\n"), 2);
  expect_error(d.admin({"user", "reset-password", "nobody@example.nhs.uk"}), 1);
}

TEST(AdminCli, PrinciplesListAndEditLive) {
  Deployment d;
  Client c = d.signed_in(d.add_user("reader", "staff"));
  auto list = parse_out(d.admin({"principle", "list", "--json"}));
  ASSERT_EQ(list["items"].size(), 5u);
  EXPECT_EQ(list["items"][0]["code"], "P1");
  EXPECT_NE(d.admin({"principle", "list"}).out.find("P5"), std::string::npos);

  auto r = d.admin({"principle", "edit", "P2", "--title", "Learning together", "--summary", "A new summary."});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto api = must(c.get(kApi + "/principles"), 200, "principles");
  EXPECT_EQ(api["items"][1]["title"], "Learning together");
  EXPECT_EQ(api["items"][1]["summary"], "A new summary.");
  EXPECT_EQ(d.admin({"principle", "edit", "3", "--title", "By id"}).exit_code, 0);

  expect_error(d.admin({"principle", "edit", "P9", "--title", "Nope"}), 2, "P9");
  expect_error(d.admin({"principle", "edit", "P1", "--title", "x"}), 2, "title");
  expect_error(d.admin({"principle", "edit", "P1"}), 2, "nothing to change");
  expect_error(d.admin({"principle", "edit"}), 2);
  EXPECT_EQ(must(c.get(kApi + "/principles"), 200, "principles")["items"][0]["title"], list["items"][0]["title"]);
}

TEST(AdminCli, ChallengeImportIsAllOrNothing) {
  Deployment d;
  Client lead = d.signed_in(d.add_user("lead", "design_group"));
  Client staff = d.signed_in(d.add_user("staff", "staff"));
  auto example = std::string(CARECROWD_SOURCE_DIR) + "/config/challenges.example.json";

  auto dry = d.admin({"challenge", "import", example, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(count_rows(d.db, "challenges"), 0);

  auto r = d.admin({"challenge", "import", example, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto imported = parse_out(r)["imported"];
  ASSERT_EQ(imported.size(), 3u);
  EXPECT_EQ(imported[0]["status"], "open");
  EXPECT_EQ(imported[0]["principle_ids"], json({1}));
  EXPECT_EQ(imported[0]["voting"]["votes_per_user"], 10);
  EXPECT_EQ(imported[1]["status"], "draft");
  EXPECT_EQ(imported[1]["principle_ids"], json({3, 4}));
  EXPECT_EQ(imported[1]["voting"]["model"], "updown");
  EXPECT_EQ(imported[2]["principle_ids"], json({2}));
  // The running server serves them: staff see the open one, not the drafts.
  auto id = imported[0]["id"].get<std::int64_t>();
  EXPECT_EQ(must(staff.get(kApi + "/challenges/" + str(id)), 200, "open")["challenge"]["title"], imported[0]["title"]);
  EXPECT_EQ(staff.get(kApi + "/challenges/" + str(imported[1]["id"].get<std::int64_t>())).status, 404);
  EXPECT_EQ(lead.get(kApi + "/challenges/" + str(imported[1]["id"].get<std::int64_t>())).status, 200);
  // Ideas can be submitted to the open one.
  EXPECT_EQ(staff.post(kApi + "/challenges/" + str(id) + "/ideas", {{"title", "An idea"}, {"body", "b"}}).status, 201);

  // Importing again adds nothing; --skip-existing skips.
  expect_error(d.admin({"challenge", "import", example}), 1, "field title");
  auto skip = parse_out(d.admin({"challenge", "import", example, "--skip-existing", "--json"}));
  EXPECT_EQ(skip["imported"].size(), 0u);
  EXPECT_EQ(skip["skipped"], 3);
  EXPECT_EQ(count_rows(d.db, "challenges"), 3);

  auto list = parse_out(d.admin({"challenge", "list", "--json"}));
  EXPECT_EQ(list["items"].size(), 3u);
  EXPECT_EQ(parse_out(d.admin({"challenge", "list", "--status", "draft", "--json"}))["items"].size(), 2u);
  EXPECT_NE(d.admin({"challenge", "list"}).out.find("protected time"), std::string::npos);
  expect_error(d.admin({"challenge", "list", "--status", "sideways"}), 2);

  // A bad entry anywhere: nothing is written, the error names the entry and the field.
  auto file = d.dir.file("bad.json");
  struct Bad {
    json entry;
    std::string expect;
  };
  std::vector<Bad> bad = {
      {{{"title", "No"}, {"principles", {"P1"}}}, "entry 2 (\"No\"), field title"},
      {{{"title", "Missing principles"}}, "field principles"},
      {{{"title", "Unknown principle"}, {"principles", {"P7"}}}, "field principles"},
      {{{"title", "Bad status"}, {"principles", {"P1"}}, {"status", "closed"}}, "field status"},
      {{{"title", "Bad dates"}, {"principles", {"P1"}}, {"opens_at", "2030-02-01T00:00:00Z"}, {"closes_at", "2030-01-01T00:00:00Z"}},
       "field closes_at"},
      {{{"title", "Bad time"}, {"principles", {"P1"}}, {"closes_at", "next tuesday"}}, "field closes_at"},
      {{{"title", "Bad voting"}, {"principles", {"P1"}}, {"voting", {{"model", "sideways"}}}}, "field voting"},
      {{{"title", "No workshop"}, {"principles", {"P1"}}, {"forward", {{"top_n", 3}, {"workshop_id", 999}}}}, "field forward"},
      {{{"title", "Typo"}, {"principles", {"P1"}}, {"closes_on", "2030-01-01T00:00:00Z"}}, "field closes_on"},
      {{{"title", "Good one"}, {"principles", {"P1"}}}, "the same title"},
  };
  for (const auto& b : bad) {
    json doc = {{"challenges", {{{"title", "Good one"}, {"principles", {"P2"}}}, b.entry}}};
    write_file(file, doc.dump());
    auto res = d.admin({"challenge", "import", file});
    SCOPED_TRACE(b.entry.dump());
    expect_error(res, 1, b.expect);
    EXPECT_EQ(count_rows(d.db, "challenges"), 3) << "nothing written";
  }
  write_file(file, "{not json");
  expect_error(d.admin({"challenge", "import", file}), 1, "not valid JSON");
  write_file(file, R"({"challenges": []})");
  expect_error(d.admin({"challenge", "import", file}), 1);
  write_file(file, R"({"challenges": [1]})");
  expect_error(d.admin({"challenge", "import", file}), 1, "entry 1");
  expect_error(d.admin({"challenge", "import", d.dir.file("missing.json")}), 1, "cannot read");
  expect_error(d.admin({"challenge", "import"}), 2);
  EXPECT_EQ(count_rows(d.db, "challenges"), 3);
}

TEST(AdminCli, Workshops) {
  Deployment d;
  Client staff = d.signed_in(d.add_user("staff", "staff"));
  auto r = d.admin({"workshop", "create", "--title", "Design workshop 1", "--description", "Day one", "--scheduled-at",
                    "2030-12-01T09:00:00Z", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto w = parse_out(r)["workshop"];
  EXPECT_EQ(w["status"], "planned");
  EXPECT_EQ(w["scheduled_at"], "2030-12-01T09:00:00Z");
  auto api = must(staff.get(kApi + "/workshops/" + str(w["id"].get<std::int64_t>())), 200, "workshop");
  EXPECT_EQ(api["workshop"]["title"], "Design workshop 1");
  EXPECT_EQ(d.admin({"workshop", "create", "--title", "Second"}).exit_code, 0);
  auto list = parse_out(d.admin({"workshop", "list", "--json"}));
  EXPECT_EQ(list["items"].size(), 2u);
  EXPECT_NE(d.admin({"workshop", "list"}).out.find("Design workshop 1"), std::string::npos);
  expect_error(d.admin({"workshop", "create"}), 2, "--title");
  expect_error(d.admin({"workshop", "create", "--title", "x"}), 2, "title");
  expect_error(d.admin({"workshop", "create", "--title", "Fine title", "--scheduled-at", "soon"}), 2, "scheduled-at");
  EXPECT_EQ(count_rows(d.db, "workshops"), 2);
}

TEST(AdminCli, SettingsAreValidatedAndTakeEffectLive) {
  Deployment d;
  auto reg = [&](const std::string& email) {
    Client c = d.client();
    return c.post(kApi + "/auth/register", {{"email", email},
                                           {"password", "a long enough passphrase 1"},
                                           {"display_name", "New Person"},
                                           {"profession", "nursing"},
                                           {"organisation", "Trust"}});
  };
  ASSERT_EQ(d.admin({"settings", "set", "registration.open", "false"}).exit_code, 0);
  EXPECT_EQ(d.admin({"settings", "get", "registration.open"}).out, "false\n");
  EXPECT_EQ(reg("a@example.nhs.uk").status, 403) << "closed at once, no restart";
  ASSERT_EQ(d.admin({"settings", "set", "registration.open", "true"}).exit_code, 0);
  ASSERT_EQ(d.admin({"settings", "set", "registration.allowed_domains", "nhs.net, Example.ORG"}).exit_code, 0);
  EXPECT_EQ(d.admin({"settings", "get", "registration.allowed_domains"}).out, "nhs.net,example.org\n");
  EXPECT_EQ(reg("b@example.nhs.uk").status, 422);
  EXPECT_EQ(reg("b@example.org").status, 201);
  ASSERT_EQ(d.admin({"settings", "set", "registration.allowed_domains", ""}).exit_code, 0);
  EXPECT_EQ(reg("c@anywhere.example").status, 201);

  // Professions: a new one is accepted at once.
  ASSERT_EQ(d.admin({"settings", "set", "professions", "nursing,medical,chaplaincy"}).exit_code, 0);
  Client c = d.client();
  EXPECT_EQ(c.post(kApi + "/auth/register", {{"email", "d@x.example"}, {"password", "a long enough passphrase 1"},
                                            {"display_name", "D"}, {"profession", "chaplaincy"}, {"organisation", "T"}})
                .status,
            201);
  EXPECT_EQ(c.post(kApi + "/auth/register", {{"email", "e@x.example"}, {"password", "a long enough passphrase 1"},
                                            {"display_name", "E"}, {"profession", "pharmacy"}, {"organisation", "T"}})
                .status,
            422);

  // Default rules for new challenges.
  ASSERT_EQ(d.admin({"settings", "set", "voting.default", R"({"model":"updown","votes_per_user":3})"}).exit_code, 0);
  Client lead = d.signed_in(d.add_user("lead", "design_group", "nursing"));
  auto ch = must(lead.post(kApi + "/challenges", {{"title", "Defaults"}, {"brief", "b"}, {"principle_ids", {1}}}), 201, "c");
  EXPECT_EQ(ch["challenge"]["voting"]["model"], "updown");
  EXPECT_EQ(ch["challenge"]["voting"]["votes_per_user"], 3);

  // A default workshop for forwarding must exist; then new challenges forward there.
  auto w = parse_out(d.admin({"workshop", "create", "--title", "Default workshop", "--json"}))["workshop"]["id"].get<std::int64_t>();
  ASSERT_EQ(d.admin({"settings", "set", "forward.default", R"({"top_n":3,"min_votes":2,"workshop_id":)" + str(w) + "}"}).exit_code, 0);
  auto ch2 = must(lead.post(kApi + "/challenges", {{"title", "Forward defaults"}, {"brief", "b"}, {"principle_ids", {1}}}), 201, "c");
  EXPECT_EQ(ch2["challenge"]["forward"], json({{"top_n", 3}, {"min_votes", 2}, {"workshop_id", w}}));
  // The admin CLI's import gives the same defaults to entries that leave their rules out.
  auto defaults_file = d.dir.file("defaults.json");
  write_file(defaults_file, json({{"challenges", {{{"title", "Imported defaults"}, {"principles", {"P2"}}}}}}).dump());
  auto imported = parse_out(d.admin({"challenge", "import", defaults_file, "--json"}))["imported"];
  ASSERT_EQ(imported.size(), 1u);
  EXPECT_EQ(imported[0]["voting"], json({{"model", "updown"}, {"votes_per_user", 3}}));
  EXPECT_EQ(imported[0]["forward"], json({{"top_n", 3}, {"min_votes", 2}, {"workshop_id", w}}));

  auto all = parse_out(d.admin({"settings", "list", "--json"}));
  EXPECT_EQ(all["registration.open"], "true");
  EXPECT_TRUE(all.contains("workforce.baseline"));
  EXPECT_NE(d.admin({"settings", "list"}).out.find("forward.default"), std::string::npos);
  EXPECT_EQ(parse_out(d.admin({"settings", "get", "professions", "--json"}))["value"], "nursing,medical,chaplaincy");

  // Invalid values are refused (exit 2) and change nothing.
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"registration.open", "maybe"},
           {"registration.allowed_domains", "not a domain"},
           {"professions", "Nurses!"},
           {"professions", ""},
           {"workforce.baseline", "[1,2]"},
           {"workforce.baseline", R"({"nursing": 1.5})"},
           {"workforce.baseline", R"({"nursing": 0.7, "medical": 0.6})"},
           {"voting.default", R"({"model":"sideways"})"},
           {"forward.default", R"({"top_n":-1})"},
           {"forward.default", R"({"top_n":3,"min_votes":1,"workshop_id":999})"}}) {
    expect_error(d.admin({"settings", "set", key, value}), 2);
  }
  EXPECT_EQ(d.admin({"settings", "get", "registration.open"}).out, "true\n");
  expect_error(d.admin({"settings", "set", "no.such.key", "1"}), 2, "unknown setting");
  expect_error(d.admin({"settings", "get", "no.such.key"}), 2, "unknown setting");
  expect_error(d.admin({"settings", "set", "registration.open"}), 2);
}

TEST(AdminCli, BackupUnderConcurrentWritesRestoresEveryAcknowledgedIdea) {
  Crowd crowd;
  auto& lead = crowd.add("lead", "design_group", "management", "ICB");
  auto ch = crowd.challenge(lead.client, {{"title", "Busy challenge"}, {"brief", "b"}, {"principle_ids", {1}}, {"status", "open"}});

  std::mutex mu;
  std::set<std::int64_t> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  std::vector<Client> clients;
  for (int t = 0; t < 3; ++t) clients.push_back(crowd.d.signed_in(crowd.d.add_user("w" + std::to_string(t), "staff")));
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      Client& c = clients[static_cast<std::size_t>(t)];
      for (int i = 0; !stop; ++i) {
        auto r = c.post(kApi + "/challenges/" + str(ch) + "/ideas",
                        {{"title", "Idea " + std::to_string(t) + "-" + std::to_string(i)}, {"body", "b"}});
        if (r.status == 201) {
          std::lock_guard lock(mu);
          acknowledged.insert(r.json_body()["idea"]["id"].get<std::int64_t>());
        } else if (r.status == 429) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        } else {
          ++failures;
        }
      }
    });
  }
  auto wait_for = [&](std::size_t n) {
    for (int i = 0; i < 400; ++i) {
      {
        std::lock_guard lock(mu);
        if (acknowledged.size() >= n) return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  };
  wait_for(20);
  std::set<std::int64_t> before;
  {
    std::lock_guard lock(mu);
    before = acknowledged;
  }
  auto backup_file = crowd.d.dir.file("backup.db");
  auto b = crowd.d.admin({"backup", backup_file, "--json"});
  std::size_t during;
  {
    std::lock_guard lock(mu);
    during = acknowledged.size();
  }
  wait_for(during + 10);  // writes carry on after the backup
  stop = true;
  for (auto& t : threads) t.join();
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(parse_out(b)["integrity"], "ok");
  EXPECT_EQ(failures.load(), 0);
  EXPECT_FALSE(fs::exists(backup_file + ".partial"));
  EXPECT_FALSE(fs::exists(backup_file + "-wal")) << "one self-contained file";
  EXPECT_GT(acknowledged.size(), before.size()) << "the server kept writing around the backup";

  // Restore into a fresh database: it passes integrity_check and holds every idea
  // acknowledged before the backup began.
  auto restored = crowd.d.dir.file("restored.db");
  auto r = run_command({CARECROWD_ADMIN_BIN, "--db", restored, "restore", backup_file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(integrity(restored), "ok");
  std::set<std::int64_t> held;
  {
    SQLite::Database db(restored, SQLite::OPEN_READONLY, 5000);
    SQLite::Statement st(db, "SELECT id FROM ideas WHERE challenge_id = ?");
    st.bind(1, ch);
    while (st.executeStep()) held.insert(st.getColumn(0).getInt64());
    // Counters agree with the rows in the snapshot.
    auto counter = db.execAndGet("SELECT idea_count FROM challenges WHERE id = " + str(ch)).getInt64();
    EXPECT_EQ(counter, static_cast<std::int64_t>(held.size()));
  }
  for (auto id : before) EXPECT_TRUE(held.count(id)) << "acknowledged idea " << id << " is missing";
  EXPECT_LE(held.size(), acknowledged.size());

  // A server runs on the restored copy, given the pepper (kept apart from backups, as
  // `backup` says): the passwords work there too.
  fs::copy_file(crowd.d.db + ".pepper", restored + ".pepper");
  ServerProcess s(restored, fast_options());
  Client c(s);
  ASSERT_EQ(c.login(lead.email, Deployment::kPassword).status, 200);
  EXPECT_EQ(must(c.get(kApi + "/challenges/" + str(ch)), 200, "challenge")["challenge"]["counts"]["ideas"],
            static_cast<std::int64_t>(held.size()));
}

TEST(AdminCli, RestoreChecksTheFileAndRefusesWhileAServerRuns) {
  Crowd crowd;
  auto& lead = crowd.add("lead", "design_group", "management", "ICB");
  auto& staff = crowd.add("staff", "staff", "nursing", "Trust A");
  auto ch = crowd.challenge(lead.client, {{"title", "Before the backup"}, {"brief", "b"}, {"principle_ids", {1}}, {"status", "open"}});
  crowd.idea(staff, ch, "Kept idea");
  auto file = crowd.d.dir.file("b.db");
  ASSERT_EQ(crowd.d.admin({"backup", file}).exit_code, 0);
  expect_error(crowd.d.admin({"backup", file}), 1, "exists");
  EXPECT_EQ(crowd.d.admin({"backup", file, "--force"}).exit_code, 0);
  expect_error(crowd.d.admin({"backup"}), 2);
  crowd.idea(staff, ch, "After the backup");
  EXPECT_EQ(count_rows(crowd.d.db, "ideas"), 2);

  // While the server runs: refused, nothing changes.
  expect_error(crowd.d.admin({"restore", file}), 1, "server");
  EXPECT_EQ(count_rows(crowd.d.db, "ideas"), 2);

  // Bad files are refused before anything changes.
  auto junk = crowd.d.dir.file("junk.db");
  write_file(junk, std::string(8192, 'x'));
  expect_error(crowd.d.admin({"restore", junk, "--force"}), 1);
  auto other = crowd.d.dir.file("other.db");
  {
    SQLite::Database db(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE t(x)");
  }
  expect_error(crowd.d.admin({"restore", other, "--force"}), 1, "not a CareCrowd database");
  auto newer = crowd.d.dir.file("newer.db");
  ASSERT_EQ(crowd.d.admin({"backup", newer}).exit_code, 0);
  {
    SQLite::Database db(newer, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 999");
  }
  expect_error(crowd.d.admin({"restore", newer, "--force"}), 1, "newer");
  auto corrupt = crowd.d.dir.file("corrupt.db");
  fs::copy_file(file, corrupt);
  {
    // Damage a page in the middle of the file (not the header).
    std::fstream f(corrupt, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(corrupt) / 2));
    std::string garbage(4096, '\x5a');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  auto rc = crowd.d.admin({"restore", corrupt, "--force"});
  EXPECT_EQ(rc.exit_code, 1) << rc.err;
  expect_error(crowd.d.admin({"restore", crowd.d.dir.file("nothing.db")}), 1, "no file");
  EXPECT_EQ(count_rows(crowd.d.db, "ideas"), 2);

  // With the server stopped the restore goes through and keeps the old database aside.
  ASSERT_EQ(crowd.d.server->stop(SIGTERM), 0);
  crowd.d.server.reset();
  auto r = crowd.d.admin({"restore", file, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = parse_out(r);
  EXPECT_EQ(j["server_running"], false);
  EXPECT_EQ(count_rows(crowd.d.db, "ideas"), 1);
  EXPECT_EQ(integrity(crowd.d.db), "ok");
  EXPECT_EQ(count_rows(j["previous_copy"].get<std::string>(), "ideas"), 2) << "the replaced database is kept";
  crowd.d.start();
  Client c = crowd.d.signed_in(staff.email);
  auto ideas = must(c.get(kApi + "/challenges/" + str(ch) + "/ideas?sort=new"), 200, "ideas");
  ASSERT_EQ(ideas["items"].size(), 1u);
  EXPECT_EQ(ideas["items"][0]["title"], "Kept idea");

  // --force restores under a running server, which then serves the restored data. The
  // session signed in above is not in the backup: the server, which keeps the sessions it
  // has read until the auth epoch moves (sql/0007), refuses it from then on.
  EXPECT_EQ(c.get(kApi + "/me").status, 200);
  const auto epoch = [&] {
    SQLite::Database db(crowd.d.db, SQLite::OPEN_READONLY, 5000);
    return db.execAndGet("SELECT n FROM auth_epoch").getInt64();
  };
  const auto before = epoch();
  auto f2 = crowd.d.admin({"restore", file, "--force"});
  EXPECT_EQ(f2.exit_code, 0) << f2.err;
  EXPECT_EQ(count_rows(crowd.d.db, "ideas"), 1);
  EXPECT_GT(epoch(), before) << "past any number the server can have kept rows under";
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // past Connection::kParkFor
  EXPECT_EQ(c.get(kApi + "/me").status, 401);

  // A backup with pages of 4 KiB, as databases made before 2 KiB pages have, restores
  // into this one (2 KiB, in WAL mode) with the server stopped, and the server runs on it.
  auto older = crowd.d.dir.file("older.db");
  fs::copy_file(file, older);
  {
    SQLite::Database db(older, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA page_size = 4096; VACUUM");
    ASSERT_EQ(db.execAndGet("PRAGMA page_size").getInt(), 4096);
  }
  auto page_size = [](const std::string& path) {
    SQLite::Database db(path, SQLite::OPEN_READONLY, 5000);
    return db.execAndGet("PRAGMA page_size").getInt();
  };
  ASSERT_EQ(page_size(crowd.d.db), 2048);
  ASSERT_EQ(crowd.d.server->stop(SIGTERM), 0);
  crowd.d.server.reset();
  auto r4 = crowd.d.admin({"restore", older});
  ASSERT_EQ(r4.exit_code, 0) << r4.err;
  EXPECT_EQ(page_size(crowd.d.db), 4096);
  EXPECT_EQ(integrity(crowd.d.db), "ok");
  crowd.d.start();
  Client c4 = crowd.d.signed_in(staff.email);
  auto kept = must(c4.get(kApi + "/challenges/" + str(ch) + "/ideas?sort=new"), 200, "ideas");
  ASSERT_EQ(kept["items"].size(), 1u);
  EXPECT_EQ(kept["items"][0]["title"], "Kept idea");
  // Pages of another size cannot be copied in under a running server: refused, clearly.
  expect_error(crowd.d.admin({"restore", file, "--force"}), 1, "stop the server");
  EXPECT_EQ(page_size(crowd.d.db), 4096);
  EXPECT_EQ(count_rows(crowd.d.db, "ideas"), 1);
}

TEST(AdminCli, UserExportAndErase) {
  Crowd crowd;
  auto& lead = crowd.add("lead", "design_group", "management", "ICB");
  auto& nia = crowd.add("Nia Private", "staff", "nursing", "Trust A");
  auto& other = crowd.add("other", "staff", "pharmacy", "Trust B");
  auto ch = crowd.challenge(lead.client, {{"title", "Data protection"}, {"brief", "b"}, {"principle_ids", {1}}, {"status", "open"}});
  auto idea = crowd.idea(nia, ch, "Nia's idea", true)["id"].get<std::int64_t>();
  auto theirs = crowd.idea(other, ch, "Other's idea")["id"].get<std::int64_t>();
  crowd.comment(nia, theirs, "A comment by Nia");
  crowd.vote(nia, theirs, 1);
  auto before = must(lead.client.get(kApi + "/metrics/challenges/" + str(ch)), 200, "metrics");

  auto ex = crowd.d.admin({"user", "export", nia.email});
  ASSERT_EQ(ex.exit_code, 0) << ex.err;
  auto data = parse_out(ex);
  EXPECT_EQ(data["user"]["email"], nia.email);
  EXPECT_EQ(data["user"]["display_name"], "Nia Private");
  ASSERT_EQ(data["ideas"].size(), 1u);
  EXPECT_EQ(data["ideas"][0]["id"], idea);
  EXPECT_EQ(data["ideas"][0]["anonymous"], 1);
  ASSERT_EQ(data["comments"].size(), 1u);
  EXPECT_EQ(data["comments"][0]["body"], "A comment by Nia");
  ASSERT_EQ(data["votes"].size(), 1u);
  EXPECT_EQ(data["votes"][0]["idea_id"], theirs);
  EXPECT_EQ(data["challenges_taken_part_in"].size(), 1u);
  EXPECT_GE(data["sessions"].size(), 1u);
  auto out = crowd.d.dir.file("nia.json");
  ASSERT_EQ(crowd.d.admin({"user", "export", nia.email, "--output", out}).exit_code, 0);
  EXPECT_TRUE(fs::exists(out));
  expect_error(crowd.d.admin({"user", "export", nia.email, "--output", out}), 1, "exist");
  expect_error(crowd.d.admin({"user", "export", "nobody@example.nhs.uk"}), 1, "no user");

  expect_error(crowd.d.admin({"user", "erase", nia.email}), 2, "--yes");
  EXPECT_EQ(nia.client.get(kApi + "/me").status, 200) << "nothing happened without --yes";
  auto er = crowd.d.admin({"user", "erase", nia.email, "--yes", "--json"});
  ASSERT_EQ(er.exit_code, 0) << er.err;
  EXPECT_GE(parse_out(er)["sessions_revoked"].get<int>(), 1);
  EXPECT_EQ(nia.client.get(kApi + "/me").status, 401) << "sessions end at once";
  EXPECT_NE(crowd.d.client().login(nia.email, Deployment::kPassword).status, 200);
  EXPECT_NE(crowd.d.admin({"user", "list"}).out.find("erased-"), std::string::npos);
  expect_error(crowd.d.admin({"user", "export", nia.email}), 1, "no user") ;

  // Contributions stay and keep counting, shown without the person.
  auto comments = must(other.client.get(kApi + "/ideas/" + str(theirs) + "/comments"), 200, "comments");
  ASSERT_EQ(comments["items"].size(), 1u);
  EXPECT_EQ(comments["items"][0]["body"], "A comment by Nia");
  EXPECT_EQ(comments["items"][0]["author"]["display_name"], "Erased user");
  auto as_lead = must(lead.client.get(kApi + "/ideas/" + str(idea)), 200, "idea")["idea"];
  EXPECT_EQ(as_lead["author"]["display_name"], "Erased user") << "not even the design group sees who it was";
  auto after = must(lead.client.get(kApi + "/metrics/challenges/" + str(ch)), 200, "metrics");
  for (const auto& k : {"participants", "ideas", "comments", "votes", "by_profession"}) EXPECT_EQ(after[k], before[k]) << k;
  // The name is gone from the database: the event log and others' notifications too.
  SQLite::Database db(crowd.d.db, SQLite::OPEN_READONLY, 5000);
  for (const char* q : {"SELECT count(*) FROM events WHERE data LIKE '%Nia Private%' OR data_privileged LIKE '%Nia Private%'",
                              "SELECT count(*) FROM notifications WHERE data LIKE '%Nia Private%'",
                              "SELECT count(*) FROM users WHERE display_name LIKE '%Nia%' OR email LIKE '%nia%'"})
    EXPECT_EQ(db.execAndGet(q).getInt64(), 0) << q;
}

TEST(AdminCli, DemoDataOnlyIntoAnEmptyDatabase) {
  TempDir dir;
  auto db = dir.file("demo.db");
  auto r = run_command({CARECROWD_ADMIN_BIN, "--db", db, "demo-data"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("demo data added"), std::string::npos);
  EXPECT_GT(count_rows(db, "ideas"), 0);
  auto again = run_command({CARECROWD_ADMIN_BIN, "--db", db, "demo-data"});
  expect_error(again, 1, "already");
  auto stats = run_command({CARECROWD_ADMIN_BIN, "--db", db, "stats", "--json"});
  ASSERT_EQ(stats.exit_code, 0);
  EXPECT_EQ(parse_out(stats)["totals"]["challenges"], 3);
}
