#pragma once
// Text rules shared by every field: valid UTF-8, lengths counted in characters,
// no control characters (newlines and tabs allowed only in multi-line fields).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cc::domain {

// Number of code points, or nullopt when the bytes are not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view s);

// Throws validation_failed naming `field` unless `value` is valid, within [min, max]
// characters (after no trimming: text is stored exactly as given) and free of
// control characters. `multiline` allows \n, \r and \t.
void check_text(std::string_view field, std::string_view value, std::size_t min, std::size_t max,
                bool multiline = false);

// True when `s` is only spaces/tabs/newlines.
bool is_blank(std::string_view s);

std::string to_lower_ascii(std::string_view s);

}  // namespace cc::domain
