#pragma once
// Hands an upgraded HTTP connection to a WebSocket session (see websocket_session.cpp).
#include <memory>

#include "net/beast.hpp"
#include "net/server_state.hpp"

namespace cc::net {

void start_websocket(beast::tcp_stream&& stream, bhttp::request<bhttp::string_body> req,
                     std::shared_ptr<ConnectionSlot> slot);
void start_websocket(beast::ssl_stream<beast::tcp_stream>&& stream, bhttp::request<bhttp::string_body> req,
                     std::shared_ptr<ConnectionSlot> slot);

}  // namespace cc::net
