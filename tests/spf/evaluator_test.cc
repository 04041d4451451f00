// SPDX-License-Identifier: MIT
#include "core/checks/spf/evaluator.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/base/limits.h"
#include "gtest/gtest.h"
#include "tests/spf/spf_driver.h"

namespace bouncedx::spf {
namespace {

// A tiny zone: (name, type) -> answer; everything else is NXDOMAIN.
class FakeDns {
 public:
  FakeDns& Add(const std::string& name, LookupType type, std::vector<std::string> records) {
    answers_[{name, type}] = DnsLookup{DnsOutcome::kOk, std::move(records)};
    return *this;
  }
  FakeDns& Fail(const std::string& name, LookupType type, DnsOutcome outcome) {
    answers_[{name, type}] = DnsLookup{outcome, {}};
    return *this;
  }
  DnsLookup operator()(const SpfLookup& lookup) const {
    auto found = answers_.find({lookup.name, lookup.type});
    if (found != answers_.end()) return found->second;
    for (const auto& [key, answer] : answers_) {
      if (key.name == lookup.name) return DnsLookup{DnsOutcome::kOk, {}};  // NODATA
    }
    return DnsLookup{DnsOutcome::kNxDomain, {}};
  }

 private:
  std::map<SpfLookup, DnsLookup> answers_;
};

SpfInput Input(const char* ip, const char* sender, const char* helo = "mail.example.org") {
  SpfInput input;
  input.ip = ip;
  input.sender = sender;
  input.helo = helo;
  return input;
}

SpfOutcome Check(const SpfInput& input, const FakeDns& dns, std::vector<std::string>* log = nullptr,
                 const Limits& limits = Limits()) {
  SpfEvaluator evaluator(input, limits);
  EXPECT_TRUE(Drive(evaluator, dns, /*max_rounds=*/100, log));
  return evaluator.outcome();
}

TEST(SpfEvaluator, PassesThroughIncludeAndReportsTheTree) {
  FakeDns dns;
  dns.Add("example.com", LookupType::kTxt,
          {"google-site-verification=abc", "v=spf1 include:_spf.example.net ~all"})
      .Add("_spf.example.net", LookupType::kTxt, {"v=spf1 ip4:192.0.2.0/24 -all"});
  std::vector<std::string> log;
  SpfOutcome outcome = Check(Input("192.0.2.10", "alice@example.com"), dns, &log);
  EXPECT_EQ(outcome.result, SpfResult::kPass);
  EXPECT_EQ(outcome.mechanism, "include:_spf.example.net");
  EXPECT_EQ(outcome.explanation, "");
  EXPECT_EQ(outcome.dns_mechanisms, 1u);
  EXPECT_EQ(outcome.void_lookups, 0u);
  EXPECT_EQ(outcome.lookups, 2u);
  EXPECT_EQ(log, (std::vector<std::string>{"TXT example.com", "TXT _spf.example.net"}));
  ASSERT_EQ(outcome.nodes.size(), 2u);
  EXPECT_EQ(outcome.nodes[0].domain, "example.com");
  EXPECT_EQ(outcome.nodes[0].record, "v=spf1 include:_spf.example.net ~all");
  EXPECT_EQ(outcome.nodes[0].result, SpfResult::kPass);
  EXPECT_EQ(outcome.nodes[1].parent, 0);
  EXPECT_EQ(outcome.nodes[1].depth, 1);
  EXPECT_EQ(outcome.nodes[1].via, SpfVia::kInclude);
  EXPECT_EQ(outcome.nodes[1].result, SpfResult::kPass);
  EXPECT_EQ(outcome.nodes[1].mechanism, "ip4:192.0.2.0/24");
}

TEST(SpfEvaluator, FollowsRedirectToTheDecidingRecord) {
  FakeDns dns;
  dns.Add("example.com", LookupType::kTxt,
          {"v=spf1 exp=ignored.example.com redirect=_spf.example.com"})
      .Add("_spf.example.com", LookupType::kTxt, {"v=spf1 -all exp=why.%{d}"})
      .Add("why._spf.example.com", LookupType::kTxt, {"%{i} is not one of %{d}'s senders"});
  SpfOutcome outcome = Check(Input("192.0.2.10", "bob@example.com"), dns);
  EXPECT_EQ(outcome.result, SpfResult::kFail);
  EXPECT_EQ(outcome.deciding_node, 1);
  EXPECT_EQ(outcome.mechanism, "-all");
  EXPECT_EQ(outcome.nodes[0].mechanism, "redirect=_spf.example.com");
  EXPECT_EQ(outcome.nodes[1].via, SpfVia::kRedirect);
  EXPECT_EQ(outcome.explanation, "192.0.2.10 is not one of _spf.example.com's senders");
}

TEST(SpfEvaluator, ExpandsDefaultExplanationOnFail) {
  FakeDns dns;
  dns.Add("example.com", LookupType::kTxt, {"v=spf1 -all"});
  SpfInput input = Input("192.0.2.10", "bob@example.com");
  input.default_explanation = "see https://example.org/spf?s=%{S}&i=%{I}";
  SpfOutcome outcome = Check(input, dns);
  EXPECT_EQ(outcome.result, SpfResult::kFail);
  EXPECT_EQ(outcome.explanation, "see https://example.org/spf?s=bob%40example.com&i=192.0.2.10");
}

TEST(SpfEvaluator, ChecksHeloIdentityWhenSenderIsEmpty) {
  FakeDns dns;
  dns.Add("mail.example.org", LookupType::kTxt, {"v=spf1 a -all exp=e.example.org"})
      .Add("mail.example.org", LookupType::kA, {"198.51.100.7"})
      .Add("e.example.org", LookupType::kTxt, {"%{s}"});
  SpfOutcome pass = Check(Input("198.51.100.7", ""), dns);
  EXPECT_EQ(pass.result, SpfResult::kPass);
  EXPECT_EQ(pass.nodes[0].domain, "mail.example.org");
  SpfOutcome fail = Check(Input("198.51.100.8", ""), dns);
  EXPECT_EQ(fail.result, SpfResult::kFail);
  EXPECT_EQ(fail.explanation, "postmaster@mail.example.org");
}

TEST(SpfEvaluator, AsksMxTargetsInParallel) {
  FakeDns dns;
  dns.Add("example.com", LookupType::kTxt, {"v=spf1 mx -all"})
      .Add("example.com", LookupType::kMx,
           {"mx1.example.com", "mx2.example.com", "mx3.example.com"})
      .Add("mx1.example.com", LookupType::kAaaa, {"2001:db8::1"})
      .Add("mx2.example.com", LookupType::kAaaa, {"2001:db8::2"})
      .Add("mx3.example.com", LookupType::kAaaa, {"2001:db8::3"});
  SpfEvaluator evaluator(Input("2001:db8::3", "x@example.com"), Limits());
  std::vector<SpfLookup> first = evaluator.TakeLookups();
  ASSERT_EQ(first.size(), 1u);
  evaluator.OnLookup(first[0], dns(first[0]));
  std::vector<SpfLookup> second = evaluator.TakeLookups();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].type, LookupType::kMx);
  evaluator.OnLookup(second[0], dns(second[0]));
  std::vector<SpfLookup> targets = evaluator.TakeLookups();
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_EQ(targets[0].name, "mx1.example.com");
  EXPECT_EQ(targets[2].name, "mx3.example.com");
  EXPECT_EQ(targets[2].type, LookupType::kAaaa);
  // Answers may come back in any order; nothing new is asked meanwhile.
  evaluator.OnLookup(targets[2], dns(targets[2]));
  evaluator.OnLookup(targets[0], dns(targets[0]));
  EXPECT_TRUE(evaluator.TakeLookups().empty());
  EXPECT_FALSE(evaluator.finished());
  evaluator.OnLookup(targets[1], dns(targets[1]));
  ASSERT_TRUE(evaluator.finished());
  EXPECT_EQ(evaluator.outcome().result, SpfResult::kPass);
  EXPECT_EQ(evaluator.outcome().mechanism, "mx");
}

TEST(SpfEvaluator, IgnoresAnswersNobodyAskedFor) {
  FakeDns dns;
  dns.Add("example.com", LookupType::kTxt, {"v=spf1 -all"});
  SpfEvaluator evaluator(Input("192.0.2.1", "x@example.com"), Limits());
  evaluator.OnLookup({"example.com", LookupType::kA}, DnsLookup{DnsOutcome::kOk, {"192.0.2.1"}});
  evaluator.OnLookup({"evil.example", LookupType::kTxt},
                     DnsLookup{DnsOutcome::kOk, {"v=spf1 +all"}});
  EXPECT_FALSE(evaluator.finished());
  std::vector<SpfLookup> lookups = evaluator.TakeLookups();
  ASSERT_EQ(lookups.size(), 1u);
  // Case and a trailing dot do not matter when answering.
  evaluator.OnLookup({"EXAMPLE.com.", LookupType::kTxt}, dns(lookups[0]));
  ASSERT_TRUE(evaluator.finished());
  EXPECT_EQ(evaluator.outcome().result, SpfResult::kFail);
}

TEST(SpfEvaluator, StopsAnIncludeLoop) {
  FakeDns dns;
  dns.Add("a.example.com", LookupType::kTxt, {"v=spf1 include:b.example.com -all"})
      .Add("b.example.com", LookupType::kTxt, {"v=spf1 include:a.example.com -all"});
  std::vector<std::string> log;
  SpfOutcome outcome = Check(Input("192.0.2.1", "x@a.example.com"), dns, &log);
  EXPECT_EQ(outcome.result, SpfResult::kPermError);
  EXPECT_EQ(outcome.dns_mechanisms, 11u);
  EXPECT_EQ(outcome.reason,
            "limit: more than 10 DNS-querying terms, reached at \"include:b.example.com\" "
            "(RFC 7208 §4.6.4)");
  EXPECT_EQ(outcome.nodes.size(), 11u);
  // Each name is asked once although the loop visits it again and again.
  EXPECT_EQ(log, (std::vector<std::string>{"TXT a.example.com", "TXT b.example.com"}));
}

TEST(SpfEvaluator, AllowsTenLookupTermsAndFailsOnTheEleventh) {
  FakeDns dns;
  dns.Add("ten.example.com", LookupType::kTxt, {"v=spf1 a a a a a a a a a a ip4:192.0.2.1 -all"})
      .Add("eleven.example.com", LookupType::kTxt,
           {"v=spf1 a a a a a a a a a a a ip4:192.0.2.1 -all"})
      .Add("ten.example.com", LookupType::kA, {"198.51.100.1"})
      .Add("eleven.example.com", LookupType::kA, {"198.51.100.1"});
  SpfOutcome ten = Check(Input("192.0.2.1", "x@ten.example.com"), dns);
  EXPECT_EQ(ten.result, SpfResult::kPass);
  EXPECT_EQ(ten.dns_mechanisms, 10u);
  SpfOutcome eleven = Check(Input("192.0.2.1", "x@eleven.example.com"), dns);
  EXPECT_EQ(eleven.result, SpfResult::kPermError);
  EXPECT_EQ(eleven.mechanism, "a");
  EXPECT_EQ(eleven.dns_mechanisms, 11u);
  // The limit is the caller's to change.
  Limits generous;
  generous.spf_max_dns_mechanisms = 11;
  EXPECT_EQ(Check(Input("192.0.2.1", "x@eleven.example.com"), dns, nullptr, generous).result,
            SpfResult::kPass);
}

TEST(SpfEvaluator, AllowsTwoVoidLookupsAndFailsOnTheThird) {
  FakeDns dns;
  dns.Add("two.example.com", LookupType::kTxt, {"v=spf1 a:nx1.example.com mx:nx2.example.com ?all"})
      .Add("three.example.com", LookupType::kTxt,
           {"v=spf1 a:nx1.example.com mx:nx2.example.com exists:nodata.example.com ?all"})
      .Add("nodata.example.com", LookupType::kTxt, {"not spf"});
  SpfOutcome two = Check(Input("192.0.2.1", "x@two.example.com"), dns);
  EXPECT_EQ(two.result, SpfResult::kNeutral);
  EXPECT_EQ(two.void_lookups, 2u);
  SpfOutcome three = Check(Input("192.0.2.1", "x@three.example.com"), dns);
  EXPECT_EQ(three.result, SpfResult::kPermError);
  EXPECT_EQ(three.void_lookups, 3u);
  EXPECT_EQ(three.mechanism, "exists:nodata.example.com");
  EXPECT_EQ(three.reason,
            "limit: more than 2 void lookups, reached at \"exists:nodata.example.com\" "
            "(RFC 7208 §4.6.4)");
}

TEST(SpfEvaluator, RejectsMoreThanTenMxNames) {
  FakeDns dns;
  std::vector<std::string> names;
  for (int i = 0; i < 11; ++i) names.push_back("mx" + std::to_string(i) + ".example.com");
  dns.Add("example.com", LookupType::kTxt, {"v=spf1 mx -all"})
      .Add("example.com", LookupType::kMx, names);
  std::vector<std::string> log;
  SpfOutcome outcome = Check(Input("192.0.2.1", "x@example.com"), dns, &log);
  EXPECT_EQ(outcome.result, SpfResult::kPermError);
  EXPECT_EQ(log.size(), 2u);  // no address lookups at all
}

TEST(SpfEvaluator, MapsDnsFailuresToTempError) {
  FakeDns dns;
  dns.Fail("example.com", LookupType::kTxt, DnsOutcome::kTimeout)
      .Add("inc.example.com", LookupType::kTxt, {"v=spf1 include:broken.example.com -all"})
      .Fail("broken.example.com", LookupType::kTxt, DnsOutcome::kError);
  SpfOutcome top = Check(Input("192.0.2.1", "x@example.com"), dns);
  EXPECT_EQ(top.result, SpfResult::kTempError);
  EXPECT_EQ(top.reason, "dns: TXT example.com: timeout");
  SpfOutcome include = Check(Input("192.0.2.1", "x@inc.example.com"), dns);
  EXPECT_EQ(include.result, SpfResult::kTempError);
  EXPECT_EQ(include.mechanism, "include:broken.example.com");
  EXPECT_EQ(include.reason, "dns: TXT broken.example.com: error");
}

TEST(SpfEvaluator, GivesNoneWithoutAsking) {
  struct Case {
    const char* name;
    SpfInput input;
    const char* reason;
  };
  const Case kCases[] = {
      {"single label", Input("192.0.2.1", "x@localhost"),
       "domain: \"localhost\" is not a fully qualified host name (RFC 7208 §4.3)"},
      {"domain literal", Input("192.0.2.1", "", "[192.0.2.1]"),
       "domain: \"[192.0.2.1]\" is not a fully qualified host name (RFC 7208 §4.3)"},
      {"empty label", Input("192.0.2.1", "x@a..example.com"),
       "domain: \"a..example.com\" is not a fully qualified host name (RFC 7208 §4.3)"},
      {"bad address", Input("192.0.2.300", "x@example.com"),
       "input: client address \"192.0.2.300\" is not an IP address"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    SpfEvaluator evaluator(c.input, Limits());
    EXPECT_TRUE(evaluator.finished());
    EXPECT_TRUE(evaluator.TakeLookups().empty());
    EXPECT_EQ(evaluator.outcome().result, SpfResult::kNone);
    EXPECT_EQ(evaluator.outcome().reason, c.reason);
  }
}

TEST(SpfEvaluator, ValidatesPtrNamesBeforeMatching) {
  FakeDns dns;
  dns.Add("example.com", LookupType::kTxt, {"v=spf1 ptr -all"})
      .Add("7.100.51.198.in-addr.arpa", LookupType::kPtr,
           {"spoof.example.com.", "mail.example.com.", "other.example.net."})
      .Add("spoof.example.com", LookupType::kA, {"203.0.113.9"})
      .Add("mail.example.com", LookupType::kA, {"198.51.100.7"});
  std::vector<std::string> log;
  SpfOutcome outcome = Check(Input("198.51.100.7", "x@example.com"), dns, &log);
  EXPECT_EQ(outcome.result, SpfResult::kPass);
  // Only names under the target are validated, both at once.
  EXPECT_EQ(log, (std::vector<std::string>{"TXT example.com", "PTR 7.100.51.198.in-addr.arpa",
                                           "A spoof.example.com", "A mail.example.com"}));
}

}  // namespace
}  // namespace bouncedx::spf
