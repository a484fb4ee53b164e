#include "domain/text.hpp"

#include "domain/error.hpp"

namespace cc::domain {

std::optional<std::size_t> utf8_length(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len;
    char32_t cp;
    if (c < 0x80) { len = 1; cp = c; }
    else if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return std::nullopt;
    if (i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return std::nullopt;
    i += len;
    ++count;
  }
  return count;
}

void check_text(std::string_view field, std::string_view value, std::size_t min, std::size_t max,
                bool multiline) {
  std::string f(field);
  auto len = utf8_length(value);
  if (!len) throw validation_error(f, f + " is not valid UTF-8");
  for (unsigned char c : value) {
    bool allowed_ws = multiline && (c == '\n' || c == '\r' || c == '\t');
    if ((c < 0x20 && !allowed_ws) || c == 0x7F)
      throw validation_error(f, f + " contains a control character");
  }
  if (*len < min || (min > 0 && is_blank(value))) {
    if (min <= 1) throw validation_error(f, f + " must not be empty");
    throw validation_error(f, f + " is too short (at least " + std::to_string(min) + " characters)");
  }
  if (*len > max) throw validation_error(f, f + " is too long (at most " + std::to_string(max) + " characters)");
}

bool is_blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  return true;
}

std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace cc::domain
