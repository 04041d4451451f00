// SPDX-License-Identifier: MIT
#include "core/knowledge/knowledge.h"
#include "core/classify/matcher.h"

#include <gtest/gtest.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace bouncedx {
namespace {

const std::set<std::string> kClasses = {
    "recipient_unknown", "recipient_disabled",  "recipient_filtered", "mailbox_full",
    "domain_invalid",    "auth_failure",        "ip_blocked",         "sender_rejected",
    "rate_limited",      "relay_denied",        "security_policy",    "spam_content",
    "virus_content",     "policy_rejected",     "message_format",     "message_too_large",
    "network_timeout",   "remote_server_error", "protocol_error",     "delivered_notice",
    "auto_reply",        "complaint_report",    "suppressed",         "unknown"};
const std::set<std::string> kSeverities = {"permanent", "transient", "not_a_failure"};
const std::set<std::string> kProviderKinds = {
    "mailbox_provider", "security_gateway", "esp", "mta", "isp", "hosting"};
const std::set<std::string> kCaptureNames = {"ip",     "zone",      "host", "domain",
                                             "sender", "recipient", "code"};

RE2::Options SignatureOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(Knowledge::kSignatureSetMaxMem);
  return options;
}

// Every {name} in `text`.
std::vector<std::string> PlaceholdersIn(const std::string& text) {
  std::vector<std::string> names;
  size_t pos = 0;
  while ((pos = text.find('{', pos)) != std::string::npos) {
    size_t end = text.find('}', pos);
    if (end == std::string::npos) break;
    names.push_back(text.substr(pos + 1, end - pos - 1));
    pos = end + 1;
  }
  return names;
}

struct BestMatch {
  int specificity = 0;
  std::set<std::string> causes;     // causes of every signature at the top specificity
  std::set<std::string> providers;  // their providers
  std::vector<std::string> ids;
};

BestMatch Classify(const Knowledge& knowledge, const std::string& text) {
  BestMatch best;
  for (const Signature& signature : knowledge.signatures()) {
    RE2 re(signature.pattern, SignatureOptions());
    if (!re.ok() || !RE2::PartialMatch(text, re)) continue;
    if (signature.specificity > best.specificity) {
      best = BestMatch();
      best.specificity = signature.specificity;
    }
    if (signature.specificity == best.specificity) {
      best.causes.insert(signature.cause);
      best.providers.insert(signature.provider);
      best.ids.push_back(signature.id);
    }
  }
  return best;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

TEST(Knowledge, GetLoadsEmbeddedFiles) {
  const Knowledge& knowledge = Knowledge::Get();
  ASSERT_TRUE(knowledge.load_status().ok()) << knowledge.load_status().ToString();
  EXPECT_EQ(&knowledge, &Knowledge::Get());
  EXPECT_GE(knowledge.signatures().size(), 450u);
  EXPECT_GE(knowledge.providers().size(), 40u);
  EXPECT_GE(knowledge.causes().size(), 50u);
  EXPECT_GE(knowledge.blocklists().size(), 15u);
  EXPECT_FALSE(knowledge.public_resolver_note().empty());
}

TEST(Knowledge, HasEveryRequiredCause) {
  const Knowledge& knowledge = Knowledge::Get();
  const char* const kRequired[] = {"dnsbl_public",
                                   "block_provider",
                                   "policy_range",
                                   "ptr_missing",
                                   "ptr_not_fcrdns",
                                   "ptr_generic",
                                   "helo_invalid",
                                   "spf_fail",
                                   "dkim_fail",
                                   "dmarc_reject",
                                   "bulk_sender_rules",
                                   "relay_denied",
                                   "auth_required",
                                   "sender_rejected",
                                   "recipient_unknown",
                                   "recipient_restricted",
                                   "recipient_policy",
                                   "content_spam",
                                   "dictionary",
                                   "virus",
                                   "rate_limit",
                                   "tls_required",
                                   "reputation_low",
                                   "compromised",
                                   "message_format",
                                   "network_not_accepted",
                                   "connection_not_authorized",
                                   "client_access_denied",
                                   "remote_filter_refused",
                                   "ip_not_authorized",
                                   "relay_domain_not_hosted",
                                   "mailbox_full",
                                   "mailbox_disabled",
                                   "domain_no_mail",
                                   "host_unreachable",
                                   "message_too_large",
                                   "greylisting",
                                   "expired_in_queue",
                                   "dns_temporary_failure",
                                   "mail_loop",
                                   "remote_server_error",
                                   "protocol_error",
                                   "suppressed",
                                   "auto_reply",
                                   "feedback_report",
                                   "delivered",
                                   "generic_policy",
                                   "generic_address",
                                   "generic_mailbox",
                                   "generic_system",
                                   "generic_network",
                                   "generic_protocol",
                                   "generic_content",
                                   "generic_permanent",
                                   "generic_transient",
                                   "unknown"};
  for (const char* id : kRequired) {
    SCOPED_TRACE(id);
    EXPECT_NE(knowledge.FindCause(id), nullptr);
  }
  EXPECT_EQ(knowledge.FindCause("no_such_cause"), nullptr);
}

TEST(Knowledge, CausesUseFixedClassesSeveritiesAndKnownRoles) {
  const Knowledge& knowledge = Knowledge::Get();
  std::set<std::string> ids;
  for (const Cause& cause : knowledge.causes()) {
    SCOPED_TRACE(cause.id);
    EXPECT_TRUE(ids.insert(cause.id).second) << "duplicate id";
    EXPECT_EQ(kClasses.count(cause.cause_class), 1u) << cause.cause_class;
    EXPECT_EQ(kSeverities.count(cause.severity), 1u) << cause.severity;
    EXPECT_FALSE(cause.title.empty());
    EXPECT_FALSE(cause.summary.empty());
    EXPECT_FALSE(cause.detail.empty());
    EXPECT_FALSE(cause.fix.empty());
    for (const CauseFixStep& step : cause.fix) {
      EXPECT_FALSE(knowledge.RoleLabel(step.who).empty()) << "unknown role " << step.who;
      EXPECT_FALSE(step.text.empty());
    }
  }
  for (const Cause& cause : knowledge.causes()) {
    SCOPED_TRACE(cause.id);
    for (const std::string& refined : cause.refined_by) {
      EXPECT_NE(knowledge.FindCause(refined), nullptr) << "refined_by " << refined;
      EXPECT_NE(refined, cause.id);
    }
  }
  EXPECT_EQ(knowledge.FindCause("connection_not_authorized")->refined_by.front(), "ptr_missing");
  EXPECT_EQ(knowledge.FindCause("unknown")->cause_class, "unknown");
  EXPECT_EQ(knowledge.FindCause("auto_reply")->severity, "not_a_failure");
  EXPECT_EQ(knowledge.FindCause("dnsbl_public")->cause_class, "ip_blocked");
  EXPECT_EQ(knowledge.FindCause("spf_fail")->cause_class, "auth_failure");
}

TEST(Knowledge, EveryPlaceholderInTextIsKnown) {
  const Knowledge& knowledge = Knowledge::Get();
  for (const char* name :
       {"ip", "zone", "helo", "sender_domain", "recipient_domain", "rejecting_host", "provider",
        "provider_delist", "provider_postmaster", "code"}) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(knowledge.PlaceholderDefault(name).empty());
  }
  EXPECT_EQ(knowledge.PlaceholderDefault("nope"), "");
  for (const Cause& cause : knowledge.causes()) {
    SCOPED_TRACE(cause.id);
    std::vector<std::string> texts = {cause.title, cause.summary, cause.detail};
    for (const CauseFixStep& step : cause.fix) texts.push_back(step.text);
    for (const std::string& text : texts) {
      for (const std::string& name : PlaceholdersIn(text)) {
        EXPECT_FALSE(knowledge.PlaceholderDefault(name).empty())
            << "unknown placeholder {" << name << "} in: " << text;
      }
    }
  }
}

TEST(Knowledge, LinksAreHttps) {
  const Knowledge& knowledge = Knowledge::Get();
  auto check = [](const std::vector<KnowledgeLink>& links) {
    for (const KnowledgeLink& link : links) {
      EXPECT_FALSE(link.label.empty());
      EXPECT_EQ(link.url.rfind("https://", 0), 0u) << link.url;
    }
  };
  for (const Cause& cause : knowledge.causes()) {
    SCOPED_TRACE(cause.id);
    check(cause.links);
    for (const CauseFixStep& step : cause.fix) check(step.links);
  }
  for (const Provider& provider : knowledge.providers()) {
    SCOPED_TRACE(provider.id);
    check(provider.links);
    for (const std::string& url : {provider.postmaster, provider.delist}) {
      if (!url.empty()) {
        EXPECT_EQ(url.rfind("https://", 0), 0u) << url;
      }
    }
  }
}

TEST(Knowledge, EverySignatureCompilesAndReferencesKnownIds) {
  const Knowledge& knowledge = Knowledge::Get();
  std::set<std::string> ids;
  for (const Signature& signature : knowledge.signatures()) {
    SCOPED_TRACE(signature.id);
    EXPECT_TRUE(ids.insert(signature.id).second) << "duplicate id";
    RE2 re(signature.pattern, SignatureOptions());
    EXPECT_TRUE(re.ok()) << re.error();
    EXPECT_EQ(signature.pattern.rfind("(?i)", 0), 0u) << "patterns start with (?i)";
    for (const auto& group : re.NamedCapturingGroups()) {
      EXPECT_EQ(kCaptureNames.count(group.first), 1u) << "capture " << group.first;
    }
    EXPECT_NE(knowledge.FindCause(signature.cause), nullptr) << signature.cause;
    if (!signature.provider.empty()) {
      EXPECT_NE(knowledge.FindProvider(signature.provider), nullptr) << signature.provider;
    }
    EXPECT_GE(signature.specificity, 1);
    EXPECT_LE(signature.specificity, 100);
    // A pattern that matches nothing in particular would match every input.
    EXPECT_FALSE(RE2::PartialMatch("", re));
    EXPECT_FALSE(RE2::PartialMatch("Hello, this is an ordinary sentence.", re));
  }
}

TEST(Knowledge, AllSignaturesFitInOneSet) {
  const Knowledge& knowledge = Knowledge::Get();
  RE2::Set set(SignatureOptions(), RE2::UNANCHORED);
  for (const Signature& signature : knowledge.signatures()) {
    std::string error;
    ASSERT_GE(set.Add(signature.pattern, &error), 0) << signature.id << ": " << error;
  }
  ASSERT_TRUE(set.Compile());
  std::vector<int> matches;
  RE2::Set::ErrorInfo info;
  ASSERT_TRUE(set.Match("554 5.7.1 <bob@example.com>: Relay access denied", &matches, &info));
  EXPECT_EQ(info.kind, RE2::Set::kNoError);
  bool found = false;
  for (int index : matches) {
    if (knowledge.signatures()[index].id == "postfix_relay_access_denied") found = true;
  }
  EXPECT_TRUE(found);
}

TEST(Knowledge, ProvidersAreWellFormed) {
  const Knowledge& knowledge = Knowledge::Get();
  std::set<std::string> ids;
  for (const Provider& provider : knowledge.providers()) {
    SCOPED_TRACE(provider.id);
    EXPECT_TRUE(ids.insert(provider.id).second) << "duplicate id";
    EXPECT_EQ(kProviderKinds.count(provider.kind), 1u) << provider.kind;
    EXPECT_FALSE(provider.match.empty());
    for (const std::string& pattern : provider.match) {
      RE2 re(pattern, SignatureOptions());
      EXPECT_TRUE(re.ok()) << pattern << ": " << re.error();
      // The matcher reads long texts in pieces cut at line ends, which is
      // exact only while no fingerprint can match across one.
      EXPECT_FALSE(MayMatchAcrossLines(pattern))
          << pattern << ": a fingerprint must match within one line, without anchors";
    }
    for (const std::string& mx : provider.mx) {
      EXPECT_FALSE(mx.empty());
      EXPECT_NE(mx.front(), '.') << mx;
    }
  }
  // The MX check takes the first provider whose suffix matches, so a suffix
  // must belong to one provider only.
  std::map<std::string, std::string> owner;
  for (const Provider& provider : knowledge.providers()) {
    for (const std::string& mx : provider.mx) {
      auto inserted = owner.emplace(mx, provider.id);
      EXPECT_TRUE(inserted.second) << mx << " in " << provider.id << " and " << owner[mx];
    }
  }
  const Provider* gmail = knowledge.FindProvider("gmail");
  ASSERT_NE(gmail, nullptr);
  EXPECT_EQ(gmail->kind, "mailbox_provider");
  RE2 gsmtp(gmail->match[0], SignatureOptions());
  EXPECT_TRUE(RE2::PartialMatch("550 5.7.1 ... a1si2 - gsmtp", gsmtp));
}

TEST(Knowledge, BlocklistsAreWellFormed) {
  const Knowledge& knowledge = Knowledge::Get();
  std::set<std::string> ids;
  for (const Blocklist& list : knowledge.blocklists()) {
    SCOPED_TRACE(list.id);
    EXPECT_TRUE(ids.insert(list.id).second) << "duplicate id";
    EXPECT_TRUE(list.kind == "ip" || list.kind == "domain") << list.kind;
    EXPECT_FALSE(list.test_point.empty());
    for (const BlocklistCode& code : list.codes) {
      EXPECT_EQ(code.value.rfind("127.", 0), 0u) << code.value;
      if (!code.cause.empty()) {
        EXPECT_NE(knowledge.FindCause(code.cause), nullptr) << code.cause;
      }
    }
    for (const BlocklistCode& code : list.refusal_codes) EXPECT_TRUE(code.cause.empty());
  }
  const Blocklist* zen = knowledge.FindBlocklist("zen.spamhaus.org.");
  ASSERT_NE(zen, nullptr);
  EXPECT_EQ(zen->id, "spamhaus_zen");
  EXPECT_TRUE(zen->refuses_public_resolvers);
  EXPECT_TRUE(zen->queried_by_default);
  EXPECT_EQ(zen->test_point, "127.0.0.2");
  EXPECT_EQ(knowledge.FindBlocklist("ZEN.Spamhaus.org"), zen);
  EXPECT_EQ(knowledge.FindBlocklist("spamhaus_zen"), zen);
  const Blocklist* dbl = knowledge.FindBlocklist("dbl.spamhaus.org");
  ASSERT_NE(dbl, nullptr);
  EXPECT_EQ(dbl->kind, "domain");
  EXPECT_EQ(dbl->test_point, "dbltest.com");
  EXPECT_TRUE(knowledge.FindBlocklist("multi.surbl.org")->bitmask);
  EXPECT_EQ(knowledge.FindBlocklist("example.org"), nullptr);
}

TEST(Knowledge, FallbackTablesPointAtRealCauses) {
  const Knowledge& knowledge = Knowledge::Get();
  for (const auto& entry : knowledge.enhanced_causes()) {
    SCOPED_TRACE(entry.first);
    EXPECT_NE(knowledge.FindCause(entry.second), nullptr) << entry.second;
  }
  for (const auto& entry : knowledge.reply_causes()) {
    SCOPED_TRACE(entry.first);
    EXPECT_NE(knowledge.FindCause(entry.second), nullptr) << entry.second;
  }
  for (const ProviderCode& code : knowledge.provider_codes()) {
    SCOPED_TRACE(code.provider + " " + code.code);
    EXPECT_NE(knowledge.FindProvider(code.provider), nullptr);
  }
}

TEST(Knowledge, CodeMeanings) {
  const Knowledge& knowledge = Knowledge::Get();
  struct Case {
    std::string code;
    std::string expected;
  };
  const Case kEnhanced[] = {
      {"5.7.1",
       "delivery not authorized, message refused: the sender may not send to this "
       "recipient (policy, blocklist, relay denial, filter)"},
      {"4.7.1",
       "delivery not authorized, message refused: the sender may not send to this "
       "recipient (policy, blocklist, relay denial, filter)"},
      {"#5.1.1", "the destination mailbox does not exist"},
      {"X.2.2", "the mailbox is full (over quota)"},
      {"5.7.25", "reverse DNS validation failed (no PTR, or PTR not forward-confirmed)"},
      {"5.1.10", "the recipient domain publishes a null MX: it accepts no mail"},
      {"5.7.999", "a security or policy refusal"},
      {"4.4.99", "a network or routing problem"},
      {"5.9.1", ""},
      {"3.1.1", ""},
      {"5.7", ""},
      {"5.7.1x", ""},
      {"", ""},
  };
  for (const Case& c : kEnhanced) {
    SCOPED_TRACE(c.code);
    EXPECT_EQ(knowledge.EnhancedCodeMeaning(c.code), c.expected);
  }
  EXPECT_EQ(knowledge.ReplyCodeMeaning(556), "the domain does not accept mail (null MX)");
  EXPECT_EQ(knowledge.ReplyCodeMeaning(421),
            "the service is not available right now and the server is closing the connection; "
            "the sender retries later (used for rate limits, temporary reputation blocks and "
            "overload)");
  EXPECT_NE(knowledge.ReplyCodeMeaning(571).find("not a valid SMTP code"), std::string::npos);
  EXPECT_EQ(knowledge.ReplyCodeMeaning(599), "");
  EXPECT_EQ(knowledge.ReplyCodeMeaning(-1), "");
}

TEST(Knowledge, ProviderCodeMeanings) {
  const Knowledge& knowledge = Knowledge::Get();
  struct Case {
    std::string provider;
    std::string code;
    std::string expected;
  };
  const Case kCases[] = {
      {"gmail", "5.7.26",
       "Gmail: the message is unauthenticated or fails the sender domain's "
       "DMARC policy"},
      {"gmail", "4.7.27", "Gmail: the bulk sender does not pass SPF"},
      {"yahoo", "[TSS04]",
       "Yahoo: temporarily deferred because of unexpected volume or user "
       "complaints"},
      {"yahoo", "tss09",
       "Yahoo: the sending IP is permanently deferred (blocked); retrying will "
       "not help"},
      {"outlook_com", "S3150",
       "Outlook.com: part of the sender's network is on Microsoft's "
       "block list"},
      {"microsoft365", "5.7.620",
       "Microsoft: the sending IP is on Microsoft's blocked list "
       "(banned sending IP); use the delist portal"},
      {"microsoft365", "4.7.620",
       "Microsoft: access denied, please try again later (temporary "
       "throttle, 4.7.500 to 4.7.699)"},
      {"microsoft365", "5.7.700", ""},
      {"microsoft365", "5.7.509", "Microsoft: the message does not pass DMARC verification"},
      {"comcast", "BL000001", "Comcast: the IP is listed on Spamhaus ZEN"},
      {"cox", "AUP#CXBL", "Cox: the IP is blocked for spam-like behaviour"},
      {"gmail", "S3150", ""},
      {"no_such_provider", "5.7.26", ""},
      // Without a provider no meaning, though gmail and outlook_com define these.
      {"", "5.7.26", ""},
      {"", "S3150", ""},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.provider + " " + c.code);
    EXPECT_EQ(knowledge.ProviderCodeMeaning(c.provider, c.code), c.expected);
  }
}

TEST(Knowledge, FallbackCauses) {
  const Knowledge& knowledge = Knowledge::Get();
  const std::pair<std::string, std::string> kEnhanced[] = {{"5.1.1", "recipient_unknown"},
                                                           {"5.7.1", "generic_policy"},
                                                           {"5.7.23", "spf_fail"},
                                                           {"4.7.25", "ptr_not_fcrdns"},
                                                           {"5.7.999", "generic_policy"},
                                                           {"5.2.2", "mailbox_full"},
                                                           {"4.4.7", "expired_in_queue"},
                                                           {"5.6.3", "generic_content"},
                                                           {"X.3.9", "generic_system"},
                                                           {"5.9.9", ""},
                                                           {"nonsense", ""}};
  for (const auto& c : kEnhanced) {
    SCOPED_TRACE(c.first);
    EXPECT_EQ(knowledge.FallbackCauseForEnhanced(c.first), c.second);
  }
  const std::pair<int, std::string> kReply[] = {{550, "generic_permanent"},
                                                {554, "generic_policy"},
                                                {421, "generic_transient"},
                                                {571, "remote_filter_refused"},
                                                {556, "domain_no_mail"},
                                                {535, "auth_required"},
                                                {559, "generic_permanent"},
                                                {499, "generic_transient"},
                                                {250, "delivered"},
                                                {354, ""},
                                                {99, ""},
                                                {1000, ""}};
  for (const auto& c : kReply) {
    SCOPED_TRACE(c.first);
    EXPECT_EQ(knowledge.FallbackCauseForReply(c.first), c.second);
  }
}

TEST(Knowledge, RoleLabels) {
  const Knowledge& knowledge = Knowledge::Get();
  EXPECT_EQ(knowledge.RoleLabel("sender"), "You (the sender)");
  EXPECT_EQ(knowledge.RoleLabel("recipient_admin"),
            "The recipient's mail administrator or help desk");
  EXPECT_EQ(knowledge.RoleLabel("nobody"), "");
}

TEST(Knowledge, SeedTextsClassifyAsIntended) {
  const Knowledge& knowledge = Knowledge::Get();
  struct Case {
    std::string text;
    std::string cause;
    std::string provider;  // checked when not empty
  };
  const Case kCases[] = {
      {"554 5.7.1 Delivery not authorized", "connection_not_authorized", ""},
      {"554 5.7.1 You are not allowed to connect", "connection_not_authorized", ""},
      {"554 5.7.1 : Delivery not authorized", "connection_not_authorized", ""},
      {"554 5.7.1 : You are not allowed to connect", "connection_not_authorized", ""},
      {"554 5.7.1 : Client host rejected: Access denied", "client_access_denied", ""},
      {"554 5.7.1 <mx.example.com[203.0.113.5]>: Client host rejected: Access denied",
       "client_access_denied", ""},
      {"554 5.7.1 : Service unavailable; Client host X.X.X.X blocked", "dnsbl_public", ""},
      {"554 5.7.1 : Service unavailable; Client host 203.0.113.5 blocked", "dnsbl_public", ""},
      {"554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org",
       "dnsbl_public", ""},
      {"Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org",
       "dnsbl_public", ""},
      {"Client host 203.0.113.5 blocked", "dnsbl_public", ""},
      {"554 5.7.1 : Relay access denied", "relay_denied", ""},
      {"554 5.7.1 <bob@example.com>: Relay access denied", "relay_denied", ""},
      {"554 5.7.1 : Recipient address rejected: Access denied", "recipient_restricted", ""},
      {"554 5.7.1 : Message cannot be accepted, rules rejection", "recipient_policy", ""},
      {"554 5.7.1 : Message refused by Dictionary check", "dictionary", ""},
      {"554 5.7.1 : Relay Access Denied for One Domain", "relay_domain_not_hosted", ""},
      {"554 5.7.1 : Message cannot be accepted, spam rejection", "content_spam", ""},
      {"554 5.7.1 : Message refused by DNSBL check", "dnsbl_public", ""},
      {"554 5.7.1 : Sender address rejected: Access denied", "sender_rejected", ""},
      {"Remote Server returned '571 Delivery not authorized, message refused'",
       "remote_filter_refused", ""},
      {"571 Delivery not authorized, message refused", "remote_filter_refused", ""},
      {"#571 Delivery not authorized message refused", "remote_filter_refused", ""},
      {"550-5.7.1 [198.51.100.7] The IP you're using to send mail is not authorized 550-5.7.1 "
       "to send email directly to our servers. Please use the SMTP relay at 550-5.7.1 your "
       "service provider instead. Learn more at 550 5.7.1 "
       "https://support.google.com/mail/?p=NotAuthorizedError a1si2 - gsmtp",
       "policy_range", "gmail"},
      {"550-5.7.1 [x.x.x.x] The IP you're using to send mail is not authorized 550-5.7.1 to "
       "send email directly to our servers. Please use the SMTP relay at 550-5.7.1 your service "
       "provider instead.",
       "policy_range", "gmail"},
      {"The IP you're using to send mail is not authorized to send email directly to our servers",
       "policy_range", "gmail"},
      {"550 5.7.1 IP address not authorized to send email", "ip_not_authorized", ""},
      // A few more that must not be stolen by a generic phrase.
      {"#550 5.7.1 Delivery not authorized, message refused ##", "recipient_restricted", ""},
      {"550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", "recipient_unknown",
       "microsoft365"},
      {"450 4.7.1 Client host rejected: cannot find your reverse hostname, [203.0.113.9]",
       "ptr_missing", ""},
      {"550 5.7.606 Access denied, banned sending IP [203.0.113.9]", "block_provider",
       "microsoft365"},
      {"421 4.7.0 [TSS04] Messages from 203.0.113.9 temporarily deferred due to unexpected "
       "volume or user complaints",
       "reputation_low", "yahoo"},
      {"550 Benutzer unbekannt", "recipient_unknown", ""},
      {"552 Postfach voll", "mailbox_full", ""},
      {"550 utilisateur inconnu", "recipient_unknown", ""},
      {"552 boîte pleine", "mailbox_full", ""},
      {"550 usuario desconocido", "recipient_unknown", ""},
      {"550 宛先不明", "recipient_unknown", ""},
      {"550 用户不存在", "recipient_unknown", ""},
      {"550 Пользователь не найден", "recipient_unknown", ""},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    BestMatch best = Classify(knowledge, c.text);
    ASSERT_EQ(best.causes.size(), 1u) << "top matches: " << Join(best.ids);
    EXPECT_EQ(*best.causes.begin(), c.cause) << "top matches: " << Join(best.ids);
    if (!c.provider.empty()) {
      EXPECT_EQ(best.providers.count(c.provider), 1u) << "top matches: " << Join(best.ids);
    }
  }
}

TEST(Knowledge, ItalianPortugueseDutchAndPolishReasonsClassify) {
  const Knowledge& knowledge = Knowledge::Get();
  struct Case {
    std::string text;
    std::string cause;
  };
  const Case kCases[] = {
      {"550 5.1.1 utente sconosciuto", "recipient_unknown"},
      {"552 5.2.2 casella piena", "mailbox_full"},
      {"554 5.7.1 messaggio rifiutato perché considerato come spam", "content_spam"},
      {"550 5.1.1 destinatário desconhecido", "recipient_unknown"},
      {"552 5.2.2 caixa postal cheia", "mailbox_full"},
      {"554 5.7.1 mensagem classificada como spam", "content_spam"},
      {"550 5.1.1 gebruiker onbekend", "recipient_unknown"},
      {"552 5.2.2 postvak is vol", "mailbox_full"},
      {"554 5.7.1 bericht is als spam aangemerkt", "content_spam"},
      {"550 5.1.1 użytkownik nie istnieje", "recipient_unknown"},
      {"550 5.1.1 nieznany odbiorca", "recipient_unknown"},
      {"552 5.2.2 skrzynka odbiorcy jest pełna", "mailbox_full"},
      {"554 5.7.1 wiadomość została uznana za spam", "content_spam"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    BestMatch best = Classify(knowledge, c.text);
    ASSERT_EQ(best.causes.size(), 1u) << "top matches: " << Join(best.ids);
    EXPECT_EQ(*best.causes.begin(), c.cause) << "top matches: " << Join(best.ids);
  }
}

TEST(Knowledge, CodeSignaturesIgnoreIpAddressesAndVersions) {
  const Knowledge& knowledge = Knowledge::Get();
  const std::string kTexts[] = {
      "Received: from mail.example.com (mail.example.com [10.5.1.1])",
      "X-Mailer: Example Mailer 4.7.25.3",
      "Received: from [192.0.2.5] by 198.51.100.4.7.23.example",
      "Received: from relay.example.net ([10.5.7.510])",
  };
  for (const std::string& text : kTexts) {
    SCOPED_TRACE(text);
    BestMatch best = Classify(knowledge, text);
    EXPECT_TRUE(best.causes.empty()) << "matched: " << Join(best.ids);
  }
  // The same code as a word still matches.
  BestMatch best = Classify(knowledge, "550 5.7.510 zq xv wk.");
  EXPECT_EQ(best.causes, std::set<std::string>{"network_not_accepted"}) << Join(best.ids);
  // Registry codes alone are left to the code fallback (FallbackCauseFor*).
  EXPECT_TRUE(Classify(knowledge, "550 5.1.1 zq xv wk").causes.empty());
}

TEST(Knowledge, ParseRejectsBrokenJsonWithoutCrashing) {
  const Knowledge& good = Knowledge::Get();
  ASSERT_TRUE(good.load_status().ok());
  std::map<std::string, std::string_view> files;
  for (const EmbeddedFile& file : EmbeddedKnowledgeFiles())
    files[std::string(file.name)] = file.data;

  // Replaces one file's bytes and parses the whole set.
  auto parse_with = [&](const std::string& name, const std::string& data) {
    std::vector<EmbeddedFile> set;
    for (const auto& entry : files) {
      if (entry.first == name) continue;
      set.push_back({entry.first, entry.second});
    }
    set.push_back({name, data});
    // `name` and `data` outlive the call: Parse copies what it keeps.
    return Knowledge::Parse(set);
  };

  struct Case {
    std::string file;
    std::string data;
    std::string message;
  };
  const Case kCases[] = {
      {"causes.json", "{", "malformed: knowledge: causes.json: not valid JSON"},
      {"causes.json", "[]", "malformed: knowledge: causes.json: expected an object at the top"},
      {"causes.json", R"({"roles": [], "placeholders": {}, "causes": []})",
       "malformed: knowledge: causes.json: roles: expected an object"},
      {"causes.json", R"({"roles": {}, "placeholders": {}, "causes": [{"id": 5}]})",
       "malformed: knowledge: causes.json: causes[0].id: expected a string"},
      {"causes.json",
       R"({"roles": {}, "placeholders": {}, "causes": [{"id": "a", "class": "unknown",
          "severity": "permanent", "title": "t", "summary": "s", "detail": "d",
          "fix": [{"who": ["x"], "text": "t"}]}]})",
       "malformed: knowledge: causes.json: causes[0].fix[0].who: expected a string"},
      {"signatures.json", R"({"signatures": [{"id": "a", "pattern": "x", "cause": "c",
          "specificity": "high"}]})",
       "malformed: knowledge: signatures.json: signatures[0].specificity: expected an integer"},
      {"signatures.json", R"({"signatures": [{"id": "a", "pattern": "x", "cause": "c",
          "specificity": 101}]})",
       "malformed: knowledge: signatures.json: signatures[0].specificity: expected 1 to 100"},
      {"signatures.json", R"({"signatures": [
          {"id": "a", "pattern": "x", "cause": "c", "specificity": 5},
          {"id": "a", "pattern": "y", "cause": "c", "specificity": 5}]})",
       "malformed: knowledge: signatures.json: signatures[1].id: duplicate id a"},
      {"codes.json", R"({"reply_codes": {"55": "x"}, "enhanced_codes": {},
          "enhanced_causes": {}, "reply_causes": {}, "provider_codes": []})",
       "malformed: knowledge: codes.json: reply_codes.55: expected a three-digit reply code as "
       "key"},
      {"providers.json", R"({"providers": [{"id": "a", "name": "A", "kind": "mta",
          "match": "not a list"}]})",
       "malformed: knowledge: providers.json: providers[0].match: expected an array"},
      {"blocklists.json", R"({"blocklists": [{"id": "a", "name": "A", "zone": "z.example",
          "kind": "ip", "default": "yes"}]})",
       "malformed: knowledge: blocklists.json: blocklists[0].default: expected true or false"},
      {"blocklists.json", R"({"blocklists": [{"id": "a", "name": "A", "zone": "z.example",
          "kind": "url"}]})",
       "malformed: knowledge: blocklists.json: blocklists[0].kind: expected \"ip\" or \"domain\""},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.file + ": " + c.data);
    std::unique_ptr<Knowledge> knowledge = parse_with(c.file, c.data);
    ASSERT_NE(knowledge, nullptr);
    EXPECT_FALSE(knowledge->load_status().ok());
    EXPECT_EQ(knowledge->load_status().ToString(), c.message);
    EXPECT_TRUE(knowledge->causes().empty());
    EXPECT_TRUE(knowledge->signatures().empty());
    EXPECT_TRUE(knowledge->providers().empty());
    EXPECT_TRUE(knowledge->blocklists().empty());
    EXPECT_EQ(knowledge->FindCause("unknown"), nullptr);
    EXPECT_EQ(knowledge->ReplyCodeMeaning(550), "");
  }

  std::unique_ptr<Knowledge> missing = Knowledge::Parse({});
  EXPECT_EQ(missing->load_status().ToString(), "not_found: knowledge: causes.json: file missing");

  std::vector<EmbeddedFile> all(EmbeddedKnowledgeFiles().begin(), EmbeddedKnowledgeFiles().end());
  std::unique_ptr<Knowledge> again = Knowledge::Parse(all);
  EXPECT_TRUE(again->load_status().ok());
  EXPECT_EQ(again->signatures().size(), good.signatures().size());
}

}  // namespace
}  // namespace bouncedx
