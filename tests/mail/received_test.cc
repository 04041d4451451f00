// SPDX-License-Identifier: MIT
#include "core/mail/received.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/limits.h"
#include "core/base/text.h"
#include "core/mail/headers.h"

namespace bouncedx::mail {
namespace {

struct HopCase {
  const char* name;
  const char* value;
  const char* helo;
  const char* rdns;
  const char* ip;
  const char* by;
  const char* with;
  const char* protocol;
  const char* id;
  const char* for_address;
  int64_t unix_time;
  bool encrypted;
  bool authenticated;
};

TEST(Received, ParsesRealMtaLayouts) {
  const HopCase cases[] = {
      {"postfix with tls comment",
       "from mail.example.org (mail.example.org [192.0.2.1]) (using TLSv1.3 with cipher "
       "TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS "
       "(2048 bits) server-digest SHA256) (No client certificate requested) by mx.example.net "
       "(Postfix) with ESMTPS id 4TAbCd1234z for <user@example.net>; Tue, 2 Jan 2024 10:04:05 "
       "-0800 (PST)",
       "mail.example.org", "mail.example.org", "192.0.2.1", "mx.example.net", "ESMTPS", "ESMTPS",
       "4TAbCd1234z", "user@example.net", 1704218645, true, false},
      {"postfix unknown rdns",
       "from helo.example (unknown [198.51.100.7]) by mx.example.net (Postfix) with ESMTP id "
       "4TAbC; Tue, 2 Jan 2024 10:04:05 +0000",
       "helo.example", "", "198.51.100.7", "mx.example.net", "ESMTP", "ESMTP", "4TAbC", "",
       1704189845, false, false},
      {"postfix ipv6 literal",
       "from mail.example.org (mail.example.org [IPv6:2001:DB8::25]) by mx.example.net (Postfix) "
       "with ESMTPS id 4T; Tue, 2 Jan 2024 10:04:05 +0000",
       "mail.example.org", "mail.example.org", "2001:db8::25", "mx.example.net", "ESMTPS", "ESMTPS",
       "4T", "", 1704189845, true, false},
      {"postfix authenticated submission",
       "from [192.168.1.20] (unknown [198.51.100.20]) (Authenticated sender: alice@example.org) "
       "by smtp.example.org (Postfix) with ESMTPSA id 4TB; Tue, 2 Jan 2024 10:04:05 +0000",
       "[192.168.1.20]", "", "198.51.100.20", "smtp.example.org", "ESMTPSA", "ESMTPSA", "4TB", "",
       1704189845, true, true},
      {"exim with helo and port",
       "from rdns.example.org ([192.0.2.1]:54321 helo=helo.example.org) by mx.example.net with "
       "esmtps  (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) (envelope-from "
       "<alice@example.org>) id 1rAbcD-000123-Xy for bob@example.net; Tue, 02 Jan 2024 10:04:05 "
       "+0000",
       "helo.example.org", "rdns.example.org", "192.0.2.1", "mx.example.net", "esmtps", "ESMTPS",
       "1rAbcD-000123-Xy", "bob@example.net", 1704189845, true, false},
      {"exim helo equal to rdns",
       "from mail.example.org ([192.0.2.1]) by mx.example.net with esmtp (Exim 4.96) id "
       "1rAbcD-000123-Xy; Tue, 02 Jan 2024 10:04:05 +0000",
       "mail.example.org", "mail.example.org", "192.0.2.1", "mx.example.net", "esmtp", "ESMTP",
       "1rAbcD-000123-Xy", "", 1704189845, false, false},
      {"exim without rdns",
       "from [192.0.2.1] (port=51234 helo=mail.example.org) by mx.example.net with esmtpsa "
       "(TLS1.2) tls TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (Exim 4.94.2) (envelope-from "
       "<a@example.org>) id 1r-0; Tue, 02 Jan 2024 10:04:05 +0000",
       "mail.example.org", "", "192.0.2.1", "mx.example.net", "esmtpsa", "ESMTPSA", "1r-0", "",
       1704189845, true, true},
      {"sendmail may be forged",
       "from helo.example.org (dsl-1-2.isp.example [203.0.113.9] (may be forged)) by "
       "mx.example.net (8.15.2/8.15.2) with ESMTP id 402AbCdE012345 for <bob@example.net>; Tue, "
       "2 Jan 2024 10:04:05 +0000",
       "helo.example.org", "dsl-1-2.isp.example", "203.0.113.9", "mx.example.net", "ESMTP", "ESMTP",
       "402AbCdE012345", "bob@example.net", 1704189845, false, false},
      {"sendmail ident",
       "from helo.example.org (IDENT:root@host.example.org [192.0.2.1]) by mx.example.net "
       "(8.14.4/8.14.4) with ESMTP id x; Tue, 2 Jan 2024 10:04:05 +0000",
       "helo.example.org", "host.example.org", "192.0.2.1", "mx.example.net", "ESMTP", "ESMTP", "x",
       "", 1704189845, false, false},
      {"qmail unknown",
       "from unknown (HELO mail.example.org) (192.0.2.1) by mx.example.net with SMTP; 2 Jan 2024 "
       "10:04:05 -0000",
       "mail.example.org", "", "192.0.2.1", "mx.example.net", "SMTP", "SMTP", "", "", 1704189845,
       false, false},
      {"qmail with rdns",
       "from host.example.org (HELO mail.example.org) (192.0.2.1) by mx.example.net with ESMTPA; "
       "2 Jan 2024 10:04:05 -0000",
       "mail.example.org", "host.example.org", "192.0.2.1", "mx.example.net", "ESMTPA", "ESMTPA",
       "", "", 1704189845, false, true},
      {"qmail invoked", "(qmail 12345 invoked by uid 89); 2 Jan 2024 10:04:05 -0000", "", "", "",
       "", "", "", "", "", 1704189845, false, false},
      {"microsoft frontend",
       "from mail.example.org (192.0.2.1) by AM2PEPF0001C70A.mail.protection.outlook.com "
       "(10.167.16.137) with Microsoft SMTP Server (version=TLS1_2, "
       "cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7270.30 via Frontend Transport; "
       "Tue, 2 Jan 2024 10:04:05 +0000",
       "mail.example.org", "", "192.0.2.1", "AM2PEPF0001C70A.mail.protection.outlook.com",
       "Microsoft SMTP Server", "SMTP", "15.20.7270.30", "", 1704189845, true, false},
      {"microsoft internal ipv6",
       "from AM6PR0502CA0001.eurprd05.prod.outlook.com (2603:10a6:209:1::14) by "
       "AM0PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:208:1::12) with Microsoft SMTP "
       "Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7270.30; "
       "Tue, 2 Jan 2024 10:04:05 +0000",
       "AM6PR0502CA0001.eurprd05.prod.outlook.com", "", "2603:10a6:209:1::14",
       "AM0PR01MB1234.eurprd01.prod.exchangelabs.com", "Microsoft SMTP Server", "SMTP",
       "15.20.7270.30", "", 1704189845, true, false},
      {"gmail inbound",
       "from mail.example.org (mail.example.org. [192.0.2.1]) by mx.google.com with ESMTPS id "
       "a1-20020a05600c000100b0040e3b2c1d5fsi1234567wmb.12.2024.01.02.10.04.05 for "
       "<bob@gmail.com> (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); Tue, 02 Jan "
       "2024 10:04:05 -0800 (PST)",
       "mail.example.org", "mail.example.org", "192.0.2.1", "mx.google.com", "ESMTPS", "ESMTPS",
       "a1-20020a05600c000100b0040e3b2c1d5fsi1234567wmb.12.2024.01.02.10.04.05", "bob@gmail.com",
       1704218645, true, false},
      {"gmail internal",
       "by 2002:a05:7000:1234:b0:5a1:2b3c:4d5e with SMTP id abc123csp1234567mab; Tue, 2 Jan 2024 "
       "10:04:05 -0800 (PST)",
       "", "", "", "2002:a05:7000:1234:b0:5a1:2b3c:4d5e", "SMTP", "SMTP", "abc123csp1234567mab", "",
       1704218645, false, false},
      {"gmail submission",
       "from [192.168.1.20] (cpe-198-51-100-20.isp.example. [198.51.100.20]) by smtp.gmail.com "
       "with ESMTPSA id x12sm345678wmb.1.2024.01.02.10.04.04 for <bob@example.net> "
       "(version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); Tue, 02 Jan 2024 10:04:05 "
       "-0800 (PST)",
       "[192.168.1.20]", "cpe-198-51-100-20.isp.example", "198.51.100.20", "smtp.gmail.com",
       "ESMTPSA", "ESMTPSA", "x12sm345678wmb.1.2024.01.02.10.04.04", "bob@example.net", 1704218645,
       true, true},
      {"yahoo inbound",
       "from 192.0.2.1 (EHLO mail.example.org) by 10.217.151.76 with SMTPs; Tue, 02 Jan 2024 "
       "10:04:05 +0000",
       "mail.example.org", "", "192.0.2.1", "10.217.151.76", "SMTPs", "SMTPS", "", "", 1704189845,
       true, false},
      {"yahoo http",
       "from 10.197.35.205 by atlas-production.v2-mail-prod1-gq1.omega.yahoo.com with HTTP; Tue, "
       "2 Jan 2024 10:04:05 +0000",
       "", "", "10.197.35.205", "atlas-production.v2-mail-prod1-gq1.omega.yahoo.com", "HTTP",
       "HTTP", "", "", 1704189845, false, false},
      {"ipv6 literal as from word",
       "from [IPv6:2001:db8::1] by mx.example.net with LMTP; Tue, 2 Jan 2024 10:04:05 +0000",
       "[IPv6:2001:db8::1]", "", "2001:db8::1", "mx.example.net", "LMTP", "LMTP", "", "",
       1704189845, false, false},
      {"upper-case keywords and trailing dot",
       "FROM mail.example.org (mail.example.org [192.0.2.1]) BY mx.example.net. WITH SMTP ID 7; "
       "Tue, 2 Jan 2024 10:04:05 +0000",
       "mail.example.org", "mail.example.org", "192.0.2.1", "mx.example.net", "SMTP", "SMTP", "7",
       "", 1704189845, false, false},
      {"local pickup",
       "by mx.example.net (Postfix, from userid 1000) id 4TAbC; Tue, 2 Jan 2024 10:04:05 +0000", "",
       "", "", "mx.example.net", "", "", "4TAbC", "", 1704189845, false, false},
      {"unclosed comment", "from mail.example.org (mail.example.org [192.0.2.1] by mx",
       "mail.example.org", "mail.example.org", "192.0.2.1", "", "", "", "", "", 0, false, false},
      {"bad date", "from a.example by b.example; not a date", "a.example", "", "", "b.example", "",
       "", "", "", 0, false, false},
      {"garbage", "this is not a received line at all", "", "", "", "", "", "", "", "", 0, false,
       false},
      {"only semicolons", ";;;", "", "", "", "", "", "", "", "", 0, false, false},
  };
  for (const HopCase& c : cases) {
    SCOPED_TRACE(c.name);
    ReceivedHop hop = ParseReceived(c.value);
    EXPECT_EQ(hop.helo, c.helo);
    EXPECT_EQ(hop.rdns, c.rdns);
    EXPECT_EQ(hop.ip, c.ip);
    EXPECT_EQ(hop.by, c.by);
    EXPECT_EQ(hop.with, c.with);
    EXPECT_EQ(hop.protocol, c.protocol);
    EXPECT_EQ(hop.id, c.id);
    EXPECT_EQ(hop.for_address, c.for_address);
    EXPECT_EQ(hop.unix_time, c.unix_time);
    EXPECT_EQ(hop.encrypted, c.encrypted);
    EXPECT_EQ(hop.authenticated, c.authenticated);
  }
}

TEST(Received, KeepsDetailsOfEachLayout) {
  ReceivedHop postfix = ParseReceived(
      "from mail.example.org (mail.example.org [192.0.2.1]) (using TLSv1.3 with cipher "
      "TLS_AES_256_GCM_SHA384 (256/256 bits)) by mx.example.net (Postfix) with ESMTPS id 4T; "
      "Tue, 2 Jan 2024 10:04:05 +0000");
  EXPECT_EQ(postfix.tls, "using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)");
  EXPECT_EQ(postfix.by_software, "Postfix");
  EXPECT_EQ(postfix.from_word, "mail.example.org");
  EXPECT_EQ(postfix.date, "Tue, 2 Jan 2024 10:04:05 +0000");
  EXPECT_EQ(postfix.address.family, dns::IpFamily::kV4);

  ReceivedHop exim = ParseReceived(
      "from rdns.example.org ([192.0.2.1] helo=helo.example.org) by mx.example.net with esmtps "
      "(TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) (envelope-from <alice@example.org>) id "
      "1r; Tue, 02 Jan 2024 10:04:05 +0000");
  EXPECT_EQ(exim.tls, "TLS1.3; TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(exim.by_software, "Exim 4.96");
  EXPECT_EQ(exim.envelope_from, "alice@example.org");

  ReceivedHop sendmail = ParseReceived(
      "from helo.example.org (dsl-1-2.isp.example [203.0.113.9] (may be forged)) by "
      "mx.example.net (8.15.2/8.15.2) with ESMTP id 4; Tue, 2 Jan 2024 10:04:05 +0000");
  EXPECT_TRUE(sendmail.may_be_forged);
  EXPECT_EQ(sendmail.by_software, "8.15.2/8.15.2");

  ReceivedHop microsoft = ParseReceived(
      "from mail.example.org (192.0.2.1) by AM2PEPF0001C70A.mail.protection.outlook.com "
      "(10.167.16.137) with Microsoft SMTP Server (version=TLS1_2, "
      "cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7270.30 via Frontend Transport; "
      "Tue, 2 Jan 2024 10:04:05 +0000");
  EXPECT_EQ(microsoft.by_ip, "10.167.16.137");
  EXPECT_EQ(microsoft.via, "Frontend Transport");
  EXPECT_EQ(microsoft.tls, "version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
  EXPECT_FALSE(microsoft.may_be_forged);

  EXPECT_TRUE(ParseReceived("this is not a received line at all").empty());
  EXPECT_FALSE(ParseReceived("(qmail 1 invoked by uid 89); 2 Jan 2024 10:04:05 -0000").empty());
}

TEST(Received, FindsRegistrableDomains) {
  const struct {
    const char* host;
    const char* expected;
  } cases[] = {
      {"mx.google.com", "google.com"},
      {"MX.Google.COM.", "google.com"},
      {"a.b.mail.protection.outlook.com", "outlook.com"},
      {"mail.example.co.uk", "example.co.uk"},
      {"smtp.example.com.au", "example.com.au"},
      {"mail.example.de", "example.de"},
      {"example.org", "example.org"},
      {"localhost", ""},
      {"[192.0.2.1]", ""},
      {"192.0.2.1", ""},
      {"2001:db8::1", ""},
      {"a..example", ""},
      {"", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.host);
    EXPECT_EQ(RegistrableDomain(c.host), c.expected);
  }
  EXPECT_EQ(KnownProviderOf("gmail-smtp-in.l.google.com"), "Google");
  EXPECT_EQ(KnownProviderOf("AM0PR01MB1234.eurprd01.prod.exchangelabs.com"), "Microsoft");
  EXPECT_EQ(KnownProviderOf("mta7.am0.yahoodns.net"), "Yahoo");
  EXPECT_EQ(KnownProviderOf("mx.example.net"), "");
  EXPECT_TRUE(SameOrganisation("a.prod.outlook.com", "b.prod.exchangelabs.com"));
  EXPECT_TRUE(SameOrganisation("mx1.example.net", "mx2.EXAMPLE.net"));
  EXPECT_FALSE(SameOrganisation("mx.example.net", "mx.example.org"));
  EXPECT_FALSE(SameOrganisation("", ""));
}

HeaderBlock Parse(const std::string& text) { return ParseHeaders(text, 0, Limits(), nullptr); }

TEST(Received, FindsEdgeInGmailShowOriginal) {
  const std::string text =
      "Delivered-To: bob@gmail.com\n"
      "Received: by 2002:a05:7000:1234:b0:5a1:2b3c:4d5e with SMTP id abc;\n"
      "        Tue, 2 Jan 2024 10:04:09 -0800 (PST)\n"
      "X-Received: by 2002:a17:906:1234:b0:a28:1234:5678 with SMTP id x;\n"
      "        Tue, 02 Jan 2024 10:04:09 -0800 (PST)\n"
      "Received: from mail.example.org (mail.example.org. [192.0.2.1])\n"
      "        by mx.google.com with ESMTPS id a1si\n"
      "        for <bob@gmail.com>\n"
      "        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n"
      "        Tue, 02 Jan 2024 10:04:08 -0800 (PST)\n"
      "Received: from relay.example.org (relay.example.org [10.0.0.5])\n"
      "\tby mail.example.org (Postfix) with ESMTP id 4TA;\n"
      "\tTue,  2 Jan 2024 18:04:06 +0000 (UTC)\n"
      "Received: from [192.168.1.20] (unknown [198.51.100.20])\n"
      "\tby relay.example.org (Postfix) with ESMTPSA id 4TB;\n"
      "\tTue,  2 Jan 2024 18:04:05 +0000 (UTC)\n"
      "From: Alice <alice@example.org>\n"
      "\n";
  std::vector<std::string> warnings;
  ReceivedChain chain = AnalyseReceived(Parse(text), "gmail.com", {}, &warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(chain.hops.size(), 4u);
  EXPECT_EQ(chain.hops[0].delay_seconds, 1);
  EXPECT_EQ(chain.hops[1].delay_seconds, 2);
  EXPECT_EQ(chain.hops[2].delay_seconds, 1);
  EXPECT_EQ(chain.hops[3].delay_seconds, -1);
  ASSERT_TRUE(chain.edge.found);
  EXPECT_FALSE(chain.edge.guessed);
  EXPECT_EQ(chain.edge.hop_index, 1u);
  EXPECT_EQ(chain.edge.ip, "192.0.2.1");
  EXPECT_EQ(chain.edge.helo, "mail.example.org");
  EXPECT_EQ(chain.edge.rdns, "mail.example.org");
  EXPECT_EQ(chain.edge.by, "mx.google.com");
  EXPECT_EQ(chain.hops[1].field_offset, text.find("Received: from mail.example.org"));
  const std::vector<std::string> expected = {
      "recipient's servers: gmail.com, Google's hosts",
      "hop 1: written by 2002:a05:7000:1234:b0:5a1:2b3c:4d5e, not one of the recipient's "
      "servers: skipped",
      "hop 2: mx.google.com received from mail.example.org [192.0.2.1]: the first server "
      "outside google.com, so this is the address Google judged",
  };
  EXPECT_EQ(chain.edge.reasoning, expected);
}

const char kMicrosoft365[] =
    "Received: from AM0PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:208:1::12) by\n"
    " AM0PR01MB5678.eurprd01.prod.exchangelabs.com with HTTPS; Tue, 2 Jan 2024\n"
    " 18:04:09 +0000\n"
    "Received: from AM6PR0502CA0001.eurprd05.prod.outlook.com (2603:10a6:209:1::14)\n"
    " by AM0PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:208:1::12) with\n"
    " Microsoft SMTP Server (version=TLS1_2,\n"
    " cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7270.30; Tue, 2 Jan\n"
    " 2024 18:04:08 +0000\n"
    "Received: from AM2PEPF0001C70A.eurprd05.prod.outlook.com\n"
    " (2603:10a6:20f:fff4::4) by AM6PR0502CA0001.outlook.office365.com\n"
    " (2603:10a6:209:1::14) with Microsoft SMTP Server (version=TLS1_2,\n"
    " cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7270.30 via Frontend\n"
    " Transport; Tue, 2 Jan 2024 18:04:08 +0000\n"
    "Authentication-Results: spf=pass (sender IP is 192.0.2.1)\n"
    " smtp.mailfrom=example.org; dkim=pass (signature was verified)\n"
    " header.d=example.org;dmarc=pass action=none header.from=example.org;compauth=pass\n"
    " reason=100\n"
    "Received-SPF: Pass (protection.outlook.com: domain of example.org designates\n"
    " 192.0.2.1 as permitted sender) receiver=protection.outlook.com;\n"
    " client-ip=192.0.2.1; helo=mail.example.org; pr=C\n"
    "Received: from mail.example.org (192.0.2.1) by\n"
    " AM2PEPF0001C70A.mail.protection.outlook.com (10.167.16.137) with Microsoft SMTP\n"
    " Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id\n"
    " 15.20.7270.30 via Frontend Transport; Tue, 2 Jan 2024 18:04:07 +0000\n"
    "Received: from [10.0.0.7] (unknown [198.51.100.20]) by mail.example.org (Postfix)\n"
    " with ESMTPSA id 4TB; Tue,  2 Jan 2024 18:04:05 +0000 (UTC)\n"
    "\n";

TEST(Received, SkipsInternalMicrosoftHops) {
  std::vector<std::string> warnings;
  ReceivedChain chain = AnalyseReceived(Parse(kMicrosoft365), "example.com",
                                        {"example-com.mail.protection.outlook.com"}, &warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(chain.hops.size(), 5u);
  ASSERT_TRUE(chain.edge.found);
  EXPECT_FALSE(chain.edge.guessed);
  EXPECT_EQ(chain.edge.hop_index, 3u);
  EXPECT_EQ(chain.edge.ip, "192.0.2.1");
  EXPECT_EQ(chain.edge.helo, "mail.example.org");
  EXPECT_EQ(chain.edge.rdns, "");
  EXPECT_EQ(chain.hops[3].delay_seconds, 2);
  EXPECT_EQ(chain.hops[2].delay_seconds, 1);
  const std::vector<std::string> expected = {
      "recipient's servers: example.com, outlook.com, Microsoft's hosts",
      "hop 1: AM0PR01MB5678.eurprd01.prod.exchangelabs.com received from "
      "AM0PR01MB1234.eurprd01.prod.exchangelabs.com [2603:10a6:208:1::12]: inside "
      "exchangelabs.com, an internal step",
      "hop 2: AM0PR01MB1234.eurprd01.prod.exchangelabs.com received from "
      "AM6PR0502CA0001.eurprd05.prod.outlook.com [2603:10a6:209:1::14]: inside outlook.com, an "
      "internal step",
      "hop 3: AM6PR0502CA0001.outlook.office365.com received from "
      "AM2PEPF0001C70A.eurprd05.prod.outlook.com [2603:10a6:20f:fff4::4]: inside outlook.com, an "
      "internal step",
      "hop 4: AM2PEPF0001C70A.mail.protection.outlook.com received from mail.example.org "
      "[192.0.2.1]: the first server outside outlook.com, so this is the address Microsoft "
      "judged",
  };
  EXPECT_EQ(chain.edge.reasoning, expected);
}

const char kPostfixWithPrivateRelay[] =
    "Received: from filter.internal (filter.internal [10.0.0.5])\n"
    "\tby mailbox.example.net (Postfix) with ESMTP id 4TC;\n"
    "\tTue,  2 Jan 2024 18:04:07 +0000 (UTC)\n"
    "Received: from mail.example.org (mail.example.org [192.0.2.1])\n"
    "\tby mx.example.net (Postfix) with ESMTPS id 4TB;\n"
    "\tTue,  2 Jan 2024 18:04:06 +0000 (UTC)\n"
    "Received: from [192.168.1.20] (unknown [198.51.100.20])\n"
    "\tby mail.example.org (Postfix) with ESMTPSA id 4TA;\n"
    "\tTue,  2 Jan 2024 18:04:05 +0000 (UTC)\n"
    "\n";

TEST(Received, SkipsPrivateRelayBeforeEdge) {
  ReceivedChain chain =
      AnalyseReceived(Parse(kPostfixWithPrivateRelay), "example.net", {"mx.example.net"}, nullptr);
  ASSERT_TRUE(chain.edge.found);
  EXPECT_FALSE(chain.edge.guessed);
  EXPECT_EQ(chain.edge.hop_index, 1u);
  EXPECT_EQ(chain.edge.ip, "192.0.2.1");
  const std::vector<std::string> expected = {
      "recipient's servers: example.net",
      "hop 1: mailbox.example.net received from filter.internal [10.0.0.5]: 10.0.0.5 is not a "
      "public address (private), an internal step",
      "hop 2: mx.example.net received from mail.example.org [192.0.2.1]: the first server "
      "outside example.net, so this is the address example.net's servers judged",
  };
  EXPECT_EQ(chain.edge.reasoning, expected);
}

TEST(Received, GuessesEdgeWhenRecipientUnknown) {
  ReceivedChain chain = AnalyseReceived(Parse(kPostfixWithPrivateRelay), "", {}, nullptr);
  ASSERT_TRUE(chain.edge.found);
  EXPECT_TRUE(chain.edge.guessed);
  EXPECT_EQ(chain.edge.hop_index, 1u);
  EXPECT_EQ(chain.edge.ip, "192.0.2.1");
  const std::vector<std::string> expected = {
      "the recipient domain is not known: the edge below is a best guess",
      "hop 2: mx.example.net received from mail.example.org [192.0.2.1]: the topmost hop from a "
      "public address in another organisation, a best guess at the address the recipient saw",
  };
  EXPECT_EQ(chain.edge.reasoning, expected);
}

TEST(Received, ExplainsForwardedMessage) {
  const std::string text =
      "Received: from mx.example.edu (mx.example.edu. [198.51.100.7])\n"
      "        by mx.google.com with ESMTPS id y1si for <bob@gmail.com>;\n"
      "        Tue, 02 Jan 2024 10:04:08 -0800 (PST)\n"
      "Received: from mail.example.org (mail.example.org [192.0.2.1])\n"
      "\tby mx.example.edu (Postfix) with ESMTPS id 4TA for <bob@example.edu>;\n"
      "\tTue,  2 Jan 2024 18:04:06 +0000 (UTC)\n"
      "\n";
  ReceivedChain chain = AnalyseReceived(Parse(text), "gmail.com", {}, nullptr);
  ASSERT_TRUE(chain.edge.found);
  EXPECT_EQ(chain.edge.hop_index, 0u);
  EXPECT_EQ(chain.edge.ip, "198.51.100.7");
  EXPECT_EQ(chain.edge.rdns, "mx.example.edu");
  ASSERT_EQ(chain.edge.reasoning.size(), 3u);
  EXPECT_EQ(chain.edge.reasoning[2],
            "hop 2: before that, mx.example.edu received the message from mail.example.org "
            "[192.0.2.1]: example.edu relayed or forwarded it, so the recipient judged "
            "example.edu's address, not the original sender's");
}

TEST(Received, GuessesOnReturnedHeaders) {
  const std::string text =
      "Received: from relay.example.org (relay.example.org [10.0.0.5])\n"
      "\tby mail.example.org (Postfix) with ESMTP id 4TA; Tue,  2 Jan 2024 18:04:06 +0000\n"
      "Received: from [192.168.1.20] (unknown [198.51.100.20])\n"
      "\tby relay.example.org (Postfix) with ESMTPSA id 4TB; Tue,  2 Jan 2024 18:04:05 +0000\n"
      "\n";
  ReceivedChain chain = AnalyseReceived(Parse(text), "example.com", {}, nullptr);
  ASSERT_TRUE(chain.edge.found);
  EXPECT_TRUE(chain.edge.guessed);
  EXPECT_EQ(chain.edge.hop_index, 1u);
  EXPECT_EQ(chain.edge.ip, "198.51.100.20");
  EXPECT_EQ(chain.edge.helo, "[192.168.1.20]");
  ASSERT_GE(chain.edge.reasoning.size(), 4u);
  EXPECT_EQ(chain.edge.reasoning[3],
            "no hop was written by the recipient's servers (these may be the headers a bounce "
            "returns, written before the message left the sender): the edge below is a best "
            "guess");
}

TEST(Received, NeverCallsPrivateAddressTheEdge) {
  const std::string text =
      "Received: from a.example.net (a.example.net [10.1.1.1]) by mx.example.net with ESMTP;\n"
      " Tue, 2 Jan 2024 18:04:06 +0000\n"
      "Received: from b (b [127.0.0.1]) by a.example.net with ESMTP;\n"
      " Tue, 2 Jan 2024 18:04:05 +0000\n"
      "Received: from c (c [169.254.1.1]) by b.example.net with ESMTP;\n"
      " Tue, 2 Jan 2024 18:04:05 +0000\n"
      "\n";
  for (const char* recipient : {"example.net", ""}) {
    SCOPED_TRACE(recipient);
    ReceivedChain chain = AnalyseReceived(Parse(text), recipient, {}, nullptr);
    EXPECT_FALSE(chain.edge.found);
    EXPECT_EQ(chain.edge.ip, "");
  }
}

TEST(Received, FlagsClockSkewAndHandlesNoHeaders) {
  const std::string text =
      "Received: from a.example.org (a.example.org [192.0.2.1]) by mx.example.net with ESMTP;\n"
      " Tue, 2 Jan 2024 18:04:00 +0000\n"
      "Received: from b.example.org (b.example.org [192.0.2.2]) by a.example.org with ESMTP;\n"
      " Tue, 2 Jan 2024 18:04:35 +0000\n"
      "Received: garbage\n"
      "\n";
  std::vector<std::string> warnings;
  ReceivedChain chain = AnalyseReceived(Parse(text), "example.net", {}, &warnings);
  ASSERT_EQ(chain.hops.size(), 3u);
  EXPECT_EQ(chain.hops[0].delay_seconds, 0);
  EXPECT_EQ(chain.hops[0].clock_skew_seconds, 35);
  EXPECT_EQ(chain.hops[1].delay_seconds, -1);
  const std::vector<std::string> expected_warnings = {
      "received: field at offset " + std::to_string(text.find("Received: garbage")) +
          ": nothing readable in \"garbage\"",
      "received: hop 1 is dated 35 s before hop 2: the servers' clocks disagree",
  };
  EXPECT_EQ(warnings, expected_warnings);
  EXPECT_EQ(chain.edge.ip, "192.0.2.1");

  ReceivedChain none =
      AnalyseReceived(Parse("From: a@example.org\n\n"), "example.net", {}, nullptr);
  EXPECT_TRUE(none.hops.empty());
  EXPECT_FALSE(none.edge.found);
  EXPECT_EQ(
      none.edge.reasoning,
      std::vector<std::string>{"no Received header: the sending edge cannot be read from headers"});
}

TEST(Received, KeepsReasoningPrintable) {
  const std::string text =
      "Received: from a.example.org (a.example.org [192.0.2.1]) by mx.\xcc\xcf.example\n"
      " with ESMTP; Tue, 2 Jan 2024 18:04:00 +0000\n"
      "\n";
  ReceivedChain chain = AnalyseReceived(Parse(text), "\xff.example", {}, nullptr);
  ASSERT_TRUE(chain.edge.found);
  for (const std::string& line : chain.edge.reasoning) {
    SCOPED_TRACE(line);
    EXPECT_TRUE(IsValidUtf8(line));
  }
}

}  // namespace
}  // namespace bouncedx::mail
