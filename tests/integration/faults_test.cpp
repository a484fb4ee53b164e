// Storage faults: a full disk refuses writes with 503 and acknowledges nothing, reads go
// on, and writes work again once there is space; a busy database (another process
// writing) delays writes without losing any.
#include <gtest/gtest.h>

#include <sys/mount.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "store/connection.hpp"
#include "support/harness.hpp"

using namespace cc::test;
namespace fs = std::filesystem;

namespace {

// A small tmpfs of our own, so filling it affects nothing else. Needs root; skipped otherwise.
class SmallDisk {
public:
  explicit SmallDisk(const std::string& path) : path_(path) {
    fs::create_directories(path_);
    mounted_ = ::mount("tmpfs", path_.c_str(), "tmpfs", 0, "size=8m") == 0;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  // Writes a filler file until the disk is full.
  void fill() {
    std::ofstream out(path_ + "/filler", std::ios::binary);
    std::string block(64 * 1024, 'x');
    while (out.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    }
    out.close();
    // Squeeze out the last partial block too.
    std::ofstream tail(path_ + "/filler2", std::ios::binary);
    std::string byte(512, 'y');
    while (tail.write(byte.data(), static_cast<std::streamsize>(byte.size())) && tail.flush()) {
    }
  }
  void free_space() {
    fs::remove(path_ + "/filler");
    fs::remove(path_ + "/filler2");
  }

private:
  std::string path_;
  bool mounted_ = false;
};

}  // namespace

TEST(Faults, FullDiskRefusesWritesWith503AndRecovers) {
  TempDir dir;
  SmallDisk disk(dir.file("disk"));
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  std::string db = dir.file("disk/carecrowd.db");
  ASSERT_EQ(run_command({CARECROWD_ADMIN_BIN, "--db", db, "init"}).exit_code, 0);
  for (const char* role : {"staff", "design_group"})
    ASSERT_EQ(run_command({CARECROWD_ADMIN_BIN, "--db", db, "user", "add", "--email", std::string(role) + "@example.nhs.uk",
                           "--name", role, "--role", role, "--profession", "nursing", "--organisation", "T", "--password-stdin"},
                          std::string(Deployment::kPassword) + "\n")
                  .exit_code,
              0);
  ServerProcess server(db, fast_options());
  Client staff(server), lead(server);
  ASSERT_EQ(staff.login("staff@example.nhs.uk", Deployment::kPassword).status, 200);
  ASSERT_EQ(lead.login("design_group@example.nhs.uk", Deployment::kPassword).status, 200);
  auto ch = lead.post("/api/v1/challenges", {{"title", "Full disk"}, {"principle_ids", {1}}, {"status", "open"}})
                .json_body()["challenge"]["id"]
                .get<std::int64_t>();
  auto path = "/api/v1/challenges/" + std::to_string(ch) + "/ideas";
  auto first = staff.post(path, {{"title", "Before the disk filled"}, {"body", "b"}});
  ASSERT_EQ(first.status, 201);

  disk.fill();
  std::string big(4000, 'z');
  int refused = 0;
  std::vector<std::int64_t> acknowledged;
  for (int i = 0; i < 200 && refused < 3; ++i) {
    auto r = staff.post(path, {{"title", "While full " + std::to_string(i)}, {"body", big}});
    if (r.status == 201) {
      acknowledged.push_back(r.json_body()["idea"]["id"]);
    } else {
      ASSERT_EQ(r.status, 503) << r.body;
      EXPECT_EQ(r.json_body()["error"]["code"], "unavailable");
      // A generic message: nothing about files, SQLite or disks.
      auto msg = r.json_body()["error"]["message"].get<std::string>();
      EXPECT_EQ(msg.find("SQLITE"), std::string::npos);
      EXPECT_EQ(msg.find("disk"), std::string::npos);
      ++refused;
    }
  }
  ASSERT_GT(refused, 0) << "the disk never filled";
  // Reads still work.
  EXPECT_EQ(staff.get("/api/v1/ideas/" + std::to_string(first.json_body()["idea"]["id"].get<std::int64_t>())).status, 200);
  EXPECT_EQ(staff.get("/healthz").status, 200);

  disk.free_space();
  auto after = staff.post(path, {{"title", "After space returned"}, {"body", "b"}});
  EXPECT_EQ(after.status, 201) << after.body;
  for (auto id : acknowledged) EXPECT_EQ(staff.get("/api/v1/ideas/" + std::to_string(id)).status, 200);
  EXPECT_EQ(server.stop(SIGTERM), 0);
  cc::store::Connection c(db, cc::store::Access::read_only, 5000);
  auto st = c.prepare("PRAGMA integrity_check");
  ASSERT_TRUE(st->executeStep());
  EXPECT_EQ(st->getColumn(0).getString(), "ok");
}

TEST(Faults, ABusyDatabaseDelaysWritesButLosesNothing) {
  Deployment d;
  auto lead = d.signed_in(d.add_user("lead", "design_group"));
  auto ch = lead.post("/api/v1/challenges", {{"title", "Busy"}, {"principle_ids", {1}}, {"status", "open"}})
                .json_body()["challenge"]["id"]
                .get<std::int64_t>();
  // Another process-like writer holds the write lock for a second (as the admin CLI might).
  cc::store::Connection other(d.db, cc::store::Access::read_write, 5000);
  other.exec("BEGIN IMMEDIATE");
  std::vector<int> statuses(8);
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i)
    clients.emplace_back([&, i] {
      Client c = lead;
      statuses[i] = c.post("/api/v1/challenges/" + std::to_string(ch) + "/ideas",
                           {{"title", "Written while busy " + std::to_string(i)}, {"body", "b"}})
                        .status;
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  other.exec("COMMIT");
  for (auto& t : clients) t.join();
  for (int s : statuses) EXPECT_EQ(s, 201);
  auto list = lead.get("/api/v1/challenges/" + std::to_string(ch) + "/ideas?limit=100").json_body()["items"];
  EXPECT_EQ(list.size(), 8u);
}
