#include "http/response_head.hpp"

#include <charconv>
#include <cstring>
#include <string_view>

namespace cc::http {
namespace {

void append_clean(std::string& out, std::string_view text) {
  if (!std::memchr(text.data(), '\r', text.size()) && !std::memchr(text.data(), '\n', text.size()))
    return void(out.append(text));  // the usual case, checked with the C library's fast scan
  std::size_t run = 0;  // start of the characters not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r' && text[i] != '\n') continue;
    out.append(text, run, i - run);
    run = i + 1;
  }
  out.append(text, run);
}

void append_number(std::string& out, std::size_t n) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

// The server writes these itself, from the body and the connection's state.
bool framing_header(std::string_view name) {
  return same_header_name(name, "content-length") || same_header_name(name, "transfer-encoding") || same_header_name(name, "connection");
}

}  // namespace

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Content";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

std::string response_head(const Response& res, unsigned version, bool keep_alive, std::string_view extra_lines) {
  std::string out;
  out.reserve(640);
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  append_number(out, static_cast<std::size_t>(res.status));
  out += ' ';
  out += reason_phrase(res.status);
  out += "\r\n";
  auto header = [&out](std::string_view name, std::string_view value) {
    append_clean(out, name);
    out += ": ";
    append_clean(out, value);
    out += "\r\n";
  };
  // Later headers of the same name win; with a dozen headers a scan is cheaper than a map.
  auto named_from = [&res](std::size_t first, std::string_view name) {
    for (std::size_t j = first; j < res.headers.size(); ++j)
      if (same_header_name(res.headers[j].first, name)) return true;
    return false;
  };
  if (!res.content_type.empty() && !named_from(0, "content-type")) header("Content-Type", res.content_type);
  for (std::size_t i = 0; i < res.headers.size(); ++i) {
    const auto& [name, value] = res.headers[i];
    if (framing_header(name) || named_from(i + 1, name)) continue;
    header(name, value);
  }
  out += extra_lines;
  if (version == 10 && keep_alive) header("Connection", "keep-alive");
  if (version != 10 && !keep_alive) header("Connection", "close");
  if (!has_no_body(res.status)) {
    out += "Content-Length: ";
    append_number(out, res.body.size());
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

}  // namespace cc::http
