// SPDX-License-Identifier: MIT
#include "core/mail/mime.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bouncedx::mail {
namespace {

// A Postfix-style bounce: multipart/report with the three usual parts.
const char kPostfixBounce[] =
    "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=delivery-status;\r\n"
    "\tboundary=\"B1/mx.example.net\"\r\n"
    "\r\n"
    "This is a MIME-encapsulated message.\r\n"
    "\r\n"
    "--B1/mx.example.net\r\n"
    "Content-Description: Notification\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "This is the mail system at host mx.example.net.\r\n"
    "\r\n"
    "--B1/mx.example.net\r\n"
    "Content-Description: Delivery report\r\n"
    "Content-Type: message/delivery-status\r\n"
    "\r\n"
    "Reporting-MTA: dns; mx.example.net\r\n"
    "\r\n"
    "Final-Recipient: rfc822; bob@example.org\r\n"
    "Action: failed\r\n"
    "Status: 5.1.1\r\n"
    "\r\n"
    "--B1/mx.example.net\r\n"
    "Content-Description: Undelivered Message\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Received: from client.example.com (client.example.com [192.0.2.1])\r\n"
    "From: alice@example.com\r\n"
    "Subject: hello\r\n"
    "\r\n"
    "Hi Bob\r\n"
    "\r\n"
    "--B1/mx.example.net--\r\n"
    "epilogue\r\n";

TEST(Mime, ParsesPostfixBounce) {
  const std::string input = kPostfixBounce;
  std::vector<std::string> warnings;
  MimeMessage message = ParseMime(input, Limits(), &warnings);
  EXPECT_TRUE(warnings.empty()) << warnings[0];
  ASSERT_EQ(message.parts.size(), 5u);
  const MimePart& root = message.parts[0];
  EXPECT_EQ(root.content_type.MediaType(), "multipart/report");
  ASSERT_NE(root.content_type.Param("report-type"), nullptr);
  EXPECT_EQ(*root.content_type.Param("report-type"), "delivery-status");
  EXPECT_EQ(*root.content_type.Param("boundary"), "B1/mx.example.net");
  EXPECT_EQ(root.children, (std::vector<int>{1, 2, 3}));

  const MimePart& text = message.parts[1];
  EXPECT_EQ(text.content_type.MediaType(), "text/plain");
  EXPECT_EQ(text.body, "This is the mail system at host mx.example.net.\r\n");
  EXPECT_TRUE(text.body_is_raw);
  EXPECT_EQ(input.substr(text.body_begin, text.body_end - text.body_begin), text.body);

  const MimePart* status = message.Find("message", "delivery-status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->depth, 1);
  EXPECT_EQ(status->parent, 0);
  EXPECT_EQ(status->body.substr(0, 34), "Reporting-MTA: dns; mx.example.net");
  EXPECT_EQ(input.substr(status->body_begin, 13), "Reporting-MTA");

  const MimePart& original = message.parts[3];
  EXPECT_TRUE(original.content_type.Is("message", "rfc822"));
  EXPECT_TRUE(original.body.empty());
  ASSERT_EQ(original.children, (std::vector<int>{4}));
  const MimePart& embedded = message.parts[4];
  EXPECT_EQ(embedded.depth, 2);
  ASSERT_NE(embedded.headers.Find("Subject"), nullptr);
  EXPECT_EQ(embedded.headers.Find("Subject")->value, "hello");
  EXPECT_EQ(input.substr(embedded.headers.Find("Received")->offset, 9), "Received:");
  EXPECT_EQ(embedded.body, "Hi Bob\r\n");
}

TEST(Mime, ParsesContentTypeParameters) {
  const struct {
    const char* name;
    const char* value;
    const char* media_type;
    const char* param;
    const char* expected;
  } cases[] = {
      {"quoted", "text/plain; charset=\"UTF-8\"", "text/plain", "charset", "UTF-8"},
      {"upper case type", "TEXT/HTML; Charset=latin1", "text/html", "charset", "latin1"},
      {"escape in quotes", "text/plain; x=\"a\\\"b\"", "text/plain", "x", "a\"b"},
      {"comment", "text/plain (note); charset=utf-8 (utf)", "text/plain", "charset", "utf-8"},
      {"blanks around equals", "text/plain ; charset = utf-8", "text/plain", "charset", "utf-8"},
      {"rfc 2231 extended", "application/x; name*=utf-8'en'caf%C3%A9.txt", "application/x", "name",
       "café.txt"},
      {"rfc 2231 continuations",
       "application/x; name*0=\"long \"; name*1=\"file\"; name*2=\".txt\"", "application/x", "name",
       "long file.txt"},
      {"rfc 2231 mixed sections", "application/x; name*0*=iso-8859-1''caf%E9; name*1=\" au lait\"",
       "application/x", "name", "café au lait"},
      {"rfc 2231 out of order", "application/x; name*1=b; name*0=a", "application/x", "name", "ab"},
      {"rfc 2231 preferred", "application/x; name=plain; name*=utf-8''%C3%A9", "application/x",
       "name", "é"},
      {"encoded word in value", "application/x; name=\"=?utf-8?q?caf=C3=A9?=\"", "application/x",
       "name", "café"},
      {"boundary kept raw", "multipart/mixed; boundary=\"=?x?q?y?=\"", "multipart/mixed",
       "boundary", "=?x?q?y?="},
      {"unquoted with blank", "multipart/mixed; boundary=abc def", "multipart/mixed", "boundary",
       "abc def"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ContentType type = ParseContentType(c.value, nullptr);
    EXPECT_FALSE(type.defaulted);
    EXPECT_EQ(type.MediaType(), c.media_type);
    const std::string* value = type.Param(c.param);
    ASSERT_NE(value, nullptr);
    EXPECT_EQ(*value, c.expected);
  }
}

TEST(Mime, DefaultsUnreadableContentType) {
  std::vector<std::string> warnings;
  ContentType type = ParseContentType("garbage; charset=koi8-r", &warnings);
  EXPECT_TRUE(type.defaulted);
  EXPECT_EQ(type.MediaType(), "text/plain");
  EXPECT_EQ(*type.Param("charset"), "koi8-r");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "mime: content type \"garbage; charset=koi8-r\" unreadable, text/plain assumed");
}

TEST(Mime, DecodesTransferEncodingsAndCharsets) {
  const struct {
    const char* name;
    std::string headers;
    std::string body;
    std::string expected;
  } cases[] = {
      {"base64 utf-8",
       "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n", "w6ljaGVj\n",
       "échec"},
      {"qp latin1",
       "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: "
       "quoted-printable\n",
       "caf=E9=\n au lait\n", "café au lait\n"},
      {"iso-2022-jp", "Content-Type: text/plain; charset=ISO-2022-JP\n", "\x1b$BF|K\\8l\x1b(B\n",
       "日本語\n"},
      {"shift_jis base64",
       "Content-Type: text/plain; charset=shift_jis\nContent-Transfer-Encoding: BASE64\n",
       "k/qWe4zq", "日本語"},
      {"koi8-r", "Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: 8bit\n",
       "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет"},
      {"invalid utf-8", "Content-Type: text/plain; charset=utf-8\n", "a\xff", "a\xEF\xBF\xBD"},
      {"binary kept", "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n",
       "/wA=", std::string("\xff\x00", 2)},
      {"no headers", "", "just text", "just text"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string input = c.headers + "\n" + c.body;
    MimeMessage message = ParseMime(input, Limits(), nullptr);
    ASSERT_EQ(message.parts.size(), 1u);
    EXPECT_EQ(message.parts[0].body, c.expected);
  }
}

TEST(Mime, WarnsAboutUnknownCharsetAndKeepsText) {
  const std::string input = "Content-Type: text/plain; charset=x-martian\n\nhello \xe9";
  std::vector<std::string> warnings;
  MimeMessage message = ParseMime(input, Limits(), &warnings);
  EXPECT_EQ(message.parts[0].body, "hello é");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "mime: part 0: charset: unknown charset \"x-martian\", read as utf-8 or windows-1252");
}

TEST(Mime, WarnsAboutTruncatedBase64) {
  const std::string input =
      "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVsbG8gd";
  std::vector<std::string> warnings;
  MimeMessage message = ParseMime(input, Limits(), &warnings);
  EXPECT_EQ(message.parts[0].body, "hello ");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "mime: part 0: base64 damaged (0 bad bytes skipped, truncated)");
}

TEST(Mime, ToleratesBoundaryNeverClosed) {
  const std::string input =
      "Content-Type: multipart/mixed; boundary=xyz\n\n--xyz\n\nfirst\n--xyz\n\nsecond\n";
  std::vector<std::string> warnings;
  MimeMessage message = ParseMime(input, Limits(), &warnings);
  ASSERT_EQ(message.parts.size(), 3u);
  EXPECT_EQ(message.parts[1].body, "first");
  EXPECT_EQ(message.parts[2].body, "second\n");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "mime: boundary \"xyz\" never closed, last part runs to the end");
}

TEST(Mime, KeepsBodyWhenNoBoundaryLine) {
  const std::string input = "Content-Type: multipart/mixed; boundary=xyz\n\nno parts here\n";
  std::vector<std::string> warnings;
  MimeMessage message = ParseMime(input, Limits(), &warnings);
  ASSERT_EQ(message.parts.size(), 1u);
  EXPECT_EQ(message.parts[0].body, "no parts here\n");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "mime: part 0: no line with boundary \"xyz\", body kept as text");
}

TEST(Mime, IgnoresLookalikeBoundaries) {
  const std::string input =
      "Content-Type: multipart/mixed; boundary=ab\n\n--ab\n\n--abc\n--ab x\n--ab--\n";
  MimeMessage message = ParseMime(input, Limits(), nullptr);
  ASSERT_EQ(message.parts.size(), 2u);
  EXPECT_EQ(message.parts[1].body, "--abc\n--ab x");
}

TEST(Mime, MixedLineEndsAndTransportPadding) {
  const std::string input =
      "Content-Type: multipart/alternative; boundary=\"q\"\r\n\r\n"
      "--q  \n"
      "Content-Type: text/plain\r\n\n"
      "one\r\n"
      "--q\t\r\n"
      "\ntwo\n"
      "--q-- \r\n";
  std::vector<std::string> warnings;
  MimeMessage message = ParseMime(input, Limits(), &warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(message.parts.size(), 3u);
  EXPECT_EQ(message.parts[1].body, "one");
  EXPECT_EQ(message.parts[2].body, "two");
}

TEST(Mime, ParsesDigestAndRfc822Headers) {
  const std::string input =
      "Content-Type: multipart/digest; boundary=d\n\n"
      "--d\n\nSubject: inside\n\nbody\n"
      "--d\nContent-Type: text/rfc822-headers\n\nReceived: from x\nSubject: orig\n\n"
      "--d--\n";
  MimeMessage message = ParseMime(input, Limits(), nullptr);
  ASSERT_EQ(message.parts.size(), 5u);
  EXPECT_TRUE(message.parts[1].content_type.Is("message", "rfc822"));
  EXPECT_EQ(message.parts[2].headers.Find("Subject")->value, "inside");
  EXPECT_TRUE(message.parts[3].content_type.Is("text", "rfc822-headers"));
  EXPECT_EQ(message.parts[3].body, "Received: from x\nSubject: orig\n");
  EXPECT_EQ(message.parts[4].headers.Find("Subject")->value, "orig");
}

TEST(Mime, ParsesEncodedEmbeddedMessage) {
  // "Subject: hi\n\nyo\n" in base64.
  const std::string input =
      "Content-Type: message/rfc822\nContent-Transfer-Encoding: "
      "base64\n\nU3ViamVjdDogaGkKCnlvCg==\n";
  MimeMessage moved;
  {
    MimeMessage message = ParseMime(input, Limits(), nullptr);
    moved = std::move(message);
  }
  ASSERT_EQ(moved.parts.size(), 2u);
  EXPECT_FALSE(moved.parts[1].in_input);
  EXPECT_EQ(moved.parts[1].headers.Find("Subject")->value, "hi");
  EXPECT_EQ(moved.parts[1].headers.Find("Subject")->name, "Subject");
  EXPECT_EQ(moved.parts[1].body, "yo\n");
}

TEST(Mime, ParsesGlobalDeliveryStatusAsUtf8) {
  const std::string input =
      "Content-Type: message/global-delivery-status\n\nFinal-Recipient: utf-8; "
      "j\xc3\xb6rg@example.org\n";
  MimeMessage message = ParseMime(input, Limits(), nullptr);
  EXPECT_EQ(message.parts[0].body, "Final-Recipient: utf-8; jörg@example.org\n");
  EXPECT_TRUE(message.parts[0].body_is_raw);
}

std::string NestedMultiparts(int levels) {
  std::string out;
  for (int i = 0; i < levels; ++i) {
    out += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" +
           std::to_string(i) + "\n";
  }
  out += "Content-Type: text/plain\n\ninnermost\n";
  for (int i = levels - 1; i >= 0; --i) out += "--b" + std::to_string(i) + "--\n";
  return out;
}

TEST(Mime, CapsNestingDepth) {
  const std::string input = NestedMultiparts(1000);
  std::vector<std::string> warnings;
  MimeMessage message = ParseMime(input, Limits(), &warnings);
  ASSERT_EQ(message.parts.size(), 17u);
  EXPECT_EQ(message.parts.back().depth, 16);
  EXPECT_TRUE(message.parts.back().children.empty());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "mime: nesting deeper than 16 levels, inner parts not read");
}

TEST(Mime, CapsNestedEmbeddedMessages) {
  std::string input;
  for (int i = 0; i < 1000; ++i) input += "Content-Type: message/rfc822\n\n";
  input += "Subject: deepest\n\nhi\n";
  std::vector<std::string> warnings;
  MimeMessage message = ParseMime(input, Limits(), &warnings);
  EXPECT_EQ(message.parts.size(), 17u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "mime: nesting deeper than 16 levels, inner parts not read");
}

TEST(Mime, CapsPartCount) {
  std::string input = "Content-Type: multipart/mixed; boundary=p\n\n";
  for (int i = 0; i < 10000; ++i) input += "--p\n\npart " + std::to_string(i) + "\n";
  input += "--p--\n";
  std::vector<std::string> warnings;
  MimeMessage message = ParseMime(input, Limits(), &warnings);
  ASSERT_EQ(message.parts.size(), 500u);
  EXPECT_EQ(message.parts[499].body, "part 498");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "mime: more than 500 parts, the rest not read");
}

TEST(Mime, SurvivesNulsAndEmptyInput) {
  const std::string input("Content-Type: text/plain\n\na\0b", 29);
  MimeMessage message = ParseMime(input, Limits(), nullptr);
  EXPECT_EQ(message.parts[0].body, std::string("a\0b", 3));
  MimeMessage empty = ParseMime("", Limits(), nullptr);
  ASSERT_EQ(empty.parts.size(), 1u);
  EXPECT_EQ(empty.parts[0].body, "");
}

}  // namespace
}  // namespace bouncedx::mail
