#include "json/writer.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace cc::json {
namespace {

// The length of the valid UTF-8 sequence starting at s[i] (2 to 4), or 0 if it is not one
// (overlong forms, surrogates and code points past U+10FFFF are not).
std::size_t utf8_length(const unsigned char* s, std::size_t i, std::size_t n) {
  auto cont = [&](std::size_t k) { return i + k < n && (s[i + k] & 0xC0) == 0x80; };
  unsigned char c = s[i];
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && s[i + 1] < 0xA0) return 0;  // overlong
    if (c == 0xED && s[i + 1] >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && s[i + 1] < 0x90) return 0;  // overlong
    if (c == 0xF4 && s[i + 1] >= 0x90) return 0;  // past U+10FFFF
    return 4;
  }
  return 0;
}

// Whether any of the eight bytes in `w` is a control character, '"', '\\' or not ASCII
// (the classic "has a zero byte" bit tricks). It may say yes for a word that needs no
// escaping once a byte that does precedes others, never no for one that does.
constexpr bool needs_a_look(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  auto zero_byte = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
  const std::uint64_t below_space = (w - ones * 0x20) & ~w & highs;
  return ((w & highs) | below_space | zero_byte(w ^ (ones * '"')) | zero_byte(w ^ (ones * '\\'))) != 0;
}

}  // namespace

void write_string(std::string& out, std::string_view text) {
  static const char* hex = "0123456789abcdef";
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < n;) {
    // Eight bytes at a time while none needs a look of its own: an idea's body is
    // hundreds of plain characters, and a page of twenty spent most of its JSON time here.
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, s + i, 8);
      if (!needs_a_look(word)) {
        i += 8;
        continue;
      }
    }
    unsigned char c = s[i];
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      if (auto len = utf8_length(s, i, n)) {
        i += len;
        continue;
      }
    }
    out.append(text, run, i - run);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
        } else {
          out += "\xEF\xBF\xBD";  // not UTF-8: the replacement character
        }
    }
    run = ++i;
  }
  out.append(text, run, n - run);
  out += '"';
}

namespace {

template <class T>
void write_integer(std::string& out, T v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace

void write(std::string& out, const nlohmann::json& value) {
  using T = nlohmann::json::value_t;
  switch (value.type()) {
    case T::null: out += "null"; return;
    case T::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case T::number_integer: write_integer(out, value.get<std::int64_t>()); return;
    case T::number_unsigned: write_integer(out, value.get<std::uint64_t>()); return;
    case T::string: write_string(out, value.get_ref<const std::string&>()); return;
    case T::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_ref<const nlohmann::json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        write(out, item);
      }
      out += ']';
      return;
    }
    case T::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.get_ref<const nlohmann::json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        write_string(out, key);
        out += ':';
        write(out, item);
      }
      out += '}';
      return;
    }
    default:  // floats (dump's own shortest round-trip form), binary, discarded
      out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

void TextWriter::separate() {
  if (after_key_) after_key_ = false;
  else if (!first_) out_ += ',';
  first_ = false;
}

TextWriter& TextWriter::open(char c) {
  separate();
  out_ += c;
  first_ = true;
  return *this;
}

TextWriter& TextWriter::close(char c) {
  out_ += c;
  first_ = false;  // the container just closed is a value of the one around it
  return *this;
}

TextWriter& TextWriter::key(std::string_view k) {
  separate();
  out_ += '"';
  out_ += k;
  out_ += "\":";
  after_key_ = true;
  return *this;
}

TextWriter& TextWriter::integer(std::int64_t v) {
  separate();
  write_integer(out_, v);
  return *this;
}

std::string to_text(const nlohmann::json& value) {
  std::string out;
  out.reserve(256);
  write(out, value);
  return out;
}

}  // namespace cc::json
