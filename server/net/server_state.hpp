#pragma once
// What every connection of a Server shares: options, the request handler, the TLS
// context, counters for shutdown and per-address limits.
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "auth/rate_limiter.hpp"
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

  // Requests per address per minute. One mutex over a hash map costs well under a
  // microsecond per request even with every I/O thread contending, against ~13 us of
  // server CPU for the cheapest request: not worth sharding.
  auth::RateLimiter requests;

  ServerState(ServerOptions o, Server::RequestHandler h, Metrics& m, live::Hub* hb)
      : options(std::move(o)),
        handler(std::move(h)),
        metrics(m),
        hub(hb),
        requests(options.requests_per_minute_per_ip, 60) {}

  // Seconds to wait before this address may send another request (0: go ahead); counts it.
  int hit_request_limit(const std::string& key) {
    if (options.requests_per_minute_per_ip <= 0) return 0;
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch());
    return requests.hit(key, now.count());
  }

  // Per-address connection counts, so one address cannot hold every socket. The key is
  // the rate-limit key (rate_limit_key): IPv4 as is, IPv6 by its /64.
  bool admit(const std::string& key) {
    std::lock_guard lock(ip_mutex);
    auto& n = per_ip[key];
    if (n >= options.max_connections_per_ip) {
      if (n == 0) per_ip.erase(key);
      return false;
    }
    ++n;
    return true;
  }
  void release(const std::string& key) {
    std::lock_guard lock(ip_mutex);
    auto it = per_ip.find(key);
    if (it != per_ip.end() && --it->second == 0) per_ip.erase(it);
  }

  std::mutex ip_mutex;
  std::unordered_map<std::string, std::size_t> per_ip;
};

// The key an address is rate-limited under: IPv4 as is, IPv6 by its /64 prefix (one
// host usually holds a whole /64, so per-address counts would not hold it back).
std::string rate_limit_key(const asio::ip::address& address);

// Holds one admitted connection's place in the per-address count.
class ConnectionSlot {
public:
  ConnectionSlot(std::shared_ptr<ServerState> s, std::string ip, std::string limit_key)
      : state_(std::move(s)), ip_(std::move(ip)), limit_key_(std::move(limit_key)) {
    state_->metrics.connection_opened();
  }
  ~ConnectionSlot() {
    state_->release(limit_key_);
    state_->metrics.connection_closed();
  }
  const std::string& ip() const { return ip_; }
  const std::string& limit_key() const { return limit_key_; }
  ServerState& state() { return *state_; }

private:
  std::shared_ptr<ServerState> state_;
  std::string ip_;
  std::string limit_key_;
};

// Ignores the errors that are part of normal life (peer went away, timeouts, shutdown).
void report_failure(const error_code& ec, const char* what);

}  // namespace cc::net
