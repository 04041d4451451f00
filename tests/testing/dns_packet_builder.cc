// SPDX-License-Identifier: MIT
#include "tests/testing/dns_packet_builder.h"

#include <cstdio>
#include <cstdlib>

#include "core/dns/ip.h"

namespace bouncedx::testing {
namespace {

[[noreturn]] void Die(const char* what, std::string_view detail) {
  std::fprintf(stderr, "dns_packet_builder: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

DnsPacketBuilder& DnsPacketBuilder::AddQuestion(std::string_view wire_name, uint16_t type,
                                                uint16_t rr_class) {
  body_ += wire_name;
  body_ += U16(type);
  body_ += U16(rr_class);
  ++counts_[0];
  return *this;
}

DnsPacketBuilder& DnsPacketBuilder::AddRecord(Section section, std::string_view wire_name,
                                              uint16_t type, uint32_t ttl, std::string_view rdata,
                                              uint16_t rr_class, std::optional<uint16_t> rdlength) {
  body_ += wire_name;
  body_ += U16(type);
  body_ += U16(rr_class);
  body_ += U32(ttl);
  body_ += U16(rdlength ? *rdlength : static_cast<uint16_t>(rdata.size()));
  body_ += rdata;
  ++counts_[1 + static_cast<int>(section)];
  return *this;
}

DnsPacketBuilder& DnsPacketBuilder::AddOpt(uint16_t udp_size, uint8_t extended_rcode,
                                           uint8_t version, bool dnssec_ok,
                                           std::string_view options) {
  const uint32_t ttl = static_cast<uint32_t>(extended_rcode) << 24 |
                       static_cast<uint32_t>(version) << 16 | (dnssec_ok ? 0x8000u : 0u);
  return AddRecord(Section::kAdditional, Name("."), /*type=*/41, ttl, options, udp_size);
}

DnsPacketBuilder& DnsPacketBuilder::AddRaw(std::string_view bytes) {
  body_ += bytes;
  return *this;
}

std::string DnsPacketBuilder::Build() const {
  const DnsHeaderFields& h = header_;
  uint16_t flags = static_cast<uint16_t>(
      (h.qr ? 0x8000 : 0) | (h.opcode & 0xf) << 11 | (h.aa ? 0x0400 : 0) | (h.tc ? 0x0200 : 0) |
      (h.rd ? 0x0100 : 0) | (h.ra ? 0x0080 : 0) | (h.z ? 0x0040 : 0) | (h.ad ? 0x0020 : 0) |
      (h.cd ? 0x0010 : 0) | (h.rcode & 0xf));
  std::string wire = U16(h.id) + U16(flags);
  wire += U16(h.qdcount.value_or(counts_[0]));
  wire += U16(h.ancount.value_or(counts_[1]));
  wire += U16(h.nscount.value_or(counts_[2]));
  wire += U16(h.arcount.value_or(counts_[3]));
  return wire + body_;
}

std::string DnsPacketBuilder::Labels(std::string_view dotted) {
  std::string wire;
  while (!dotted.empty() && dotted != ".") {
    const size_t dot = dotted.find('.');
    const std::string_view label = dotted.substr(0, dot);
    wire += Label(label);
    if (dot == std::string_view::npos) break;
    dotted.remove_prefix(dot + 1);
  }
  return wire;
}

std::string DnsPacketBuilder::Name(std::string_view dotted) {
  return Labels(dotted) + std::string(1, '\0');
}

std::string DnsPacketBuilder::Label(std::string_view bytes) {
  if (bytes.size() > 255) Die("label over 255 bytes cannot be written", bytes.substr(0, 20));
  return std::string(1, static_cast<char>(bytes.size())) + std::string(bytes);
}

std::string DnsPacketBuilder::Pointer(uint16_t offset) {
  return U16(static_cast<uint16_t>(0xC000 | (offset & 0x3FFF)));
}

std::string DnsPacketBuilder::U16(uint16_t value) {
  return std::string{static_cast<char>(value >> 8), static_cast<char>(value & 0xff)};
}

std::string DnsPacketBuilder::U32(uint32_t value) {
  return U16(static_cast<uint16_t>(value >> 16)) + U16(static_cast<uint16_t>(value & 0xffff));
}

std::string DnsPacketBuilder::A(std::string_view dotted_quad) {
  dns::IpAddress ip;
  if (!dns::ParseIpv4(dotted_quad, &ip)) Die("bad IPv4 address", dotted_quad);
  return std::string(ip.bytes.begin(), ip.bytes.begin() + 4);
}

std::string DnsPacketBuilder::Aaaa(std::string_view ipv6) {
  dns::IpAddress ip;
  if (!dns::ParseIpv6(ipv6, &ip)) Die("bad IPv6 address", ipv6);
  return std::string(ip.bytes.begin(), ip.bytes.end());
}

std::string DnsPacketBuilder::Mx(uint16_t preference, std::string_view wire_exchange) {
  return U16(preference) + std::string(wire_exchange);
}

std::string DnsPacketBuilder::Txt(const std::vector<std::string>& strings) {
  std::string rdata;
  for (const std::string& string : strings) rdata += Label(string);
  return rdata;
}

std::string DnsPacketBuilder::Soa(std::string_view wire_mname, std::string_view wire_rname,
                                  uint32_t serial, uint32_t refresh, uint32_t retry,
                                  uint32_t expire, uint32_t minimum) {
  return std::string(wire_mname) + std::string(wire_rname) + U32(serial) + U32(refresh) +
         U32(retry) + U32(expire) + U32(minimum);
}

std::string FromHex(std::string_view hex) {
  std::string bytes;
  int high = -1;
  for (char c : hex) {
    if (c == ' ' || c == '\n' || c == '\t') continue;
    const int value = HexDigit(c);
    if (value < 0) Die("not a hex digit", std::string_view(&c, 1));
    if (high < 0) {
      high = value;
    } else {
      bytes.push_back(static_cast<char>(high << 4 | value));
      high = -1;
    }
  }
  if (high >= 0) Die("odd number of hex digits", hex.substr(0, 40));
  return bytes;
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (!out.empty()) out.push_back(' ');
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
  }
  return out;
}

}  // namespace bouncedx::testing
