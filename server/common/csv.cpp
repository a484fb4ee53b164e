#include "common/csv.hpp"

namespace cc::csv {

std::string text(std::string_view value) {
  std::string v;
  if (!value.empty() && (value.front() == '=' || value.front() == '+' || value.front() == '-' ||
                         value.front() == '@' || value.front() == '\t' || value.front() == '\r'))
    v += '\'';
  v.append(value);
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string quoted = "\"";
  for (char c : v) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string number(std::int64_t value) { return std::to_string(value); }

void Writer::separate() {
  if (row_started_) out_ += ',';
  row_started_ = true;
}

Writer& Writer::text(std::string_view v) {
  separate();
  out_ += csv::text(v);
  return *this;
}

Writer& Writer::number(std::int64_t v) {
  separate();
  out_ += csv::number(v);
  return *this;
}

Writer& Writer::end_row() {
  out_ += "\r\n";
  row_started_ = false;
  return *this;
}

}  // namespace cc::csv
