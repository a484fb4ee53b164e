#pragma once
// Wall-clock helpers. Times travel as RFC 3339 UTC strings ("2026-11-22T09:30:00Z")
// in the API and the database (they sort as text), and as epoch seconds inside.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cc {

std::int64_t now_seconds();
std::int64_t now_millis();
std::string to_rfc3339(std::int64_t epoch_seconds);
std::string now_rfc3339();
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)"; returns epoch seconds.
std::optional<std::int64_t> parse_rfc3339(std::string_view s);
// "YYYY-MM-DD" of an epoch time, in UTC.
std::string to_date(std::int64_t epoch_seconds);

}  // namespace cc
