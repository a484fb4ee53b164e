#include "support/harness.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/asio/ssl.hpp>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <thread>

#ifndef CARECROWD_SERVER_BIN
#error "CARECROWD_SERVER_BIN must be defined by the build"
#endif

namespace cc::test {
namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "carecrowd-test-XXXXXX").string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

namespace {
void read_all_into(int fd, std::string& out) {
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
}
}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text,
                          std::chrono::seconds timeout) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) || pipe(out_pipe) || pipe(err_pipe)) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (!stdin_text.empty()) {
    ssize_t ignored = write(in_pipe[1], stdin_text.data(), stdin_text.size());
    (void)ignored;
  }
  close(in_pipe[1]);
  CommandResult r;
  std::thread err_reader([&] { read_all_into(err_pipe[0], r.err); });
  read_all_into(out_pipe[0], r.out);
  err_reader.join();
  close(out_pipe[0]);
  close(err_pipe[0]);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      r.exit_code = -1;
      return r;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

ServerProcess::ServerProcess(const std::string& db_path, Options options) {
  int out_pipe[2];
  if (pipe(out_pipe)) throw std::runtime_error("pipe failed");
  std::string log_path = db_path + ".server.log";
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out_pipe[1], 1);
    int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (log_fd >= 0) dup2(log_fd, 2);
    close(out_pipe[0]);
    close(out_pipe[1]);
    // Every test talks from 127.0.0.1: lift the per-address request limit out of the way
    // (the code path still runs) unless the test sets its own.
    setenv("CARECROWD_LIMITS_REQUESTS_PER_MINUTE_PER_IP", "100000000", 1);
    for (const auto& [k, v] : options.env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<std::string> argv = {CARECROWD_SERVER_BIN, "--db", db_path, "--port", "0", "--listen", "127.0.0.1",
                                     "--threads", "2"};
    for (const auto& a : options.extra_args) argv.push_back(a);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  stdout_fd_ = out_pipe[0];
  std::string seen;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::regex re(R"(listening on (https?)://([0-9.]+):([0-9]+))");
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{stdout_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) > 0) {
      char buf[512];
      ssize_t n = read(stdout_fd_, buf, sizeof buf);
      if (n <= 0) break;
      seen.append(buf, static_cast<std::size_t>(n));
      std::smatch m;
      if (std::regex_search(seen, m, re)) {
        host_ = m[2];
        port_ = static_cast<unsigned short>(std::stoi(m[3]));
        base_url_ = std::string(m[1]) + "://" + host_ + ":" + std::string(m[3]);
        return;
      }
    }
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  throw std::runtime_error("the server did not print its listening line; output: " + seen);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

bool ServerProcess::running() const { return pid_ > 0 && kill(pid_, 0) == 0; }

int ServerProcess::stop(int signal_number, std::chrono::seconds timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal_number);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

json Response::json_body() const {
  auto j = json::parse(body, nullptr, false);
  return j.is_discarded() ? json() : j;
}

namespace {
// One request and its response on a connected stream, plain or TLS.
template <class Stream>
bhttp::response<bhttp::string_body> exchange(Stream& stream, bhttp::request<bhttp::string_body>& req) {
  bhttp::write(stream, req);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(req.method() == bhttp::verb::head);  // a HEAD answer has a length but no body
  bhttp::read(stream, buffer, parser);
  return parser.release();
}
}  // namespace

std::shared_ptr<asio::ssl::context> tls_client_context(int max_version) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  ctx->set_verify_mode(asio::ssl::verify_none);
  if (max_version) {
    // Let the client offer old protocols at all (OpenSSL 3 refuses them by default), so
    // that it is the server that must say no.
    SSL_CTX_set_security_level(ctx->native_handle(), 0);
    SSL_CTX_set_cipher_list(ctx->native_handle(), "DEFAULT:@SECLEVEL=0");
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx->native_handle(), max_version);
  }
  return ctx;
}

Response Client::request(const std::string& method, const std::string& target, const std::optional<json>& body,
                         std::map<std::string, std::string> headers) {
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, host_ + ":" + std::to_string(port_));
  if (send_origin) req.set(bhttp::field::origin, (tls ? "https://" : "http://") + host_ + ":" + std::to_string(port_));
  if (!cookies.empty()) {
    std::string c;
    for (const auto& [k, v] : cookies) c += (c.empty() ? "" : "; ") + k + "=" + v;
    req.set(bhttp::field::cookie, c);
  }
  if (!csrf.empty() && method != "GET") req.set("X-CSRF-Token", csrf);
  if (body) {
    req.set(bhttp::field::content_type, "application/json");
    req.body() = body->dump();
  }
  for (const auto& [k, v] : headers) req.set(k, v);
  req.prepare_payload();
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30));
  if (!source_address.empty()) {
    stream.socket().open(tcp::v4());
    stream.socket().bind(tcp::endpoint(asio::ip::make_address(source_address), 0));
  }
  stream.connect(tcp::endpoint(asio::ip::make_address(host_), port_));
  bhttp::response<bhttp::string_body> res;
  if (tls) {
    auto ctx = tls_client_context(tls_max_version);
    asio::ssl::stream<beast::tcp_stream&> secure(stream, *ctx);
    secure.handshake(asio::ssl::stream_base::client);
    res = exchange(secure, req);
    beast::error_code ignored;
    secure.shutdown(ignored);
  } else {
    res = exchange(stream, req);
  }
  Response out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto& slot = out.headers[name];
    if (!slot.empty()) slot += "\n";
    slot += std::string(f.value());
    if (name == "set-cookie") {
      std::string v(f.value());
      auto eq = v.find('=');
      auto semi = v.find(';');
      std::string k = v.substr(0, eq), val = v.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
      if (v.find("Max-Age=0") != std::string::npos) cookies.erase(k); else cookies[k] = val;
    }
  }
  out.body = std::move(res.body());
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return out;
}

Response Client::login(const std::string& email, const std::string& password) {
  auto r = post("/api/v1/auth/login", {{"email", email}, {"password", password}});
  if (r.status == 200) csrf = r.json_body().value("csrf_token", "");
  return r;
}

std::string raw_exchange(const std::string& host, unsigned short port, const std::string& bytes,
                         std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  tcp::socket s(ioc);
  s.connect(tcp::endpoint(asio::ip::make_address(host), port));
  asio::write(s, asio::buffer(bytes));
  std::string out;
  int fd = s.native_handle();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    if (poll(&p, 1, std::max(1, left)) <= 0) break;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

ServerProcess::Options fast_options() {
  ServerProcess::Options o;
  o.env = {{"CARECROWD_LOG_LEVEL", "warn"}};
  return o;
}

Deployment::Deployment(ServerProcess::Options options) : db(dir.file("carecrowd.db")) {
  auto r = admin({"init"});
  if (r.exit_code != 0) throw std::runtime_error("init failed: " + r.err);
  start(std::move(options));
}

void Deployment::start(ServerProcess::Options options) {
  if (options.env.empty()) options.env = fast_options().env;
  server.emplace(db, std::move(options));
}

CommandResult Deployment::admin(std::vector<std::string> args, const std::string& stdin_text) {
  std::vector<std::string> argv = {CARECROWD_ADMIN_BIN, "--db", db};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, stdin_text);
}

std::string Deployment::add_user(const std::string& name, const std::string& role, const std::string& profession,
                                 const std::string& organisation) {
  std::string email = name + "@example.nhs.uk";
  auto r = admin({"user", "add", "--email", email, "--name", name, "--role", role, "--profession", profession,
                  "--organisation", organisation, "--password-stdin"},
                 std::string(kPassword) + "\n");
  if (r.exit_code != 0) throw std::runtime_error("user add failed: " + r.err);
  return email;
}

Client Deployment::signed_in(const std::string& email) {
  Client c = client();
  auto r = c.login(email, kPassword);
  if (r.status != 200) throw std::runtime_error("login failed: " + std::to_string(r.status) + " " + r.body);
  return c;
}

}  // namespace cc::test
