// SPDX-License-Identifier: MIT
// Every message of the founding articles (shared reference seeds.md) must get
// the right cause, class and severity, the meaning of its codes, a plain
// explanation and fix steps that say who acts.
#include <gtest/gtest.h>

#include <string>

#include "core/engine/diagnosis.h"

namespace bouncedx {
namespace {

struct SeedCase {
  const char* name;
  const char* input;
  const char* cause;
  const char* cause_class;
  const char* severity;
  int reply_code;
  const char* enhanced;
  const char* provider;  // "" when none is expected
};

const SeedCase kSeeds[] = {
    {"mit delivery not authorized", "554 5.7.1 Delivery not authorized",
     "connection_not_authorized", "ip_blocked", "permanent", 554, "5.7.1", ""},
    {"mit not allowed to connect", "554 5.7.1 You are not allowed to connect",
     "connection_not_authorized", "ip_blocked", "permanent", 554, "5.7.1", ""},
    {"colon delivery not authorized", "554 5.7.1 : Delivery not authorized",
     "connection_not_authorized", "ip_blocked", "permanent", 554, "5.7.1", ""},
    {"colon not allowed to connect", "554 5.7.1 : You are not allowed to connect",
     "connection_not_authorized", "ip_blocked", "permanent", 554, "5.7.1", ""},
    {"client host rejected", "554 5.7.1 : Client host rejected: Access denied",
     "client_access_denied", "ip_blocked", "permanent", 554, "5.7.1", ""},
    {"client host blocked", "554 5.7.1 : Service unavailable; Client host 203.0.113.5 blocked",
     "dnsbl_public", "ip_blocked", "permanent", 554, "5.7.1", ""},
    {"client host blocked using zen",
     "554 5.7.1 : Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org",
     "dnsbl_public", "ip_blocked", "permanent", 554, "5.7.1", ""},
    {"relay access denied", "554 5.7.1 : Relay access denied", "relay_denied", "relay_denied",
     "permanent", 554, "5.7.1", ""},
    {"recipient address rejected", "554 5.7.1 : Recipient address rejected: Access denied",
     "recipient_restricted", "recipient_filtered", "permanent", 554, "5.7.1", ""},
    {"rules rejection", "554 5.7.1 : Message cannot be accepted, rules rejection",
     "recipient_policy", "policy_rejected", "permanent", 554, "5.7.1", ""},
    {"dictionary check", "554 5.7.1 : Message refused by Dictionary check", "dictionary",
     nullptr, "permanent", 554, "5.7.1", ""},
    {"relay for one domain", "554 5.7.1 : Relay Access Denied for One Domain",
     "relay_domain_not_hosted", "relay_denied", "permanent", 554, "5.7.1", ""},
    {"spam rejection", "554 5.7.1 : Message cannot be accepted, spam rejection", "content_spam",
     "spam_content", "permanent", 554, "5.7.1", ""},
    {"dnsbl check", "554 5.7.1 : Message refused by DNSBL check", "dnsbl_public", "ip_blocked",
     "permanent", 554, "5.7.1", ""},
    {"sender address rejected", "554 5.7.1 : Sender address rejected: Access denied",
     "sender_rejected", "sender_rejected", "permanent", 554, "5.7.1", ""},
    {"exchange remote server returned 571",
     "Remote Server returned '571 Delivery not authorized, message refused'",
     "remote_filter_refused", "policy_rejected", "permanent", 571, "", ""},
    {"exchange hash 571", "#571 Delivery not authorized message refused", "remote_filter_refused",
     "policy_rejected", "permanent", 571, "", ""},
    {"gmail not authorized directly",
     "550-5.7.1 [203.0.113.5] The IP you're using to send mail is not authorized 550-5.7.1 to "
     "send email directly to our servers. Please use the SMTP relay at 550-5.7.1 your service "
     "provider instead.",
     "policy_range", "ip_blocked", "permanent", 550, "5.7.1", "gmail"},
    {"ip not authorized", "550 5.7.1 IP address not authorized to send email",
     "ip_not_authorized", "ip_blocked", "permanent", 550, "5.7.1", ""},
};

TEST(Seeds, EachFoundingMessageGetsItsCauseCodesAndFix) {
  Options options;
  for (const SeedCase& seed : kSeeds) {
    SCOPED_TRACE(seed.name);
    Diagnosis diagnosis(seed.input, options);
    const Report& report = diagnosis.report();
    EXPECT_EQ(report.verdict.cause_id, seed.cause);
    if (seed.cause_class != nullptr) {
      EXPECT_EQ(report.verdict.cause_class, seed.cause_class);
    }
    EXPECT_FALSE(report.verdict.cause_class.empty());
    EXPECT_EQ(report.verdict.severity, seed.severity);
    EXPECT_EQ(report.verdict.basis, "signature");
    EXPECT_FALSE(report.verdict.generic);
    EXPECT_EQ(report.verdict.provider_id, seed.provider);
    EXPECT_FALSE(report.verdict.title.empty());
    EXPECT_FALSE(report.explanation.summary.empty());
    EXPECT_FALSE(report.explanation.detail.empty());
    ASSERT_FALSE(report.fix.empty());
    for (const FixStep& step : report.fix) {
      EXPECT_FALSE(step.who.empty());
      EXPECT_FALSE(step.who_label.empty()) << step.who;
      EXPECT_FALSE(step.text.empty());
      EXPECT_EQ(step.text.find('{'), std::string::npos) << step.text;
    }
    ASSERT_EQ(report.recipients.size(), 1u);
    const Recipient& recipient = report.recipients[0];
    EXPECT_EQ(recipient.reply_code, seed.reply_code);
    EXPECT_EQ(recipient.enhanced_code, seed.enhanced);
    ASSERT_FALSE(recipient.meanings.empty());
    for (const CodeMeaning& meaning : recipient.meanings) {
      EXPECT_FALSE(meaning.meaning.empty()) << meaning.code;
    }
    EXPECT_EQ(report.input_kind, InputKind::kSmtpReply);
    ASSERT_FALSE(report.evidence.empty());
    EXPECT_EQ(report.evidence.front().cause_id, seed.cause);
  }
}

TEST(Seeds, BlocklistReplyNamesTheAddressAndZone) {
  Diagnosis diagnosis(
      "554 5.7.1 : Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org",
      Options());
  const Report& report = diagnosis.report();
  EXPECT_EQ(report.entities.sending_ip, "203.0.113.5");
  EXPECT_EQ(report.entities.blocklist_zone, "zen.spamhaus.org");
  bool names_ip = false;
  for (const FixStep& step : report.fix) {
    if (step.text.find("203.0.113.5") != std::string::npos) names_ip = true;
  }
  EXPECT_TRUE(names_ip) << "a fix step should name the blocked address";
}

TEST(Seeds, GmailReplyNamesTheAddress) {
  Diagnosis diagnosis(
      "550-5.7.1 [198.51.100.23] The IP you're using to send mail is not authorized\n"
      "550-5.7.1 to send email directly to our servers. Please use the SMTP relay at\n"
      "550 5.7.1 your service provider instead. a1si2.3 - gsmtp\n",
      Options());
  EXPECT_EQ(diagnosis.report().verdict.cause_id, "policy_range");
  EXPECT_EQ(diagnosis.report().verdict.provider_id, "gmail");
  EXPECT_EQ(diagnosis.report().entities.sending_ip, "198.51.100.23");
}

}  // namespace
}  // namespace bouncedx
