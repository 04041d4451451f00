// SPDX-License-Identifier: MIT
#include "core/checks/spf/record.h"

#include <string>

#include "gtest/gtest.h"

namespace bouncedx::spf {
namespace {

TEST(SpfRecord, RecognisesVersionTag) {
  struct Case {
    const char* txt;
    bool is_spf;
  };
  const Case kCases[] = {{"v=spf1", true},          {"v=spf1 -all", true},  {"V=SpF1 ~all", true},
                         {"v=spf10", false},        {"v=spf1mx", false},    {"v=spf1\t-all", false},
                         {" v=spf1 -all", false},   {"v=spf2 -all", false}, {"", false},
                         {"spf2.0/pra -all", false}};
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.txt);
    EXPECT_EQ(IsSpfRecord(c.txt), c.is_spf);
  }
}

TEST(SpfRecord, ParsesDirectivesAndPrefixLengths) {
  Result<SpfRecord> record = ParseSpfRecord(
      "v=spf1  a mx:mail.example.com/24//64 -ip4:192.0.2.0/24 ~ip6:2001:db8::/32 "
      "?ptr:example.com include:_spf.example.net exists:%{ir}.bl.example.org +all ");
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  ASSERT_EQ(record->directives.size(), 8u);
  const Directive& a = record->directives[0];
  EXPECT_EQ(a.kind, MechanismKind::kA);
  EXPECT_EQ(a.qualifier, Qualifier::kPass);
  EXPECT_FALSE(a.domain_spec.has_value());
  EXPECT_EQ(a.cidr4, 32);
  EXPECT_EQ(a.cidr6, 128);
  const Directive& mx = record->directives[1];
  EXPECT_EQ(mx.kind, MechanismKind::kMx);
  EXPECT_EQ(mx.text, "mx:mail.example.com/24//64");
  ASSERT_TRUE(mx.domain_spec.has_value());
  ASSERT_EQ(mx.domain_spec->tokens.size(), 1u);
  EXPECT_EQ(mx.domain_spec->tokens[0].literal, "mail.example.com");
  EXPECT_EQ(mx.cidr4, 24);
  EXPECT_EQ(mx.cidr6, 64);
  const Directive& ip4 = record->directives[2];
  EXPECT_EQ(ip4.qualifier, Qualifier::kFail);
  EXPECT_EQ(ip4.network.ToText(), "192.0.2.0");
  EXPECT_EQ(ip4.cidr4, 24);
  const Directive& ip6 = record->directives[3];
  EXPECT_EQ(ip6.qualifier, Qualifier::kSoftFail);
  EXPECT_EQ(ip6.network.ToText(), "2001:db8::");
  EXPECT_EQ(ip6.cidr6, 32);
  EXPECT_EQ(record->directives[4].qualifier, Qualifier::kNeutral);
  EXPECT_EQ(record->directives[4].kind, MechanismKind::kPtr);
  EXPECT_EQ(record->directives[5].kind, MechanismKind::kInclude);
  EXPECT_EQ(record->directives[6].kind, MechanismKind::kExists);
  EXPECT_EQ(record->directives[7].kind, MechanismKind::kAll);
  EXPECT_EQ(record->lookup_terms, 5u);
}

TEST(SpfRecord, ParsesModifiers) {
  Result<SpfRecord> record = ParseSpfRecord(
      "v=spf1 -all exp=explain.%{d} Redirect=_spf.example.com moo.cow-far_out=man:dog");
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(record->redirect_text, "_spf.example.com");
  EXPECT_EQ(record->explanation_text, "explain.%{d}");
  ASSERT_EQ(record->unknown_modifiers.size(), 1u);
  EXPECT_EQ(record->unknown_modifiers[0].name, "moo.cow-far_out");
  EXPECT_EQ(record->unknown_modifiers[0].value, "man:dog");
  EXPECT_EQ(record->lookup_terms, 1u);  // the redirect
}

TEST(SpfRecord, TakesColonsAndSlashesInsideDomainSpecs) {
  Result<SpfRecord> record =
      ParseSpfRecord("v=spf1 a:foo:bar/baz.example.com a:foo.example.com/24");
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(record->directives[0].domain_spec->tokens[0].literal, "foo:bar/baz.example.com");
  EXPECT_EQ(record->directives[0].cidr4, 32);
  EXPECT_EQ(record->directives[1].domain_spec->tokens[0].literal, "foo.example.com");
  EXPECT_EQ(record->directives[1].cidr4, 24);
}

TEST(SpfRecord, RejectsSyntaxErrors) {
  struct Case {
    const char* txt;
    const char* message;
  };
  const Case kCases[] = {
      {"v=spf1 moo", "record: term \"moo\": unknown mechanism"},
      {"v=spf1 -all.", "record: term \"-all.\": unknown mechanism"},
      {"v=spf1 -all:foobar", "record: term \"-all:foobar\": \"all\" takes no argument"},
      {"v=spf1 -all/8", "record: term \"-all/8\": \"all\" takes no argument"},
      {"v=spf1 redirect:example.com", "record: term \"redirect:example.com\": unknown mechanism"},
      {"v=spf1 1up=foo", "record: term \"1up=foo\": unknown mechanism"},
      {"v=spf1 =all", "record: term \"=all\": unknown mechanism"},
      {"v=spf1 moo.cow/far_out=man:dog/cat",
       "record: term \"moo.cow/far_out=man:dog/cat\": unknown mechanism"},
      {"v=spf1 include", "record: term \"include\": missing \":domain\""},
      {"v=spf1 include:", "record: term \"include:\": domain-spec: empty"},
      {"v=spf1 exists", "record: term \"exists\": missing \":domain\""},
      {"v=spf1 ptr/0", "record: term \"ptr/0\": \"ptr\" takes no prefix length"},
      {"v=spf1 a/33", "record: term \"a/33\": bad IPv4 prefix length"},
      {"v=spf1 a//129", "record: term \"a//129\": bad IPv6 prefix length"},
      {"v=spf1 a/24/64", "record: term \"a/24/64\": bad IPv4 prefix length"},
      {"v=spf1 ip4:1.2.3.4/032", "record: term \"ip4:1.2.3.4/032\": bad prefix length"},
      {"v=spf1 ip4:1.2.3.4//32", "record: term \"ip4:1.2.3.4//32\": bad prefix length"},
      {"v=spf1 ip4:1.2.3", "record: term \"ip4:1.2.3\": bad IPv4 network"},
      {"v=spf1 ip4:1.2.3.4:8080", "record: term \"ip4:1.2.3.4:8080\": bad IPv4 network"},
      {"v=spf1 ip4", "record: term \"ip4\": missing \":network\""},
      {"v=spf1 ip6::CAFE::BABE", "record: term \"ip6::CAFE::BABE\": bad IPv6 network"},
      {"v=spf1 ip6:::1/129", "record: term \"ip6:::1/129\": bad prefix length"},
      {"v=spf1 a:museum",
       "record: term \"a:museum\": domain-spec: \"museum\" does not end in a valid top label"},
      {"v=spf1 a:111.222.33.44",
       "record: term \"a:111.222.33.44\": domain-spec: \"111.222.33.44\" does not end in a valid "
       "top label"},
      {"v=spf1 a:example.-com",
       "record: term \"a:example.-com\": domain-spec: \"example.-com\" does not end in a valid top "
       "label"},
      {"v=spf1 a:%{a}.example.com",
       "record: term \"a:%{a}.example.com\": macro: unknown macro letter in \"%{a}.example.com\""},
      {"v=spf1 a:ctrl.example.com\rptr",
       "record: term \"a:ctrl.example.com ptr\": macro: invalid character in \"ctrl.example.com "
       "ptr\""},
      {"v=spf1 exp=-all",
       "record: term \"exp=-all\": domain-spec: \"-all\" does not end in a valid top label"},
      {"v=spf1 exp=", "record: term \"exp=\": domain-spec: empty"},
      {"v=spf1 exp=a.example.com exp=b.example.com",
       "record: term \"exp=b.example.com\": modifier given twice"},
      {"v=spf1 redirect=a.example.com redirect=a.example.com",
       "record: term \"redirect=a.example.com\": modifier given twice"},
      {"v=spf1 -all foo=%abc",
       "record: term \"foo=%abc\": macro: '%' not followed by '{', '%', '_' or '-' in \"%abc\""},
      {"v=spf1 exp=%{r}.example.com",
       "record: term \"exp=%{r}.example.com\": macro: macro letter allowed only in explanations in "
       "\"%{r}.example.com\""},
      {"v=spf1 \x80"
       "a:example.net",
       "record: term \"\xEF\xBF\xBD"
       "a:example.net\": unknown mechanism"},
      {"spf2.0/pra", "record: does not start with \"v=spf1\""},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.txt);
    Result<SpfRecord> record = ParseSpfRecord(c.txt);
    ASSERT_FALSE(record.ok());
    EXPECT_EQ(record.status().code(), StatusCode::kMalformed);
    EXPECT_EQ(record.status().message(), c.message);
  }
}

TEST(SpfRecord, AcceptsEdgeCasesOfTheGrammar) {
  const char* kRecords[] = {
      "v=spf1",
      "v=spf1 ",
      "v=spf1 a//0 mx/0 a:foo.example.xn--zckzah",
      "v=spf1 default=+",
      "v=spf1 foo=",
      "v=spf1 a:%{d}",
      "v=spf1 ip6:::FFFF:1.2.3.4 ip6:Cafe:Babe:8000::/33 ip4:0.0.0.0/0",
      "v=spf1 exists:%{l2r+-}.user.%{d2} a:macro%%percent%_%-x.example.com",
      "v=spf1 a:trailing.dot.example.com.",
  };
  for (const char* txt : kRecords) {
    SCOPED_TRACE(txt);
    Result<SpfRecord> record = ParseSpfRecord(txt);
    EXPECT_TRUE(record.ok()) << record.status().ToString();
  }
}

}  // namespace
}  // namespace bouncedx::spf
