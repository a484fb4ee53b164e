#include "domain/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cc::domain {

std::optional<double> ratio(double numerator, double denominator) {
  if (denominator == 0) return std::nullopt;
  return numerator / denominator;
}

std::optional<double> evenness(const std::vector<std::int64_t>& counts) {
  double total = 0;
  std::size_t k = 0;
  for (auto c : counts) {
    if (c <= 0) continue;
    total += static_cast<double>(c);
    ++k;
  }
  if (k == 0) return std::nullopt;
  if (k == 1) return 0.0;
  double h = 0;
  for (auto c : counts) {
    if (c <= 0) continue;
    double p = static_cast<double>(c) / total;
    h -= p * std::log(p);
  }
  double j = h / std::log(static_cast<double>(k));
  return std::clamp(j, 0.0, 1.0);
}

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  auto n = values.size();
  auto mid = values.begin() + static_cast<long>(n / 2);
  std::nth_element(values.begin(), mid, values.end());
  double upper = *mid;
  if (n % 2 == 1) return upper;
  double lower = *std::max_element(values.begin(), mid);
  return (lower + upper) / 2;
}

namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::string civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[48];  // room for any year an int64 could hold, so nothing is ever cut
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::optional<std::int64_t> parse_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  auto y = std::stoll(s.substr(0, 4));
  auto m = static_cast<unsigned>(std::stoul(s.substr(5, 2)));
  auto d = static_cast<unsigned>(std::stoul(s.substr(8, 2)));
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  return days_from_civil(y, m, d);
}

}  // namespace

std::vector<std::string> date_range(const std::string& first, const std::string& last, std::size_t max_days) {
  std::vector<std::string> out;
  auto a = parse_date(first), b = parse_date(last);
  if (!a || !b || *b < *a) return out;
  for (auto day = *a; day <= *b && out.size() < max_days; ++day) out.push_back(civil_from_days(day));
  return out;
}

}  // namespace cc::domain
