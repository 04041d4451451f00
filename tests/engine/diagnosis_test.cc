// SPDX-License-Identifier: MIT
#include "core/engine/diagnosis.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "core/classify/explain.h"
#include "core/knowledge/knowledge.h"
#include "core/report/report_json.h"

namespace bouncedx {
namespace {

TEST(PlaceholderValues, FindsWhatWasSetAndTheLatestValue) {
  PlaceholderValues values;
  EXPECT_EQ(values.Find("ip"), nullptr);
  values.Set("ip", "192.0.2.1");
  values.Set("zone", "");
  values.Set("ip", "192.0.2.7");
  ASSERT_NE(values.Find("ip"), nullptr);
  EXPECT_EQ(*values.Find("ip"), "192.0.2.7");
  ASSERT_NE(values.Find("zone"), nullptr);
  EXPECT_EQ(*values.Find("zone"), "");
  EXPECT_EQ(values.Find("i"), nullptr);
  EXPECT_EQ(values.Find("ipv6"), nullptr);
}

TEST(FillPlaceholders, UsesValuesThenTheKnowledgesPhrases) {
  const Knowledge& knowledge = Knowledge::Get();
  ASSERT_TRUE(knowledge.load_status().ok());
  PlaceholderValues values;
  values.Set("ip", "192.0.2.1");
  values.Set("zone", "");  // empty: the generic phrase
  EXPECT_EQ(FillPlaceholders(knowledge, "{ip} is listed on {zone}; {nosuch} {} {ip", values),
            "192.0.2.1 is listed on the blocklist named in the bounce; {nosuch} {} {ip");
  EXPECT_EQ(FillPlaceholders(knowledge, "ask {provider_postmaster}", PlaceholderValues()),
            "ask the receiving provider's postmaster page");
}

TEST(Diagnosis, EmptyInputSaysWhatToPaste) {
  for (const char* input : {"", "   \n\t\r\n  "}) {
    SCOPED_TRACE(input);
    Diagnosis diagnosis(input, Options());
    const Report& report = diagnosis.report();
    EXPECT_EQ(report.input_kind, InputKind::kEmpty);
    ASSERT_FALSE(report.warnings.empty());
    EXPECT_EQ(report.warnings[0].rfind("input: nothing to diagnose", 0), 0u) << report.warnings[0];
    EXPECT_EQ(report.verdict.cause_id, "unknown");
    EXPECT_TRUE(diagnosis.finished());
  }
}

TEST(Diagnosis, BinaryInputIsRecognised) {
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary.push_back(static_cast<char>(i % 256));
  Diagnosis diagnosis(binary, Options());
  const Report& report = diagnosis.report();
  EXPECT_EQ(report.input_kind, InputKind::kBinary);
  ASSERT_FALSE(report.warnings.empty());
  EXPECT_EQ(report.warnings[0].rfind("input: this is binary data, not mail text", 0), 0u)
      << report.warnings[0];
  EXPECT_EQ(report.verdict.cause_id, "unknown");
}

TEST(Diagnosis, HugeInputIsCutWithAWarningAndStillDiagnosed) {
  std::string input = "554 5.7.1 : Relay access denied\n";
  input.append(40u << 20, 'x');
  Options options;
  Diagnosis diagnosis(input, options);
  const Report& report = diagnosis.report();
  EXPECT_EQ(report.input_bytes, input.size());
  EXPECT_EQ(report.analysed_bytes, options.limits.max_input_bytes);
  ASSERT_FALSE(report.warnings.empty());
  EXPECT_EQ(report.warnings[0],
            "input: " + std::to_string(input.size()) +
                " bytes is more than the limit of 33554432 bytes; only the first part was "
                "analysed");
  EXPECT_EQ(report.verdict.cause_id, "relay_denied");
}

TEST(Diagnosis, TextWithoutAnySignalSaysSo) {
  Diagnosis diagnosis("hello, my mail came back, can you help?", Options());
  const Report& report = diagnosis.report();
  EXPECT_EQ(report.input_kind, InputKind::kText);
  EXPECT_EQ(report.verdict.cause_id, "unknown");
  ASSERT_FALSE(report.warnings.empty());
  EXPECT_EQ(report.warnings.back().rfind("input: no SMTP reply code and no known bounce wording", 0),
            0u);
}

TEST(Diagnosis, FallsBackOnTheEnhancedCodeAndSaysItIsGeneric) {
  Diagnosis diagnosis("550 5.1.1 zq xv wk", Options());
  const Report& report = diagnosis.report();
  EXPECT_TRUE(report.verdict.generic);
  EXPECT_EQ(report.verdict.basis, "enhanced_code");
  EXPECT_EQ(report.verdict.cause_class, "recipient_unknown");
  EXPECT_EQ(report.verdict.confidence, "low");
}

TEST(Diagnosis, FallsBackOnTheReplyCodeWhenThereIsNoEnhancedCode) {
  Diagnosis diagnosis("452 zq xv wk", Options());
  const Report& report = diagnosis.report();
  EXPECT_TRUE(report.verdict.generic);
  EXPECT_EQ(report.verdict.basis, "reply_code");
  EXPECT_EQ(report.verdict.severity, "transient");
}

TEST(Diagnosis, TransientCodesMakeATransientVerdict) {
  Diagnosis diagnosis("454 4.7.1 <bob@example.com>: Relay access denied", Options());
  EXPECT_EQ(diagnosis.report().verdict.cause_id, "relay_denied");
  EXPECT_EQ(diagnosis.report().verdict.severity, "transient");
}

TEST(Diagnosis, DisagreeingCodesAreNoted) {
  Diagnosis diagnosis("550 4.7.1 Greylisted, please try again later", Options());
  const Report& report = diagnosis.report();
  bool noted = false;
  for (const std::string& warning : report.warnings) {
    if (warning == "smtp reply: enhanced code 4.7.1 disagrees with reply code 550; the enhanced "
                   "code decides whether to retry") {
      noted = true;
    }
  }
  EXPECT_TRUE(noted);
  EXPECT_EQ(report.verdict.severity, "transient");
}

TEST(Diagnosis, UnknownQuestionIdsAreIgnoredAndNoted) {
  Diagnosis diagnosis("554 5.7.1 Delivery not authorized", Options());
  diagnosis.OnAnswer(99, "garbage");
  diagnosis.OnFailure(98, FailureKind::kTimeout, "late");
  EXPECT_TRUE(diagnosis.finished());
  const auto& warnings = diagnosis.report().warnings;
  ASSERT_GE(warnings.size(), 2u);
  EXPECT_EQ(warnings[warnings.size() - 2], "dns: answer for unknown question 99 ignored");
  EXPECT_EQ(warnings.back(), "dns: failure for unknown question 98 ignored");
}

TEST(Diagnosis, EvidenceSpansPointAtTheInputBytes) {
  std::string input = "Remote Server returned '554 5.7.1 : Relay access denied'";
  Diagnosis diagnosis(input, Options());
  const Report& report = diagnosis.report();
  ASSERT_FALSE(report.evidence.empty());
  for (const EvidenceSpan& span : report.evidence) {
    ASSERT_LE(span.end, input.size());
    EXPECT_EQ(input.substr(span.begin, span.end - span.begin), span.text);
  }
}

TEST(Diagnosis, ReadsTheSendingAddressFromTheReply) {
  struct Case {
    const char* input;
    const char* ip;
  };
  const Case cases[] = {
      {"554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked", "203.0.113.5"},
      {"550 5.7.1 Mail from 198.51.100.23. refused", "198.51.100.23"},
      {"550 5.7.1 Client host [IPv6:2001:db8::25] rejected: Access denied", "2001:db8::25"},
      {"550 5.7.1 version 1.2.3.4.5 refused", ""},
      {"550 5.7.1 host 203.0.113.256 refused", ""},
      {"550 5.7.1 from [::::] refused", ""},
  };
  Options options;
  options.dns_checks = false;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    Diagnosis diagnosis(c.input, options);
    EXPECT_EQ(diagnosis.report().entities.sending_ip, c.ip);
  }
}

TEST(ReportJson, HasEveryTopLevelKeyAndTheSchemaVersion) {
  Diagnosis diagnosis("554 5.7.1 : Relay access denied", Options());
  std::string text = ReportToJson(diagnosis.report());
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  EXPECT_EQ(json["schema"], 1);
  for (const char* key : {"input_kind", "input_bytes", "analysed_bytes", "warnings", "recipients",
                          "verdict", "evidence", "explanation", "fix", "links", "entities", "hops",
                          "auth_results", "checks"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  EXPECT_EQ(json["input_kind"], "smtp_reply");
  EXPECT_EQ(json["verdict"]["cause_id"], "relay_denied");
  EXPECT_EQ(json["recipients"][0]["reply_code"], 554);
}

TEST(ReportJson, InvalidUtf8NeverBreaksTheJson) {
  std::string input = "554 5.7.1 : Relay access denied \xff\xfe\xc3";
  Diagnosis diagnosis(input, Options());
  nlohmann::json json = nlohmann::json::parse(ReportToJson(diagnosis.report()), nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  EXPECT_EQ(json["recipients"][0]["diagnostic"],
            "Relay access denied \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace bouncedx
