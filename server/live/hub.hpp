#pragma once
// The live hub: topic → subscribed WebSocket peers. Events arrive after each commit
// from the writer; each is serialised once and queued on every subscriber's peer.
#include <memory>
#include <optional>
#include <string_view>

#include "http/message.hpp"
#include "live/peer.hpp"
#include "store/event_record.hpp"

namespace cc::live {

class Hub {
public:
  virtual ~Hub() = default;
  // Checks a WebSocket handshake (same origin, a live session). Fills `who`, or returns
  // the HTTP answer that refuses it.
  virtual std::optional<http::Response> admit(const http::Request& req, Identity& who) = 0;
  virtual void attach(const std::shared_ptr<Peer>& peer) = 0;
  virtual void receive(const std::shared_ptr<Peer>& peer, std::string_view text) = 0;
  virtual void detach(Peer* peer) = 0;
};

}  // namespace cc::live
