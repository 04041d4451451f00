// SPDX-License-Identifier: MIT
#include "core/mail/charset.h"

#include <gtest/gtest.h>

#include <string>

namespace bouncedx::mail {
namespace {

TEST(Charset, NormalizesNames) {
  const struct {
    const char* input;
    const char* expected;
  } cases[] = {
      {"utf8", "UTF-8"},
      {"UTF-8", "UTF-8"},
      {" \"utf-8\" ", "UTF-8"},
      {"utf-8*en", "UTF-8"},
      {"latin1", "WINDOWS-1252"},
      {"ISO-8859-1", "WINDOWS-1252"},
      {"iso_8859-2", "ISO-8859-2"},
      {"iso-8859-15", "ISO-8859-15"},
      {"x-sjis", "SHIFT_JIS"},
      {"Shift_JIS", "SHIFT_JIS"},
      {"windows-31j", "CP932"},
      {"ks_c_5601-1987", "CP949"},
      {"gb2312", "GB18030"},
      {"koi8-r", "KOI8-R"},
      {"cp1251", "WINDOWS-1251"},
      {"windows-1250", "WINDOWS-1250"},
      {"unknown-8bit", "UNKNOWN-8BIT"},
      {"x-weird-thing", "X-WEIRD-THING"},
      {"", ""},
      {"utf-8//TRANSLIT", ""},
      {"bad name", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(NormalizeCharsetName(c.input), c.expected);
  }
}

TEST(Charset, ConvertsLegacyCharsets) {
  const struct {
    const char* name;
    std::string bytes;
    const char* charset;
    const char* expected;
  } cases[] = {
      {"iso-2022-jp", "\x1b$BF|K\\8l\x1b(B", "iso-2022-jp", "日本語"},
      {"shift_jis", "\x93\xfa\x96\x7b\x8c\xea", "Shift_JIS", "日本語"},
      {"x-sjis alias", "\x93\xfa\x96\x7b\x8c\xea", "x-sjis", "日本語"},
      {"koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", "koi8-r", "Привет"},
      {"latin1", "caf\xe9", "latin1", "café"},
      {"windows-1252 quotes", "\x93hi\x94", "iso-8859-1", "“hi”"},
      {"windows-1251", "\xcf\xf0\xe8", "windows-1251", "При"},
      {"utf-8 kept", "café", "utf-8", "café"},
      {"us-ascii that is utf-8", "café", "us-ascii", "café"},
      {"us-ascii that is latin1", "caf\xe9", "us-ascii", "café"},
      {"no charset", "plain", "", "plain"},
      {"ks_c_5601-1987", "\xc7\xd1", "ks_c_5601-1987", "한"},
      {"gb2312", "\xd6\xd0", "gb2312", "中"},
      {"big5", "\xa4\xa4", "big5", "中"},
      {"euc-jp", "\xc6\xfc", "euc-jp", "日"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Result<std::string> text = ToUtf8(c.bytes, c.charset);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    EXPECT_EQ(text.value(), c.expected);
  }
}

TEST(Charset, ReportsUnknownCharset) {
  Result<std::string> text = ToUtf8("abc", "x-no-such-charset");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(text.status().message(), "charset: unknown charset \"x-no-such-charset\"");
}

TEST(Charset, ReplacesInvalidSequences) {
  CharsetStats stats;
  Result<std::string> text = ToUtf8(
      "a\xff"
      "b\xc3",
      "utf-8", kDefaultMaxUtf8Bytes, &stats);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text.value(),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_EQ(stats.replaced, 2u);

  CharsetStats sjis_stats;
  // 0xFF is no Shift_JIS lead byte (glibc and musl agree; musl reads some
  // other bad pairs, such as 0x81 0x20, leniently); the conversion carries on.
  Result<std::string> sjis =
      ToUtf8("\xff\x20\x93\xfa", "shift_jis", kDefaultMaxUtf8Bytes, &sjis_stats);
  ASSERT_TRUE(sjis.ok());
  EXPECT_EQ(sjis.value(), "\xEF\xBF\xBD 日");
  EXPECT_EQ(sjis_stats.replaced, 1u);

  CharsetStats cut_stats;
  // An ISO-2022-JP text cut inside a two-byte character.
  Result<std::string> cut = ToUtf8("\x1b$BF|K", "iso-2022-jp", kDefaultMaxUtf8Bytes, &cut_stats);
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut.value(), "日\xEF\xBF\xBD");
  EXPECT_EQ(cut_stats.replaced, 1u);
}

TEST(Charset, BoundsOutput) {
  CharsetStats stats;
  // Five two-byte characters cut at 7 bytes keep three whole ones.
  Result<std::string> text = ToUtf8("\xe9\xe9\xe9\xe9\xe9", "latin1", 7, &stats);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text.value(), "ééé");
  EXPECT_TRUE(stats.truncated);

  CharsetStats utf8_stats;
  EXPECT_EQ(SanitizeUtf8("日本語", 5, &utf8_stats), "日");
  EXPECT_TRUE(utf8_stats.truncated);
}

TEST(Charset, BestEffortKeepsUtf8AndReadsWindows1252) {
  EXPECT_EQ(BestEffortUtf8("naïve"), "naïve");
  EXPECT_EQ(BestEffortUtf8("na\xefve"), "naïve");
}

}  // namespace
}  // namespace bouncedx::mail
