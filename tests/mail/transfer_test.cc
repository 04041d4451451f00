// SPDX-License-Identifier: MIT
#include "core/mail/transfer.h"

#include <gtest/gtest.h>

#include <string>

namespace bouncedx::mail {
namespace {

struct Case {
  const char* name;
  std::string input;
  std::string expected;
  size_t skipped;
  bool truncated;
};

TEST(Transfer, DecodesBase64Leniently) {
  const Case cases[] = {
      {"plain", "aGVsbG8=", "hello", 0, false},
      {"no padding", "aGVsbG8", "hello", 0, false},
      {"line breaks and blanks", "aGVs\r\n bG8g\nd29y bGQ=\r\n", "hello world", 0, false},
      {"garbage counted", "aGV*sb!G8=", "hello", 2, false},
      {"concatenated padded chunks", "aGk=aGk=", "hihi", 0, false},
      {"lone final symbol", "aGVsbG8gd", "hello ", 0, true},
      {"empty", "", "", 0, false},
      {"binary bytes", std::string("AP8A", 4), std::string("\x00\xff\x00", 3), 0, false},
      {"nul in input skipped", std::string("aG\0k=", 5), "hi", 1, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TransferStats stats;
    EXPECT_EQ(DecodeBase64(c.input, &stats), c.expected);
    EXPECT_EQ(stats.skipped_bytes, c.skipped);
    EXPECT_EQ(stats.truncated, c.truncated);
  }
}

TEST(Transfer, DecodesQuotedPrintableLeniently) {
  const Case cases[] = {
      {"escapes", "caf=C3=A9", "caf\xC3\xA9", 0, false},
      {"lower-case hex", "caf=c3=a9", "caf\xC3\xA9", 0, false},
      {"soft break lf", "long=\nline", "longline", 0, false},
      {"soft break crlf", "long=\r\nline", "longline", 0, false},
      {"soft break with trailing blanks", "long=  \r\nline", "longline", 0, false},
      {"hard breaks kept", "a\r\nb\nc", "a\r\nb\nc", 0, false},
      {"trailing blanks dropped", "a  \r\nb\t\nc", "a\r\nb\nc", 0, false},
      {"inner blanks kept", "a b\tc", "a b\tc", 0, false},
      {"bad escape kept", "100=%", "100=%", 1, false},
      {"half escape kept", "x=4", "x=4", 1, false},
      {"lone equals at end", "end=", "end", 0, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TransferStats stats;
    EXPECT_EQ(DecodeQuotedPrintable(c.input, &stats), c.expected);
    EXPECT_EQ(stats.skipped_bytes, c.skipped);
    EXPECT_EQ(stats.truncated, c.truncated);
  }
}

TEST(Transfer, DecodesQEncoding) {
  EXPECT_EQ(DecodeQEncoding("caf=E9_au_lait"), "caf\xE9 au lait");
  TransferStats stats;
  EXPECT_EQ(DecodeQEncoding("a=ZZb", &stats), "a=ZZb");
  EXPECT_EQ(stats.skipped_bytes, 1u);
}

TEST(Transfer, DecodesLargeBase64) {
  std::string encoded;
  for (int i = 0; i < 100000; ++i) encoded += "QUJD\r\n";
  std::string decoded = DecodeBase64(encoded);
  ASSERT_EQ(decoded.size(), 300000u);
  EXPECT_EQ(decoded.substr(0, 6), "ABCABC");
}

}  // namespace
}  // namespace bouncedx::mail
