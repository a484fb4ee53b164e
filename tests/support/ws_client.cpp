#include "support/ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "support/harness.hpp"

namespace cc::test {
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

// The stream-independent part of the client, so plain and TLS share every call.
struct WsClient::Impl {
  asio::io_context ioc;
  beast::flat_buffer buffer;
  bool pending = false;
  bool done = false;
  beast::error_code result;
  std::shared_ptr<void> keep_alive;  // the TLS context, which must outlive the stream

  virtual ~Impl() = default;
  virtual void handshake(websocket::response_type& res, const std::string& host, beast::error_code& ec) = 0;
  virtual void set_decorator(websocket::stream_base::decorator d) = 0;
  virtual void write(const std::string& text) = 0;
  virtual void ping(beast::error_code& ec) = 0;
  virtual void start_read() = 0;
  virtual int close_reason() = 0;
  virtual void close(beast::error_code& ec) = 0;
  virtual tcp::socket& socket() = 0;
};

namespace {

template <class Stream>
struct StreamImpl final : WsClient::Impl {
  template <class... Args>
  explicit StreamImpl(Args&... args) : ws(ioc, args...) {}

  void handshake(websocket::response_type& res, const std::string& host, beast::error_code& ec) override {
    if constexpr (!std::is_same_v<Stream, tcp::socket>) {
      ws.next_layer().handshake(ssl::stream_base::client, ec);
      if (ec) return;
    }
    ws.handshake(res, host, "/ws", ec);
    ws.read_message_max(16 * 1024 * 1024);
  }
  void set_decorator(websocket::stream_base::decorator d) override { ws.set_option(std::move(d)); }
  void write(const std::string& text) override {
    ws.text(true);
    ws.write(asio::buffer(text));
  }
  void ping(beast::error_code& ec) override { ws.ping({}, ec); }
  void start_read() override {
    ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
      done = true;
      result = ec;
    });
  }
  int close_reason() override { return ws.reason().code; }
  void close(beast::error_code& ec) override { ws.close(websocket::close_code::normal, ec); }
  tcp::socket& socket() override { return beast::get_lowest_layer(ws); }

  websocket::stream<Stream> ws;
};

}  // namespace

WsClient::WsClient(const std::string& host, unsigned short port, Options options) {
  std::shared_ptr<ssl::context> ctx;
  if (options.tls) {
    ctx = tls_client_context();
    auto impl = std::make_unique<StreamImpl<ssl::stream<tcp::socket>>>(*ctx);
    impl->keep_alive = ctx;
    impl_ = std::move(impl);
  } else {
    impl_ = std::make_unique<StreamImpl<tcp::socket>>();
  }
  impl_->socket().connect(tcp::endpoint(asio::ip::make_address(host), port));
  std::string host_header = host + ":" + std::to_string(port);
  std::string origin = options.origin.value_or((options.tls ? "https://" : "http://") + host_header);
  std::string cookie;
  for (const auto& [k, v] : options.cookies) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
  impl_->set_decorator(websocket::stream_base::decorator([origin, cookie](websocket::request_type& req) {
    if (!origin.empty()) req.set(beast::http::field::origin, origin);
    if (!cookie.empty()) req.set(beast::http::field::cookie, cookie);
  }));
  websocket::response_type res;
  beast::error_code ec;
  impl_->handshake(res, host_header, ec);
  if (ec) throw WsRefused(static_cast<int>(res.result_int()), "handshake refused: " + ec.message());
}

WsClient::~WsClient() {
  beast::error_code ec;
  impl_->socket().close(ec);
}

void WsClient::send(const nlohmann::json& message) { send_text(message.dump()); }

void WsClient::send_text(const std::string& text) { impl_->write(text); }

int WsClient::send_pings(int count) {
  for (int i = 0; i < count; ++i) {
    beast::error_code ec;
    impl_->ping(ec);
    if (ec) return i;
  }
  return count;
}

std::optional<nlohmann::json> WsClient::recv(std::chrono::milliseconds timeout) {
  if (closed_) return std::nullopt;
  auto& im = *impl_;
  // A read that timed out stays pending and is picked up by the next call, so the
  // stream is never left with a cancelled operation.
  if (!im.pending) {
    im.pending = true;
    im.done = false;
    im.start_read();
  }
  im.ioc.restart();
  im.ioc.run_for(timeout);
  if (!im.done) return std::nullopt;
  im.pending = false;
  if (im.result) {
    closed_ = true;
    close_code_ = im.close_reason();
    return std::nullopt;
  }
  std::string text = beast::buffers_to_string(im.buffer.data());
  im.buffer.consume(im.buffer.size());
  auto j = nlohmann::json::parse(text, nullptr, false);
  return j.is_discarded() ? nlohmann::json(text) : j;
}

std::optional<nlohmann::json> WsClient::recv_event(const std::string& type, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto m = recv(std::max(left, std::chrono::milliseconds(1)));
    if (!m) return std::nullopt;
    if (m->value("op", "") == "event" && m->value("type", "") == type) return m;
  }
  return std::nullopt;
}

void WsClient::close() {
  beast::error_code ec;
  impl_->close(ec);
  closed_ = true;
}

int WsClient::native_handle() { return impl_->socket().native_handle(); }

}  // namespace cc::test
