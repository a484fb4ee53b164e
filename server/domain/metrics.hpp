#pragma once
// The arithmetic of impact measurement (SPEC §4, Metrics): shares, representation against
// the workforce baseline, evenness of voices across professions, medians. Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cc::domain {

// A profession whose representation (share ÷ baseline share) is below this is under-represented.
inline constexpr double kUnderRepresented = 0.5;

// numerator ÷ denominator, or nullopt when the denominator is 0 (the ratio is undefined).
std::optional<double> ratio(double numerator, double denominator);

// Shannon evenness (Pielou's J) of a distribution of people over categories: the entropy
// of the non-zero counts divided by its maximum, ln(k) for k non-empty categories.
// nullopt when there is nobody; 0 when everyone is in one category (one voice only);
// 1 when every category that is present has as many people as the others.
std::optional<double> evenness(const std::vector<std::int64_t>& counts);

// The median (the mean of the two middle values for an even count); nullopt when empty.
std::optional<double> median(std::vector<double> values);

// "YYYY-MM-DD" strings from `first` to `last` inclusive (UTC calendar days); empty when
// either is not a date or last < first. At most `max_days` days.
std::vector<std::string> date_range(const std::string& first, const std::string& last, std::size_t max_days = 36600);

}  // namespace cc::domain
