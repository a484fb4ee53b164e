#include "net/server.hpp"

#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>
#include <vector>

#include "common/log.hpp"
#include "common/thread_name.hpp"
#include "net/http_session.hpp"

namespace cc::net {

void report_failure(const error_code& ec, const char* what) {
  if (ec == asio::error::operation_aborted || ec == beast::error::timeout || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == asio::error::broken_pipe || ec == websocket::error::closed ||
      ec == ssl::error::stream_truncated || ec == bhttp::error::end_of_stream)
    return;
  log::debug(std::string("event=net_error where=") + what + " error=" + log::escape(ec.message()));
}

std::string rate_limit_key(const asio::ip::address& address) {
  if (address.is_v4()) return address.to_string();
  auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_string();
  auto bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return asio::ip::address_v6(bytes).to_string() + "/64";
}

bool to_app_request(const BeastRequest& in, const std::string& ip, bool tls, http::Request& out) {
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  out.remote_ip = ip;
  out.tls = tls;
  std::string_view target = in.target();
  if (target.empty() || target.front() != '/') return false;
  auto q = target.find('?');
  if (!http::percent_decode(target.substr(0, q), out.path)) return false;
  if (q != std::string_view::npos && !http::parse_query(target.substr(q + 1), out.query)) return false;
  out.headers.reserve(16);
  for (const auto& f : in) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  out.body = in.body();
  return true;
}

const char* framing_problem(const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto& h = parser.get();
  int content_lengths = 0, transfer_encodings = 0;
  for (const auto& f : h) {
    if (f.name() == bhttp::field::content_length) ++content_lengths;
    if (f.name() == bhttp::field::transfer_encoding) ++transfer_encodings;
  }
  if (transfer_encodings > 0 && content_lengths > 0) return "a request may not carry both Content-Length and Transfer-Encoding";
  if (content_lengths > 1) return "a request may carry only one Content-Length";
  if (transfer_encodings > 0) {
    if (h.version() < 11) return "Transfer-Encoding is not allowed in HTTP/1.0";
    if (!parser.chunked()) return "Transfer-Encoding must end in chunked";
    // Only plain "chunked" is accepted: no other codings are in use here.
    std::string te(h[bhttp::field::transfer_encoding]);
    for (auto& c : te) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (te != "chunked") return "only the chunked transfer coding is accepted";
  }
  return nullptr;
}

bhttp::response<bhttp::string_body> to_beast_response(http::Response&& res, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
  if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
  for (auto& [k, v] : res.headers) out.set(k, v);
  out.keep_alive(keep_alive);
  out.body() = std::move(res.body);
  out.prepare_payload();
  return out;
}

namespace {

// Reads the first bytes to tell TLS from plain HTTP; only used when TLS is configured,
// where plain HTTP is refused.
class DetectSession : public std::enable_shared_from_this<DetectSession> {
public:
  DetectSession(tcp::socket&& socket, std::shared_ptr<ConnectionSlot> slot)
      : stream_(std::move(socket)), slot_(std::move(slot)) {}
  void run() {
    stream_.expires_after(slot_->state().options.handshake_timeout);
    beast::async_detect_ssl(stream_, buffer_, beast::bind_front_handler(&DetectSession::on_detect, shared_from_this()));
  }

private:
  void on_detect(error_code ec, bool is_tls) {
    if (ec) return report_failure(ec, "detect");
    if (!is_tls) {
      error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      return;
    }
    std::make_shared<SslHttpSession>(std::move(stream_), *slot_->state().tls, std::move(buffer_), slot_)->run();
  }
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<ConnectionSlot> slot_;
};

}  // namespace

namespace {
thread_local int t_thread_index = -1;  // Server::current_thread()
}  // namespace

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  // One per I/O thread (net/server.hpp); the first also runs the acceptor, the signals
  // and the shutdown's timers.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  asio::io_context& ioc;
  std::atomic<std::size_t> next{0};
  std::shared_ptr<ServerState> state;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::function<void()> before_stop;
  bool stopping = false;
  // Runs before_stop at shutdown; run() joins it, so that it never outlives the program's
  // own objects (detached, it dropped the last reference to this Impl after App was gone,
  // and the io_context's leftover handlers then touched freed Metrics: AddressSanitizer).
  std::thread stopper;
  std::mutex stopper_mutex;

  Impl(ServerOptions options, RequestHandler handler, Metrics& metrics, live::Hub* hub)
      : contexts(make_contexts(options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())))),
        ioc(*contexts.front()),
        state(std::make_shared<ServerState>(std::move(options), std::move(handler), metrics, hub)),
        acceptor(ioc),
        signals(ioc, SIGINT, SIGTERM) {}

  // Each run by one thread: the concurrency hint 1 tells Asio so.
  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(int n) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (int i = 0; i < n; ++i) out.push_back(std::make_unique<asio::io_context>(1));
    return out;
  }
  // The context of the next connection (or posted job), in turn.
  asio::io_context& next_context() { return *contexts[next.fetch_add(1, std::memory_order_relaxed) % contexts.size()]; }

  void setup_tls() {
    auto& o = state->options;
    if (o.tls_cert_file.empty() && o.tls_key_file.empty()) return;
    if (o.tls_cert_file.empty() || o.tls_key_file.empty())
      throw std::runtime_error("TLS needs both --tls-cert and --tls-key");
    state->tls.emplace(ssl::context::tls_server);
    auto& ctx = *state->tls;
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use |
                    SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    // TLS 1.2: forward-secret AEAD suites only. TLS 1.3 suites are all strong.
    SSL_CTX_set_cipher_list(ctx.native_handle(),
                            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                            "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                            "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
    error_code ec;
    ctx.use_certificate_chain_file(o.tls_cert_file, ec);
    if (ec) throw std::runtime_error("cannot read the TLS certificate " + o.tls_cert_file + ": " + ec.message());
    ctx.use_private_key_file(o.tls_key_file, ssl::context::pem, ec);
    if (ec) throw std::runtime_error("cannot read the TLS key " + o.tls_key_file + ": " + ec.message());
  }

  std::string listen() {
    setup_tls();
    auto& o = state->options;
    error_code ec;
    auto address = asio::ip::make_address(o.listen_address, ec);
    if (ec) throw std::runtime_error("not an IP address: " + o.listen_address);
    tcp::endpoint endpoint{address, o.port};
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      throw std::runtime_error("cannot listen on " + o.listen_address + ":" + std::to_string(o.port) + ": " + ec.message());
    auto bound = acceptor.local_endpoint();
    std::string host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
    return std::string(state->tls ? "https://" : "http://") + host + ":" + std::to_string(bound.port());
  }

  void do_accept() {
    acceptor.async_accept(next_context(), [self = shared_from_this()](error_code ec, tcp::socket socket) {
      self->on_accept(ec, std::move(socket));
    });
  }

  void on_accept(error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      error_code ep_ec;
      auto remote = socket.remote_endpoint(ep_ec);
      std::string ip = ep_ec ? "-" : remote.address().to_string();
      // Connections count against the same key as requests: an IPv6 client's whole /64.
      std::string key = ep_ec ? ip : rate_limit_key(remote.address());
      if (state->draining || !state->admit(key)) {
        socket.close(ep_ec);
      } else {
        auto slot = std::make_shared<ConnectionSlot>(state, ip, key);
        socket.set_option(tcp::no_delay(true), ep_ec);
        if (state->tls) {
          std::make_shared<DetectSession>(std::move(socket), slot)->run();
        } else {
          beast::tcp_stream stream(std::move(socket));
          std::make_shared<PlainHttpSession>(std::move(stream), beast::flat_buffer{}, slot)->run();
        }
      }
    } else if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space) {
      // Out of file descriptors: back off briefly rather than spin.
      auto timer = std::make_shared<asio::steady_timer>(ioc, std::chrono::milliseconds(50));
      timer->async_wait([self = shared_from_this(), timer](error_code) { self->do_accept(); });
      return;
    }
    do_accept();
  }

  void begin_shutdown() {
    asio::post(acceptor.get_executor(), [self = shared_from_this()] {
      if (self->stopping) return;
      self->stopping = true;
      self->state->draining = true;
      error_code ec;
      self->acceptor.close(ec);
      self->signals.cancel(ec);
      log::info("event=shutdown_started in_flight=" + std::to_string(self->state->in_flight.load()));
      self->wait_for_requests(std::chrono::steady_clock::now() + self->state->options.shutdown_grace);
    });
  }

  void wait_for_requests(std::chrono::steady_clock::time_point deadline) {
    if (state->in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      auto timer = std::make_shared<asio::steady_timer>(ioc, std::chrono::milliseconds(20));
      timer->async_wait([self = shared_from_this(), timer, deadline](error_code) { self->wait_for_requests(deadline); });
      return;
    }
    // before_stop may block (draining the writer), so it runs on its own thread while
    // the I/O threads keep delivering the last completions and close frames.
    std::lock_guard lock(stopper_mutex);
    stopper = std::thread([self = shared_from_this()] {
      if (self->before_stop) self->before_stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      std::lock_guard lock(self->stopper_mutex);  // `stopper` is assigned before run() looks at it
      self->work.clear();
      for (auto& c : self->contexts) c->stop();
    });
    name_thread(stopper, "cc-stopper");
  }
};

Server::Server(ServerOptions options, RequestHandler handler, Metrics& metrics, live::Hub* hub)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(handler), metrics, hub)) {}

Server::~Server() = default;

std::string Server::listen() { return impl_->listen(); }

void Server::run(std::function<void()> before_stop) {
  auto& impl = *impl_;
  impl.before_stop = std::move(before_stop);
  for (auto& c : impl.contexts) impl.work.push_back(asio::make_work_guard(*c));
  impl.signals.async_wait([self = impl_](error_code ec, int) {
    if (!ec) self->begin_shutdown();
  });
  impl.do_accept();
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl.contexts.size(); ++i) {
    threads.emplace_back([&impl, i] {
      t_thread_index = static_cast<int>(i);
      impl.contexts[i]->run();
    });
    // Network thread 0 is the main thread, which keeps the process's name.
    name_thread(threads.back(), ("cc-io-" + std::to_string(i)).c_str());
  }
  t_thread_index = 0;
  impl.ioc.run();
  t_thread_index = -1;
  for (auto& t : threads) t.join();
  std::lock_guard lock(impl.stopper_mutex);
  if (impl.stopper.joinable()) impl.stopper.join();
}

void Server::shutdown() { impl_->begin_shutdown(); }

void Server::post(int thread, std::function<void()> fn) {
  auto& contexts = impl_->contexts;
  if (thread >= 0 && static_cast<std::size_t>(thread) < contexts.size())
    asio::post(*contexts[static_cast<std::size_t>(thread)], std::move(fn));
  else
    asio::post(impl_->next_context(), std::move(fn));
}

int Server::current_thread() { return t_thread_index; }

}  // namespace cc::net
