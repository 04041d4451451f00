// SPDX-License-Identifier: MIT
#include "core/report/redact.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bouncedx {
namespace {

RedactOptions AllOn() {
  RedactOptions options;
  options.display_names = true;
  options.subjects = true;
  options.message_ids = true;
  return options;
}

TEST(Redact, ReplacesLocalPartsAndKeepsTheRest) {
  struct Case {
    const char* name;
    const char* input;
    const char* expected;
  };
  const Case cases[] = {
      {"one-line reply", "550 5.1.1 <bob@example.org>: Recipient address rejected",
       "550 5.1.1 <user1@example.org>: Recipient address rejected"},
      {"postfix form", "<bob@example.org>: host mx.example.org[198.51.100.7] said: 554 5.7.1",
       "<user1@example.org>: host mx.example.org[198.51.100.7] said: 554 5.7.1"},
      {"same person twice, case differs", "bob@example.org BOB@mail.example.org",
       "user1@example.org user1@mail.example.org"},
      {"two people", "From alice@example.com to bob@example.org",
       "From user1@example.com to user2@example.org"},
      {"DSN field", "Final-Recipient: rfc822; bob@example.org",
       "Final-Recipient: rfc822; user1@example.org"},
      {"mailto", "rua=mailto:dmarc@strict.example", "rua=mailto:user1@strict.example"},
      {"role mailboxes stay", "From: MAILER-DAEMON@mail.example.com; postmaster@example.org",
       "From: MAILER-DAEMON@mail.example.com; postmaster@example.org"},
      {"quoted local part", "\"john doe\"@example.com said hi",
       "user1@example.com said hi"},
      {"SRS address", "SRS0=HHH=TT=example.org=bob@forwarder.example",
       "user1@forwarder.example"},
      {"domain literal", "bob@[192.0.2.1]", "user1@[192.0.2.1]"},
      {"quote before the address stays", "'bob@example.org'", "'user1@example.org'"},
      {"no domain dot", "see @media and foo@bar", "see @media and foo@bar"},
      {"empty local part", "DKIM i=@example.com", "DKIM i=@example.com"},
      {"tag before the address", "d=example.com; i=bob@example.com;",
       "d=example.com; i=user1@example.com;"},
      {"URL path is not a local part", "https://example.net/a/bob@example.org",
       "https://example.net/a/user1@example.org"},
      {"reply code, IP and host untouched",
       "554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org",
       "554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org"},
      {"UTF-8 local part", "j\xC3\xBCrgen@example.de", "user1@example.de"},
      {"lone at signs", "@@@ a@ @b .@. ", "@@@ a@ @b .@. "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Redact(c.input, RedactOptions()).text, c.expected);
  }
}

TEST(Redact, ListsEachDistinctValueWithItsCount) {
  Redaction r = Redact("bob@example.org, Bob@example.net, carol@example.com", RedactOptions());
  ASSERT_EQ(r.replacements.size(), 2u);
  EXPECT_EQ(r.replacements[0].kind, RedactedKind::kLocalPart);
  EXPECT_EQ(r.replacements[0].original, "bob");
  EXPECT_EQ(r.replacements[0].placeholder, "user1");
  EXPECT_EQ(r.replacements[0].count, 2u);
  EXPECT_EQ(r.replacements[1].original, "carol");
  EXPECT_EQ(r.replacements[1].placeholder, "user2");
  EXPECT_EQ(r.replacements[1].count, 1u);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(Redact, LocalPartsCanBeLeftAlone) {
  RedactOptions options;
  options.local_parts = false;
  EXPECT_EQ(Redact("bob@example.org", options).text, "bob@example.org");
}

TEST(Redact, DisplayNamesInAddressFieldsWhenAsked) {
  const std::string input =
      "From: \"Bob Smith\" <bob@example.org>\n"
      "To: Alice <alice@example.com>, carol@example.com (Carol Jones),\n"
      "  undisclosed-recipients:;\n"
      "Reply-To: =?utf-8?q?Bob_Smith?= <bob@example.org>\n"
      "X-Note: \"Bob Smith\" stays outside address fields\n";
  EXPECT_EQ(Redact(input, RedactOptions()).text,
            "From: \"Bob Smith\" <user1@example.org>\n"
            "To: Alice <user2@example.com>, user3@example.com (Carol Jones),\n"
            "  undisclosed-recipients:;\n"
            "Reply-To: =?utf-8?q?Bob_Smith?= <user1@example.org>\n"
            "X-Note: \"Bob Smith\" stays outside address fields\n");
  Redaction r = Redact(input, AllOn());
  EXPECT_EQ(r.text,
            "From: Name 1 <user1@example.org>\n"
            "To: Name 2 <user2@example.com>, user3@example.com (Name 3),\n"
            "  undisclosed-recipients:;\n"
            "Reply-To: Name 1 <user1@example.org>\n"
            "X-Note: \"Bob Smith\" stays outside address fields\n");
}

// A name's placeholder is never read as part of a mailbox afterwards: here
// the quote before "@" would otherwise pair with the one before ";" and make
// the quoted local part '";Name 1<"', swallowing the placeholder listed.
// (Found by the redact fuzzer.)
TEST(Redact, PlaceholdersOfNamesStayInTheText) {
  RedactOptions options = AllOn();
  Redaction r = Redact("To:\"\";l<\"@t.example", options);
  EXPECT_EQ(r.text, "To:\"\";Name 1<\"@t.example");
  ASSERT_EQ(r.replacements.size(), 1u);
  EXPECT_EQ(r.replacements[0].placeholder, "Name 1");
  EXPECT_EQ(r.replacements[0].original, "l");
  // An ordinary mailbox after a name is still redacted.
  r = Redact("To: \"x\"; Bob <\"b c\"@t.example>", options);
  EXPECT_EQ(r.text, "To: \"x\"; Name 1 <user1@t.example>");
}

TEST(Redact, KeepsTheNameOfTheBounceSender) {
  EXPECT_EQ(Redact("From: MAILER-DAEMON@mail.example.com (Mail Delivery System)\n", AllOn()).text,
            "From: MAILER-DAEMON@mail.example.com (Mail Delivery System)\n");
}

TEST(Redact, SubjectsWhenAsked) {
  const std::string input = "Subject: Invoice for\r\n Bob's order\r\nX-A: b\r\n";
  EXPECT_EQ(Redact(input, RedactOptions()).text, input);
  Redaction r = Redact(input, AllOn());
  EXPECT_EQ(r.text, "Subject: subject 1\r\nX-A: b\r\n");
  ASSERT_EQ(r.replacements.size(), 1u);
  EXPECT_EQ(r.replacements[0].original, "Invoice for Bob's order");
}

TEST(Redact, QuotedAndNestedHeadersAreFieldsToo) {
  const std::string input =
      "> Subject: secret plans\n"
      "> From: Bob <bob@example.org>\n"
      "body Subject: not a field\n";
  EXPECT_EQ(Redact(input, AllOn()).text,
            "> Subject: subject 1\n"
            "> From: Name 1 <user1@example.org>\n"
            "body Subject: not a field\n");
}

TEST(Redact, MessageIdsStayUnlessAsked) {
  const std::string input =
      "Message-ID: <20231114.abc@mail.example.com>\n"
      "References: <a1@x.example> <b2@y.example>\n"
      "In-Reply-To: <a1@x.example>\n";
  EXPECT_EQ(Redact(input, RedactOptions()).text, input);
  EXPECT_EQ(Redact(input, AllOn()).text,
            "Message-ID: <id1@mail.example.com>\n"
            "References: <id2@x.example> <id3@y.example>\n"
            "In-Reply-To: <id2@x.example>\n");
}

TEST(Redact, CapsTheNumberOfPlaceholders) {
  RedactOptions options;
  options.max_placeholders = 2;
  Redaction r = Redact("a@example.org b@example.org c@example.org a@example.org", options);
  EXPECT_EQ(r.text, "user1@example.org user2@example.org user@example.org user1@example.org");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "redact: more than 2 distinct local_part values; the rest all became \"user\"");
}

TEST(Redact, SurvivesHostileInput) {
  const std::string cases[] = {
      std::string(100000, '@'),
      "\"" + std::string(5000, 'a') + "@example.org",
      "From: \"unterminated <bob@example.org>\n",
      "To: (((((((nested <a@b.example>\n",
      std::string("\0\xff\xfe@\x80.\x80", 7),
      "x@[" + std::string(500, '1') + "]",
      std::string(300, 'a') + "@example.org",
  };
  for (const std::string& input : cases) {
    Redaction r = Redact(input, AllOn());
    EXPECT_FALSE(r.text.empty());
  }
  // A local part longer than the scanner looks back is cut, never read
  // past the start.
  EXPECT_EQ(Redact(std::string(300, 'a') + "@example.org", RedactOptions()).text,
            std::string(44, 'a') + "user1@example.org");
}

TEST(RedactOptionsFromJson, ReadsFieldsAndWarnsAboutTheRest) {
  std::vector<std::string> warnings;
  RedactOptions options = RedactOptionsFromJson(
      R"({"display_names": true, "subjects": 1, "colour": "red"})", &warnings);
  EXPECT_TRUE(options.local_parts);
  EXPECT_TRUE(options.display_names);
  EXPECT_FALSE(options.subjects);
  // Fields are read in name order.
  EXPECT_EQ(warnings, (std::vector<std::string>{
                          "redact options: unknown field colour ignored",
                          "redact options: subjects is not true or false; default kept"}));
  warnings.clear();
  RedactOptionsFromJson("not json", &warnings);
  EXPECT_EQ(warnings,
            (std::vector<std::string>{"redact options: not a JSON object; using the defaults"}));
  warnings.clear();
  RedactOptionsFromJson("", &warnings);
  EXPECT_TRUE(warnings.empty());
}

TEST(RedactToJson, WritesTextReplacementsAndWarnings) {
  EXPECT_EQ(RedactToJson("to bob@example.org", R"({"x": true})"),
            R"({"text":"to user1@example.org","replacements":[{"kind":"local_part",)"
            R"("original":"bob","placeholder":"user1","count":1}],)"
            R"("warnings":["redact options: unknown field x ignored"]})");
}

}  // namespace
}  // namespace bouncedx
