#pragma once
// The HTTP request and response as the application sees them: plain values, free of
// Beast, so routing and handlers compile fast and test without sockets.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cc::http {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;            // "GET", "POST", ...
  std::string target;            // as received, path and query
  std::string path;              // percent-decoded path without the query
  Fields query;                  // decoded query parameters in order
  Fields headers;                // names lower-cased
  std::string body;
  std::string remote_ip;
  bool tls = false;
  std::vector<std::string> params;  // values of {name} segments, filled by the router
  std::string route;                // the matched pattern, for metrics ("-" if none)

  const std::string* header(std::string_view lower_name) const;
  std::optional<std::string> query_param(std::string_view name) const;
  // The value of a cookie from the Cookie header(s).
  std::optional<std::string> cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  Fields headers;
  bool close = false;  // close the connection after this response

  void set(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

// Called exactly once per request, from any thread; the request stays alive until then.
using Respond = std::function<void(Response)>;
using Handler = std::function<void(Request&, Respond)>;

// Splits "a=1&b=x%20y" into decoded pairs; '+' means space. Returns false on a bad escape.
bool parse_query(std::string_view query, Fields& out);
// Decodes %XX escapes; returns false on a bad escape or a NUL byte.
bool percent_decode(std::string_view in, std::string& out, bool plus_is_space = false);

}  // namespace cc::http
