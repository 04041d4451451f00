// SPDX-License-Identifier: MIT
#include "core/report/json_writer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <set>
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

TEST(AppendJsonString, AgreesWithTheLibraryAtEveryPlaceInLongerText) {
  // The writer copies sixteen or eight bytes at a time and ends with a word
  // that overlaps what it wrote: put each kind of byte at each place, once
  // and twice, in texts of every length around those blocks.
  const std::string specials[] = {"\"", "\\", "\n", "\x01", "\x1F", "\xC3\xA9", "\xFF", "\xE2\x82"};
  for (size_t length = 0; length <= 40; ++length) {
    for (size_t at = 0; at <= length; ++at) {
      for (const std::string& special : specials) {
        for (size_t second = at; second <= length; second += 5) {
          std::string text(length, 'a');
          for (size_t k = 0; k < length; ++k) text[k] = static_cast<char>('a' + k % 26);
          text.insert(second, special);
          text.insert(at, special);
          std::string out = "[";
          AppendJsonString(&out, text);
          ASSERT_EQ(out, "[" + LibraryDump(text)) << length << " " << at << " " << second;
        }
      }
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

// A report in which every array holds an element and strings need
// escaping, so that its text covers each member the writer can emit.
Report FullReport() {
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

  return report;
}

TEST(ReportToJson, ReadsBackToTheSameTextThroughTheLibrary) {
  const Report report = FullReport();
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

// Collects every object member name in `value`, at any depth.
void CollectKeys(const nlohmann::ordered_json& value, std::set<std::string>* keys) {
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      keys->insert(key);
      CollectKeys(member, keys);
    }
  } else if (value.is_array()) {
    for (const auto& element : value) CollectKeys(element, keys);
  }
}

TEST(ReportToJson, WritesOnlyPlainKeys) {
  // The writer copies the report's keys without escaping them (PlainKey);
  // every one must be plain, and snake_case as STYLE.md wants.
  nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(ReportToJson(FullReport()), nullptr, false);
  ASSERT_FALSE(parsed.is_discarded());
  std::set<std::string> keys;
  CollectKeys(parsed, &keys);
  // Every distinct name report_json.cc writes (FullReport() leaves no array
  // empty, so none is missed).
  EXPECT_EQ(keys.size(), 104u);
  for (const std::string& key : keys) {
    SCOPED_TRACE(key);
    EXPECT_TRUE(IsPlainJsonKey(key));
    EXPECT_EQ(key.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string::npos);
  }
}

TEST(ReportToJson, AppendsAfterWhatTheBufferHolds) {
  const Report report = FullReport();
  const std::string alone = ReportToJson(report);
  std::string buffer = "line 1\n";
  AppendReportJson(report, &buffer);
  EXPECT_EQ(buffer, "line 1\n" + alone);
  // A buffer reused across reports holds the latest one only.
  buffer.clear();
  AppendReportJson(Report{}, &buffer);
  buffer.clear();
  AppendReportJson(report, &buffer);
  EXPECT_EQ(buffer, alone);
}

TEST(IsPlainJsonKey, AcceptsPrintableAsciiWithoutQuoteOrBackslash) {
  EXPECT_TRUE(IsPlainJsonKey("cause_id"));
  EXPECT_TRUE(IsPlainJsonKey(""));
  EXPECT_TRUE(IsPlainJsonKey(" ~!#"));
  EXPECT_FALSE(IsPlainJsonKey("say \"hi\""));
  EXPECT_FALSE(IsPlainJsonKey("back\\slash"));
  EXPECT_FALSE(IsPlainJsonKey("tab\there"));
  EXPECT_FALSE(IsPlainJsonKey("\x7F"));
  EXPECT_FALSE(IsPlainJsonKey("\xC3\xA9t\xC3\xA9"));
  static_assert(IsPlainJsonKey("verdict"), "usable at compile time");
}

TEST(JsonWriter, PlainKeyWritesWhatKeyWrites) {
  std::string by_key;
  std::string by_plain_key;
  JsonWriter escaping(&by_key);
  JsonWriter plain(&by_plain_key);
  for (JsonWriter* json : {&escaping, &plain}) {
    json->BeginObject();
    for (const char* key : {"a", "input_bytes", "", "x y"}) {
      if (json == &escaping) {
        json->Key(key);
      } else {
        json->PlainKey(key);
      }
      json->Int(-7);
    }
    json->EndObject();
  }
  EXPECT_EQ(by_key, R"({"a":-7,"input_bytes":-7,"":-7,"x y":-7})");
  EXPECT_EQ(by_plain_key, by_key);
}

TEST(JsonWriter, PlainKeysOfEveryLengthArePlainCopies) {
  const std::string letters = "abcdefghijklmnopqrstuvwxyz_0123456789ABCDEFGHIJ";
  for (size_t length = 0; length <= 40; ++length) {
    const std::string key = letters.substr(0, length);
    std::string out;
    JsonWriter json(&out);
    json.BeginObject();
    json.PlainKey(key);
    json.Bool(true);
    json.PlainKeyString(key, "v");
    json.EndObject();
    EXPECT_EQ(out, "{\"" + key + "\":true,\"" + key + "\":\"v\"}") << length;
  }
}

TEST(JsonWriter, PlainKeyStringWritesWhatKeyAndStringWrite) {
  std::string separately;
  std::string together;
  JsonWriter escaping(&separately);
  JsonWriter plain(&together);
  escaping.BeginObject();
  plain.BeginObject();
  for (const char* value : {"", "plain", "tab\there, \"quoted\"", "\xC3\xA9t\xC3\xA9", "bad \xFF byte"}) {
    escaping.Key("k");
    escaping.String(value);
    plain.PlainKeyString("k", value);
  }
  escaping.EndObject();
  plain.EndObject();
  EXPECT_EQ(separately,
            "{\"k\":\"\",\"k\":\"plain\",\"k\":\"tab\\there, \\\"quoted\\\"\",\"k\":\"\xC3\xA9t\xC3\xA9\","
            "\"k\":\"bad \xEF\xBF\xBD byte\"}");
  EXPECT_EQ(together, separately);
}

TEST(JsonWriter, GrowsThroughAndPastTheStringsCapacity) {
  // Values longer than one step of growth, escaped ones (which may grow
  // sixfold) among them, into a string that starts with text of its own.
  std::string out = "[prefix]";
  std::string expected = "[prefix][";
  {
    JsonWriter json(&out);
    json.BeginArray();
    for (int i = 0; i < 40; ++i) {
      const std::string value(static_cast<size_t>(i) * 500, i % 2 == 0 ? 'a' : '\x01');
      json.String(value);
      expected += (i == 0 ? "" : ",") + LibraryDump(value);
    }
    json.EndArray();
    expected += "]";
    // Exact as soon as the outermost container closes.
    EXPECT_EQ(out, expected);
  }
  EXPECT_EQ(out, expected);
}

TEST(JsonWriter, TrimsSpareBytesWhenLeftOpen) {
  std::string out;
  {
    JsonWriter json(&out);
    json.BeginObject();
    json.PlainKey("k");
    json.Bool(true);
  }
  EXPECT_EQ(out, R"({"k":true)");
}

}  // namespace
}  // namespace bouncedx
