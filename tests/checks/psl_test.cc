// SPDX-License-Identifier: MIT
#include "core/checks/psl.h"

#include <gtest/gtest.h>

#include <string>

namespace bouncedx {
namespace {

struct OrgCase {
  const char* domain;
  const char* organizational;  // what OrganizationalDomain() returns
};

void ExpectOrganizational(const OrgCase* begin, const OrgCase* end) {
  for (const OrgCase* c = begin; c != end; ++c) {
    SCOPED_TRACE(c->domain);
    EXPECT_EQ(OrganizationalDomain(c->domain), c->organizational);
  }
}

TEST(OrganizationalDomain, NormalRules) {
  const OrgCase cases[] = {
      {"com", "com"},
      {"example.com", "example.com"},
      {"b.example.com", "example.com"},
      {"a.b.example.com", "example.com"},
      {"co.uk", "co.uk"},
      {"example.co.uk", "example.co.uk"},
      {"mail.example.co.uk", "example.co.uk"},
      {"uk.com", "uk.com"},
      {"a.b.example.uk.com", "example.uk.com"},
      {"ac.jp", "ac.jp"},
      {"www.test.ac.jp", "test.ac.jp"},
      {"k12.ak.us", "k12.ak.us"},
      {"www.test.k12.ak.us", "test.k12.ak.us"},
  };
  ExpectOrganizational(std::begin(cases), std::end(cases));
}

TEST(OrganizationalDomain, WildcardAndExceptionRules) {
  const OrgCase cases[] = {
      // *.ck with the exception !www.ck
      {"ck", "ck"},
      {"test.ck", "test.ck"},  // a public suffix itself
      {"b.test.ck", "b.test.ck"},
      {"a.b.test.ck", "b.test.ck"},
      {"www.ck", "www.ck"},
      {"www.www.ck", "www.ck"},
      // *.kobe.jp with the exception !city.kobe.jp
      {"c.kobe.jp", "c.kobe.jp"},
      {"a.b.c.kobe.jp", "b.c.kobe.jp"},
      {"city.kobe.jp", "city.kobe.jp"},
      {"www.city.kobe.jp", "city.kobe.jp"},
      // the only rule of mm is *.mm
      {"c.mm", "c.mm"},
      {"a.b.c.mm", "b.c.mm"},
  };
  ExpectOrganizational(std::begin(cases), std::end(cases));
}

TEST(OrganizationalDomain, PrivateSuffixesCount) {
  const OrgCase cases[] = {
      {"github.io", "github.io"},
      {"alice.github.io", "alice.github.io"},
      {"www.alice.github.io", "alice.github.io"},
      {"blogspot.com", "blogspot.com"},
      {"x.y.blogspot.com", "y.blogspot.com"},
      // a multi-label private suffix: *.compute.amazonaws.com style
      {"host.eu-west-1.compute.amazonaws.com", "host.eu-west-1.compute.amazonaws.com"},
  };
  ExpectOrganizational(std::begin(cases), std::end(cases));
  // The ICANN section alone sees only the registered names.
  EXPECT_EQ(PublicSuffix("www.alice.github.io", PslSections::kIcannOnly), "io");
  EXPECT_EQ(PublicSuffix("www.alice.github.io"), "github.io");
  EXPECT_EQ(PublicSuffix("x.eu-west-1.compute.amazonaws.com"), "eu-west-1.compute.amazonaws.com");
  EXPECT_EQ(PublicSuffix("x.eu-west-1.compute.amazonaws.com", PslSections::kIcannOnly), "com");
}

TEST(OrganizationalDomain, IdnInPunycodeAndUnicode) {
  const OrgCase cases[] = {
      {"xn--55qx5d.cn", "xn--55qx5d.cn"},  // 公司.cn
      {"xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn"},
      {"www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn"},
      {"shishi.xn--fiqs8s", "shishi.xn--fiqs8s"},  // 中国
      {"xn--fiqs8s", "xn--fiqs8s"},
      {"www.\xe9\xa3\x9f\xe7\x8b\xae.\xe5\x85\xac\xe5\x8f\xb8.cn",
       "\xe9\xa3\x9f\xe7\x8b\xae.\xe5\x85\xac\xe5\x8f\xb8.cn"},  // www.食狮.公司.cn
      {"\xe5\x85\xac\xe5\x8f\xb8.cn", "\xe5\x85\xac\xe5\x8f\xb8.cn"},
  };
  ExpectOrganizational(std::begin(cases), std::end(cases));
}

TEST(OrganizationalDomain, UnknownTldsAndSingleLabels) {
  const OrgCase cases[] = {
      {"example", "example"},
      {"example.example", "example.example"},
      {"a.b.example.example", "example.example"},
      {"localhost", "localhost"},
      {"mail.invalid", "mail.invalid"},
  };
  ExpectOrganizational(std::begin(cases), std::end(cases));
}

TEST(OrganizationalDomain, NormalizesCaseAndTrailingDot) {
  EXPECT_EQ(OrganizationalDomain("WwW.Example.COM."), "example.com");
  EXPECT_EQ(OrganizationalDomain("Mail.Example.CO.UK."), "example.co.uk");
  EXPECT_EQ(PublicSuffix("Mail.Example.CO.UK."), "co.uk");
}

TEST(OrganizationalDomain, RejectsWhatIsNotAName) {
  for (const char* bad : {"", ".", ".com", ".example.com", "a..example.com", ".."}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(OrganizationalDomain(bad), "");
    EXPECT_EQ(PublicSuffix(bad), "");
    EXPECT_FALSE(IsPublicSuffix(bad));
  }
  EXPECT_EQ(OrganizationalDomain(std::string(2000, 'a')), "");
}

TEST(PublicSuffix, IsPublicSuffix) {
  EXPECT_TRUE(IsPublicSuffix("com"));
  EXPECT_TRUE(IsPublicSuffix("co.uk"));
  EXPECT_TRUE(IsPublicSuffix("test.ck"));
  EXPECT_FALSE(IsPublicSuffix("www.ck"));
  EXPECT_TRUE(IsPublicSuffix("github.io"));
  EXPECT_FALSE(IsPublicSuffix("example.com"));
}

TEST(PublicSuffix, EmbeddedListLoads) {
  EXPECT_FALSE(EmbeddedPublicSuffixList().empty());
  // The list holds thousands of rules in both sections; a few hundred would
  // mean the file was cut.
  EXPECT_GT(PublicSuffixRuleCount(), 5000u);
  EXPECT_NE(EmbeddedPublicSuffixList().find("===BEGIN PRIVATE DOMAINS==="), std::string::npos);
}

TEST(DomainToAscii, EncodesUnicodeLabelsOnly) {
  EXPECT_EQ(DomainToAscii("Mail.B\xc3\xbc" "cher.Example"), "mail.xn--bcher-kva.example");
  EXPECT_EQ(DomainToAscii("www.\xe9\xa3\x9f\xe7\x8b\xae.\xe5\x85\xac\xe5\x8f\xb8.cn"),
            "www.xn--85x722f.xn--55qx5d.cn");
  EXPECT_EQ(DomainToAscii("example.com."), "example.com.");
  EXPECT_EQ(DomainToAscii("bad.\xff.example"), "");
}

TEST(PunycodeEncode, EncodesRfc3492Examples) {
  struct Case {
    const char* utf8;
    const char* encoded;
  };
  const Case cases[] = {
      {"b\xc3\xbc" "cher", "bcher-kva"},              // bücher
      {"m\xc3\xbc" "nchen", "mnchen-3ya"},            // münchen
      {"\xe5\x85\xac\xe5\x8f\xb8", "55qx5d"},         // 公司
      {"\xe4\xb8\xad\xe5\x9b\xbd", "fiqs8s"},         // 中国
      {"\xe9\xa3\x9f\xe7\x8b\xae", "85x722f"},        // 食狮
      {"\xd1\x80\xd1\x84", "p1ai"},                   // рф
      {"abc", "abc-"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.encoded);
    Result<std::string> encoded = PunycodeEncode(c.utf8);
    ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
    EXPECT_EQ(encoded.value(), c.encoded);
  }
  EXPECT_FALSE(PunycodeEncode("").ok());
  EXPECT_FALSE(PunycodeEncode("\xff\xfe").ok());
}

}  // namespace
}  // namespace bouncedx
