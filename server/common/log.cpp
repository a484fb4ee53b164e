#include "common/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "common/clock.hpp"

namespace cc::log {
namespace {
std::atomic<int> g_level{static_cast<int>(Level::info)};
std::mutex g_mutex;
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
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

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
