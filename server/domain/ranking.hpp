#pragma once
// How ideas are ordered (SPEC §3, Ranking).
#include <cstdint>
#include <optional>
#include <string_view>

namespace cc::domain {

enum class IdeaSort { top, new_, trending, discussed };
std::optional<IdeaSort> parse_sort(std::string_view s);

// Hacker News style: score decayed by age, (score) / (hours + 2)^1.8. Newer ideas with
// the same score rank higher; a negative score stays below zero.
double trending_value(std::int64_t score, std::int64_t created_ts, std::int64_t now_ts);

}  // namespace cc::domain
