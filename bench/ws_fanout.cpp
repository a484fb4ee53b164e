// bench_ws_fanout: WebSocket fan-out (issues 4 and 9). Opens thousands of WebSocket
// connections, subscribes each, then, round after round, sends one HTTP request that makes
// the server publish an event (a vote, or the baseline's POST /broadcast) and times how
// long it takes until every connection holds that event; it also reads the server's
// memory before and after connecting.
//
//   bench_ws_fanout --port P --connections N --expect TEXT --trigger "METHOD PATH" [...]
// (bench_ws_fanout --help lists every option; bench/README.md explains the figures.)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "bench_net.hpp"

namespace websocket = boost::beast::websocket;
using namespace cc::bench;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kUsage = R"(usage: bench_ws_fanout --port P [options]

Opens N WebSocket connections to ws://HOST:P/PATH (at most --handshakes at a time), sends
each the --subscribe frame, waits until each is ready, and reads the server's VmRSS before
and after. Then, each round, sends the --trigger request on a separate keep-alive
connection and waits until every connection has received a frame containing --expect.
  reach-all    = last delivery - the trigger's HTTP answer (also given from the request)
  deliveries/s = N / reach-all
  fan-out      = last delivery - first delivery (and N / fan-out)
A connection closed by the server, a refused handshake, a non-2xx trigger answer or a
delivery missing after --round-timeout-s is an error (exit 1). The last line is
"RESULT key=value ..." for scripts; keys not measured (no --server-pid, --idle-only) are
left out.

Connections:
  --host ADDR          loopback address of the server (default 127.0.0.1)
  --port P             server port (required)
  --path PATH          WebSocket path (default /ws)
  --connections N      how many (default 5000)
  --handshakes N       connects and handshakes in flight at once (default 200)
  --origin URL         Origin header of the handshakes and the trigger
  --cookies FILE       one name=value cookie per line, used round-robin over connections
  --subscribe JSON     text frame sent once connected, e.g. {"op":"subscribe","topics":["challenge:1"]}
  --ready TEXT         a connection is ready once it received a frame containing TEXT
                       (default: once the subscribe frame is written)
  --server-pid PID     read the server's VmRSS from /proc/PID/status
  --settle-ms M        wait before reading the memory once all are ready (default 500)
  --idle-only          connect, subscribe, read the memory, close and exit
Rounds:
  --expect TEXT        a frame containing TEXT is the round's event (required unless --idle-only)
  --trigger "METHOD PATH"   e.g. "PUT /api/v1/ideas/5/vote" or "POST /broadcast" (required unless --idle-only)
  --trigger-body TEXT  request body (sent as application/json), in which %SIGN% becomes
                       1 on odd rounds and -1 on even ones, and %TOGGLE% 1 and 0, so a
                       vote changes every round (%TOGGLE% for up-votes-only challenges);
                       with either, an untimed round 0 first sets the even value
  --trigger-cookie C   Cookie header of the trigger, e.g. 'cc_session=...'
  --trigger-header H   extra header 'Name: value' (repeatable), e.g. 'X-CSRF-Token: ...'
  --rounds R           (default 50)
  --pause-ms M         pause between rounds (default 100)
  --round-timeout-s T  how long a round may wait for its deliveries (default 10)
General:
  --threads N          client threads on the one io_context (default 1)
  --timeout-s T        bound on the whole run (default 120); exit 3 when reached
  --verbose            a line per round
)";

struct Config {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::string path = "/ws";
  long connections = 5000;
  long handshakes = 200;
  std::string origin;
  std::vector<std::string> cookies;
  std::string subscribe, ready, expect;
  long server_pid = 0;
  long settle_ms = 500;
  bool idle_only = false;
  http::verb trigger_method = http::verb::unknown;
  std::string trigger_path, trigger_body, trigger_cookie;
  std::vector<std::pair<std::string, std::string>> trigger_headers;
  long rounds = 50, pause_ms = 100, round_timeout_s = 10;
  long threads = 1, timeout_s = 120;
  bool verbose = false;
};

std::string trim(std::string s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.back())) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  return s.substr(i);
}

std::vector<std::string> read_cookies(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::vector<std::string> cookies;
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.find('=') == std::string::npos) throw std::runtime_error(file + ": not a name=value cookie: " + line);
    cookies.push_back(line);
  }
  if (cookies.empty()) throw std::runtime_error(file + " holds no cookie");
  return cookies;
}

Config parse(int argc, char** argv) {
  Options opt(argc, argv,
              {"--host", "--port", "--path", "--connections", "--handshakes", "--origin", "--cookies", "--subscribe",
               "--ready", "--server-pid", "--settle-ms", "--expect", "--trigger", "--trigger-body", "--trigger-cookie",
               "--trigger-header", "--rounds", "--pause-ms", "--round-timeout-s", "--threads", "--timeout-s"},
              {"--idle-only", "--verbose"});
  if (opt.help()) {
    std::fputs(kUsage, stdout);
    std::exit(0);
  }
  Config c;
  c.host = opt.text("--host", c.host);
  error_code ec;
  auto address = asio::ip::make_address(c.host, ec);
  if (ec || !address.is_v4() || !address.is_loopback())
    throw std::runtime_error("--host must be an IPv4 loopback address such as 127.0.0.1");
  if (!opt.has("--port")) throw std::runtime_error("--port is required");
  c.port = static_cast<unsigned short>(opt.number("--port", 0, 1, 65535));
  c.path = opt.text("--path", c.path);
  c.connections = opt.number("--connections", c.connections, 1, 1000000);
  c.handshakes = opt.number("--handshakes", c.handshakes, 1, 100000);
  c.origin = opt.text("--origin");
  if (opt.has("--cookies")) c.cookies = read_cookies(opt.text("--cookies"));
  c.subscribe = opt.text("--subscribe");
  c.ready = opt.text("--ready");
  c.server_pid = opt.number("--server-pid", 0, 1, 1L << 30);
  c.settle_ms = opt.number("--settle-ms", c.settle_ms, 0, 60000);
  c.idle_only = opt.has("--idle-only");
  c.expect = opt.text("--expect");
  if (opt.has("--trigger")) {
    std::string t = trim(opt.text("--trigger"));
    auto space = t.find(' ');
    c.trigger_method = http::string_to_verb(t.substr(0, space));
    c.trigger_path = space == std::string::npos ? "" : trim(t.substr(space + 1));
    if (c.trigger_method == http::verb::unknown || c.trigger_path.empty() || c.trigger_path[0] != '/')
      throw std::runtime_error("--trigger takes \"METHOD /path\", not '" + t + "'");
  }
  c.trigger_body = opt.text("--trigger-body");
  c.trigger_cookie = opt.text("--trigger-cookie");
  for (const auto& h : opt.all("--trigger-header")) {
    auto colon = h.find(':');
    if (colon == std::string::npos || colon == 0) throw std::runtime_error("--trigger-header takes 'Name: value'");
    c.trigger_headers.emplace_back(trim(h.substr(0, colon)), trim(h.substr(colon + 1)));
  }
  c.rounds = opt.number("--rounds", c.rounds, 1, 100000);
  c.pause_ms = opt.number("--pause-ms", c.pause_ms, 0, 60000);
  c.round_timeout_s = opt.number("--round-timeout-s", c.round_timeout_s, 1, 3600);
  c.threads = opt.number("--threads", c.threads, 1, 64);
  c.timeout_s = opt.number("--timeout-s", c.timeout_s, 1, 86400);
  c.verbose = opt.has("--verbose");
  if (!c.idle_only && (c.expect.empty() || c.trigger_method == http::verb::unknown))
    throw std::runtime_error("--expect and --trigger are required (or --idle-only)");
  return c;
}

class Connection;

// What the connections and the controlling thread share. Connections only touch atomics
// and their own slot of `arrival`; the controller sleeps on `cv` until a count it waits
// for is reached (the connection that reaches it wakes it).
struct Run {
  const Config& cfg;
  tcp::endpoint endpoint;
  std::string host_header;
  std::vector<std::shared_ptr<Connection>> connections;  // fixed before any starts

  std::atomic<long> next{0};       // the next connection to start
  std::atomic<long> opened{0};     // handshakes completed
  std::atomic<long> ready{0};
  std::atomic<long> failed{0};     // connects or handshakes that failed
  std::atomic<long> closed{0};     // open connections that the server closed or lost
  std::atomic<long> finished{0};   // connections done closing at the end
  std::atomic<int> round{0};       // the round whose event is awaited; 0 between rounds
  std::atomic<long> delivered{0};  // connections holding this round's event
  std::atomic<long> extra{0};      // matching frames beyond one per connection and round
  std::atomic<bool> stop{false};   // SIGINT/SIGTERM
  std::atomic<bool> ending{false};
  Clock::time_point all_ready_at;  // written under `mutex` by the connection that completes the set
  std::vector<Clock::time_point> arrival;  // this round's delivery time, per connection

  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::string> errors;  // the first few
  long error_count = 0;

  explicit Run(const Config& c) : cfg(c), arrival(static_cast<std::size_t>(c.connections)) {}

  void wake() {
    { std::lock_guard lock(mutex); }
    cv.notify_all();
  }
  void error(std::string line) {
    {
      std::lock_guard lock(mutex);
      if (errors.size() < 8) errors.push_back(std::move(line));
      ++error_count;
    }
    cv.notify_all();
  }
  bool broken() const { return failed.load() > 0 || closed.load() > 0 || stop.load(); }
  // Waits until `done()`, or `deadline`, or (unless told otherwise) a failure or a
  // signal; true if done() holds.
  template <class Done>
  bool wait(Done done, Clock::time_point deadline, bool stop_when_broken = true) {
    std::unique_lock lock(mutex);
    cv.wait_until(lock, deadline, [&] { return done() || (stop_when_broken && broken()); });
    return done();
  }
  void sleep(std::chrono::milliseconds ms) {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, ms, [&] { return stop.load(); });
  }

  void start_next();
  void on_ready(Clock::time_point now) {
    if (ready.fetch_add(1) + 1 == cfg.connections) {
      {
        std::lock_guard lock(mutex);
        all_ready_at = now;
      }
      cv.notify_all();
    }
  }
  // A frame containing --expect reached connection `index`.
  void on_event(long index, int& seen_round, Clock::time_point now) {
    int r = round.load(std::memory_order_acquire);
    if (r == 0 || seen_round >= r) {
      extra.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    seen_round = r;
    arrival[static_cast<std::size_t>(index)] = now;
    if (delivered.fetch_add(1, std::memory_order_acq_rel) + 1 == cfg.connections) wake();
  }
};

// One client: connect, handshake, subscribe, then read frames until the end. Every
// handler runs on the connection's strand.
class Connection : public std::enable_shared_from_this<Connection> {
public:
  Connection(Run& run, asio::io_context& ioc, long index) : run_(run), ws_(asio::make_strand(ioc)), index_(index) {}

  void start() { asio::dispatch(ws_.get_executor(), beast::bind_front_handler(&Connection::do_connect, shared_from_this())); }
  void close() { asio::post(ws_.get_executor(), beast::bind_front_handler(&Connection::do_close, shared_from_this())); }

private:
  void do_connect() {
    if (ending_) return;
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
    beast::get_lowest_layer(ws_).async_connect(run_.endpoint,
                                               beast::bind_front_handler(&Connection::on_connect, shared_from_this()));
  }

  void on_connect(error_code ec) {
    if (ec) return on_failed("connect", ec.message());
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ignored);
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws_.read_message_max(1 << 20);
    const Config& cfg = run_.cfg;
    std::string cookie = cfg.cookies.empty() ? "" : cfg.cookies[static_cast<std::size_t>(index_) % cfg.cookies.size()];
    ws_.set_option(websocket::stream_base::decorator([origin = cfg.origin, cookie](websocket::request_type& req) {
      req.set(http::field::user_agent, "bench_ws_fanout");
      if (!origin.empty()) req.set(http::field::origin, origin);
      if (!cookie.empty()) req.set(http::field::cookie, cookie);
    }));
    ws_.async_handshake(response_, run_.host_header, cfg.path,
                        beast::bind_front_handler(&Connection::on_handshake, shared_from_this()));
  }

  void on_handshake(error_code ec) {
    if (ec) {
      std::string why = ec.message();
      if (response_.result_int() != 0)
        why += " (HTTP " + std::to_string(response_.result_int()) + " " + response_.body().substr(0, 200) + ")";
      return on_failed("handshake", why);
    }
    response_ = {};
    open_ = true;
    run_.opened.fetch_add(1);
    run_.start_next();
    do_read();
    if (run_.cfg.subscribe.empty()) return on_subscribed({}, 0);
    ws_.text(true);
    ws_.async_write(asio::buffer(run_.cfg.subscribe),
                    beast::bind_front_handler(&Connection::on_subscribed, shared_from_this()));
  }

  void on_subscribed(error_code ec, std::size_t) {
    if (ec) return on_lost(ec);
    if (run_.cfg.ready.empty()) mark_ready(Clock::now());
  }

  void do_read() { ws_.async_read(buffer_, beast::bind_front_handler(&Connection::on_read, shared_from_this())); }

  void on_read(error_code ec, std::size_t) {
    auto now = Clock::now();
    if (ec) return on_lost(ec);
    auto data = buffer_.cdata();
    std::string_view frame(static_cast<const char*>(data.data()), data.size());
    if (!ready_) {
      if (!run_.cfg.ready.empty() && frame.find(run_.cfg.ready) != std::string_view::npos) mark_ready(now);
    } else if (frame.find(run_.cfg.expect) != std::string_view::npos) {
      run_.on_event(index_, seen_round_, now);
    }
    buffer_.consume(buffer_.size());
    do_read();
  }

  void mark_ready(Clock::time_point now) {
    if (ready_) return;
    ready_ = true;
    run_.on_ready(now);
  }

  void on_failed(const char* what, const std::string& why) {
    if (ending_) return;
    response_ = {};
    run_.failed.fetch_add(1);
    run_.error("connection " + std::to_string(index_) + ": " + what + " failed: " + why);
  }

  void on_lost(error_code ec) {
    if (ending_ || !open_) return;
    open_ = false;
    std::string why = "lost (" + ec.message() + ")";
    if (ec == websocket::error::closed) {
      auto reason = ws_.reason();
      why = "closed by the server with code " + std::to_string(reason.code);
      if (!reason.reason.empty()) why += " (" + std::string(reason.reason.c_str()) + ")";
    }
    run_.closed.fetch_add(1);
    run_.error("connection " + std::to_string(index_) + ": " + why);
  }

  void do_close() {
    ending_ = true;
    if (!open_) {
      error_code ignored;
      beast::get_lowest_layer(ws_).socket().close(ignored);  // not connected, or mid-handshake
      return finish();
    }
    ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](error_code) { self->finish(); });
  }

  void finish() {
    if (run_.finished.fetch_add(1) + 1 == run_.cfg.connections) run_.wake();
  }

  Run& run_;
  websocket::stream<beast::tcp_stream> ws_;
  long index_;
  beast::flat_buffer buffer_;
  websocket::response_type response_;  // the handshake's answer, kept to report a refusal
  int seen_round_ = 0;
  bool open_ = false;
  bool ready_ = false;
  bool ending_ = false;
};

void Run::start_next() {
  if (ending.load() || broken()) return;
  long i = next.fetch_add(1);
  if (i < cfg.connections) connections[static_cast<std::size_t>(i)]->start();
}

// What one trigger request came to.
struct TriggerResult {
  std::string error;  // empty when answered
  unsigned status = 0;
  std::string body;
  Clock::time_point sent;      // just before the request was written
  Clock::time_point answered;  // when the answer's first bytes reached this host (kernel timestamp)
};

// The trigger: one keep-alive HTTP connection used from the controlling thread, blocking.
// The answer is timed by the kernel (SO_TIMESTAMPNS on each received segment), so the
// time the thread takes to be scheduled, on a machine whose cores the server and the
// connections keep busy, does not count. Reconnected when the server closes it.
class Trigger {
public:
  Trigger(const Config& cfg, tcp::endpoint endpoint, std::string host)
      : cfg_(cfg), endpoint_(endpoint), host_(std::move(host)) {}
  ~Trigger() { reset(); }
  Trigger(const Trigger&) = delete;
  Trigger& operator=(const Trigger&) = delete;

  TriggerResult send(int round) {
    const std::string request = build(round);
    TriggerResult result;
    for (int attempt = 0;; ++attempt) {
      result = exchange(request);
      // A kept-alive connection the server had just closed: one fresh try.
      if (result.error.empty() || attempt > 0) return result;
    }
  }

private:
  std::string build(int round) const {
    http::request<http::string_body> req{cfg_.trigger_method, cfg_.trigger_path, 11};
    req.set(http::field::host, host_);
    req.set(http::field::user_agent, "bench_ws_fanout");
    if (!cfg_.origin.empty()) req.set(http::field::origin, cfg_.origin);
    if (!cfg_.trigger_cookie.empty()) req.set(http::field::cookie, cfg_.trigger_cookie);
    for (const auto& [name, value] : cfg_.trigger_headers) req.set(name, value);
    if (!cfg_.trigger_body.empty()) {
      std::string body = cfg_.trigger_body;
      const bool odd = round % 2 == 1;
      for (auto [token, value] : {std::pair{std::string_view("%SIGN%"), odd ? "1" : "-1"},
                                  std::pair{std::string_view("%TOGGLE%"), odd ? "1" : "0"}})
        for (auto at = body.find(token); at != std::string::npos; at = body.find(token, at))
          body.replace(at, token.size(), value);
      req.set(http::field::content_type, "application/json");
      req.body() = std::move(body);
    }
    req.keep_alive(true);
    req.prepare_payload();
    std::ostringstream out;
    out << req;
    return out.str();
  }

  TriggerResult exchange(const std::string& request) {
    TriggerResult result;
    if (fd_ < 0 && !connect(result.error)) return result;
    result.sent = Clock::now();
    for (std::size_t off = 0; off < request.size();) {
      ssize_t n = ::send(fd_, request.data() + off, request.size() - off, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return fail(result, std::string("cannot send the request: ") + std::strerror(errno));
      off += static_cast<std::size_t>(n);
    }
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(1 << 20);
    std::string pending;
    bool timed = false;
    char data[16384];
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
    while (!parser.is_done()) {
      iovec iov{data, sizeof data};
      msghdr msg{};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      ssize_t n = ::recvmsg(fd_, &msg, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        return fail(result, errno == EAGAIN ? std::string("no answer within --round-timeout-s")
                                            : std::string("cannot read the answer: ") + std::strerror(errno));
      error_code ec;
      if (n == 0) {
        parser.put_eof(ec);
        if (ec || !parser.is_done()) return fail(result, "the server closed the connection before answering");
        break;
      }
      if (!timed) {
        // The kernel's receive time is CLOCK_REALTIME: carry it over to the steady clock.
        for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
          if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            timespec ts;
            std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
            auto wall_now = std::chrono::system_clock::now();
            auto steady_now = Clock::now();
            auto wall = std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec)));
            result.answered = steady_now - std::chrono::duration_cast<Clock::duration>(wall_now - wall);
            timed = true;
          }
        if (!timed) result.answered = Clock::now();
        timed = true;
      }
      pending.append(data, static_cast<std::size_t>(n));
      while (!pending.empty() && !parser.is_done()) {
        std::size_t used = parser.put(asio::buffer(pending), ec);
        if (ec == http::error::need_more) break;
        if (ec) return fail(result, "a malformed answer: " + ec.message());
        pending.erase(0, used);
      }
    }
    auto& res = parser.get();
    result.status = res.result_int();
    result.body = std::move(res.body());
    if (!res.keep_alive()) reset();
    return result;
  }

  bool connect(std::string& error) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    timeval timeout{static_cast<time_t>(cfg_.round_timeout_s), 0};
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(endpoint_.port());
    addr.sin_addr.s_addr = htonl(endpoint_.address().to_v4().to_uint());
    if (fd_ < 0 || ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0 ||
        ::setsockopt(fd_, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) != 0 ||
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0 ||
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout) != 0 ||
        ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      error = std::string("cannot connect: ") + std::strerror(errno);
      reset();
      return false;
    }
    return true;
  }

  TriggerResult& fail(TriggerResult& result, std::string why) {
    result.error = std::move(why);
    reset();
    return result;
  }

  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  const Config& cfg_;
  tcp::endpoint endpoint_;
  std::string host_;
  int fd_ = -1;
};

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Nearest-rank percentile of `v` (sorted here); p in [0, 1].
double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

struct RoundFigures {
  double answer_ms;      // trigger sent -> HTTP answer read
  double reach_ms;       // HTTP answer -> last delivery
  double reach_sent_ms;  // trigger sent -> last delivery
  double first_ms;       // HTTP answer -> first delivery
  double per_s;          // deliveries per second after the answer
  double spread_ms;      // first delivery -> last delivery
};

// The report's accumulated state, printed as text and as the RESULT line.
struct Report {
  std::vector<std::pair<std::string, std::string>> result;
  void add(const std::string& key, double value, int decimals = 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    result.emplace_back(key, buf);
  }
  void print() const {
    std::string line = "RESULT";
    for (const auto& [k, v] : result) line += " " + k + "=" + v;
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  }
};

int run_benchmark(const Config& cfg) {
  auto started = Clock::now();
  auto deadline = started + std::chrono::seconds(cfg.timeout_s);
  auto limit = raise_open_file_limit();
  if (limit != 0 && static_cast<rlim_t>(cfg.connections) + 64 > limit)
    throw std::runtime_error("the open-file limit (" + std::to_string(limit) + ") is too low for " +
                             std::to_string(cfg.connections) + " connections");
  long rss_before = cfg.server_pid ? vm_rss_kib(cfg.server_pid) : -1;
  if (cfg.server_pid && rss_before < 0)
    throw std::runtime_error("cannot read /proc/" + std::to_string(cfg.server_pid) + "/status");

  // A backstop for what the controller cannot interrupt (a trigger the server never answers).
  std::mutex watchdog_mutex;
  std::condition_variable watchdog_cv;
  bool done = false;
  std::thread watchdog([&] {
    std::unique_lock lock(watchdog_mutex);
    if (watchdog_cv.wait_until(lock, deadline + std::chrono::seconds(5), [&] { return done; })) return;
    std::fprintf(stderr, "bench_ws_fanout: no end after --timeout-s %ld s; giving up\n", cfg.timeout_s);
    std::printf("RESULT connections=%ld ok=0 timeout=1\n", cfg.connections);
    std::fflush(stdout);
    std::_Exit(3);
  });

  asio::io_context ioc(static_cast<int>(cfg.threads));
  Run run(cfg);
  run.endpoint = tcp::endpoint(asio::ip::make_address(cfg.host), cfg.port);
  run.host_header = cfg.host + ":" + std::to_string(cfg.port);
  run.connections.reserve(static_cast<std::size_t>(cfg.connections));
  for (long i = 0; i < cfg.connections; ++i) run.connections.push_back(std::make_shared<Connection>(run, ioc, i));

  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&run](error_code ec, int) {
    if (ec) return;
    run.stop = true;
    run.wake();
  });
  auto work = asio::make_work_guard(ioc);
  std::vector<std::thread> threads;
  for (long i = 0; i < cfg.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });

  Report report;
  report.add("connections", static_cast<double>(cfg.connections));
  report.add("threads", static_cast<double>(cfg.threads));
  bool ok = true, timed_out = false;
  long missing = 0;
  std::printf("bench_ws_fanout: %ld connections to ws://%s%s, %ld client thread%s, %ld handshakes in flight\n",
              cfg.connections, run.host_header.c_str(), cfg.path.c_str(), cfg.threads, cfg.threads == 1 ? "" : "s",
              cfg.handshakes);
  std::fflush(stdout);

  // 1. Connect, subscribe, wait until all are ready; memory before and after.
  auto connect_start = Clock::now();
  for (long i = 0; i < std::min(cfg.handshakes, cfg.connections); ++i) run.start_next();
  bool all_ready = run.wait([&] { return run.ready.load() == cfg.connections; }, deadline);
  if (!all_ready) {
    ok = false;
    timed_out = Clock::now() >= deadline;
    missing = cfg.connections - run.ready.load();
    std::printf("connected %ld, ready %ld of %ld%s\n", run.opened.load(), run.ready.load(), cfg.connections,
                timed_out ? " before the time ran out" : "");
  } else {
    Clock::time_point ready_at;
    {
      std::lock_guard lock(run.mutex);
      ready_at = run.all_ready_at;
    }
    double connect_ms = ms(ready_at - connect_start);
    report.add("connect_ms", connect_ms, 1);
    std::printf("connected and ready: %ld in %.0f ms (%.0f a second)\n", cfg.connections, connect_ms,
                static_cast<double>(cfg.connections) / (connect_ms / 1000.0));
    if (cfg.settle_ms > 0) run.sleep(std::chrono::milliseconds(cfg.settle_ms));
    if (cfg.server_pid) {
      long rss_after = vm_rss_kib(cfg.server_pid);
      double per_conn = static_cast<double>(rss_after - rss_before) * 1024.0 / static_cast<double>(cfg.connections);
      report.add("rss_before_kib", static_cast<double>(rss_before));
      report.add("rss_after_kib", static_cast<double>(rss_after));
      report.add("bytes_per_conn", per_conn);
      std::printf("server memory (VmRSS): %ld KiB before, %ld KiB with the connections: %.0f bytes (%.1f KiB) each\n",
                  rss_before, rss_after, per_conn, per_conn / 1024.0);
    }
    long client_rss = vm_rss_kib(static_cast<long>(getpid()));
    report.add("client_rss_kib", static_cast<double>(client_rss));
  }

  // 2. The rounds.
  std::vector<RoundFigures> rounds;
  if (ok && !cfg.idle_only && !run.broken()) {
    Trigger trigger(cfg, run.endpoint, run.host_header);
    const auto n = static_cast<double>(cfg.connections);
    if (cfg.trigger_body.find("%SIGN%") != std::string::npos || cfg.trigger_body.find("%TOGGLE%") != std::string::npos) {
      // Round 0, not timed: puts the vote in its even-round state, so that round 1 changes
      // it whatever an earlier run left. Its event, if any, is let through before round 1.
      TriggerResult res = trigger.send(0);
      if (!res.error.empty() || res.status < 200 || res.status > 299) {
        run.error("round 0 (setting the vote up): " +
                  (res.error.empty() ? "answered " + std::to_string(res.status) + " " + res.body.substr(0, 300) : res.error));
        ok = false;
      }
      run.sleep(std::chrono::milliseconds(std::max(cfg.pause_ms, 300L)));
      run.extra.store(0);
    }
    for (int r = 1; r <= cfg.rounds && ok && !run.stop; ++r) {
      run.delivered.store(0);
      run.round.store(r, std::memory_order_release);
      TriggerResult res = trigger.send(r);
      auto sent = res.sent, answered = res.answered;
      if (!res.error.empty() || res.status < 200 || res.status > 299) {
        run.round.store(0);
        run.error("round " + std::to_string(r) + ": " +
                  (res.error.empty() ? "the trigger was answered " + std::to_string(res.status) + " " + res.body.substr(0, 300)
                                     : "trigger: " + res.error));
        ok = false;
        break;
      }
      auto round_limit = Clock::now() + std::chrono::seconds(cfg.round_timeout_s);
      bool all = run.wait([&] { return run.delivered.load() == cfg.connections; }, std::min(deadline, round_limit));
      if (!all) {
        run.round.store(0);
        ok = false;
        long lacking = cfg.connections - run.delivered.load();
        std::string after = std::to_string(static_cast<long>(ms(Clock::now() - answered))) + " ms";
        if (run.stop) break;
        if (Clock::now() >= deadline && deadline < round_limit && run.closed.load() == 0) {
          // The run's time ran out, not the round's: nothing is known to be lost.
          timed_out = true;
          run.error("round " + std::to_string(r) + ": --timeout-s reached with " + std::to_string(lacking) +
                    " deliveries still to come " + after + " after the answer");
          break;
        }
        missing = lacking;
        run.error("round " + std::to_string(r) + ": " + std::to_string(missing) + " of " +
                  std::to_string(cfg.connections) + " connections lack the event " + after + " after the answer");
        break;
      }
      run.round.store(0);
      auto first = run.arrival.front(), last = first;
      for (auto t : run.arrival) {
        first = std::min(first, t);
        last = std::max(last, t);
      }
      RoundFigures f{};
      f.answer_ms = ms(answered - sent);
      f.reach_ms = ms(last - answered);
      f.reach_sent_ms = ms(last - sent);
      f.first_ms = ms(first - answered);
      // When the last delivery precedes the answer (a small fan-out), count from the request.
      f.per_s = n / ((f.reach_ms > 0 ? f.reach_ms : f.reach_sent_ms) / 1000.0);
      f.spread_ms = ms(last - first);
      rounds.push_back(f);
      if (cfg.verbose)
        std::printf("round %d: answered in %.2f ms; first delivery %+.2f ms, last %+.2f ms after the answer; %.0f/s\n", r,
                    f.answer_ms, f.first_ms, f.reach_ms, f.per_s);
      if (cfg.pause_ms > 0 && r < cfg.rounds) run.sleep(std::chrono::milliseconds(cfg.pause_ms));
    }
  }

  // 3. Close every connection (bounded), stop.
  run.ending = true;
  long lost = run.closed.load(), failed = run.failed.load();
  for (auto& c : run.connections) c->close();
  run.wait([&] { return run.finished.load() == cfg.connections; }, std::min(deadline, Clock::now()) + std::chrono::seconds(3),
           false);
  work.reset();
  ioc.stop();
  for (auto& t : threads) t.join();

  // 4. Report.
  {
    std::lock_guard lock(run.mutex);
    for (const auto& e : run.errors) std::printf("error: %s\n", e.c_str());
    if (run.error_count > static_cast<long>(run.errors.size()))
      std::printf("error: ... and %ld more\n", run.error_count - static_cast<long>(run.errors.size()));
  }
  if (!rounds.empty()) {
    auto rate = [&](double ms) { return ms > 0 ? static_cast<double>(cfg.connections) / (ms / 1000.0) : 0.0; };
    auto column = [&](double RoundFigures::*field) {
      std::vector<double> v;
      for (const auto& f : rounds) v.push_back(f.*field);
      return v;
    };
    auto reach = column(&RoundFigures::reach_ms), reach_sent = column(&RoundFigures::reach_sent_ms);
    auto first = column(&RoundFigures::first_ms), answer = column(&RoundFigures::answer_ms);
    auto per_s = column(&RoundFigures::per_s), spread = column(&RoundFigures::spread_ms);
    std::printf("%zu rounds; the trigger was answered in %.2f ms (median)\n", rounds.size(), percentile(answer, 0.5));
    std::printf("reach-all after the answer (ms):   min %7.2f  median %7.2f  p99 %7.2f  max %7.2f\n",
                percentile(reach, 0), percentile(reach, 0.5), percentile(reach, 0.99), percentile(reach, 1));
    std::printf("reach-all after the request (ms):  min %7.2f  median %7.2f  p99 %7.2f  max %7.2f\n",
                percentile(reach_sent, 0), percentile(reach_sent, 0.5), percentile(reach_sent, 0.99),
                percentile(reach_sent, 1));
    std::printf("first delivery after the answer (ms): median %.2f\n", percentile(first, 0.5));
    std::printf("deliveries/s (median over rounds): %.0f\n", percentile(per_s, 0.5));
    std::printf("fan-out, first to last delivery (ms): median %.2f  p99 %.2f: %.0f deliveries/s\n",
                percentile(spread, 0.5), percentile(spread, 0.99), rate(percentile(spread, 0.5)));
    report.add("rounds", static_cast<double>(rounds.size()));
    report.add("answer_median_ms", percentile(answer, 0.5), 2);
    report.add("reach_median_ms", percentile(reach, 0.5), 2);
    report.add("reach_p99_ms", percentile(reach, 0.99), 2);
    report.add("reach_min_ms", percentile(reach, 0), 2);
    report.add("reach_max_ms", percentile(reach, 1), 2);
    report.add("reach_sent_median_ms", percentile(reach_sent, 0.5), 2);
    report.add("reach_sent_p99_ms", percentile(reach_sent, 0.99), 2);
    report.add("first_median_ms", percentile(first, 0.5), 2);
    report.add("deliveries_per_s", percentile(per_s, 0.5));
    report.add("spread_median_ms", percentile(spread, 0.5), 2);
    report.add("spread_p99_ms", percentile(spread, 0.99), 2);
    report.add("spread_per_s", rate(percentile(spread, 0.5)));
  }
  std::printf("missing deliveries: %ld; closed by the server: %ld; failed handshakes: %ld; extra matching frames: %ld\n",
              missing, lost, failed, run.extra.load());
  report.add("missing", static_cast<double>(missing));
  report.add("closed", static_cast<double>(lost));
  report.add("failed", static_cast<double>(failed));
  report.add("extra", static_cast<double>(run.extra.load()));
  ok = ok && lost == 0 && failed == 0 && missing == 0 && !run.stop;
  report.add("ok", ok ? 1 : 0);
  if (timed_out) report.add("timeout", 1);
  report.print();

  {
    std::lock_guard lock(watchdog_mutex);
    done = true;
  }
  watchdog_cv.notify_all();
  watchdog.join();
  if (run.stop) return 130;
  if (timed_out) return 3;
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  try {
    cfg = parse(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_ws_fanout: %s (see --help)\n", e.what());
    return 2;
  }
  try {
    return run_benchmark(cfg);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_ws_fanout: %s\n", e.what());
    return 1;
  }
}
