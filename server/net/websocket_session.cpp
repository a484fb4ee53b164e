#include "net/websocket_session.hpp"

#include <deque>

#include "common/log.hpp"
#include "http/responses.hpp"
#include "live/hub.hpp"
#include "net/http_session.hpp"

namespace cc::net {
namespace {

// One WebSocket connection: one read always pending, one write in flight at a time,
// a send queue bounded by messages and bytes (a peer that cannot keep up is closed
// with 1013 and resumes with `since`). All state is touched on the connection's thread.
template <class Stream>
class WebSocketSession : public live::Peer, public std::enable_shared_from_this<WebSocketSession<Stream>> {
public:
  WebSocketSession(Stream&& stream, std::shared_ptr<ConnectionSlot> slot)
      : ws_(std::move(stream)), slot_(std::move(slot)) {}

  ~WebSocketSession() override {
    if (opened_) slot_->state().metrics.websocket_closed();
  }

  void run(BeastRequest req) {
    auto& st = slot_->state();
    http::Request app;
    bool tls = std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>;
    std::optional<http::Response> refusal;
    live::Identity who;
    if (!to_app_request(req, slot_->ip(), tls, app)) {
      refusal = http::error_response(400, "bad_request", "the request target is malformed");
    } else if (!st.hub || app.path != "/ws") {
      refusal = http::error_response(404, "not_found", "no such page");
    } else if (st.draining) {
      refusal = http::error_response(503, "unavailable", "the server is shutting down");
    } else {
      refusal = st.hub->admit(app, who);
    }
    if (refusal) return refuse(std::move(*refusal), req.version());
    set_identity(who);
    // Ping a connection idle for half a minute; drop it if the peer stays silent a minute.
    ws_.set_option(websocket::stream_base::timeout{std::chrono::seconds(10), std::chrono::seconds(60), true});
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
      res.erase(bhttp::field::server);  // no version banner
    }));
    ws_.read_message_max(st.options.ws_read_message_max);
    // Runs inside this session's reads, on its thread; `this` is alive while they run.
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::ping) on_ping();
    });
    ws_.async_accept(req, beast::bind_front_handler(&WebSocketSession::on_accept, this->shared_from_this()));
  }

  void send(std::shared_ptr<const std::string> text) override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), text = std::move(text)]() mutable {
      self->enqueue(std::move(text));
    });
  }

  void close(std::uint16_t code) override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), code] { self->do_close(code); });
  }

private:
  void refuse(http::Response res, unsigned version) {
    http::add_security_headers(res, std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>);
    refusal_ = std::make_unique<bhttp::response<bhttp::string_body>>(to_beast_response(std::move(res), version, false));
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    bhttp::async_write(ws_.next_layer(), *refusal_,
                       [self = this->shared_from_this()](error_code ec, std::size_t) {
                         error_code ignored;
                         beast::get_lowest_layer(self->ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
                       });
  }

  void on_accept(error_code ec) {
    if (ec) return report_failure(ec, "websocket accept");
    opened_ = true;
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().set_option(
        asio::socket_base::send_buffer_size(static_cast<int>(slot_->state().options.ws_send_buffer_bytes)), ignored);
    slot_->state().metrics.websocket_opened();
    slot_->state().hub->attach(this->shared_from_this());
    do_read();
  }

  void do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&WebSocketSession::on_read, this->shared_from_this()));
  }

  void on_read(error_code ec, std::size_t) {
    if (ec) {
      // message_too_big: Beast has already failed the connection with close code 1009.
      slot_->state().hub->detach(this);
      return report_failure(ec, "websocket read");
    }
    if (!ws_.got_text()) {
      buffer_.consume(buffer_.size());
      return do_close(websocket::close_code::bad_payload);
    }
    auto data = buffer_.cdata();
    std::string_view text(static_cast<const char*>(data.data()), data.size());
    slot_->state().hub->receive(this->shared_from_this(), text);
    buffer_.consume(buffer_.size());
    do_read();
  }

  // Ping flood control: more pings in one second than allowed closes with 1008.
  void on_ping() {
    auto now = std::chrono::steady_clock::now();
    if (now - ping_window_ >= std::chrono::seconds(1)) {
      ping_window_ = now;
      pings_ = 0;
    }
    if (++pings_ > slot_->state().options.ws_pings_per_second)
      asio::post(ws_.get_executor(), [self = this->shared_from_this()] { self->do_close(websocket::close_code::policy_error); });
  }

  void enqueue(std::shared_ptr<const std::string> text) {
    if (closing_) return;
    auto& o = slot_->state().options;
    if (queue_.size() >= o.ws_queue_messages || queued_bytes_ + text->size() > o.ws_queue_bytes) {
      slot_->state().metrics.slow_consumer_closed();
      return do_close(websocket::close_code::try_again_later);  // 1013
    }
    queued_bytes_ += text->size();
    queue_.push_back(std::move(text));
    if (!writing_) do_write();
  }

  void do_write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(*queue_.front()),
                    beast::bind_front_handler(&WebSocketSession::on_write, this->shared_from_this()));
  }

  void on_write(error_code ec, std::size_t) {
    writing_ = false;
    if (!queue_.empty()) {
      queued_bytes_ -= queue_.front()->size();
      queue_.pop_front();
    }
    if (ec) return report_failure(ec, "websocket write");
    slot_->state().metrics.event_delivered();
    if (closing_) return start_close();
    if (!queue_.empty()) do_write();
  }

  void do_close(std::uint16_t code) {
    if (closing_ || !opened_) return;
    closing_ = true;
    close_code_ = code;
    // A write in flight finishes first (its message must live until then); on_write then
    // drops it and starts the close. Clearing the whole queue here freed the buffer under
    // the write (AddressSanitizer, Live.SlowConsumerIsClosedWith1013).
    queue_.erase(writing_ && !queue_.empty() ? queue_.begin() + 1 : queue_.begin(), queue_.end());
    queued_bytes_ = queue_.empty() ? 0 : queue_.front()->size();
    if (!writing_) start_close();
  }

  void start_close() {
    if (close_started_) return;
    close_started_ = true;
    ws_.async_close(websocket::close_reason(close_code_),
                    [self = this->shared_from_this()](error_code ec) {
                      if (ec) report_failure(ec, "websocket close");
                    });
  }

  websocket::stream<Stream> ws_;
  std::shared_ptr<ConnectionSlot> slot_;
  beast::flat_buffer buffer_;
  std::unique_ptr<bhttp::response<bhttp::string_body>> refusal_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool closing_ = false;
  bool close_started_ = false;
  bool opened_ = false;
  std::chrono::steady_clock::time_point ping_window_{};
  int pings_ = 0;
  std::uint16_t close_code_ = websocket::close_code::normal;
};

}  // namespace

void start_websocket(beast::tcp_stream&& stream, bhttp::request<bhttp::string_body> req,
                     std::shared_ptr<ConnectionSlot> slot) {
  std::make_shared<WebSocketSession<beast::tcp_stream>>(std::move(stream), std::move(slot))->run(std::move(req));
}

void start_websocket(beast::ssl_stream<beast::tcp_stream>&& stream, bhttp::request<bhttp::string_body> req,
                     std::shared_ptr<ConnectionSlot> slot) {
  std::make_shared<WebSocketSession<beast::ssl_stream<beast::tcp_stream>>>(std::move(stream), std::move(slot))
      ->run(std::move(req));
}

}  // namespace cc::net
