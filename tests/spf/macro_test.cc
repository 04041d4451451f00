// SPDX-License-Identifier: MIT
#include "core/checks/spf/macro.h"

#include <string>

#include "gtest/gtest.h"

namespace bouncedx::spf {
namespace {

// The values of RFC 7208 §7.4's examples.
MacroValues ExampleValues(const char* ip) {
  MacroValues values;
  values.sender = "strong-bad@email.example.com";
  values.local_part = "strong-bad";
  values.sender_domain = "email.example.com";
  values.domain = "email.example.com";
  values.ip = *ParseIpAddress(ip);
  values.helo = "mx.example.org";
  values.receiver = "mx.example.net";
  values.now_unix = 1700000000;
  return values;
}

TEST(SpfMacro, ExpandsTheRfcExamples) {
  struct Case {
    const char* text;
    const char* ip;
    const char* expanded;
  };
  const Case kCases[] = {
      {"%{s}", "192.0.2.3", "strong-bad@email.example.com"},
      {"%{o}", "192.0.2.3", "email.example.com"},
      {"%{d}", "192.0.2.3", "email.example.com"},
      {"%{d4}", "192.0.2.3", "email.example.com"},
      {"%{d3}", "192.0.2.3", "email.example.com"},
      {"%{d2}", "192.0.2.3", "example.com"},
      {"%{d1}", "192.0.2.3", "com"},
      {"%{dr}", "192.0.2.3", "com.example.email"},
      {"%{d2r}", "192.0.2.3", "example.email"},
      {"%{l}", "192.0.2.3", "strong-bad"},
      {"%{l-}", "192.0.2.3", "strong.bad"},
      {"%{lr}", "192.0.2.3", "strong-bad"},
      {"%{lr-}", "192.0.2.3", "bad.strong"},
      {"%{l1r-}", "192.0.2.3", "strong"},
      {"%{ir}.%{v}._spf.%{d2}", "192.0.2.3", "3.2.0.192.in-addr._spf.example.com"},
      {"%{lr-}.lp._spf.%{d2}", "192.0.2.3", "bad.strong.lp._spf.example.com"},
      {"%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "192.0.2.3",
       "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"},
      {"%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "192.0.2.3",
       "3.2.0.192.in-addr.strong.lp._spf.example.com"},
      {"%{d2}.trusted-domains.example.net", "192.0.2.3", "example.com.trusted-domains.example.net"},
      {"%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01",
       "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6._spf.example.com"},
      {"%{c} %{h} %{r} %{t} %{p}", "2001:db8::cb01",
       "2001:db8::cb01 mx.example.org mx.example.net 1700000000 unknown"},
      {"%%%_%-", "192.0.2.3", "% %20"},
      {"%{L}", "192.0.2.3", "strong-bad"},
      {"%{S}", "192.0.2.3", "strong-bad%40email.example.com"},
      {"%{d99}", "192.0.2.3", "email.example.com"},
      {"%{l2r+-}", "192.0.2.3", "bad.strong"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    Result<MacroString> parsed = ParseMacroString(c.text, MacroContext::kExplanation);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(ExpandMacroString(parsed.value(), ExampleValues(c.ip)), c.expanded);
  }
}

TEST(SpfMacro, UrlEscapesUpperCaseMacros) {
  MacroValues values = ExampleValues("192.0.2.3");
  values.local_part = "~jack&jill=up-a_b3.c";
  Result<MacroString> parsed =
      ParseMacroString("http://example.com/why.html?l=%{L}", MacroContext::kExplanation);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(ExpandMacroString(parsed.value(), values),
            "http://example.com/why.html?l=~jack%26jill%3Dup-a_b3.c");
}

TEST(SpfMacro, RejectsBadMacroStrings) {
  struct Case {
    const char* text;
    MacroContext context;
    const char* message;
  };
  const Case kCases[] = {
      {"%", MacroContext::kExplanation, "macro: '%' not followed by '{', '%', '_' or '-' in \"%\""},
      {"%(ir)", MacroContext::kDomainSpec,
       "macro: '%' not followed by '{', '%', '_' or '-' in \"%(ir)\""},
      {"foo%.bar", MacroContext::kDomainSpec,
       "macro: '%' not followed by '{', '%', '_' or '-' in \"foo%.bar\""},
      {"%{", MacroContext::kDomainSpec, "macro: unterminated \"%{\" in \"%{\""},
      {"%{d", MacroContext::kDomainSpec, "macro: bad or unterminated macro in \"%{d\""},
      {"%{x}", MacroContext::kExplanation, "macro: unknown macro letter in \"%{x}\""},
      {"%{d0}", MacroContext::kDomainSpec, "macro: zero digit transformer in \"%{d0}\""},
      {"%{d2x}", MacroContext::kDomainSpec, "macro: bad or unterminated macro in \"%{d2x}\""},
      {"%{c}", MacroContext::kDomainSpec,
       "macro: macro letter allowed only in explanations in \"%{c}\""},
      {"%{t}", MacroContext::kDomainSpec,
       "macro: macro letter allowed only in explanations in \"%{t}\""},
      {"a b", MacroContext::kDomainSpec, "macro: invalid character in \"a b\""},
      {"caf\xC3\xA9", MacroContext::kExplanation, "macro: invalid character in \"caf\xC3\xA9\""},
      {"tab\there", MacroContext::kExplanation, "macro: invalid character in \"tab here\""},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    Result<MacroString> parsed = ParseMacroString(c.text, c.context);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().message(), c.message);
  }
}

TEST(SpfMacro, ChecksDomainSpecEndings) {
  struct Case {
    const char* text;
    bool ok;
  };
  const Case kCases[] = {
      {"example.com", true},
      {"example.com.", true},
      {"%{d}", true},
      {"%{d}.com", true},
      {"foo.%-", true},
      {"x.xn--zckzah", true},
      {"abc.123-4", true},
      {"", false},
      {"museum", false},
      {"museum.", false},
      {"abc.123", false},
      {"example.-com", false},
      {"example.com-", false},
      {"%{d}com", false},
      {"%{d}.", false},
      {"example.com:8080", false},
      {"mail.example.com/24", false},
      {"a..", false},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(ParseDomainSpec(c.text).ok(), c.ok);
  }
}

TEST(SpfMacro, ReportsUseOfValidatedName) {
  EXPECT_TRUE(ParseDomainSpec("%{p}.example.com")->uses_validated_name());
  EXPECT_TRUE(ParseDomainSpec("%{P}.example.com")->uses_validated_name());
  EXPECT_FALSE(ParseDomainSpec("%{d}.example.com")->uses_validated_name());
}

}  // namespace
}  // namespace bouncedx::spf
