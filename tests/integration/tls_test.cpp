// HTTPS and WSS with --tls-cert/--tls-key and a certificate made for the test: HSTS and
// the Secure cookie, TLS 1.2/1.3 only with strong suites, plain HTTP not served, stalled
// handshakes timed out, abrupt closes harmless.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <thread>

#include "support/harness.hpp"
#include "support/ws_client.hpp"

using namespace cc::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr int kHandshakeTimeoutSeconds = 2;

// A throwaway self-signed P-256 certificate for 127.0.0.1.
struct Certificate {
  TempDir dir;
  std::string cert = dir.file("cert.pem");
  std::string key = dir.file("key.pem");
  Certificate() {
    auto r = run_command({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                          "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                          "subjectAltName=IP:127.0.0.1"});
    if (r.exit_code != 0) throw std::runtime_error("openssl req failed: " + r.err);
  }
};

struct TlsDeployment {
  Certificate certificate;
  Deployment d;
  TlsDeployment() : d(options(certificate)) {}
  static ServerProcess::Options options(const Certificate& c) {
    ServerProcess::Options o = fast_options();
    o.extra_args = {"--tls-cert", c.cert, "--tls-key", c.key};
    o.env.push_back({"CARECROWD_LIMITS_HANDSHAKE_TIMEOUT_SECONDS", std::to_string(kHandshakeTimeoutSeconds)});
    return o;
  }
  const ServerProcess& server() const { return *d.server; }
};

// What a TLS handshake with the server came to: the error, or the protocol and suite.
struct Handshake {
  boost::system::error_code error;
  std::string version, cipher;
};

Handshake handshake(const ServerProcess& s, ssl::context& ctx) {
  asio::io_context ioc;
  ssl::stream<tcp::socket> stream(ioc, ctx);
  stream.next_layer().connect({asio::ip::make_address(s.host()), s.port()});
  Handshake h;
  stream.handshake(ssl::stream_base::client, h.error);
  if (!h.error) {
    h.version = SSL_get_version(stream.native_handle());
    h.cipher = SSL_get_cipher_name(stream.native_handle());
  }
  return h;
}

// The server said no with a protocol_version or handshake_failure alert (rather than
// the client refusing to offer the protocol at all).
bool refused_by_server(const Handshake& h) {
  if (!h.error || h.error.category() != asio::error::get_ssl_category()) return false;
  int reason = ERR_GET_REASON(static_cast<unsigned long>(h.error.value()));
  return reason == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION || reason == SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE;
}

// The first flight of a real TLS client: a ClientHello.
std::string client_hello() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, in, out);
  SSL_connect(ssl);  // writes the ClientHello, then wants to read
  char* data = nullptr;
  long n = BIO_get_mem_data(out, &data);
  std::string hello(data, static_cast<std::size_t>(n));
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return hello;
}

// A client that sends `first`, pauses, sends `later` (if any), then stalls.
struct Stall {
  std::string first, later;
};
constexpr auto kTricklePause = 1800ms;

// Connects, plays the stall, and says how long the server took to close the connection.
std::chrono::milliseconds time_to_close(const ServerProcess& s, const Stall& stall, std::chrono::milliseconds give_up) {
  asio::io_context ioc;
  tcp::socket sock(ioc);
  sock.connect({asio::ip::make_address(s.host()), s.port()});
  auto start = std::chrono::steady_clock::now();
  if (!stall.first.empty()) asio::write(sock, asio::buffer(stall.first));
  if (!stall.later.empty()) {
    std::this_thread::sleep_for(kTricklePause);
    boost::system::error_code ignored;
    asio::write(sock, asio::buffer(stall.later), ignored);
  }
  while (std::chrono::steady_clock::now() - start < give_up) {
    pollfd p{sock.native_handle(), POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    char buf[4096];
    if (::recv(sock.native_handle(), buf, sizeof buf, 0) <= 0) break;  // closed (an alert may come first)
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace

TEST(Tls, ServesHttpsWithHstsAndASecureCookie) {
  TlsDeployment t;
  ASSERT_EQ(t.server().base_url().rfind("https://", 0), 0u) << t.server().base_url();
  auto email = t.d.add_user("sam", "staff");
  Client c = t.d.client();
  ASSERT_TRUE(c.tls);
  auto health = c.get("/healthz");
  ASSERT_EQ(health.status, 200);
  EXPECT_NE(health.header("strict-transport-security").find("max-age=31536000"), std::string::npos);
  auto error = c.get("/api/v1/no-such-thing");
  EXPECT_EQ(error.status, 404);
  EXPECT_FALSE(error.header("strict-transport-security").empty()) << "errors too";

  auto login = c.login(email, Deployment::kPassword);
  ASSERT_EQ(login.status, 200) << login.body;
  auto cookie = login.header("set-cookie");
  EXPECT_NE(cookie.find("cc_session="), std::string::npos);
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_EQ(c.get("/api/v1/me").status, 200);
  // The Origin check knows the scheme: https://host is this site, http://host is not.
  auto foreign = c.request("POST", "/api/v1/auth/logout", json::object(),
                           {{"Origin", "http://" + t.server().host() + ":" + std::to_string(t.server().port())}});
  EXPECT_EQ(foreign.status, 403);
  auto out = c.post("/api/v1/auth/logout", json::object());
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.header("set-cookie").find("; Secure"), std::string::npos) << "the clearing cookie too";
}

TEST(Tls, OnlyTls12And13WithStrongSuites) {
  TlsDeployment t;
  for (int version : {TLS1_VERSION, TLS1_1_VERSION}) {
    auto h = handshake(t.server(), *tls_client_context(version));
    EXPECT_TRUE(refused_by_server(h)) << "max version " << std::hex << version << ": " << h.error.message() << " "
                                      << h.version;
  }
  auto tls12 = handshake(t.server(), *tls_client_context(TLS1_2_VERSION));
  ASSERT_FALSE(tls12.error) << tls12.error.message();
  EXPECT_EQ(tls12.version, "TLSv1.2");
  EXPECT_EQ(tls12.cipher.rfind("ECDHE-", 0), 0u) << tls12.cipher << " is not forward-secret";
  EXPECT_TRUE(tls12.cipher.find("GCM") != std::string::npos || tls12.cipher.find("CHACHA20") != std::string::npos)
      << tls12.cipher << " is not AEAD";
  auto best = handshake(t.server(), *tls_client_context());
  ASSERT_FALSE(best.error) << best.error.message();
  EXPECT_EQ(best.version, "TLSv1.3");

  // A TLS 1.2 client that offers only CBC suites finds nothing in common.
  auto cbc = tls_client_context(TLS1_2_VERSION);
  SSL_CTX_set_cipher_list(cbc->native_handle(), "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:@SECLEVEL=0");
  EXPECT_TRUE(refused_by_server(handshake(t.server(), *cbc)));

  // Plain HTTP on the TLS port gets no answer at all.
  auto plain = raw_exchange(t.server().host(), t.server().port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(plain, "");
}

TEST(Tls, StalledHandshakesAreClosedWithinTheTimeout) {
  TlsDeployment t;
  auto hello = client_hello();
  ASSERT_GT(hello.size(), 100u);
  auto limit = std::chrono::milliseconds(kHandshakeTimeoutSeconds * 1000 + 1000);
  // Nothing at all; a few bytes of a record header; most of a ClientHello; one byte, then
  // after a pause most of the rest. One deadline from the connect covers them all, so
  // trickling bytes does not buy a second timeout.
  std::vector<Stall> stalls = {{"", ""},
                               {hello.substr(0, 5), ""},
                               {hello.substr(0, hello.size() - 10), ""},
                               {hello.substr(0, 1), hello.substr(1, hello.size() - 11)}};
  std::vector<std::chrono::milliseconds> took(stalls.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < stalls.size(); ++i)
    threads.emplace_back([&, i] { took[i] = time_to_close(t.server(), stalls[i], 10s); });
  for (auto& th : threads) th.join();
  for (std::size_t i = 0; i < stalls.size(); ++i) {
    EXPECT_LE(took[i], limit) << "stall " << i << " held the connection " << took[i].count() << " ms";
    EXPECT_GE(took[i], std::chrono::milliseconds(kHandshakeTimeoutSeconds * 1000 - 500))
        << "stall " << i << " was closed before the timeout";
  }
  EXPECT_EQ(t.d.client().get("/healthz").status, 200);
}

TEST(Tls, AbruptClosesMidHandshakeLeaveTheServerHealthy) {
  TlsDeployment t;
  auto hello = client_hello();
  for (int i = 0; i < 60; ++i) {
    asio::io_context ioc;
    tcp::socket sock(ioc);
    sock.connect({asio::ip::make_address(t.server().host()), t.server().port()});
    std::size_t cut = i % 3 == 0 ? 0 : i % 3 == 1 ? 3 : hello.size() / 2;
    if (i % 4 == 3) cut = hello.size();  // the whole ClientHello, then gone before the reply is read
    if (cut) asio::write(sock, asio::buffer(hello.data(), cut));
    if (i % 2 == 0) sock.set_option(asio::socket_base::linger(true, 0));  // a reset rather than a FIN
    sock.close();
  }
  // A full handshake abandoned without close_notify, in the middle of a request.
  for (int i = 0; i < 10; ++i) {
    asio::io_context ioc;
    auto ctx = tls_client_context();
    ssl::stream<tcp::socket> stream(ioc, *ctx);
    stream.next_layer().connect({asio::ip::make_address(t.server().host()), t.server().port()});
    stream.handshake(ssl::stream_base::client);
    std::string partial = "GET /api/v1/me HTTP/1.1\r\nHost: x\r\n";
    asio::write(stream, asio::buffer(partial));
    stream.next_layer().set_option(asio::socket_base::linger(true, 0));
    stream.next_layer().close();
  }
  EXPECT_TRUE(t.d.server->running());
  Client c = t.d.client();
  EXPECT_EQ(c.get("/healthz").status, 200);
  EXPECT_EQ(c.login(t.d.add_user("sam", "staff"), Deployment::kPassword).status, 200);
}

TEST(Tls, WssCarriesLiveUpdatesAndKeepsTheOriginCheck) {
  TlsDeployment t;
  Client staff = t.d.signed_in(t.d.add_user("sam", "staff"));
  Client lead = t.d.signed_in(t.d.add_user("dora", "design_group"));
  WsClient ws(t.server().host(), t.server().port(), {staff.cookies, std::nullopt, true});
  ws.send({{"op", "subscribe"}, {"topics", {"challenges"}}});
  auto sub = ws.recv();
  ASSERT_TRUE(sub.has_value());
  EXPECT_EQ((*sub)["op"], "subscribed") << *sub;
  auto created = lead.post("/api/v1/challenges", {{"title", "Over TLS"}, {"brief", "b"}, {"principle_ids", {1}}, {"status", "open"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto event = ws.recv_event("challenge.created");
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ((*event)["data"]["challenge"]["title"], "Over TLS");

  std::string http_origin = "http://" + t.server().host() + ":" + std::to_string(t.server().port());
  try {
    WsClient refused(t.server().host(), t.server().port(), {staff.cookies, http_origin, true});
    ADD_FAILURE() << "a WSS handshake from the http:// origin was accepted";
  } catch (const WsRefused& e) {
    EXPECT_EQ(e.status, 403);
  }
}
