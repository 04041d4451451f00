// SPDX-License-Identifier: MIT
// How the engine reads whole bounces: which reply decides, who rejected,
// how severe it is, and which recipients failed. Inputs are short bounces
// in the documented formats of each MTA; every test runs offline.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/base/limits.h"
#include "core/engine/bounce.h"
#include "core/engine/diagnosis.h"
#include "core/engine/options.h"
#include "core/report/report.h"

namespace bouncedx {
namespace {

Options Offline() {
  Options options;
  options.dns_checks = false;
  return options;
}

// The addresses of the report's recipients, in order.
std::vector<std::string> Addresses(const Report& report) {
  std::vector<std::string> out;
  for (const Recipient& recipient : report.recipients) out.push_back(recipient.address);
  return out;
}

constexpr char kQmailQueueTooLong[] =
    "From: MAILER-DAEMON@mail.example.com\n"
    "To: sam@example.com\n"
    "Subject: failure notice\n"
    "\n"
    "Hi. This is the qmail-send program at mail.example.com.\n"
    "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
    "This is a permanent error; I've given up. Sorry it didn't work out.\n"
    "\n"
    "<bob@example.net>:\n"
    "Connected to 198.51.100.9 but connection died. (#4.4.2)\n"
    "I'm not going to try again; this message has been in the queue too long.\n";

TEST(BounceReading, DissectionNoticesThatTheMtaGaveUp) {
  std::vector<std::string> warnings;
  EXPECT_TRUE(DissectBounce(kQmailQueueTooLong, Limits(), &warnings).gave_up);
  EXPECT_FALSE(DissectBounce("From: a@example.com\nSubject: hi\n\nYour message was delayed.\n",
                             Limits(), &warnings)
                   .gave_up);
}

TEST(BounceReading, QmailGivingUpOnA4xxIsPermanent) {
  Diagnosis diagnosis(kQmailQueueTooLong, Offline());
  const Report& report = diagnosis.report();
  EXPECT_EQ(report.verdict.cause_id, "expired_in_queue");
  EXPECT_EQ(report.verdict.severity, "permanent");
  ASSERT_EQ(report.recipients.size(), 1u);
  EXPECT_EQ(report.recipients[0].address, "bob@example.net");
  EXPECT_EQ(report.recipients[0].enhanced_code, "4.4.2");
  EXPECT_EQ(report.recipients[0].action, "failed");
}

TEST(BounceReading, EximLocalMailboxFullIsTheReasonNotTheRetryTimeout) {
  Diagnosis diagnosis(
      "X-Failed-Recipients: carol@example.com\n"
      "From: Mail Delivery System <Mailer-Daemon@server1.example.com>\n"
      "Subject: Mail delivery failed: returning message to sender\n"
      "\n"
      "This message was created automatically by mail delivery software.\n"
      "\n"
      "A message that you sent could not be delivered to one or more of its\n"
      "recipients. This is a permanent error. The following address(es) failed:\n"
      "\n"
      "  carol@example.com\n"
      "    mailbox is full (MTA-imposed quota exceeded while writing to\n"
      "    file /var/mail/carol): retry timeout exceeded\n",
      Offline());
  const Report& report = diagnosis.report();
  EXPECT_EQ(report.verdict.cause_id, "mailbox_full");
  EXPECT_EQ(report.verdict.severity, "permanent");
  EXPECT_EQ(Addresses(report), std::vector<std::string>{"carol@example.com"});
}

TEST(BounceReading, EximRetryTimeoutAloneIsExpiryInQueue) {
  Diagnosis diagnosis(
      "From: Mail Delivery System <Mailer-Daemon@server1.example.com>\n"
      "\n"
      "This message was created automatically by mail delivery software.\n"
      "\n"
      "A message that you sent could not be delivered to one or more of its\n"
      "recipients. This is a permanent error. The following address(es) failed:\n"
      "\n"
      "  bob@example.net\n"
      "    retry timeout exceeded\n",
      Offline());
  EXPECT_EQ(diagnosis.report().verdict.cause_id, "expired_in_queue");
  EXPECT_EQ(diagnosis.report().verdict.severity, "permanent");
}

TEST(BounceReading, ExchangeOnlineThrottleRangeIsTemporaryLowReputation) {
  for (const char* code : {"4.7.500", "4.7.612", "4.7.899"}) {
    SCOPED_TRACE(code);
    std::string reply = std::string("451 ") + code +
                        " Server busy. Please try again later from [203.0.113.82]. (S77719)";
    Diagnosis diagnosis(reply, Offline());
    const Report& report = diagnosis.report();
    EXPECT_EQ(report.verdict.cause_id, "reputation_low");
    EXPECT_EQ(report.verdict.provider_id, "microsoft365");
    EXPECT_EQ(report.verdict.severity, "transient");
    EXPECT_EQ(report.entities.sending_ip, "203.0.113.82");
  }
  // Outside the range, and inside IP addresses, the code says nothing.
  Diagnosis outside("451 4.7.1 Server busy. Please try again later", Offline());
  EXPECT_NE(outside.report().verdict.cause_id, "reputation_low");
  Diagnosis address("451 4.3.2 try again later, client 10.4.7.500.example", Offline());
  EXPECT_NE(address.report().verdict.provider_id, "microsoft365");
}

TEST(BounceReading, NonAcceptedDomainIsExchangeWordingNotMicrosoft365) {
  Diagnosis diagnosis(
      "Delivery has failed to these recipients or groups:\n"
      "\n"
      "Diagnostic information for administrators:\n"
      "\n"
      "Generating server: EX01.corp.example\n"
      "Receiving server: EX02.partner.example (198.51.100.21)\n"
      "\n"
      "info@newbrand.example\n"
      "Remote Server returned '550 5.7.54 SMTP; Unable to relay recipient in non-accepted "
      "domain'\n",
      Offline());
  const Report& report = diagnosis.report();
  EXPECT_EQ(report.verdict.cause_id, "relay_domain_not_hosted");
  EXPECT_EQ(report.verdict.provider_id, "");
  EXPECT_EQ(report.verdict.reporter_id, "exchange");
}

TEST(BounceReading, GmailsCouldNotConnectNoticeNamesNoRejecter) {
  // Gmail wrote the notice; the server that failed is the recipient's.
  Diagnosis diagnosis(
      "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
      "Subject: Delivery Status Notification (Delay)\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
      "\n"
      "--b\n"
      "Content-Type: text/plain; charset=UTF-8\n"
      "\n"
      "** Delivery incomplete **\n"
      "\n"
      "There was a temporary problem delivering your message to bob@example.net.\n"
      "\n"
      "The response was:\n"
      "\n"
      "The recipient server did not accept our requests to connect. Learn more at "
      "https://support.google.com/mail/answer/7720 [mx.example.net. 198.51.100.9: timed out]\n"
      "\n"
      "--b\n"
      "Content-Type: message/delivery-status\n"
      "\n"
      "Reporting-MTA: dns; googlemail.com\n"
      "\n"
      "Final-Recipient: rfc822; bob@example.net\n"
      "Action: delayed\n"
      "Status: 4.4.1\n"
      "Remote-MTA: dns; mx.example.net.\n"
      "Diagnostic-Code: smtp; The recipient server did not accept our requests to\n"
      " connect. Learn more at https://support.google.com/mail/answer/7720\n"
      " [mx.example.net. 198.51.100.9: timed out]\n"
      "\n"
      "--b--\n",
      Offline());
  const Report& report = diagnosis.report();
  EXPECT_EQ(report.verdict.cause_id, "host_unreachable");
  EXPECT_EQ(report.verdict.signature_id, "gmail_could_not_connect");
  EXPECT_EQ(report.verdict.provider_id, "");
  EXPECT_EQ(report.verdict.severity, "transient");
  // Gmail's mailer in From wrote it, not Sendmail ("Mail Delivery Subsystem").
  EXPECT_EQ(report.verdict.reporter_id, "gmail");
}

TEST(BounceReading, ExchangeNdrNamesTheHostThatRefused) {
  struct Case {
    const char* name;
    const char* text;
    const char* host;
  };
  const Case cases[] = {
      {"own reject: the generating server",
       "Generating server: AM9PR04MB8123.eurprd04.prod.outlook.com\n\njane@corp.example\n"
       "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\n",
       "AM9PR04MB8123.eurprd04.prod.outlook.com"},
      {"new layout: DSN generated by",
       "Reported error:    554 5.2.2 mailbox full\nDSN generated by:    AM9PR04MB8123.eurprd04.prod.outlook.com\n",
       "AM9PR04MB8123.eurprd04.prod.outlook.com"},
      {"copied from Outlook: message rejected by",
       "Error:   550 5.1.10 RESOLVER.ADR.RecipientNotFound\nMessage rejected by:   DB9PR04MB8123.eurprd04.prod.outlook.com\n",
       "DB9PR04MB8123.eurprd04.prod.outlook.com"},
      {"remote reject: the receiving server",
       "Generating server: EX01.corp.example\nReceiving server: EX02.partner.example (198.51.100.21)\n",
       "EX02.partner.example"},
      {"remote reply quoted without naming its server",
       "Generating server: EX01.corp.example\n\nbob@example.net\n"
       "Remote Server returned '571 Delivery not authorized, message refused'\n",
       ""},
      {"a label inside a sentence is no label",
       "we asked whether the Generating server: mail.example.com was at fault\n", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> warnings;
    EXPECT_EQ(DissectBounce(c.text, Limits(), &warnings).ndr_rejecting_host, c.host);
  }
}

TEST(BounceReading, ExchangeOnlineOwnRejectNamesMicrosoft365) {
  Diagnosis diagnosis(
      "Delivery has failed to these recipients or groups:\n"
      "\n"
      "Diagnostic information for administrators:\n"
      "\n"
      "Generating server: AM9PR04MB8123.eurprd04.prod.outlook.com\n"
      "\n"
      "jane@corp.example\n"
      "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\n",
      Offline());
  const Report& report = diagnosis.report();
  EXPECT_EQ(report.verdict.cause_id, "recipient_unknown");
  EXPECT_EQ(report.verdict.rejecting_host, "AM9PR04MB8123.eurprd04.prod.outlook.com");
  EXPECT_EQ(report.verdict.provider_id, "microsoft365");
  EXPECT_EQ(report.verdict.reporter_id, "exchange");
}

TEST(BounceReading, EximSenderCalloutIsAboutTheSenderNotTheRecipient) {
  Diagnosis diagnosis(
      "X-Failed-Recipients: dana@example.org\n"
      "From: Mail Delivery System <Mailer-Daemon@server1.example.com>\n"
      "\n"
      "This message was created automatically by mail delivery software.\n"
      "\n"
      "A message that you sent could not be delivered to one or more of its\n"
      "recipients. This is a permanent error. The following address(es) failed:\n"
      "\n"
      "  dana@example.org\n"
      "    host mail.example.org [198.51.100.11]\n"
      "    SMTP error from remote mail server after RCPT TO:<dana@example.org>:\n"
      "    550-Verification failed for <sam@example.com>\n"
      "    550-Called:   198.51.100.30\n"
      "    550-Sent:     RCPT TO:<sam@example.com>\n"
      "    550-Response: 550 5.1.1 <sam@example.com>: Recipient address rejected: User unknown\n"
      "    550 Sender verify failed\n",
      Offline());
  const Report& report = diagnosis.report();
  EXPECT_EQ(report.verdict.cause_id, "sender_rejected");
  EXPECT_EQ(report.verdict.signature_id, "exim_sender_callout_failed");
  EXPECT_EQ(Addresses(report), std::vector<std::string>{"dana@example.org"});
  EXPECT_EQ(report.recipients[0].reply_code, 550);
}

TEST(BounceReading, NoticesWithoutARepliedAddressNameTheirRecipient) {
  struct Case {
    const char* name;
    const char* text;
    const char* cause;
  };
  const Case cases[] = {
      {"sending service activity view",
       "Email Activity  >  Message details\n\nSubject: Your May newsletter\nTo: bob@example.net\n"
       "From: news@example.com\n\nEvent: Dropped\nReason: Bounced Address\n"
       "SendGrid did not attempt delivery: this address bounced before and is on your bounce list.\n",
       "suppressed"},
      {"filter notice below the notice's own headers",
       "From: Barracuda Message Center <notifications@example.net>\nTo: sam@example.com\n"
       "Subject: Message you sent blocked by our bulk email filter\n\n"
       "Your message to: bob@example.net\nwas blocked by our Spam Firewall. The email you sent "
       "with the following subject has NOT BEEN DELIVERED:\n",
       "content_spam"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Diagnosis diagnosis(c.text, Offline());
    const Report& report = diagnosis.report();
    EXPECT_EQ(report.verdict.cause_id, c.cause);
    ASSERT_EQ(Addresses(report), std::vector<std::string>{"bob@example.net"});
    EXPECT_EQ(report.recipients[0].action, "failed");
  }
}

TEST(BounceReading, CopiedNdrNamesTheUnnamedReplyAndMergesTheBareStatusCode) {
  Diagnosis diagnosis(
      "Your message to pat@corp.example couldn't be delivered.\n"
      "\n"
      "More Info for Email Admins\n"
      "Status code: 550 5.1.10\n"
      "\n"
      "Error Details\n"
      "Error:   550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient pat@corp.example not found "
      "by SMTP address lookup\n",
      Offline());
  const Report& report = diagnosis.report();
  ASSERT_EQ(Addresses(report), std::vector<std::string>{"pat@corp.example"});
  EXPECT_EQ(report.recipients[0].reply_code, 550);
  EXPECT_EQ(report.recipients[0].enhanced_code, "5.1.10");
  EXPECT_EQ(report.recipients[0].diagnostic,
            "RESOLVER.ADR.RecipientNotFound; Recipient pat@corp.example not found by SMTP address "
            "lookup");
}

TEST(BounceReading, AutoRepliesGetNoRecipientFromTheirText) {
  Diagnosis diagnosis(
      "From: bob@example.net\nTo: sam@example.com\nSubject: Out of office\n"
      "Auto-Submitted: auto-replied\n\nI am away until Monday.\nRecipient: bob@example.net\n",
      Offline());
  EXPECT_EQ(diagnosis.report().verdict.cause_id, "auto_reply");
  EXPECT_TRUE(diagnosis.report().recipients.empty());
}

constexpr char kTwoPastedEximBounces[] =
    "This message was created automatically by mail delivery software.\n"
    "\n"
    "A message that you sent could not be delivered to one or more of its\n"
    "recipients. This is a permanent error. The following address(es) failed:\n"
    "\n"
    "  alex@example.net\n"
    "    host aspmx.l.google.com [198.51.100.60]\n"
    "    SMTP error from remote mail server after RCPT TO:<alex@example.net>:\n"
    "    550 5.1.1 The email account that you tried to reach does not exist. - gsmtp\n"
    "\n"
    "------ This is a copy of the message, including all the headers. ------\n"
    "\n"
    "From: sam@example.com\n"
    "To: alex@example.net\n"
    "Subject: Quarterly figures\n"
    "\n"
    "Blocked words in the body: spam, virus.\n"
    "\n"
    "This message was created automatically by mail delivery software.\n"
    "\n"
    "A message that you sent could not be delivered to one or more of its\n"
    "recipients. This is a permanent error. The following address(es) failed:\n"
    "\n"
    "  ana@example.org\n"
    "    host aspmx.l.google.com [198.51.100.61]\n"
    "    SMTP error from remote mail server after RCPT TO:<ana@example.org>:\n"
    "    550 5.1.1 The email account that you tried to reach does not exist. - gsmtp\n"
    "\n"
    "------ This is a copy of the message, including all the headers. ------\n"
    "\n"
    "From: sam@example.com\n"
    "To: ana@example.org\n"
    "Subject: Quarterly figures\n"
    "\n"
    "The second body.\n";

TEST(BounceReading, TwoPastedBouncesEachKeepTheirWordsAndLoseTheirOriginal) {
  std::vector<std::string> warnings;
  BounceParts parts = DissectBounce(kTwoPastedEximBounces, Limits(), &warnings);
  const std::string& analysis = parts.analysis;
  EXPECT_NE(analysis.find("RCPT TO:<ana@example.org>"), std::string::npos);
  EXPECT_EQ(analysis.find("Blocked words"), std::string::npos);
  EXPECT_EQ(analysis.find("The second body"), std::string::npos);
  EXPECT_EQ(analysis.find("This is a copy of the message"), std::string::npos);
  EXPECT_EQ(analysis.size(), std::string(kTwoPastedEximBounces).size());
  EXPECT_EQ(parts.original.to, "alex@example.net");
  EXPECT_TRUE(warnings.empty());
}

TEST(BounceReading, TwoPastedBouncesListBothRecipients) {
  Diagnosis diagnosis(kTwoPastedEximBounces, Offline());
  const Report& report = diagnosis.report();
  EXPECT_EQ(report.verdict.cause_id, "recipient_unknown");
  EXPECT_EQ(Addresses(report), (std::vector<std::string>{"alex@example.net", "ana@example.org"}));
}

TEST(BounceReading, TextWithoutAnySignalGetsNoRecipientFromItsLabels) {
  Diagnosis diagnosis("hello, my mail to this person came back\nRecipient: bob@example.net\n",
                      Offline());
  EXPECT_EQ(diagnosis.report().verdict.cause_id, "unknown");
  EXPECT_TRUE(diagnosis.report().recipients.empty());
}

TEST(BounceReading, UnnamedRepliesTakeTheLabelledRecipientsInOrder) {
  Diagnosis diagnosis(
      "Recipient: ann@example.net\n"
      "Recipient: ben@example.org\n"
      "\n"
      "The servers answered:\n"
      "\n"
      "550 5.1.1 mailbox unknown\n"
      "\n"
      "\n"
      "552 5.2.2 mailbox full\n",
      Offline());
  const Report& report = diagnosis.report();
  ASSERT_EQ(Addresses(report), (std::vector<std::string>{"ann@example.net", "ben@example.org"}));
  EXPECT_EQ(report.recipients[0].enhanced_code, "5.1.1");
  EXPECT_EQ(report.recipients[1].enhanced_code, "5.2.2");
}

// A MIME bounce keeps its own header block as ParseHeaders reads the input;
// without MIME none is kept.
TEST(DissectBounce, KeepsTheHeaderBlockOfAMimeBounce) {
  const std::string mime =
      "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
      "Subject: Undelivered Mail\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
      "\n"
      "--b\n"
      "Content-Type: text/plain\n"
      "\n"
      "550 5.1.1 unknown user\n"
      "--b--\n";
  std::vector<std::string> warnings;
  BounceParts parts = DissectBounce(mime, Limits(), &warnings);
  ASSERT_TRUE(parts.mime);
  std::vector<std::string> ignored;
  mail::HeaderBlock expected = mail::ParseHeaders(mime, 0, Limits(), &ignored);
  ASSERT_EQ(parts.headers.fields.size(), 3u);
  ASSERT_EQ(parts.headers.fields.size(), expected.fields.size());
  for (size_t i = 0; i < expected.fields.size(); ++i) {
    EXPECT_EQ(parts.headers.fields[i].name, expected.fields[i].name);
    EXPECT_EQ(parts.headers.fields[i].value, expected.fields[i].value);
  }
  EXPECT_EQ(parts.headers.body_begin, expected.body_begin);
  EXPECT_TRUE(DissectBounce("From: a@example.com\n\n550 no\n", Limits(), &warnings).headers.fields.empty());
}

}  // namespace
}  // namespace bouncedx
