#pragma once
// Building responses: JSON bodies, the documented error shape, and mapping domain
// errors to statuses. Every error the service gives goes through error_response.
#include <nlohmann/json.hpp>

#include "domain/error.hpp"
#include "http/message.hpp"

namespace cc::http {

Response json_response(int status, const nlohmann::json& body);
// A body that is already JSON text (written with json::TextWriter).
Response json_text_response(int status, std::string body);
Response no_content();
// {"error": {"code", "message", "field"?}} with the status of its kind.
Response error_response(const domain::Error& e);
Response error_response(int status, std::string code, std::string message, std::string field = {});
int status_of(domain::ErrorKind kind);
// Turns whatever a handler threw into a response; internal errors are logged, never shown.
Response response_for_exception(std::exception_ptr e, const Request* req = nullptr);

// Parses the body as a JSON object: 415 unless the content type is JSON, 400 when it is
// malformed, nested too deeply, or not an object. An empty body gives an empty object.
nlohmann::json parse_json_object(const Request& req);

// Adds the security headers every response carries (CSP without inline script,
// nosniff, frame-ancestors, referrer policy; HSTS under TLS).
void add_security_headers(Response& res, bool tls);
// The same headers as header lines ("Name: value\r\n"), made once, for the heads the
// server writes itself (response_head's extra_lines): added to each answer as a
// dozen strings, they were a tenth of the instructions of a small request. With
// `no_store`, kNoStoreLine follows them.
std::string_view security_header_lines(bool tls, bool no_store = false);
inline constexpr std::string_view kNoStoreLine = "Cache-Control: no-store\r\n";
// Whether the response sets one of those headers itself (names compared without case).
bool sets_security_header(const Response& res);

}  // namespace cc::http
