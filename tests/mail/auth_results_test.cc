// SPDX-License-Identifier: MIT
#include "core/mail/auth_results.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/base/limits.h"
#include "core/mail/headers.h"
#include "core/mail/received.h"

namespace bouncedx::mail {
namespace {

// "method=result" of every result, with "[ptype.property=value]" after it.
std::string Summary(const AuthenticationResults& results) {
  std::string out;
  for (const AuthMethodResult& result : results.results) {
    if (!out.empty()) out += " | ";
    out += result.method;
    if (!result.version.empty()) out += "/" + result.version;
    out += "=" + result.result;
    if (!result.reason.empty()) out += " reason=" + result.reason;
    for (const AuthProperty& p : result.properties) {
      out += " " + (p.ptype.empty() ? p.property : p.ptype + "." + p.property) + "=" + p.value;
    }
  }
  return out;
}

TEST(AuthResults, ParsesAuthenticationResultsForms) {
  const struct {
    const char* name;
    const char* value;
    bool arc;
    const char* authserv_id;
    int arc_instance;
    bool no_result;
    const char* summary;
    size_t warnings;
  } cases[] = {
      {"gmail",
       "mx.google.com; dkim=pass header.i=@example.org header.s=s1 header.b=AbCd+/==; spf=pass "
       "(google.com: domain of alice@example.org designates 192.0.2.1 as permitted sender) "
       "smtp.mailfrom=alice@example.org; dmarc=pass (p=NONE sp=NONE dis=NONE) "
       "header.from=example.org",
       false, "mx.google.com", 0, false,
       "dkim=pass header.i=@example.org header.s=s1 header.b=AbCd+/== | spf=pass "
       "smtp.mailfrom=alice@example.org | dmarc=pass header.from=example.org",
       0},
      {"microsoft without authserv-id",
       "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.org; dkim=pass (signature was "
       "verified) header.d=example.org;dmarc=pass action=none header.from=example.org;compauth="
       "pass reason=100",
       false, "", 0, false,
       "spf=pass smtp.mailfrom=example.org | dkim=pass header.d=example.org | dmarc=pass "
       "action=none header.from=example.org | compauth=pass reason=100",
       0},
      {"version after id", "mx.microsoft.com 1; spf=fail smtp.mailfrom=x.example", false,
       "mx.microsoft.com", 0, false, "spf=fail smtp.mailfrom=x.example", 0},
      {"no result", "Example.NET 1; none", false, "example.net", 0, true, "", 0},
      {"cfws and quoted reason",
       "example.net; dkim = fail (bad sig) reason=\"signature verification failed\" header.d = "
       "example.org",
       false, "example.net", 0, false,
       "dkim=fail reason=signature verification failed header.d=example.org", 0},
      {"method version", "example.net; dkim/1=pass header.d=example.org", false, "example.net", 0,
       false, "dkim/1=pass header.d=example.org", 0},
      {"missing semicolon between methods",
       "example.net; spf=pass smtp.mailfrom=a@example.org dkim=pass header.d=example.org", false,
       "example.net", 0, false,
       "spf=pass smtp.mailfrom=a@example.org | dkim=pass header.d=example.org", 0},
      {"comment containing semicolon", "example.net; spf=pass (a; b) smtp.mailfrom=example.org",
       false, "example.net", 0, false, "spf=pass smtp.mailfrom=example.org", 0},
      {"upper-case results", "example.net; SPF=SoftFail smtp.mailfrom=example.org", false,
       "example.net", 0, false, "spf=softfail smtp.mailfrom=example.org", 0},
      {"garbage after id", "example.net; garbage words here", false, "example.net", 0, false, "",
       1},
      {"empty", "", false, "", 0, false, "", 0},
      {"version without method", "example.net; /1=pass", false, "example.net", 0, false, "", 1},
      {"arc", "i=1; mx.google.com; dkim=pass header.i=@example.org; arc=none", true,
       "mx.google.com", 1, false, "dkim=pass header.i=@example.org | arc=none", 0},
      {"arc without instance", "mx.google.com; arc=none", true, "mx.google.com", 0, false,
       "arc=none", 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> warnings;
    AuthenticationResults results = ParseAuthenticationResults(c.value, c.arc, &warnings);
    EXPECT_EQ(results.authserv_id, c.authserv_id);
    EXPECT_EQ(results.arc_instance, c.arc_instance);
    EXPECT_EQ(results.no_result, c.no_result);
    EXPECT_EQ(Summary(results), c.summary);
    EXPECT_EQ(warnings.size(), c.warnings);
  }
}

TEST(AuthResults, KeepsCommentsAndFindsProperties) {
  AuthenticationResults results = ParseAuthenticationResults(
      "mx.google.com; spf=pass (google.com: domain of alice@example.org designates 192.0.2.1 as "
      "permitted sender) smtp.mailfrom=alice@example.org; dmarc=fail (p=REJECT sp=REJECT "
      "dis=REJECT) header.from=example.org",
      false, nullptr);
  ASSERT_EQ(results.results.size(), 2u);
  EXPECT_EQ(results.results[0].comment,
            "google.com: domain of alice@example.org designates 192.0.2.1 as permitted sender");
  const AuthMethodResult* dmarc = results.FindMethod("DMARC");
  ASSERT_NE(dmarc, nullptr);
  EXPECT_EQ(dmarc->comment, "p=REJECT sp=REJECT dis=REJECT");
  EXPECT_EQ(dmarc->Property("header", "from"), "example.org");
  EXPECT_EQ(dmarc->Property("smtp", "mailfrom"), "");
  EXPECT_EQ(results.FindMethod("dkim"), nullptr);
}

TEST(AuthResults, ParsesReceivedSpf) {
  const struct {
    const char* name;
    const char* value;
    const char* result;
    const char* comment;
    const char* client_ip;
    const char* envelope_from;
    const char* helo;
    const char* receiver;
    const char* identity;
    const char* mechanism;
  } cases[] = {
      {"rfc 7208 example",
       "pass (mybox.example.org: domain of myname@example.com designates 192.0.2.1 as permitted "
       "sender) receiver=mybox.example.org; client-ip=192.0.2.1; "
       "envelope-from=\"myname@example.com\"; helo=foo.example.com;",
       "pass",
       "mybox.example.org: domain of myname@example.com designates 192.0.2.1 as permitted sender",
       "192.0.2.1", "myname@example.com", "foo.example.com", "mybox.example.org", "", ""},
      {"microsoft",
       "Pass (protection.outlook.com: domain of example.org designates 192.0.2.1 as permitted "
       "sender) receiver=protection.outlook.com; client-ip=192.0.2.1; helo=mail.example.org; pr=C",
       "pass",
       "protection.outlook.com: domain of example.org designates 192.0.2.1 as permitted sender",
       "192.0.2.1", "", "mail.example.org", "protection.outlook.com", "", ""},
      {"softfail with mechanism",
       "SoftFail (mx.example.net: domain of transitioning a@example.org does not designate "
       "203.0.113.9 as permitted sender) client-ip=203.0.113.9; identity=MAILFROM; mechanism=~all;",
       "softfail",
       "mx.example.net: domain of transitioning a@example.org does not designate 203.0.113.9 as "
       "permitted sender",
       "203.0.113.9", "", "", "", "mailfrom", "~all"},
      {"bare result", "none", "none", "", "", "", "", "", "", ""},
      {"empty", "", "", "", "", "", "", "", "", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ReceivedSpf spf = ParseReceivedSpf(c.value);
    EXPECT_EQ(spf.result, c.result);
    EXPECT_EQ(spf.comment, c.comment);
    EXPECT_EQ(spf.client_ip, c.client_ip);
    EXPECT_EQ(spf.envelope_from, c.envelope_from);
    EXPECT_EQ(spf.helo, c.helo);
    EXPECT_EQ(spf.receiver, c.receiver);
    EXPECT_EQ(spf.identity, c.identity);
    EXPECT_EQ(spf.mechanism, c.mechanism);
  }
}

TEST(AuthResults, ParsesTagLists) {
  const struct {
    const char* name;
    std::string text;
    const char* error;  // "" when it parses
    size_t tags;
  } cases[] = {
      {"plain", "v=1; a=rsa-sha256; d=example.org", "", 3},
      {"whitespace and final semicolon", " v = 1 ;\r\n\ta=rsa-sha256 ; ", "", 2},
      {"folded value", "b=AbC\r\n\t dEf", "", 1},
      {"empty value", "b=", "", 1},
      {"underscore in name", "x_y=1", "", 1},
      {"empty", "", "", 0},
      {"duplicate", "v=1; v=1", "malformed: tag list: duplicate tag v=", 0},
      {"no equals", "v=1; junk", "malformed: tag list: \"junk\" has no \"=\"", 0},
      {"empty tag in the middle", "v=1;; a=x", "malformed: tag list: empty tag", 0},
      {"bad name", "1v=1", "malformed: tag list: bad tag name \"1v\"", 0},
      {"name with dash", "a-b=1", "malformed: tag list: bad tag name \"a-b\"", 0},
      {"byte outside the alphabet", "v=\xc3\xa9",
       "malformed: tag list: v= holds a byte outside printable ASCII", 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Result<std::vector<Tag>> tags = ParseTagList(c.text);
    if (std::string(c.error).empty()) {
      ASSERT_TRUE(tags.ok()) << tags.status().ToString();
      EXPECT_EQ(tags->size(), c.tags);
    } else {
      EXPECT_EQ(tags.status().ToString(), c.error);
    }
  }
  Result<std::vector<Tag>> folded = ParseTagList(" v = 1 ;\r\n\tb=AbC\r\n\t dEf ; ");
  ASSERT_TRUE(folded.ok());
  EXPECT_EQ((*folded)[0].name, "v");
  EXPECT_EQ((*folded)[0].value, "1");
  EXPECT_EQ((*folded)[1].value, "AbC\r\n\t dEf");
}

TEST(AuthResults, ParsesDkimSignature) {
  DkimSignature good = ParseDkimSignature(
      "v=1; a=rsa-sha256; c=relaxed/relaxed; d=Example.org; s=S1; t=1704189845; x=1704794645; "
      "h=From:To:Subject:Date; i=alice@mail.example.org; l=200; q=dns/txt; "
      "bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==\r\n\t c2ln");
  EXPECT_TRUE(good.valid);
  EXPECT_EQ(good.error, "");
  EXPECT_EQ(good.version, "1");
  EXPECT_EQ(good.algorithm, "rsa-sha256");
  EXPECT_EQ(good.canonicalization, "relaxed/relaxed");
  EXPECT_EQ(good.domain, "example.org");
  EXPECT_EQ(good.selector, "s1");
  EXPECT_EQ(good.identity, "alice@mail.example.org");
  EXPECT_EQ(good.query, "dns/txt");
  EXPECT_EQ(good.body_hash, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_TRUE(good.signature_present);
  EXPECT_FALSE(good.signature_empty);
  EXPECT_EQ(good.body_length, 200);
  EXPECT_EQ(good.timestamp, 1704189845);
  EXPECT_EQ(good.expiration, 1704794645);
  EXPECT_EQ(good.signed_headers, (std::vector<std::string>{"from", "to", "subject", "date"}));
  EXPECT_TRUE(good.problems.empty());

  const struct {
    const char* name;
    const char* value;
    bool valid;
    const char* error;
    std::vector<std::string> problems;
  } cases[] = {
      {"missing d",
       "v=1; a=rsa-sha256; b=x; bh=y; h=from; s=s1",
       false,
       "dkim-signature: no d= tag",
       {}},
      {"duplicate d",
       "v=1; a=rsa-sha256; b=x; bh=y; d=a.example; d=b.example; h=from; s=s1",
       false,
       "dkim-signature: tag list: duplicate tag d=",
       {}},
      {"empty b",
       "v=1; a=rsa-sha256; b=; bh=y; d=example.org; h=from; s=s1",
       true,
       "",
       {"dkim-signature: b= is empty"}},
      {"several problems",
       "v=2; a=rsa-sha256; b=x; bh=y; d=example.org; h=to:subject; s=s1; i=a@example.com; "
       "t=200; x=100",
       true,
       "",
       {"dkim-signature: v= is not 1", "dkim-signature: h= does not sign From",
        "dkim-signature: i= is not in the d= domain", "dkim-signature: x= is before t="}},
      {"identity equal to domain",
       "v=1; a=rsa-sha256; b=x; bh=y; d=example.org; h=from; s=s1; "
       "i=@example.org",
       true,
       "",
       {}},
      {"identity in a look-alike domain",
       "v=1; a=rsa-sha256; b=x; bh=y; d=example.org; h=from; "
       "s=s1; i=@badexample.org",
       true,
       "",
       {"dkim-signature: i= is not in the d= domain"}},
      {"garbage",
       "this is not a signature",
       false,
       "dkim-signature: tag list: \"this is not a signature\" has no \"=\"",
       {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    DkimSignature signature = ParseDkimSignature(c.value);
    EXPECT_EQ(signature.valid, c.valid);
    EXPECT_EQ(signature.error, c.error);
    EXPECT_EQ(signature.problems, c.problems);
  }
}

TEST(AuthResults, ParsesArcHeaders) {
  ArcSeal seal =
      ParseArcSeal("i=1; a=rsa-sha256; t=1704189845; cv=none; d=google.com; s=arc-20160816; b=abc");
  EXPECT_TRUE(seal.valid);
  EXPECT_EQ(seal.instance, 1);
  EXPECT_EQ(seal.chain_validation, "none");
  EXPECT_EQ(seal.algorithm, "rsa-sha256");
  EXPECT_EQ(seal.domain, "google.com");
  EXPECT_EQ(seal.selector, "arc-20160816");
  EXPECT_FALSE(ParseArcSeal("i=0; cv=none").valid);
  EXPECT_FALSE(ParseArcSeal("i=51; cv=pass").valid);
  EXPECT_FALSE(ParseArcSeal("i=x; cv=pass").valid);
  EXPECT_FALSE(ParseArcSeal("i=2").valid);
  EXPECT_FALSE(ParseArcSeal("i=1; i=2; cv=pass").valid);

  ArcMessageSignature ams = ParseArcMessageSignature(
      "i=2; a=rsa-sha256; c=relaxed/relaxed; d=Example.EDU; s=arc; h=from; bh=x; b=y");
  EXPECT_TRUE(ams.valid);
  EXPECT_EQ(ams.instance, 2);
  EXPECT_EQ(ams.domain, "example.edu");
  EXPECT_EQ(ams.selector, "arc");
  EXPECT_FALSE(ParseArcMessageSignature("d=example.edu").valid);
}

const char kGmailMessage[] =
    "Delivered-To: bob@gmail.com\n"
    "Received: by 2002:a05:7000:1234:b0:5a1:2b3c:4d5e with SMTP id abc;\n"
    "        Tue, 2 Jan 2024 10:04:09 -0800 (PST)\n"
    "ARC-Seal: i=1; a=rsa-sha256; t=1704218649; cv=none; d=google.com; s=arc-20160816;\n"
    "        b=AbCd\n"
    "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=google.com;\n"
    "        s=arc-20160816; h=from:to:subject; bh=x; b=y\n"
    "ARC-Authentication-Results: i=1; mx.google.com;\n"
    "       dkim=pass header.i=@example.org header.s=s1;\n"
    "       spf=pass smtp.mailfrom=bounce@bounces.example.org;\n"
    "       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.org\n"
    "Return-Path: <bounce@Bounces.Example.org>\n"
    "Received: from mail.example.org (mail.example.org. [192.0.2.1])\n"
    "        by mx.google.com with ESMTPS id a1si for <bob@gmail.com>;\n"
    "        Tue, 02 Jan 2024 10:04:08 -0800 (PST)\n"
    "Received-SPF: pass (google.com: domain of bounce@bounces.example.org designates 192.0.2.1\n"
    " as permitted sender) client-ip=192.0.2.1;\n"
    "Authentication-Results: mx.google.com;\n"
    "       dkim=pass header.i=@example.org header.s=s1;\n"
    "       spf=pass smtp.mailfrom=bounce@bounces.example.org;\n"
    "       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.org\n"
    "Authentication-Results: evil.example; dkim=pass header.d=example.org\n"
    "Received: from relay.example.org (relay.example.org [10.0.0.5])\n"
    "\tby mail.example.org (Postfix) with ESMTP id 4TA; Tue,  2 Jan 2024 18:04:06 +0000\n"
    "Authentication-Results: mx.google.com; dmarc=pass header.from=example.org\n"
    "Authentication-Results: mail.example.org; spf=none smtp.helo=relay.example.org\n"
    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s1;\n"
    "\th=From:To:Subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\n"
    "\tb=dGVzdA==\n"
    "DKIM-Signature: v=1; d=broken.example; d=again.example\n"
    "From: \"Alice\" <alice@Example.org>\n"
    "Sender: list@lists.example.org\n"
    "List-Unsubscribe: <mailto:unsub@example.org>, <https://example.org/u/1>\n"
    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n"
    "\n";

TEST(AuthResults, ReadsFactsFromHeaderBlock) {
  HeaderBlock block = ParseHeaders(kGmailMessage, 0, Limits(), nullptr);
  std::vector<std::string> warnings;
  AuthFacts facts = ReadAuthFacts(block, &warnings);
  EXPECT_EQ(warnings,
            (std::vector<std::string>{"auth-results: dkim-signature: tag list: duplicate tag d="}));
  ASSERT_EQ(facts.authentication_results.size(), 4u);
  ASSERT_EQ(facts.arc_authentication_results.size(), 1u);
  EXPECT_EQ(facts.arc_authentication_results[0].arc_instance, 1);
  ASSERT_EQ(facts.arc_seals.size(), 1u);
  EXPECT_EQ(facts.arc_seals[0].chain_validation, "none");
  ASSERT_EQ(facts.arc_message_signatures.size(), 1u);
  EXPECT_EQ(facts.arc_message_signatures[0].domain, "google.com");
  ASSERT_EQ(facts.received_spf.size(), 1u);
  EXPECT_EQ(facts.received_spf[0].client_ip, "192.0.2.1");
  ASSERT_EQ(facts.dkim_signatures.size(), 2u);
  EXPECT_TRUE(facts.dkim_signatures[0].valid);
  EXPECT_FALSE(facts.dkim_signatures[1].valid);
  EXPECT_TRUE(facts.has_return_path);
  EXPECT_EQ(facts.return_path, "bounce@Bounces.Example.org");
  EXPECT_EQ(facts.return_path_domain, "bounces.example.org");
  EXPECT_EQ(facts.from_address, "alice@Example.org");
  EXPECT_EQ(facts.from_domain, "example.org");
  EXPECT_EQ(facts.sender_domain, "lists.example.org");
  EXPECT_TRUE(facts.list_unsubscribe);
  EXPECT_TRUE(facts.list_unsubscribe_https);
  EXPECT_TRUE(facts.list_unsubscribe_mailto);
  EXPECT_TRUE(facts.list_unsubscribe_post);
  EXPECT_TRUE(facts.one_click_unsubscribe);
}

TEST(AuthResults, TrustsOnlyTheRecipientsOwnResultsAboveTheEdge) {
  const std::string text = kGmailMessage;
  HeaderBlock block = ParseHeaders(text, 0, Limits(), nullptr);
  AuthFacts facts = ReadAuthFacts(block, nullptr);
  ReceivedChain chain = AnalyseReceived(block, "gmail.com", {}, nullptr);
  ASSERT_TRUE(chain.edge.found);
  TrustContext context = TrustContextFor(chain, "gmail.com");
  EXPECT_EQ(context.edge_by, "mx.google.com");
  EXPECT_EQ(context.outside_offset, text.find("Received: from relay.example.org"));
  ApplyTrust(context, &facts);
  ASSERT_EQ(facts.authentication_results.size(), 4u);
  EXPECT_TRUE(facts.authentication_results[0].trusted);   // mx.google.com, above the edge
  EXPECT_FALSE(facts.authentication_results[1].trusted);  // evil.example
  EXPECT_FALSE(facts.authentication_results[2].trusted);  // mx.google.com, but from outside
  EXPECT_FALSE(facts.authentication_results[3].trusted);  // the sender's own
  EXPECT_TRUE(facts.arc_authentication_results[0].trusted);
  EXPECT_EQ(facts.trusted_authserv_ids, std::vector<std::string>{"mx.google.com"});

  // Without an edge only the authserv-id decides.
  ApplyTrust(TrustContext{"gmail.com", "", kNoOffset}, &facts);
  EXPECT_TRUE(facts.authentication_results[2].trusted);
  EXPECT_FALSE(facts.authentication_results[3].trusted);
  ApplyTrust(TrustContext{"example.org", "", kNoOffset}, &facts);
  EXPECT_FALSE(facts.authentication_results[0].trusted);
  EXPECT_TRUE(facts.authentication_results[3].trusted);
  EXPECT_EQ(facts.trusted_authserv_ids, std::vector<std::string>{"mail.example.org"});
}

TEST(AuthResults, TrustsMicrosoftResultsWithoutAuthservId) {
  const std::string text =
      "Authentication-Results: spf=pass (sender IP is 192.0.2.1)\n"
      " smtp.mailfrom=example.org; dkim=pass header.d=example.org\n"
      "Received: from mail.example.org (192.0.2.1) by\n"
      " AM2PEPF0001C70A.mail.protection.outlook.com (10.167.16.137) with Microsoft SMTP\n"
      " Server id 15.20.7270.30 via Frontend Transport; Tue, 2 Jan 2024 18:04:07 +0000\n"
      "Received: from [10.0.0.7] (unknown [198.51.100.20]) by mail.example.org (Postfix)\n"
      " with ESMTPSA id 4TB; Tue,  2 Jan 2024 18:04:05 +0000 (UTC)\n"
      "Authentication-Results: spf=fail smtp.mailfrom=example.org\n"
      "\n";
  HeaderBlock block = ParseHeaders(text, 0, Limits(), nullptr);
  AuthFacts facts = ReadAuthFacts(block, nullptr);
  ReceivedChain chain =
      AnalyseReceived(block, "example.com", {"example-com.mail.protection.outlook.com"}, nullptr);
  ASSERT_TRUE(chain.edge.found);
  EXPECT_EQ(chain.edge.hop_index, 0u);
  ApplyTrust(TrustContextFor(chain, "example.com"), &facts);
  ASSERT_EQ(facts.authentication_results.size(), 2u);
  EXPECT_TRUE(facts.authentication_results[0].trusted);
  EXPECT_FALSE(facts.authentication_results[1].trusted);
  EXPECT_EQ(facts.trusted_authserv_ids, std::vector<std::string>{""});

  ApplyTrust(TrustContext{"example.com", "mx.example.com", kNoOffset}, &facts);
  EXPECT_FALSE(facts.authentication_results[0].trusted);
}

TEST(AuthResults, HandlesNullReturnPathAndMissingHeaders) {
  HeaderBlock block = ParseHeaders("Return-Path: <>\nSubject: x\n\n", 0, Limits(), nullptr);
  AuthFacts facts = ReadAuthFacts(block, nullptr);
  EXPECT_TRUE(facts.has_return_path);
  EXPECT_EQ(facts.return_path, "");
  EXPECT_EQ(facts.return_path_domain, "");
  EXPECT_EQ(facts.from_domain, "");
  EXPECT_FALSE(facts.list_unsubscribe);
  EXPECT_FALSE(facts.one_click_unsubscribe);
  EXPECT_TRUE(facts.authentication_results.empty());
}

}  // namespace
}  // namespace bouncedx::mail
