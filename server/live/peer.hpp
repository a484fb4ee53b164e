#pragma once
// What the live layer sees of one WebSocket connection. The network layer implements
// it; every method is safe to call from any thread.
#include <cstdint>
#include <memory>
#include <string>

namespace cc::live {

// Who is on the other end, fixed at the handshake.
struct Identity {
  std::int64_t user_id = 0;
  std::int64_t session_id = 0;
  int role = 0;  // domain::Role as an int
};

class Peer {
public:
  virtual ~Peer() = default;
  // Queues one text frame. A peer whose queue is over its bound is closed with 1013.
  virtual void send(std::shared_ptr<const std::string> text) = 0;
  virtual void close(std::uint16_t code) = 0;
  const Identity& identity() const { return identity_; }
  void set_identity(Identity id) { identity_ = id; }

private:
  Identity identity_;
};

}  // namespace cc::live
