// Per-address limits key IPv4 addresses as they are and IPv6 ones by their /64, for
// connections as for requests: a host holding a whole /64 cannot open more sockets by
// moving between its addresses.
#include <gtest/gtest.h>

#include "net/server_state.hpp"

using namespace cc;

namespace {
std::string key(const char* address) { return net::rate_limit_key(boost::asio::ip::make_address(address)); }
}  // namespace

TEST(ConnectionLimits, AnIpv6ClientIsItsSlash64) {
  EXPECT_EQ(key("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(key("::ffff:192.0.2.7"), "192.0.2.7") << "an IPv4 client on a dual-stack socket";
  EXPECT_EQ(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff:ffff:ffff:ffff"));
  EXPECT_NE(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
}

TEST(ConnectionLimits, ConnectionsCountPerKey) {
  Metrics metrics;
  net::ServerOptions options;
  options.max_connections_per_ip = 2;
  auto state = std::make_shared<net::ServerState>(options, nullptr, metrics, nullptr);
  const auto a = key("2001:db8:1:2::1"), b = key("2001:db8:1:2::2"), other = key("2001:db8:9:9::1");
  ASSERT_TRUE(state->admit(a));
  ASSERT_TRUE(state->admit(b));
  EXPECT_FALSE(state->admit(a)) << "the /64 holds two already";
  EXPECT_TRUE(state->admit(other));
  // A connection closing (its slot going) gives its place in the /64 back.
  { net::ConnectionSlot slot(state, "2001:db8:1:2::2", b); }
  EXPECT_TRUE(state->admit(b));
  EXPECT_FALSE(state->admit(a));
}
