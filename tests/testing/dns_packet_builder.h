// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_TESTS_TESTING_DNS_PACKET_BUILDER_H_
#define BOUNCEDX_TESTS_TESTING_DNS_PACKET_BUILDER_H_

// Builds DNS messages for tests, honest or hostile. Names and rdata are
// passed as wire bytes made by the static helpers, so a test can put a
// compression pointer, an over-long label or a wrong length anywhere:
//
//   DnsPacketBuilder packet;                          // a response, RD RA set
//   const size_t qname_at = packet.offset();          // 12
//   packet.AddQuestion(DnsPacketBuilder::Name("example.com"), RrType::kMx);
//   packet.AddRecord(Section::kAnswer, DnsPacketBuilder::Pointer(qname_at),
//                    RrType::kMx, 300,
//                    DnsPacketBuilder::Mx(10, DnsPacketBuilder::Labels("mx") +
//                                                 DnsPacketBuilder::Pointer(qname_at)));
//   std::string wire = packet.Build();
//
// Header counts follow what was added unless a test overrides them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bouncedx::testing {

enum class Section { kAnswer, kAuthority, kAdditional };

// The header fields a test may set. Defaults describe an ordinary recursive
// answer: QR, RD and RA set, opcode QUERY, NOERROR, ID 0.
struct DnsHeaderFields {
  uint16_t id = 0;
  bool qr = true;
  uint8_t opcode = 0;
  bool aa = false;
  bool tc = false;
  bool rd = true;
  bool ra = true;
  bool z = false;
  bool ad = false;
  bool cd = false;
  uint8_t rcode = 0;  // the four header bits only
  // When set, written instead of the number of entries actually added.
  std::optional<uint16_t> qdcount;
  std::optional<uint16_t> ancount;
  std::optional<uint16_t> nscount;
  std::optional<uint16_t> arcount;
};

class DnsPacketBuilder {
 public:
  DnsPacketBuilder() = default;
  explicit DnsPacketBuilder(const DnsHeaderFields& header) : header_(header) {}
  // Copyable, so a test can build variants of one base message.
  DnsPacketBuilder(const DnsPacketBuilder&) = default;
  DnsPacketBuilder& operator=(const DnsPacketBuilder&) = default;

  DnsHeaderFields& header() { return header_; }

  // Offset in the final message where the next added byte will sit; take it
  // before adding a name to point at that name later.
  size_t offset() const { return 12 + body_.size(); }

  DnsPacketBuilder& AddQuestion(std::string_view wire_name, uint16_t type, uint16_t rr_class = 1);
  // Appends a record; RDLENGTH is rdata.size() unless `rdlength` is given.
  DnsPacketBuilder& AddRecord(Section section, std::string_view wire_name, uint16_t type,
                              uint32_t ttl, std::string_view rdata, uint16_t rr_class = 1,
                              std::optional<uint16_t> rdlength = std::nullopt);
  // Appends an OPT record to the additional section (RFC 6891 §6.1.2).
  DnsPacketBuilder& AddOpt(uint16_t udp_size = 1232, uint8_t extended_rcode = 0,
                           uint8_t version = 0, bool dnssec_ok = false,
                           std::string_view options = {});
  // Appends bytes to the body without counting anything.
  DnsPacketBuilder& AddRaw(std::string_view bytes);

  // The whole message: header, then everything added in order.
  std::string Build() const;

  // Wire helpers. Name() splits on '.' with no escapes ("" and "." give the
  // root); Labels() is the same without the root octet, to be followed by a
  // Pointer(). Label() is one length-prefixed label of any bytes, even over
  // 63 of them.
  static std::string Name(std::string_view dotted);
  static std::string Labels(std::string_view dotted);
  static std::string Label(std::string_view bytes);
  static std::string Pointer(uint16_t offset);
  static std::string U16(uint16_t value);
  static std::string U32(uint32_t value);

  // Rdata helpers. A() and Aaaa() take address text and abort the test
  // binary on a typo (they are test code).
  static std::string A(std::string_view dotted_quad);
  static std::string Aaaa(std::string_view ipv6);
  static std::string Mx(uint16_t preference, std::string_view wire_exchange);
  static std::string Txt(const std::vector<std::string>& strings);
  static std::string Soa(std::string_view wire_mname, std::string_view wire_rname, uint32_t serial,
                         uint32_t refresh, uint32_t retry, uint32_t expire, uint32_t minimum);

 private:
  DnsHeaderFields header_;
  std::string body_;
  uint16_t counts_[4] = {0, 0, 0, 0};  // question, answer, authority, additional
};

// "00 01 0a" or "00010a" (spaces, newlines ignored) -> bytes; aborts on a
// stray character, so a typo in a golden string fails loudly.
std::string FromHex(std::string_view hex);
// Bytes -> "00 01 0a ..." for readable failure messages.
std::string ToHex(std::string_view bytes);

}  // namespace bouncedx::testing

#endif  // BOUNCEDX_TESTS_TESTING_DNS_PACKET_BUILDER_H_
