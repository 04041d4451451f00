// SPDX-License-Identifier: MIT
#include "core/input/detect.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/base/limits.h"
#include "core/mail/smtp_reply.h"

namespace bouncedx {
namespace {

// The kind DetectInput gives `text` with its replies counted up front, and
// with them counted on demand; `calls` receives how often the count ran.
struct Both {
  InputKind eager;
  InputKind lazy;
  int calls = 0;
};

Both Detect(const std::string& text) {
  std::vector<std::string> warnings;
  std::vector<mail::SmtpReply> replies = mail::FindSmtpReplies(text, Limits(), &warnings);
  size_t bytes = 0;
  for (const mail::SmtpReply& reply : replies) bytes += reply.end - reply.begin;
  Both both;
  both.eager = DetectInput(text, replies.size(), bytes).kind;
  both.lazy = DetectInput(text, [&](size_t* count, size_t* spanned) {
                ++both.calls;
                *count = replies.size();
                *spanned = bytes;
              }).kind;
  return both;
}

TEST(DetectInput, BounceWithHeadersAndMarkerNeedsNoReplyCount) {
  Both both = Detect(
      "From: MAILER-DAEMON@mx.example.net\nTo: alice@example.org\nSubject: Undelivered Mail\n\n"
      "This is the mail system at host mx.example.net.\n\n"
      "<bob@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown\n");
  EXPECT_EQ(both.eager, InputKind::kBounce);
  EXPECT_EQ(both.lazy, InputKind::kBounce);
  EXPECT_EQ(both.calls, 0);
}

TEST(DetectInput, ShortPasteCountsRepliesOnce) {
  Both both = Detect("550 5.7.1 Relay access denied\n");
  EXPECT_EQ(both.eager, InputKind::kSmtpReply);
  EXPECT_EQ(both.lazy, InputKind::kSmtpReply);
  EXPECT_EQ(both.calls, 1);
}

TEST(DetectInput, HeadersWithoutMarkerCountReplies) {
  Both both = Detect("From: alice@example.org\nTo: bob@example.com\nSubject: hello\n\nhi\n");
  EXPECT_EQ(both.eager, InputKind::kHeaders);
  EXPECT_EQ(both.lazy, InputKind::kHeaders);
  EXPECT_EQ(both.calls, 1);
}

TEST(DetectInput, LazyCountAgreesWithEagerCount) {
  const std::vector<std::string> texts = {
      "",
      "   \n",
      "hello there\n",
      "550 5.1.1 <bob@example.com>: Recipient address rejected\n",
      "Delivery has failed to these recipients or groups:\nbob@example.com\n"
      "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'\n",
      "line one\nline two\nline three\nline four\n550 5.7.1 blocked\n",
      "From: a@example.org\nReceived: from x by y\nSubject: s\n\n550 5.7.1 no\n",
      "From: a@example.org\nDate: today\nSubject: s\n\n550 5.7.1 no\n",
      "some words\n421 4.7.0 try again later\n452 4.2.2 mailbox full\n550 5.1.1 unknown\n"
      "550 5.1.1 unknown\n",
      std::string("binary\0\1\2\3\4\5\6", 13),
  };
  for (const std::string& text : texts) {
    Both both = Detect(text);
    EXPECT_EQ(both.lazy, both.eager) << text;
    EXPECT_LE(both.calls, 1) << text;
  }
}

TEST(DetectInput, BinaryReasonGivesTheControlShareInWholePercent) {
  struct Case {
    const char* name;
    std::string text;
    const char* reason;
  } cases[] = {
      // 1 of 8 is 12.5%: halves round to even, as printf's "%.0f" does.
      {"one in eight", std::string("abc\x01" "defg"), "12% of the first 8 bytes are control bytes"},
      {"three in eight", std::string("a\x01" "b\x02" "c\x03" "de"),
       "38% of the first 8 bytes are control bytes"},
      {"one in three", std::string("a\x02" "b"), "33% of the first 3 bytes are control bytes"},
      {"two in three", std::string("\x01\x02" "b"), "67% of the first 3 bytes are control bytes"},
      {"all", std::string("\x01\x02\x03\x04"), "100% of the first 4 bytes are control bytes"},
      {"NUL bytes count", std::string("MZ\0\0\0\0", 6), "67% of the first 6 bytes are control bytes"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const InputSniff sniff = DetectInput(c.text, 0, 0);
    EXPECT_EQ(sniff.kind, InputKind::kBinary);
    EXPECT_EQ(sniff.reason, c.reason);
  }
}

TEST(DetectInput, TextWithFewControlsIsNotBinary) {
  std::string text(200, 'a');
  text[10] = '\x01';  // 0.5%: under the 1% line
  EXPECT_NE(DetectInput(text, 0, 0).kind, InputKind::kBinary);
  std::string one_in_a_hundred(100, 'a');
  one_in_a_hundred[50] = '\x02';  // exactly 1%: still text
  EXPECT_NE(DetectInput(one_in_a_hundred, 0, 0).kind, InputKind::kBinary);
  one_in_a_hundred[51] = '\x03';  // 2%: not text
  EXPECT_EQ(DetectInput(one_in_a_hundred, 0, 0).reason, "2% of the first 100 bytes are control bytes");
  EXPECT_EQ(DetectInput("  \n\t ", 0, 0).kind, InputKind::kEmpty);
}

}  // namespace
}  // namespace bouncedx
