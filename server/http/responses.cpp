#include "http/responses.hpp"

#include <algorithm>
#include <iterator>
#include <span>

#include "common/log.hpp"
#include "http/response_head.hpp"
#include "json/writer.hpp"

namespace cc::http {

using nlohmann::json;

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  // Invalid UTF-8 cannot come from our own data, but it is replaced, never thrown on.
  r.body = cc::json::to_text(body);
  return r;
}

Response json_text_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

int status_of(domain::ErrorKind kind) {
  using K = domain::ErrorKind;
  switch (kind) {
    case K::bad_request: return 400;
    case K::unauthenticated: return 401;
    case K::forbidden: return 403;
    case K::not_found: return 404;
    case K::method_not_allowed: return 405;
    case K::conflict: return 409;
    case K::too_large: return 413;
    case K::unsupported_media: return 415;
    case K::validation: return 422;
    case K::rate_limited: return 429;
    case K::internal: return 500;
    case K::unavailable: return 503;
  }
  return 500;
}

Response error_response(int status, std::string code, std::string message, std::string field) {
  json err = {{"code", std::move(code)}, {"message", std::move(message)}};
  if (!field.empty()) err["field"] = std::move(field);
  return json_response(status, json{{"error", std::move(err)}});
}

Response error_response(const domain::Error& e) {
  auto r = error_response(status_of(e.kind()), e.code(), e.what(), e.field());
  if (e.retry_after() > 0) r.set("Retry-After", std::to_string(e.retry_after()));
  if (e.kind() == domain::ErrorKind::unavailable) r.set("Retry-After", "5");
  return r;
}

Response response_for_exception(std::exception_ptr e, const Request* req) {
  try {
    std::rethrow_exception(e);
  } catch (const domain::Error& err) {
    return error_response(err);
  } catch (const std::exception& ex) {
    log::error(std::string("event=internal_error route=") + (req ? req->route : "-") +
               " error=" + log::escape(ex.what()));
  } catch (...) {
    log::error("event=internal_error error=unknown");
  }
  return error_response(500, "internal", "something went wrong on our side; please try again");
}

namespace {
// nlohmann's parser recurses per level: refuse deep nesting before it parses.
bool nesting_within(std::string_view s, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') { if (++depth > max_depth) return false; }
    else if (c == '}' || c == ']') --depth;
  }
  return true;
}
}  // namespace

json parse_json_object(const Request& req) {
  using domain::Error;
  using domain::ErrorKind;
  if (req.body.empty()) return json::object();
  const std::string* ct = req.header("content-type");
  std::string type = ct ? *ct : "";
  auto semi = type.find(';');
  type = type.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type != "application/json")
    throw Error(ErrorKind::unsupported_media, "unsupported_media_type", "send the body as application/json");
  if (!nesting_within(req.body, 32)) throw Error(ErrorKind::bad_request, "bad_request", "the JSON body is nested too deeply");
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded()) throw Error(ErrorKind::bad_request, "bad_request", "the body is not valid JSON");
  if (!body.is_object()) throw Error(ErrorKind::bad_request, "bad_request", "the body must be a JSON object");
  return body;
}

namespace {
struct HeaderText {
  std::string_view name, value;
};
// The last one only under TLS.
constexpr HeaderText kSecurityHeaders[] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
     "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "same-origin"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
    {"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
};
constexpr std::size_t kWithoutTls = std::size(kSecurityHeaders) - 1;

std::span<const HeaderText> security_headers(bool tls) {
  return std::span(kSecurityHeaders).first(tls ? std::size(kSecurityHeaders) : kWithoutTls);
}

std::string header_lines(bool tls) {
  std::string out;
  for (const auto& h : security_headers(tls)) out.append(h.name).append(": ").append(h.value).append("\r\n");
  return out;
}
}  // namespace

void add_security_headers(Response& res, bool tls) {
  res.headers.reserve(res.headers.size() + std::size(kSecurityHeaders));
  for (const auto& h : security_headers(tls)) res.set(std::string(h.name), std::string(h.value));
}

std::string_view security_header_lines(bool tls, bool no_store) {
  static const std::string lines[2][2] = {{header_lines(false), header_lines(false).append(kNoStoreLine)},
                                          {header_lines(true), header_lines(true).append(kNoStoreLine)}};
  return lines[tls][no_store];
}

bool sets_security_header(const Response& res) {
  return std::any_of(res.headers.begin(), res.headers.end(), [](const auto& set) {
    return std::any_of(std::begin(kSecurityHeaders), std::end(kSecurityHeaders),
                       [&](const HeaderText& h) { return same_header_name(set.first, h.name); });
  });
}

}  // namespace cc::http
