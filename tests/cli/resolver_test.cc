// SPDX-License-Identifier: MIT
#include "core/cli/resolver.h"

#include <gtest/gtest.h>

#include <string>

namespace bouncedx::cli {
namespace {

TEST(ResolverServer, ParsesIpv4AndIpv6WithAndWithoutPorts) {
  struct Case {
    const char* text;
    const char* server;
    int port;
  } cases[] = {
      {"192.0.2.53", "192.0.2.53", 53},
      {"192.0.2.53:5353", "192.0.2.53", 5353},
      {"127.0.0.1:1", "127.0.0.1", 1},
      {"2001:db8::53", "2001:db8::53", 53},
      {"::1", "::1", 53},
      {"[::1]", "::1", 53},
      {"[2001:db8::53]:65535", "2001:db8::53", 65535},
      {"::ffff:192.0.2.1", "::ffff:192.0.2.1", 53},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    ResolverConfig config;
    std::string error;
    ASSERT_TRUE(ParseServer(c.text, &config, &error)) << error;
    EXPECT_EQ(config.server, c.server);
    EXPECT_EQ(config.port, c.port);
    EXPECT_EQ(error, "");
  }
}

TEST(ResolverServer, RefusesWhatIsNotAnAddressAndPort) {
  struct Case {
    const char* text;
    const char* error;
  } cases[] = {
      {"", "not an IPv4 or IPv6 address: "},
      {"dns.example", "not an IPv4 or IPv6 address: dns.example"},
      {"192.0.2.300", "not an IPv4 or IPv6 address: 192.0.2.300"},
      {"192.0.2.53:", "bad port in 192.0.2.53:"},
      {"192.0.2.53:0", "bad port in 192.0.2.53:0"},
      {"192.0.2.53:65536", "bad port in 192.0.2.53:65536"},
      {"192.0.2.53:53x", "bad port in 192.0.2.53:53x"},
      {"192.0.2.53:123456", "bad port in 192.0.2.53:123456"},
      {"[::1", "missing \"]\" in [::1"},
      {"[::1]53", "expected \":PORT\" after \"]\" in [::1]53"},
      {"[::1]:", "bad port in [::1]:"},
      {"[192.0.2.1:53]", "not an IPv4 or IPv6 address: 192.0.2.1:53"},
      {"2001:db8::zz", "not an IPv4 or IPv6 address: 2001:db8::zz"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    ResolverConfig config;
    std::string error;
    EXPECT_FALSE(ParseServer(c.text, &config, &error));
    EXPECT_EQ(error, c.error);
    EXPECT_EQ(config.server, "");
  }
}

}  // namespace
}  // namespace bouncedx::cli
