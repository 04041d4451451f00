// SPDX-License-Identifier: MIT
#include "core/base/base64.h"

#include <cstdint>
#include <cstdio>

#include "core/base/byte_reader.h"
#include "core/base/text.h"

namespace bouncedx {
namespace {

constexpr char kUrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// The 6-bit value of `c` in either alphabet, or -1.
int SextetOf(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// "base64: <what> at offset <offset>"; `what` is a fixed phrase, never input.
Status Malformed(const char* what, size_t offset) {
  char message[96];
  std::snprintf(message, sizeof(message), "base64: %s at offset %zu", what, offset);
  return Status(StatusCode::kMalformed, message);
}

Status UnexpectedByte(uint8_t byte, size_t offset) {
  char message[96];
  std::snprintf(message, sizeof(message), "base64: unexpected byte 0x%02x at offset %zu",
                static_cast<unsigned>(byte), offset);
  return Status(StatusCode::kMalformed, message);
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  ByteReader reader(bytes);
  while (!reader.AtEnd()) {
    // Up to three bytes form one 24-bit group, written as 2..4 characters.
    uint32_t group = 0;
    size_t taken = 0;
    for (; taken < 3; ++taken) {
      uint8_t byte = 0;
      if (!reader.ReadU8(&byte)) break;
      group |= static_cast<uint32_t>(byte) << (16 - 8 * taken);
    }
    const size_t chars = taken + 1;
    for (size_t i = 0; i < chars; ++i) {
      out.push_back(kUrlAlphabet[(group >> (18 - 6 * i)) & 0x3f]);
    }
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  ByteReader reader(text);
  uint32_t group = 0;     // sextets of the current group, high bits first
  int in_group = 0;       // sextets read into `group` (0..3)
  int padding_left = -1;  // '=' still expected; -1 before any padding
  while (!reader.AtEnd()) {
    const size_t offset = reader.position();
    uint8_t byte = 0;
    if (!reader.ReadU8(&byte)) break;
    const char c = static_cast<char>(byte);
    if (IsSpace(c)) continue;
    if (c == '=') {
      if (padding_left < 0) {
        // Padding may only follow two or three characters of a group.
        if (in_group < 2) return Malformed("padding too early", offset);
        padding_left = 4 - in_group;
      }
      if (padding_left == 0) return Malformed("too much padding", offset);
      --padding_left;
      continue;
    }
    if (padding_left >= 0) return Malformed("data after padding", offset);
    const int sextet = SextetOf(c);
    if (sextet < 0) return UnexpectedByte(byte, offset);
    group = (group << 6) | static_cast<uint32_t>(sextet);
    if (++in_group == 4) {
      out.push_back(static_cast<char>((group >> 16) & 0xff));
      out.push_back(static_cast<char>((group >> 8) & 0xff));
      out.push_back(static_cast<char>(group & 0xff));
      group = 0;
      in_group = 0;
    }
  }
  if (padding_left > 0) {
    return Status(StatusCode::kMalformed, "base64: padding ends before the group is complete");
  }
  if (in_group == 1) {
    return Status(StatusCode::kMalformed,
                  "base64: last group has a single character, which encodes no byte");
  }
  if (in_group == 2) {
    out.push_back(static_cast<char>((group >> 4) & 0xff));
  } else if (in_group == 3) {
    out.push_back(static_cast<char>((group >> 10) & 0xff));
    out.push_back(static_cast<char>((group >> 2) & 0xff));
  }
  return out;
}

}  // namespace bouncedx
