// SPDX-License-Identifier: MIT
#include "core/checks/dmarc.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/checks/fake_sink.h"

namespace bouncedx {
namespace {

using testing::FakeSink;
using testing::Negative;
using testing::NotAnswered;
using testing::TxtAnswer;

TEST(DmarcRecord, RecognisesTheVersionTag) {
  struct Case {
    const char* text;
    bool dmarc;
  };
  const Case cases[] = {
      {"v=DMARC1; p=reject", true},
      {"v=DMARC1", true},
      {"  V = DMARC1 ;p=none", true},
      {"v=DMARC1;", true},
      {"v=dmarc1; p=reject", false},  // the value is case-sensitive
      {"v=DMARC10; p=reject", false},
      {"v=DMARC2; p=reject", false},
      {"p=reject; v=DMARC1", false},
      {"v=spf1 -all", false},
      {"", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(IsDmarcRecord(c.text), c.dmarc);
  }
}

TEST(DmarcRecord, ParsesEveryTag) {
  Result<DmarcRecord> record = ParseDmarcRecord(
      "v=DMARC1;p=none;sp=quarantine;np=reject;adkim=s;aspf=r;pct=50;"
      "rua=mailto:a@example.com,mailto:b@example.com!10m;ruf=mailto:f@example.com;"
      "fo=1:d;rf=afrf;ri=3600");
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(record->policy, DmarcPolicy::kNone);
  EXPECT_FALSE(record->policy_from_rua);
  EXPECT_TRUE(record->has_subdomain_policy);
  EXPECT_EQ(record->subdomain_policy, DmarcPolicy::kQuarantine);
  EXPECT_TRUE(record->has_nonexistent_policy);
  EXPECT_EQ(record->nonexistent_policy, DmarcPolicy::kReject);
  EXPECT_EQ(record->dkim_alignment, DmarcAlignment::kStrict);
  EXPECT_EQ(record->spf_alignment, DmarcAlignment::kRelaxed);
  EXPECT_EQ(record->percent, 50);
  EXPECT_EQ(record->aggregate_uris,
            (std::vector<std::string>{"mailto:a@example.com", "mailto:b@example.com!10m"}));
  EXPECT_EQ(record->failure_uris, (std::vector<std::string>{"mailto:f@example.com"}));
  EXPECT_EQ(record->failure_options, "1:d");
  EXPECT_EQ(record->report_format, "afrf");
  EXPECT_EQ(record->report_interval, 3600u);
  EXPECT_TRUE(record->warnings.empty());
  EXPECT_TRUE(record->unknown_tags.empty());
}

TEST(DmarcRecord, DefaultsAndWhiteSpace) {
  Result<DmarcRecord> record = ParseDmarcRecord("  v = DMARC1 ;  p = Quarantine ; adkim = S ;  ");
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(record->policy, DmarcPolicy::kQuarantine);
  EXPECT_FALSE(record->has_subdomain_policy);
  EXPECT_FALSE(record->has_nonexistent_policy);
  EXPECT_EQ(record->dkim_alignment, DmarcAlignment::kStrict);
  EXPECT_EQ(record->spf_alignment, DmarcAlignment::kRelaxed);
  EXPECT_EQ(record->percent, 100);
  EXPECT_EQ(record->failure_options, "0");
  EXPECT_EQ(record->report_interval, 86400u);
  EXPECT_TRUE(record->warnings.empty());
}

TEST(DmarcRecord, IgnoresBadOptionalValuesWithWarnings) {
  struct Case {
    const char* text;
    const char* warning;
  };
  const Case cases[] = {
      {"v=DMARC1; p=reject; pct=150", "dmarc: pct=150 is not 0..100; 100 applies"},
      {"v=DMARC1; p=reject; pct=abc", "dmarc: pct=abc is not 0..100; 100 applies"},
      {"v=DMARC1; p=reject; adkim=x", "dmarc: adkim=x is not r or s; relaxed applies"},
      {"v=DMARC1; p=reject; np=never", "dmarc: np=never is not none, quarantine or reject; ignored"},
      {"v=DMARC1; p=reject; rua=someone@example.com",
       "dmarc: rua= address \"someone@example.com\" is not a URI; ignored"},
      {"v=DMARC1; p=reject; fo=2", "dmarc: fo=2 is not a list of 0, 1, d, s; 0 applies"},
      {"v=DMARC1; p=reject; ri=soon", "dmarc: ri=soon is not a number of seconds; 86400 applies"},
      {"v=DMARC1; p=reject; p=none", "dmarc: p= appears twice; the first value applies"},
      {"v=DMARC1; p=reject; junk", "dmarc: \"junk\" is not a tag=value pair; ignored"},
      {"v=DMARC1; p=reject; pct=\x01\xff",
       "dmarc: pct= \xef\xbf\xbd is not 0..100; 100 applies"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Result<DmarcRecord> record = ParseDmarcRecord(c.text);
    ASSERT_TRUE(record.ok()) << record.status().ToString();
    EXPECT_EQ(record->policy, DmarcPolicy::kReject);
    ASSERT_EQ(record->warnings.size(), 1u);
    EXPECT_EQ(record->warnings[0], c.warning);
  }
}

TEST(DmarcRecord, UnknownTagsAreKeptForPeople) {
  Result<DmarcRecord> record = ParseDmarcRecord("v=DMARC1; p=reject; adkm=s; Foo=bar");
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->unknown_tags, (std::vector<std::string>{"adkm", "foo"}));
  EXPECT_EQ(record->dkim_alignment, DmarcAlignment::kRelaxed);
}

TEST(DmarcRecord, InvalidPolicyWithReportAddressCountsAsNone) {
  Result<DmarcRecord> record =
      ParseDmarcRecord("v=DMARC1; p=rejected; sp=reject; rua=mailto:d@example.com");
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(record->policy, DmarcPolicy::kNone);
  EXPECT_TRUE(record->policy_from_rua);
  EXPECT_FALSE(record->has_subdomain_policy);
  ASSERT_EQ(record->warnings.size(), 1u);
  EXPECT_EQ(record->warnings[0],
            "dmarc: p=rejected is not none, quarantine or reject; receivers treat the record "
            "as p=none because it has a rua= address");
}

TEST(DmarcRecord, RejectsRecordsReceiversDiscard) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"v=DMARC2; p=reject",
       "dmarc: the record does not start with v=DMARC1: \"v=DMARC2; p=reject\""},
      {"p=reject; v=DMARC1",
       "dmarc: the record does not start with v=DMARC1: \"p=reject; v=DMARC1\""},
      {"v=DMARC1",
       "dmarc: the record has no p= tag, and without a valid rua= address receivers ignore "
       "the record"},
      {"v=DMARC1; p=rejected",
       "dmarc: p=rejected is not none, quarantine or reject, and without a valid rua= address "
       "receivers ignore the record"},
      {"v=DMARC1; p=reject; sp=bogus",
       "dmarc: sp=bogus is not none, quarantine or reject, and without a valid rua= address "
       "receivers ignore the record"},
      {"v=DMARC1; p=\x1b[31mred",
       "dmarc: p= [31mred is not none, quarantine or reject, and without a valid rua= address "
       "receivers ignore the record"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Result<DmarcRecord> record = ParseDmarcRecord(c.text);
    ASSERT_FALSE(record.ok());
    EXPECT_EQ(record.status().code(), StatusCode::kMalformed);
    EXPECT_EQ(record.status().message(), c.error);
  }
}

TEST(DmarcAlignment, RelaxedAndStrict) {
  struct Case {
    const char* from;
    const char* identifier;
    bool relaxed;
    bool strict;
  };
  const Case cases[] = {
      {"example.com", "example.com", true, true},
      {"example.com", "mail.example.com", true, false},
      {"mail.example.com", "example.com", true, false},
      {"a.example.com", "b.example.com", true, false},
      {"EXAMPLE.com.", "example.COM", true, true},
      {"example.com", "example.net", false, false},
      {"example.com", "notexample.com", false, false},
      // PSL boundaries
      {"example.co.uk", "other.co.uk", false, false},
      {"a.example.co.uk", "b.example.co.uk", true, false},
      {"example.co.uk", "co.uk", false, false},
      {"alice.github.io", "bob.github.io", false, false},
      {"alice.github.io", "www.alice.github.io", true, false},
      {"a.test.ck", "b.test.ck", false, false},
      {"www.ck", "mail.www.ck", true, false},
      // Unicode and punycode forms of one name
      {"b\xc3\xbc" "cher.example", "xn--bcher-kva.example", true, true},
      {"mail.b\xc3\xbc" "cher.example", "xn--bcher-kva.example", true, false},
      // not names
      {"example.com", "", false, false},
      {"", "example.com", false, false},
      {"example..com", "example..com", false, false},
      {"..", "..", false, false},  // the root is no mail domain
      {".", ".", false, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.from) + " / " + c.identifier);
    EXPECT_EQ(IsAligned(c.from, c.identifier, DmarcAlignment::kRelaxed), c.relaxed);
    EXPECT_EQ(IsAligned(c.from, c.identifier, DmarcAlignment::kStrict), c.strict);
  }
}

// Runs `check` with the answers in order: each answer goes to the lookup
// asked at that position.
void Drive(DmarcCheck& check, FakeSink& sink, const std::vector<LookupResult>& answers) {
  check.Start(sink);
  for (size_t i = 0; i < answers.size(); ++i) {
    ASSERT_LT(i, sink.asked.size()) << "the check asked fewer lookups than answers given";
    check.OnLookup(sink.asked[i], answers[i], sink);
  }
}

bool HasDetail(const Check& check, const std::string& detail) {
  for (const std::string& line : check.details) {
    if (line == detail) return true;
  }
  return false;
}

TEST(DmarcCheck, RecordPresentWithUnknownResultsSaysWhatMustAlign) {
  DmarcCheck check("Strict.Example.", AuthIdentity{}, {});
  FakeSink sink;
  Drive(check, sink, {TxtAnswer("_dmarc.strict.example", {"v=DMARC1; p=reject; adkim=s; aspf=s"})});
  EXPECT_EQ(sink.Asked(), "TXT _dmarc.strict.example");
  const Check& result = check.checks()[0];
  EXPECT_EQ(result.id, "dmarc");
  EXPECT_EQ(result.subject, "strict.example");
  EXPECT_EQ(result.state, CheckState::kInfo);
  EXPECT_EQ(result.cause_id, "");
  EXPECT_EQ(result.summary, "strict.example publishes DMARC p=reject (strict DKIM and SPF alignment)");
  EXPECT_TRUE(HasDetail(result, "DKIM d= must be exactly strict.example (strict)"));
  EXPECT_TRUE(HasDetail(
      result, "SPF: the MAIL FROM (Return-Path) domain must be exactly strict.example (strict)"));
  EXPECT_TRUE(HasDetail(result, "policy: p=reject, pct=100, adkim=s, aspf=s"));
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].type, "TXT");
}

TEST(DmarcCheck, RelaxedRequirementNamesTheOrganisationalDomain) {
  DmarcCheck check("news.example.co.uk", AuthIdentity{}, {});
  FakeSink sink;
  Drive(check, sink, {TxtAnswer("_dmarc.news.example.co.uk", {"v=DMARC1; p=quarantine"})});
  const Check& result = check.checks()[0];
  EXPECT_EQ(result.summary,
            "news.example.co.uk publishes DMARC p=quarantine (relaxed DKIM and SPF alignment)");
  EXPECT_TRUE(HasDetail(result, "DKIM d= must be example.co.uk or a subdomain of it (relaxed)"));
}

TEST(DmarcCheck, FallsBackToTheOrganisationalDomain) {
  DmarcCheck check("mail.example.com", AuthIdentity{}, {});
  FakeSink sink;
  Drive(check, sink,
      {Negative(dns::AnswerKind::kNxDomain),
       TxtAnswer("_dmarc.example.com", {"v=spf1 -all", "v=DMARC1; p=quarantine; sp=reject"})});
  EXPECT_EQ(sink.Asked(), "TXT _dmarc.mail.example.com, TXT _dmarc.example.com");
  const Check& result = check.checks()[0];
  EXPECT_EQ(result.state, CheckState::kInfo);
  EXPECT_EQ(result.summary,
            "mail.example.com inherits DMARC sp=reject from example.com (relaxed DKIM and SPF "
            "alignment)");
  EXPECT_TRUE(HasDetail(result, "1 TXT record at _dmarc.example.com not starting with v=DMARC1, ignored"));
  EXPECT_TRUE(HasDetail(result, "DMARC record found at _dmarc.example.com"));
  EXPECT_EQ(result.records.size(), 1u);
}

TEST(DmarcCheck, InheritedPolicyWithoutSpUsesP) {
  DmarcCheck check("a.b.example.org", AuthIdentity{}, {});
  FakeSink sink;
  Drive(check, sink,
      {Negative(dns::AnswerKind::kNoData), TxtAnswer("_dmarc.example.org", {"v=DMARC1; p=none"})});
  const Check& result = check.checks()[0];
  EXPECT_EQ(result.state, CheckState::kWarn);
  EXPECT_EQ(result.summary,
            "a.b.example.org inherits DMARC p=none from example.org (relaxed DKIM and SPF "
            "alignment): monitoring only, receivers take no action on failures");
}

TEST(DmarcCheck, NoRecordAnywhereIsAWarning) {
  DmarcCheck check("mail.example.net", AuthIdentity{"example.net", "pass"}, {});
  FakeSink sink;
  Drive(check, sink, {Negative(dns::AnswerKind::kNxDomain), Negative(dns::AnswerKind::kNoData)});
  const Check& result = check.checks()[0];
  EXPECT_EQ(result.state, CheckState::kWarn);
  EXPECT_EQ(result.cause_id, "");
  EXPECT_EQ(result.summary,
            "mail.example.net publishes no DMARC record, nor does its organisational domain "
            "example.net; receivers apply no DMARC policy");
}

TEST(DmarcCheck, NoRecordAtAnOrganisationalDomainAsksOnce) {
  DmarcCheck check("example.net", AuthIdentity{}, {});
  FakeSink sink;
  Drive(check, sink, {Negative(dns::AnswerKind::kNxDomain)});
  EXPECT_EQ(sink.Asked(), "TXT _dmarc.example.net");
  EXPECT_EQ(check.checks()[0].summary,
            "example.net publishes no DMARC record; receivers apply no DMARC policy");
}

TEST(DmarcCheck, SeveralRecordsMeanNoPolicy) {
  DmarcCheck check("example.com", AuthIdentity{}, {});
  FakeSink sink;
  Drive(check, sink,
      {TxtAnswer("_dmarc.example.com", {"v=DMARC1; p=reject", "v=DMARC1; p=none"})});
  const Check& result = check.checks()[0];
  EXPECT_EQ(result.state, CheckState::kWarn);
  EXPECT_EQ(result.summary,
            "example.com publishes 2 DMARC records; receivers apply no DMARC policy when there "
            "is more than one");
  EXPECT_EQ(result.records.size(), 2u);
}

TEST(DmarcCheck, SeveralRecordsAtTheOrganisationalDomain) {
  DmarcCheck check("www.example.com", AuthIdentity{}, {});
  FakeSink sink;
  Drive(check, sink,
      {Negative(dns::AnswerKind::kNxDomain),
       TxtAnswer("_dmarc.example.com", {"v=DMARC1; p=reject", "v=DMARC1; p=none"})});
  EXPECT_EQ(check.checks()[0].summary,
            "www.example.com falls under example.com, which publishes 2 DMARC records; receivers "
            "apply no DMARC policy when there is more than one");
}

TEST(DmarcCheck, DiscardedRecordIsAWarning) {
  DmarcCheck check("example.com", AuthIdentity{}, {});
  FakeSink sink;
  Drive(check, sink, {TxtAnswer("_dmarc.example.com", {"v=DMARC1; p=bogus"})});
  const Check& result = check.checks()[0];
  EXPECT_EQ(result.state, CheckState::kWarn);
  EXPECT_EQ(result.summary,
            "example.com publishes a DMARC record that receivers ignore: p=bogus is not none, "
            "quarantine or reject, and without a valid rua= address receivers ignore the record");
}

TEST(DmarcCheck, LookupFailureIsAnError) {
  DmarcCheck check("example.com", AuthIdentity{}, {});
  FakeSink sink;
  Drive(check, sink, {NotAnswered(FailureKind::kTimeout)});
  const Check& result = check.checks()[0];
  EXPECT_EQ(result.state, CheckState::kError);
  EXPECT_EQ(result.summary,
            "could not look up the DMARC record at _dmarc.example.com: no answer in time");

  DmarcCheck second("mail.example.com", AuthIdentity{}, {});
  FakeSink sink2;
  LookupResult servfail = Negative(dns::AnswerKind::kRcodeError);
  servfail.answers.rcode = 2;
  Drive(second, sink2, {Negative(dns::AnswerKind::kNxDomain), servfail});
  EXPECT_EQ(second.checks()[0].state, CheckState::kError);
  EXPECT_EQ(second.checks()[0].summary,
            "could not look up the DMARC record at _dmarc.example.com: SERVFAIL from the resolver");
}

TEST(DmarcCheck, NothingAlignedPassesUnderRejectFails) {
  DmarcCheck check("example.com", AuthIdentity{"bounce.esp.example", "pass"},
                   {AuthIdentity{"esp.example", "pass"}, AuthIdentity{"example.com", "fail"}});
  FakeSink sink;
  Drive(check, sink, {TxtAnswer("_dmarc.example.com", {"v=DMARC1; p=reject"})});
  const Check& result = check.checks()[0];
  EXPECT_EQ(result.state, CheckState::kFail);
  EXPECT_EQ(result.cause_id, "dmarc_reject");
  EXPECT_EQ(result.summary,
            "example.com publishes DMARC p=reject (relaxed DKIM and SPF alignment), and neither "
            "SPF nor DKIM passed aligned with example.com (DKIM d=esp.example passed but is not "
            "aligned)");
  EXPECT_TRUE(HasDetail(result, "DKIM d=esp.example: pass, not aligned (relaxed)"));
  EXPECT_TRUE(HasDetail(result, "DKIM d=example.com: fail, aligned (relaxed)"));
  EXPECT_TRUE(HasDetail(result, "SPF for bounce.esp.example: pass, not aligned (relaxed)"));
}

TEST(DmarcCheck, StrictModeRefusesASubdomain) {
  DmarcCheck check("example.com", AuthIdentity{"mail.example.com", "pass"}, {});
  FakeSink sink;
  Drive(check, sink, {TxtAnswer("_dmarc.example.com", {"v=DMARC1; p=quarantine; aspf=s"})});
  const Check& result = check.checks()[0];
  EXPECT_EQ(result.state, CheckState::kFail);
  EXPECT_EQ(result.summary,
            "example.com publishes DMARC p=quarantine (relaxed DKIM, strict SPF alignment), and "
            "neither SPF nor DKIM passed aligned with example.com (SPF passed for "
            "mail.example.com, which is not aligned)");
}

TEST(DmarcCheck, AlignedPassPasses) {
  DmarcCheck check("example.com", AuthIdentity{"bounce.esp.example", "softfail"},
                   {AuthIdentity{"Mail.Example.com", "PASS"}});
  FakeSink sink;
  Drive(check, sink, {TxtAnswer("_dmarc.example.com", {"v=DMARC1; p=reject; pct=50"})});
  const Check& result = check.checks()[0];
  EXPECT_EQ(result.state, CheckState::kPass);
  EXPECT_EQ(result.cause_id, "");
  EXPECT_EQ(result.summary,
            "example.com publishes DMARC p=reject at pct=50 (relaxed DKIM and SPF alignment); "
            "DKIM d=mail.example.com passed aligned, so DMARC passes");
}

TEST(DmarcCheck, NoneWithFailingResultsIsAWarning) {
  DmarcCheck check("example.com", AuthIdentity{"other.example", "fail"}, {});
  FakeSink sink;
  Drive(check, sink, {TxtAnswer("_dmarc.example.com", {"v=DMARC1; p=none"})});
  const Check& result = check.checks()[0];
  EXPECT_EQ(result.state, CheckState::kWarn);
  EXPECT_EQ(result.cause_id, "");
  EXPECT_EQ(result.summary,
            "example.com publishes DMARC p=none (relaxed DKIM and SPF alignment): neither SPF "
            "nor DKIM passed aligned, but p=none asks receivers to take no action");
}

TEST(DmarcCheck, InvalidFromDomainAsksNothing) {
  const std::string long_label = std::string(64, 'a') + ".example";
  for (const std::string& bad : {std::string(), std::string("exa mple..com"), long_label,
                                 std::string(250, 'b')}) {
    SCOPED_TRACE(bad);
    DmarcCheck check(bad, AuthIdentity{}, {});
    FakeSink sink;
    check.Start(sink);
    EXPECT_TRUE(sink.asked.empty());
    EXPECT_EQ(check.checks()[0].state, CheckState::kError);
  }
  DmarcCheck check("a..b", AuthIdentity{}, {});
  EXPECT_EQ(check.checks()[0].summary,
            "cannot look up the DMARC record of \"a..b\": not a valid domain name");
}

TEST(DmarcCheck, AsksForUnicodeDomainsInPunycode) {
  DmarcCheck check("mail.B\xc3\xbc" "cher.example", AuthIdentity{}, {});
  FakeSink sink;
  Drive(check, sink, {Negative(dns::AnswerKind::kNxDomain)});
  EXPECT_EQ(sink.Asked(),
            "TXT _dmarc.mail.xn--bcher-kva.example, TXT _dmarc.xn--bcher-kva.example");
  EXPECT_EQ(check.checks()[0].subject, "mail.xn--bcher-kva.example");
}

TEST(DmarcCheck, IgnoresLookupsItDidNotAsk) {
  DmarcCheck check("example.com", AuthIdentity{}, {});
  FakeSink sink;
  check.Start(sink);
  check.OnLookup(LookupKey{"_dmarc.other.example", dns::RrType::kTxt},
                 TxtAnswer("_dmarc.other.example", {"v=DMARC1; p=reject"}), sink);
  EXPECT_EQ(check.checks()[0].state, CheckState::kPending);
}

}  // namespace
}  // namespace bouncedx
