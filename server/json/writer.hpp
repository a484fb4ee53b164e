#pragma once
// JSON text for answers, written straight into one string. nlohmann's dump() checks every
// byte through its UTF-8 state machine and writes through a small buffer: for a page of
// twenty ideas (~15 KB) it was half of the instructions the whole request took. This
// writer copies runs of plain bytes at once and checks only the bytes that need it. Its
// output is byte for byte what dump() gives for valid UTF-8 (keys in the same order,
// the same escapes, numbers as dump() writes them); invalid UTF-8, which input
// validation keeps out, becomes U+FFFD, so the text is always valid JSON.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace cc::json {

void write(std::string& out, const nlohmann::json& value);
std::string to_text(const nlohmann::json& value);
void write_string(std::string& out, std::string_view text);

// JSON text written member by member, with no document in between: for the answers on
// the hot paths (a page of ideas built as nlohmann objects was a quarter of the request,
// mostly allocations). Commas are placed for the caller; keys are written as given, so
// they must be plain ASCII (they are always our own literals).
class TextWriter {
public:
  explicit TextWriter(std::string& out) : out_(out) {}

  TextWriter& begin_object() { return open('{'); }
  TextWriter& end_object() { return close('}'); }
  TextWriter& begin_array() { return open('['); }
  TextWriter& end_array() { return close(']'); }
  TextWriter& key(std::string_view k);

  TextWriter& string(std::string_view v) { separate(); write_string(out_, v); return *this; }
  TextWriter& integer(std::int64_t v);
  TextWriter& boolean(bool v) { separate(); out_ += v ? "true" : "false"; return *this; }
  TextWriter& null() { separate(); out_ += "null"; return *this; }
  TextWriter& value(const nlohmann::json& v) { separate(); write(out_, v); return *this; }
  // Members already written as text ("a":1,"b":2), as if by key and value calls.
  TextWriter& raw_members(std::string_view members) {
    separate();
    out_.append(members);
    return *this;
  }
  // The text so far, for appending pieces of a value whose members raw_members began.
  std::string& text() { return out_; }
  template <class T>
  TextWriter& optional(const std::optional<T>& v) {
    if (!v) return null();
    if constexpr (std::is_integral_v<T>) return integer(*v);
    else return string(*v);
  }

private:
  TextWriter& open(char c);
  TextWriter& close(char c);
  void separate();  // the comma before a value or key that is not its container's first

  std::string& out_;
  bool first_ = true;      // nothing written yet in the innermost container
  bool after_key_ = false;  // a key was written; its value comes next
};

}  // namespace cc::json
