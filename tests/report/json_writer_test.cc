// SPDX-License-Identifier: MIT
#include "core/report/json_writer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "core/report/report.h"
#include "core/report/report_json.h"

namespace bouncedx {
namespace {

using namespace std::string_literals;

// What nlohmann's dump() writes for the string, as the old report writer did.
std::string LibraryDump(const std::string& value) {
  return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST(JsonWriter, WritesNestedContainersWithCommas) {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.Key("schema");
  json.Int(1);
  json.Key("list");
  json.BeginArray();
  json.String("a");
  json.BeginObject();
  json.EndObject();
  json.BeginArray();
  json.EndArray();
  json.Bool(false);
  json.EndArray();
  json.Key("empty");
  json.BeginArray();
  json.EndArray();
  json.Key("inner");
  json.BeginObject();
  json.Key("t");
  json.Bool(true);
  json.Key("n");
  json.Uint(42);
  json.EndObject();
  json.EndObject();
  EXPECT_EQ(out, R"({"schema":1,"list":["a",{},[],false],"empty":[],"inner":{"t":true,"n":42}})");
}

TEST(JsonWriter, WritesIntegersInDecimal) {
  std::string out;
  JsonWriter json(&out);
  json.BeginArray();
  json.Int(0);
  json.Int(-1);
  json.Int(std::numeric_limits<int64_t>::min());
  json.Int(std::numeric_limits<int64_t>::max());
  json.Uint(std::numeric_limits<uint64_t>::max());
  json.Uint(1000);
  json.EndArray();
  EXPECT_EQ(out,
            "[0,-1,-9223372036854775808,9223372036854775807,18446744073709551615,1000]");
}

TEST(AppendJsonString, EscapesLikeTheLibrary) {
  struct Case {
    const char* name;
    std::string value;
    std::string expected;
  };
  const Case cases[] = {
      {"plain", "hello", R"("hello")"},
      {"empty", "", R"("")"},
      {"quote and backslash", R"(say "hi" \o/)", R"("say \"hi\" \\o/")"},
      {"short escapes", "a\bb\fc\nd\re\tf", R"("a\bb\fc\nd\re\tf")"},
      {"other controls", "\x01\x1f"s + "\0"s, R"("\u0001\u001f\u0000")"},
      {"delete kept", "a\x7f", "\"a\x7f\""},
      {"slash kept", "a/b", R"("a/b")"},
      {"utf-8 kept", "\xC3\xA9t\xC3\xA9 \xE2\x80\xA6 \xF0\x9F\x93\xA7", "\"\xC3\xA9t\xC3\xA9 \xE2\x80\xA6 \xF0\x9F\x93\xA7\""},
      {"invalid byte replaced", "a\xFF" "b", "\"a\xEF\xBF\xBD" "b\""},
      {"cut sequence replaced", "a\xC3", "\"a\xEF\xBF\xBD\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string out = "x";
    AppendJsonString(&out, c.value);
    EXPECT_EQ(out, "x" + c.expected);
    EXPECT_EQ(out.substr(1), LibraryDump(c.value));
  }
}

TEST(AppendJsonString, AgreesWithTheLibraryOnEveryByteAndPair) {
  for (int a = 0; a < 256; ++a) {
    std::string one(1, static_cast<char>(a));
    std::string out;
    AppendJsonString(&out, one);
    ASSERT_EQ(out, LibraryDump(one)) << "byte " << a;
    for (int b = 0x80; b < 256; b += 7) {
      std::string two = one + static_cast<char>(b) + "z\xE2\x82\xAC";
      out.clear();
      AppendJsonString(&out, two);
      ASSERT_EQ(out, LibraryDump(two)) << "bytes " << a << " " << b;
    }
  }
}

TEST(AppendJsonString, ReplacesIllFormedUtf8LikeTheLibrary) {
  // Every triple of bytes at the edges of UTF-8's ranges, between ASCII
  // neighbours and at the end of the text: leads that cannot start a
  // sequence, overlong and surrogate second bytes, sequences cut short.
  const unsigned char edges[] = {0x00, 0x22, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
                                 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
  std::string out;
  for (unsigned char a : edges) {
    for (unsigned char b : edges) {
      for (unsigned char c : edges) {
        for (const char* tail : {"", "\x80\x80", "z"}) {
          std::string text = "x";
          text += static_cast<char>(a);
          text += static_cast<char>(b);
          text += static_cast<char>(c);
          text += tail;
          out.clear();
          AppendJsonString(&out, text);
          ASSERT_EQ(out, LibraryDump(text)) << int{a} << " " << int{b} << " " << int{c};
        }
      }
    }
  }
  // Random bytes, mostly high ones.
  uint32_t state = 12345;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int length = round % 17;
    for (int k = 0; k < length; ++k) {
      state = state * 1664525u + 1013904223u;
      text += static_cast<char>((state >> 24) | ((state >> 8) & 1 ? 0x80 : 0));
    }
    out.clear();
    AppendJsonString(&out, text);
    ASSERT_EQ(out, LibraryDump(text)) << "round " << round;
  }
}

TEST(ReportToJson, ReadsBackToTheSameTextThroughTheLibrary) {
  // Every array holds an element and strings need escaping, so the text
  // covers each member the writer can emit.
  Report report;
  report.input_id = "id \"1\"";
  report.input_kind = InputKind::kBounce;
  report.input_bytes = 4096;
  report.analysed_bytes = 4000;
  report.warnings = {"w1", "tab\there"};
  Recipient recipient;
  recipient.address = "bob@example.net";
  recipient.reply_code = 550;
  recipient.meanings = {{"550", "mailbox unavailable", ""}};
  report.recipients = {recipient, Recipient{}};
  report.verdict.cause_id = "mailbox_unknown";
  report.verdict.generic = true;
  report.verdict.alternatives = {"a"};
  report.evidence = {{10, 20, "sig", "text\n", "cause"}};
  report.fix = {{"sender", "You", "do it", {{"page", "https://example.com/?a=1&b=\"2\""}}}};
  report.links = {{"l", "https://example.org/"}};
  report.entities.dkim = {{"example.com", "s1"}};
  report.entities.one_click_unsubscribe = true;
  report.original.present = true;
  report.original.subject = "\xC3\xA9t\xC3\xA9";
  Hop hop;
  hop.unix_time = 1715670756;
  hop.delay_seconds = -1;
  hop.edge = true;
  report.hops = {hop};
  report.edge.hop = -1;
  report.edge.reasoning = {"r"};
  AuthResult auth;
  auth.method = "spf";
  auth.trusted = true;
  report.auth_results = {auth};
  report.header_findings = {{"X-Spam", "score", "9.1", "spam"}};
  Check check;
  check.id = "mx";
  check.state = CheckState::kWarn;
  check.details = {"d"};
  check.records = {{"example.com", "MX", 4294967295u, "10 mx.example.com"}};
  report.checks = {check};

  std::string text = ReportToJson(report);
  nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(text, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded());
  EXPECT_EQ(parsed.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace), text);
  const std::string_view head =
      R"({"schema":1,"input_id":"id \"1\"","input_kind":"bounce","input_bytes":4096,"analysed_bytes":4000,)";
  EXPECT_EQ(text.substr(0, head.size()), head);
  EXPECT_EQ(parsed["checks"][0]["records"][0]["ttl"], 4294967295u);
  EXPECT_EQ(parsed["hops"][0]["delay_seconds"], -1);
  EXPECT_EQ(parsed["checks"][0]["state"], "warn");
}

}  // namespace
}  // namespace bouncedx
