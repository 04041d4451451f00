// SPDX-License-Identifier: MIT
#include "core/mail/encoded_words.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bouncedx::mail {
namespace {

TEST(EncodedWords, DecodesTable) {
  const struct {
    const char* name;
    std::string input;
    const char* expected;
  } cases[] = {
      {"no words", "Undelivered Mail Returned to Sender", "Undelivered Mail Returned to Sender"},
      {"q latin1", "=?iso-8859-1?q?caf=E9?=", "café"},
      {"b utf-8", "=?UTF-8?B?w6ljaGVj?=", "échec"},
      {"words around text", "Re: =?utf-8?q?caf=C3=A9?= ok", "Re: café ok"},
      {"adjacent words joined", "=?utf-8?q?a?= =?utf-8?q?b?=", "ab"},
      {"folded adjacent words", "=?utf-8?q?a?=\r\n =?utf-8?q?b?=", "ab"},
      // "é" split across two words: bytes joined before conversion.
      {"split character", "=?utf-8?b?w6k=?= =?utf-8?b?w6k=?=", "éé"},
      {"split utf-8 bytes", "=?utf-8?q?=C3?= =?utf-8?q?=A9?=", "é"},
      {"underscore is space", "=?utf-8?q?Mail_delivery_failed?=", "Mail delivery failed"},
      {"different charsets", "=?iso-8859-1?q?=E9?= =?utf-8?q?=C3=A9?=", "éé"},
      {"iso-2022-jp", "=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=", "日本語"},
      {"shift_jis", "=?shift_jis?b?k/qWe4zq?=", "日本語"},
      {"koi8-r", "=?koi8-r?q?=F0=D2=C9=D7=C5=D4?=", "Привет"},
      {"language suffix", "=?utf-8*en?q?hi?=", "hi"},
      {"unknown charset left as is", "=?x-bogus?q?hi?=", "=?x-bogus?q?hi?="},
      {"unknown encoding left as is", "=?utf-8?x?hi?=", "=?utf-8?x?hi?="},
      {"unterminated left as is", "=?utf-8?q?hi", "=?utf-8?q?hi"},
      {"glued to text", "Subject:=?utf-8?q?x?=y", "Subject:xy"},
      {"raw latin1 header", "caf\xe9", "café"},
      {"text between words kept", "=?utf-8?q?a?= and =?utf-8?q?b?=", "a and b"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(DecodeEncodedWords(c.input, nullptr), c.expected);
  }
}

TEST(EncodedWords, WarnsOnceAboutUnknownCharset) {
  std::vector<std::string> warnings;
  EXPECT_EQ(DecodeEncodedWords("=?x-bogus?q?a?= =?x-bogus?q?b?=", &warnings),
            "=?x-bogus?q?a?= =?x-bogus?q?b?=");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "charset: unknown charset \"x-bogus\"");
}

TEST(EncodedWords, CutsLongOutput) {
  std::vector<std::string> warnings;
  std::string input;
  for (int i = 0; i < 100; ++i) input += "=?utf-8?q?abcdefghij?= x ";
  std::string out = DecodeEncodedWords(input, &warnings, 50);
  EXPECT_EQ(out.size(), 50u);
  EXPECT_EQ(out.substr(0, 15), "abcdefghij x ab");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "encoded words: decoded text longer than 50 bytes, cut");
}

}  // namespace
}  // namespace bouncedx::mail
