#pragma once
// HTTP/1.1 sessions over a plain or TLS stream (CRTP, as in Beast's server-flex example).
// One request at a time per connection: read headers, check them, read the body, hand a
// plain http::Request to the handler, write its response, repeat.
#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <memory>
#include <string_view>

#include "common/log.hpp"
#include "http/message.hpp"
#include "http/response_head.hpp"
#include "http/responses.hpp"
#include "net/beast.hpp"
#include "net/server_state.hpp"
#include "net/websocket_session.hpp"

namespace cc::net {

using BeastRequest = bhttp::request<bhttp::string_body>;

// Turns a Beast request into the application's plain request; false if the target is malformed.
bool to_app_request(const BeastRequest& in, const std::string& ip, bool tls, http::Request& out);
// Request-smuggling shapes that Beast's parser lets through (ASVS 13, RFC 9112 §6).
// Returns an error message, or nullptr when the framing is acceptable.
const char* framing_problem(const bhttp::request_parser<bhttp::string_body>& parser);
bhttp::response<bhttp::string_body> to_beast_response(http::Response&& res, unsigned version, bool keep_alive);

template <class Derived>
class HttpSession {
public:
  HttpSession(std::shared_ptr<ConnectionSlot> slot, beast::flat_buffer buffer, bool tls)
      : slot_(std::move(slot)), buffer_(std::move(buffer)), tls_(tls) {}

  void do_read() {
    auto& st = slot_->state();
    if (st.draining) return derived().do_eof();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(st.options.header_limit));
    parser_->body_limit(st.options.body_limit);
    beast::get_lowest_layer(derived().stream()).expires_after(st.options.header_timeout);
    bhttp::async_read_header(derived().stream(), buffer_, *parser_,
                             beast::bind_front_handler(&HttpSession::on_header, derived().shared_from_this()));
  }

private:
  Derived& derived() { return static_cast<Derived&>(*this); }

  void on_header(error_code ec, std::size_t) {
    if (ec == bhttp::error::end_of_stream) return derived().do_eof();
    if (ec == bhttp::error::header_limit) return reply_error(431, "too_large", "the request headers are too large");
    if (ec == bhttp::error::body_limit) return reply_error(413, "too_large", "the request body is too large");
    if (ec) {
      if (is_parse_error(ec)) return reply_error(400, "bad_request", "the request is malformed");
      return report_failure(ec, "read header");
    }
    if (const char* problem = framing_problem(*parser_)) return reply_error(400, "bad_request", problem);
    auto& st = slot_->state();
    if (parser_->content_length() && *parser_->content_length() > st.options.body_limit)
      return reply_error(413, "too_large", "the request body is too large");
    // Requests per address, WebSocket handshakes included. The health check is left out,
    // so a load balancer behind the same address as a limited client still sees us up.
    retry_after_ = is_health_check(parser_->get()) ? 0 : st.hit_request_limit(slot_->limit_key());
    if (websocket::is_upgrade(parser_->get())) {
      if (!parser_->is_done()) return reply_error(400, "bad_request", "a WebSocket handshake has no body");
      if (retry_after_) return reply_error(429, "rate_limited", kTooManyRequests, retry_after_);
      beast::get_lowest_layer(derived().stream()).expires_never();
      return derived().do_upgrade(parser_->release());
    }
    if (parser_->is_done()) return on_read({}, 0);
    beast::get_lowest_layer(derived().stream()).expires_after(st.options.body_timeout);
    bhttp::async_read(derived().stream(), buffer_, *parser_,
                      beast::bind_front_handler(&HttpSession::on_read, derived().shared_from_this()));
  }

  static constexpr const char* kTooManyRequests = "too many requests from this address; please wait a moment";

  static bool is_health_check(const bhttp::request<bhttp::string_body>& req) {
    std::string_view target = req.target();
    return (req.method() == bhttp::verb::get || req.method() == bhttp::verb::head) &&
           (target == "/healthz" || target.substr(0, 9) == "/healthz?");
  }

  static bool is_parse_error(const error_code& ec) {
    return ec.category() == error_code(bhttp::error::bad_target).category() && ec != bhttp::error::end_of_stream;
  }

  void on_read(error_code ec, std::size_t) {
    if (ec == bhttp::error::body_limit) return reply_error(413, "too_large", "the request body is too large");
    if (ec) {
      if (is_parse_error(ec)) return reply_error(400, "bad_request", "the request is malformed");
      return report_failure(ec, "read body");
    }
    auto& st = slot_->state();
    beast::get_lowest_layer(derived().stream()).expires_never();
    auto& msg = parser_->get();
    version_ = msg.version();
    keep_alive_ = msg.keep_alive();
    started_ = std::chrono::steady_clock::now();
    request_ = http::Request{};
    if (!to_app_request(msg, slot_->ip(), tls_, request_))
      return reply_error(400, "bad_request", "the request target is malformed");
    ++st.in_flight;
    responded_ = false;
    if (retry_after_) {
      request_.route = "-limited";
      auto res = http::error_response(429, "rate_limited", kTooManyRequests);
      res.set("Retry-After", std::to_string(retry_after_));
      return send(std::move(res), true);
    }
    // The respond callback may run on any thread (the writer's answers, slow reads): it
    // hops back onto this connection's thread. Reads answer on that thread itself, and
    // dispatch then sends at once rather than queueing a second handler for each request.
    auto self = derived().shared_from_this();
    try {
      st.handler(request_, [self](http::Response res) {
        asio::dispatch(self->derived().stream().get_executor(),
                       [self, res = std::move(res)]() mutable { self->send(std::move(res), true); });
      });
    } catch (...) {
      send(http::response_for_exception(std::current_exception(), &request_), true);
    }
  }

  void reply_error(int status, const char* code, const char* message, int retry_after = 0) {
    // Framing is unreliable after these errors: answer once and close.
    keep_alive_ = false;
    linger_ = true;
    version_ = parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
    request_ = http::Request{};
    request_.method = parser_ && parser_->is_header_done() ? std::string(parser_->get().method_string()) : "-";
    request_.route = "-";
    request_.remote_ip = slot_->ip();
    started_ = std::chrono::steady_clock::now();
    auto res = http::error_response(status, code, message);
    if (retry_after) res.set("Retry-After", std::to_string(retry_after));
    res.close = true;
    send(std::move(res), false);
  }

  void send(http::Response res, bool counted) {
    auto& st = slot_->state();
    if (counted && responded_) return;  // a handler answered twice: keep the first
    if (counted) responded_ = true;
    counted_ = counted;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    st.metrics.observe_request(request_.route.empty() ? "-" : request_.route, request_.method, res.status, seconds);
    if (log::enabled(log::Level::info)) {
      char ms[32];
      auto ms_end = std::to_chars(ms, ms + sizeof ms, seconds * 1000.0, std::chars_format::fixed, 3).ptr;
      std::string line;
      line.reserve(96 + request_.path.size());
      line.append("event=http ip=").append(request_.remote_ip).append(" method=").append(log::escape(request_.method, 16));
      line.append(" path=").append(log::escape(request_.path, 200)).append(" status=").append(std::to_string(res.status));
      line.append(" ms=").append(ms, ms_end);
      log::info(line);
    }
    bool keep = keep_alive_ && !res.close && !st.draining;
    // Answers that chose no caching policy (every API answer, which is personal, and the
    // 400/413/431 above) are not cached: only static files opt in to caching.
    const bool no_store = std::none_of(res.headers.begin(), res.headers.end(),
                                       [](const auto& h) { return http::same_header_name(h.first, "cache-control"); });
    // The security headers go in as one block of text, unless the answer names one of
    // them itself: then the policy's values replace its own, as a header set again does.
    std::string_view lines;
    if (!http::sets_security_header(res)) {
      lines = http::security_header_lines(tls_, no_store);
    } else {
      http::add_security_headers(res, tls_);
      if (no_store) lines = http::kNoStoreLine;
    }
    // A HEAD answer gives the GET's Content-Length and no body (RFC 9110 §8.6 and §9.3.2):
    // the head is written before the body is dropped.
    head_ = http::response_head(res, version_, keep, lines);
    if (request_.method == "HEAD" || http::has_no_body(res.status)) res.body.clear();
    derived().answering(request_.method);
    body_ = std::move(res.body);
    beast::get_lowest_layer(derived().stream()).expires_after(std::chrono::seconds(30));
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(body_)};
    asio::async_write(derived().stream(), buffers,
                      beast::bind_front_handler(&HttpSession::on_write, derived().shared_from_this(), keep));
  }

  void on_write(bool keep, error_code ec, std::size_t) {
    if (counted_) {
      --slot_->state().in_flight;
      counted_ = false;
    }
    head_.clear();
    body_ = std::string();  // an export can be megabytes: do not keep it for the next answer
    if (ec) return report_failure(ec, "write");
    if (!keep) return linger_ ? derived().do_linger() : derived().do_eof();
    do_read();
  }

  // Called as each answer is written, with its request's method. A session type that
  // reads its answers back (the request fuzzer's) hides this to learn which were HEAD's.
  void answering(std::string_view /*method*/) {}

protected:
  std::shared_ptr<ConnectionSlot> slot_;
  beast::flat_buffer buffer_;
  bool tls_;

private:
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string head_;  // the answer being written: its status line and headers, and its body
  std::string body_;
  http::Request request_;
  std::chrono::steady_clock::time_point started_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool responded_ = false;
  bool counted_ = false;
  bool linger_ = false;  // the peer may still be sending what we refused
  int retry_after_ = 0;  // over the address's request limit: answer 429 after the body
};

class PlainHttpSession : public HttpSession<PlainHttpSession>,
                         public std::enable_shared_from_this<PlainHttpSession> {
public:
  PlainHttpSession(beast::tcp_stream&& stream, beast::flat_buffer&& buffer, std::shared_ptr<ConnectionSlot> slot)
      : HttpSession(std::move(slot), std::move(buffer), false), stream_(std::move(stream)) {}

  void run() { do_read(); }
  beast::tcp_stream& stream() { return stream_; }
  void do_eof() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }
  // After refusing a request (413, 431, 400) the client may still be sending its body.
  // Closing with unread input makes the kernel send a reset, and a client that is still
  // writing then fails without ever reading our answer. So: finish sending, then read and
  // discard until the client stops (1 s idle), within 5 s and 4 MiB, before closing.
  void do_linger() {
    do_eof();
    linger_until_ = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    linger_read(0);
  }
  void linger_read(std::size_t discarded) {
    auto left = linger_until_ - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return;
    stream_.expires_after(std::min<std::chrono::steady_clock::duration>(left, std::chrono::seconds(1)));
    stream_.async_read_some(buffer_.prepare(16 * 1024),
                            [self = shared_from_this(), discarded](error_code ec, std::size_t n) {
                              if (ec || discarded + n > 4 * 1024 * 1024) return;
                              self->linger_read(discarded + n);
                            });
  }
  void do_upgrade(BeastRequest req) { start_websocket(std::move(stream_), std::move(req), slot_); }

private:
  std::chrono::steady_clock::time_point linger_until_;
  beast::tcp_stream stream_;
};

class SslHttpSession : public HttpSession<SslHttpSession>, public std::enable_shared_from_this<SslHttpSession> {
public:
  SslHttpSession(beast::tcp_stream&& stream, ssl::context& ctx, beast::flat_buffer&& buffer,
                 std::shared_ptr<ConnectionSlot> slot)
      : HttpSession(std::move(slot), std::move(buffer), true), stream_(std::move(stream), ctx) {}

  // The deadline set at connect (DetectSession) still runs: sniffing the first bytes and
  // the handshake together get one handshake_timeout, so a client that trickles a
  // ClientHello cannot hold the socket for twice as long.
  void run() {
    stream_.async_handshake(ssl::stream_base::server, buffer_.data(),
                            beast::bind_front_handler(&SslHttpSession::on_handshake, shared_from_this()));
  }
  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
  void do_linger() { do_eof(); }  // TLS: the close_notify exchange already waits for the peer
  void do_eof() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown(beast::bind_front_handler(&SslHttpSession::on_shutdown, shared_from_this()));
  }
  void do_upgrade(BeastRequest req) { start_websocket(std::move(stream_), std::move(req), slot_); }

private:
  void on_handshake(error_code ec, std::size_t used) {
    if (ec) return report_failure(ec, "tls handshake");
    buffer_.consume(used);
    do_read();
  }
  void on_shutdown(error_code ec) {
    if (ec) report_failure(ec, "tls shutdown");
  }
  beast::ssl_stream<beast::tcp_stream> stream_;
};

}  // namespace cc::net
