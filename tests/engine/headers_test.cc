// SPDX-License-Identifier: MIT
// Pasted "show original" headers: the Received hops, the edge and what it
// makes the sending IP, trusted authentication results, DKIM selectors.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/engine/diagnosis.h"

namespace bouncedx {
namespace {

constexpr char kGmailHeaders[] =
    "Delivered-To: carol@gmail.com\n"
    "Received: by 2002:a05:7300:1234 with SMTP id abc; Mon, 23 Nov 2026 10:00:05 -0800 (PST)\n"
    "Received: from mail.good.example (mail.good.example. [192.0.2.10])\n"
    "        by mx.google.com with ESMTPS id x1si123.2026.11.23.10.00.03\n"
    "        for <carol@gmail.com>\n"
    "        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n"
    "        Mon, 23 Nov 2026 10:00:04 -0800 (PST)\n"
    "Authentication-Results: mx.google.com;\n"
    "       dkim=pass header.i=@good.example header.s=sel1 header.b=abc;\n"
    "       spf=pass (google.com: domain of alice@good.example designates 192.0.2.10 as "
    "permitted sender) smtp.mailfrom=alice@good.example;\n"
    "       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=good.example\n"
    "Received: from laptop.internal (unknown [10.0.0.5])\n"
    "        by mail.good.example (Postfix) with ESMTPSA id 4AB12\n"
    "        for <carol@gmail.com>; Mon, 23 Nov 2026 18:00:01 +0000 (UTC)\n"
    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=good.example; s=sel1;\n"
    "        h=from:to:subject:date; bh=abc=; b=def=\n"
    "List-Unsubscribe: <https://good.example/u/1>\n"
    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n"
    "Return-Path: <alice@good.example>\n"
    "From: Alice <alice@good.example>\n"
    "To: carol@gmail.com\n"
    "Subject: Hello\n"
    "Date: Mon, 23 Nov 2026 18:00:00 +0000\n";

TEST(Headers, FindTheEdgeAndMakeItTheSendingAddress) {
  Options options;
  options.dns_checks = false;
  Diagnosis diagnosis(kGmailHeaders, options);
  const Report& report = diagnosis.report();
  EXPECT_EQ(report.input_kind, InputKind::kHeaders);
  EXPECT_EQ(report.verdict.cause_id, "headers_only");
  ASSERT_EQ(report.hops.size(), 3u);
  EXPECT_EQ(report.hops[1].from_ip, "192.0.2.10");
  EXPECT_EQ(report.hops[1].by, "mx.google.com");
  EXPECT_TRUE(report.hops[1].edge);
  EXPECT_FALSE(report.hops[2].edge);  // a private address is never the edge
  EXPECT_EQ(report.hops[1].delay_seconds, 3);
  ASSERT_TRUE(report.edge.found);
  EXPECT_FALSE(report.edge.guessed);
  EXPECT_EQ(report.edge.hop, 1);
  EXPECT_FALSE(report.edge.reasoning.empty());
  EXPECT_EQ(report.entities.sending_ip, "192.0.2.10");
  EXPECT_EQ(report.entities.helo, "mail.good.example");
  EXPECT_EQ(report.entities.envelope_sender_domain, "good.example");
  EXPECT_EQ(report.entities.header_from_domain, "good.example");
  EXPECT_EQ(report.entities.recipient_domain, "gmail.com");
  ASSERT_EQ(report.entities.dkim.size(), 1u);
  EXPECT_EQ(report.entities.dkim[0].domain, "good.example");
  EXPECT_EQ(report.entities.dkim[0].selector, "sel1");
  EXPECT_TRUE(report.entities.list_unsubscribe);
  EXPECT_TRUE(report.entities.one_click_unsubscribe);
}

TEST(Headers, AuthenticationResultsOfTheRecipientAreTrusted) {
  Options options;
  options.dns_checks = false;
  Diagnosis diagnosis(kGmailHeaders, options);
  const Report& report = diagnosis.report();
  ASSERT_EQ(report.auth_results.size(), 3u);
  EXPECT_EQ(report.auth_results[0].method, "dkim");
  EXPECT_EQ(report.auth_results[0].result, "pass");
  EXPECT_EQ(report.auth_results[0].domain, "good.example");
  EXPECT_EQ(report.auth_results[1].method, "spf");
  EXPECT_EQ(report.auth_results[1].domain, "good.example");
  for (const AuthResult& result : report.auth_results) {
    EXPECT_TRUE(result.trusted) << result.method;
    EXPECT_EQ(result.authserv_id, "mx.google.com");
  }
}

TEST(Headers, ChecksRunForTheEdgeAndTheSenderDomain) {
  Diagnosis diagnosis(kGmailHeaders, Options());
  std::vector<std::string> ids;
  for (const Check& check : diagnosis.report().checks) ids.push_back(check.id);
  for (const char* id : {"ptr", "fcrdns", "helo", "spf", "dmarc", "dkim", "mx"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  }
}

TEST(Headers, AFiltersNoticeIsReadByItsBody) {
  Options options;
  options.dns_checks = false;
  Diagnosis notice(
      "From: Message Center <notifications@example.net>\n"
      "To: sam@example.com\n"
      "Subject: Message you sent blocked\n"
      "Auto-Submitted: auto-replied\n"
      "\n"
      "Your message to: bob@example.net\n"
      "was blocked by our Spam Firewall.\n",
      options);
  EXPECT_EQ(notice.report().input_kind, InputKind::kBounce);
  EXPECT_EQ(notice.report().verdict.basis, "signature");
  EXPECT_EQ(notice.report().verdict.cause_class, "spam_content");
}

TEST(Headers, HeaderWordsAreNotReasons) {
  Options options;
  options.dns_checks = false;
  Diagnosis headers(
      "Received: from mail.example.org (mail.example.org [192.0.2.26]) by mx.example.net\n"
      "        with ESMTPS id 1; Mon, 23 Nov 2026 10:00:00 +0000\n"
      "X-Spam-Status: Yes, score=9.1 required=5.0 tests=BAYES_99 autolearn=spam\n"
      "Subject: blocked spam virus relay access denied\n"
      "From: a@example.org\n"
      "To: b@example.net\n",
      options);
  EXPECT_EQ(headers.report().input_kind, InputKind::kHeaders);
  EXPECT_EQ(headers.report().verdict.cause_id, "headers_only");
}

}  // namespace
}  // namespace bouncedx
