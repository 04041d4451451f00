// SPDX-License-Identifier: MIT
#include "core/mail/dsn.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bouncedx::mail {
namespace {

const char kPostfixStatus[] =
    "Reporting-MTA: dns; mx.example.net\n"
    "X-Postfix-Queue-ID: 4ABC123\n"
    "X-Postfix-Sender: rfc822; alice@example.com\n"
    "Arrival-Date: Mon,  1 Jan 2024 10:00:00 +0000 (UTC)\n"
    "\n"
    "Final-Recipient: rfc822; bob@example.org\n"
    "Original-Recipient: rfc822;bob@example.org\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Remote-MTA: dns; mx.example.org\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected:\n"
    "    User unknown in virtual mailbox table\n"
    "\n"
    "Final-Recipient: rfc822; carol@example.org\n"
    "Action: delayed\n"
    "Status: 4.4.1 (connection timed out)\n"
    "Will-Retry-Until: Tue, 2 Jan 2024 10:00:00 +0000\n";

TEST(Dsn, ParsesPostfixReport) {
  const std::string input = kPostfixStatus;
  std::vector<std::string> warnings;
  DsnMessage dsn = ParseDsn(input, Limits(), &warnings);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(dsn.reporting_mta.type, "dns");
  EXPECT_EQ(dsn.reporting_mta.value, "mx.example.net");
  EXPECT_EQ(dsn.arrival_date, "Mon,  1 Jan 2024 10:00:00 +0000 (UTC)");
  ASSERT_NE(dsn.Find("x-postfix-sender"), nullptr);
  EXPECT_EQ(ParseTypedValue(*dsn.Find("X-Postfix-Sender")).value, "alice@example.com");
  EXPECT_EQ(dsn.fields.size(), 4u);

  ASSERT_EQ(dsn.recipients.size(), 2u);
  const DsnRecipient& bob = dsn.recipients[0];
  EXPECT_EQ(bob.final_recipient.type, "rfc822");
  EXPECT_EQ(bob.final_recipient.Address(), "bob@example.org");
  EXPECT_EQ(bob.original_recipient.value, "bob@example.org");
  EXPECT_EQ(bob.action, "failed");
  EXPECT_EQ(bob.status, "5.1.1");
  EXPECT_EQ(bob.remote_mta.value, "mx.example.org");
  EXPECT_EQ(bob.diagnostic_code.type, "smtp");
  EXPECT_EQ(bob.diagnostic_code.value,
            "550 5.1.1 <bob@example.org>: Recipient address rejected:    User unknown in "
            "virtual mailbox table");
  EXPECT_EQ(input.substr(bob.diagnostic_code.offset,
                         bob.diagnostic_code.end - bob.diagnostic_code.offset),
            "550 5.1.1 <bob@example.org>: Recipient address rejected:\n"
            "    User unknown in virtual mailbox table");
  EXPECT_EQ(input.substr(bob.begin, 16), "Final-Recipient:");
  EXPECT_EQ(bob.fields.size(), 6u);

  const DsnRecipient& carol = dsn.recipients[1];
  EXPECT_EQ(carol.final_recipient.value, "carol@example.org");
  EXPECT_EQ(carol.action, "delayed");
  EXPECT_EQ(carol.status, "4.4.1");
  EXPECT_FALSE(carol.diagnostic_code.present);
  EXPECT_EQ(carol.will_retry_until, "Tue, 2 Jan 2024 10:00:00 +0000");
  EXPECT_EQ(carol.end, input.size());
}

// A folded field's unfolded value is a string its header block owned; the
// fields kept in the report view it after that block is gone (the sanitizer
// build would catch a view of freed memory).
TEST(Dsn, KeepsFoldedFieldValuesAfterParsing) {
  DsnMessage dsn = ParseDsn(kPostfixStatus, Limits(), nullptr);
  ASSERT_EQ(dsn.recipients.size(), 2u);
  const HeaderField* diagnostic = nullptr;
  for (const HeaderField& field : dsn.recipients[0].fields) {
    if (field.name == "Diagnostic-Code") diagnostic = &field;
  }
  ASSERT_NE(diagnostic, nullptr);
  EXPECT_EQ(diagnostic->value,
            "smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected:    User unknown in "
            "virtual mailbox table");
  // Moving the message keeps the views valid.
  DsnMessage moved = std::move(dsn);
  EXPECT_EQ(moved.recipients[0].fields[5].value, diagnostic->value);
  EXPECT_EQ(moved.unfolded.size(), 1u);
}

TEST(Dsn, SplitsRecipientsWithoutBlankLines) {
  const std::string input =
      "Reporting-MTA: dns; a.example\r\n"
      "Original-Recipient: rfc822; x@example.org\r\n"
      "Final-Recipient: rfc822; x@example.org\r\n"
      "Action: failed\r\n"
      "Final-Recipient: RFC822; <y@example.org>\r\n"
      "Action: Failed\r\n";
  DsnMessage dsn = ParseDsn(input, Limits(), nullptr);
  EXPECT_EQ(dsn.reporting_mta.value, "a.example");
  ASSERT_EQ(dsn.recipients.size(), 2u);
  EXPECT_EQ(dsn.recipients[0].original_recipient.value, "x@example.org");
  EXPECT_EQ(dsn.recipients[0].final_recipient.value, "x@example.org");
  EXPECT_EQ(dsn.recipients[1].final_recipient.type, "rfc822");
  EXPECT_EQ(dsn.recipients[1].final_recipient.Address(), "y@example.org");
  EXPECT_EQ(dsn.recipients[1].action, "failed");
}

TEST(Dsn, JoinsLinesWrappedWithoutIndent) {
  const std::string input =
      "Final-Recipient: rfc822; bob@example.org\n"
      "Status: 5.7.1\n"
      "Diagnostic-Code: smtp; 554 5.7.1 Service unavailable; Client host [192.0.2.1]\n"
      "blocked using zen.example\n";
  std::vector<std::string> warnings;
  DsnMessage dsn = ParseDsn(input, Limits(), &warnings);
  ASSERT_EQ(dsn.recipients.size(), 1u);
  EXPECT_EQ(dsn.recipients[0].diagnostic_code.value,
            "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.example");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "headers: line at offset 133 is not a field, joined to the one before");
}

TEST(Dsn, ParsesTypedValues) {
  const struct {
    const char* name;
    const char* line;
    const char* type;
    const char* value;
  } cases[] = {
      {"smtp", "Diagnostic-Code: smtp; 550 no", "smtp", "550 no"},
      {"no blank", "Diagnostic-Code: smtp;550 no", "smtp", "550 no"},
      {"x-unix", "Diagnostic-Code: X-Unix; 67", "x-unix", "67"},
      {"no type", "Diagnostic-Code: 550 user unknown", "", "550 user unknown"},
      {"semicolon in text", "Diagnostic-Code: 550 no; really", "", "550 no; really"},
      {"empty", "Diagnostic-Code:", "", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    DsnMessage dsn =
        ParseDsn(std::string("Final-Recipient: rfc822; a@b.example\n") + c.line, Limits(), nullptr);
    ASSERT_EQ(dsn.recipients.size(), 1u);
    EXPECT_TRUE(dsn.recipients[0].diagnostic_code.present);
    EXPECT_EQ(dsn.recipients[0].diagnostic_code.type, c.type);
    EXPECT_EQ(dsn.recipients[0].diagnostic_code.value, c.value);
  }
}

TEST(Dsn, ParsesGlobalVariant) {
  const std::string input =
      "Reporting-MTA: dns; mx.example.net\n\n"
      "Final-Recipient: utf-8; j\\x{F6}rg@example.org\n"
      "Original-Recipient: utf-8; \xe7\x94\xa8\xe6\x88\xb7@example.org\n"
      "Action: failed\n"
      "Status: 5.1.1\n";
  DsnMessage dsn = ParseDsn(input, Limits(), nullptr);
  ASSERT_EQ(dsn.recipients.size(), 1u);
  EXPECT_EQ(dsn.recipients[0].final_recipient.value, "jörg@example.org");
  EXPECT_EQ(dsn.recipients[0].original_recipient.value, "用户@example.org");
}

TEST(Dsn, DecodesEscapes) {
  EXPECT_EQ(DecodeUtf8AddressEscapes("a\\x{41}\\x{1F600}b"),
            "aA\xF0\x9F\x98\x80"
            "b");
  EXPECT_EQ(DecodeUtf8AddressEscapes("bad\\x{D800}\\x{zz}\\x{41"), "bad\\x{D800}\\x{zz}\\x{41");
  EXPECT_EQ(DecodeXtext("a+2Bb+3Dc+zz"), "a+b=c+zz");
}

TEST(Dsn, CapsRecipients) {
  std::string input;
  for (int i = 0; i < 1200; ++i)
    input += "Final-Recipient: rfc822; u" + std::to_string(i) + "@x\n\n";
  std::vector<std::string> warnings;
  DsnMessage dsn = ParseDsn(input, Limits(), &warnings);
  EXPECT_EQ(dsn.recipients.size(), 1000u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "dsn: more than 1000 recipients, the rest dropped");
}

TEST(Dsn, IgnoresTextThatIsNotADsn) {
  std::vector<std::string> warnings;
  DsnMessage dsn = ParseDsn("hello there\nnothing here\n\nmore text\n", Limits(), &warnings);
  EXPECT_TRUE(dsn.recipients.empty());
  EXPECT_TRUE(dsn.fields.empty());
  EXPECT_EQ(warnings.size(), 3u);
}

}  // namespace
}  // namespace bouncedx::mail
