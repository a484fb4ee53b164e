#include "common/scheduler.hpp"

#include "common/log.hpp"
#include "common/thread_name.hpp"

namespace cc {

Scheduler::~Scheduler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::every(std::chrono::milliseconds period, std::function<void()> job) {
  std::lock_guard lock(mutex_);
  jobs_.push_back(Job{period, std::move(job), std::chrono::steady_clock::now() + period});
  if (!thread_.joinable()) {
    thread_ = std::thread([this] { run(); });
    name_thread(thread_, "cc-scheduler");
  }
  cv_.notify_all();
}

void Scheduler::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto now = std::chrono::steady_clock::now();
    auto next = now + std::chrono::hours(1);
    for (auto& j : jobs_) {
      if (j.next <= now) {
        auto fn = j.fn;
        j.next = now + j.period;
        lock.unlock();
        try {
          fn();
        } catch (const std::exception& e) {
          log::error(std::string("event=scheduled_job_failed error=") + log::escape(e.what()));
        }
        lock.lock();
        if (stopping_) return;
      }
      next = std::min(next, j.next);
    }
    cv_.wait_until(lock, next, [this] { return stopping_; });
  }
}

}  // namespace cc
