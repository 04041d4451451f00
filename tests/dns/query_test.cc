// SPDX-License-Identifier: MIT
#include "core/dns/query.h"

#include <gtest/gtest.h>

#include "core/dns/message.h"
#include "core/dns/types.h"
#include "tests/testing/dns_packet_builder.h"

namespace bouncedx::dns {
namespace {

using testing::DnsPacketBuilder;
using testing::FromHex;
using testing::ToHex;

TEST(BuildQuery, WritesGoldenBytesForAnMxQuery) {
  const std::string golden = FromHex(
      "0000"               // ID 0 (RFC 8484 §4.1)
      "0100"               // QR 0, opcode QUERY, RD 1, rcode 0
      "0001"               // QDCOUNT 1
      "0000"               // ANCOUNT 0
      "0000"               // NSCOUNT 0
      "0001"               // ARCOUNT 1 (OPT)
      "07 6578616d706c65"  // "example"
      "03 636f6d"          // "com"
      "00"                 // root
      "000f"               // QTYPE MX
      "0001"               // QCLASS IN
      "00"                 // OPT owner: root
      "0029"               // TYPE OPT (41)
      "04d0"               // UDP payload size 1232
      "00 00"              // extended rcode 0, EDNS version 0
      "0000"               // DO 0, other flags 0
      "0000");             // RDLENGTH 0
  Result<std::string> wire = BuildQuery("example.com", RrType::kMx);
  ASSERT_TRUE(wire.ok()) << wire.status().ToString();
  EXPECT_EQ(ToHex(wire.value()), ToHex(golden));
}

TEST(BuildQuery, MatchesThePacketBuilderForAPtrQueryWithAnId) {
  testing::DnsHeaderFields header;
  header.id = 0xbeef;
  header.qr = false;
  header.ra = false;
  DnsPacketBuilder expected(header);
  expected.AddQuestion(DnsPacketBuilder::Name("5.113.0.203.in-addr.arpa"), RrType::kPtr);
  expected.AddOpt();
  Result<std::string> wire = BuildQuery("5.113.0.203.in-addr.arpa.", RrType::kPtr, 0xbeef);
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(ToHex(wire.value()), ToHex(expected.Build()));
}

TEST(BuildQuery, EncodesEscapesAndTheRoot) {
  Result<std::string> wire = BuildQuery(".", RrType::kNs);
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(ToHex(wire->substr(12, 5)), "00 00 02 00 01");  // root, NS, IN
  wire = BuildQuery("a\\.b.test", RrType::kTxt);
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(ToHex(wire->substr(12, 10)), "03 61 2e 62 04 74 65 73 74 00");
}

TEST(BuildQuery, RejectsInvalidNames) {
  Result<std::string> wire = BuildQuery("a..example", RrType::kA);
  ASSERT_FALSE(wire.ok());
  EXPECT_EQ(wire.status().ToString(), "malformed: dns: query: name: empty label in \"a..example\"");
  EXPECT_FALSE(BuildQuery("", RrType::kA).ok());
  EXPECT_FALSE(BuildQuery(std::string(64, 'a'), RrType::kA).ok());
}

TEST(BuildQuery, ParsesBackAsAQueryWithEdns) {
  Result<std::string> wire = BuildQuery("_dmarc.Example.com", RrType::kTxt, 7);
  ASSERT_TRUE(wire.ok());
  Result<Message> message = ParseMessage(wire.value(), Limits());
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->header.id, 7);
  EXPECT_FALSE(message->header.qr);
  EXPECT_TRUE(message->header.rd);
  ASSERT_EQ(message->questions.size(), 1u);
  EXPECT_EQ(message->questions[0].name, "_dmarc.Example.com");
  EXPECT_EQ(message->questions[0].type, RrType::kTxt);
  EXPECT_TRUE(message->edns.present);
  EXPECT_EQ(message->edns.udp_payload_size, 1232);
  EXPECT_FALSE(message->edns.dnssec_ok);
  EXPECT_TRUE(message->warnings.empty());
}

}  // namespace
}  // namespace bouncedx::dns
