#pragma once
#include <cstdint>
#include <string>

namespace cc::domain {

// One of the five principles of clinical and care professional leadership (SPEC §2).
struct Principle {
  std::int64_t id = 0;
  std::string code;
  std::string title;
  std::string summary;
};

}  // namespace cc::domain
