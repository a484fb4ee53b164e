#pragma once
// The network front: a TCP listener (plain HTTP, or TLS when a certificate is given),
// HTTP/1.1 sessions and WebSocket sessions. Each of the N I/O threads runs an io_context
// of its own and keeps the connections it was given (round robin as they are accepted),
// so a connection's handlers always run on one thread and need no strand. Measured side
// by side against one io_context shared by the threads with a strand per connection:
// the top list +16%, an idea +20%, and at 256 connections a p99 of 18-21 ms against
// 128-158 ms (the shared scheduler's and the strands' locks, and the wake-ups between
// threads, were a tenth of a request). A thread cannot take over the other's queued
// work, so reads that take tens of milliseconds (metrics, exports) run apart, on a pool
// of their own (api::answer_apart). Boost stays behind this header (pimpl), so the rest
// of the program does not compile Asio.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace cc {
class Metrics;
namespace live { class Hub; }
}

namespace cc::net {

struct ServerOptions {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 8080;
  int threads = 0;                       // 0: the number of cores
  std::string tls_cert_file;             // both set: serve HTTPS/WSS only
  std::string tls_key_file;
  std::size_t header_limit = 16 * 1024;  // bytes of request line and headers
  std::size_t body_limit = 64 * 1024;    // bytes of request body
  std::chrono::seconds header_timeout{15};   // to receive a request's headers (idle keep-alive too)
  std::chrono::seconds body_timeout{30};     // to receive its body
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds shutdown_grace{10};   // for in-flight requests at shutdown
  std::size_t max_connections_per_ip = 256;
  // Requests (WebSocket handshakes included) per client address per minute; IPv6
  // addresses count by their /64, which one client usually holds whole. 0: no limit.
  int requests_per_minute_per_ip = 6000;
  std::size_t ws_read_message_max = 64 * 1024;
  // Protocol-level pings a WebSocket may send a second (Beast answers each with a pong).
  // Browsers never send them (the client keeps alive with the "ping" op, which counts as a
  // message); a peer past this is flooding and is closed with 1008.
  int ws_pings_per_second = 10;
  std::size_t ws_queue_messages = 1024;      // per WebSocket send queue
  std::size_t ws_queue_bytes = 4 * 1024 * 1024;
  // Kernel send buffer of a WebSocket: small enough that a stalled reader shows up in
  // the bounded queue above (and costs little kernel memory), large enough for bursts.
  std::size_t ws_send_buffer_bytes = 128 * 1024;
};

class Server {
public:
  using RequestHandler = std::function<void(http::Request&, http::Respond)>;

  Server(ServerOptions options, RequestHandler handler, Metrics& metrics, live::Hub* hub);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; throws with a clear message when it cannot. Returns the base URL
  // ("http://127.0.0.1:8080"), with the real port when the options asked for port 0.
  std::string listen();

  // Runs the I/O threads until shutdown completes. SIGINT/SIGTERM start a shutdown:
  // stop accepting, let in-flight requests finish (within the grace period), call
  // `before_stop` (close WebSockets, drain the writer), then return.
  void run(std::function<void()> before_stop);
  // Starts the same shutdown from code (tests, admin).
  void shutdown();

  // Runs `fn` on I/O thread `thread` (an index from current_thread()), or on each in
  // turn when it is -1.
  void post(int thread, std::function<void()> fn);
  // The calling I/O thread's index, or -1 on any other thread.
  static int current_thread();

private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace cc::net
