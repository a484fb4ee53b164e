#pragma once
// CSV that opens correctly in a spreadsheet: RFC 4180 quoting, CRLF line ends, UTF-8 with
// a byte-order mark (so Excel reads the encoding right), and text cells that start like a
// formula (=, +, -, @, tab, CR) prefixed with ' so they stay text (OWASP "CSV injection").
#include <cstdint>
#include <string>
#include <string_view>

namespace cc::csv {

inline constexpr std::string_view kBom = "\xEF\xBB\xBF";

// A text cell: neutralised against formulas, then quoted when it holds , " CR or LF.
std::string text(std::string_view value);
// A number cell: written as is (a negative number is a number, not a formula).
std::string number(std::int64_t value);

class Writer {
public:
  // Starts the document with the byte-order mark.
  Writer() : out_(kBom) {}
  Writer& text(std::string_view v);
  Writer& number(std::int64_t v);
  Writer& end_row();
  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

private:
  void separate();
  std::string out_;
  bool row_started_ = false;
};

}  // namespace cc::csv
