// bench_baseline_ws: the bare WebSocket broadcast on this machine (issue 9's baseline for
// the fan-out figures). A minimal asynchronous Beast server, built like Beast's
// websocket_server_async and chat-multi examples and linked against the same separately
// compiled Asio/Beast as the server: it accepts WebSocket clients on any path, and each
// `POST /broadcast` sends one fixed ~200-byte text message to every connected client -
// serialised once into a shared_ptr<const std::string>, the session list copied out under
// the lock and the sends posted after releasing it, one bounded write queue per session.
//
//   bench_baseline_ws --port P [--threads N] [--max-seconds S]
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include <optional>

#include <boost/asio/post.hpp>
#include <boost/beast/websocket.hpp>

#include "bench_net.hpp"

namespace websocket = boost::beast::websocket;
using namespace cc::bench;

namespace {

constexpr const char* kUsage = R"(usage: bench_baseline_ws --port P [--threads N] [--max-seconds S]

A minimal asynchronous Beast WebSocket server on 127.0.0.1:P. WebSocket clients may connect
on any path; what they send is read and discarded. Each "POST /broadcast" on the same port
sends one fixed text message of about 200 bytes (it contains "bench.broadcast") to every
connected client and is answered 200 {"queued":N} once the sends are queued. For example:
  bench_ws_fanout --port P --connections 5000 --trigger "POST /broadcast" --expect bench.broadcast
)";

// Shaped like the server's events, padded to about 200 bytes.
constexpr std::string_view kMessage =
    R"({"op":"event","seq":1,"topic":"challenge:1","type":"bench.broadcast",)"
    R"("data":{"idea_id":5,"votes":12,"score":12,"note":"one fixed message, serialised once per broadcast and shared by every client"}})";

// Like the server's per-connection bound: a client this far behind is closed with 1013.
constexpr std::size_t kMaxQueued = 1024;

class WebSocketSession;

// The connected sessions (chat-multi's shared_state).
class Broadcaster {
public:
  void join(WebSocketSession* session) {
    std::lock_guard lock(mutex_);
    sessions_.insert(session);
  }
  void leave(WebSocketSession* session) {
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
  }
  // Queues the message on every session; returns how many.
  std::size_t send(std::shared_ptr<const std::string> message);

private:
  std::mutex mutex_;
  std::unordered_set<WebSocketSession*> sessions_;
};

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
public:
  WebSocketSession(tcp::socket&& socket, Broadcaster& hub) : ws_(std::move(socket)), hub_(hub) {}
  ~WebSocketSession() {
    if (joined_) hub_.leave(this);
  }

  void run(http::request<http::string_body> req) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(64 * 1024);
    ws_.async_accept(req, beast::bind_front_handler(&WebSocketSession::on_accept, shared_from_this()));
  }

  // May be called from any thread.
  void send(std::shared_ptr<const std::string> message) {
    asio::post(ws_.get_executor(),
               beast::bind_front_handler(&WebSocketSession::on_send, shared_from_this(), std::move(message)));
  }

private:
  void on_accept(error_code ec) {
    if (ec) return fail(ec, "websocket accept");
    joined_ = true;
    hub_.join(this);
    do_read();
  }

  void do_read() { ws_.async_read(buffer_, beast::bind_front_handler(&WebSocketSession::on_read, shared_from_this())); }

  void on_read(error_code ec, std::size_t) {
    if (ec == websocket::error::closed) return;
    if (ec) return fail(ec, "websocket read");
    buffer_.consume(buffer_.size());  // a client's message (a subscribe frame) is not looked at
    do_read();
  }

  void on_send(std::shared_ptr<const std::string> message) {
    if (closing_) return;
    if (queue_.size() >= kMaxQueued) {
      closing_ = true;
      ws_.async_close(websocket::close_code::try_again_later,
                      [self = shared_from_this()](error_code ec) { if (ec) fail(ec, "websocket close"); });
      return;
    }
    queue_.push_back(std::move(message));
    if (queue_.size() > 1) return;  // a write is in flight; on_write sends the rest
    do_write();
  }

  void do_write() {
    ws_.text(true);
    ws_.async_write(asio::buffer(*queue_.front()),
                    beast::bind_front_handler(&WebSocketSession::on_write, shared_from_this()));
  }

  void on_write(error_code ec, std::size_t) {
    if (ec) return fail(ec, "websocket write");
    queue_.pop_front();
    if (!queue_.empty() && !closing_) do_write();
  }

  websocket::stream<beast::tcp_stream> ws_;
  Broadcaster& hub_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool joined_ = false;
  bool closing_ = false;
};

std::size_t Broadcaster::send(std::shared_ptr<const std::string> message) {
  std::vector<std::weak_ptr<WebSocketSession>> targets;
  {
    std::lock_guard lock(mutex_);
    targets.reserve(sessions_.size());
    for (auto* s : sessions_) targets.emplace_back(s->weak_from_this());
  }
  std::size_t queued = 0;
  for (const auto& weak : targets)
    if (auto session = weak.lock()) {
      session->send(message);
      ++queued;
    }
  return queued;
}

// A WebSocket upgrade takes the connection over; POST /broadcast broadcasts; anything
// else is 404.
std::optional<http::message_generator> handle_request(Broadcaster& hub, http::request<http::string_body>& req,
                                                      beast::tcp_stream& stream) {
  if (websocket::is_upgrade(req)) {
    stream.expires_never();
    std::make_shared<WebSocketSession>(stream.release_socket(), hub)->run(std::move(req));
    return std::nullopt;
  }
  http::response<http::string_body> res{http::status::not_found, req.version()};
  res.set(http::field::content_type, "application/json");
  if (req.method() == http::verb::post && req.target() == "/broadcast") {
    std::size_t queued = hub.send(std::make_shared<const std::string>(kMessage));
    res.result(http::status::ok);
    res.body() = "{\"queued\":" + std::to_string(queued) + "}";
  } else {
    res.body() = R"({"error":"POST /broadcast, or a WebSocket upgrade"})";
  }
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  return http::message_generator(std::move(res));
}

}  // namespace

int main(int argc, char** argv) {
  Broadcaster hub;  // outlives the io_context, whose end ends the sessions
  return server_main(argc, argv, "bench_baseline_ws", kUsage,
                     [&hub](http::request<http::string_body>& req, beast::tcp_stream& stream) {
                       return handle_request(hub, req, stream);
                     });
}
