// SPDX-License-Identifier: MIT
#include "core/mail/headers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace bouncedx::mail {
namespace {

TEST(Headers, ReadsQuotedStrings) {
  struct Case {
    const char* text;
    const char* value;
    const char* rest;
  } cases[] = {
      {R"("plain"; next)", "plain", "; next"},
      {R"("a \"quoted\" \\ word" x)", R"(a "quoted" \ word)", " x"},
      {R"("unclosed runs to the end)", "unclosed runs to the end", ""},
      {R"("ends in a backslash\)", "ends in a backslash\\", ""},
      {R"("")", "", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    ByteReader reader(c.text);
    EXPECT_EQ(ReadQuotedString(&reader), c.value);
    EXPECT_EQ(reader.Rest(), c.rest);
  }
}

TEST(Headers, ParsesFoldedCrlfBlock) {
  const std::string input =
      "Return-Path: <>\r\n"
      "Subject: Undelivered Mail\r\n"
      "\tReturned to Sender\r\n"
      "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n"
      "\r\n"
      "body";
  std::vector<std::string> warnings;
  HeaderBlock block = ParseHeaders(input, 0, Limits(), &warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(block.fields.size(), 3u);
  EXPECT_EQ(block.fields[1].name, "Subject");
  EXPECT_EQ(block.fields[1].value, "Undelivered Mail\tReturned to Sender");
  EXPECT_EQ(block.fields[1].raw_value, " Undelivered Mail\r\n\tReturned to Sender");
  EXPECT_EQ(block.fields[1].offset, 17u);
  EXPECT_EQ(block.fields[1].value_offset, 25u);
  EXPECT_EQ(block.fields[1].end, 65u);
  EXPECT_EQ(block.ended_by, HeaderEnd::kBlankLine);
  EXPECT_EQ(input.substr(block.body_begin), "body");
  EXPECT_EQ(block.end, input.find("\r\n\r\n") + 2);
}

// A one-line value is a view of the input itself; a folded one is a string
// the block owns, and stays valid when the block moves.
TEST(Headers, OneLineValuesViewTheInputFoldedOnesTheBlock) {
  const std::string input =
      "Subject: Undelivered Mail\r\n"
      "\tReturned to Sender\r\n"
      "From:  MAILER-DAEMON@mx.example.net \r\n"
      "\r\n";
  HeaderBlock block = ParseHeaders(input, 0, Limits(), nullptr);
  ASSERT_EQ(block.fields.size(), 2u);
  EXPECT_EQ(block.fields[1].value, "MAILER-DAEMON@mx.example.net");
  EXPECT_EQ(block.fields[1].value.data(), input.data() + input.find("MAILER"));
  ASSERT_EQ(block.unfolded.size(), 1u);
  EXPECT_EQ(block.fields[0].value.data(), block.unfolded[0]->data());
  HeaderBlock moved = std::move(block);
  EXPECT_EQ(moved.fields[0].value, "Undelivered Mail\tReturned to Sender");
}

TEST(Headers, FindsCaseInsensitively) {
  const std::string input = "Received: a\nreceived: b\nTO: x@example.com\n\n";
  HeaderBlock block = ParseHeaders(input, 0, Limits(), nullptr);
  ASSERT_NE(block.Find("to"), nullptr);
  EXPECT_EQ(block.Find("to")->value, "x@example.com");
  std::vector<const HeaderField*> received = block.FindAll("RECEIVED");
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0]->value, "a");
  EXPECT_EQ(received[1]->value, "b");
  EXPECT_EQ(block.Find("Cc"), nullptr);
}

TEST(Headers, HandlesOddLayouts) {
  const struct {
    const char* name;
    std::string input;
    size_t fields;
    const char* first_name;
    const char* first_value;
    HeaderEnd ended_by;
    size_t warnings;
  } cases[] = {
      {"mixed line ends", "A: 1\r\nB: 2\nC: 3\r\n\r\n", 3, "A", "1", HeaderEnd::kBlankLine, 0},
      {"mbox From line", "From sender@example.com Mon Jan  1 00:00:00 2024\nA: 1\n\n", 1, "A", "1",
       HeaderEnd::kBlankLine, 0},
      {"obsolete blank before colon", "Subject : hi\n\n", 1, "Subject", "hi", HeaderEnd::kBlankLine,
       0},
      {"no blank line", "A: 1\nB: 2", 2, "A", "1", HeaderEnd::kEndOfInput, 0},
      {"body without blank line", "A: 1\nthis is the body\n", 1, "A", "1", HeaderEnd::kNonFieldLine,
       1},
      {"not headers at all", "550 5.1.1 user unknown\n", 0, "", "", HeaderEnd::kNonFieldLine, 0},
      {"leading continuation skipped", "  stray\nA: 1\n\n", 1, "A", "1", HeaderEnd::kBlankLine, 1},
      {"blank-only line ends block", "A: 1\n   \nB: 2\n", 1, "A", "1", HeaderEnd::kBlankLine, 0},
      {"nul in value", std::string("A: x\0y\n\n", 8), 1, "A", "x", HeaderEnd::kBlankLine, 0},
      {"empty value", "A:\n\n", 1, "A", "", HeaderEnd::kBlankLine, 0},
      {"empty input", "", 0, "", "", HeaderEnd::kEndOfInput, 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> warnings;
    HeaderBlock block = ParseHeaders(c.input, 0, Limits(), &warnings);
    EXPECT_EQ(block.fields.size(), c.fields);
    if (c.fields > 0) {
      EXPECT_EQ(block.fields[0].name, c.first_name);
      EXPECT_EQ(block.fields[0].value.substr(0, 1), std::string(c.first_value).substr(0, 1));
    }
    EXPECT_EQ(block.ended_by, c.ended_by);
    EXPECT_EQ(warnings.size(), c.warnings);
  }
}

TEST(Headers, KeepsNulBytesInValues) {
  const std::string input("A: x\0y\n\n", 8);
  HeaderBlock block = ParseHeaders(input, 0, Limits(), nullptr);
  ASSERT_EQ(block.fields.size(), 1u);
  EXPECT_EQ(block.fields[0].value, std::string("x\0y", 3));
}

TEST(Headers, NonFieldLineEndsBlockAtThatLine) {
  const std::string input = "A: 1\nthis is the body\n";
  std::vector<std::string> warnings;
  HeaderBlock block = ParseHeaders(input, 0, Limits(), &warnings);
  EXPECT_EQ(block.body_begin, 5u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "headers: line at offset 5 is not a field and has no blank line before it, body "
            "assumed to start there");
}

TEST(Headers, NonFieldLineOptions) {
  const std::string input = "A: one\ntwo\nB: 3\n\n";
  HeaderOptions options;
  options.non_field_line = NonFieldLine::kContinuesField;
  HeaderBlock joined = ParseHeaders(input, 0, Limits(), nullptr, options);
  ASSERT_EQ(joined.fields.size(), 2u);
  EXPECT_EQ(joined.fields[0].value, "one two");
  options.non_field_line = NonFieldLine::kSkipped;
  HeaderBlock skipped = ParseHeaders(input, 0, Limits(), nullptr, options);
  ASSERT_EQ(skipped.fields.size(), 2u);
  EXPECT_EQ(skipped.fields[0].value, "one");
  EXPECT_EQ(skipped.fields[1].value, "3");
}

TEST(Headers, StartsAtOffset) {
  const std::string input = "junk\nA: 1\n\nbody";
  HeaderBlock block = ParseHeaders(input, 5, Limits(), nullptr);
  ASSERT_EQ(block.fields.size(), 1u);
  EXPECT_EQ(block.fields[0].offset, 5u);
  EXPECT_EQ(block.body_begin, 11u);
}

TEST(Headers, CapsFieldCount) {
  std::string input;
  for (int i = 0; i < 1500; ++i) input += "X-N: " + std::to_string(i) + "\n";
  input += "\nbody";
  std::vector<std::string> warnings;
  HeaderBlock block = ParseHeaders(input, 0, Limits(), &warnings);
  EXPECT_EQ(block.fields.size(), 1000u);
  EXPECT_EQ(block.fields.back().value, "999");
  EXPECT_EQ(input.substr(block.body_begin), "body");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "headers: more than 1000 fields, the rest skipped");
}

TEST(Headers, CutsMegabyteValue) {
  std::string input = "Subject: " + std::string(1u << 20, 'x') + "\nTo: a@example.com\n\n";
  std::vector<std::string> warnings;
  HeaderBlock block = ParseHeaders(input, 0, Limits(), &warnings);
  ASSERT_EQ(block.fields.size(), 2u);
  EXPECT_EQ(block.fields[0].value.size(), Limits().max_header_bytes);
  EXPECT_EQ(block.fields[0].raw_value.size(), (1u << 20) + 1);
  EXPECT_EQ(block.fields[1].value, "a@example.com");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "headers: field \"Subject\" longer than 102400 bytes, value cut");
}

// Unfolding copies a line at a time; the cap must fall on the same byte as
// a byte-by-byte copy would, whether it lands inside a line, on a line
// break or on the space that joins a glued continuation.
TEST(Headers, UnfoldsLineByLineUpToTheCap) {
  const std::string input = "A: one\r two\rthree\r\n four\nfive\n\nbody";
  HeaderOptions options;
  options.non_field_line = NonFieldLine::kContinuesField;
  struct Case {
    size_t cap;
    std::string value;  // trimmed, as stored
    bool cut;
  };
  const Case cases[] = {
      {100, "one\r two\rthree four five", false},
      {8, "one\r two", true},                    // inside a line
      {14, "one\r two\rthree", true},            // full at the CRLF
      {15, "one\r two\rthree", true},            // the fold's own blank fits, then full
      {16, "one\r two\rthree f", true},
      {20, "one\r two\rthree four", true},       // the joining space fits, "five" does not
      {21, "one\r two\rthree four f", true},
      {24, "one\r two\rthree four five", false},  // exact fit
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.cap);
    Limits limits;
    limits.max_header_bytes = c.cap;
    std::vector<std::string> warnings;
    HeaderBlock block = ParseHeaders(input, 0, limits, &warnings, options);
    ASSERT_FALSE(block.fields.empty());
    EXPECT_EQ(block.fields[0].value, c.value);
    const bool cut = std::any_of(warnings.begin(), warnings.end(), [](const std::string& warning) {
      return warning.find("value cut") != std::string::npos;
    });
    EXPECT_EQ(cut, c.cut);
  }
}

TEST(Headers, StripsOneQuoteLevel) {
  const std::string input = "> From: a@example.com\n>Subject: x\n> > deeper\nplain\n";
  UnquotedText unquoted = StripQuoteLevel(input);
  EXPECT_EQ(unquoted.text, "From: a@example.com\nSubject: x\n> deeper\nplain\n");
  // "Subject" starts at 20 in the stripped text and at 23 in the input.
  EXPECT_EQ(unquoted.text.substr(20, 7), "Subject");
  EXPECT_EQ(unquoted.OriginalOffset(20), 23u);
  EXPECT_EQ(input.substr(unquoted.OriginalOffset(unquoted.text.find("plain")), 5), "plain");
  HeaderBlock block = ParseHeaders(unquoted.text, 0, Limits(), nullptr);
  ASSERT_EQ(block.fields.size(), 2u);
  EXPECT_EQ(input.substr(unquoted.OriginalOffset(block.fields[1].value_offset) + 1, 1), "x");
}

TEST(Headers, ParsesAddressLists) {
  const struct {
    const char* name;
    const char* value;
    std::vector<std::string> specs;
    std::vector<std::string> names;
  } cases[] = {
      {"bare", "bob@example.org", {"bob@example.org"}, {""}},
      {"angle", "<bob@example.org>", {"bob@example.org"}, {""}},
      {"display name", "Bob Smith <bob@example.org>", {"bob@example.org"}, {"Bob Smith"}},
      {"quoted name", "\"Smith, Bob\" <bob@example.org>", {"bob@example.org"}, {"Smith, Bob"}},
      {"comment name",
       "MAILER-DAEMON@mx.example.net (Mail Delivery System)",
       {"MAILER-DAEMON@mx.example.net"},
       {"Mail Delivery System"}},
      {"list", "a@x.example, B <b@y.example>", {"a@x.example", "b@y.example"}, {"", "B"}},
      {"group",
       "team: a@x.example, b@y.example;, c@z.example",
       {"a@x.example", "b@y.example", "c@z.example"},
       {"", "", ""}},
      {"empty group", "undisclosed-recipients:;", {}, {}},
      {"null path", "<>", {""}, {""}},
      {"route", "<@relay.example:bob@example.org>", {"bob@example.org"}, {""}},
      {"encoded name", "=?utf-8?q?Jos=C3=A9?= <jose@example.org>", {"jose@example.org"}, {"José"}},
      {"domain literal", "postmaster@[IPv6:2001:db8::1]", {"postmaster@[IPv6:2001:db8::1]"}, {""}},
      {"name only dropped", "John Doe", {}, {}},
      {"local only kept", "MAILER-DAEMON", {"MAILER-DAEMON"}, {""}},
      {"nested comment", "bob@example.org (a (b) c)", {"bob@example.org"}, {"a (b) c"}},
      {"unclosed angle", "Bob <bob@example.org", {"bob@example.org"}, {"Bob"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<Address> addresses = ParseAddressList(c.value);
    ASSERT_EQ(addresses.size(), c.specs.size());
    for (size_t i = 0; i < addresses.size(); ++i) {
      EXPECT_EQ(addresses[i].addr_spec, c.specs[i]);
      EXPECT_EQ(addresses[i].display_name, c.names[i]);
    }
  }
}

TEST(Headers, SplitsAddresses) {
  EXPECT_EQ(DomainOf("bob@Example.ORG"), "Example.ORG");
  EXPECT_EQ(DomainOf("\"a@b\"@example.org."), "example.org");
  EXPECT_EQ(DomainOf("nobody"), "");
  EXPECT_EQ(LocalPartOf("bob@example.org"), "bob");
  EXPECT_EQ(LocalPartOf("nobody"), "nobody");
}

}  // namespace
}  // namespace bouncedx::mail
