// The process's threads carry names that say what they do (common/thread_name.hpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <string>
#include <thread>

#include "common/thread_name.hpp"
#include "common/worker_pool.hpp"
#include "store/store.hpp"
#include "temp_db.hpp"

namespace {

std::set<std::string> thread_names() {
  std::set<std::string> out;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (std::getline(comm, name)) out.insert(name);
  }
  return out;
}

}  // namespace

TEST(ThreadNames, TheStoresThreadsAreNamed) {
  cc::unit::TempDir dir;
  cc::store::StoreOptions o;
  o.path = dir.file("names.db");
  cc::store::Store store(o);
  store.start([](int, std::function<void()> fn) { fn(); });
  auto names = thread_names();
  EXPECT_TRUE(names.count("cc-writer")) << "no writer thread among the process's threads";
  EXPECT_TRUE(names.count("cc-wal-sync"));
  EXPECT_TRUE(names.count("cc-checkpoint"));
}

TEST(ThreadNames, APoolNamesItsThreads) {
  std::promise<std::string> seen;
  {
    // The job reads its thread's name, which the pool set as it started the thread.
    cc::WorkerPool pool(1, 4, "cc-test-pool");
    ASSERT_TRUE(pool.submit([&seen] {
      std::ifstream comm("/proc/thread-self/comm");
      std::string name;
      std::getline(comm, name);
      seen.set_value(name);
    }));
    EXPECT_EQ(seen.get_future().get(), "cc-test-pool");
  }
}

TEST(ThreadNames, LongNamesAreCutToTheKernelsLimit) {
  std::promise<void> named;
  std::string name;
  std::thread t([&] {
    named.get_future().wait();
    std::ifstream comm("/proc/thread-self/comm");
    std::getline(comm, name);
  });
  cc::name_thread(t, "cc-a-name-longer-than-fifteen");
  named.set_value();
  t.join();
  EXPECT_EQ(name, "cc-a-name-longe");
}
