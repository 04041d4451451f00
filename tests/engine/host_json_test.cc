// SPDX-License-Identifier: MIT
#include "core/engine/host_json.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace bouncedx {
namespace {

using namespace std::string_literals;

TEST(OptionsFromJson, ReadsKnownFields) {
  std::vector<std::string> warnings;
  const Options options = OptionsFromJson(
      R"({"now_unix": 1700000000, "dns_checks": false, "spamhaus_dqs_key": "abc123XYZ"})",
      &warnings);
  EXPECT_EQ(options.now_unix, 1700000000);
  EXPECT_FALSE(options.dns_checks);
  EXPECT_EQ(options.spamhaus_dqs_key, "abc123XYZ");
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(options.limits.max_dns_questions, Limits().max_dns_questions);
}

TEST(OptionsFromJson, CutsFractionalSecondsToWholeSeconds) {
  std::vector<std::string> warnings;
  const Options options = OptionsFromJson(R"({"now_unix": 1700000000.875})", &warnings);
  EXPECT_EQ(options.now_unix, 1700000000);
  EXPECT_TRUE(warnings.empty());
}

TEST(OptionsFromJson, BlankTextMeansDefaultsWithoutWarning) {
  for (std::string_view json : {"", "  \n", "{}"}) {
    SCOPED_TRACE(std::string(json));
    std::vector<std::string> warnings;
    const Options options = OptionsFromJson(json, &warnings);
    EXPECT_EQ(options.now_unix, 0);
    EXPECT_TRUE(options.dns_checks);
    EXPECT_EQ(options.spamhaus_dqs_key, "");
    EXPECT_TRUE(warnings.empty());
  }
}

TEST(OptionsFromJson, WarnsAndKeepsDefaultsOnBadFields) {
  struct Case {
    const char* name;
    std::string json;
    std::vector<std::string> warnings;
  };
  const Case cases[] = {
      {"not json", "{now_unix: 1}", {"options: not valid JSON; defaults kept"}},
      {"truncated", R"({"now_unix": 1)", {"options: not valid JSON; defaults kept"}},
      {"array", "[1,2]", {"options: expected an object, got an array; defaults kept"}},
      {"string", R"("x")", {"options: expected an object, got a string; defaults kept"}},
      {"unknown field", R"({"colour": "red"})", {"options: unknown field \"colour\" ignored"}},
      {"control bytes in field name", R"({"a\nb": 1})", {"options: unknown field \"a b\" ignored"}},
      {"now_unix string",
       R"({"now_unix": "1700000000"})",
       {"options: now_unix: expected a number, got a string; default kept"}},
      {"now_unix negative", R"({"now_unix": -5})", {"options: now_unix: negative; default kept"}},
      {"now_unix huge", R"({"now_unix": 1e30})", {"options: now_unix: out of range; default kept"}},
      {"now_unix too big integer",
       R"({"now_unix": 18446744073709551615})",
       {"options: now_unix: out of range; default kept"}},
      {"dns_checks number",
       R"({"dns_checks": 0})",
       {"options: dns_checks: expected a boolean, got a number; default kept"}},
      {"dns_checks null",
       R"({"dns_checks": null})",
       {"options: dns_checks: expected a boolean, got null; default kept"}},
      {"key not string",
       R"({"spamhaus_dqs_key": ["k"]})",
       {"options: spamhaus_dqs_key: expected a string, got an array; default kept"}},
      {"key with dot",
       R"({"spamhaus_dqs_key": "a.b"})",
       {"options: spamhaus_dqs_key: only letters and digits allowed; default kept"}},
      {"key too long",
       R"({"spamhaus_dqs_key": ")" + std::string(64, 'k') + R"("})",
       {"options: spamhaus_dqs_key: longer than 63 bytes; default kept"}},
      {"several",
       R"({"dns_checks": "no", "zzz": 1})",
       {"options: dns_checks: expected a boolean, got a string; default kept",
        "options: unknown field \"zzz\" ignored"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> warnings;
    const Options options = OptionsFromJson(c.json, &warnings);
    EXPECT_EQ(warnings, c.warnings);
    EXPECT_EQ(options.now_unix, 0);
    EXPECT_TRUE(options.dns_checks);
    EXPECT_EQ(options.spamhaus_dqs_key, "");
  }
}

TEST(OptionsFromJson, KeepsGoodFieldsBesideBadOnes) {
  std::vector<std::string> warnings;
  const Options options =
      OptionsFromJson(R"({"now_unix": 42, "dns_checks": "yes", "extra": {}})", &warnings);
  EXPECT_EQ(options.now_unix, 42);
  EXPECT_TRUE(options.dns_checks);
  EXPECT_EQ(warnings.size(), 2u);
}

TEST(OptionsFromJson, AcceptsNullWarningList) {
  const Options options = OptionsFromJson(R"({"now_unix": 7, "bad": 1})", nullptr);
  EXPECT_EQ(options.now_unix, 7);
  EXPECT_EQ(OptionsFromJson("not json", nullptr).now_unix, 0);
}

TEST(QuestionsToJson, WritesFieldsInOrderWithBase64UrlQuery) {
  std::vector<Question> questions(2);
  questions[0].id = 1;
  questions[0].name = "www.example.com";
  questions[0].type = 1;
  questions[0].wire =
      "\x00\x00\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x07"
      "example\x03"
      "com\x00\x00\x01\x00\x01"s;
  questions[1].id = 2;
  questions[1].name = "5.113.0.203.in-addr.arpa";
  questions[1].type = 12;
  questions[1].wire = "\xff\xfe"s;
  EXPECT_EQ(QuestionsToJson(questions),
            R"([{"id":1,"name":"www.example.com","type":1,"type_name":"A",)"
            R"("dns":"AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB"},)"
            R"({"id":2,"name":"5.113.0.203.in-addr.arpa","type":12,"type_name":"PTR",)"
            R"("dns":"__4"}])");
}

TEST(QuestionsToJson, EmptyListIsEmptyArray) { EXPECT_EQ(QuestionsToJson({}), "[]"); }

TEST(QuestionsToJson, ReplacesInvalidUtf8AndEscapesQuotes) {
  Question question;
  question.id = 9;
  question.name = "bad\xff\"name";
  question.type = 16;
  EXPECT_EQ(QuestionsToJson({question}),
            "[{\"id\":9,\"name\":\"bad\xef\xbf\xbd\\\"name\",\"type\":16,"
            "\"type_name\":\"TXT\",\"dns\":\"\"}]");
}

TEST(StringsToJson, WritesArrayOfValidUtf8Strings) {
  EXPECT_EQ(StringsToJson({}), "[]");
  EXPECT_EQ(StringsToJson({"a \"b\"", "c\n", "\xff"}),
            "[\"a \\\"b\\\"\",\"c\\n\",\"\xef\xbf\xbd\"]");
}

TEST(QuestionsToJson, NamesUnknownTypesInGenericForm) {
  Question question;
  question.id = 3;
  question.name = "example.com";
  question.type = 65280;  // private use, RFC 6895 §3.1
  EXPECT_EQ(QuestionsToJson({question}),
            R"([{"id":3,"name":"example.com","type":65280,"type_name":"TYPE65280","dns":""}])");
}

TEST(FailureKind, NamesRoundTrip) {
  const FailureKind kinds[] = {FailureKind::kTimeout,     FailureKind::kNetwork,
                               FailureKind::kHttpStatus,  FailureKind::kRefused,
                               FailureKind::kBadResponse, FailureKind::kCancelled};
  const char* names[] = {"timeout", "network",      "http_status",
                         "refused", "bad_response", "cancelled"};
  for (size_t i = 0; i < 6; ++i) {
    SCOPED_TRACE(names[i]);
    EXPECT_STREQ(FailureKindName(kinds[i]), names[i]);
    FailureKind parsed = FailureKind::kCancelled;
    ASSERT_TRUE(FailureKindFromName(names[i], &parsed));
    EXPECT_EQ(parsed, kinds[i]);
  }
}

TEST(FailureKind, RejectsUnknownNamesWithoutTouchingOutput) {
  for (std::string_view name : {"", "Timeout", "timeout ", "http-status", "other"}) {
    SCOPED_TRACE(std::string(name));
    FailureKind kind = FailureKind::kRefused;
    EXPECT_FALSE(FailureKindFromName(name, &kind));
    EXPECT_EQ(kind, FailureKind::kRefused);
  }
}

}  // namespace
}  // namespace bouncedx
