#pragma once
// Runs periodic jobs on one background thread until destroyed. A job that throws is
// logged and runs again at its next tick.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cc {

class Scheduler {
public:
  Scheduler() = default;
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void every(std::chrono::milliseconds period, std::function<void()> job);

private:
  struct Job {
    std::chrono::milliseconds period;
    std::function<void()> fn;
    std::chrono::steady_clock::time_point next;
  };
  void run();
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Job> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cc
