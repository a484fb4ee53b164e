#include "common/log.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "common/clock.hpp"
#include "common/thread_name.hpp"

namespace cc::log {
namespace {
std::atomic<int> g_level{static_cast<int>(Level::info)};

constexpr std::size_t kFlushBytes = 32 * 1024;
constexpr auto kFlushEvery = std::chrono::milliseconds(100);

// The lines waiting to be written, and the thread that writes them out in time. Made on
// first use and never destroyed (a logger must outlive every static that logs); the
// thread is joined at exit by Flusher's destructor, which also writes what is left.
class Buffer {
public:
  void add(std::string_view line, bool now) {
    std::unique_lock lock(mutex_);
    pending_ += line;
    if (now || stopping_ || pending_.size() >= kFlushBytes) return write_locked();
    if (!started_) start_locked();
  }

  void flush() {
    std::lock_guard lock(mutex_);
    write_locked();
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    flush();
  }

private:
  void write_locked() {
    if (pending_.empty()) return;
    std::fwrite(pending_.data(), 1, pending_.size(), stderr);
    std::fflush(stderr);
    pending_.clear();
  }

  void start_locked() {
    started_ = true;
    thread_ = std::thread([this] {
      std::unique_lock lock(mutex_);
      while (!stopping_) {
        wake_.wait_for(lock, kFlushEvery);
        write_locked();
      }
    });
    name_thread(thread_, "cc-log");
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::string pending_;
  std::thread thread_;
  bool started_ = false;
  bool stopping_ = false;
};

Buffer& buffer() {
  static auto* b = new Buffer;
  return *b;
}

struct Flusher {
  ~Flusher() { buffer().stop(); }
} g_flusher;
const char* name(Level l) {
  switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}
}  // namespace

void set_level(Level level) { g_level = static_cast<int>(level); }

bool parse_level(std::string_view s, Level& out) {
  if (s == "debug") out = Level::debug;
  else if (s == "info") out = Level::info;
  else if (s == "warn") out = Level::warn;
  else if (s == "error") out = Level::error;
  else return false;
  return true;
}

bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }

void write(Level level, std::string_view message) {
  if (!enabled(level)) return;
  std::string line = now_rfc3339();
  line += ' ';
  line += name(level);
  line += ' ';
  line += message;
  line += '\n';
  buffer().add(line, level >= Level::warn);
}

void flush() { buffer().flush(); }

std::string escape(std::string_view s, std::size_t max) {
  std::string out = "\"";
  static const char* hex = "0123456789abcdef";
  for (std::size_t i = 0; i < s.size() && i < max; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') { out += '\\'; out += static_cast<char>(c); }
    else if (c < 0x20 || c == 0x7f) { out += "\\x"; out += hex[c >> 4]; out += hex[c & 15]; }
    else out += static_cast<char>(c);
  }
  if (s.size() > max) out += "...";
  out += '"';
  return out;
}

}  // namespace cc::log
