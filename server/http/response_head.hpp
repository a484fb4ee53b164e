#pragma once
// The status line and header block of a response, written as one string. Sessions send
// it and the body as two buffers in one write: Beast's generic serializer walked the
// header fields through layered buffer views, and with the dozen headers every answer
// carries it was a third of the instructions of a small request.
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace cc::http {

// Header names are ASCII tokens, compared without case and without a locale (std::tolower
// per character was most of the cost of writing a head).
constexpr bool same_header_name(std::string_view a, std::string_view b) {
  constexpr auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; };
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// "HTTP/1.1 200 OK\r\n", the headers, "\r\n". As Beast's fields did: a header named
// again replaces the earlier one (names compared without case), `content_type` is the
// Content-Type header, and Content-Length (the body's size) and Connection are the
// server's to write (for HTTP/1.1 "Connection: close" when the connection ends, for
// HTTP/1.0 "Connection: keep-alive" when it stays). 1xx, 204 and 304 answers carry no
// Content-Length and must have an empty body. A CR or LF inside a name or value is
// dropped, so no value can start a header of its own. `extra_lines` are header lines
// ("Name: value\r\n") the server adds to every answer, written after the response's own
// as they are: the caller makes sure the response does not name them too.
std::string response_head(const Response& res, unsigned version, bool keep_alive, std::string_view extra_lines = {});

// 1xx, 204 and 304 answers never carry a body (RFC 9112 §6.3).
constexpr bool has_no_body(int status) { return (status >= 100 && status < 200) || status == 204 || status == 304; }

// The reason phrase of a status code ("Not Found"), or "Unknown" for one not listed.
const char* reason_phrase(int status);

}  // namespace cc::http
