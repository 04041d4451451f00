// SPDX-License-Identifier: MIT
#include "core/base/base64.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace bouncedx {
namespace {

using namespace std::string_literals;

TEST(Base64UrlEncode, EncodesRfc4648TestVectorsWithoutPadding) {
  // RFC 4648 §10, with the padding removed.
  struct Case {
    std::string_view bytes;
    std::string_view encoded;
  };
  const Case cases[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.bytes));
    EXPECT_EQ(Base64UrlEncode(c.bytes), c.encoded);
  }
}

TEST(Base64UrlEncode, UsesUrlSafeAlphabet) {
  // 0xfb 0xff 0xbf is "+/+/" in the standard alphabet.
  EXPECT_EQ(Base64UrlEncode("\xfb\xff\xbf"), "-_-_");
  EXPECT_EQ(Base64UrlEncode("\xff"), "_w");
}

TEST(Base64UrlEncode, EncodesDnsQueryAsInRfc8484) {
  // RFC 8484 §4.1.1: the query for www.example.com A, message ID 0, RD set.
  const std::string wire =
      "\x00\x00\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"  // header
      "\x03www\x07"
      "example\x03"
      "com\x00"             // qname
      "\x00\x01\x00\x01"s;  // type A, class IN
  EXPECT_EQ(Base64UrlEncode(wire), "AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB");
}

TEST(Base64Decode, DecodesBothAlphabetsWithAndWithoutPadding) {
  struct Case {
    const char* name;
    std::string_view text;
    std::string bytes;
  };
  const Case cases[] = {
      {"empty", "", ""},
      {"padded one byte", "Zg==", "f"},
      {"padded two bytes", "Zm8=", "fo"},
      {"unpadded one byte", "Zg", "f"},
      {"unpadded two bytes", "Zm8", "fo"},
      {"full group", "Zm9vYmFy", "foobar"},
      {"standard alphabet", "+/+/", "\xfb\xff\xbf"},
      {"url alphabet", "-_-_", "\xfb\xff\xbf"},
      {"mixed alphabets", "+_-/", "\xfb\xff\xbf"},
      {"mime line breaks", "Zm9v\r\nYmFy\r\n", "foobar"},
      {"spaces and tabs", " Zm 9v\tYg = = ", "foob"},
      {"nul byte", "AA==", "\x00"s},
      {"rfc 8484 query", "AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB",
       "\x00\x00\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x07"
       "example\x03"
       "com\x00\x00\x01\x00\x01"s},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<std::string> decoded = Base64Decode(c.text);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded.value(), c.bytes);
  }
}

TEST(Base64Decode, RejectsBadInputWithOffset) {
  struct Case {
    const char* name;
    std::string_view text;
    std::string_view message;
  };
  const Case cases[] = {
      {"bad character", "Zm9v!mFy", "base64: unexpected byte 0x21 at offset 4"},
      {"non-ascii byte", "Zm\xc3\xa9", "base64: unexpected byte 0xc3 at offset 2"},
      {"padding first", "=Zg", "base64: padding too early at offset 0"},
      {"padding after one char", "Z===", "base64: padding too early at offset 1"},
      {"three padding chars", "Zg===", "base64: too much padding at offset 4"},
      {"data after padding", "Zg==Zg==", "base64: data after padding at offset 4"},
      {"half padding", "Zg=", "base64: padding ends before the group is complete"},
      {"lone last char", "Zm9vY",
       "base64: last group has a single character, which encodes no byte"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<std::string> decoded = Base64Decode(c.text);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.status().code(), StatusCode::kMalformed);
    EXPECT_EQ(decoded.status().message(), c.message);
  }
}

TEST(Base64Decode, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t length = 0; length <= all.size(); length += 37) {
    SCOPED_TRACE(length);
    const std::string bytes = all.substr(0, length);
    Result<std::string> decoded = Base64Decode(Base64UrlEncode(bytes));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded.value(), bytes);
  }
}

}  // namespace
}  // namespace bouncedx
