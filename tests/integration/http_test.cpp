// The HTTP front over real sockets: the error shape, body and header limits, request
// smuggling shapes, security headers, health and metrics, static files, clean shutdown.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "support/harness.hpp"

using namespace cc::test;

namespace {

// A response read from raw bytes: the status line, lower-cased headers and the body.
struct RawResponse {
  std::string version;
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  std::size_t responses = 0;  // how many status lines came back on the connection
  json json_body() const {
    auto j = json::parse(body, nullptr, false);
    return j.is_discarded() ? json() : j;
  }
};

RawResponse parse_raw(const std::string& raw) {
  RawResponse r;
  for (std::size_t at = raw.find("HTTP/1."); at != std::string::npos; at = raw.find("HTTP/1.", at + 1)) {
    if (at == 0 || raw[at - 1] == '}' || (at >= 2 && raw.compare(at - 2, 2, "\r\n") == 0)) ++r.responses;
  }
  auto line_end = raw.find("\r\n");
  if (line_end == std::string::npos || raw.size() < 12) return r;
  r.version = raw.substr(0, 8);
  r.status = std::atoi(raw.substr(9, 3).c_str());
  auto head_end = raw.find("\r\n\r\n");
  std::size_t pos = line_end + 2;
  while (head_end != std::string::npos && pos < head_end) {
    auto eol = raw.find("\r\n", pos);
    auto line = raw.substr(pos, eol - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
    }
    pos = eol + 2;
  }
  if (head_end != std::string::npos) r.body = raw.substr(head_end + 4);
  return r;
}

struct Exchange {
  bool wrote_all = false;  // the server took every byte (it did not reset mid-request)
  std::string received;
};

// Like raw_exchange, but half-closes after writing, as a careful client does, so that a
// server that reads on after refusing a request sees the end at once.
Exchange send_raw(const ServerProcess& s, const std::string& bytes,
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  namespace asio = boost::asio;
  asio::io_context ioc;
  asio::ip::tcp::socket sock(ioc);
  sock.connect({asio::ip::make_address(s.host()), s.port()});
  boost::system::error_code ec;
  asio::write(sock, asio::buffer(bytes), ec);
  Exchange x;
  x.wrote_all = !ec;
  sock.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{sock.native_handle(), POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (poll(&p, 1, static_cast<int>(std::max<long long>(1, left.count()))) <= 0) break;
    char buf[16384];
    ssize_t n = ::recv(sock.native_handle(), buf, sizeof buf, 0);
    if (n <= 0) break;
    x.received.append(buf, static_cast<std::size_t>(n));
  }
  return x;
}

RawResponse raw(const ServerProcess& s, const std::string& bytes) { return parse_raw(send_raw(s, bytes).received); }

// A request with a body of our choosing, sent as raw bytes on its own connection.
RawResponse raw_post(const ServerProcess& s, const std::string& target, const std::string& content_type,
                     const std::string& body) {
  std::string req = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!content_type.empty()) req += "Content-Type: " + content_type + "\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return raw(s, req);
}

void expect_error_shape(const json& body, const std::string& code) {
  ASSERT_TRUE(body.is_object()) << body.dump();
  ASSERT_TRUE(body.contains("error")) << body.dump();
  const auto& e = body["error"];
  ASSERT_TRUE(e.is_object()) << body.dump();
  ASSERT_TRUE(e.contains("code") && e["code"].is_string()) << body.dump();
  ASSERT_TRUE(e.contains("message") && e["message"].is_string()) << body.dump();
  EXPECT_FALSE(e["message"].get<std::string>().empty());
  if (!code.empty()) {
    EXPECT_EQ(e["code"], code) << body.dump();
  }
}

template <class R>
void expect_security_headers(const R& r, const std::string& what) {
  auto header = [&](const std::string& name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string() : it->second;
  };
  std::string csp = header("content-security-policy");
  ASSERT_FALSE(csp.empty()) << what;
  auto script = csp.find("script-src");
  ASSERT_NE(script, std::string::npos) << what << ": " << csp;
  auto script_directive = csp.substr(script, csp.find(';', script) - script);
  EXPECT_EQ(script_directive.find("unsafe-inline"), std::string::npos) << what << ": " << csp;
  EXPECT_EQ(script_directive.find("unsafe-eval"), std::string::npos) << what << ": " << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << what << ": " << csp;
  EXPECT_EQ(header("x-content-type-options"), "nosniff") << what;
  EXPECT_FALSE(header("referrer-policy").empty()) << what;
  EXPECT_EQ(r.headers.count("server"), 0u) << what << ": the server does not name itself";
}

json login_body() { return {{"email", "nobody@example.nhs.uk"}, {"password", "not the right password"}}; }

std::string chunked(const std::string& body, std::size_t chunk) {
  std::string out;
  char size[32];
  for (std::size_t i = 0; i < body.size(); i += chunk) {
    auto part = body.substr(i, chunk);
    std::snprintf(size, sizeof size, "%zx\r\n", part.size());
    out += size + part + "\r\n";
  }
  return out + "0\r\n\r\n";
}

}  // namespace

// ---------------------------------------------------------------------------------------
// The documented error shape

TEST(Http, UnauthenticatedNotFoundAndWrongMethodUseTheErrorShape) {
  Deployment d;
  Client c = d.client();

  auto unauth = c.get("/api/v1/principles");
  EXPECT_EQ(unauth.status, 401);
  EXPECT_NE(unauth.header("content-type").find("application/json"), std::string::npos);
  expect_error_shape(unauth.json_body(), "unauthenticated");

  auto missing = c.get("/api/v1/no-such-thing/42");
  EXPECT_EQ(missing.status, 404);
  expect_error_shape(missing.json_body(), "not_found");
  EXPECT_EQ(c.get("/api/v2/principles").status, 404);
  EXPECT_EQ(c.get("/api").status, 404);

  auto del = c.del("/api/v1/principles");
  EXPECT_EQ(del.status, 405);
  expect_error_shape(del.json_body(), "");
  EXPECT_NE(del.header("allow").find("GET"), std::string::npos) << del.header("allow");
  EXPECT_EQ(del.header("allow").find("DELETE"), std::string::npos) << del.header("allow");

  auto trace = c.request("TRACE", "/api/v1/principles");
  EXPECT_EQ(trace.status, 405);
  expect_error_shape(trace.json_body(), "");
  EXPECT_NE(trace.header("allow").find("GET"), std::string::npos);

  // The web client's addresses answer only GET and HEAD.
  auto trace_root = c.request("TRACE", "/");
  EXPECT_EQ(trace_root.status, 405);
  EXPECT_FALSE(trace_root.header("allow").empty());
  expect_error_shape(trace_root.json_body(), "");
}

TEST(Http, MalformedOrNonObjectJsonIs400) {
  Deployment d;
  auto bad = raw_post(*d.server, "/api/v1/auth/login", "application/json", "{bad");
  EXPECT_EQ(bad.status, 400) << bad.body;
  expect_error_shape(bad.json_body(), "bad_request");

  for (const std::string body : {"[1, 2, 3]", "\"a string\"", "42", "null"}) {
    auto r = raw_post(*d.server, "/api/v1/auth/login", "application/json; charset=utf-8", body);
    EXPECT_EQ(r.status, 400) << body;
    expect_error_shape(r.json_body(), "bad_request");
  }

  // Deep nesting is refused before the parser recurses.
  auto deep = raw_post(*d.server, "/api/v1/auth/login", "application/json", std::string(5000, '[') + std::string(5000, ']'));
  EXPECT_EQ(deep.status, 400);
  expect_error_shape(deep.json_body(), "bad_request");
}

TEST(Http, NonJsonContentTypeIs415) {
  Deployment d;
  auto body = login_body().dump();
  for (const std::string type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
    auto r = raw_post(*d.server, "/api/v1/auth/login", type, body);
    EXPECT_EQ(r.status, 415) << type;
    expect_error_shape(r.json_body(), "");
  }
  auto none = raw_post(*d.server, "/api/v1/auth/login", "", body);
  EXPECT_EQ(none.status, 415);
  // The same body as JSON is understood (a wrong password, not a framing error).
  EXPECT_EQ(raw_post(*d.server, "/api/v1/auth/login", "application/json", body).status, 401);
}

// ---------------------------------------------------------------------------------------
// Limits

TEST(Http, BodiesOverTheLimitAre413WithContentLengthOrChunked) {
  Deployment d;
  const std::size_t limit = 64 * 1024;
  // Exactly at the limit is read and handled (the JSON is fine, the credentials are not).
  std::string at_limit = R"({"email":"nobody@example.nhs.uk","password":")";
  at_limit += std::string(limit - at_limit.size() - 2, 'x') + "\"}";
  ASSERT_EQ(at_limit.size(), limit);
  auto ok = raw_post(*d.server, "/api/v1/auth/login", "application/json", at_limit);
  EXPECT_NE(ok.status, 413);
  EXPECT_NE(ok.status, 0);

  std::string over = at_limit + " ";
  auto r = raw_post(*d.server, "/api/v1/auth/login", "application/json", over);
  EXPECT_EQ(r.status, 413);
  expect_error_shape(r.json_body(), "too_large");

  // A huge declared length is refused from the headers alone.
  auto declared = raw(*d.server, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                 "Content-Length: 10000000000\r\n\r\n{}");
  EXPECT_EQ(declared.status, 413);

  auto chunks = raw(*d.server, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n" + chunked(over, 8192));
  EXPECT_EQ(chunks.status, 413);
  expect_error_shape(chunks.json_body(), "too_large");

  // A client still sending a large body when refused can finish and read the answer:
  // the server reads on (and discards) instead of resetting the connection.
  const std::string big(3 * 1024 * 1024, 'x');
  auto sent = send_raw(*d.server, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                  "Content-Length: " + std::to_string(big.size()) + "\r\n\r\n" + big);
  EXPECT_TRUE(sent.wrote_all) << "the connection was reset while the body was being sent";
  EXPECT_EQ(parse_raw(sent.received).status, 413);
  auto big_chunks = send_raw(*d.server, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                        "Transfer-Encoding: chunked\r\n\r\n" + chunked(big, 65536));
  EXPECT_TRUE(big_chunks.wrote_all);
  EXPECT_EQ(parse_raw(big_chunks.received).status, 413);
  // A client that does not half-close gets the same answer (raw_exchange waits for the close).
  auto plain = parse_raw(raw_exchange(d.server->host(), d.server->port(),
                                      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                      "Content-Length: " + std::to_string(over.size()) + "\r\n\r\n" + over));
  EXPECT_EQ(plain.status, 413);
  // Chunked within the limit is fine.
  auto small = raw(*d.server, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(login_body().dump(), 7));
  EXPECT_EQ(small.status, 401);
}

TEST(Http, OversizedHeadersAre431) {
  Deployment d;
  auto r = raw(*d.server, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(20 * 1024, 'a') + "\r\n\r\n");
  EXPECT_EQ(r.status, 431);
  expect_error_shape(r.json_body(), "");
  // Many small headers add up the same way.
  std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 2000; ++i) many += "X-H" + std::to_string(i) + ": 0123456789\r\n";
  EXPECT_EQ(raw(*d.server, many + "\r\n").status, 431);
  // A long target too.
  EXPECT_EQ(raw(*d.server, "GET /" + std::string(20 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n").status, 431);
  // Normal headers pass.
  EXPECT_EQ(raw(*d.server, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status, 200);
}

// ---------------------------------------------------------------------------------------
// Request smuggling shapes (RFC 9112 §6): answered 400 and the connection closed, so a
// second request hidden in the body is never answered.

TEST(Http, AmbiguousFramingIsRefusedWith400) {
  Deployment d;
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  struct Case {
    const char* name;
    std::string bytes;
  };
  std::vector<Case> cases = {
      {"Content-Length then Transfer-Encoding",
       "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n"
       "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled},
      {"Transfer-Encoding then Content-Length",
       "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
       "Content-Length: 5\r\n\r\n0\r\n\r\n" + smuggled},
      {"Transfer-Encoding not ending in chunked",
       "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n" +
           smuggled},
      {"chunked, then gzip",
       "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n" + smuggled},
      {"chunked in HTTP/1.0",
       "POST /api/v1/auth/login HTTP/1.0\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
       "2\r\n{}\r\n0\r\n\r\n" + smuggled},
      {"two different Content-Length headers",
       "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
       "Content-Length: 40\r\n\r\n{}" + smuggled},
      {"a Content-Length list",
       "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2, 40\r\n\r\n{}" +
           smuggled},
  };
  for (const auto& c : cases) {
    auto r = raw(*d.server, c.bytes);
    EXPECT_EQ(r.status, 400) << c.name;
    EXPECT_EQ(r.responses, 1u) << c.name << ": the hidden request must not be answered";
    if (r.version == "HTTP/1.1") {
      EXPECT_EQ(r.headers["connection"], "close") << c.name;
    }
    expect_error_shape(r.json_body(), "bad_request");
  }
  // A well-framed pipelined pair is answered twice: the refusals above are about framing.
  auto two = raw(*d.server, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(two.status, 200);
  EXPECT_EQ(two.responses, 2u);
}

TEST(Http, GarbageAndBadTargetsAre400) {
  Deployment d;
  auto garbage = raw(*d.server, "this is not http\r\n\r\n");
  EXPECT_EQ(garbage.status, 400);
  auto absolute = raw(*d.server, "GET http://evil.example/healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(absolute.status, 400);
  auto bad_escape = raw(*d.server, "GET /api/v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(bad_escape.status, 400);
  auto nul = raw(*d.server, "GET /index.html%00.js HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(nul.status, 400);
  expect_security_headers(nul, "a 400 for a bad target");
}

// ---------------------------------------------------------------------------------------
// Headers on every response

TEST(Http, EveryResponseCarriesTheSecurityHeaders) {
  Deployment d;
  auto email = d.add_user("sam", "staff");
  Client c = d.signed_in(email);
  Client anon = d.client();

  auto ok = c.get("/api/v1/principles");
  ASSERT_EQ(ok.status, 200);
  expect_security_headers(ok, "200 API");
  expect_security_headers(anon.get("/api/v1/principles"), "401");
  expect_security_headers(anon.get("/api/v1/nothing"), "404 API");
  expect_security_headers(anon.del("/api/v1/principles"), "405");
  expect_security_headers(anon.get("/healthz"), "healthz");
  expect_security_headers(anon.get("/metrics"), "metrics");
  expect_security_headers(anon.get("/"), "static (no web client installed)");
  expect_security_headers(raw_post(*d.server, "/api/v1/auth/login", "application/json", "{bad"), "400 bad JSON");
  expect_security_headers(raw_post(*d.server, "/api/v1/auth/login", "text/plain", "x"), "415");
  expect_security_headers(raw(*d.server, "GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(20000, 'a') + "\r\n\r\n"), "431");
  expect_security_headers(raw(*d.server, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\n\r\n"),
                          "413");
}

TEST(Http, ApiAnswersAreNeverCached) {
  Deployment d;
  auto email = d.add_user("sam", "staff");
  Client c = d.signed_in(email);
  Client anon = d.client();
  auto no_store = [](const Response& r) { return r.header("cache-control").find("no-store") != std::string::npos; };
  EXPECT_TRUE(no_store(c.get("/api/v1/principles")));
  EXPECT_TRUE(no_store(c.get("/api/v1/me")));
  EXPECT_TRUE(no_store(anon.get("/api/v1/principles")));
  EXPECT_TRUE(no_store(anon.post("/api/v1/auth/login", login_body())));
  EXPECT_TRUE(no_store(anon.get("/api/v1/nothing-here"))) << "a 404 under /api/ is an API answer too";
  EXPECT_TRUE(no_store(anon.del("/api/v1/principles"))) << "a 405 under /api/ is an API answer too";
  auto bad = raw_post(*d.server, "/api/v1/auth/login", "application/json", "{bad");
  EXPECT_NE(bad.headers["cache-control"].find("no-store"), std::string::npos);
  auto ambiguous = raw(*d.server, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
  ASSERT_EQ(ambiguous.status, 400);
  EXPECT_NE(ambiguous.headers["cache-control"].find("no-store"), std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Health and metrics

TEST(Http, HealthzAnswersOkAsJson) {
  Deployment d;
  auto r = d.client().get("/healthz");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos);
  EXPECT_EQ(r.json_body(), json({{"status", "ok"}}));
  auto head = d.client().request("HEAD", "/healthz");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  // A HEAD answer gives the GET's length (RFC 9110 §8.6) and no body: on a pipelined
  // connection the next answer starts right after its head.
  auto pair = send_raw(*d.server, "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .received;
  auto first = parse_raw(pair);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.headers["content-length"], std::to_string(r.body.size()));
  auto second_at = pair.find("\r\n\r\n");
  ASSERT_NE(second_at, std::string::npos);
  auto second = parse_raw(pair.substr(second_at + 4));
  EXPECT_EQ(second.status, 200) << pair;
  EXPECT_EQ(second.body, r.body);
}

TEST(Http, MetricsArePrometheusText) {
  Deployment d;
  auto email = d.add_user("sam", "staff");
  d.signed_in(email);  // a login writes a session: one write batch at least
  Client c = d.client();
  c.get("/healthz");
  auto r = c.get("/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type").rfind("text/plain", 0), 0u) << r.header("content-type");
  EXPECT_NE(r.body.find("# TYPE carecrowd_http_requests_total counter"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("carecrowd_http_requests_total{"), std::string::npos);
  EXPECT_NE(r.body.find("route=\"/healthz\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("# TYPE carecrowd_db_write_batch_size histogram"), std::string::npos);
  EXPECT_NE(r.body.find("carecrowd_db_write_batch_size_bucket{le=\"+Inf\"}"), std::string::npos);
  auto count_at = r.body.find("carecrowd_db_write_batch_size_count ");
  ASSERT_NE(count_at, std::string::npos);
  EXPECT_GE(std::atoi(r.body.c_str() + count_at + std::strlen("carecrowd_db_write_batch_size_count ")), 1);
  // The store's own: checkpoints, and rankings kept in memory (none listed yet).
  EXPECT_NE(r.body.find("# TYPE carecrowd_db_checkpoints_total counter\ncarecrowd_db_checkpoints_total "),
            std::string::npos) << r.body;
  EXPECT_NE(r.body.find("carecrowd_db_wal_restarts_total "), std::string::npos);
  EXPECT_NE(r.body.find("\ncarecrowd_ranking_challenges_held 0\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\ncarecrowd_ranking_standings_forgotten_total 0\n"), std::string::npos);
  // Every sample line is "name{labels} value" or "name value"; comments start with '#'.
  std::size_t pos = 0;
  while (pos < r.body.size()) {
    auto eol = r.body.find('\n', pos);
    ASSERT_NE(eol, std::string::npos) << "the text ends with a newline";
    auto line = r.body.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty() || line[0] == '#') continue;
    EXPECT_EQ(line.rfind("carecrowd_", 0), 0u) << line;
    EXPECT_NE(line.find(' '), std::string::npos) << line;
  }
}

// ---------------------------------------------------------------------------------------
// The web client's files

namespace {
struct WebRoot {
  TempDir dir;
  std::string root = dir.file("web");
  WebRoot() {
    std::filesystem::create_directories(root + "/assets");
    write(root + "/index.html", "<!doctype html><title>CareCrowd</title><script type=module src=/app.js></script>");
    write(root + "/app.js", "console.log('app');");
    write(root + "/style.css", "body { margin: 0 }");
    write(root + "/assets/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    // Beside the web root, never inside it.
    write(dir.file("secret.txt"), "TOP-SECRET-PEPPER");
  }
  static void write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  ServerProcess::Options options() const {
    auto o = fast_options();
    o.extra_args = {"--web-root", root};
    return o;
  }
};
}  // namespace

TEST(Http, ServesTheWebClientWithTheRightTypes) {
  WebRoot web;
  Deployment d(web.options());
  Client c = d.client();
  auto index = c.get("/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.header("content-type").rfind("text/html", 0), 0u);
  EXPECT_NE(index.body.find("<title>CareCrowd</title>"), std::string::npos);
  expect_security_headers(index, "index.html");

  auto html = c.get("/index.html");
  EXPECT_EQ(html.status, 200);
  EXPECT_EQ(html.body, index.body);

  auto js = c.get("/app.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(js.header("content-type").rfind("text/javascript", 0), 0u) << js.header("content-type");
  EXPECT_EQ(js.body, "console.log('app');");

  auto css = c.get("/style.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.header("content-type").rfind("text/css", 0), 0u);

  auto svg = c.get("/assets/logo.svg");
  EXPECT_EQ(svg.status, 200);
  EXPECT_EQ(svg.header("content-type"), "image/svg+xml");

  // The client's own addresses (deep links, reloads) get index.html.
  for (const std::string path : {"/challenges/3", "/ideas/12/comments", "/workshops?x=1"}) {
    auto deep = c.get(path);
    EXPECT_EQ(deep.status, 200) << path;
    EXPECT_EQ(deep.body, index.body) << path;
    EXPECT_EQ(deep.header("content-type").rfind("text/html", 0), 0u) << path;
  }
  auto missing = c.get("/missing.js");
  EXPECT_EQ(missing.status, 404);
  expect_error_shape(missing.json_body(), "not_found");
  EXPECT_EQ(c.get("/assets/missing.css").status, 404);
  // An API address is never answered by the client's index.html.
  EXPECT_EQ(c.get("/api/v1/challenges-that-do-not-exist").status, 404);
  EXPECT_EQ(c.request("POST", "/app.js", json::object()).status, 405);
}

// Files are kept in memory and carry an ETag: a browser revalidating its copy gets a 304
// without a body, and a file changed on disk is served afresh with a new ETag.
TEST(Http, WebClientFilesRevalidateWithETags) {
  WebRoot web;
  Deployment d(web.options());
  Client c = d.client();
  auto first = c.get("/app.js");
  ASSERT_EQ(first.status, 200);
  const auto etag = first.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');

  for (const std::string& sent : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    auto again = c.request("GET", "/app.js", std::nullopt, {{"If-None-Match", sent}});
    EXPECT_EQ(again.status, 304) << sent;
    EXPECT_TRUE(again.body.empty()) << sent;
    EXPECT_EQ(again.header("etag"), etag) << sent;
    EXPECT_EQ(again.header("content-length"), "") << sent;
  }
  EXPECT_EQ(c.request("GET", "/app.js", std::nullopt, {{"If-None-Match", "\"other\""}}).status, 200);
  // The deep-link fallback revalidates as index.html does.
  auto index = c.get("/challenges/3");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(c.request("GET", "/challenges/3", std::nullopt, {{"If-None-Match", index.header("etag")}}).status, 304);

  WebRoot::write(web.root + "/app.js", "console.log('app, version two');");
  auto changed = c.get("/app.js");
  ASSERT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, "console.log('app, version two');");
  EXPECT_NE(changed.header("etag"), etag);
  EXPECT_EQ(c.request("GET", "/app.js", std::nullopt, {{"If-None-Match", etag}}).status, 200);
}

TEST(Http, PathTraversalNeverReachesFilesOutsideTheWebRoot) {
  WebRoot web;
  Deployment d(web.options());
  Client c = d.client();
  const std::vector<std::string> attempts = {
      "/../secret.txt",        "/%2e%2e/secret.txt",      "/..%2fsecret.txt",      "/static/../../secret.txt",
      "/%2E%2E/secret.txt",    "/.%2e/secret.txt",        "/assets/../../secret.txt", "/..%5csecret.txt",
      "/..\\secret.txt",       "//../secret.txt",         "/%2e%2e%2fsecret.txt",  "/assets/%2e%2e/%2e%2e/secret.txt",
      "/./../secret.txt",      "/....//secret.txt",
  };
  for (const auto& target : attempts) {
    std::string bytes = "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    auto r = raw(*d.server, bytes);
    EXPECT_EQ(r.body.find("TOP-SECRET"), std::string::npos) << target;
    EXPECT_TRUE(r.status == 400 || r.status == 404) << target << " gave " << r.status;
  }
  // The file really is there: only the server's rules keep it out.
  std::ifstream in(web.dir.file("secret.txt"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "TOP-SECRET-PEPPER");
  // And files inside still load after all that.
  EXPECT_EQ(c.get("/app.js").status, 200);
}

TEST(Http, WithoutAWebClientThePagesAre404ButTheApiWorks) {
  TempDir nowhere;
  auto o = fast_options();
  o.extra_args = {"--web-root", nowhere.file("no-such-folder")};
  Deployment d(o);
  Client c = d.client();
  auto r = c.get("/");
  // No web client: an honest 404 in the error shape (never a directory listing or a crash).
  EXPECT_EQ(r.status, 404);
  expect_error_shape(r.json_body(), "not_found");
  EXPECT_EQ(c.get("/healthz").status, 200);
}

// ---------------------------------------------------------------------------------------
// Clean shutdown

TEST(Http, SigtermStopsTheServerWithStatus0) {
  Deployment d;
  ASSERT_EQ(d.client().get("/healthz").status, 200);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(d.server->stop(SIGTERM), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(Http, SigintStopsTheServerWithStatus0EvenWithAnIdleConnectionOpen) {
  Deployment d;
  ASSERT_EQ(d.client().get("/healthz").status, 200);
  // A keep-alive connection that sends nothing must not hold the shutdown up.
  std::thread idle([&] { raw_exchange(d.server->host(), d.server->port(), "", std::chrono::milliseconds(3000)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(d.server->stop(SIGINT), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  idle.join();
}

TEST(Http, ARequestInFlightAtShutdownStillGetsItsAnswer) {
  // A costly password hash makes a login last long enough to signal the server mid-way.
  auto o = fast_options();
  o.env.push_back({"CARECROWD_PASSWORD_HASH_ITERATIONS", "12"});
  Deployment d(o);
  Client reg = d.client();
  auto r = reg.post("/api/v1/auth/register", {{"email", "late@example.nhs.uk"},
                                              {"password", "a long enough passphrase 42"},
                                              {"display_name", "Late Larry"},
                                              {"profession", "pharmacy"},
                                              {"organisation", "Night Trust"}});
  ASSERT_EQ(r.status, 201) << r.body;

  Client c = d.client();
  Response answer;
  std::string failure;
  std::chrono::steady_clock::time_point answered;
  std::thread login([&] {
    try {
      answer = c.login("late@example.nhs.uk", "a long enough passphrase 42");
    } catch (const std::exception& e) {
      failure = e.what();
    }
    answered = std::chrono::steady_clock::now();
  });
  // Signal once the server holds the login's connection (the metrics request is the other).
  auto open_connections = [&] {
    auto m = d.client().get("/metrics").body;
    auto at = m.find("\ncarecrowd_http_connections ");
    return at == std::string::npos ? 0 : std::atoi(m.c_str() + at + std::strlen("\ncarecrowd_http_connections "));
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (open_connections() < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto signalled = std::chrono::steady_clock::now();
  int status = d.server->stop(SIGTERM);
  login.join();
  EXPECT_EQ(status, 0);
  EXPECT_TRUE(failure.empty()) << failure;
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_GT(answered, signalled) << "the login finished before the signal: nothing was in flight";
  EXPECT_EQ(answer.header("connection"), "close");

  // The session the login made was committed before the server exited.
  d.start();
  Client again = d.client();
  again.cookies = c.cookies;
  ASSERT_FALSE(again.cookies["cc_session"].empty());
  EXPECT_EQ(again.get("/api/v1/me").status, 200);
  EXPECT_EQ(d.server->stop(SIGTERM), 0);
}
