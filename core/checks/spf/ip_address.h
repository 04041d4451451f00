// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_SPF_IP_ADDRESS_H_
#define BOUNCEDX_CORE_CHECKS_SPF_IP_ADDRESS_H_

// IP addresses as SPF sees them (RFC 7208 §5.6, §7.3): strict text parsing
// for ip4:/ip6: mechanisms and DNS answers, CIDR matching, and the text forms
// the macros %{i}, %{c} and %{v} and the PTR lookup need.
//
//   std::optional<IpAddress> ip = ParseIpAddress("::ffff:192.0.2.1");
//   ip->is_v4();               // true: a mapped client counts as IPv4 (§5)
//   ip->InNetwork(*ParseIp4("192.0.2.0"), 24);  // true

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bouncedx::spf {

class IpAddress {
 public:
  // The unspecified IPv6 address "::". Copyable value type.
  IpAddress() = default;
  static IpAddress FromV4(const std::array<uint8_t, 4>& octets);
  static IpAddress FromV6(const std::array<uint8_t, 16>& bytes);

  // True for IPv4 addresses (see ParseIpAddress for mapped ones).
  bool is_v4() const { return v4_; }
  // The 4 octets of an IPv4 address, or the 16 bytes of an IPv6 one.
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }

  // True when the first `prefix_bits` bits equal those of `network` and both
  // are of the same family. A prefix longer than the family's width is
  // treated as the full width.
  bool InNetwork(const IpAddress& network, int prefix_bits) const;

  // "192.0.2.1" or RFC 5952 form "2001:db8::1" (lower case, longest zero run
  // compressed). This is %{c}.
  std::string ToText() const;
  // "192.0.2.1", or 32 upper-case nibbles separated by dots ("2.0.0.1.0...")
  // for IPv6. This is %{i} (RFC 7208 §7.3).
  std::string ToMacroText() const;
  // The PTR query name: "1.2.0.192.in-addr.arpa" or the lower-case
  // nibble-reversed name under ip6.arpa.
  std::string ReverseName() const;

  bool operator==(const IpAddress& other) const {
    return v4_ == other.v4_ && bytes_ == other.bytes_;
  }

 private:
  bool v4_ = false;
  std::array<uint8_t, 16> bytes_{};
};

// Parses a dotted quad as RFC 7208's ip4-network: exactly four decimal
// octets 0..255 with no leading zeros and nothing else. Returns nullopt on
// any deviation ("1.2.3", "1.2.3.04", "1.2.3.4 ").
std::optional<IpAddress> ParseIp4(std::string_view text);

// Parses IPv6 text (RFC 4291 §2.2: hex groups, one "::", an optional
// trailing dotted quad) into an IPv6 address, even when it is IPv4-mapped:
// an ip6: network stays IPv6, so it never matches an IPv4 client (§5).
// Returns nullopt on anything else, including zone ids and blanks.
std::optional<IpAddress> ParseIp6(std::string_view text);

// Parses a client address: ParseIp4, else ParseIp6 with an IPv4-mapped
// address turned into the IPv4 address it carries (RFC 7208 §5).
std::optional<IpAddress> ParseIpAddress(std::string_view text);

}  // namespace bouncedx::spf

#endif  // BOUNCEDX_CORE_CHECKS_SPF_IP_ADDRESS_H_
