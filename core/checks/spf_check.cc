// SPDX-License-Identifier: MIT
#include "core/checks/spf_check.h"

#include "core/base/text.h"
#include "core/dns/types.h"

namespace bouncedx {

namespace {

uint16_t ToRrType(spf::LookupType type) {
  switch (type) {
    case spf::LookupType::kTxt: return dns::RrType::kTxt;
    case spf::LookupType::kA: return dns::RrType::kA;
    case spf::LookupType::kAaaa: return dns::RrType::kAaaa;
    case spf::LookupType::kMx: return dns::RrType::kMx;
    case spf::LookupType::kPtr: return dns::RrType::kPtr;
  }
  return dns::RrType::kTxt;
}

bool FromRrType(uint16_t type, spf::LookupType* out) {
  switch (type) {
    case dns::RrType::kTxt: *out = spf::LookupType::kTxt; return true;
    case dns::RrType::kA: *out = spf::LookupType::kA; return true;
    case dns::RrType::kAaaa: *out = spf::LookupType::kAaaa; return true;
    case dns::RrType::kMx: *out = spf::LookupType::kMx; return true;
    case dns::RrType::kPtr: *out = spf::LookupType::kPtr; return true;
    default: return false;
  }
}

spf::DnsLookup ToSpfLookup(uint16_t type, const LookupResult& result) {
  spf::DnsLookup out;
  if (!result.answered) {
    out.outcome = result.failure == FailureKind::kTimeout ? spf::DnsOutcome::kTimeout
                                                          : spf::DnsOutcome::kError;
    return out;
  }
  switch (result.answers.kind) {
    case dns::AnswerKind::kAnswer:
    case dns::AnswerKind::kNoData:
      out.outcome = spf::DnsOutcome::kOk;
      break;
    case dns::AnswerKind::kNxDomain:
      out.outcome = spf::DnsOutcome::kNxDomain;
      return out;
    default:
      out.outcome = spf::DnsOutcome::kError;
      return out;
  }
  for (const dns::ResourceRecord& record : result.answers.records) {
    if (record.type != type) continue;
    if (type == dns::RrType::kTxt) {
      out.records.push_back(record.text);
    } else if (type == dns::RrType::kA || type == dns::RrType::kAaaa) {
      out.records.push_back(record.address);
    } else {
      out.records.push_back(record.target);
    }
  }
  return out;
}

const char* ViaWord(spf::SpfVia via) {
  switch (via) {
    case spf::SpfVia::kTop: return "";
    case spf::SpfVia::kInclude: return "include:";
    case spf::SpfVia::kRedirect: return "redirect=";
  }
  return "";
}

}  // namespace

SpfCheck::SpfCheck(std::string ip, std::string domain, std::string sender, std::string helo,
                   const Limits& limits, int64_t now_unix)
    : ip_(ip), domain_(ToLower(domain)),
      evaluator_(spf::SpfInput{ip, ToLower(domain),
                               sender.empty() ? "postmaster@" + ToLower(domain) : sender, helo,
                               "", now_unix, ""},
                 limits) {
  checks_.resize(1);
  checks_[0].id = "spf";
  checks_[0].subject = Printable(domain_, 255) + " for " + Printable(ip_, 64);
  checks_[0].summary = "evaluating the SPF record of " + Printable(domain_, 255);
}

void SpfCheck::Start(LookupSink& sink) { AskWhatIsNeeded(sink); }

void SpfCheck::AskWhatIsNeeded(LookupSink& sink) {
  for (const spf::SpfLookup& lookup : evaluator_.TakeLookups()) {
    sink.Lookup(this, lookup.name, ToRrType(lookup.type));
  }
  if (evaluator_.finished()) Settle();
}

void SpfCheck::OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) {
  if (evaluator_.finished()) return;
  spf::LookupType type;
  if (!FromRrType(key.type, &type)) return;
  evaluator_.OnLookup(spf::SpfLookup{key.name, type}, ToSpfLookup(key.type, result));
  AskWhatIsNeeded(sink);
}

void SpfCheck::Settle() {
  Check& check = checks_[0];
  const spf::SpfOutcome& outcome = evaluator_.outcome();
  std::string result = spf::SpfResultName(outcome.result);
  std::string domain = Printable(domain_, 255);
  std::string ip = Printable(ip_, 64);
  std::string mechanism = Printable(outcome.mechanism, 200);
  std::string decided = mechanism.empty() ? "" : " (decided by " + mechanism + ")";
  switch (outcome.result) {
    case spf::SpfResult::kPass:
      check.state = CheckState::kPass;
      check.summary = "SPF passes: " + domain + " authorises " + ip + decided;
      break;
    case spf::SpfResult::kFail:
      check.state = CheckState::kFail;
      check.cause_id = "spf_fail";
      check.summary = "SPF fails: " + domain + " does not authorise " + ip + decided;
      break;
    case spf::SpfResult::kSoftFail:
      check.state = CheckState::kWarn;
      check.cause_id = "spf_fail";
      check.summary = "SPF softfails: " + domain + " does not quite authorise " + ip + decided;
      break;
    case spf::SpfResult::kNeutral:
      check.state = CheckState::kWarn;
      check.summary = "SPF is neutral: " + domain + " says nothing about " + ip + decided;
      break;
    case spf::SpfResult::kNone:
      check.state = CheckState::kWarn;
      check.cause_id = "spf_fail";
      check.summary = domain + " publishes no SPF record" +
                      (outcome.reason.empty() ? "" : " (" + Printable(outcome.reason, 200) + ")");
      break;
    case spf::SpfResult::kTempError:
      check.state = CheckState::kError;
      check.summary = "SPF could not be evaluated (temperror)" +
                      (outcome.reason.empty() ? "" : ": " + Printable(outcome.reason, 200));
      break;
    case spf::SpfResult::kPermError:
      check.state = CheckState::kFail;
      check.cause_id = "spf_fail";
      check.summary = "the SPF record of " + domain + " is broken (permerror)" +
                      (outcome.reason.empty() ? "" : ": " + Printable(outcome.reason, 200));
      break;
  }
  check.details.clear();
  for (const spf::SpfNode& node : outcome.nodes) {
    std::string line(static_cast<size_t>(node.depth) * 2, ' ');
    line += std::string(ViaWord(node.via)) + Printable(node.domain, 255) + ": " +
            spf::SpfResultName(node.result);
    if (!node.mechanism.empty()) line += " at " + Printable(node.mechanism, 200);
    if (!node.record.empty()) line += " [" + Printable(node.record, 500) + "]";
    check.details.push_back(line);
  }
  if (!outcome.explanation.empty()) {
    check.details.push_back("explanation published by the domain: " +
                            Printable(outcome.explanation, 300));
  }
  check.details.push_back(std::to_string(outcome.dns_mechanisms) + " of 10 DNS-querying terms, " +
                          std::to_string(outcome.void_lookups) + " of 2 void lookups");
  (void)result;
}

}  // namespace bouncedx
