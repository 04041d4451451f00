// SPDX-License-Identifier: MIT
#include "core/dns/answer.h"

#include <gtest/gtest.h>

#include "core/dns/types.h"
#include "tests/testing/dns_packet_builder.h"

namespace bouncedx::dns {
namespace {

using testing::DnsHeaderFields;
using testing::DnsPacketBuilder;
using testing::Section;
using B = DnsPacketBuilder;

Message MustParse(const std::string& wire) {
  Result<Message> message = ParseMessage(wire, Limits());
  EXPECT_TRUE(message.ok()) << message.status().ToString();
  return std::move(message).value();
}

TEST(ValidateResponse, AcceptsAMatchingResponse) {
  DnsPacketBuilder packet;
  packet.AddQuestion(B::Name("Example.COM"), RrType::kMx);
  EXPECT_TRUE(ValidateResponse(MustParse(packet.Build()), "example.com.", RrType::kMx).ok());
}

TEST(ValidateResponse, AcceptsTruncatedResponses) {
  DnsPacketBuilder packet;
  packet.header().tc = true;
  packet.AddQuestion(B::Name("example.com"), RrType::kTxt);
  const Message message = MustParse(packet.Build());
  EXPECT_TRUE(ValidateResponse(message, "example.com", RrType::kTxt).ok());
  EXPECT_TRUE(ExtractAnswers(message, "example.com", RrType::kTxt, 8).truncated);
}

TEST(ValidateResponse, RejectsMismatches) {
  struct Case {
    const char* what;
    std::string wire;
    const char* error;
  };
  auto with = [](DnsHeaderFields header, std::vector<std::pair<const char*, uint16_t>> questions,
                 uint16_t rr_class = RrClass::kIn) {
    DnsPacketBuilder packet(header);
    for (const auto& [name, type] : questions) packet.AddQuestion(B::Name(name), type, rr_class);
    return packet.Build();
  };
  DnsHeaderFields query;
  query.qr = false;
  DnsHeaderFields notify;
  notify.opcode = Opcode::kNotify;
  DnsHeaderFields normal;
  DnsHeaderFields servfail;
  servfail.rcode = Rcode::kServFail;
  DnsHeaderFields nxdomain;
  nxdomain.rcode = Rcode::kNxDomain;
  const Case cases[] = {
      {"a query", with(query, {{"example.com", 15}}),
       "mismatch: dns: response: QR bit is clear: a query, not a response"},
      {"opcode", with(notify, {{"example.com", 15}}),
       "mismatch: dns: response: opcode is NOTIFY (4), expected QUERY"},
      {"no question", with(normal, {}), "mismatch: dns: response: no question echoed"},
      {"NXDOMAIN without question", with(nxdomain, {}),
       "mismatch: dns: response: no question echoed"},
      {"two questions", with(normal, {{"example.com", 15}, {"example.com", 15}}),
       "mismatch: dns: response: 2 questions echoed, expected 1"},
      {"other name", with(normal, {{"example.org", 15}}),
       "mismatch: dns: response: echoed question is example.org, asked example.com"},
      {"parent name", with(normal, {{"com", 15}}),
       "mismatch: dns: response: echoed question is com, asked example.com"},
      {"other type", with(normal, {{"example.com", 16}}),
       "mismatch: dns: response: echoed type is TXT (16), asked MX (15)"},
      {"other class", with(normal, {{"example.com", 15}}, RrClass::kCh),
       "mismatch: dns: response: echoed class is CH (3), expected IN"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Status status = ValidateResponse(MustParse(c.wire), "example.com", RrType::kMx);
    EXPECT_EQ(status.ToString(), c.error);
  }
  // A server that refuses may drop the question; the rcode is what matters.
  EXPECT_TRUE(ValidateResponse(MustParse(with(servfail, {})), "example.com", RrType::kMx).ok());
}

TEST(ValidateResponse, ShowsHostileEchoedNamesSafely) {
  DnsPacketBuilder packet;
  packet.AddQuestion(B::Label("a\nb") + B::Name("example"), RrType::kA);
  Status status = ValidateResponse(MustParse(packet.Build()), "example.com", RrType::kA);
  EXPECT_EQ(status.ToString(),
            "mismatch: dns: response: echoed question is a\\010b.example, asked example.com");
}

TEST(ExtractAnswers, ReturnsDirectRecords) {
  DnsPacketBuilder packet;
  packet.header().ad = true;
  packet.AddQuestion(B::Name("example.com"), RrType::kA);
  packet.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kA, 60, B::A("192.0.2.1"));
  packet.AddRecord(Section::kAnswer, B::Name("other.example"), RrType::kA, 60, B::A("192.0.2.9"));
  packet.AddRecord(Section::kAnswer, B::Name("EXAMPLE.com"), RrType::kA, 60, B::A("192.0.2.2"));
  packet.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kAaaa, 60, B::Aaaa("2001:db8::1"));
  const AnswerSet set = ExtractAnswers(MustParse(packet.Build()), "example.com.", RrType::kA, 8);
  EXPECT_EQ(set.kind, AnswerKind::kAnswer);
  EXPECT_STREQ(AnswerKindName(set.kind), "answer");
  EXPECT_EQ(set.owner, "example.com");
  EXPECT_TRUE(set.chain.empty());
  ASSERT_EQ(set.records.size(), 2u);
  EXPECT_EQ(set.records[0].address, "192.0.2.1");
  EXPECT_EQ(set.records[1].address, "192.0.2.2");
  EXPECT_TRUE(set.authenticated);
  EXPECT_FALSE(set.truncated);
  EXPECT_EQ(set.detail, "");
}

// www.example.com CNAME a.example.net, a.example.net CNAME b.example.org,
// b.example.org A 192.0.2.7, listed in an unhelpful order.
TEST(ExtractAnswers, FollowsACnameChain) {
  DnsPacketBuilder packet;
  packet.AddQuestion(B::Name("www.example.com"), RrType::kA);
  packet.AddRecord(Section::kAnswer, B::Name("b.example.org"), RrType::kA, 60, B::A("192.0.2.7"));
  packet.AddRecord(Section::kAnswer, B::Name("a.example.net"), RrType::kCname, 60,
                   B::Name("B.example.org"));
  packet.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kCname, 60, B::Name("a.example.net"));
  const AnswerSet set = ExtractAnswers(MustParse(packet.Build()), "www.example.com", 1, 8);
  EXPECT_EQ(set.kind, AnswerKind::kAnswer);
  EXPECT_EQ(set.owner, "B.example.org");
  EXPECT_EQ(set.chain, (std::vector<std::string>{"a.example.net", "B.example.org"}));
  ASSERT_EQ(set.records.size(), 1u);
  EXPECT_EQ(set.records[0].address, "192.0.2.7");
}

TEST(ExtractAnswers, DoesNotFollowWhenAskingForCname) {
  DnsPacketBuilder packet;
  packet.AddQuestion(B::Name("www.example.com"), RrType::kCname);
  packet.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kCname, 60, B::Name("a.example.net"));
  const AnswerSet set =
      ExtractAnswers(MustParse(packet.Build()), "www.example.com", RrType::kCname, 8);
  EXPECT_EQ(set.kind, AnswerKind::kAnswer);
  EXPECT_TRUE(set.chain.empty());
  ASSERT_EQ(set.records.size(), 1u);
  EXPECT_EQ(set.records[0].target, "a.example.net");
}

TEST(ExtractAnswers, DetectsCnameLoops) {
  struct Case {
    const char* what;
    std::vector<std::pair<const char*, const char*>> aliases;  // owner -> target
    const char* detail;
    size_t chain;
  };
  const Case cases[] = {
      {"self", {{"a.test", "A.test."}}, "dns: CNAME loop at A.test", 0},
      {"two names", {{"a.test", "b.test"}, {"b.test", "a.test"}}, "dns: CNAME loop at a.test", 1},
      {"loop further down",
       {{"a.test", "b.test"}, {"b.test", "c.test"}, {"c.test", "b.test"}},
       "dns: CNAME loop at b.test",
       2},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    DnsPacketBuilder packet;
    packet.AddQuestion(B::Name("a.test"), RrType::kA);
    for (const auto& [owner, target] : c.aliases) {
      packet.AddRecord(Section::kAnswer, B::Name(owner), RrType::kCname, 60, B::Name(target));
    }
    const AnswerSet set = ExtractAnswers(MustParse(packet.Build()), "a.test", RrType::kA, 8);
    EXPECT_EQ(set.kind, AnswerKind::kCnameLoop);
    EXPECT_STREQ(AnswerKindName(set.kind), "cname_loop");
    EXPECT_EQ(set.detail, c.detail);
    EXPECT_EQ(set.chain.size(), c.chain);
    EXPECT_TRUE(set.records.empty());
  }
}

TEST(ExtractAnswers, StopsAChainLongerThanTheCap) {
  // c0.test -> c1.test -> ... -> c5.test A 192.0.2.5: five aliases.
  DnsPacketBuilder packet;
  packet.AddQuestion(B::Name("c0.test"), RrType::kA);
  for (int i = 0; i < 5; ++i) {
    packet.AddRecord(Section::kAnswer, B::Name("c" + std::to_string(i) + ".test"), RrType::kCname,
                     60, B::Name("c" + std::to_string(i + 1) + ".test"));
  }
  packet.AddRecord(Section::kAnswer, B::Name("c5.test"), RrType::kA, 60, B::A("192.0.2.5"));
  const Message message = MustParse(packet.Build());

  const AnswerSet enough = ExtractAnswers(message, "c0.test", RrType::kA, 5);
  EXPECT_EQ(enough.kind, AnswerKind::kAnswer);
  EXPECT_EQ(enough.owner, "c5.test");
  EXPECT_EQ(enough.chain.size(), 5u);

  const AnswerSet capped = ExtractAnswers(message, "c0.test", RrType::kA, 4);
  EXPECT_EQ(capped.kind, AnswerKind::kCnameChainTooLong);
  EXPECT_EQ(capped.detail, "dns: CNAME chain longer than 4 (max_cname_chain)");
  EXPECT_EQ(capped.chain.size(), 4u);
  EXPECT_TRUE(capped.records.empty());
}

TEST(ExtractAnswers, DistinguishesNoDataFromNxDomain) {
  struct Case {
    const char* what;
    uint8_t rcode;
    bool with_cname;
    AnswerKind kind;
    const char* owner;
    bool has_ttl;
    uint32_t ttl;
  };
  const Case cases[] = {
      {"nodata", Rcode::kNoError, false, AnswerKind::kNoData, "host.example.com", true, 300},
      {"nxdomain", Rcode::kNxDomain, false, AnswerKind::kNxDomain, "host.example.com", true, 300},
      // RFC 6604: the rcode speaks of the last name of the chain, whose SOA
      // (example.com) does not own alias.example.net: no negative TTL.
      {"nxdomain after cname", Rcode::kNxDomain, true, AnswerKind::kNxDomain, "alias.example.net",
       false, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    DnsPacketBuilder packet;
    packet.header().rcode = c.rcode;
    packet.AddQuestion(B::Name("host.example.com"), RrType::kTxt);
    if (c.with_cname) {
      packet.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kCname, 60,
                       B::Name("alias.example.net"));
    }
    packet.AddRecord(
        Section::kAuthority, B::Name("example.com"), RrType::kSoa, 3600,
        B::Soa(B::Name("ns.example.com"), B::Name("root.example.com"), 1, 2, 3, 4, 300));
    const AnswerSet set =
        ExtractAnswers(MustParse(packet.Build()), "host.example.com", RrType::kTxt, 8);
    EXPECT_EQ(set.kind, c.kind);
    EXPECT_EQ(set.owner, c.owner);
    EXPECT_EQ(set.has_negative_ttl, c.has_ttl);
    EXPECT_EQ(set.negative_ttl, c.ttl);
    EXPECT_TRUE(set.records.empty());
    EXPECT_EQ(set.rcode, c.rcode);
  }
}

TEST(ExtractAnswers, TakesTheSmallerOfSoaTtlAndMinimum) {
  DnsPacketBuilder packet;
  packet.header().rcode = Rcode::kNxDomain;
  packet.AddQuestion(B::Name("x.example.com"), RrType::kA);
  packet.AddRecord(
      Section::kAuthority, B::Name("example.com"), RrType::kSoa, 60,
      B::Soa(B::Name("ns.example.com"), B::Name("root.example.com"), 1, 2, 3, 4, 86400));
  const AnswerSet set = ExtractAnswers(MustParse(packet.Build()), "x.example.com", 1, 8);
  EXPECT_EQ(set.kind, AnswerKind::kNxDomain);
  EXPECT_TRUE(set.has_negative_ttl);
  EXPECT_EQ(set.negative_ttl, 60u);
}

TEST(ExtractAnswers, ReportsOtherRcodes) {
  DnsPacketBuilder packet;
  packet.header().rcode = Rcode::kRefused;
  packet.AddQuestion(B::Name("2.0.0.127.zen.spamhaus.org"), RrType::kA);
  const AnswerSet set =
      ExtractAnswers(MustParse(packet.Build()), "2.0.0.127.zen.spamhaus.org", RrType::kA, 8);
  EXPECT_EQ(set.kind, AnswerKind::kRcodeError);
  EXPECT_EQ(set.rcode, Rcode::kRefused);
  EXPECT_EQ(set.detail, "dns: rcode REFUSED (5)");
}

TEST(ExtractAnswers, IgnoresRecordsOfOtherClasses) {
  DnsPacketBuilder packet;
  packet.AddQuestion(B::Name("example.com"), RrType::kTxt);
  packet.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kTxt, 60, B::Txt({"chaos"}),
                   RrClass::kCh);
  const AnswerSet set = ExtractAnswers(MustParse(packet.Build()), "example.com", RrType::kTxt, 8);
  EXPECT_EQ(set.kind, AnswerKind::kNoData);
  EXPECT_FALSE(set.has_negative_ttl);
}

}  // namespace
}  // namespace bouncedx::dns
