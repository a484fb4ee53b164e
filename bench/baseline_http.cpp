// bench_baseline_http: the transport's limit on this machine (issue 9's baseline). A
// minimal asynchronous Beast HTTP/1.1 server, built like Beast's http_server_async
// example and linked against the same separately compiled Asio/Beast as the server,
// that answers every request with one fixed small JSON body, keeping connections alive.
//
//   bench_baseline_http --port P [--threads N] [--max-seconds S] [--body-bytes N]
#include <optional>
#include <string>
#include <string_view>

#include "bench_net.hpp"

using namespace cc::bench;

namespace {

constexpr const char* kUsage = R"(usage: bench_baseline_http --port P [--threads N] [--max-seconds S] [--body-bytes N]

A minimal asynchronous Beast HTTP/1.1 server on 127.0.0.1:P answering every request with
the same small JSON body (keep-alive), for measuring the transport's limit with wrk:
  wrk -t2 -c64 -d5s http://127.0.0.1:P/

  --body-bytes N    answer a JSON body of N bytes instead (at least 16): the transport's
                    limit for answers the size of a page of ideas
)";

// About the size of a small API answer (an idea's vote count and a few fields).
constexpr std::string_view kBody =
    R"({"id":12345,"title":"Baseline answer","votes":42,"score":17,"status":"open","updated_at":"2025-01-01T12:00:00Z"})";

std::string g_body(kBody);

// {"pad":"xxx..."} of exactly n bytes.
std::string padded_body(std::size_t n) {
  std::string body = R"({"pad":")";
  body.append(n - body.size() - 2, 'x');
  return body + "\"}";
}

// One request in, one fixed answer out; the request itself is not looked at.
std::optional<http::message_generator> handle_request(const http::request<http::string_body>& req, beast::tcp_stream&) {
  http::response<http::string_body> res{http::status::ok, req.version()};
  res.set(http::field::content_type, "application/json");
  res.keep_alive(req.keep_alive());
  res.body() = g_body;
  res.prepare_payload();
  return http::message_generator(std::move(res));
}

}  // namespace

int main(int argc, char** argv) {
  return server_main(argc, argv, "bench_baseline_http", kUsage, &handle_request, {"--body-bytes"},
                     [](const Options& opt) {
                       if (opt.has("--body-bytes"))
                         g_body = padded_body(static_cast<std::size_t>(opt.number("--body-bytes", 0, 16, 16 << 20)));
                     });
}
