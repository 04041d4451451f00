// SPDX-License-Identifier: MIT
// The live checks inside a Diagnosis, driven by recorded answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/checks/reverse_dns.h"
#include "core/dns/ip.h"
#include "core/dns/types.h"
#include "core/engine/diagnosis.h"
#include "tests/testing/fake_zone.h"

namespace bouncedx {
namespace {

using testing::Drive;
using testing::FakeZone;

const Check* FindCheck(const Report& report, const std::string& id) {
  for (const Check& check : report.checks) {
    if (check.id == id) return &check;
  }
  return nullptr;
}

constexpr char kFilterReply[] = "554 5.7.1 [203.0.113.5] Delivery not authorized";

TEST(Checks, OfflineReportHasPendingChecksBeforeAnyAnswer) {
  Diagnosis diagnosis(kFilterReply, Options());
  const Check* ptr = FindCheck(diagnosis.report(), "ptr");
  ASSERT_NE(ptr, nullptr);
  EXPECT_EQ(ptr->state, CheckState::kPending);
  EXPECT_FALSE(diagnosis.finished());
  std::vector<Question> questions = diagnosis.TakeQuestions();
  ASSERT_FALSE(questions.empty());
  EXPECT_EQ(questions[0].name, "5.113.0.203.in-addr.arpa");
  EXPECT_EQ(questions[0].type, dns::RrType::kPtr);
  // The wire form is a query with message ID 0.
  ASSERT_GE(questions[0].wire.size(), 12u);
  EXPECT_EQ(questions[0].wire[0], 0);
  EXPECT_EQ(questions[0].wire[1], 0);
  EXPECT_TRUE(diagnosis.TakeQuestions().empty());
}

TEST(Checks, DnsChecksOffAsksNothing) {
  Options options;
  options.dns_checks = false;
  Diagnosis diagnosis(kFilterReply, options);
  EXPECT_TRUE(diagnosis.TakeQuestions().empty());
  EXPECT_TRUE(diagnosis.finished());
  EXPECT_TRUE(diagnosis.report().checks.empty());
}

TEST(Checks, MissingPtrRefinesTheFilterVerdict) {
  FakeZone zone;  // nothing: every name is NXDOMAIN
  Diagnosis diagnosis(kFilterReply, Options());
  ASSERT_TRUE(Drive(diagnosis, zone, 20));
  const Report& report = diagnosis.report();
  const Check* ptr = FindCheck(report, "ptr");
  ASSERT_NE(ptr, nullptr);
  EXPECT_EQ(ptr->state, CheckState::kFail);
  EXPECT_EQ(ptr->cause_id, "ptr_missing");
  EXPECT_EQ(ptr->summary,
            "203.0.113.5 has no reverse DNS name (no PTR record: the name does not exist "
            "(NXDOMAIN))");
  EXPECT_EQ(report.verdict.cause_id, "ptr_missing");
  EXPECT_EQ(report.verdict.basis, "dns");
  EXPECT_EQ(report.verdict.confidence, "high");
  ASSERT_FALSE(report.verdict.alternatives.empty());
  EXPECT_EQ(report.verdict.alternatives[0].rfind("connection_not_authorized: ", 0), 0u);
  // The fix names the address.
  bool names_ip = false;
  for (const FixStep& step : report.fix) names_ip |= step.text.find("203.0.113.5") != std::string::npos;
  EXPECT_TRUE(names_ip);
}

TEST(Checks, PtrNotForwardConfirmed) {
  FakeZone zone;
  zone.AddPtr("5.113.0.203.in-addr.arpa", "mail.mismatch.example");
  zone.AddA("mail.mismatch.example", "203.0.113.99");
  Diagnosis diagnosis(kFilterReply, Options());
  ASSERT_TRUE(Drive(diagnosis, zone, 20));
  const Report& report = diagnosis.report();
  EXPECT_EQ(FindCheck(report, "ptr")->state, CheckState::kPass);
  const Check* fcrdns = FindCheck(report, "fcrdns");
  ASSERT_NE(fcrdns, nullptr);
  EXPECT_EQ(fcrdns->state, CheckState::kFail);
  EXPECT_EQ(fcrdns->summary,
            "the PTR name mail.mismatch.example does not resolve back to 203.0.113.5 "
            "(mail.mismatch.example resolves to 203.0.113.99)");
  EXPECT_EQ(report.verdict.cause_id, "ptr_not_fcrdns");
}

TEST(Checks, ForwardConfirmedPtrPasses) {
  FakeZone zone;
  zone.AddPtr("5.113.0.203.in-addr.arpa", "mail.good.example");
  zone.AddA("mail.good.example", "203.0.113.5");
  Diagnosis diagnosis(kFilterReply, Options());
  ASSERT_TRUE(Drive(diagnosis, zone, 20));
  const Report& report = diagnosis.report();
  EXPECT_EQ(FindCheck(report, "ptr")->state, CheckState::kPass);
  EXPECT_EQ(FindCheck(report, "fcrdns")->state, CheckState::kPass);
  EXPECT_EQ(FindCheck(report, "fcrdns")->summary,
            "mail.good.example resolves back to 203.0.113.5 (forward-confirmed)");
}

TEST(Checks, GenericPtrNameIsAWarning) {
  struct Case {
    const char* name;
    bool generic;
  };
  const Case cases[] = {
      {"198-51-100-23.dyn.isp.example", true},
      {"dsl-pool-17.isp.example", true},
      {"23.100.51.198.broadband.example", true},
      {"mail.example.com", false},
      {"mx1.mailhost.example", false},
  };
  dns::IpAddress ip;
  ASSERT_TRUE(dns::ParseIp("198.51.100.23", &ip));
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string why;
    EXPECT_EQ(LooksGenericPtr(c.name, ip, &why), c.generic) << why;
  }
}

TEST(Checks, ResolverDownEndsInErrorAndKeepsTheOfflineVerdict) {
  FakeZone zone;
  Diagnosis probe(kFilterReply, Options());
  for (const Question& q : probe.TakeQuestions()) zone.Fail(q.name, q.type, FailureKind::kNetwork);
  // Later questions (forward lookups) never come: PTR already failed.
  Diagnosis diagnosis(kFilterReply, Options());
  ASSERT_TRUE(Drive(diagnosis, zone, 20));
  const Report& report = diagnosis.report();
  for (const Check& check : report.checks) {
    SCOPED_TRACE(check.id);
    EXPECT_EQ(check.state, CheckState::kError);
  }
  EXPECT_EQ(report.verdict.cause_id, "connection_not_authorized");
  EXPECT_EQ(report.verdict.basis, "signature");
}

TEST(Checks, MismatchedAnswerIsAFailureOfThatQuestion) {
  FakeZone zone;
  zone.Mismatch("5.113.0.203.in-addr.arpa", dns::RrType::kPtr);
  Diagnosis diagnosis(kFilterReply, Options());
  ASSERT_TRUE(Drive(diagnosis, zone, 20));
  const Report& report = diagnosis.report();
  EXPECT_EQ(FindCheck(report, "ptr")->state, CheckState::kError);
  bool warned = false;
  for (const std::string& w : report.warnings) {
    warned |= w.rfind("dns: PTR 5.113.0.203.in-addr.arpa: answer does not match the question", 0) == 0;
  }
  EXPECT_TRUE(warned);
}

TEST(Checks, MalformedAnswerIsAFailureNotACrash) {
  Diagnosis diagnosis(kFilterReply, Options());
  for (const Question& q : diagnosis.TakeQuestions()) {
    diagnosis.OnAnswer(q.id, std::string("\x00\x00\x81\x80\x00\x01\x00\x01", 8));
  }
  EXPECT_EQ(FindCheck(diagnosis.report(), "ptr")->state, CheckState::kError);
}

TEST(Checks, EachQuestionIsAskedOnce) {
  FakeZone zone;
  zone.AddPtr("5.113.0.203.in-addr.arpa", "mail.good.example");
  zone.AddA("mail.good.example", "203.0.113.5");
  Diagnosis diagnosis("554 5.7.1 [203.0.113.5] Delivery not authorized <x@mail.good.example>",
                      Options());
  ASSERT_TRUE(Drive(diagnosis, zone, 20));
  std::vector<std::string> asked = zone.asked();
  std::sort(asked.begin(), asked.end());
  EXPECT_EQ(std::adjacent_find(asked.begin(), asked.end()), asked.end());
}

TEST(Checks, QuestionCapStopsAskingAndSaysSo) {
  Options options;
  options.limits.max_dns_questions = 1;
  FakeZone zone;
  Diagnosis diagnosis(kFilterReply, options);
  ASSERT_TRUE(Drive(diagnosis, zone, 20));
  EXPECT_LE(zone.asked().size(), 1u);
  bool capped = false;
  for (const Check& check : diagnosis.report().checks) {
    capped |= check.summary.find("more than 1 DNS questions in one diagnosis") != std::string::npos;
  }
  EXPECT_TRUE(capped);
}

TEST(Checks, PrivateAddressIsNotChecked) {
  Diagnosis diagnosis("554 5.7.1 [192.168.1.20] Delivery not authorized", Options());
  EXPECT_TRUE(diagnosis.TakeQuestions().empty());
  const Check* ptr = FindCheck(diagnosis.report(), "ptr");
  ASSERT_NE(ptr, nullptr);
  EXPECT_EQ(ptr->state, CheckState::kInfo);
}

}  // namespace
}  // namespace bouncedx
