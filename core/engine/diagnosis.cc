// SPDX-License-Identifier: MIT
#include "core/engine/diagnosis.h"

#include <algorithm>

#include "core/base/text.h"
#include "core/checks/registry.h"
#include "core/dns/answer.h"
#include "core/dns/ip.h"
#include "core/dns/message.h"
#include "core/dns/query.h"
#include "core/dns/types.h"
#include "core/engine/bounce.h"
#include "core/engine/refine.h"
#include "core/classify/classifier.h"
#include "core/classify/explain.h"
#include "core/classify/matcher.h"
#include "core/input/detect.h"
#include "core/knowledge/knowledge.h"
#include "core/mail/antispam.h"
#include "core/mail/auth_results.h"
#include "core/mail/headers.h"
#include "core/mail/received.h"
#include "core/mail/recipient_labels.h"
#include "core/mail/smtp_reply.h"

namespace bouncedx {

namespace {

// The first IPv4 address in `text` that stands alone (not inside a longer
// run of digits and dots, nor glued to a word), or "". A sentence's full
// stop after it is not part of it.
std::string FindIpv4(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsDigit(text[i])) continue;
    if (i > 0 && (IsDigit(text[i - 1]) || text[i - 1] == '.' || IsAlpha(text[i - 1]))) continue;
    size_t end = i;
    while (end < text.size() && (IsDigit(text[end]) || text[end] == '.')) ++end;
    std::string_view run = text.substr(i, end - i);
    while (!run.empty() && run.back() == '.') run.remove_suffix(1);
    dns::IpAddress ip;
    if (dns::ParseIpv4(run, &ip)) return std::string(run);
    i = end;
  }
  return "";
}

// A bracketed IPv6 literal "[IPv6:2001:db8::1]" or "[2001:db8::1]", or "".
std::string FindBracketedIpv6(std::string_view text) {
  size_t open = 0;
  while ((open = text.find('[', open)) != std::string_view::npos) {
    size_t close = text.find(']', open);
    if (close == std::string_view::npos) return "";
    std::string_view inside = text.substr(open + 1, close - open - 1);
    if (StartsWithCaseless(inside, "ipv6:")) inside.remove_prefix(5);
    dns::IpAddress ip;
    if (dns::ParseIpv6(inside, &ip)) return std::string(inside);
    open = close + 1;
  }
  return "";
}

// The first address of a From/To/Return-Path value, or "".
std::string FirstAddress(std::string_view value) {
  for (const mail::Address& address : mail::ParseAddressList(value, 10)) {
    if (!address.addr_spec.empty()) return address.addr_spec;
  }
  return "";
}

// Reads a header block (the returned original, or pasted "show original"
// headers): the sender's and recipient's domains, the Received chain and the
// edge, authentication results and DKIM selectors, antispam verdicts. The
// edge becomes the sending IP only for pasted headers (`delivered`): in a
// bounce's returned original the chain stops inside the sender's network.
void ReadHeaders(std::string_view text, bool delivered, const Limits& limits, Report* report) {
  std::vector<std::string> ignored;
  mail::HeaderBlock block = mail::ParseHeaders(text, 0, limits, &ignored);
  Entities& entities = report->entities;
  auto domain_of = [&](const char* name) -> std::string {
    const mail::HeaderField* field = block.Find(name);
    if (field == nullptr) return "";
    return Printable(ToLower(mail::DomainOf(FirstAddress(field->value))), 255);
  };
  if (entities.header_from_domain.empty()) entities.header_from_domain = domain_of("From");
  if (entities.envelope_sender_domain.empty()) entities.envelope_sender_domain = domain_of("Return-Path");
  if (entities.recipient_domain.empty()) {
    entities.recipient_domain = domain_of("Delivered-To");
    if (entities.recipient_domain.empty()) entities.recipient_domain = domain_of("To");
  }

  mail::ReceivedChain chain =
      mail::AnalyseReceived(block, entities.recipient_domain, {}, &report->warnings);
  for (size_t i = 0; i < chain.hops.size() && report->hops.size() < limits.max_header_fields; ++i) {
    const mail::ReceivedHop& h = chain.hops[i];
    Hop hop;
    hop.from_helo = Printable(h.helo, 255);
    hop.from_rdns = Printable(h.rdns, 255);
    hop.from_ip = Printable(h.ip, 64);
    hop.by = Printable(h.by, 255);
    hop.with = Printable(h.with, 100);
    hop.protocol = Printable(h.protocol, 32);
    hop.tls = Printable(h.tls, 200);
    hop.id = Printable(h.id, 200);
    hop.time = Printable(h.date, 100);
    hop.unix_time = h.unix_time;
    hop.delay_seconds = h.delay_seconds;
    hop.edge = delivered && chain.edge.found && chain.edge.hop_index == i;
    report->hops.push_back(std::move(hop));
  }
  if (delivered && chain.edge.found) {
    Edge& edge = report->edge;
    edge.found = true;
    edge.guessed = chain.edge.guessed;
    edge.hop = static_cast<int>(chain.edge.hop_index);
    edge.ip = Printable(chain.edge.ip, 64);
    edge.helo = Printable(chain.edge.helo, 255);
    edge.rdns = Printable(chain.edge.rdns, 255);
    edge.by = Printable(chain.edge.by, 255);
    for (const std::string& why : chain.edge.reasoning) edge.reasoning.push_back(Printable(why, 500));
    if (entities.sending_ip.empty()) entities.sending_ip = edge.ip;
    if (entities.helo.empty()) entities.helo = edge.helo;
  }

  mail::AuthFacts facts = mail::ReadAuthFacts(block, &ignored);
  mail::ApplyTrust(mail::TrustContextFor(chain, entities.recipient_domain), &facts);
  if (entities.envelope_sender_domain.empty()) entities.envelope_sender_domain = facts.return_path_domain;
  if (entities.header_from_domain.empty()) entities.header_from_domain = facts.from_domain;
  entities.list_unsubscribe = entities.list_unsubscribe || facts.list_unsubscribe;
  entities.one_click_unsubscribe = entities.one_click_unsubscribe || facts.one_click_unsubscribe;
  auto add_results = [&](const std::vector<mail::AuthenticationResults>& list, const char* header) {
    for (const mail::AuthenticationResults& field : list) {
      for (const mail::AuthMethodResult& r : field.results) {
        AuthResult result;
        result.method = Printable(r.method, 32);
        result.result = Printable(r.result, 32);
        std::string detail = r.reason.empty() ? "" : "reason: " + r.reason;
        for (const mail::AuthProperty& p : r.properties) {
          detail += (detail.empty() ? "" : "; ") + p.ptype + "." + p.property + "=" + p.value;
        }
        result.detail = Printable(detail, 500);
        result.authserv_id = Printable(field.authserv_id, 255);
        result.header = header;
        result.trusted = field.trusted;
        std::string_view domain = r.method == "dkim"  ? r.Property("header", "d")
                                  : r.method == "spf" ? r.Property("smtp", "mailfrom")
                                                      : r.Property("header", "from");
        // Some writers give only the signing identity (header.i=@domain).
        if (domain.empty() && r.method == "dkim") domain = r.Property("header", "i");
        result.domain = Printable(ToLower(mail::DomainOf(domain).empty() ? domain : mail::DomainOf(domain)), 255);
        report->auth_results.push_back(std::move(result));
      }
    }
  };
  add_results(facts.authentication_results, "Authentication-Results");
  add_results(facts.arc_authentication_results, "ARC-Authentication-Results");
  for (const mail::ReceivedSpf& spf : facts.received_spf) {
    AuthResult result;
    result.method = "spf";
    result.result = Printable(spf.result, 32);
    result.detail = Printable(spf.comment, 500);
    result.header = "Received-SPF";
    result.domain = Printable(ToLower(mail::DomainOf(spf.envelope_from)), 255);
    report->auth_results.push_back(std::move(result));
  }
  for (const mail::DkimSignature& signature : facts.dkim_signatures) {
    if (signature.domain.empty() || signature.selector.empty()) continue;
    DkimSelector selector{Printable(signature.domain, 255), Printable(ToLower(signature.selector), 255)};
    bool seen = false;
    for (const DkimSelector& d : entities.dkim) {
      seen = seen || (d.domain == selector.domain && d.selector == selector.selector);
    }
    if (!seen) entities.dkim.push_back(std::move(selector));
  }

  for (const mail::AntispamFinding& f : mail::DecodeAntispam(block, &ignored).findings) {
    report->header_findings.push_back({Printable(f.header, 100), Printable(f.field, 100),
                                       Printable(f.value, 300), Printable(f.meaning, 500)});
  }
}

std::string ActionFromSeverity(const std::string& severity) {
  if (severity == "permanent") return "failed";
  if (severity == "transient") return "delayed";
  return "";
}

}  // namespace

Diagnosis::Diagnosis(std::string_view input, const Options& options) : options_(options) {
  report_.input_bytes = input.size();
  if (input.size() > options_.limits.max_input_bytes) {
    input = input.substr(0, options_.limits.max_input_bytes);
    report_.warnings.push_back("input: " + std::to_string(report_.input_bytes) +
                               " bytes is more than the limit of " +
                               std::to_string(options_.limits.max_input_bytes) +
                               " bytes; only the first part was analysed");
  }
  input_.assign(input.data(), input.size());
  report_.analysed_bytes = input_.size();
  Analyse();
  StartChecks();
}

Diagnosis::~Diagnosis() = default;

void Diagnosis::Analyse() {
  const Knowledge& knowledge = Knowledge::Get();
  knowledge_ = &knowledge;
  if (!knowledge.load_status().ok()) {
    report_.warnings.push_back("knowledge: " + knowledge.load_status().ToString());
  }
  const SignatureMatcher& matcher = SignatureMatcher::Get();
  if (!matcher.status().ok()) report_.warnings.push_back(matcher.status().ToString());

  const Limits& limits = options_.limits;
  // The replies of the input as pasted. A bounce is searched again once it
  // is taken apart (its original blanked, encoded parts appended), which
  // nearly always changes its text; so the input itself is searched only
  // when its kind depends on its replies, or when the search may warn (a
  // cap reached), which only the input's search may do.
  std::vector<mail::SmtpReply> replies;
  bool input_searched = false;
  auto search_input = [&] {
    if (input_searched) return;
    replies = mail::FindSmtpReplies(input_, limits, &report_.warnings);
    input_searched = true;
  };
  if (mail::ReplySearchMayWarn(input_, limits)) search_input();
  InputSniff sniff = DetectInput(input_, [&](size_t* reply_count, size_t* reply_bytes) {
    search_input();
    *reply_count = replies.size();
    *reply_bytes = 0;
    for (const mail::SmtpReply& reply : replies) *reply_bytes += reply.end - reply.begin;
  });
  report_.input_kind = sniff.kind;

  PlaceholderValues& values = values_;
  auto apply = [&](std::string_view cause_id) {
    const Cause* cause = knowledge.FindCause(cause_id);
    if (cause == nullptr) cause = knowledge.FindCause("unknown");
    if (cause == nullptr) return;
    ApplyCause(knowledge, *cause, values, &report_);
    if (report_.verdict.severity.empty()) report_.verdict.severity = cause->severity;
  };

  if (sniff.kind == InputKind::kEmpty) {
    report_.warnings.push_back(
        "input: nothing to diagnose; paste a bounce message, an SMTP reply such as "
        "\"554 5.7.1 Delivery not authorized\", or the headers of a message");
    report_.verdict.basis = "none";
    report_.verdict.confidence = "low";
    report_.verdict.generic = true;
    apply("unknown");
    return;
  }
  if (sniff.kind == InputKind::kBinary) {
    report_.warnings.push_back("input: this is binary data, not mail text (" + sniff.reason +
                               "); paste the bounce as text, or drop the .eml file itself");
    report_.verdict.basis = "none";
    report_.verdict.confidence = "low";
    report_.verdict.generic = true;
    apply("unknown");
    return;
  }

  // A whole bounce: take it apart, so that the returned original does not
  // speak for the reason and encoded parts do.
  BounceParts bounce;
  bool dissected = sniff.kind != InputKind::kSmtpReply;
  if (dissected) {
    bounce = DissectBounce(input_, limits, &report_.warnings);
    // Search the analysis text when dissection changed it (blanked an
    // original or a subject, appended decoded parts), else the input.
    if (bounce.analysis != input_) {
      std::vector<std::string> ignored;  // only the input's search warns
      replies = mail::FindSmtpReplies(bounce.analysis, limits, &ignored);
    } else {
      search_input();
    }
  } else {
    search_input();
  }
  std::string_view analysis = dissected ? std::string_view(bounce.analysis) : std::string_view(input_);

  Classification classification;
  if (sniff.kind == InputKind::kHeaders && replies.empty()) {
    // A header block with no reply: either a filter's notice ("blocked by
    // our Spam Firewall") whose body says why, or the headers of a
    // delivered message, where the live checks say what receivers see
    // (causes.json "headers_only"). Only the body may speak: header words
    // (X-Spam-Status, subjects) are not reasons.
    std::vector<std::string> ignored;
    size_t body_begin = mail::ParseHeaders(input_, 0, limits, &ignored).body_begin;
    std::string body(analysis);
    for (size_t i = 0; i < body_begin && i < body.size(); ++i) {
      if (body[i] != '\n') body[i] = ' ';
    }
    Classification notice = Classify(matcher, body, replies, limits);
    if (notice.verdict.basis == "signature" && notice.verdict.confidence != "low") {
      classification = std::move(notice);
      report_.input_kind = InputKind::kBounce;
    } else {
      classification.verdict.cause_id = "headers_only";
      classification.verdict.basis = "none";
      classification.verdict.confidence = "low";
    }
  } else {
    classification = Classify(matcher, analysis, replies, limits);
  }
  // Special reports that are not failures, told by their structure.
  bool all_delivered = bounce.has_dsn && !bounce.dsn.recipients.empty();
  for (const mail::DsnRecipient& r : bounce.dsn.recipients) {
    if (r.action != "delivered" && r.action != "relayed" && r.action != "expanded") all_delivered = false;
  }
  auto structural = [&](const char* cause_id) {
    if (knowledge.FindCause(cause_id) == nullptr) return;
    classification.verdict.cause_id = cause_id;
    classification.verdict.basis = "structure";
    classification.verdict.confidence = "high";
    classification.verdict.generic = false;
  };
  if (bounce.report_type == "feedback-report") {
    structural("feedback_report");
  } else if (all_delivered) {
    structural("delivered");
  } else if (!bounce.has_dsn && StartsWithCaseless(bounce.auto_submitted, "auto-replied") &&
             classification.verdict.basis != "signature") {
    structural("auto_reply");
  }
  report_.verdict = std::move(classification.verdict);  // not read again
  // A provider's own mailer in the bounce's From (mailer-daemon@googlemail.com)
  // names who wrote it, above a phrase MTAs share ("Mail Delivery Subsystem"
  // is Sendmail's and Gmail's).
  if (dissected && bounce.mime) {
    if (const mail::HeaderField* from = bounce.headers.Find("From")) {
      size_t first = matcher.FindProviders(from->value).FirstProvider(
          [&](size_t p) { return knowledge.providers()[p].kind != "mta"; });
      if (first != ProviderHits::kNone) {
        const Provider& writer = knowledge.providers()[first];
        // The provider that refused wrote its own notice: no other writer.
        bool refused_itself = writer.id == report_.verdict.provider_id;
        report_.verdict.reporter_id = refused_itself ? "" : writer.id;
        report_.verdict.reporter_name = refused_itself ? "" : writer.name;
      }
    }
  }
  report_.evidence.reserve(report_.evidence.size() + classification.evidence.size());
  for (EvidenceSpan& span : classification.evidence) {  // moved out, not read again
    if (dissected) bounce.MapToInput(&span.begin, &span.end);
    if (span.begin >= span.end) continue;
    report_.evidence.push_back(std::move(span));
  }

  auto meanings_for = [&](int code, const std::string& enhanced) {
    std::vector<CodeMeaning> meanings;
    meanings.reserve(static_cast<size_t>(code != 0) + static_cast<size_t>(!enhanced.empty()));
    if (code != 0) meanings.push_back({std::to_string(code), knowledge.ReplyCodeMeaning(code), ""});
    if (!enhanced.empty()) {
      meanings.push_back({enhanced, knowledge.EnhancedCodeMeaning(enhanced),
                          knowledge.ProviderCodeMeaning(report_.verdict.provider_id, enhanced)});
    }
    return meanings;
  };

  // Recipients: the delivery-status part, when there is one, is the
  // authority; replies in the text add what it lacks.
  for (const mail::DsnRecipient& r : bounce.dsn.recipients) {
    if (report_.recipients.size() >= limits.max_recipients) break;
    Recipient recipient;
    std::string_view address = r.final_recipient.Address();
    if (address.empty()) address = r.original_recipient.Address();
    recipient.address = Printable(address, 254);
    recipient.action = Printable(r.action, 32);
    Result<mail::ParsedStatus> status = mail::ParseEnhancedStatus(Trim(r.status));
    if (status.ok()) recipient.enhanced_code = status->code.ToString();
    recipient.remote_mta = Printable(r.remote_mta.value, 255);
    std::vector<std::string> ignored;
    std::vector<mail::SmtpReply> own = mail::FindSmtpReplies(r.diagnostic_code.value, limits, &ignored);
    if (!own.empty()) {
      recipient.reply_code = own.front().code;
      if (recipient.enhanced_code.empty()) recipient.enhanced_code = own.front().enhanced.ToString();
      recipient.last_command = own.front().last_command;
    }
    recipient.diagnostic = Printable(own.empty() ? r.diagnostic_code.value : own.front().text, 2000);
    recipient.meanings = meanings_for(recipient.reply_code, recipient.enhanced_code);
    std::string own_cause = ClassifyReplyText(matcher, r.diagnostic_code.value);
    if (!own_cause.empty() && own_cause != report_.verdict.cause_id) recipient.cause_id = own_cause;
    report_.recipients.push_back(std::move(recipient));
  }
  const bool from_dsn = !report_.recipients.empty();

  // One recipient per distinct reply (an NDR often repeats the same reply
  // in its prose and in its DSN part).
  for (const mail::SmtpReply& reply : replies) {
    if (report_.recipients.size() >= limits.max_recipients) {
      report_.warnings.push_back("report: more than " + std::to_string(limits.max_recipients) +
                                 " recipients, the rest are not listed");
      break;
    }
    std::string diagnostic = Printable(reply.text, 2000);
    std::string enhanced = reply.enhanced.ToString();
    std::string address = Printable(reply.recipient, 254);
    bool duplicate = false;
    for (Recipient& existing : report_.recipients) {
      // Two addresses refused with the same words are still two recipients;
      // with a DSN, whose recipients are the authority, the same words
      // repeat one of them (and an address inside them may be the sender's).
      bool other_address = !from_dsn && !address.empty() && !existing.address.empty() &&
                           !EqualsCaseless(existing.address, address);
      bool same_reply = existing.diagnostic == diagnostic && existing.enhanced_code == enhanced &&
                        (existing.reply_code == reply.code || reply.code == 0) && !other_address;
      bool same_status_only = reply.code == 0 && reply.text.empty() &&
                              existing.enhanced_code == enhanced;
      bool same_address = !address.empty() && EqualsCaseless(existing.address, address);
      // "Status code: 550 5.1.10" above "Error: 550 5.1.10 RESOLVER...": the
      // bare codes and the full reply are one failure.
      bool bare_codes = !enhanced.empty() && existing.enhanced_code == enhanced &&
                        existing.reply_code == reply.code &&
                        (reply.text.empty() || existing.diagnostic.empty()) &&
                        (address.empty() || existing.address.empty() || same_address);
      // With a DSN, a reply without an address belongs to one of its recipients.
      bool unnamed_in_dsn = from_dsn && address.empty();
      if (same_reply || same_status_only || same_address || unnamed_in_dsn || bare_codes) {
        if (existing.address.empty() && !address.empty()) existing.address = std::move(address);
        if (existing.diagnostic.empty() && !diagnostic.empty()) {
          existing.diagnostic = std::move(diagnostic);
          std::string cause = ClassifyReplyText(matcher, reply.text);
          if (!cause.empty() && cause != report_.verdict.cause_id) existing.cause_id = cause;
        }
        if (existing.remote_mta.empty()) existing.remote_mta = Printable(reply.host, 255);
        if (existing.last_command.empty()) existing.last_command = reply.last_command;
        if (existing.reply_code == 0 && reply.code != 0 && (same_reply || same_address)) {
          existing.reply_code = reply.code;
          existing.meanings = meanings_for(existing.reply_code, existing.enhanced_code);
        }
        duplicate = true;
        break;
      }
    }
    if (duplicate) continue;
    Recipient recipient;
    recipient.address = std::move(address);
    recipient.reply_code = reply.code;
    recipient.enhanced_code = enhanced;
    recipient.remote_mta = Printable(reply.host, 255);
    recipient.diagnostic = std::move(diagnostic);
    recipient.last_command = reply.last_command;
    recipient.action = ActionFromSeverity(SeverityFromCodes(reply.code, reply.enhanced));
    if (reply.code / 100 == 2 || reply.enhanced.class_digit == 2) recipient.action = "delivered";
    // A 4xx reply in a bounce that gave up was the last attempt of many.
    if (bounce.gave_up && recipient.action == "delayed") recipient.action = "failed";
    recipient.meanings = meanings_for(reply.code, enhanced);
    if (reply.code != 0 && reply.enhanced.present() &&
        reply.code / 100 != reply.enhanced.class_digit) {
      report_.warnings.push_back("smtp reply: enhanced code " + enhanced +
                                 " disagrees with reply code " + std::to_string(reply.code) +
                                 "; the enhanced code decides whether to retry");
    }
    std::string own_cause = ClassifyReplyText(matcher, reply.text);
    if (!own_cause.empty() && own_cause != report_.verdict.cause_id) recipient.cause_id = own_cause;
    report_.recipients.push_back(std::move(recipient));
  }
  // Addresses the bounce's headers list as failed but the text gave no
  // reply for: name an unnamed recipient, or add them.
  for (const std::string& raw : bounce.failed_recipients) {
    if (report_.recipients.size() >= limits.max_recipients) break;
    std::string address = Printable(raw, 254);
    bool known = false;
    for (const Recipient& recipient : report_.recipients) {
      known = known || EqualsCaseless(recipient.address, address);
    }
    if (known) continue;
    bool named = false;
    for (Recipient& recipient : report_.recipients) {
      if (recipient.address.empty()) {
        recipient.address = std::move(address);
        named = true;
        break;
      }
    }
    if (named) continue;
    Recipient recipient;
    recipient.address = std::move(address);
    recipient.action = "failed";
    report_.recipients.push_back(std::move(recipient));
  }
  // A notice that quotes no reply for an address (a sending service's
  // activity view or API error, a filter's notice, an NDR copied from a mail
  // client) names the recipient in words: "To:", "Recipient Address:",
  // "Your message to:", "收件人：".
  bool any_address = false;
  for (const Recipient& recipient : report_.recipients) {
    any_address = any_address || !recipient.address.empty();
  }
  const Cause* verdict_cause = knowledge.FindCause(report_.verdict.cause_id);
  if (!any_address && verdict_cause != nullptr && report_.verdict.basis != "none" &&
      verdict_cause->severity != "not_a_failure") {
    std::vector<std::string> ignored;
    mail::HeaderBlock top = mail::ParseHeaders(input_, 0, limits, &ignored);
    // The bounce's own header block is addressed to the sender. (A JSON
    // event can parse as a "header block" too; it has no such fields.)
    bool mail_headers = top.Find("From") != nullptr || top.Find("To") != nullptr ||
                        top.Find("Subject") != nullptr;
    size_t from = mail_headers ? top.body_begin : 0;
    std::vector<std::string> labelled = mail::FindLabelledRecipients(analysis, from, limits);
    if (!report_.recipients.empty()) {
      // Replies without an address: name them in order.
      size_t next = 0;
      for (Recipient& recipient : report_.recipients) {
        if (next < labelled.size()) recipient.address = Printable(labelled[next++], 254);
      }
    } else {
      for (const std::string& raw : labelled) {
        if (report_.recipients.size() >= limits.max_recipients) break;
        Recipient recipient;
        recipient.address = Printable(raw, 254);
        recipient.action = verdict_cause->severity == "transient" ? "delayed" : "failed";
        report_.recipients.push_back(std::move(recipient));
      }
    }
  }
  if (report_.verdict.rejecting_host.empty()) {
    for (const Recipient& recipient : report_.recipients) {
      if (!recipient.remote_mta.empty()) {
        report_.verdict.rejecting_host = recipient.remote_mta;
        break;
      }
    }
  }
  if (report_.verdict.rejecting_host.empty()) {
    report_.verdict.rejecting_host = Printable(bounce.ndr_rejecting_host, 255);
  }
  // The rejecting host's name can tell who rejected when the words did not.
  if (report_.verdict.provider_id.empty() && !report_.verdict.rejecting_host.empty()) {
    size_t first = matcher.FindProviders(report_.verdict.rejecting_host).FirstProvider(
        [&](size_t p) { return knowledge.providers()[p].kind != "mta"; });
    if (first != ProviderHits::kNone) {
      const Provider& provider = knowledge.providers()[first];
      report_.verdict.provider_id = provider.id;
      report_.verdict.provider_name = provider.name;
      if (report_.verdict.reporter_id == provider.id) report_.verdict.reporter_id.clear();
    }
  }

  // Entities the reply names.
  Entities& entities = report_.entities;
  auto capture = [&](const char* name) -> std::string_view {
    auto it = classification.captures.find(name);
    return it == classification.captures.end() ? std::string_view() : std::string_view(it->second);
  };
  std::string_view deciding_text;
  if (classification.reply_index >= 0) {
    deciding_text = replies[static_cast<size_t>(classification.reply_index)].text;
  }
  std::string ip(capture("ip"));
  if (ip.empty()) ip = FindIpv4(deciding_text);
  if (ip.empty()) ip = FindBracketedIpv6(deciding_text);
  entities.sending_ip = Printable(ip, 64);
  entities.blocklist_zone = Printable(ToLower(capture("zone")), 255);
  for (const Recipient& recipient : report_.recipients) {
    if (!recipient.address.empty()) {
      entities.recipient_domain = ToLower(mail::DomainOf(recipient.address));
      break;
    }
  }
  if (report_.verdict.rejecting_host.empty()) {
    report_.verdict.rejecting_host = Printable(capture("host"), 255);
  }
  // The sender, from the returned original (a bounce) or the pasted headers.
  std::string_view header_text;
  if (bounce.original.present) header_text = bounce.original.headers;
  if (report_.input_kind == InputKind::kHeaders) header_text = input_;
  if (!header_text.empty()) {
    ReadHeaders(header_text, report_.input_kind == InputKind::kHeaders, limits, &report_);
  }
  if (bounce.original.present) {  // moved out, not read again
    report_.original = std::move(static_cast<OriginalMessage&>(bounce.original));
  }
  report_.verdict.rejecting_host = Printable(report_.verdict.rejecting_host, 255);

  // Severity: the codes decide for failures; "not a failure" causes keep theirs.
  const Cause* cause = knowledge.FindCause(report_.verdict.cause_id);
  bool dsn_failed = false;
  for (const mail::DsnRecipient& r : bounce.dsn.recipients) dsn_failed = dsn_failed || r.action == "failed";
  if (cause != nullptr && cause->severity != "not_a_failure" && (dsn_failed || bounce.gave_up)) {
    // The message came back: whatever the codes, it will not be retried.
    report_.verdict.severity = "permanent";
  } else if (cause != nullptr && cause->severity != "not_a_failure") {
    if (classification.reply_index >= 0) {
      const mail::SmtpReply& r = replies[static_cast<size_t>(classification.reply_index)];
      report_.verdict.severity = SeverityFromCodes(r.code, r.enhanced);
    } else {
      for (const Recipient& recipient : report_.recipients) {
        Result<mail::ParsedStatus> status = mail::ParseEnhancedStatus(recipient.enhanced_code);
        std::string severity = SeverityFromCodes(recipient.reply_code,
                                                 status.ok() ? status->code : mail::EnhancedStatus());
        if (!severity.empty()) {
          report_.verdict.severity = severity;
          break;
        }
      }
    }
  }

  // Placeholders, then the cause's words.
  const Provider* provider = knowledge.FindProvider(report_.verdict.provider_id);
  values.Set("ip", entities.sending_ip);
  values.Set("zone", entities.blocklist_zone);
  values.Set("rejecting_host", report_.verdict.rejecting_host);
  values.Set("recipient_domain", entities.recipient_domain);
  values.Set("code", Printable(capture("code"), 64));
  values.Set("domain", Printable(capture("domain"), 255));
  if (!report_.recipients.empty()) values.Set("recipient", report_.recipients.front().address);
  values.Set("helo", entities.helo);
  values.Set("sender_domain", entities.envelope_sender_domain.empty() ? entities.header_from_domain
                                                                      : entities.envelope_sender_domain);
  if (const Blocklist* list = knowledge.FindBlocklist(entities.blocklist_zone)) {
    values.Set("blocklist_lookup", list->lookup_url);
    values.Set("blocklist_delist", list->delist_url);
  }
  if (provider != nullptr) {
    values.Set("provider", provider->name);
    values.Set("provider_postmaster", provider->postmaster);
    values.Set("provider_delist", provider->delist);
  }
  apply(report_.verdict.cause_id);

  // Where to look things up: the provider's pages and the named blocklist's.
  auto add_link = [&](std::string label, const std::string& url) {
    if (url.empty()) return;
    for (const Link& existing : report_.links) {
      if (existing.url == url) return;
    }
    report_.links.push_back({std::move(label), FillPlaceholders(knowledge, url, values)});
  };
  if (provider != nullptr) {
    for (const KnowledgeLink& link : provider->links) add_link(link.label, link.url);
  }
  if (const Blocklist* list = knowledge.FindBlocklist(entities.blocklist_zone)) {
    add_link(list->name + ": look up an address", list->lookup_url);
    add_link(list->name + ": removal", list->delist_url);
  }
  for (auto it = report_.links.begin(); it != report_.links.end();) {
    it = it->url.find('{') != std::string::npos ? report_.links.erase(it) : it + 1;
  }

  if (replies.empty() && report_.verdict.basis == "none" && sniff.kind != InputKind::kHeaders) {
    report_.warnings.push_back(
        "input: no SMTP reply code and no known bounce wording found; paste the whole "
        "bounce message, or the line with the three-digit code such as 550 or 554");
  }
}

// The engine as its checks see it: asks questions on their behalf.
class Diagnosis::Sink : public LookupSink {
 public:
  explicit Sink(Diagnosis* diagnosis) : diagnosis_(diagnosis) {}

  void Lookup(CheckMachine* check, std::string_view name, uint16_t type) override {
    Diagnosis& d = *diagnosis_;
    Waiter waiter;
    waiter.check = check;
    std::string normal = ToLower(name);
    while (!normal.empty() && normal.back() == '.') normal.pop_back();
    waiter.key.name = normal;
    waiter.key.type = type;
    auto key = std::make_pair(normal, type);
    auto known = d.by_key_.find(key);
    if (known != d.by_key_.end()) {
      QuestionId id = known->second;
      if (d.results_.count(id) > 0) {
        d.ready_.push_back({waiter, id});
      } else {
        d.waiters_[id].push_back(waiter);
      }
      return;
    }
    QuestionId id = d.next_id_++;
    d.by_key_[key] = id;
    if (d.asked_.size() >= d.options_.limits.max_dns_questions) {
      // Over the cap: answer at once with a failure the check can report.
      ++d.refused_questions_;
      LookupResult result;
      result.failure = FailureKind::kCancelled;
      result.error = "more than " + std::to_string(d.options_.limits.max_dns_questions) +
                     " DNS questions in one diagnosis";
      d.results_[id] = result;
      d.ready_.push_back({waiter, id});
      return;
    }
    Result<std::string> wire = dns::BuildQuery(normal, type);
    if (!wire.ok()) {
      LookupResult result;
      result.failure = FailureKind::kBadResponse;
      result.error = "cannot ask about " + Printable(normal, 80) + ": " + wire.status().message();
      d.results_[id] = result;
      d.ready_.push_back({waiter, id});
      return;
    }
    Question question;
    question.id = id;
    question.name = normal;
    question.type = type;
    question.wire = std::move(wire).value();
    question.depth = d.current_depth_ + 1;
    if (question.depth > d.max_depth_) d.max_depth_ = question.depth;
    d.asked_[id] = std::move(question);
    d.waiters_[id].push_back(waiter);
    d.unsent_.push_back(id);
  }

 private:
  Diagnosis* diagnosis_;
};

void Diagnosis::StartChecks() {
  // Without checks nothing refines the report, so the offline reading that
  // Refine() starts again from is kept only when there will be checks.
  if (!options_.dns_checks) return;
  offline_verdict_ = report_.verdict;
  offline_explanation_ = report_.explanation;
  offline_fix_ = report_.fix;
  offline_links_ = report_.links;
  sink_ = std::make_unique<Sink>(this);
  checks_ = MakeChecks(report_, *knowledge_, options_);
  for (auto& check : checks_) check->Start(*sink_);
  Pump();
}

void Diagnosis::Pump() {
  // Results delivered here may ask new questions, some already answered;
  // those land in ready_ again. Every delivery consumes one entry and each
  // question is asked once, so this ends.
  while (!ready_.empty()) {
    std::vector<Delivery> batch;
    batch.swap(ready_);
    for (const Delivery& delivery : batch) {
      auto result = results_.find(delivery.id);
      if (result == results_.end()) continue;
      auto asked = asked_.find(delivery.id);
      current_depth_ = asked == asked_.end() ? 0 : asked->second.depth;
      delivery.waiter.check->OnLookup(delivery.waiter.key, result->second, *sink_);
      current_depth_ = 0;
    }
  }
  Refine();
}

void Diagnosis::Deliver(QuestionId id, LookupResult result) {
  results_[id] = std::move(result);
  auto waiting = waiters_.find(id);
  if (waiting != waiters_.end()) {
    for (const Waiter& waiter : waiting->second) ready_.push_back({waiter, id});
    waiters_.erase(waiting);
  }
  Pump();
}

std::vector<Question> Diagnosis::TakeQuestions() {
  std::vector<Question> out;
  out.reserve(unsent_.size());
  for (QuestionId id : unsent_) {
    auto it = asked_.find(id);
    if (it == asked_.end()) continue;
    outstanding_[id] = true;
    out.push_back(it->second);
  }
  unsent_.clear();
  return out;
}

void Diagnosis::OnAnswer(QuestionId id, std::string_view wire) {
  auto it = outstanding_.find(id);
  if (it == outstanding_.end()) {
    report_.warnings.push_back("dns: answer for unknown question " + std::to_string(id) +
                               " ignored");
    return;
  }
  outstanding_.erase(it);
  const Question& question = asked_[id];
  std::string subject = std::string("dns: ") + dns::RrTypeName(question.type) + " " +
                        Printable(question.name, 120);
  LookupResult result;
  Result<dns::Message> message = dns::ParseMessage(wire, options_.limits);
  if (!message.ok()) {
    result.failure = FailureKind::kBadResponse;
    result.error = "malformed answer: " + message.status().message();
    report_.warnings.push_back(subject + ": " + result.error);
    Deliver(id, std::move(result));
    return;
  }
  Status valid = dns::ValidateResponse(*message, question.name, question.type);
  if (!valid.ok()) {
    result.failure = FailureKind::kBadResponse;
    result.error = "answer does not match the question: " + valid.message();
    report_.warnings.push_back(subject + ": " + result.error);
    Deliver(id, std::move(result));
    return;
  }
  result.answered = true;
  result.answers = dns::ExtractAnswers(*message, question.name, question.type,
                                       options_.limits.max_cname_chain);
  if (result.answers.truncated) {
    report_.warnings.push_back(subject + ": answer truncated, records may be missing");
  }
  Deliver(id, std::move(result));
}

void Diagnosis::OnFailure(QuestionId id, FailureKind kind, std::string_view detail) {
  auto it = outstanding_.find(id);
  if (it == outstanding_.end()) {
    report_.warnings.push_back("dns: failure for unknown question " + std::to_string(id) +
                               " ignored");
    return;
  }
  outstanding_.erase(it);
  LookupResult result;
  result.failure = kind;
  result.error = Printable(detail, 200);
  Deliver(id, std::move(result));
}

bool Diagnosis::finished() const { return unsent_.empty() && outstanding_.empty(); }

void Diagnosis::Refine() {
  report_.checks.clear();
  for (const auto& check : checks_) {
    for (const Check& entry : check->checks()) report_.checks.push_back(entry);
  }
  // What DNS found fills placeholders the bounce could not: the PTR name.
  for (const Check& check : report_.checks) {
    if (check.id == "ptr" && !check.records.empty() && check.records.front().type == "PTR") {
      values_.Set("ptr", check.records.front().data);
    }
  }
  // Start again from the offline reading, then let DNS refine it.
  report_.verdict = offline_verdict_;
  report_.explanation = offline_explanation_;
  report_.fix = offline_fix_;
  report_.links = offline_links_;
  const Knowledge& knowledge = *knowledge_;
  // The recipient's MX names who filtered when the bounce did not.
  for (const auto& check : checks_) {
    const Provider* provider = check->recipient_provider();
    if (provider != nullptr && report_.verdict.provider_id.empty()) {
      report_.verdict.provider_id = provider->id;
      report_.verdict.provider_name = provider->name;
    }
  }
  for (std::string& note : FindContradictions(report_)) report_.verdict.conflicts.push_back(note);
  const Cause* offline = knowledge.FindCause(offline_verdict_.cause_id);
  if (offline == nullptr) return;
  Refinement refinement = FindRefinement(*offline, report_.checks);
  const Cause* refined = knowledge.FindCause(refinement.cause_id);
  if (refined == nullptr || refined == offline) return;
  std::string severity = report_.verdict.severity;
  ApplyCause(knowledge, *refined, values_, &report_);
  report_.verdict.severity = severity.empty() ? refined->severity : severity;
  report_.verdict.basis = "dns";
  report_.verdict.generic = false;
  report_.verdict.confidence = refinement.from_warning ? "medium" : "high";
  report_.verdict.alternatives.insert(
      report_.verdict.alternatives.begin(),
      offline->id + ": the reading of the bounce text alone, refined by the " +
          refinement.check->id + " check: " + refinement.check->summary);
}

}  // namespace bouncedx
