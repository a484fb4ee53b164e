#pragma once
// A few threads for CPU-heavy work (password hashing) that must not stall I/O threads.
// The queue is bounded: when it is full, submit() returns false and the caller refuses.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cc {

class WorkerPool {
public:
  // `name`: its threads' name (common/thread_name.hpp).
  WorkerPool(int threads, std::size_t max_queue, const char* name = "cc-worker");
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  bool submit(std::function<void()> job);
  void stop();

private:
  void run();
  std::size_t max_queue_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace cc
