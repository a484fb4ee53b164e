#pragma once
// What every connection of a Server shares: options, the request handler, the TLS
// context, counters for shutdown and per-address limits.
#include <atomic>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "common/metrics.hpp"
#include "net/beast.hpp"
#include "net/server.hpp"

namespace cc::net {

struct ServerState {
  ServerOptions options;
  Server::RequestHandler handler;
  Metrics& metrics;
  live::Hub* hub = nullptr;
  std::optional<ssl::context> tls;
  std::atomic<bool> draining{false};
  std::atomic<int> in_flight{0};

  ServerState(ServerOptions o, Server::RequestHandler h, Metrics& m, live::Hub* hb)
      : options(std::move(o)), handler(std::move(h)), metrics(m), hub(hb) {}

  // Per-address connection counts, so one address cannot hold every socket.
  bool admit(const std::string& ip) {
    std::lock_guard lock(ip_mutex);
    auto& n = per_ip[ip];
    if (n >= options.max_connections_per_ip) return false;
    ++n;
    return true;
  }
  void release(const std::string& ip) {
    std::lock_guard lock(ip_mutex);
    auto it = per_ip.find(ip);
    if (it != per_ip.end() && --it->second == 0) per_ip.erase(it);
  }

  std::mutex ip_mutex;
  std::unordered_map<std::string, std::size_t> per_ip;
};

// Holds one admitted connection's place in the per-address count.
class ConnectionSlot {
public:
  ConnectionSlot(std::shared_ptr<ServerState> s, std::string ip) : state_(std::move(s)), ip_(std::move(ip)) {
    state_->metrics.connection_opened();
  }
  ~ConnectionSlot() {
    state_->release(ip_);
    state_->metrics.connection_closed();
  }
  const std::string& ip() const { return ip_; }
  ServerState& state() { return *state_; }

private:
  std::shared_ptr<ServerState> state_;
  std::string ip_;
};

// Ignores the errors that are part of normal life (peer went away, timeouts, shutdown).
void report_failure(const error_code& ec, const char* what);

}  // namespace cc::net
