// SPDX-License-Identifier: MIT
#include "core/base/text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

namespace bouncedx {
namespace {

using namespace std::string_literals;

TEST(Printable, KeepsTextReplacesControlsAndCutsOnCharacters) {
  struct Case {
    const char* name;
    std::string text;
    size_t max_bytes;
    bool keep_newlines;
    std::string expected;
  };
  const Case cases[] = {
      {"ascii", "550 5.1.1 user unknown", 200, false, "550 5.1.1 user unknown"},
      {"controls become spaces", "a\tb\nc\x01" "d\x7f", 200, false, "a b c d "},
      {"newlines kept when asked", "a\nb\r\n", 200, true, "a\nb \n"},
      {"invalid byte", "a\xFF" "b", 200, false, "a\xEF\xBF\xBD" "b"},
      {"c1 control", "a\xC2\x85" "b", 200, false, "a b"},
      {"utf-8 kept", "\xC3\xA9t\xC3\xA9", 200, false, "\xC3\xA9t\xC3\xA9"},
      {"cut in ascii", "abcdef", 4, false, "abcd\xE2\x80\xA6"},
      {"exact fit", "abcd", 4, false, "abcd"},
      {"cut before a sequence", "ab\xC3\xA9", 3, false, "ab\xE2\x80\xA6"},
      {"empty", "", 0, false, ""},
      {"nothing fits", "a", 0, false, "\xE2\x80\xA6"},
      // Long runs are measured eight bytes at a time.
      {"long run cut inside a word", "abcdefghijklmnopqrstuvwxyz", 13, false,
       "abcdefghijklm\xE2\x80\xA6"},
      {"long run exact fit", "abcdefghijklmnopqrstuvwxyz", 26, false, "abcdefghijklmnopqrstuvwxyz"},
      {"del and utf-8 inside long runs", "abcdefghij\x7Fklmnopq\xC3\xA9rstuvwxyz01234567", 200, false,
       "abcdefghij klmnopq\xC3\xA9rstuvwxyz01234567"},
      {"tab inside a long run", "abcdefgh\tijklmnop", 200, false, "abcdefgh ijklmnop"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Printable(c.text, c.max_bytes, c.keep_newlines), c.expected);
  }
}

TEST(IsValidUtf8, AcceptsRfc3629AndRejectsTheRest) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii\n"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xF0\x9F\x93\xA7"));
  EXPECT_FALSE(IsValidUtf8("caf\xC3"));           // cut sequence
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("ascii then \x80"));   // stray continuation byte
}

TEST(ValidUtf8Length, StopsAtTheFirstByteThatBeginsNoValidSequence) {
  EXPECT_EQ(ValidUtf8Length(""), 0u);
  EXPECT_EQ(ValidUtf8Length("plain ascii, longer than a word"), 31u);
  EXPECT_EQ(ValidUtf8Length("caf\xC3\xA9 \xF0\x9F\x93\xA7"), 10u);
  EXPECT_EQ(ValidUtf8Length("caf\xC3"), 3u);                       // cut sequence
  EXPECT_EQ(ValidUtf8Length("eight by\xED\xA0\x80 tail"), 8u);     // surrogate after a word
  EXPECT_EQ(ValidUtf8Length("\x80"), 0u);
}

// RFC 3629 by its definition: decode the code point, then refuse overlong
// forms, surrogates and code points past U+10FFFF.
size_t ReferenceSequenceLength(std::string_view text) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  size_t need = 0;
  unsigned cp = 0;
  unsigned min_cp = 0;
  if ((c & 0xE0) == 0xC0) {
    need = 1, cp = c & 0x1Fu, min_cp = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    need = 2, cp = c & 0x0Fu, min_cp = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    need = 3, cp = c & 0x07u, min_cp = 0x10000;
  } else {
    return 0;
  }
  if (need >= text.size()) return 0;
  for (size_t k = 1; k <= need; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(k) & 0x3Fu);
  }
  if (cp < min_cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return need + 1;
}

// A key for the first `length` (1-3) bytes of `bytes`.
uint32_t PrefixKey(const unsigned char* bytes, size_t length) {
  uint32_t key = static_cast<uint32_t>(length) << 24;
  for (size_t k = 0; k < length; ++k) key |= static_cast<uint32_t>(bytes[k]) << (8 * (2 - k));
  return key;
}

TEST(Utf8SequenceLength, AgreesWithTheDefinitionAndNamesTheMaximalSubpart) {
  // Every proper prefix of every valid multi-byte sequence.
  std::unordered_set<uint32_t> prefixes;
  for (uint32_t cp = 0x80; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    unsigned char b[4];
    size_t n = 0;
    if (cp < 0x800) {
      b[0] = static_cast<unsigned char>(0xC0 | (cp >> 6)), n = 2;
    } else if (cp < 0x10000) {
      b[0] = static_cast<unsigned char>(0xE0 | (cp >> 12)), n = 3;
    } else {
      b[0] = static_cast<unsigned char>(0xF0 | (cp >> 18)), n = 4;
    }
    for (size_t k = 1; k < n; ++k) {
      b[k] = static_cast<unsigned char>(0x80 | ((cp >> (6 * (n - 1 - k))) & 0x3F));
    }
    for (size_t k = 1; k < n; ++k) prefixes.insert(PrefixKey(b, k));
  }
  // Every lead and second byte; for three- and four-byte leads, later bytes
  // at the edges of the continuation range and outside it; cut at every
  // length.
  const unsigned char tails[] = {0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xFF};
  for (int a = 0; a < 256; ++a) {
    const size_t tail_count = a >= 0xE0 ? sizeof tails : 1;
    for (int b = 0; b < 256; ++b) {
      for (size_t ci = 0; ci < tail_count; ++ci) {
        for (size_t di = 0; di < tail_count; ++di) {
          const unsigned char full[4] = {static_cast<unsigned char>(a),
                                         static_cast<unsigned char>(b), tails[ci], tails[di]};
          for (size_t cut = 1; cut <= 4; ++cut) {
            const std::string_view text(reinterpret_cast<const char*>(full), cut);
            size_t ill_formed = 99;
            const size_t length = Utf8SequenceLength(text, 0, &ill_formed);
            ASSERT_EQ(length, ReferenceSequenceLength(text)) << a << " " << b << " " << cut;
            if (length != 0) continue;
            // One replacement stands for the longest prefix that a valid
            // sequence begins with, or the lead byte alone.
            size_t longest = 1;
            for (size_t k = 1; k <= std::min<size_t>(cut, 3); ++k) {
              if (prefixes.count(PrefixKey(full, k)) != 0) longest = k;
            }
            ASSERT_EQ(ill_formed, longest) << a << " " << b << " " << ci << " " << di << " " << cut;
          }
        }
      }
    }
  }
}

// Counted eight bytes at a time; the count must equal a byte-by-byte one
// whatever the bytes and wherever they stand (each length from 0 to 40
// puts the tail in every position).
TEST(ControlByteCount, CountsStrayControlsOnly) {
  EXPECT_EQ(ControlByteCount(""), 0u);
  EXPECT_EQ(ControlByteCount("text\twith\r\nbreaks\f\x1B[0m"), 0u);
  EXPECT_EQ(ControlByteCount("\x01\x02" "abc\x00\x7F\x1F\x0B\xFF"s), 5u);
  uint32_t state = 7;
  size_t total = 0;
  for (size_t length = 0; length <= 40; ++length) {
    std::string sample;
    size_t expected = 0;
    for (size_t i = 0; i < length; ++i) {
      state = state * 1103515245u + 12345u;
      const unsigned char c = static_cast<unsigned char>((state >> 16) % 3 == 0 ? (state >> 8) % 0x22 : 'a');
      sample.push_back(static_cast<char>(c));
      expected += c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r' && c != 0x1B;
    }
    SCOPED_TRACE(length);
    EXPECT_EQ(ControlByteCount(sample), expected);
    total += expected;
  }
  EXPECT_GT(total, 100u);
}

// Longer samples (read sixteen bytes at a time where the host allows),
// every byte value included, and one long enough that a count per lane
// passes 255.
TEST(ControlByteCount, CountsLongSamples) {
  uint32_t state = 99;
  for (size_t length : {15u, 16u, 17u, 31u, 33u, 100u, 257u, 4079u, 4096u, 4111u, 9000u}) {
    std::string sample;
    size_t expected = 0;
    for (size_t i = 0; i < length; ++i) {
      state = state * 1103515245u + 12345u;
      const unsigned char c = static_cast<unsigned char>(state >> 16);
      sample.push_back(static_cast<char>(c));
      expected += c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r' && c != 0x1B;
    }
    SCOPED_TRACE(length);
    EXPECT_EQ(ControlByteCount(sample), expected);
  }
  EXPECT_EQ(ControlByteCount(std::string(5000, '\x01')), 5000u);
  EXPECT_EQ(ControlByteCount(std::string(5000, '\n')), 0u);
}

TEST(IsAscii, LooksAtEveryByte) {
  EXPECT_TRUE(IsAscii(""));
  EXPECT_TRUE(IsAscii("550 5.1.1 user unknown, eight bytes at a time"));
  // A byte of 0x80 or above first, inside a word of eight, and in the tail.
  EXPECT_FALSE(IsAscii("\x80"));
  EXPECT_FALSE(IsAscii("abcd\xC3\xA9" "fgh-and more"));
  EXPECT_FALSE(IsAscii("sixteen bytes!!!tail\xFF"));
  EXPECT_TRUE(IsAscii(std::string(1000, '\x7F')));
}

}  // namespace

}  // namespace bouncedx
