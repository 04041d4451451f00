// SPDX-License-Identifier: MIT
#include "core/checks/dmarc.h"

#include <utility>

#include "core/base/byte_reader.h"
#include "core/base/text.h"
#include "core/checks/psl.h"
#include "core/dns/name.h"
#include "core/dns/types.h"

namespace bouncedx {
namespace {

// Bytes of a tag value quoted back in a warning.
constexpr size_t kQuoteBytes = 60;
// Bytes of a domain shown in a summary.
constexpr size_t kDomainBytes = 255;

std::string Quote(std::string_view text) { return Printable(text, kQuoteBytes); }

bool IsWsp(char c) { return IsSpace(c); }

bool ParsePolicy(std::string_view value, DmarcPolicy* out) {
  if (EqualsCaseless(value, "none")) *out = DmarcPolicy::kNone;
  else if (EqualsCaseless(value, "quarantine")) *out = DmarcPolicy::kQuarantine;
  else if (EqualsCaseless(value, "reject")) *out = DmarcPolicy::kReject;
  else return false;
  return true;
}

bool ParseAlignment(std::string_view value, DmarcAlignment* out) {
  if (EqualsCaseless(value, "r")) *out = DmarcAlignment::kRelaxed;
  else if (EqualsCaseless(value, "s")) *out = DmarcAlignment::kStrict;
  else return false;
  return true;
}

// RFC 3986 §3.1 scheme, ":", then something without white space. The
// DMARC size suffix ("!10m") is kept as part of the URI.
bool IsValidReportUri(std::string_view uri) {
  ByteReader reader(uri);
  char first = 0;
  if (!reader.Peek(&first) || !IsAlpha(first)) return false;
  reader.ReadWhile([](char c) { return IsAlnum(c) || c == '+' || c == '-' || c == '.'; });
  if (!reader.Consume(':') || reader.AtEnd()) return false;
  std::string_view rest = reader.Rest();
  for (char c : rest) {
    if (IsSpace(c) || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

void ParseUris(std::string_view tag, std::string_view value, std::vector<std::string>* out,
               std::vector<std::string>* warnings) {
  ByteReader reader(value);
  while (true) {
    std::string_view uri = Trim(reader.ReadWhile([](char c) { return c != ','; }));
    if (IsValidReportUri(uri)) {
      out->emplace_back(uri);
    } else {
      warnings->push_back("dmarc: " + std::string(tag) + "= address \"" + Quote(uri) +
                          "\" is not a URI; ignored");
    }
    if (!reader.Consume(',')) break;
  }
}

// Colon-separated words, each accepted by `valid`.
template <typename Pred>
bool ValidColonList(std::string_view value, Pred valid) {
  ByteReader reader(value);
  while (true) {
    std::string_view word = Trim(reader.ReadWhile([](char c) { return c != ':'; }));
    if (word.empty() || !valid(word)) return false;
    if (!reader.Consume(':')) return true;
  }
}

bool ParseInterval(std::string_view value, uint32_t* out) {
  if (value.empty() || value.size() > 10) return false;
  uint64_t total = 0;
  for (char c : value) {
    if (!IsDigit(c)) return false;
    total = total * 10 + static_cast<uint64_t>(c - '0');
  }
  if (total > UINT32_MAX) return false;
  *out = static_cast<uint32_t>(total);
  return true;
}

// The name in ASCII (Unicode labels as punycode), lower-cased, without a
// trailing dot, or "" when not a valid name.
std::string NormalizeDomain(std::string_view domain) {
  std::string lower = DomainToAscii(Trim(domain));
  if (!lower.empty() && lower.back() == '.') lower.pop_back();
  // The root (".", "..") is a valid DNS name but no mail domain.
  if (lower.empty() || lower.front() == '.' || !dns::IsValidName(lower)) return "";
  return lower;
}

bool IsPass(const std::string& result) { return EqualsCaseless(Trim(result), "pass"); }

std::string ResultWord(const std::string& result) {
  return result.empty() ? "result unknown" : Printable(ToLower(Trim(result)), 40);
}

}  // namespace

const char* DmarcPolicyName(DmarcPolicy policy) {
  switch (policy) {
    case DmarcPolicy::kNone: return "none";
    case DmarcPolicy::kQuarantine: return "quarantine";
    case DmarcPolicy::kReject: return "reject";
  }
  return "none";
}

const char* DmarcAlignmentName(DmarcAlignment alignment) {
  return alignment == DmarcAlignment::kStrict ? "strict" : "relaxed";
}

bool IsDmarcRecord(std::string_view text) {
  ByteReader reader(text);
  reader.ReadWhile(IsWsp);
  if (!reader.ConsumeCaseless("v")) return false;
  reader.ReadWhile(IsWsp);
  if (!reader.Consume('=')) return false;
  reader.ReadWhile(IsWsp);
  if (reader.Rest().substr(0, 6) != "DMARC1") return false;
  reader.Skip(6);
  reader.ReadWhile(IsWsp);
  return reader.AtEnd() || reader.PeekIs(';');
}

Result<DmarcRecord> ParseDmarcRecord(std::string_view text) {
  if (!IsDmarcRecord(text)) {
    return Status(StatusCode::kMalformed,
                  "dmarc: the record does not start with v=DMARC1: \"" + Quote(text) + "\"");
  }
  DmarcRecord record;
  std::vector<std::string> seen;
  std::string bad_policy;     // "p=rejected", "" when p= was valid
  bool has_policy = false;
  std::string bad_subdomain;  // "sp=..." when sp= was invalid
  ByteReader reader(text);
  bool first = true;
  while (true) {
    std::string_view part = Trim(reader.ReadWhile([](char c) { return c != ';'; }));
    const bool more = reader.Consume(';');
    if (first) {
      first = false;  // the version tag, checked above
    } else if (!part.empty()) {
      const size_t equals = part.find('=');
      std::string_view raw_name = Trim(part.substr(0, equals));
      bool name_ok = equals != std::string_view::npos && !raw_name.empty();
      for (char c : raw_name) name_ok = name_ok && (IsAlnum(c) || c == '_');
      if (!name_ok) {
        record.warnings.push_back("dmarc: \"" + Quote(part) + "\" is not a tag=value pair; ignored");
      } else {
        const std::string name = ToLower(raw_name);
        const std::string_view value = Trim(part.substr(equals + 1));
        bool duplicate = false;
        for (const std::string& earlier : seen) duplicate = duplicate || earlier == name;
        if (duplicate) {
          record.warnings.push_back("dmarc: " + Quote(name) + "= appears twice; the first value applies");
        } else {
          seen.push_back(name);
          const std::string shown = Quote(name) + "=" + Quote(value);
          if (name == "p") {
            has_policy = ParsePolicy(value, &record.policy);
            if (!has_policy) bad_policy = shown;
          } else if (name == "sp") {
            record.has_subdomain_policy = ParsePolicy(value, &record.subdomain_policy);
            if (!record.has_subdomain_policy) bad_subdomain = shown;
          } else if (name == "np") {
            record.has_nonexistent_policy = ParsePolicy(value, &record.nonexistent_policy);
            if (!record.has_nonexistent_policy) {
              record.warnings.push_back("dmarc: " + shown +
                                        " is not none, quarantine or reject; ignored");
            }
          } else if (name == "adkim" || name == "aspf") {
            DmarcAlignment* target =
                name == "adkim" ? &record.dkim_alignment : &record.spf_alignment;
            if (!ParseAlignment(value, target)) {
              record.warnings.push_back("dmarc: " + shown + " is not r or s; relaxed applies");
            }
          } else if (name == "pct") {
            int percent = 0;
            ByteReader number(value);
            if (number.ReadNumber(3, &percent) && number.AtEnd() && percent <= 100) {
              record.percent = percent;
            } else {
              record.warnings.push_back("dmarc: " + shown + " is not 0..100; 100 applies");
            }
          } else if (name == "rua") {
            ParseUris("rua", value, &record.aggregate_uris, &record.warnings);
          } else if (name == "ruf") {
            ParseUris("ruf", value, &record.failure_uris, &record.warnings);
          } else if (name == "fo") {
            if (ValidColonList(value, [](std::string_view w) {
                  return w == "0" || w == "1" || EqualsCaseless(w, "d") || EqualsCaseless(w, "s");
                })) {
              record.failure_options = ToLower(value);
            } else {
              record.warnings.push_back("dmarc: " + shown + " is not a list of 0, 1, d, s; 0 applies");
            }
          } else if (name == "rf") {
            if (ValidColonList(value, [](std::string_view w) {
                  for (char c : w) if (!IsAlnum(c) && c != '-') return false;
                  return true;
                })) {
              record.report_format = ToLower(value);
            } else {
              record.warnings.push_back("dmarc: " + shown + " is not a list of formats; afrf applies");
            }
          } else if (name == "ri") {
            if (!ParseInterval(value, &record.report_interval)) {
              record.warnings.push_back("dmarc: " + shown + " is not a number of seconds; 86400 applies");
            }
          } else if (name == "v") {
            record.warnings.push_back("dmarc: v= appears twice; the first value applies");
          } else {
            record.unknown_tags.push_back(Quote(name));
          }
        }
      }
    }
    if (!more) break;
  }

  // RFC 7489 §6.6.3 step 6: a missing or invalid p=, or an invalid sp=,
  // leaves a record that counts as p=none only when it has a rua= address.
  if (!has_policy || !bad_subdomain.empty()) {
    std::string what = !bad_subdomain.empty()
                           ? bad_subdomain + " is not none, quarantine or reject"
                       : bad_policy.empty() ? std::string("the record has no p= tag")
                                            : bad_policy + " is not none, quarantine or reject";
    if (record.aggregate_uris.empty()) {
      return Status(StatusCode::kMalformed,
                    "dmarc: " + what + ", and without a valid rua= address receivers ignore "
                    "the record");
    }
    record.warnings.push_back("dmarc: " + what + "; receivers treat the record as p=none "
                              "because it has a rua= address");
    record.policy = DmarcPolicy::kNone;
    record.policy_from_rua = true;
    record.has_subdomain_policy = false;
    record.subdomain_policy = DmarcPolicy::kNone;
  }
  return record;
}

bool IsAligned(std::string_view from, std::string_view identifier, DmarcAlignment mode) {
  const std::string a = NormalizeDomain(from);
  const std::string b = NormalizeDomain(identifier);
  if (a.empty() || b.empty()) return false;
  if (mode == DmarcAlignment::kStrict) return a == b;
  const std::string org_a = OrganizationalDomain(a);
  return !org_a.empty() && org_a == OrganizationalDomain(b);
}

DmarcCheck::DmarcCheck(std::string from_domain, AuthIdentity spf, std::vector<AuthIdentity> dkim)
    : from_(NormalizeDomain(from_domain)), spf_(std::move(spf)), dkim_(std::move(dkim)) {
  checks_.resize(1);
  Check& check = checks_[0];
  check.id = "dmarc";
  if (from_.empty() || !dns::IsValidName("_dmarc." + from_)) {
    check.subject = Printable(from_domain, kDomainBytes);
    check.state = CheckState::kError;
    check.summary = "cannot look up the DMARC record of \"" + check.subject +
                    "\": not a valid domain name";
    from_.clear();
    done_ = true;
    return;
  }
  org_ = OrganizationalDomain(from_);
  from_query_ = "_dmarc." + from_;
  if (!org_.empty() && org_ != from_) org_query_ = "_dmarc." + org_;
  check.subject = Printable(from_, kDomainBytes);
  check.summary = "looking up the DMARC record of " + check.subject;
}

void DmarcCheck::Start(LookupSink& sink) {
  if (done_) return;
  sink.Lookup(this, from_query_, dns::RrType::kTxt);
}

void DmarcCheck::OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) {
  if (done_ || key.type != dns::RrType::kTxt) return;
  if (key.name == from_query_) {
    OnRecords(result, from_, /*at_org=*/false, sink);
  } else if (!org_query_.empty() && key.name == org_query_) {
    OnRecords(result, org_, /*at_org=*/true, sink);
  }
}

void DmarcCheck::OnRecords(const LookupResult& result, const std::string& record_domain,
                           bool at_org, LookupSink& sink) {
  Check& check = checks_[0];
  const std::string query = at_org ? org_query_ : from_query_;
  const dns::AnswerKind kind = result.answers.kind;
  if (!result.answered || (kind != dns::AnswerKind::kAnswer && kind != dns::AnswerKind::kNoData &&
                           kind != dns::AnswerKind::kNxDomain)) {
    done_ = true;
    check.state = CheckState::kError;
    check.summary = "could not look up the DMARC record at " + Printable(query, kDomainBytes) +
                    ": " + DescribeLookupFailure(result);
    return;
  }
  std::vector<const dns::ResourceRecord*> found;
  size_t other = 0;
  for (const dns::ResourceRecord& record : result.answers.records) {
    if (record.type != dns::RrType::kTxt) continue;
    if (IsDmarcRecord(record.text)) {
      found.push_back(&record);
      check.records.push_back(ToReportRecord(record));
    } else {
      ++other;
    }
  }
  if (other > 0) {
    check.details.push_back(std::to_string(other) + " TXT record" + (other == 1 ? "" : "s") +
                            " at " + Printable(query, kDomainBytes) +
                            " not starting with v=DMARC1, ignored");
  }
  const std::string shown_domain = Printable(record_domain, kDomainBytes);
  // Who the summary is about when the record belongs to the parent.
  const std::string owner = at_org ? check.subject + " falls under " + shown_domain + ", which"
                                   : check.subject;
  if (found.empty()) {
    if (!at_org && !org_query_.empty()) {
      check.details.push_back("no DMARC record at " + Printable(query, kDomainBytes) +
                              " (" + DescribeLookupFailure(result) +
                              "); asking the organisational domain " +
                              Printable(org_, kDomainBytes));
      check.summary = check.subject + " has no DMARC record of its own; looking at " +
                      Printable(org_, kDomainBytes);
      sink.Lookup(this, org_query_, dns::RrType::kTxt);
      return;
    }
    if (at_org) {
      check.details.push_back("no DMARC record at " + Printable(query, kDomainBytes) + " (" +
                              DescribeLookupFailure(result) + ")");
    }
    NoRecord();
    return;
  }
  done_ = true;
  check.details.push_back("DMARC record found at " + Printable(query, kDomainBytes));
  if (found.size() > 1) {
    check.state = CheckState::kWarn;
    check.summary = owner + " publishes " + std::to_string(found.size()) +
                    " DMARC records; receivers apply no DMARC policy when there is more than one";
    return;
  }
  Result<DmarcRecord> parsed = ParseDmarcRecord(found[0]->text);
  if (!parsed.ok()) {
    std::string why = parsed.status().message();
    if (why.rfind("dmarc: ", 0) == 0) why.erase(0, 7);
    check.state = CheckState::kWarn;
    check.summary = owner + " publishes a DMARC record that receivers ignore: " + why;
    return;
  }
  Evaluate(parsed.value(), record_domain);
}

void DmarcCheck::NoRecord() {
  done_ = true;
  Check& check = checks_[0];
  check.state = CheckState::kWarn;
  check.summary = check.subject + " publishes no DMARC record";
  if (!org_query_.empty()) {
    check.summary += ", nor does its organisational domain " + Printable(org_, kDomainBytes);
  }
  check.summary += "; receivers apply no DMARC policy";
}

void DmarcCheck::Evaluate(const DmarcRecord& record, const std::string& record_domain) {
  Check& check = checks_[0];
  const bool inherited = record_domain != from_;
  const bool use_sp = inherited && record.has_subdomain_policy;
  const DmarcPolicy policy = use_sp ? record.subdomain_policy : record.policy;
  std::string policy_text = std::string(use_sp ? "sp=" : "p=") + DmarcPolicyName(policy);
  if (record.percent < 100) policy_text += " at pct=" + std::to_string(record.percent);
  std::string modes;
  if (record.dkim_alignment == record.spf_alignment) {
    modes = std::string(DmarcAlignmentName(record.dkim_alignment)) + " DKIM and SPF alignment";
  } else {
    modes = std::string(DmarcAlignmentName(record.dkim_alignment)) + " DKIM, " +
            DmarcAlignmentName(record.spf_alignment) + " SPF alignment";
  }
  std::string head = inherited ? check.subject + " inherits DMARC " + policy_text + " from " +
                                     Printable(record_domain, kDomainBytes)
                               : check.subject + " publishes DMARC " + policy_text;
  head += " (" + modes + ")";

  // Facts of the record.
  std::string tags = "policy: p=" + std::string(DmarcPolicyName(record.policy));
  if (record.has_subdomain_policy) {
    tags += ", sp=" + std::string(DmarcPolicyName(record.subdomain_policy));
  }
  if (record.has_nonexistent_policy) {
    tags += ", np=" + std::string(DmarcPolicyName(record.nonexistent_policy));
  }
  tags += ", pct=" + std::to_string(record.percent) + ", adkim=" +
          (record.dkim_alignment == DmarcAlignment::kStrict ? "s" : "r") + ", aspf=" +
          (record.spf_alignment == DmarcAlignment::kStrict ? "s" : "r");
  check.details.push_back(tags);
  if (record.percent < 100) {
    check.details.push_back("pct=" + std::to_string(record.percent) + ": receivers apply the policy to " +
                            std::to_string(record.percent) +
                            "% of failing mail and the next weaker one to the rest");
  }
  if (!record.aggregate_uris.empty()) {
    std::string list;
    for (const std::string& uri : record.aggregate_uris) {
      list += (list.empty() ? "" : ", ") + Printable(uri, 120);
    }
    check.details.push_back("aggregate reports go to " + list);
  }
  if (!record.unknown_tags.empty()) {
    std::string list;
    for (const std::string& tag : record.unknown_tags) list += (list.empty() ? "" : ", ") + tag;
    check.details.push_back("unknown tags ignored: " + list);
  }
  for (const std::string& warning : record.warnings) check.details.push_back(warning);

  // What must align.
  const std::string org = Printable(org_, kDomainBytes);
  auto requirement = [&](DmarcAlignment mode) {
    return mode == DmarcAlignment::kStrict ? "exactly " + check.subject + " (strict)"
                                           : org + " or a subdomain of it (relaxed)";
  };
  check.details.push_back("DMARC passes when SPF or DKIM passes for a domain aligned with " +
                          check.subject + ":");
  check.details.push_back("DKIM d= must be " + requirement(record.dkim_alignment));
  check.details.push_back("SPF: the MAIL FROM (Return-Path) domain must be " +
                          requirement(record.spf_alignment));

  // The identifiers we were given.
  bool known = false;
  std::string aligned_pass;      // the first aligned pass, for the summary
  std::string unaligned_pass;    // the first pass that is not aligned
  for (const AuthIdentity& dkim : dkim_) {
    const std::string domain = NormalizeDomain(dkim.domain);
    const std::string shown = Printable(domain.empty() ? dkim.domain : domain, kDomainBytes);
    const bool aligned = IsAligned(from_, domain, record.dkim_alignment);
    known = known || !dkim.result.empty();
    check.details.push_back("DKIM d=" + shown + ": " + ResultWord(dkim.result) + ", " +
                            (aligned ? "aligned" : "not aligned") + " (" +
                            DmarcAlignmentName(record.dkim_alignment) + ")");
    if (IsPass(dkim.result)) {
      if (aligned && aligned_pass.empty()) aligned_pass = "DKIM d=" + shown + " passed aligned";
      if (!aligned && unaligned_pass.empty()) {
        unaligned_pass = "DKIM d=" + shown + " passed but is not aligned";
      }
    }
  }
  if (!spf_.domain.empty()) {
    const std::string domain = NormalizeDomain(spf_.domain);
    const std::string shown = Printable(domain.empty() ? spf_.domain : domain, kDomainBytes);
    const bool aligned = IsAligned(from_, domain, record.spf_alignment);
    known = known || !spf_.result.empty();
    check.details.push_back("SPF for " + shown + ": " + ResultWord(spf_.result) + ", " +
                            (aligned ? "aligned" : "not aligned") + " (" +
                            DmarcAlignmentName(record.spf_alignment) + ")");
    if (IsPass(spf_.result)) {
      if (aligned && aligned_pass.empty()) aligned_pass = "SPF passed for " + shown + " aligned";
      if (!aligned && unaligned_pass.empty()) {
        unaligned_pass = "SPF passed for " + shown + ", which is not aligned";
      }
    }
  }

  if (!aligned_pass.empty()) {
    check.state = CheckState::kPass;
    check.summary = head + "; " + aligned_pass + ", so DMARC passes";
    return;
  }
  if (known && policy != DmarcPolicy::kNone) {
    check.state = CheckState::kFail;
    check.cause_id = "dmarc_reject";
    check.summary = head + ", and neither SPF nor DKIM passed aligned with " + check.subject;
    if (!unaligned_pass.empty()) check.summary += " (" + unaligned_pass + ")";
    return;
  }
  if (policy == DmarcPolicy::kNone) {
    check.state = CheckState::kWarn;
    check.summary = head + (known ? ": neither SPF nor DKIM passed aligned, but " + policy_text +
                                        " asks receivers to take no action"
                                  : std::string(": monitoring only, receivers take no action on "
                                                "failures"));
    return;
  }
  check.state = CheckState::kInfo;
  check.summary = head;
}

}  // namespace bouncedx
