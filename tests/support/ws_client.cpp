#include "support/ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace cc::test {
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct WsClient::Impl {
  asio::io_context ioc;
  websocket::stream<tcp::socket> ws{ioc};
  beast::flat_buffer buffer;
  bool pending = false;
  bool done = false;
  beast::error_code result;
};

WsClient::WsClient(const std::string& host, unsigned short port, Options options) : impl_(std::make_unique<Impl>()) {
  auto& ws = impl_->ws;
  ws.next_layer().connect(tcp::endpoint(asio::ip::make_address(host), port));
  std::string host_header = host + ":" + std::to_string(port);
  std::string origin = options.origin.value_or("http://" + host_header);
  std::string cookie;
  for (const auto& [k, v] : options.cookies) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
  ws.set_option(websocket::stream_base::decorator([origin, cookie](websocket::request_type& req) {
    if (!origin.empty()) req.set(beast::http::field::origin, origin);
    if (!cookie.empty()) req.set(beast::http::field::cookie, cookie);
  }));
  websocket::response_type res;
  beast::error_code ec;
  ws.handshake(res, host_header, "/ws", ec);
  if (ec) throw WsRefused(static_cast<int>(res.result_int()), "handshake refused: " + ec.message());
  ws.read_message_max(16 * 1024 * 1024);
}

WsClient::~WsClient() {
  beast::error_code ec;
  impl_->ws.next_layer().close(ec);
}

void WsClient::send(const nlohmann::json& message) { send_text(message.dump()); }

void WsClient::send_text(const std::string& text) {
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(text));
}

std::optional<nlohmann::json> WsClient::recv(std::chrono::milliseconds timeout) {
  if (closed_) return std::nullopt;
  auto& im = *impl_;
  // A read that timed out stays pending and is picked up by the next call, so the
  // stream is never left with a cancelled operation.
  if (!im.pending) {
    im.pending = true;
    im.done = false;
    im.ws.async_read(im.buffer, [&im](beast::error_code ec, std::size_t) {
      im.done = true;
      im.result = ec;
    });
  }
  im.ioc.restart();
  im.ioc.run_for(timeout);
  if (!im.done) return std::nullopt;
  im.pending = false;
  if (im.result) {
    closed_ = true;
    close_code_ = im.ws.reason().code;
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
  impl_->ws.close(websocket::close_code::normal, ec);
  closed_ = true;
}

int WsClient::native_handle() { return impl_->ws.next_layer().native_handle(); }

}  // namespace cc::test
