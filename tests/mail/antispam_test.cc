// SPDX-License-Identifier: MIT
#include "core/mail/antispam.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/base/limits.h"
#include "core/mail/headers.h"

namespace bouncedx::mail {
namespace {

const char kMeanings[] = R"({
  "unknown_value": "unexplained",
  "forefront": {
    "fields": {"CIP": "connecting ip", "PTR": "reverse name", "SFV": "verdict",
               "SCL": "spam level", "CAT": "category", "BCL": "bulk level"},
    "values": {
      "SFV": {"SPM": "spam by content"},
      "SCL": {"5": "spam", "-1": "skipped"},
      "CAT": {"SPM": "spam category"},
      "BCL": {"7": "mixed complaints"}
    }
  },
  "spamassassin": {
    "fields": {"score": "sa score", "required": "sa threshold", "test": "sa rule"},
    "values": {"status": {"yes": "sa spam"}, "test": {"RDNS_NONE": "no rdns"}}
  }
})";

std::vector<std::string> Lines(const AntispamReport& report) {
  std::vector<std::string> lines;
  for (const AntispamFinding& f : report.findings) {
    lines.push_back(f.header + " " + f.field + "=" + f.value + ": " + f.meaning);
  }
  return lines;
}

const char kHeaders[] =
    "X-Forefront-Antispam-Report: CIP:192.0.2.1;CTRY:US;SCL:5;SRV:;SFV:SPM;\n"
    " PTR:mail.example.org;CAT:SPM;SFS:(13230031)(4636009);ZZZ:1;\n"
    "X-Microsoft-Antispam: BCL:7;ARA:13230031|4636009;\n"
    "X-MS-Exchange-Organization-SCL: -1\n"
    "X-Spam-Status: Yes, score=7.3 required=5.0 tests=BAYES_99,RDNS_NONE,\n"
    "\tSPF_FAIL autolearn=no autolearn_force=no version=3.4.6\n"
    "X-Spam-Flag: YES\n"
    "X-Spam-Score: 7.3\n"
    "\n";

TEST(Antispam, DecodesWithGivenMeanings) {
  Result<AntispamMeanings> meanings = ParseAntispamMeanings(kMeanings);
  ASSERT_TRUE(meanings.ok()) << meanings.status().ToString();
  HeaderBlock block = ParseHeaders(kHeaders, 0, Limits(), nullptr);
  std::vector<std::string> warnings;
  AntispamReport report = DecodeAntispam(block, *meanings, &warnings);
  EXPECT_TRUE(warnings.empty());
  const std::vector<std::string> expected = {
      "X-Forefront-Antispam-Report CIP=192.0.2.1: connecting ip",
      "X-Forefront-Antispam-Report CTRY=US: unexplained",
      "X-Forefront-Antispam-Report SCL=5: spam",
      "X-Forefront-Antispam-Report SFV=SPM: spam by content",
      "X-Forefront-Antispam-Report PTR=mail.example.org: reverse name",
      "X-Forefront-Antispam-Report CAT=SPM: spam category",
      "X-Forefront-Antispam-Report SFS=(13230031)(4636009): unexplained",
      "X-Forefront-Antispam-Report ZZZ=1: unexplained",
      "X-Microsoft-Antispam BCL=7: mixed complaints",
      "X-MS-Exchange-Organization-SCL SCL=-1: skipped",
      "X-Spam-Status status=Yes: sa spam",
      "X-Spam-Status score=7.3: sa score",
      "X-Spam-Status required=5.0: sa threshold",
      "X-Spam-Status test=BAYES_99: sa rule",
      "X-Spam-Status test=RDNS_NONE: no rdns",
      "X-Spam-Status test=SPF_FAIL: sa rule",
      "X-Spam-Status autolearn=no: unexplained",
      "X-Spam-Flag flag=YES: unexplained",
      "X-Spam-Score score=7.3: sa score",
  };
  EXPECT_EQ(Lines(report), expected);
  EXPECT_EQ(report.connecting_ip, "192.0.2.1");
  EXPECT_EQ(report.ptr, "mail.example.org");
  EXPECT_EQ(report.scl, -1);  // the last SCL seen
  EXPECT_EQ(report.bcl, 7);
  EXPECT_EQ(report.sfv, "SPM");
  EXPECT_EQ(report.category, "SPM");
  EXPECT_EQ(report.spamassassin_verdict, "yes");
  EXPECT_EQ(report.spamassassin_score, "7.3");
  EXPECT_EQ(report.spamassassin_required, "5.0");
  EXPECT_EQ(report.spamassassin_tests,
            (std::vector<std::string>{"BAYES_99", "RDNS_NONE", "SPF_FAIL"}));
}

TEST(Antispam, ExplainsUnknownValueOfKnownField) {
  Result<AntispamMeanings> meanings = ParseAntispamMeanings(kMeanings);
  ASSERT_TRUE(meanings.ok());
  HeaderBlock block =
      ParseHeaders("X-Forefront-Antispam-Report: SFV:XYZ;H:helo.example\n\n", 0, Limits(), nullptr);
  AntispamReport report = DecodeAntispam(block, *meanings, nullptr);
  EXPECT_EQ(Lines(report),
            (std::vector<std::string>{"X-Forefront-Antispam-Report SFV=XYZ: verdict: unexplained",
                                      "X-Forefront-Antispam-Report H=helo.example: unexplained"}));
  EXPECT_EQ(report.helo, "helo.example");
}

TEST(Antispam, ReadsTestScoresAndBadScl) {
  Result<AntispamMeanings> meanings = ParseAntispamMeanings(kMeanings);
  ASSERT_TRUE(meanings.ok());
  HeaderBlock block = ParseHeaders(
      "X-Spam-Status: No, hits=-0.1 required=5.0 tests=[DKIM_SIGNED=0.1,\n"
      "\tDKIM_VALID=-0.1, RDNS_NONE=0.8] autolearn=ham\n"
      "X-MS-Exchange-Organization-SCL: high\n"
      "\n",
      0, Limits(), nullptr);
  std::vector<std::string> warnings;
  AntispamReport report = DecodeAntispam(block, *meanings, &warnings);
  EXPECT_EQ(report.spamassassin_verdict, "no");
  EXPECT_EQ(report.spamassassin_score, "-0.1");
  EXPECT_EQ(report.spamassassin_tests,
            (std::vector<std::string>{"DKIM_SIGNED", "DKIM_VALID", "RDNS_NONE"}));
  EXPECT_EQ(report.scl, -2);
  EXPECT_EQ(warnings, (std::vector<std::string>{
                          "antispam: X-MS-Exchange-Organization-SCL: \"high\" is not a number"}));
}

TEST(Antispam, RejectsBrokenMeanings) {
  const struct {
    const char* json;
    const char* error;
  } cases[] = {
      {"{", "malformed: antispam.json: not valid JSON"},
      {"[]", "malformed: antispam.json: expected an object at the top"},
      {"{}", "malformed: antispam.json: unknown_value: expected a string"},
      {R"({"unknown_value": "x", "forefront": 1})",
       "malformed: antispam.json: forefront: expected an object"},
      {R"({"unknown_value": "x", "forefront": {"fields": {"CIP": 1}}})",
       "malformed: antispam.json: forefront.fields.CIP: expected a string"},
      {R"({"unknown_value": "x", "forefront": {"values": {"SFV": []}}})",
       "malformed: antispam.json: forefront.values.SFV: expected an object"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json);
    EXPECT_EQ(ParseAntispamMeanings(c.json).status().ToString(), c.error);
  }
}

TEST(Antispam, EmbeddedKnowledgeExplainsMicrosoftAndSpamAssassin) {
  ASSERT_TRUE(DefaultAntispamMeaningsStatus().ok()) << DefaultAntispamMeaningsStatus().ToString();
  const AntispamMeanings& meanings = DefaultAntispamMeanings();
  EXPECT_EQ(meanings.Value("forefront", "SFV", "SPM"), "marked spam by the content filter");
  EXPECT_EQ(meanings.Value("forefront", "SCL", "5"), "Microsoft's filter judged the message spam");
  EXPECT_EQ(meanings.Value("forefront", "IPV", "CAL"),
            "the sending IP address is on the tenant's allow list (connection filter), so spam "
            "filtering of the address was skipped");
  for (const char* category : {"BULK", "SPM", "HSPM", "PHSH", "HPHSH", "MALW", "SPOOF", "DIMP",
                               "GIMP", "UIMP", "AMP", "SAP", "OSPM"}) {
    SCOPED_TRACE(category);
    EXPECT_FALSE(meanings.Value("forefront", "CAT", category).empty());
  }
  for (int level = -1; level <= 9; ++level) {
    SCOPED_TRACE(level);
    EXPECT_FALSE(meanings.Value("forefront", "SCL", std::to_string(level)).empty());
  }
  for (int level = 0; level <= 9; ++level) {
    EXPECT_FALSE(meanings.Value("forefront", "BCL", std::to_string(level)).empty());
  }

  HeaderBlock block = ParseHeaders(kHeaders, 0, Limits(), nullptr);
  std::vector<std::string> warnings;
  AntispamReport report = DecodeAntispam(block, &warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_GE(report.findings.size(), 3u);
  EXPECT_EQ(report.findings[0].meaning,
            "the connecting IP address Microsoft saw: the address that delivered the message to "
            "it");
  EXPECT_EQ(report.findings[2].field, "SCL");
  EXPECT_EQ(report.findings[2].meaning, "Microsoft's filter judged the message spam");
  for (const AntispamFinding& finding : report.findings) {
    SCOPED_TRACE(finding.field + "=" + finding.value);
    EXPECT_FALSE(finding.meaning.empty());
  }
}

}  // namespace
}  // namespace bouncedx::mail
