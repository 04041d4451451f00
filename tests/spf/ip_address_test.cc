// SPDX-License-Identifier: MIT
#include "core/checks/spf/ip_address.h"

#include <string>

#include "gtest/gtest.h"

namespace bouncedx::spf {
namespace {

TEST(SpfIpAddress, ParsesAndPrintsAddresses) {
  struct Case {
    const char* text;
    bool v4;
    const char* printed;
    const char* macro;
    const char* reverse;
  };
  const Case kCases[] = {
      {"192.0.2.1", true, "192.0.2.1", "192.0.2.1", "1.2.0.192.in-addr.arpa"},
      {"::FFFF:1.2.3.4", true, "1.2.3.4", "1.2.3.4", "4.3.2.1.in-addr.arpa"},
      {"CAFE:BABE::1", false, "cafe:babe::1",
       "C.A.F.E.B.A.B.E.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1",
       "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.e.b.a.b.e.f.a.c.ip6.arpa"},
      {"2001:db8:0:0:1:0:0:1", false, "2001:db8::1:0:0:1", nullptr, nullptr},
      {"2001:0db8:0000:0000:0000:0000:0002:0001", false, "2001:db8::2:1", nullptr, nullptr},
      {"1:0:1:0:1:0:1:0", false, "1:0:1:0:1:0:1:0", nullptr, nullptr},
      {"::", false, "::", nullptr, nullptr},
      {"::1", false, "::1", nullptr, nullptr},
      {"1::", false, "1::", nullptr, nullptr},
      {"::1.1.1.1", false, "::101:101", nullptr, nullptr},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    std::optional<IpAddress> ip = ParseIpAddress(c.text);
    ASSERT_TRUE(ip.has_value());
    EXPECT_EQ(ip->is_v4(), c.v4);
    EXPECT_EQ(ip->ToText(), c.printed);
    if (c.macro != nullptr) {
      EXPECT_EQ(ip->ToMacroText(), c.macro);
    }
    if (c.reverse != nullptr) {
      EXPECT_EQ(ip->ReverseName(), c.reverse);
    }
  }
}

TEST(SpfIpAddress, RejectsMalformedText) {
  const char* kBad[] = {"",
                        "1.2.3",
                        "1.2.3.4.5",
                        "01.2.3.4",
                        "256.1.1.1",
                        "1.2.3.4 ",
                        ":CAFE::BABE",
                        "1::2::3",
                        "1:2:3:4:5:6:7:8:9",
                        "1:2:3:4:5:6:7",
                        "12345::",
                        "1::2:3:4:5:6:7:8",
                        "fe80::1%eth0",
                        "1:",
                        "g::1"};
  for (const char* text : kBad) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseIpAddress(text).has_value());
  }
}

TEST(SpfIpAddress, MatchesNetworks) {
  IpAddress client = *ParseIpAddress("192.0.2.77");
  EXPECT_TRUE(client.InNetwork(*ParseIp4("192.0.2.0"), 24));
  EXPECT_TRUE(client.InNetwork(*ParseIp4("192.0.2.64"), 26));
  EXPECT_FALSE(client.InNetwork(*ParseIp4("192.0.2.0"), 26));
  EXPECT_TRUE(client.InNetwork(*ParseIp4("10.0.0.0"), 0));
  EXPECT_FALSE(client.InNetwork(*ParseIp6("::"), 0));  // families never mix
  // An ip6: network written IPv4-mapped stays IPv6 and misses a mapped client.
  IpAddress mapped_client = *ParseIpAddress("::ffff:1.2.3.4");
  EXPECT_FALSE(mapped_client.InNetwork(*ParseIp6("::ffff:1.2.3.4"), 128));
  IpAddress v6 = *ParseIpAddress("2001:db8:1234::cafe:babe");
  EXPECT_TRUE(v6.InNetwork(*ParseIp6("2001:db8:1234::dead:beef"), 64));
  EXPECT_FALSE(v6.InNetwork(*ParseIp6("2001:db8:1234::dead:beef"), 128));
  EXPECT_TRUE(v6.InNetwork(*ParseIp6("2001:db8:1200::"), 39));
}

}  // namespace
}  // namespace bouncedx::spf
