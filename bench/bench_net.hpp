#pragma once
// What the baseline servers (bench_baseline_http, bench_baseline_ws) share: the listener,
// the HTTP session and the run loop, written as Beast's own async examples are.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "bench_options.hpp"

namespace cc::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using error_code = boost::beast::error_code;

inline unsigned default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

// The errors a closing peer or a stopping server produce are not worth a line.
inline void fail(error_code ec, const char* what) {
  if (ec == asio::error::operation_aborted || ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == beast::error::timeout || ec == asio::error::broken_pipe)
    return;
  std::fprintf(stderr, "%s: %s\n", what, ec.message().c_str());
}

// Accepts connections on 127.0.0.1:port and hands each socket to `on_accept`, created on
// the executor `next_executor()` picks: a new strand of the one io_context (as Beast's
// http_server_async listener does), or the next of the per-thread io_contexts.
template <class OnAccept>
class Listener : public std::enable_shared_from_this<Listener<OnAccept>> {
public:
  Listener(asio::io_context& ioc, std::function<asio::any_io_executor()> next_executor, unsigned short port,
           OnAccept on_accept)
      : acceptor_(asio::make_strand(ioc)), next_executor_(std::move(next_executor)), on_accept_(std::move(on_accept)) {
    tcp::endpoint endpoint{asio::ip::make_address("127.0.0.1"), port};
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  void run() { do_accept(); }

private:
  void do_accept() {
    acceptor_.async_accept(next_executor_(), beast::bind_front_handler(&Listener::on_accept, this->shared_from_this()));
  }

  void on_accept(error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      fail(ec, "accept");
    } else {
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      on_accept_(std::move(socket));
    }
    do_accept();
  }

  tcp::acceptor acceptor_;
  std::function<asio::any_io_executor()> next_executor_;
  OnAccept on_accept_;
};

// Listens, prints `listening 127.0.0.1:PORT` once ready, and runs until SIGINT or SIGTERM,
// or until `max_seconds` have passed, on `threads` threads: all running one io_context
// (a strand per connection, as Beast's examples do), or with `per_thread` each running
// an io_context of its own that its connections stay on (as the server does).
template <class OnAccept>
void serve(unsigned short port, unsigned threads, bool per_thread, long max_seconds, OnAccept on_accept) {
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  for (unsigned i = 0; i < (per_thread ? threads : 1u); ++i)
    contexts.push_back(std::make_unique<asio::io_context>(static_cast<int>(per_thread ? 1 : threads)));
  auto& first = *contexts.front();
  std::size_t next = 0;
  auto next_executor = [&]() -> asio::any_io_executor {
    if (!per_thread) return asio::make_strand(first);
    return contexts[next++ % contexts.size()]->get_executor();
  };
  auto listener = std::make_shared<Listener<OnAccept>>(first, next_executor, port, std::move(on_accept));
  listener->run();
  auto stop_all = [&contexts] {
    for (auto& c : contexts) c->stop();
  };
  asio::signal_set signals(first, SIGINT, SIGTERM);
  signals.async_wait([&](error_code, int) { stop_all(); });
  asio::steady_timer deadline(first, std::chrono::seconds(max_seconds));
  deadline.async_wait([&](error_code ec) {
    if (ec) return;
    std::fprintf(stderr, "stopping: --max-seconds reached\n");
    stop_all();
  });
  std::printf("listening 127.0.0.1:%u\n", static_cast<unsigned>(listener->port()));
  std::fflush(stdout);
  // A per-thread context may have no connection yet: without work it would return at once.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  for (auto& c : contexts) work.push_back(asio::make_work_guard(*c));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i)
    pool.emplace_back([&, i] { contexts[per_thread ? i : 0]->run(); });
  first.run();
  for (auto& t : pool) t.join();
}

// One HTTP/1.1 connection (the session of Beast's http_server_async): read a request,
// write the answer `handle(req, stream)` returns, repeat while the client keeps it alive.
// `handle` may take the connection over instead (a WebSocket upgrade): it then moves the
// socket out of `stream` and returns nothing.
template <class Handler>
class HttpSession : public std::enable_shared_from_this<HttpSession<Handler>> {
public:
  HttpSession(tcp::socket&& socket, Handler handle) : stream_(std::move(socket)), handle_(std::move(handle)) {}

  void run() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&HttpSession::do_read, this->shared_from_this()));
  }

private:
  void do_read() {
    req_ = {};
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, req_, beast::bind_front_handler(&HttpSession::on_read, this->shared_from_this()));
  }

  void on_read(error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return do_close();
    if (ec) return fail(ec, "read");
    std::optional<http::message_generator> msg = handle_(req_, stream_);
    if (!msg) return;
    bool keep_alive = msg->keep_alive();
    beast::async_write(stream_, std::move(*msg),
                       beast::bind_front_handler(&HttpSession::on_write, this->shared_from_this(), keep_alive));
  }

  void on_write(bool keep_alive, error_code ec, std::size_t) {
    if (ec) return fail(ec, "write");
    if (!keep_alive) return do_close();
    do_read();
  }

  void do_close() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  Handler handle_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
};

// The main of a baseline server: --port P [--threads N] [--max-seconds S], --help printing
// `usage` and these options; each request goes to `handle` (see HttpSession). `extra`
// names further valued options of the program's own (its usage text lists them), handed
// to `configure` before the server starts.
template <class Handler>
int server_main(int argc, char** argv, const char* name, const char* usage, Handler handle,
                std::vector<std::string_view> extra = {}, const std::function<void(const Options&)>& configure = {}) {
  try {
    extra.insert(extra.end(), {"--port", "--threads", "--max-seconds", "--io"});
    Options opt(argc, argv, extra, {});
    if (opt.help()) {
      std::fputs(usage, stdout);
      std::fputs("Prints \"listening 127.0.0.1:P\" once ready (P is the bound port, so --port 0 picks one).\n\n"
                 "  --port P          port on 127.0.0.1 (0: any free port)\n"
                 "  --threads N       I/O threads (default: hardware threads)\n"
                 "  --io MODE         shared: the threads run one io_context, a strand per connection, as\n"
                 "                    Beast's examples do (default); per-thread: each thread runs an\n"
                 "                    io_context of its own and keeps its connections, as the server does\n"
                 "  --max-seconds S   stop by itself after S seconds (default 600); SIGINT/SIGTERM stop it too\n",
                 stdout);
      return 0;
    }
    if (!opt.has("--port")) throw std::runtime_error("--port is required (0 picks a free port)");
    auto port = static_cast<unsigned short>(opt.number("--port", 0, 0, 65535));
    auto threads = static_cast<unsigned>(opt.number("--threads", default_threads(), 1, 256));
    long max_seconds = opt.number("--max-seconds", 600, 1, 86400);
    std::string io = opt.text("--io", "shared");
    if (io != "shared" && io != "per-thread") throw std::runtime_error("--io is shared or per-thread");
    if (configure) configure(opt);
    raise_open_file_limit();
    serve(port, threads, io == "per-thread", max_seconds, [handle](tcp::socket socket) {
      std::make_shared<HttpSession<Handler>>(std::move(socket), handle)->run();
    });
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 2;
  }
}

}  // namespace cc::bench
