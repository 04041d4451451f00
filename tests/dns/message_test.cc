// SPDX-License-Identifier: MIT
#include "core/dns/message.h"

#include <gtest/gtest.h>

#include "core/dns/types.h"
#include "tests/testing/dns_packet_builder.h"

namespace bouncedx::dns {
namespace {

using testing::DnsHeaderFields;
using testing::DnsPacketBuilder;
using testing::FromHex;
using testing::Section;
using B = DnsPacketBuilder;

// A response whose question is `name`/`type`; the question name sits at
// offset 12, so records can point at it with B::Pointer(12).
DnsPacketBuilder Response(std::string_view name, uint16_t type) {
  DnsPacketBuilder packet;
  packet.AddQuestion(B::Name(name), type);
  return packet;
}

Result<Message> Parse(const std::string& wire) { return ParseMessage(wire, Limits()); }

TEST(ParseMessage, ReadsTheHeaderFlags) {
  const std::string wire = FromHex(
      "abcd"  // ID
      "ffff"  // QR, opcode 15, AA TC RD RA Z AD CD, rcode 15
      "0000 0000 0000 0000");
  Result<Message> message = Parse(wire);
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  const Header& h = message->header;
  EXPECT_EQ(h.id, 0xabcd);
  EXPECT_TRUE(h.qr && h.aa && h.tc && h.rd && h.ra && h.z && h.ad && h.cd);
  EXPECT_EQ(h.opcode, 15);
  EXPECT_EQ(h.rcode, 15);

  Result<Message> quiet = Parse(FromHex("0001 8000 0000 0000 0000 0000"));
  ASSERT_TRUE(quiet.ok());
  EXPECT_TRUE(quiet->header.qr);
  EXPECT_FALSE(quiet->header.aa || quiet->header.tc || quiet->header.rd || quiet->header.ra ||
               quiet->header.z || quiet->header.ad || quiet->header.cd);
  EXPECT_EQ(quiet->header.opcode, 0);
  EXPECT_EQ(quiet->header.rcode, 0);
}

TEST(ParseMessage, CombinesTheExtendedRcodeFromOpt) {
  DnsPacketBuilder packet = Response("example.com", RrType::kA);
  packet.header().rcode = 0;  // low four bits of 16 (BADVERS)
  packet.AddOpt(4096, /*extended_rcode=*/1, /*version=*/0, /*dnssec_ok=*/true);
  Result<Message> message = Parse(packet.Build());
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->header.rcode, Rcode::kBadVers);
  EXPECT_STREQ(RcodeName(message->header.rcode), "BADVERS");
  EXPECT_TRUE(message->edns.present);
  EXPECT_EQ(message->edns.udp_payload_size, 4096);
  EXPECT_EQ(message->edns.extended_rcode, 1);
  EXPECT_TRUE(message->edns.dnssec_ok);
  ASSERT_EQ(message->additional.size(), 1u);
  EXPECT_EQ(RdataToText(message->additional[0]), "udp 4096 version 0 do 1 options 0 bytes");
}

// One record of each type the parser decodes, and what the typed fields and
// RdataToText() make of it.
TEST(ParseMessage, DecodesEveryTypedRecord) {
  struct Case {
    const char* what;
    uint16_t type;
    std::string rdata;  // names may point at offset 12 ("example.com")
    std::string text;   // RdataToText
    std::string address;
    std::string target;
    uint16_t preference;
    std::vector<std::string> strings;
  };
  const Case cases[] = {
      {"A", RrType::kA, B::A("192.0.2.1"), "192.0.2.1", "192.0.2.1", "", 0, {}},
      {"AAAA", RrType::kAaaa, B::Aaaa("2001:db8::25"), "2001:db8::25", "2001:db8::25", "", 0, {}},
      {"NS",
       RrType::kNs,
       B::Labels("ns1") + B::Pointer(12),
       "ns1.example.com",
       "",
       "ns1.example.com",
       0,
       {}},
      {"CNAME",
       RrType::kCname,
       B::Name("target.example.net"),
       "target.example.net",
       "",
       "target.example.net",
       0,
       {}},
      {"PTR",
       RrType::kPtr,
       B::Name("mail.example.org"),
       "mail.example.org",
       "",
       "mail.example.org",
       0,
       {}},
      {"DNAME", RrType::kDname, B::Pointer(12), "example.com", "", "example.com", 0, {}},
      {"MX",
       RrType::kMx,
       B::Mx(10, B::Labels("mx") + B::Pointer(12)),
       "10 mx.example.com",
       "",
       "mx.example.com",
       10,
       {}},
      {"MX null", RrType::kMx, B::Mx(0, B::Name(".")), "0 .", "", ".", 0, {}},
      {"TXT split",
       RrType::kTxt,
       B::Txt({"v=spf1 include:_spf.example.com", " -all"}),
       "\"v=spf1 include:_spf.example.com\" \" -all\"",
       "",
       "",
       0,
       {"v=spf1 include:_spf.example.com", " -all"}},
      {"TXT escapes",
       RrType::kTxt,
       B::Txt({std::string("q\"b\\\x01\xc3\xa9", 7)}),
       "\"q\\\"b\\\\\\001\\195\\169\"",
       "",
       "",
       0,
       {std::string("q\"b\\\x01\xc3\xa9", 7)}},
      {"TXT zero-length strings",
       RrType::kTxt,
       B::Txt({"", "a", ""}),
       "\"\" \"a\" \"\"",
       "",
       "",
       0,
       {"", "a", ""}},
      {"TXT no strings", RrType::kTxt, "", "\\# 0", "", "", 0, {}},
      {"unknown type", 99 + 1000, FromHex("0a000001"), "\\# 4 0a000001", "", "", 0, {}},
      {"SRV kept raw",
       RrType::kSrv,
       FromHex("0001 0002 0019") + B::Name("x"),
       "\\# 9 000100020019017800",
       "",
       "",
       0,
       {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    DnsPacketBuilder packet = Response("example.com", c.type);
    packet.AddRecord(Section::kAnswer, B::Pointer(12), c.type, 3600, c.rdata);
    Result<Message> message = Parse(packet.Build());
    ASSERT_TRUE(message.ok()) << message.status().ToString();
    ASSERT_EQ(message->answers.size(), 1u);
    const ResourceRecord& rr = message->answers[0];
    EXPECT_EQ(rr.name, "example.com");
    EXPECT_EQ(rr.type, c.type);
    EXPECT_EQ(rr.rr_class, RrClass::kIn);
    EXPECT_EQ(rr.ttl, 3600u);
    EXPECT_EQ(rr.rdata, c.rdata);
    EXPECT_EQ(rr.address, c.address);
    EXPECT_EQ(rr.target, c.target);
    EXPECT_EQ(rr.preference, c.preference);
    EXPECT_EQ(rr.strings, c.strings);
    std::string joined;
    for (const std::string& s : c.strings) joined += s;
    EXPECT_EQ(rr.text, joined);
    EXPECT_EQ(RdataToText(rr), c.text);
    EXPECT_TRUE(message->warnings.empty());
  }
}

TEST(ParseMessage, DecodesSoaInTheAuthoritySection) {
  DnsPacketBuilder packet = Response("nothing.example.com", RrType::kA);
  packet.header().rcode = Rcode::kNxDomain;
  const uint16_t zone_at = 12 + 8;  // "example.com" inside the question name
  packet.AddRecord(
      Section::kAuthority, B::Pointer(zone_at), RrType::kSoa, 900,
      B::Soa(B::Labels("ns1") + B::Pointer(zone_at), B::Labels("hostmaster") + B::Pointer(zone_at),
             2024010101, 7200, 3600, 1209600, 300));
  Result<Message> message = Parse(packet.Build());
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  ASSERT_EQ(message->authority.size(), 1u);
  const ResourceRecord& soa = message->authority[0];
  EXPECT_EQ(soa.name, "example.com");
  EXPECT_EQ(soa.soa.mname, "ns1.example.com");
  EXPECT_EQ(soa.soa.rname, "hostmaster.example.com");
  EXPECT_EQ(soa.soa.serial, 2024010101u);
  EXPECT_EQ(soa.soa.refresh, 7200u);
  EXPECT_EQ(soa.soa.retry, 3600u);
  EXPECT_EQ(soa.soa.expire, 1209600u);
  EXPECT_EQ(soa.soa.minimum, 300u);
  EXPECT_EQ(RdataToText(soa),
            "ns1.example.com hostmaster.example.com 2024010101 7200 3600 1209600 300");
  EXPECT_EQ(message->header.rcode, Rcode::kNxDomain);
}

TEST(ParseMessage, KeepsAddressesOfOtherClassesRaw) {
  DnsPacketBuilder packet = Response("version.bind", RrType::kA);
  packet.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kA, 0, FromHex("0102"), RrClass::kCh);
  Result<Message> message = Parse(packet.Build());
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->answers[0].address, "");
  EXPECT_EQ(RdataToText(message->answers[0]), "\\# 2 0102");
}

TEST(ParseMessage, ReadsSeveralRecordsWithCompression) {
  DnsPacketBuilder packet = Response("example.com", RrType::kMx);
  packet.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kMx, 300,
                   B::Mx(10, B::Labels("mx1") + B::Pointer(12)));
  const uint16_t mx1_at = static_cast<uint16_t>(packet.offset() - 6);  // "mx1" + pointer
  packet.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kMx, 300,
                   B::Mx(20, B::Labels("mx2") + B::Pointer(12)));
  packet.AddRecord(Section::kAdditional, B::Pointer(mx1_at), RrType::kA, 300, B::A("192.0.2.25"));
  packet.AddOpt();
  Result<Message> message = Parse(packet.Build());
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  ASSERT_EQ(message->answers.size(), 2u);
  EXPECT_EQ(RdataToText(message->answers[0]), "10 mx1.example.com");
  EXPECT_EQ(RdataToText(message->answers[1]), "20 mx2.example.com");
  ASSERT_EQ(message->additional.size(), 2u);
  EXPECT_EQ(message->additional[0].name, "mx1.example.com");
  EXPECT_EQ(message->additional[0].address, "192.0.2.25");
  EXPECT_EQ(message->additional[1].type, RrType::kOpt);
  EXPECT_EQ(message->additional[1].name, ".");
}

TEST(ParseMessage, RejectsHostileMessages) {
  struct Case {
    const char* what;
    std::string wire;
    const char* error;
  };
  const std::string label63(63, 'x');
  auto with_answer = [](std::string_view rdata, uint16_t type,
                        std::optional<uint16_t> rdlength = std::nullopt) {
    DnsPacketBuilder packet = Response("example.com", type);
    packet.AddRecord(Section::kAnswer, B::Pointer(12), type, 60, rdata, 1, rdlength);
    return packet.Build();
  };
  DnsHeaderFields huge;
  huge.qdcount = 65535;
  huge.ancount = 65535;
  huge.nscount = 65535;
  huge.arcount = 65535;
  DnsHeaderFields more_answers;
  more_answers.ancount = 3;
  DnsPacketBuilder two_of_three(more_answers);
  two_of_three.AddQuestion(B::Name("example.com"), RrType::kA);
  two_of_three.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kA, 1, B::A("192.0.2.1"));
  two_of_three.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kA, 1, B::A("192.0.2.2"));
  std::string long_owner;
  for (int i = 0; i < 4; ++i) long_owner += B::Label(label63);
  long_owner.push_back('\0');
  DnsPacketBuilder second_answer = Response("example.com", RrType::kA);
  second_answer.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kA, 1, B::A("192.0.2.1"));
  second_answer.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kA, 1, B::A("192.0.2.2"), 1,
                          /*rdlength=*/200);
  // The owner of answer 1 (offset 29) is "a" then a pointer back to 29.
  DnsPacketBuilder owner_loop = Response("example.com", RrType::kA);
  owner_loop.header().ancount = 1;
  owner_loop.AddRaw(B::Labels("a") + B::Pointer(29));
  const Case cases[] = {
      {"zero-length message", "", "truncated: dns: message is empty"},
      {"11 bytes", FromHex("0000 8180 0001 0000 0000 00"),
       "truncated: dns: message is 11 bytes, shorter than the 12-byte header"},
      {"header promises a question", FromHex("0000 8180 0001 0000 0000 0000"),
       "truncated: dns: question 1: message ends before the question (header counts 1)"},
      {"huge counts", DnsPacketBuilder(huge).AddQuestion(B::Name("a"), 1).Build(),
       "truncated: dns: question 2: message ends before the question (header counts 65535)"},
      {"counts larger than data", two_of_three.Build(),
       "truncated: dns: answer 3: message ends before the record (header counts 3)"},
      {"question cut short", FromHex("0000 8180 0001 0000 0000 0000 01 61 00 00"),
       "truncated: dns: question 1: message ends inside the question"},
      {"pointer loop in owner", owner_loop.Build(),
       "malformed: dns: answer 1: owner name: compression pointer to offset 29 does not point "
       "backwards"},
      {"forward pointer in rdata", with_answer(B::Pointer(200), RrType::kCname),
       "malformed: dns: answer 1: CNAME target name: compression pointer to offset 200 does not "
       "point backwards"},
      {"pointer past end", with_answer(B::Labels("ns") + B::Pointer(0x3fff), RrType::kNs),
       "malformed: dns: answer 1: NS target name: compression pointer to offset 16383 does not "
       "point backwards"},
      {"label over 63",
       with_answer(std::string(1, '\x40') + std::string(64, 'a') + '\0', RrType::kPtr),
       "malformed: dns: answer 1: PTR target name: label length byte 64 uses the reserved label "
       "types"},
      {"name over 255",
       Response(".", 1).AddRecord(Section::kAnswer, long_owner, 1, 1, B::A("192.0.2.1")).Build(),
       "malformed: dns: answer 1: owner name: longer than 255 octets"},
      {"rdlength overruns", with_answer(B::A("192.0.2.1"), RrType::kA, 5),
       "truncated: dns: answer 1: rdata overruns message"},
      {"second rdlength overruns", second_answer.Build(),
       "truncated: dns: answer 2: rdata overruns message"},
      {"A of 5 bytes", with_answer(FromHex("c000020100"), RrType::kA),
       "malformed: dns: answer 1: A rdata is 5 bytes, expected 4"},
      {"AAAA of 4 bytes", with_answer(B::A("192.0.2.1"), RrType::kAaaa),
       "malformed: dns: answer 1: AAAA rdata is 4 bytes, expected 16"},
      {"name runs past rdlength",
       with_answer(B::Name("target.example"), RrType::kCname, 4) + std::string(20, '\0'),
       "truncated: dns: answer 1: CNAME target name: label overruns the message"},
      {"bytes after the name", with_answer(B::Name("t") + "zz", RrType::kPtr),
       "malformed: dns: answer 1: PTR rdata has 2 bytes left over"},
      {"MX without exchange", with_answer(FromHex("00"), RrType::kMx),
       "malformed: dns: answer 1: MX rdata too short for a preference"},
      {"TXT string past rdata", with_answer(FromHex("05616263"), RrType::kTxt),
       "malformed: dns: answer 1: TXT string 1 runs past the rdata"},
      {"TXT second string past rdata", with_answer(FromHex("00 01 61 09"), RrType::kTxt),
       "malformed: dns: answer 1: TXT string 3 runs past the rdata"},
      {"SOA numbers missing", with_answer(B::Name("a") + B::Name("b") + B::U32(1), RrType::kSoa),
       "malformed: dns: answer 1: SOA rdata too short for its five numbers"},
      {"record header cut", with_answer("", 1).substr(0, 12 + 17 + 2 + 5),
       "truncated: dns: answer 1: message ends inside the record header"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Result<Message> message = Parse(c.wire);
    ASSERT_FALSE(message.ok());
    EXPECT_EQ(message.status().ToString(), c.error);
  }
}

TEST(ParseMessage, RejectsOversizeMessages) {
  std::string wire = FromHex("0000 8180 0000 0000 0000 0000") + std::string(65524, '\0');
  Result<Message> message = Parse(wire);
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.status().ToString(),
            "malformed: dns: message is 65536 bytes, over the 65535-byte maximum");
}

TEST(ParseMessage, KeepsRecordsOfATruncatedMessage) {
  DnsHeaderFields header;
  header.tc = true;
  header.ancount = 4;
  header.arcount = 1;
  DnsPacketBuilder packet(header);
  packet.AddQuestion(B::Name("example.com"), RrType::kTxt);
  packet.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kTxt, 1, B::Txt({"one"}));
  packet.AddRecord(Section::kAnswer, B::Pointer(12), RrType::kTxt, 1, B::Txt({"two"}));
  Result<Message> message = Parse(packet.Build());
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_TRUE(message->header.tc);
  ASSERT_EQ(message->answers.size(), 2u);
  EXPECT_EQ(message->answers[1].text, "two");
  ASSERT_EQ(message->warnings.size(), 1u);
  EXPECT_EQ(message->warnings[0],
            "dns: truncated message ends before answer 3 of 4; records read so far kept");
}

TEST(ParseMessage, WarnsAboutTrailingBytesAndExtraOpt) {
  DnsPacketBuilder packet = Response("example.com", RrType::kA);
  packet.AddOpt(1232);
  packet.AddOpt(512);
  packet.AddRaw("xyz");
  Result<Message> message = Parse(packet.Build());
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->edns.udp_payload_size, 1232);
  ASSERT_EQ(message->warnings.size(), 2u);
  EXPECT_EQ(message->warnings[0], "dns: 3 bytes after the last record ignored");
  EXPECT_EQ(message->warnings[1], "dns: more than one OPT record; the first one is used");
}

TEST(ParseMessage, ReadsSeveralQuestions) {
  DnsPacketBuilder packet;
  packet.AddQuestion(B::Name("a.example"), RrType::kA);
  packet.AddQuestion(B::Labels("b") + B::Pointer(14), RrType::kAaaa);
  Result<Message> message = Parse(packet.Build());
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  ASSERT_EQ(message->questions.size(), 2u);
  EXPECT_EQ(message->questions[1].name, "b.example");
  EXPECT_EQ(message->questions[1].type, RrType::kAaaa);
}

TEST(RrTypes, NamesTypesClassesOpcodesAndRcodes) {
  EXPECT_STREQ(RrTypeName(RrType::kA), "A");
  EXPECT_STREQ(RrTypeName(RrType::kNs), "NS");
  EXPECT_STREQ(RrTypeName(RrType::kCname), "CNAME");
  EXPECT_STREQ(RrTypeName(RrType::kSoa), "SOA");
  EXPECT_STREQ(RrTypeName(RrType::kPtr), "PTR");
  EXPECT_STREQ(RrTypeName(RrType::kMx), "MX");
  EXPECT_STREQ(RrTypeName(RrType::kTxt), "TXT");
  EXPECT_STREQ(RrTypeName(RrType::kAaaa), "AAAA");
  EXPECT_STREQ(RrTypeName(RrType::kOpt), "OPT");
  EXPECT_STREQ(RrTypeName(RrType::kCaa), "CAA");
  EXPECT_STREQ(RrTypeName(12345), "unknown");
  EXPECT_STREQ(RrClassName(RrClass::kIn), "IN");
  EXPECT_STREQ(RrClassName(7), "unknown");
  EXPECT_STREQ(OpcodeName(Opcode::kNotify), "NOTIFY");
  EXPECT_STREQ(OpcodeName(3), "unknown");
  const std::pair<uint16_t, const char*> rcodes[] = {
      {0, "NOERROR"}, {1, "FORMERR"}, {2, "SERVFAIL"}, {3, "NXDOMAIN"},
      {4, "NOTIMP"},  {5, "REFUSED"}, {16, "BADVERS"}, {11, "unknown"},
  };
  for (const auto& [code, name] : rcodes) {
    SCOPED_TRACE(code);
    EXPECT_STREQ(RcodeName(code), name);
  }
}

TEST(RrTypes, ParsesMnemonics) {
  uint16_t type = 0;
  EXPECT_TRUE(ParseRrType("mx", &type));
  EXPECT_EQ(type, RrType::kMx);
  EXPECT_TRUE(ParseRrType("AAAA", &type));
  EXPECT_EQ(type, RrType::kAaaa);
  EXPECT_TRUE(ParseRrType("TYPE65534", &type));
  EXPECT_EQ(type, 65534);
  EXPECT_FALSE(ParseRrType("TYPE65536", &type));
  EXPECT_FALSE(ParseRrType("TYPE", &type));
  EXPECT_FALSE(ParseRrType("MXX", &type));
  EXPECT_FALSE(ParseRrType("", &type));
}

}  // namespace
}  // namespace bouncedx::dns
