// SPDX-License-Identifier: MIT
#include "core/dns/ip.h"

#include <initializer_list>
#include <vector>

#include "core/base/byte_reader.h"
#include "core/base/text.h"

namespace bouncedx::dns {
namespace {

bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

constexpr char kHex[] = "0123456789abcdef";

// The IPv4 address held by an IPv4-mapped IPv6 address (::ffff:a.b.c.d).
bool MappedIpv4(const IpAddress& ip, IpAddress* v4) {
  if (ip.family != IpFamily::kV6) return false;
  for (int i = 0; i < 10; ++i) {
    if (ip.bytes[i] != 0) return false;
  }
  if (ip.bytes[10] != 0xff || ip.bytes[11] != 0xff) return false;
  v4->family = IpFamily::kV4;
  v4->bytes = {};
  for (int i = 0; i < 4; ++i) v4->bytes[i] = ip.bytes[12 + i];
  return true;
}

std::string FormatIpv4Bytes(const uint8_t* bytes) {
  std::string text;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) text.push_back('.');
    text += std::to_string(bytes[i]);
  }
  return text;
}

// True when the first `bits` bits of `bytes` equal those of `prefix`.
bool HasPrefix(const std::array<uint8_t, 16>& bytes, std::initializer_list<uint8_t> prefix,
               int bits) {
  int index = 0;
  for (uint8_t want : prefix) {
    if (bits <= 0) break;
    const int take = bits >= 8 ? 8 : bits;
    const uint8_t mask = static_cast<uint8_t>(0xff << (8 - take));
    if ((bytes[index] & mask) != (want & mask)) return false;
    bits -= take;
    ++index;
  }
  return true;
}

IpScope ClassifyIpv4(const IpAddress& ip) {
  const auto& b = ip.bytes;
  if (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) return IpScope::kUnspecified;
  if (HasPrefix(b, {0}, 8)) return IpScope::kReserved;
  if (HasPrefix(b, {10}, 8) || HasPrefix(b, {172, 16}, 12) || HasPrefix(b, {192, 168}, 16)) {
    return IpScope::kPrivate;
  }
  if (HasPrefix(b, {100, 64}, 10)) return IpScope::kSharedAddress;
  if (HasPrefix(b, {127}, 8)) return IpScope::kLoopback;
  if (HasPrefix(b, {169, 254}, 16)) return IpScope::kLinkLocal;
  if (HasPrefix(b, {192, 0, 2}, 24) || HasPrefix(b, {198, 51, 100}, 24) ||
      HasPrefix(b, {203, 0, 113}, 24)) {
    return IpScope::kDocumentation;
  }
  if (HasPrefix(b, {192, 0, 0}, 24) || HasPrefix(b, {198, 18}, 15)) return IpScope::kReserved;
  if (HasPrefix(b, {224}, 4)) return IpScope::kMulticast;
  if (HasPrefix(b, {240}, 4)) return IpScope::kReserved;  // includes 255.255.255.255
  return IpScope::kPublic;
}

IpScope ClassifyIpv6(const IpAddress& ip) {
  IpAddress v4;
  if (MappedIpv4(ip, &v4)) return ClassifyIpv4(v4);
  const auto& b = ip.bytes;
  bool all_zero_but_last = true;
  for (int i = 0; i < 15; ++i) {
    if (b[i] != 0) all_zero_but_last = false;
  }
  if (all_zero_but_last && b[15] == 0) return IpScope::kUnspecified;
  if (all_zero_but_last && b[15] == 1) return IpScope::kLoopback;
  if (HasPrefix(b, {0xfc}, 7) || HasPrefix(b, {0xfe, 0xc0}, 10)) return IpScope::kPrivate;
  if (HasPrefix(b, {0xfe, 0x80}, 10)) return IpScope::kLinkLocal;
  if (HasPrefix(b, {0xff}, 8)) return IpScope::kMulticast;
  if (HasPrefix(b, {0x20, 0x01, 0x0d, 0xb8}, 32) || HasPrefix(b, {0x3f, 0xff}, 20)) {
    return IpScope::kDocumentation;
  }
  // IETF protocol assignments (2001::/23: Teredo, ORCHID, benchmarking ...).
  if (HasPrefix(b, {0x20, 0x01, 0x00}, 23)) return IpScope::kReserved;
  // Global unicast is 2000::/3; the rest of the space is not routed.
  if (!HasPrefix(b, {0x20}, 3)) return IpScope::kReserved;
  return IpScope::kPublic;
}

}  // namespace

bool ParseIpv4(std::string_view text, IpAddress* out) {
  ByteReader reader(text);
  IpAddress ip;
  ip.family = IpFamily::kV4;
  for (int part = 0; part < 4; ++part) {
    if (part > 0 && !reader.Consume('.')) return false;
    const size_t start = reader.position();
    int value = 0;
    if (!reader.ReadNumber(/*max_digits=*/3, &value) || value > 255) return false;
    if (reader.position() - start > 1 && text[start] == '0') return false;  // "01"
    ip.bytes[part] = static_cast<uint8_t>(value);
  }
  if (!reader.AtEnd()) return false;
  *out = ip;
  return true;
}

bool ParseIpv6(std::string_view text, IpAddress* out) {
  ByteReader reader(text);
  std::vector<uint16_t> groups;
  int gap = -1;  // index in `groups` where "::" stands
  if (reader.ConsumeCaseless("::")) {
    gap = 0;
  } else if (reader.PeekIs(':')) {
    return false;
  }
  while (!reader.AtEnd()) {
    if (groups.size() >= 8) return false;
    // An embedded dotted quad may stand in place of the last two groups.
    ByteReader ahead = reader;
    ahead.ReadWhile(IsDigit);
    if (ahead.PeekIs('.')) {
      IpAddress v4;
      if (groups.size() > 6 || !ParseIpv4(reader.Rest(), &v4)) return false;
      groups.push_back(static_cast<uint16_t>(v4.bytes[0] << 8 | v4.bytes[1]));
      groups.push_back(static_cast<uint16_t>(v4.bytes[2] << 8 | v4.bytes[3]));
      reader.Skip(reader.remaining());
      break;
    }
    std::string_view digits = reader.ReadWhile(IsHexDigit);
    if (digits.empty() || digits.size() > 4) return false;
    uint16_t group = 0;
    for (char c : digits) group = static_cast<uint16_t>(group << 4 | HexValue(c));
    groups.push_back(group);
    if (reader.AtEnd()) break;
    if (!reader.Consume(':')) return false;
    if (reader.Consume(':')) {
      if (gap >= 0) return false;
      gap = static_cast<int>(groups.size());
    } else if (reader.AtEnd()) {
      return false;  // "1:2:"
    }
  }
  if (gap >= 0 ? groups.size() > 7 : groups.size() != 8) return false;
  IpAddress ip;
  ip.family = IpFamily::kV6;
  const size_t missing = 8 - groups.size();
  size_t slot = 0;
  for (size_t i = 0; i <= groups.size(); ++i) {
    if (static_cast<int>(i) == gap) slot += missing;
    if (i == groups.size()) break;
    ip.bytes[2 * slot] = static_cast<uint8_t>(groups[i] >> 8);
    ip.bytes[2 * slot + 1] = static_cast<uint8_t>(groups[i] & 0xff);
    ++slot;
  }
  *out = ip;
  return true;
}

bool ParseIp(std::string_view text, IpAddress* out) {
  // Both forms hold only hex digits, colons and dots: a quick no for the
  // host names and words most callers try first.
  for (char c : text) {
    if (!IsHexDigit(c) && c != ':' && c != '.') return false;
  }
  return ParseIpv4(text, out) || ParseIpv6(text, out);
}

std::string FormatIp(const IpAddress& ip) {
  if (ip.family == IpFamily::kV4) return FormatIpv4Bytes(ip.bytes.data());
  if (ip.family != IpFamily::kV6) return "";
  IpAddress v4;
  if (MappedIpv4(ip, &v4)) return "::ffff:" + FormatIpv4Bytes(v4.bytes.data());
  uint16_t groups[8];
  for (int i = 0; i < 8; ++i) {
    groups[i] = static_cast<uint16_t>(ip.bytes[2 * i] << 8 | ip.bytes[2 * i + 1]);
  }
  // RFC 5952 §4.2: the longest run of zero groups, at least two long, the
  // first one on a tie.
  int best_start = -1;
  int best_length = 1;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_length) {
      best_start = i;
      best_length = j - i;
    }
    i = j;
  }
  std::string text;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      text += "::";
      i += best_length - 1;
      continue;
    }
    if (!text.empty() && text.back() != ':') text.push_back(':');
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const int nibble = (groups[i] >> shift) & 0xf;
      if (nibble != 0 || started || shift == 0) {
        text.push_back(kHex[nibble]);
        started = true;
      }
    }
  }
  return text;
}

std::string ReverseName(const IpAddress& ip) {
  std::string name;
  if (ip.family == IpFamily::kV4) {
    for (int i = 3; i >= 0; --i) {
      name += std::to_string(ip.bytes[i]);
      name.push_back('.');
    }
    return name + "in-addr.arpa";
  }
  if (ip.family != IpFamily::kV6) return "";
  for (int i = 15; i >= 0; --i) {
    name.push_back(kHex[ip.bytes[i] & 0xf]);
    name.push_back('.');
    name.push_back(kHex[ip.bytes[i] >> 4]);
    name.push_back('.');
  }
  return name + "ip6.arpa";
}

Result<std::string> ReverseName(std::string_view ip_text) {
  IpAddress ip;
  if (!ParseIp(ip_text, &ip)) {
    return Status(StatusCode::kMalformed,
                  "ip: \"" + Printable(ip_text, 64) + "\" is not an IP address");
  }
  return ReverseName(ip);
}

IpScope ClassifyIp(const IpAddress& ip) {
  switch (ip.family) {
    case IpFamily::kV4:
      return ClassifyIpv4(ip);
    case IpFamily::kV6:
      return ClassifyIpv6(ip);
    case IpFamily::kNone:
      break;
  }
  return IpScope::kReserved;
}

const char* IpScopeName(IpScope scope) {
  switch (scope) {
    case IpScope::kPublic:
      return "public";
    case IpScope::kUnspecified:
      return "unspecified";
    case IpScope::kLoopback:
      return "loopback";
    case IpScope::kPrivate:
      return "private";
    case IpScope::kSharedAddress:
      return "shared_address";
    case IpScope::kLinkLocal:
      return "link_local";
    case IpScope::kDocumentation:
      return "documentation";
    case IpScope::kMulticast:
      return "multicast";
    case IpScope::kReserved:
      return "reserved";
  }
  return "reserved";
}

}  // namespace bouncedx::dns
