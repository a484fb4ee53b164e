#pragma once
// Minimal structured logging to stderr: one line per record, `key=value` pairs.
// User-supplied text must go through log_escape so a line can never be forged.
// Debug and info lines (the access log: a line per request) are buffered and written
// within 100 ms by a background thread, or at once when 32 KiB are waiting; a warning or
// an error writes everything waiting and itself at once. A line per request written
// straight to stderr was a system call under a shared lock each time, a quarter of a
// cheap read's cost. What a kill -9 can lose is the last 100 ms of info lines.
#include <string>
#include <string_view>

namespace cc::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

void set_level(Level level);
bool parse_level(std::string_view s, Level& out);
bool enabled(Level level);
void write(Level level, std::string_view message);
// Writes out whatever is waiting (before exiting, and in tests).
void flush();

// Quotes and escapes control characters, quotes and backslashes; cuts at `max` bytes.
std::string escape(std::string_view s, std::size_t max = 200);

inline void info(std::string_view m) { write(Level::info, m); }
inline void warn(std::string_view m) { write(Level::warn, m); }
inline void error(std::string_view m) { write(Level::error, m); }
inline void debug(std::string_view m) { if (enabled(Level::debug)) write(Level::debug, m); }

}  // namespace cc::log
