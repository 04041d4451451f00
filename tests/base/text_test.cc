// SPDX-License-Identifier: MIT
#include "core/base/text.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

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

}  // namespace
}  // namespace bouncedx
