// SPDX-License-Identifier: MIT
#include "core/dns/name.h"

#include <gtest/gtest.h>

#include "tests/testing/dns_packet_builder.h"

namespace bouncedx::dns {
namespace {

using testing::DnsPacketBuilder;
using testing::FromHex;
using testing::ToHex;

TEST(Name, EncodesPresentationNamesToWire) {
  struct Case {
    const char* name;
    const char* wire_hex;
  };
  const Case cases[] = {
      {"example.com", "07 6578616d706c65 03 636f6d 00"},
      {"example.com.", "07 6578616d706c65 03 636f6d 00"},
      {".", "00"},
      {"a\\.b.c", "03 612e62 01 63 00"},     // escaped dot stays inside the label
      {"\\065\\009.x", "02 4109 01 78 00"},  // \DDD escapes
      {"back\\\\slash", "0a 6261636b5c736c617368 00"},
      {"_dmarc.Example.COM", "06 5f646d617263 07 4578616d706c65 03 434f4d 00"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<std::string> wire = EncodeName(c.name);
    ASSERT_TRUE(wire.ok()) << wire.status().ToString();
    EXPECT_EQ(ToHex(wire.value()), ToHex(FromHex(c.wire_hex)));
  }
}

TEST(Name, RejectsInvalidPresentationNames) {
  const std::string label63(63, 'a');
  const std::string label64(64, 'a');
  // 4 labels of 63 octets: 4 * 64 + 1 = 257 wire octets.
  const std::string too_long = label63 + "." + label63 + "." + label63 + "." + label63;
  // 3 * 64 + 62 + 1 = 255 octets: exactly the maximum.
  const std::string longest = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  struct Case {
    std::string name;
    std::string message;
  };
  const Case cases[] = {
      {"", "malformed: name: empty"},
      {"a..b", "malformed: name: empty label in \"a..b\""},
      {".a", "malformed: name: empty label in \".a\""},
      {"a.b..", "malformed: name: empty label in \"a.b..\""},
      {"a\\", "malformed: name: lone backslash at the end"},
      {"a\\25", "malformed: name: escape \\DDD needs three digits"},
      {"a\\256", "malformed: name: escape \\256 is over 255"},
      {label64 + ".com", "malformed: name: label \"" + label64 + "\" is longer than 63 octets"},
      {too_long, "malformed: name: \"" + too_long.substr(0, 80) + "…\" is longer than 255 octets"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<std::string> wire = EncodeName(c.name);
    ASSERT_FALSE(wire.ok());
    EXPECT_EQ(wire.status().ToString(), c.message);
  }
  EXPECT_TRUE(EncodeName(label63 + ".com").ok());
  Result<std::string> wire = EncodeName(longest);
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(wire->size(), 255u);
}

TEST(Name, NormalizesToLowerCaseWithoutTrailingDot) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"Mail.Example.COM.", "mail.example.com"},
      {".", "."},
      {"a\\.B.c", "a\\.b.c"},
      {"\\088y", "xy"},  // \088 is 'X', lowered
      {"sp\\032ace", "sp\\032ace"},
      {"tab\\009", "tab\\009"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    Result<std::string> normal = NormalizeName(c.in);
    ASSERT_TRUE(normal.ok()) << normal.status().ToString();
    EXPECT_EQ(normal.value(), c.out);
  }
}

TEST(Name, ComparesCaseInsensitively) {
  EXPECT_TRUE(NamesEqual("Example.COM", "example.com."));
  EXPECT_TRUE(NamesEqual(".", "."));
  EXPECT_TRUE(NamesEqual("a\\.b", "A\\046B"));
  EXPECT_FALSE(NamesEqual("a.b", "a\\.b"));
  EXPECT_FALSE(NamesEqual("example.com", "example.co"));
  EXPECT_FALSE(NamesEqual("a..b", "a..b"));  // invalid equals nothing
}

TEST(Name, TellsWhetherANameIsAtOrBelowAnother) {
  EXPECT_TRUE(IsAtOrBelow("a.b.Example.com", "example.COM"));
  EXPECT_TRUE(IsAtOrBelow("example.com", "example.com."));
  EXPECT_TRUE(IsAtOrBelow("example.com", "."));
  EXPECT_FALSE(IsAtOrBelow("badexample.com", "example.com"));
  EXPECT_FALSE(IsAtOrBelow("com", "example.com"));
}

TEST(Name, RecognisesHostnames) {
  struct Case {
    std::string name;
    bool hostname;
  };
  const Case cases[] = {
      {"mail.example.com", true},
      {"mail.example.com.", true},
      {"a-b.c0.xn--p1ai", true},
      {"localhost", true},
      {"-a.example", false},
      {"a-.example", false},
      {"under_score.example", false},
      {"a..b", false},
      {"", false},
      {".", false},
      {"[192.0.2.1]", false},
      {std::string(64, 'a') + ".com", false},
      {std::string(63, 'a') + ".com", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(IsHostname(c.name), c.hostname);
  }
}

// Reads the name at `offset` of `wire`; returns the text or the error.
std::string ReadAt(const std::string& wire, size_t offset, size_t* end = nullptr) {
  ByteReader reader(wire);
  reader.Seek(offset);
  Result<std::string> name = ReadName(&reader);
  if (end != nullptr) *end = reader.position();
  return name.ok() ? name.value() : name.status().ToString();
}

TEST(Name, ReadsUncompressedAndCompressedNames) {
  DnsPacketBuilder packet;
  packet.AddRaw(DnsPacketBuilder::Name("example.com"));  // 12..24
  packet.AddRaw(DnsPacketBuilder::Labels("mail") +       // 25..29
                DnsPacketBuilder::Pointer(12));          // 30..31
  packet.AddRaw(DnsPacketBuilder::Labels("a") +          // 32..33
                DnsPacketBuilder::Pointer(25));          // 34..35, pointer to pointer
  packet.AddRaw(DnsPacketBuilder::Pointer(32));          // 36..37, bare pointer
  packet.AddRaw(DnsPacketBuilder::Name("."));            // 38
  const std::string wire = packet.Build();
  size_t end = 0;
  EXPECT_EQ(ReadAt(wire, 12, &end), "example.com");
  EXPECT_EQ(end, 25u);
  EXPECT_EQ(ReadAt(wire, 25, &end), "mail.example.com");
  EXPECT_EQ(end, 32u);  // continues after the first pointer
  EXPECT_EQ(ReadAt(wire, 32, &end), "a.mail.example.com");
  EXPECT_EQ(end, 36u);
  EXPECT_EQ(ReadAt(wire, 36, &end), "a.mail.example.com");
  EXPECT_EQ(end, 38u);
  EXPECT_EQ(ReadAt(wire, 38, &end), ".");
  EXPECT_EQ(end, 39u);
}

TEST(Name, EscapesUnprintableAndSpecialBytes) {
  DnsPacketBuilder packet;
  packet.AddRaw(DnsPacketBuilder::Label(std::string("a.b\\c", 5)) +
                DnsPacketBuilder::Label(std::string("\x00\x1f \x7f\xff\"", 6)) +
                DnsPacketBuilder::Name("com"));
  EXPECT_EQ(ReadAt(packet.Build(), 12), "a\\.b\\\\c.\\000\\031\\032\\127\\255\".com");
}

TEST(Name, RejectsHostileNames) {
  struct Case {
    const char* what;
    std::string body;  // bytes after the 12-byte header
    size_t offset;     // where the name starts
    const char* error;
  };
  const std::string label63(63, 'x');
  std::string long_name;  // 4 * 64 octets of labels: over 255 before the root
  for (int i = 0; i < 4; ++i) long_name += DnsPacketBuilder::Label(label63);
  long_name.push_back('\0');
  const Case cases[] = {
      {"pointer to itself", DnsPacketBuilder::Pointer(12), 12,
       "malformed: name: compression pointer to offset 12 does not point backwards"},
      {"forward pointer", DnsPacketBuilder::Pointer(14) + DnsPacketBuilder::Name("a"), 12,
       "malformed: name: compression pointer to offset 14 does not point backwards"},
      {"pointer past the end", DnsPacketBuilder::Pointer(0x3fff), 12,
       "malformed: name: compression pointer to offset 16383 does not point backwards"},
      // 12: "a" then a pointer back to 12: a label-then-pointer loop.
      {"loop through a label", DnsPacketBuilder::Labels("a") + DnsPacketBuilder::Pointer(12), 12,
       "malformed: name: compression pointer to offset 12 does not point backwards"},
      // 12: "a" ptr->16; 16: "b" ptr->12. The second pointer goes backwards
      // from where it sits but not before the run it interrupts.
      {"two-name loop",
       DnsPacketBuilder::Labels("a") + DnsPacketBuilder::Pointer(16) +
           DnsPacketBuilder::Labels("b") + DnsPacketBuilder::Pointer(12),
       16, "malformed: name: compression pointer to offset 16 does not point backwards"},
      {"pointer into the header", DnsPacketBuilder::Pointer(4), 12,
       "malformed: name: compression pointer to offset 4 points into the header"},
      {"label length 64", std::string(1, '\x40') + std::string(64, 'a') + '\0', 12,
       "malformed: name: label length byte 64 uses the reserved label types"},
      {"label type 0x80", std::string("\x80\x01", 2), 12,
       "malformed: name: label length byte 128 uses the reserved label types"},
      {"name over 255 octets", long_name, 12, "malformed: name: longer than 255 octets"},
      {"label overruns",
       std::string("\x05"
                   "ab",
                   3),
       12, "truncated: name: label overruns the message"},
      {"no root label", DnsPacketBuilder::Labels("ab"), 12,
       "truncated: name: message ends inside a name"},
      {"half a pointer", std::string("\xc0", 1), 12,
       "truncated: name: message ends inside a compression pointer"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    DnsPacketBuilder packet;
    packet.AddRaw(c.body);
    const std::string wire = packet.Build();
    ByteReader reader(wire);
    reader.Seek(c.offset);
    Result<std::string> name = ReadName(&reader);
    ASSERT_FALSE(name.ok()) << name.value();
    EXPECT_EQ(name.status().ToString(), c.error);
    EXPECT_EQ(reader.position(), c.offset);  // a failed read does not move
  }
}

TEST(Name, AcceptsTheLongestLegalNameThroughPointers) {
  // 63 + 63 + 63 + 61 octets of labels = 254 with length octets, 255 with
  // the root: legal, although pieced together from three pointers.
  DnsPacketBuilder packet;
  packet.AddRaw(DnsPacketBuilder::Name(std::string(61, 'd')));  // 12
  packet.AddRaw(DnsPacketBuilder::Label(std::string(63, 'c')) + DnsPacketBuilder::Pointer(12));
  const size_t b_at = packet.offset();
  packet.AddRaw(DnsPacketBuilder::Label(std::string(63, 'b')) + DnsPacketBuilder::Pointer(75));
  const size_t a_at = packet.offset();
  packet.AddRaw(DnsPacketBuilder::Label(std::string(63, 'a')) +
                DnsPacketBuilder::Pointer(static_cast<uint16_t>(b_at)));
  const std::string text = ReadAt(packet.Build(), a_at);
  EXPECT_EQ(text, std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') +
                      "." + std::string(61, 'd'));
}

}  // namespace
}  // namespace bouncedx::dns
