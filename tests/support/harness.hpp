#pragma once
// Integration-test support: run the real server binary on port 0 with a fresh database,
// run the admin CLI, and talk HTTP/WebSocket over real loopback sockets.
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace cc::test {

using nlohmann::json;

// A temporary folder removed at the end of the test.
class TempDir {
public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a program with arguments and optional standard input, waiting up to `timeout`.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text = "",
                          std::chrono::seconds timeout = std::chrono::seconds(60));

// The server binary, started on 127.0.0.1 port 0 with its own database.
class ServerProcess {
public:
  struct Options {
    std::vector<std::string> extra_args;
    std::vector<std::pair<std::string, std::string>> env;
  };
  explicit ServerProcess(const std::string& db_path, Options options);
  explicit ServerProcess(const std::string& db_path) : ServerProcess(db_path, Options{}) {}
  ~ServerProcess();

  const std::string& base_url() const { return base_url_; }
  const std::string& host() const { return host_; }
  unsigned short port() const { return port_; }
  int pid() const { return pid_; }
  // Sends a signal and waits for the exit status (-1 if it did not exit in time).
  int stop(int signal_number, std::chrono::seconds timeout = std::chrono::seconds(20));
  bool running() const;

private:
  int pid_ = -1;
  std::string base_url_;
  std::string host_;
  unsigned short port_ = 0;
  int stdout_fd_ = -1;
};

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; repeated ones joined by "\n"
  std::string body;
  json json_body() const;
  std::string header(const std::string& lower) const {
    auto it = headers.find(lower);
    return it == headers.end() ? "" : it->second;
  }
};

// A small HTTP/1.1 client with a cookie jar and the CSRF token of its session; it speaks
// TLS to a server started with a certificate.
class Client {
public:
  Client(std::string host, unsigned short port) : host_(std::move(host)), port_(port) {}
  explicit Client(const ServerProcess& s) : Client(s.host(), s.port()) { tls = s.base_url().rfind("https:", 0) == 0; }

  Response request(const std::string& method, const std::string& target, const std::optional<json>& body = std::nullopt,
                   std::map<std::string, std::string> headers = {});
  Response get(const std::string& target) { return request("GET", target); }
  Response post(const std::string& target, const json& body) { return request("POST", target, body); }
  Response put(const std::string& target, const json& body) { return request("PUT", target, body); }
  Response patch(const std::string& target, const json& body) { return request("PATCH", target, body); }
  Response del(const std::string& target) { return request("DELETE", target); }

  // Logs in and keeps the cookie and CSRF token; returns the login response.
  Response login(const std::string& email, const std::string& password);

  std::string csrf;
  std::map<std::string, std::string> cookies;
  bool send_origin = true;
  // Another loopback address to connect from (e.g. "127.0.0.2"), to look like a second client.
  std::string source_address;
  // TLS as made by tls_client_context(tls_max_version).
  bool tls = false;
  int tls_max_version = 0;

private:
  std::string host_;
  unsigned short port_;
};

// A TLS client context that does not check the certificate (tests make throwaway ones)
// and offers protocol versions up to max_version (OpenSSL's TLS1_x_VERSION; 0: the best).
std::shared_ptr<boost::asio::ssl::context> tls_client_context(int max_version = 0);

// Sends raw bytes on a new connection and returns whatever comes back until the server
// closes or `timeout` passes.
std::string raw_exchange(const std::string& host, unsigned short port, const std::string& bytes,
                         std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

// A test deployment: a temp database with users made by the admin CLI and a running server.
struct Deployment {
  static constexpr const char* kPassword = "correct horse battery staple 7";
  TempDir dir;
  std::string db;
  std::optional<ServerProcess> server;

  explicit Deployment(ServerProcess::Options options = {});
  // Adds a user with the CLI; returns the email.
  std::string add_user(const std::string& name, const std::string& role, const std::string& profession = "nursing",
                       const std::string& organisation = "Test Trust");
  CommandResult admin(std::vector<std::string> args, const std::string& stdin_text = "");
  Client client() const { return Client(*server); }
  Client signed_in(const std::string& email);
  void start(ServerProcess::Options options = {});
};

// Options that make tests quick: cheap password hashing (the test config).
ServerProcess::Options fast_options();

}  // namespace cc::test
