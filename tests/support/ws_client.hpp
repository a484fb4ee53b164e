#pragma once
// A WebSocket test client over a real loopback socket (Beast's client side), plain or TLS.
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace cc::test {

class WsClient {
public:
  struct Options {
    std::map<std::string, std::string> cookies;
    std::optional<std::string> origin;  // default: the server's own origin
    bool tls = false;                   // WSS, as made by tls_client_context()
  };
  // Connects and completes the handshake. On refusal throws WsRefused with the HTTP status.
  WsClient(const std::string& host, unsigned short port, Options options);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  void send(const nlohmann::json& message);
  void send_text(const std::string& text);
  // Sends protocol-level ping frames (not the "ping" op); returns how many went out
  // before the connection failed.
  int send_pings(int count);
  // The next text message, or nullopt when none arrives within `timeout` or the
  // connection closed (then closed() is true and close_code() says why).
  std::optional<nlohmann::json> recv(std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));
  // Reads until a message with op "event" and the given type arrives (skipping others).
  std::optional<nlohmann::json> recv_event(const std::string& type,
                                           std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));
  bool closed() const { return closed_; }
  int close_code() const { return close_code_; }
  void close();
  // Stop reading from the socket (to test a slow consumer).
  int native_handle();

  struct Impl;  // the stream, plain or TLS (ws_client.cpp)

private:
  std::unique_ptr<Impl> impl_;
  bool closed_ = false;
  int close_code_ = 0;
};

struct WsRefused : std::runtime_error {
  int status;
  WsRefused(int s, const std::string& what) : std::runtime_error(what), status(s) {}
};

}  // namespace cc::test
