// SPDX-License-Identifier: MIT
#include "core/checks/spf/ip_address.h"

#include <cstddef>

#include "core/base/byte_reader.h"
#include "core/base/text.h"

namespace bouncedx::spf {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";
constexpr char kHexLower[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads one dec-octet of RFC 7208's ABNF: 0..255 without leading zeros.
bool ReadDecOctet(ByteReader& reader, uint8_t* out) {
  std::string_view digits = reader.ReadWhile(IsDigit);
  if (digits.empty() || digits.size() > 3) return false;
  if (digits.size() > 1 && digits[0] == '0') return false;
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  if (value > 255) return false;
  *out = static_cast<uint8_t>(value);
  return true;
}

bool ReadDottedQuad(ByteReader& reader, std::array<uint8_t, 4>* out) {
  for (size_t i = 0; i < 4; ++i) {
    if (i > 0 && !reader.Consume('.')) return false;
    if (!ReadDecOctet(reader, &(*out)[i])) return false;
  }
  return true;
}

bool IsMapped(const std::array<uint8_t, 16>& bytes) {
  for (size_t i = 0; i < 10; ++i) {
    if (bytes[i] != 0) return false;
  }
  return bytes[10] == 0xff && bytes[11] == 0xff;
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

std::string IpAddress::ToText() const {
  std::string text;
  if (v4_) {
    for (size_t i = 0; i < 4; ++i) {
      if (i > 0) text += '.';
      text += std::to_string(bytes_[i]);
    }
    return text;
  }
  uint16_t groups[8];
  for (size_t i = 0; i < 8; ++i) {
    groups[i] = static_cast<uint16_t>((bytes_[2 * i] << 8) | bytes_[2 * i + 1]);
  }
  // RFC 5952 §4.2: compress the longest run of two or more zero groups, the
  // first one on a tie.
  int best_start = -1;
  int best_length = 1;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int start = i;
    while (i < 8 && groups[i] == 0) ++i;
    if (i - start > best_length) {
      best_start = start;
      best_length = i - start;
    }
  }
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      text += "::";
      i += best_length - 1;
      continue;
    }
    if (!text.empty() && text.back() != ':') text += ':';
    char buffer[5];
    int length = 0;
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      int nibble = (groups[i] >> shift) & 0xf;
      if (nibble == 0 && !started && shift > 0) continue;
      started = true;
      buffer[length++] = kHexLower[nibble];
    }
    text.append(buffer, static_cast<size_t>(length));
  }
  return text;
}

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

std::string IpAddress::ReverseName() const {
  std::string name;
  if (v4_) {
    for (size_t i = 4; i > 0; --i) {
      name += std::to_string(bytes_[i - 1]);
      name += '.';
    }
    return name + "in-addr.arpa";
  }
  for (size_t i = 16; i > 0; --i) {
    name += kHexLower[bytes_[i - 1] & 0xf];
    name += '.';
    name += kHexLower[bytes_[i - 1] >> 4];
    name += '.';
  }
  return name + "ip6.arpa";
}

std::optional<IpAddress> ParseIp4(std::string_view text) {
  ByteReader reader(text);
  std::array<uint8_t, 4> octets{};
  if (!ReadDottedQuad(reader, &octets) || !reader.AtEnd()) return std::nullopt;
  return IpAddress::FromV4(octets);
}

std::optional<IpAddress> ParseIp6(std::string_view text) {
  // Groups before and after the "::", each at most 8 (a dotted quad counts
  // as two groups).
  uint16_t head[8];
  uint16_t tail[8];
  size_t head_count = 0;
  size_t tail_count = 0;
  bool compressed = false;
  ByteReader reader(text);
  if (reader.ConsumeCaseless("::")) {
    compressed = true;
    if (reader.AtEnd()) return IpAddress::FromV6({});
  }
  for (;;) {
    uint16_t* groups = compressed ? tail : head;
    size_t& count = compressed ? tail_count : head_count;
    if (head_count + tail_count >= 8) return std::nullopt;
    // A dotted quad may end the address in place of two groups.
    ByteReader quad_reader = reader;
    std::array<uint8_t, 4> quad{};
    if (ReadDottedQuad(quad_reader, &quad) && quad_reader.AtEnd()) {
      if (head_count + tail_count + 2 > 8) return std::nullopt;
      groups[count++] = static_cast<uint16_t>((quad[0] << 8) | quad[1]);
      groups[count++] = static_cast<uint16_t>((quad[2] << 8) | quad[3]);
      reader = quad_reader;
      break;
    }
    std::string_view hex = reader.ReadWhile([](char c) { return HexValue(c) >= 0; });
    if (hex.empty() || hex.size() > 4) return std::nullopt;
    uint16_t value = 0;
    for (char c : hex) value = static_cast<uint16_t>((value << 4) | HexValue(c));
    groups[count++] = value;
    if (reader.AtEnd()) break;
    if (!reader.Consume(':')) return std::nullopt;
    if (reader.Consume(':')) {
      if (compressed) return std::nullopt;  // a second "::"
      compressed = true;
      if (reader.AtEnd()) break;
    } else if (reader.AtEnd()) {
      return std::nullopt;  // a trailing single ':'
    }
  }
  if (!reader.AtEnd()) return std::nullopt;
  size_t total = head_count + tail_count;
  if (compressed ? total > 7 : total != 8) return std::nullopt;
  std::array<uint8_t, 16> bytes{};
  for (size_t i = 0; i < head_count; ++i) {
    bytes[2 * i] = static_cast<uint8_t>(head[i] >> 8);
    bytes[2 * i + 1] = static_cast<uint8_t>(head[i] & 0xff);
  }
  for (size_t i = 0; i < tail_count; ++i) {
    size_t group = 8 - tail_count + i;
    bytes[2 * group] = static_cast<uint8_t>(tail[i] >> 8);
    bytes[2 * group + 1] = static_cast<uint8_t>(tail[i] & 0xff);
  }
  return IpAddress::FromV6(bytes);
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
