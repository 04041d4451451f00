// SPDX-License-Identifier: MIT
#include "core/checks/spf/ip_address.h"

#include <cstddef>

#include "core/dns/ip.h"

namespace bouncedx::spf {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

bool IsMapped(const std::array<uint8_t, 16>& bytes) {
  for (size_t i = 0; i < 10; ++i) {
    if (bytes[i] != 0) return false;
  }
  return bytes[10] == 0xff && bytes[11] == 0xff;
}

// The same address in the DNS layer's type, which parses, formats and
// reverses addresses for the whole core.
dns::IpAddress ToDns(const IpAddress& address) {
  dns::IpAddress out;
  out.family = address.is_v4() ? dns::IpFamily::kV4 : dns::IpFamily::kV6;
  out.bytes = address.bytes();
  return out;
}

}  // namespace

IpAddress IpAddress::FromV4(const std::array<uint8_t, 4>& octets) {
  IpAddress address;
  address.v4_ = true;
  for (size_t i = 0; i < 4; ++i) address.bytes_[i] = octets[i];
  return address;
}

IpAddress IpAddress::FromV6(const std::array<uint8_t, 16>& bytes) {
  IpAddress address;
  address.bytes_ = bytes;
  return address;
}

bool IpAddress::InNetwork(const IpAddress& network, int prefix_bits) const {
  if (v4_ != network.v4_) return false;
  int width = v4_ ? 32 : 128;
  int bits = prefix_bits < 0 ? 0 : (prefix_bits > width ? width : prefix_bits);
  size_t index = 0;
  for (; bits >= 8; bits -= 8, ++index) {
    if (bytes_[index] != network.bytes_[index]) return false;
  }
  if (bits == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - bits));
  return (bytes_[index] & mask) == (network.bytes_[index] & mask);
}

std::string IpAddress::ToText() const { return dns::FormatIp(ToDns(*this)); }

std::string IpAddress::ToMacroText() const {
  if (v4_) return ToText();
  std::string text;
  for (size_t i = 0; i < 16; ++i) {
    if (i > 0) text += '.';
    text += kHexUpper[bytes_[i] >> 4];
    text += '.';
    text += kHexUpper[bytes_[i] & 0xf];
  }
  return text;
}

std::string IpAddress::ReverseName() const { return dns::ReverseName(ToDns(*this)); }

std::optional<IpAddress> ParseIp4(std::string_view text) {
  dns::IpAddress parsed;
  if (!dns::ParseIpv4(text, &parsed)) return std::nullopt;
  return IpAddress::FromV4({parsed.bytes[0], parsed.bytes[1], parsed.bytes[2], parsed.bytes[3]});
}

std::optional<IpAddress> ParseIp6(std::string_view text) {
  dns::IpAddress parsed;
  if (!dns::ParseIpv6(text, &parsed)) return std::nullopt;
  return IpAddress::FromV6(parsed.bytes);
}

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  if (std::optional<IpAddress> v4 = ParseIp4(text)) return v4;
  std::optional<IpAddress> v6 = ParseIp6(text);
  if (!v6) return std::nullopt;
  if (IsMapped(v6->bytes())) {
    const std::array<uint8_t, 16>& bytes = v6->bytes();
    return IpAddress::FromV4({bytes[12], bytes[13], bytes[14], bytes[15]});
  }
  return v6;
}

}  // namespace bouncedx::spf
