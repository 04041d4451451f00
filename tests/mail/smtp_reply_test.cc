// SPDX-License-Identifier: MIT
#include "core/mail/smtp_reply.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace bouncedx::mail {
namespace {

std::vector<SmtpReply> Find(std::string_view text) {
  std::vector<std::string> warnings;
  return FindSmtpReplies(text, Limits(), &warnings);
}

TEST(EnhancedStatus, ParsesCodeAndConsumedLength) {
  Result<ParsedStatus> parsed = ParseEnhancedStatus("5.7.1 Delivery");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->code.ToString(), "5.7.1");
  EXPECT_EQ(parsed->consumed, 5u);
}

TEST(EnhancedStatus, RejectsNonCodes) {
  struct Case {
    const char* name;
    const char* text;
  };
  const Case cases[] = {
      {"class 3", "3.1.1"},       {"ip address", "5.7.1.2"}, {"four digit detail", "5.7.1234"},
      {"missing detail", "5.7."}, {"empty", ""},             {"letters", "a.b.c"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_FALSE(ParseEnhancedStatus(c.text).ok());
  }
}

struct ReplyCase {
  const char* name;
  const char* input;
  int code;
  const char* enhanced;
  const char* text;
};

TEST(SmtpReply, FindsTheReplyInEachPastedForm) {
  const ReplyCase cases[] = {
      {"plain", "554 5.7.1 Delivery not authorized", 554, "5.7.1", "Delivery not authorized"},
      {"colon after code", "554 5.7.1 : Relay access denied", 554, "5.7.1",
       "Relay access denied"},
      {"no enhanced code", "571 Delivery not authorized, message refused", 571, "",
       "Delivery not authorized, message refused"},
      {"exchange remote server returned",
       "Remote Server returned '554 5.7.1 Service unavailable; Client host [203.0.113.5] "
       "blocked using zen.spamhaus.org'",
       554, "5.7.1",
       "Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org"},
      {"exchange 571 quoted", "Remote Server returned '571 Delivery not authorized, message refused'",
       571, "", "Delivery not authorized, message refused"},
      {"exchange hash form", "#571 Delivery not authorized message refused", 571, "",
       "Delivery not authorized message refused"},
      {"exchange hash with double hash", "#550 5.7.1 Delivery not authorized, message refused ##",
       550, "5.7.1", "Delivery not authorized, message refused"},
      {"dsn diagnostic code", "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.com>: User unknown",
       550, "5.1.1", "<bob@example.com>: User unknown"},
      {"quoted with >", "> 550 5.7.1 Message refused by DNSBL check", 550, "5.7.1",
       "Message refused by DNSBL check"},
      {"crlf", "451 4.7.1 Greylisted, try again later\r\n", 451, "4.7.1",
       "Greylisted, try again later"},
      {"enhanced code with hash only", "Diagnostic information: #5.1.1 smtp;", 0, "5.1.1", "smtp;"},
      {"qmail reply closed by its enhanced code",
       "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", 553, "5.7.1",
       "sorry, that domain isn't in my list of allowed rcpthosts"},
      {"qmail code after the words",
       "Sorry, no mailbox here by that name. (#5.1.1)", 0, "5.1.1",
       "Sorry, no mailbox here by that name."},
  };
  for (const ReplyCase& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<SmtpReply> replies = Find(c.input);
    ASSERT_FALSE(replies.empty());
    EXPECT_EQ(replies[0].code, c.code);
    EXPECT_EQ(replies[0].enhanced.ToString(), c.enhanced);
    EXPECT_EQ(replies[0].text, c.text);
  }
}

TEST(SmtpReply, JoinsMultilineReplyOnSeparateLines) {
  std::vector<SmtpReply> replies = Find(
      "550-5.7.1 [203.0.113.5] The IP you're using to send mail is not authorized\n"
      "550-5.7.1 to send email directly to our servers. Please use the SMTP relay at\n"
      "550 5.7.1 your service provider instead. a1si2.3 - gsmtp\n");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].code, 550);
  EXPECT_EQ(replies[0].line_count, 3);
  EXPECT_EQ(replies[0].text,
            "[203.0.113.5] The IP you're using to send mail is not authorized to send email "
            "directly to our servers. Please use the SMTP relay at your service provider "
            "instead. a1si2.3 - gsmtp");
}

TEST(SmtpReply, JoinsMultilineReplyFlattenedOntoOneLine) {
  std::vector<SmtpReply> replies = Find(
      "550-5.7.1 [x.x.x.x] The IP you're using to send mail is not authorized 550-5.7.1 to "
      "send email directly to our servers. Please use the SMTP relay at 550-5.7.1 your "
      "service provider instead.");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].line_count, 3);
  EXPECT_EQ(replies[0].enhanced.ToString(), "5.7.1");
  EXPECT_EQ(replies[0].text,
            "[x.x.x.x] The IP you're using to send mail is not authorized to send email directly "
            "to our servers. Please use the SMTP relay at your service provider instead.");
}

TEST(SmtpReply, KeepsAReplyQuotedInAContinuationLineInsideItsText) {
  // Exim's sender callout: the callout's own answer follows "Response:".
  std::vector<SmtpReply> replies = Find(
      "  dana@example.org\n"
      "    host mail.example.org [198.51.100.11]\n"
      "    SMTP error from remote mail server after RCPT TO:<dana@example.org>:\n"
      "    550-Verification failed for <sam@example.com>\n"
      "    550-Called:   198.51.100.30\n"
      "    550-Sent:     RCPT TO:<sam@example.com>\n"
      "    550-Response: 550 5.1.1 <sam@example.com>: Recipient address rejected: User unknown\n"
      "    550 Sender verify failed\n");
  ASSERT_EQ(replies.size(), 1u);
  const SmtpReply& r = replies[0];
  EXPECT_EQ(r.code, 550);
  EXPECT_FALSE(r.enhanced.present());
  EXPECT_EQ(r.line_count, 5);
  EXPECT_EQ(r.recipient, "dana@example.org");
  EXPECT_EQ(r.host, "mail.example.org");
  EXPECT_EQ(r.text,
            "Verification failed for <sam@example.com> Called:   198.51.100.30 Sent:     RCPT "
            "TO:<sam@example.com> Response: 550 5.1.1 <sam@example.com>: Recipient address "
            "rejected: User unknown Sender verify failed");
}

TEST(SmtpReply, ReadsAReplyAfterAFullWidthColonAndTheLabelledRecipientAbove) {
  // A Chinese bounce: "recipient: ..." then "the server returned: 550 ...".
  std::vector<SmtpReply> replies = Find(
      "\xE6\x94\xB6\xE4\xBB\xB6\xE4\xBA\xBA\xEF\xBC\x9Awang@example.net\n"
      "\xE6\x9C\x8D\xE5\x8A\xA1\xE5\x99\xA8\xE8\xBF\x94\xE5\x9B\x9E\xEF\xBC\x9A"
      "550 Mail content denied. http://service.mail.qq.com/detail/122/171\n");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].code, 550);
  EXPECT_EQ(replies[0].recipient, "wang@example.net");
  EXPECT_EQ(replies[0].text, "Mail content denied. http://service.mail.qq.com/detail/122/171");
}

TEST(SmtpReply, ReadsTheAddressThatOpensTheParagraphBeforeTheReply) {
  std::vector<SmtpReply> replies = Find(
      "bob@example.net, ERROR CODE :541 - Mail rejected by destination domain\n"
      "\n"
      "Reason: Remote server returned: 541 5.4.1 Mail rejected by destination domain\n");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].code, 541);
  EXPECT_EQ(replies[0].enhanced.ToString(), "5.4.1");
  EXPECT_EQ(replies[0].recipient, "bob@example.net");
}

TEST(SmtpReply, DoesNotTakeALabelledLineForABareAddress) {
  // Before, the whole "label：address" token was read as the address.
  std::vector<SmtpReply> replies = Find(
      "\xE6\x94\xB6\xE4\xBB\xB6\xE4\xBA\xBA\xEF\xBC\x9Ali@example.net\n"
      "550 Mailbox not found.\n");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].recipient, "li@example.net");
  // A bare address two paragraphs up is not the reply's.
  replies = Find("bob@example.net\n\nsomething else\n\n550 5.1.1 no such user\n");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].recipient, "");
}

TEST(SmtpReply, ReadsPostfixContextAndWrappedLines) {
  const char* ndr =
      "<bob@example.net>: host mx.example.net[192.0.2.25] said: 554 5.7.1\n"
      "    <bob@example.net>: Relay access denied (in reply to RCPT TO command)\n"
      "\n"
      "Reporting-MTA: dns; mail.example.org\n";
  std::vector<SmtpReply> replies = Find(ndr);
  ASSERT_EQ(replies.size(), 1u);
  const SmtpReply& r = replies[0];
  EXPECT_EQ(r.code, 554);
  EXPECT_EQ(r.host, "mx.example.net");
  EXPECT_EQ(r.host_ip, "192.0.2.25");
  EXPECT_EQ(r.recipient, "bob@example.net");
  EXPECT_EQ(r.last_command, "RCPT TO");
  EXPECT_EQ(r.text, "<bob@example.net>: Relay access denied (in reply to RCPT TO command)");
  EXPECT_EQ(r.line_count, 2);
}

TEST(SmtpReply, ReadsEximContext) {
  const char* ndr =
      "  carol@example.com\n"
      "    host mx1.example.com [198.51.100.7]\n"
      "    SMTP error from remote mail server after RCPT TO:<carol@example.com>:\n"
      "    550 5.1.1 <carol@example.com>: Recipient address rejected: User unknown\n";
  std::vector<SmtpReply> replies = Find(ndr);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].host, "mx1.example.com");
  EXPECT_EQ(replies[0].host_ip, "198.51.100.7");
  EXPECT_EQ(replies[0].last_command, "RCPT TO");
  EXPECT_EQ(replies[0].recipient, "carol@example.com");
}

TEST(SmtpReply, TakesTheFailedAddressFromTheLineAboveNotTheSender) {
  const char* ndr =
      "  bob@example.net\n"
      "    host mx.example.net [198.51.100.7]\n"
      "    SMTP error from remote mail server after MAIL FROM:<sam@example.com> SIZE=1234:\n"
      "    550 5.7.1 rejected by DMARC policy for example.com\n";
  std::vector<SmtpReply> replies = Find(ndr);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].recipient, "bob@example.net");
  EXPECT_EQ(replies[0].host, "mx.example.net");
  EXPECT_EQ(replies[0].last_command, "MAIL FROM");
}

TEST(SmtpReply, IgnoresNumbersThatAreNotReplies) {
  const char* texts[] = {
      "Date: Mon, 22 Nov 2026 16:52:01 +0000",
      "please use port 587 instead of 25",
      "the server at 203.0.113.5 is fine",
      "version 5.0.2 of the filter",
      "we sent 250 messages yesterday",
      "Received: from mail.example.org (mail.example.org [192.0.2.1]) by mx.example.com",
  };
  for (const char* text : texts) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(Find(text).empty());
  }
}

TEST(SmtpReply, FindsSeveralRepliesInOrder) {
  std::vector<SmtpReply> replies = Find(
      "550 5.1.1 User unknown\n"
      "452 4.2.2 Mailbox full\n");
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].code, 550);
  EXPECT_EQ(replies[1].code, 452);
  EXPECT_EQ(replies[1].enhanced.ToString(), "4.2.2");
}

TEST(SmtpReply, CapsTheNumberOfReplies) {
  std::string many;
  for (int i = 0; i < 50; ++i) many += "550 5.1.1 User unknown\n";
  Limits limits;
  limits.max_replies = 10;
  std::vector<std::string> warnings;
  std::vector<SmtpReply> replies = FindSmtpReplies(many, limits, &warnings);
  EXPECT_EQ(replies.size(), 10u);
  ASSERT_FALSE(warnings.empty());
  EXPECT_EQ(warnings.back(), "smtp reply: more than 10 replies, the rest were not read");
}

TEST(SmtpReply, SpansPointIntoTheInput) {
  std::string input = "Hello\nRemote Server returned '554 5.7.1 Relay access denied'\n";
  std::vector<SmtpReply> replies = Find(input);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(input.substr(replies[0].begin, 3), "554");
  EXPECT_EQ(input.substr(replies[0].text_begin, 5), "Relay");
}

// Lines of spaces (a blanked original) and a reply after sixteen blanks and
// a quote mark: the line scan steps over whole words of spaces.
TEST(FindSmtpReplies, ReadsPastLongRunsOfSpaces) {
  std::string input = std::string(40, ' ') + "\n" + std::string(16, ' ') + ">  550 5.1.1 no such user\n";
  std::vector<SmtpReply> replies = Find(input);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].code, 550);
  EXPECT_EQ(replies[0].begin, 41u + 16u + 3u);
  EXPECT_EQ(replies[0].text, "no such user");
}

TEST(ReplySearchMayWarn, CountsPlacesWhereNumbersStart) {
  Limits limits;
  limits.max_replies = 3;
  // "550", "5.1.1" starts twice ('5' after ' ' and after '.'), "#2": five.
  EXPECT_TRUE(ReplySearchMayWarn("550 5.1.1 #2", limits));
  // "123456" is one start, "#" and "7" two more: three.
  EXPECT_FALSE(ReplySearchMayWarn("123456 #7", limits));
  EXPECT_FALSE(ReplySearchMayWarn("", limits));
  limits.max_replies = 1000;
  limits.max_lines = 8;
  EXPECT_FALSE(ReplySearchMayWarn("1234567", limits));
  EXPECT_TRUE(ReplySearchMayWarn("12345678", limits));
  // Longer texts are read eight bytes at a time: "12" spans two words (one
  // start), "#3" is two, "9" one, and the words without digits hold none.
  limits.max_lines = 1000;
  limits.max_replies = 4;
  EXPECT_FALSE(ReplySearchMayWarn("abcdefg12 hijklmnopq #3 xyzuvwabcdefgh9", limits));
  limits.max_replies = 3;
  EXPECT_TRUE(ReplySearchMayWarn("abcdefg12 hijklmnopq #3 xyzuvwabcdefgh9", limits));
}

// Checks ReplySearchMayWarn against a byte-by-byte count of the places a
// number may open (a digit or '#' not after a digit) on `text`: no warning at
// exactly that many replies allowed, a warning at one fewer.
void ExpectMayWarnAsBytewise(const std::string& text) {
  size_t starts = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    bool opens = (text[i] >= '0' && text[i] <= '9') || text[i] == '#';
    bool after_digit = i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9';
    starts += opens && !after_digit;
  }
  Limits limits;
  limits.max_lines = 1u << 20;
  limits.max_replies = starts;
  EXPECT_FALSE(ReplySearchMayWarn(text, limits)) << text.size() << ": " << text.substr(0, 80);
  if (starts > 0) {
    limits.max_replies = starts - 1;
    EXPECT_TRUE(ReplySearchMayWarn(text, limits)) << text.size() << ": " << text.substr(0, 80);
  }
}

// Seeded texts of digits, '#', letters, blanks and dots.
std::string RandomNumberText(uint32_t* state, size_t length) {
  const std::string alphabet = "0#a 9.#5";
  std::string text;
  for (size_t i = 0; i < length; ++i) {
    *state = *state * 1103515245u + 12345u;
    text += alphabet[((*state >> 16) & 0x7FFF) % alphabet.size()];
  }
  return text;
}

// The word-at-a-time count equals a count byte by byte, on texts of every
// length up to 40 with digits and '#' placed across word boundaries.
TEST(ReplySearchMayWarn, CountsAsBytewise) {
  uint32_t state = 777;
  for (int round = 0; round < 5000; ++round) {
    state = state * 1103515245u + 12345u;
    const size_t length = ((state >> 16) & 0x7FFF) % 41;
    ExpectMayWarnAsBytewise(RandomNumberText(&state, length));
  }
}

// The same on longer texts, read sixteen bytes at a time where the host
// allows: every length up to 300, and texts long enough for a count of
// more than 255 per lane (the lanes are summed every 255 blocks).
TEST(ReplySearchMayWarn, CountsAsBytewiseOnLongTexts) {
  uint32_t state = 4242;
  for (size_t length = 0; length <= 300; ++length) {
    ExpectMayWarnAsBytewise(RandomNumberText(&state, length));
  }
  for (size_t length : {4079u, 4080u, 4096u, 4097u, 9000u, 20000u}) {
    ExpectMayWarnAsBytewise(RandomNumberText(&state, length));
  }
  // Only starts: "#" repeated opens a number at every byte.
  Limits limits;
  limits.max_lines = 1u << 20;
  limits.max_replies = 9999;
  EXPECT_TRUE(ReplySearchMayWarn(std::string(10000, '#'), limits));
  limits.max_replies = 10000;
  EXPECT_FALSE(ReplySearchMayWarn(std::string(10000, '#'), limits));
}

// Whenever it says no warning can come, the search gives none; and it does
// not say "may warn" for everything.
TEST(ReplySearchMayWarn, NeverMissesAWarning) {
  Limits limits;
  limits.max_replies = 3;
  limits.max_lines = 40;
  const std::string alphabet = "0123455#. -\n:ab";
  uint32_t state = 12345;
  auto next = [&] {
    state = state * 1103515245u + 12345u;
    return (state >> 16) & 0x7FFF;
  };
  int quiet = 0;
  int warned = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const size_t length = next() % 60;
    for (size_t i = 0; i < length; ++i) {
      size_t pick = next() % (alphabet.size() + 3);
      // Whole codes now and then, so that replies do occur.
      if (pick == alphabet.size()) text += "550 5.1.1 x\n";
      else if (pick == alphabet.size() + 1) text += "#4.2.2";
      else if (pick == alphabet.size() + 2) text += "250-";
      else text += alphabet[pick];
    }
    std::vector<std::string> warnings;
    FindSmtpReplies(text, limits, &warnings);
    if (!ReplySearchMayWarn(text, limits)) {
      ++quiet;
      EXPECT_TRUE(warnings.empty()) << text;
    }
    if (!warnings.empty()) ++warned;
  }
  EXPECT_GT(quiet, 1000);
  EXPECT_GT(warned, 100);
}

}  // namespace
}  // namespace bouncedx::mail
