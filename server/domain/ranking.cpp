#include "domain/ranking.hpp"

#include <cmath>

namespace cc::domain {

std::optional<IdeaSort> parse_sort(std::string_view s) {
  if (s.empty() || s == "top") return IdeaSort::top;
  if (s == "new") return IdeaSort::new_;
  if (s == "trending") return IdeaSort::trending;
  if (s == "discussed") return IdeaSort::discussed;
  return std::nullopt;
}

double trending_value(std::int64_t score, std::int64_t created_ts, std::int64_t now_ts) {
  double hours = std::max<double>(0.0, static_cast<double>(now_ts - created_ts) / 3600.0);
  return static_cast<double>(score) / std::pow(hours + 2.0, 1.8);
}

}  // namespace cc::domain
