#pragma once
// Small pieces the benchmark programs share: a deterministic generator, so every run
// loads the same data and runs compare, and the workforce mix the datasets draw from.
#include <cstdint>
#include <utility>
#include <vector>

namespace cc::bench {

// xorshift64*: fast, deterministic pseudo-random numbers.
struct Rng {
  std::uint64_t s = 0x9E3779B97F4A7C15ull;
  explicit Rng(std::uint64_t seed = 0x9E3779B97F4A7C15ull) : s(seed ? seed : 1) {}
  std::uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 2685821657736338717ull;
  }
  long below(long n) { return static_cast<long>(next() % static_cast<std::uint64_t>(n)); }
  // Skewed towards small values (about a power law): a few ideas draw most of the votes.
  long skewed_below(long n) {
    double u = static_cast<double>(next() >> 11) / 9007199254740992.0;  // [0, 1)
    auto v = static_cast<long>(static_cast<double>(n) * u * u * u);
    return v < n ? v : n - 1;
  }
};

// Professions weighted roughly like an integrated care system's workforce.
inline const std::vector<std::pair<const char*, int>>& professions() {
  static const std::vector<std::pair<const char*, int>> list = {
      {"nursing", 30}, {"social_care", 20}, {"medical", 12}, {"allied_health", 10}, {"management", 6},
      {"pharmacy", 4}, {"midwifery", 3},    {"paramedic", 3}, {"social_work", 5},    {"psychology", 2},
      {"dental", 1},   {"optometry", 1},    {"healthcare_science", 1}, {"public_health", 1}, {"other", 1}};
  return list;
}

inline const char* pick_profession(Rng& rng) {
  int total = 0;
  for (const auto& p : professions()) total += p.second;
  long w = rng.below(total);
  for (const auto& p : professions()) {
    if (w < p.second) return p.first;
    w -= p.second;
  }
  return professions().back().first;
}

}  // namespace cc::bench
