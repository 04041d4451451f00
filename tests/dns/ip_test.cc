// SPDX-License-Identifier: MIT
#include "core/dns/ip.h"

#include <gtest/gtest.h>

namespace bouncedx::dns {
namespace {

TEST(Ip, ParsesAndFormatsValidAddresses) {
  struct Case {
    const char* in;
    IpFamily family;
    const char* canonical;
  };
  const Case cases[] = {
      {"203.0.113.5", IpFamily::kV4, "203.0.113.5"},
      {"0.0.0.0", IpFamily::kV4, "0.0.0.0"},
      {"255.255.255.255", IpFamily::kV4, "255.255.255.255"},
      {"2001:db8::1", IpFamily::kV6, "2001:db8::1"},
      {"2001:0DB8:0000:0000:0000:0000:0000:0001", IpFamily::kV6, "2001:db8::1"},
      {"::", IpFamily::kV6, "::"},
      {"::1", IpFamily::kV6, "::1"},
      {"1::", IpFamily::kV6, "1::"},
      {"fe80::1:2", IpFamily::kV6, "fe80::1:2"},
      // RFC 5952 §4.2.2: a single zero group is not compressed.
      {"2001:db8:0:1:1:1:1:1", IpFamily::kV6, "2001:db8:0:1:1:1:1:1"},
      // §4.2.3: the longest run wins; on a tie the first.
      {"2001:0:0:1:0:0:0:1", IpFamily::kV6, "2001:0:0:1::1"},
      {"2001:db8:0:0:1:0:0:1", IpFamily::kV6, "2001:db8::1:0:0:1"},
      {"1:2:3:4:5:6:7::", IpFamily::kV6, "1:2:3:4:5:6:7:0"},
      {"::2:3:4:5:6:7:8", IpFamily::kV6, "0:2:3:4:5:6:7:8"},
      {"::ffff:192.0.2.1", IpFamily::kV6, "::ffff:192.0.2.1"},
      {"::FFFF:c000:0201", IpFamily::kV6, "::ffff:192.0.2.1"},
      {"64:ff9b::192.0.2.33", IpFamily::kV6, "64:ff9b::c000:221"},
      {"1:2:3:4:5:6:1.2.3.4", IpFamily::kV6, "1:2:3:4:5:6:102:304"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    IpAddress ip;
    ASSERT_TRUE(ParseIp(c.in, &ip));
    EXPECT_EQ(ip.family, c.family);
    EXPECT_EQ(FormatIp(ip), c.canonical);
  }
}

TEST(Ip, RejectsInvalidAddresses) {
  const char* cases[] = {
      "",
      "1.2.3",
      "1.2.3.4.5",
      "256.1.1.1",
      "01.2.3.4",
      "1.2.3.04",
      " 1.2.3.4",
      "1.2.3.4 ",
      "1.2.3.-4",
      "1..2.3",
      "1.2.3.4.",
      "1234.1.1.1",
      "0x1.2.3.4",
      ":",
      ":::",
      "1:2",
      "1::2::3",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7:8::",
      "12345::",
      "g::1",
      ":1::2",
      "1:2:",
      "fe80::1%eth0",
      "[::1]",
      "::1.2.3",
      "::1.2.3.04",
      "1:2:3:4:5:6:7:1.2.3.4",
      "1.2.3.4::",
      "::ffff:1.2.3.4:5",
  };
  for (const char* text : cases) {
    SCOPED_TRACE(text);
    IpAddress ip;
    ip.family = IpFamily::kV4;
    ip.bytes[0] = 42;
    EXPECT_FALSE(ParseIp(text, &ip));
    EXPECT_EQ(ip.bytes[0], 42);  // untouched on failure
  }
}

TEST(Ip, ParseIpv4AndIpv6AreStrictAboutFamily) {
  IpAddress ip;
  EXPECT_FALSE(ParseIpv4("::1", &ip));
  EXPECT_FALSE(ParseIpv6("192.0.2.1", &ip));
  EXPECT_TRUE(ParseIpv6("::192.0.2.1", &ip));
  EXPECT_EQ(FormatIp(ip), "::c000:201");
  EXPECT_EQ(FormatIp(IpAddress()), "");
}

TEST(Ip, BuildsReverseNames) {
  Result<std::string> v4 = ReverseName("203.0.113.5");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4.value(), "5.113.0.203.in-addr.arpa");
  Result<std::string> v6 = ReverseName("2001:db8::567:89ab");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6.value(), "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
  Result<std::string> bad = ReverseName("203.0.113");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().ToString(), "malformed: ip: \"203.0.113\" is not an IP address");
  EXPECT_EQ(ReverseName(IpAddress()), "");
}

TEST(Ip, ClassifiesSpecialRanges) {
  struct Case {
    const char* ip;
    IpScope scope;
  };
  const Case cases[] = {
      {"8.8.8.8", IpScope::kPublic},
      {"209.85.220.41", IpScope::kPublic},
      {"0.0.0.0", IpScope::kUnspecified},
      {"0.1.2.3", IpScope::kReserved},
      {"10.1.2.3", IpScope::kPrivate},
      {"172.16.0.1", IpScope::kPrivate},
      {"172.31.255.255", IpScope::kPrivate},
      {"172.32.0.1", IpScope::kPublic},
      {"192.168.1.1", IpScope::kPrivate},
      {"100.64.0.1", IpScope::kSharedAddress},
      {"100.127.255.255", IpScope::kSharedAddress},
      {"100.128.0.1", IpScope::kPublic},
      {"127.0.0.1", IpScope::kLoopback},
      {"169.254.10.10", IpScope::kLinkLocal},
      {"192.0.2.1", IpScope::kDocumentation},
      {"198.51.100.7", IpScope::kDocumentation},
      {"203.0.113.5", IpScope::kDocumentation},
      {"192.0.0.8", IpScope::kReserved},
      {"198.18.0.1", IpScope::kReserved},
      {"198.19.255.1", IpScope::kReserved},
      {"198.20.0.1", IpScope::kPublic},
      {"224.0.0.251", IpScope::kMulticast},
      {"239.255.255.250", IpScope::kMulticast},
      {"240.0.0.1", IpScope::kReserved},
      {"255.255.255.255", IpScope::kReserved},
      {"2a00:1450:4864:20::52a", IpScope::kPublic},
      {"2001:4860:4860::8888", IpScope::kPublic},
      {"::", IpScope::kUnspecified},
      {"::1", IpScope::kLoopback},
      {"fd12:3456::1", IpScope::kPrivate},
      {"fc00::1", IpScope::kPrivate},
      {"fec0::1", IpScope::kPrivate},
      {"fe80::1", IpScope::kLinkLocal},
      {"febf::1", IpScope::kLinkLocal},
      {"ff02::1", IpScope::kMulticast},
      {"2001:db8::1", IpScope::kDocumentation},
      {"3fff:fff::1", IpScope::kDocumentation},
      {"2001:0:4136:e378::1", IpScope::kReserved},  // Teredo, in 2001::/23
      {"100::1", IpScope::kReserved},
      {"::ffff:10.0.0.1", IpScope::kPrivate},
      {"::ffff:8.8.4.4", IpScope::kPublic},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.ip);
    IpAddress ip;
    ASSERT_TRUE(ParseIp(c.ip, &ip));
    EXPECT_STREQ(IpScopeName(ClassifyIp(ip)), IpScopeName(c.scope));
  }
  EXPECT_EQ(ClassifyIp(IpAddress()), IpScope::kReserved);
}

}  // namespace
}  // namespace bouncedx::dns
