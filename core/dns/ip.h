// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_DNS_IP_H_
#define BOUNCEDX_CORE_DNS_IP_H_

// IP addresses as the engine meets them: parsed from text found in bounces
// and headers, printed canonically, turned into reverse-lookup names, and
// classified so that a private or documentation address is never reported as
// "the sending IP the recipient saw".
//
//   IpAddress ip;
//   if (ParseIp("2001:db8::1", &ip)) {
//     std::string ptr_name = ReverseName(ip);     // "1.0.0...8.b.d.0.1.0.0.2.ip6.arpa"
//     bool usable = ClassifyIp(ip) == IpScope::kPublic;
//   }

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/status.h"

namespace bouncedx::dns {

enum class IpFamily { kNone, kV4, kV6 };

// An IPv4 or IPv6 address. For kV4 only bytes[0..3] are used (and the rest
// stay zero, so two equal addresses compare equal with ==).
struct IpAddress {
  IpFamily family = IpFamily::kNone;
  std::array<uint8_t, 16> bytes{};

  bool operator==(const IpAddress& other) const {
    return family == other.family && bytes == other.bytes;
  }
  bool operator!=(const IpAddress& other) const { return !(*this == other); }
};

// Parses a dotted quad strictly: exactly four decimal parts 0..255, no sign,
// no leading zeros ("010" is refused: some parsers read it as octal), no
// spaces. Returns false and leaves *out alone on anything else.
bool ParseIpv4(std::string_view text, IpAddress* out);

// Parses an IPv6 address (RFC 4291 §2.2): eight groups of 1..4 hex digits,
// one "::" at most, an optional dotted quad in place of the last two groups.
// Zone indexes ("%eth0"), brackets and prefixes are refused.
bool ParseIpv6(std::string_view text, IpAddress* out);

// Either of the above.
bool ParseIp(std::string_view text, IpAddress* out);

// Canonical text: dotted quad, or RFC 5952 for IPv6 (lower case, no leading
// zeros, the longest run of two or more zero groups, first on a tie, as
// "::", and IPv4-mapped addresses as "::ffff:192.0.2.1"). "" for kNone.
std::string FormatIp(const IpAddress& ip);

// The reverse-lookup name, no trailing dot: "5.113.0.203.in-addr.arpa", or
// 32 nibbles then "ip6.arpa" for IPv6. "" for kNone.
std::string ReverseName(const IpAddress& ip);
// Parses `ip_text` with ParseIp() first; kMalformed if it is not an address.
Result<std::string> ReverseName(std::string_view ip_text);

// Where an address may be routed. Anything but kPublic can never be the
// address a remote server saw a message come from.
enum class IpScope {
  kPublic,
  kUnspecified,    // 0.0.0.0, ::
  kLoopback,       // 127.0.0.0/8, ::1
  kPrivate,        // RFC 1918, fc00::/7 unique local, fec0::/10 old site-local
  kSharedAddress,  // 100.64.0.0/10 carrier-grade NAT (RFC 6598)
  kLinkLocal,      // 169.254.0.0/16, fe80::/10
  kDocumentation,  // 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20
  kMulticast,      // 224.0.0.0/4, ff00::/8
  kReserved,       // everything else not globally routable (240/4, 198.18/15,
                   // 192.0.0/24, 0/8, broadcast, IPv6 outside 2000::/3 ...)
};

// Classifies by the IANA special-purpose registries (RFC 6890 and updates).
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are classified as their IPv4
// address. kReserved for kNone.
IpScope ClassifyIp(const IpAddress& ip);

// "public", "private", "loopback", "link_local", "documentation" ...
const char* IpScopeName(IpScope scope);

}  // namespace bouncedx::dns

#endif  // BOUNCEDX_CORE_DNS_IP_H_
