// SPDX-License-Identifier: MIT
#include "core/checks/spf/evaluator.h"

#include <utility>

#include "core/base/status.h"
#include "core/base/text.h"
#include "core/checks/spf/macro.h"
#include "core/checks/spf/record.h"

namespace bouncedx::spf {
namespace {

// RFC 7208 §4.6.4: an mx mechanism with more MX names than this is a
// permerror; a ptr mechanism or %{p} looks at no more PTR names than this.
constexpr size_t kMaxMxNames = 10;
constexpr size_t kMaxPtrNames = 10;
// §7.3: expanded names longer than this lose labels on the left.
constexpr size_t kMaxNameBytes = 253;
constexpr size_t kMaxLabelBytes = 63;
// Defensive bound on include/redirect nesting. Every nested call also costs
// one DNS-querying term, so with the RFC's limit of 10 it is never reached.
constexpr int kMaxDepth = 32;

enum class Match { kNoMatch, kMatch, kTempError, kPermError, kBlocked };

SpfResult FromQualifier(Qualifier qualifier) {
  switch (qualifier) {
    case Qualifier::kPass:
      return SpfResult::kPass;
    case Qualifier::kFail:
      return SpfResult::kFail;
    case Qualifier::kSoftFail:
      return SpfResult::kSoftFail;
    case Qualifier::kNeutral:
      return SpfResult::kNeutral;
  }
  return SpfResult::kNeutral;
}

std::string StripDot(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return std::string(name);
}

// Turns an expanded domain into a name that can be queried (§7.3): drops
// one trailing dot, removes labels on the left until it fits in 253 bytes,
// and checks every label is 1..63 bytes. Returns nullopt when it cannot be
// a DNS name. Case is kept.
std::optional<std::string> ToQueryName(std::string_view expanded) {
  std::string name = StripDot(expanded);
  while (name.size() > kMaxNameBytes) {
    size_t dot = name.find('.');
    if (dot == std::string::npos) return std::nullopt;
    name.erase(0, dot + 1);
  }
  if (name.empty()) return std::nullopt;
  size_t start = 0;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    size_t length = dot - start;
    if (length == 0 || length > kMaxLabelBytes) return std::nullopt;
    start = dot + 1;
  }
  return name;
}

bool HasTwoLabels(std::string_view name) { return name.find('.') != std::string_view::npos; }

// §4.3: the <domain> given to the top check_host() must be a fully qualified
// host name; a domain literal ("[192.0.2.1]") or a lone label gives none.
bool IsCheckableDomain(std::string_view domain) {
  for (char c : domain) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f || c == '[' || c == ']') return false;
  }
  std::optional<std::string> name = ToQueryName(domain);
  return name && *name == StripDot(domain) && HasTwoLabels(*name);
}

bool IsSubdomainOrSame(std::string_view name, std::string_view domain) {
  if (EqualsCaseless(name, domain)) return true;
  return name.size() > domain.size() && name[name.size() - domain.size() - 1] == '.' &&
         EqualsCaseless(name.substr(name.size() - domain.size()), domain);
}

// One replay of check_host() over the answers known so far.
class Pass {
 public:
  Pass(const SpfInput& input, const IpAddress& ip, const Limits& limits,
       const std::map<SpfLookup, DnsLookup>& answers)
      : input_(input), ip_(ip), limits_(limits), answers_(answers) {}

  // Runs check_host() for `domain`, then the explanation. Returns false when
  // it stopped for answers it does not have (listed in needed()).
  bool Run(const MacroValues& base_values, const std::string& domain);

  const std::vector<SpfLookup>& needed() const { return needed_; }
  SpfOutcome& outcome() { return outcome_; }

 private:
  // The answer to (name, type), or nullptr after noting it as needed.
  const DnsLookup* Lookup(const std::string& name, LookupType type);
  std::optional<SpfResult> CheckHost(const std::string& domain, int parent, SpfVia via, int depth);
  Match Evaluate(const Directive& directive, int node, int depth);
  Match EvaluateAddresses(const Directive& directive, const std::string& target, int node);
  Match EvaluateMx(const Directive& directive, const std::string& target, int node);
  Match EvaluatePtr(const std::string& target, int node);
  Match EvaluateInclude(const std::string& target, int node, int depth);
  // Expands a domain-spec for the node's domain; Match::kMatch with *out set
  // on success, kNoMatch when the result is not a DNS name, kBlocked.
  Match ExpandTarget(const MacroString& spec, int node, std::string* out);
  // Expands with the node's <domain>; false when blocked on %{p}.
  bool Expand(const MacroString& macro_string, const std::string& domain, std::string* out);
  // §5.5's validated names of the client address that are `target` or below
  // it (every validated name when `target` is empty); nullopt when blocked.
  std::optional<std::vector<std::string>> ValidatedNames(const std::string& target,
                                                         size_t* void_count, bool* dns_error);
  bool CountTerm(int node, std::string_view term);
  bool CountVoid(int node, std::string_view term);
  Match Fail(Match match, int node, std::string reason);
  void Warn(std::string text) { outcome_.warnings.push_back(std::move(text)); }
  void ComputeExplanation();

  const SpfInput& input_;
  const IpAddress& ip_;
  const Limits& limits_;
  const std::map<SpfLookup, DnsLookup>& answers_;
  MacroValues values_;
  std::set<SpfLookup> used_;
  std::vector<SpfLookup> needed_;
  bool blocked_ = false;
  bool question_cap_warned_ = false;
  SpfOutcome outcome_;
};

const DnsLookup* Pass::Lookup(const std::string& name, LookupType type) {
  SpfLookup key{ToLower(StripDot(name)), type};
  auto found = answers_.find(key);
  if (found != answers_.end()) {
    used_.insert(key);
    return &found->second;
  }
  if (used_.size() + needed_.size() >= limits_.max_dns_questions) {
    static const DnsLookup kRefused{DnsOutcome::kError, {}};
    if (!question_cap_warned_) {
      question_cap_warned_ = true;
      Warn("spf: more than " + std::to_string(limits_.max_dns_questions) +
           " DNS lookups, the rest count as errors");
    }
    return &kRefused;
  }
  for (const SpfLookup& lookup : needed_) {
    if (lookup == key) {
      blocked_ = true;
      return nullptr;
    }
  }
  needed_.push_back(std::move(key));
  blocked_ = true;
  return nullptr;
}

Match Pass::Fail(Match match, int node, std::string reason) {
  SpfNode& entry = outcome_.nodes[static_cast<size_t>(node)];
  if (entry.reason.empty()) entry.reason = std::move(reason);
  return match;
}

bool Pass::CountTerm(int node, std::string_view term) {
  ++outcome_.dns_mechanisms;
  if (outcome_.dns_mechanisms <= limits_.spf_max_dns_mechanisms) return true;
  Fail(Match::kPermError, node,
       "limit: more than " + std::to_string(limits_.spf_max_dns_mechanisms) +
           " DNS-querying terms, reached at \"" + Printable(term, 80) + "\" (RFC 7208 §4.6.4)");
  return false;
}

bool Pass::CountVoid(int node, std::string_view term) {
  ++outcome_.void_lookups;
  if (outcome_.void_lookups <= limits_.spf_max_void_lookups) return true;
  Fail(Match::kPermError, node,
       "limit: more than " + std::to_string(limits_.spf_max_void_lookups) +
           " void lookups, reached at \"" + Printable(term, 80) + "\" (RFC 7208 §4.6.4)");
  return false;
}

bool Pass::Expand(const MacroString& macro_string, const std::string& domain, std::string* out) {
  MacroValues values = values_;
  values.domain = domain;
  if (macro_string.uses_validated_name()) {
    size_t ignored_voids = 0;
    bool ignored_error = false;
    std::optional<std::vector<std::string>> names =
        ValidatedNames("", &ignored_voids, &ignored_error);
    if (!names) return false;
    // §7.3: prefer the <domain> itself, then a name below it, then any.
    std::string chosen = "unknown";
    for (int pass = 0; pass < 3 && chosen == "unknown"; ++pass) {
      for (const std::string& name : *names) {
        bool fits = pass == 0   ? EqualsCaseless(name, domain)
                    : pass == 1 ? IsSubdomainOrSame(name, domain)
                                : true;
        if (fits) {
          chosen = name;
          break;
        }
      }
    }
    values.validated_name = chosen;
  }
  *out = ExpandMacroString(macro_string, values);
  return true;
}

Match Pass::ExpandTarget(const MacroString& spec, int node, std::string* out) {
  std::string expanded;
  if (!Expand(spec, outcome_.nodes[static_cast<size_t>(node)].domain, &expanded)) {
    return Match::kBlocked;
  }
  std::optional<std::string> name = ToQueryName(expanded);
  if (!name) {
    Warn("spf: target \"" + Printable(expanded, 80) + "\" is not a valid DNS name, no match");
    return Match::kNoMatch;
  }
  *out = std::move(*name);
  return Match::kMatch;
}

std::optional<std::vector<std::string>> Pass::ValidatedNames(const std::string& target,
                                                             size_t* void_count, bool* dns_error) {
  const DnsLookup* ptr = Lookup(ip_.ReverseName(), LookupType::kPtr);
  if (ptr == nullptr) return std::nullopt;
  std::vector<std::string> validated;
  if (ptr->outcome == DnsOutcome::kNxDomain ||
      (ptr->outcome == DnsOutcome::kOk && ptr->records.empty())) {
    ++*void_count;
    return validated;
  }
  if (ptr->outcome != DnsOutcome::kOk) {
    *dns_error = true;
    return validated;
  }
  std::vector<std::string> candidates;
  for (size_t i = 0; i < ptr->records.size() && i < kMaxPtrNames; ++i) {
    std::optional<std::string> name = ToQueryName(ptr->records[i]);
    if (!name) continue;
    if (target.empty() || IsSubdomainOrSame(*name, target)) candidates.push_back(*name);
  }
  if (ptr->records.size() > kMaxPtrNames) {
    Warn("spf: " + ip_.ReverseName() + " has " + std::to_string(ptr->records.size()) +
         " PTR names, only the first " + std::to_string(kMaxPtrNames) + " are used");
  }
  // Ask for every candidate's addresses at once; they are independent.
  LookupType type = ip_.is_v4() ? LookupType::kA : LookupType::kAaaa;
  std::vector<const DnsLookup*> answers;
  answers.reserve(candidates.size());
  for (const std::string& name : candidates) answers.push_back(Lookup(name, type));
  if (blocked_) return std::nullopt;
  for (size_t i = 0; i < candidates.size(); ++i) {
    // §5.5: a name whose address lookup fails is skipped.
    if (answers[i]->outcome != DnsOutcome::kOk) continue;
    for (const std::string& text : answers[i]->records) {
      std::optional<IpAddress> address = ip_.is_v4() ? ParseIp4(text) : ParseIp6(text);
      if (address && *address == ip_) {
        validated.push_back(candidates[i]);
        break;
      }
    }
  }
  return validated;
}

Match Pass::EvaluateAddresses(const Directive& directive, const std::string& target, int node) {
  LookupType type = ip_.is_v4() ? LookupType::kA : LookupType::kAaaa;
  const DnsLookup* answer = Lookup(target, type);
  if (answer == nullptr) return Match::kBlocked;
  if (answer->outcome == DnsOutcome::kError || answer->outcome == DnsOutcome::kTimeout) {
    return Fail(Match::kTempError, node,
                std::string("dns: ") + LookupTypeName(type) + " " + Printable(target, 80) +
                    (answer->outcome == DnsOutcome::kTimeout ? ": timeout" : ": error"));
  }
  if (answer->outcome == DnsOutcome::kNxDomain || answer->records.empty()) {
    return CountVoid(node, directive.text) ? Match::kNoMatch : Match::kPermError;
  }
  for (const std::string& text : answer->records) {
    std::optional<IpAddress> address = ip_.is_v4() ? ParseIp4(text) : ParseIp6(text);
    if (!address) {
      Warn("spf: " + std::string(LookupTypeName(type)) + " " + Printable(target, 80) +
           ": skipped unreadable address \"" + Printable(text, 80) + "\"");
      continue;
    }
    if (ip_.InNetwork(*address, ip_.is_v4() ? directive.cidr4 : directive.cidr6)) {
      return Match::kMatch;
    }
  }
  return Match::kNoMatch;
}

Match Pass::EvaluateMx(const Directive& directive, const std::string& target, int node) {
  const DnsLookup* answer = Lookup(target, LookupType::kMx);
  if (answer == nullptr) return Match::kBlocked;
  if (answer->outcome == DnsOutcome::kError || answer->outcome == DnsOutcome::kTimeout) {
    return Fail(Match::kTempError, node,
                "dns: MX " + Printable(target, 80) +
                    (answer->outcome == DnsOutcome::kTimeout ? ": timeout" : ": error"));
  }
  if (answer->outcome == DnsOutcome::kNxDomain || answer->records.empty()) {
    return CountVoid(node, directive.text) ? Match::kNoMatch : Match::kPermError;
  }
  if (answer->records.size() > kMaxMxNames) {
    return Fail(Match::kPermError, node,
                "limit: MX " + Printable(target, 80) + " has " +
                    std::to_string(answer->records.size()) + " names, more than " +
                    std::to_string(kMaxMxNames) + " (RFC 7208 §4.6.4)");
  }
  // The exchanges' addresses are independent: ask for all of them at once.
  LookupType type = ip_.is_v4() ? LookupType::kA : LookupType::kAaaa;
  std::vector<std::string> names;
  for (const std::string& exchange : answer->records) {
    std::optional<std::string> name = ToQueryName(exchange);
    if (name) names.push_back(*name);  // "" and "." (null MX, RFC 7505) have no address
  }
  std::vector<const DnsLookup*> answers;
  answers.reserve(names.size());
  for (const std::string& name : names) answers.push_back(Lookup(name, type));
  if (blocked_) return Match::kBlocked;
  for (size_t i = 0; i < names.size(); ++i) {
    const DnsLookup& addresses = *answers[i];
    if (addresses.outcome == DnsOutcome::kError || addresses.outcome == DnsOutcome::kTimeout) {
      return Fail(Match::kTempError, node,
                  std::string("dns: ") + LookupTypeName(type) + " " + Printable(names[i], 80) +
                      (addresses.outcome == DnsOutcome::kTimeout ? ": timeout" : ": error"));
    }
    for (const std::string& text : addresses.records) {
      std::optional<IpAddress> address = ip_.is_v4() ? ParseIp4(text) : ParseIp6(text);
      if (address && ip_.InNetwork(*address, ip_.is_v4() ? directive.cidr4 : directive.cidr6)) {
        return Match::kMatch;
      }
    }
  }
  return Match::kNoMatch;
}

Match Pass::EvaluatePtr(const std::string& target, int node) {
  size_t voids = 0;
  bool dns_error = false;
  std::optional<std::vector<std::string>> names = ValidatedNames(target, &voids, &dns_error);
  if (!names) return Match::kBlocked;
  if (voids > 0 && !CountVoid(node, "ptr")) return Match::kPermError;
  if (dns_error) {
    // §5.5: a failed PTR lookup makes the mechanism not match.
    Warn("spf: PTR " + ip_.ReverseName() + ": lookup failed, ptr does not match");
  }
  return names->empty() ? Match::kNoMatch : Match::kMatch;
}

Match Pass::EvaluateInclude(const std::string& target, int node, int depth) {
  std::optional<SpfResult> result = CheckHost(target, node, SpfVia::kInclude, depth + 1);
  if (!result) return Match::kBlocked;
  switch (*result) {
    case SpfResult::kPass:
      return Match::kMatch;
    case SpfResult::kFail:
    case SpfResult::kSoftFail:
    case SpfResult::kNeutral:
      return Match::kNoMatch;
    case SpfResult::kTempError:
      return Fail(Match::kTempError, node, "include:" + Printable(target, 80) + ": temperror");
    case SpfResult::kPermError:
      return Fail(Match::kPermError, node, "include:" + Printable(target, 80) + ": permerror");
    case SpfResult::kNone:
      return Fail(Match::kPermError, node,
                  "include:" + Printable(target, 80) + ": no SPF record (RFC 7208 §5.2)");
  }
  return Match::kPermError;
}

Match Pass::Evaluate(const Directive& directive, int node, int depth) {
  const std::string& domain = outcome_.nodes[static_cast<size_t>(node)].domain;
  switch (directive.kind) {
    case MechanismKind::kAll:
      return Match::kMatch;
    case MechanismKind::kIp4:
      return ip_.is_v4() && ip_.InNetwork(directive.network, directive.cidr4) ? Match::kMatch
                                                                              : Match::kNoMatch;
    case MechanismKind::kIp6:
      return !ip_.is_v4() && ip_.InNetwork(directive.network, directive.cidr6) ? Match::kMatch
                                                                               : Match::kNoMatch;
    default:
      break;
  }
  if (!CountTerm(node, directive.text)) return Match::kPermError;
  std::string target = domain;
  if (directive.domain_spec) {
    Match expanded = ExpandTarget(*directive.domain_spec, node, &target);
    if (expanded != Match::kMatch) {
      if (expanded == Match::kNoMatch && directive.kind == MechanismKind::kInclude) {
        return Fail(
            Match::kPermError, node,
            "include: target of \"" + Printable(directive.text, 80) + "\" is not a DNS name");
      }
      return expanded;
    }
  }
  switch (directive.kind) {
    case MechanismKind::kA:
      return EvaluateAddresses(directive, target, node);
    case MechanismKind::kMx:
      return EvaluateMx(directive, target, node);
    case MechanismKind::kPtr:
      return EvaluatePtr(target, node);
    case MechanismKind::kInclude:
      return EvaluateInclude(target, node, depth);
    case MechanismKind::kExists: {
      // §5.7: always an A lookup, whatever the client's family.
      const DnsLookup* answer = Lookup(target, LookupType::kA);
      if (answer == nullptr) return Match::kBlocked;
      if (answer->outcome == DnsOutcome::kError || answer->outcome == DnsOutcome::kTimeout) {
        return Fail(Match::kTempError, node,
                    "dns: A " + Printable(target, 80) +
                        (answer->outcome == DnsOutcome::kTimeout ? ": timeout" : ": error"));
      }
      if (answer->outcome == DnsOutcome::kNxDomain || answer->records.empty()) {
        return CountVoid(node, directive.text) ? Match::kNoMatch : Match::kPermError;
      }
      return Match::kMatch;
    }
    default:
      return Match::kNoMatch;
  }
}

std::optional<SpfResult> Pass::CheckHost(const std::string& domain, int parent, SpfVia via,
                                         int depth) {
  int node = static_cast<int>(outcome_.nodes.size());
  SpfNode entry;
  entry.parent = parent;
  entry.depth = depth;
  entry.via = via;
  entry.domain = domain;
  outcome_.nodes.push_back(std::move(entry));
  auto finish = [&](SpfResult result, std::string reason) -> std::optional<SpfResult> {
    SpfNode& self = outcome_.nodes[static_cast<size_t>(node)];
    self.result = result;
    if (self.reason.empty()) self.reason = std::move(reason);
    return result;
  };
  if (depth > kMaxDepth) {
    return finish(SpfResult::kPermError,
                  "limit: include/redirect nesting deeper than " + std::to_string(kMaxDepth));
  }
  std::optional<std::string> name = ToQueryName(domain);
  if (!name || !HasTwoLabels(*name)) {
    return finish(SpfResult::kNone, "domain: \"" + Printable(domain, 80) +
                                        "\" is not a valid host name (RFC 7208 §4.3)");
  }
  const DnsLookup* txt = Lookup(*name, LookupType::kTxt);
  if (txt == nullptr) return std::nullopt;
  if (txt->outcome == DnsOutcome::kError || txt->outcome == DnsOutcome::kTimeout) {
    return finish(SpfResult::kTempError,
                  "dns: TXT " + Printable(*name, 80) +
                      (txt->outcome == DnsOutcome::kTimeout ? ": timeout" : ": error"));
  }
  if (txt->outcome == DnsOutcome::kNxDomain) {
    return finish(SpfResult::kNone, "dns: TXT " + Printable(*name, 80) + ": no such domain");
  }
  const std::string* selected = nullptr;
  size_t count = 0;
  for (const std::string& record : txt->records) {
    if (!IsSpfRecord(record)) continue;
    ++count;
    if (selected == nullptr) selected = &record;
  }
  if (count == 0) {
    return finish(SpfResult::kNone, "record: " + Printable(*name, 80) + " has no v=spf1 record");
  }
  if (count > 1) {
    return finish(SpfResult::kPermError, "record: " + Printable(*name, 80) + " has " +
                                             std::to_string(count) +
                                             " v=spf1 records (RFC 7208 §4.5)");
  }
  outcome_.nodes[static_cast<size_t>(node)].record = *selected;
  Result<SpfRecord> record = ParseSpfRecord(*selected);
  if (!record.ok()) return finish(SpfResult::kPermError, record.status().message());
  for (const Directive& directive : record->directives) {
    Match match = Evaluate(directive, node, depth);
    if (match == Match::kBlocked) return std::nullopt;
    if (match == Match::kNoMatch) continue;
    outcome_.nodes[static_cast<size_t>(node)].mechanism = directive.text;
    switch (match) {
      case Match::kMatch:
        return finish(FromQualifier(directive.qualifier), "");
      case Match::kTempError:
        return finish(SpfResult::kTempError, "");
      default:
        return finish(SpfResult::kPermError, "");
    }
  }
  if (record->redirect) {
    std::string term = "redirect=" + record->redirect_text;
    outcome_.nodes[static_cast<size_t>(node)].mechanism = term;
    if (!CountTerm(node, term)) return finish(SpfResult::kPermError, "");
    std::string target;
    Match expanded = ExpandTarget(*record->redirect, node, &target);
    if (expanded == Match::kBlocked) return std::nullopt;
    if (expanded != Match::kMatch) {
      return finish(SpfResult::kPermError, "redirect: target \"" +
                                               Printable(record->redirect_text, 80) +
                                               "\" is not a DNS name (RFC 7208 §6.1)");
    }
    std::optional<SpfResult> result = CheckHost(target, node, SpfVia::kRedirect, depth + 1);
    if (!result) return std::nullopt;
    if (*result == SpfResult::kNone) {
      return finish(SpfResult::kPermError,
                    "redirect=" + Printable(target, 80) + ": no SPF record (RFC 7208 §6.1)");
    }
    return finish(*result, "");
  }
  return finish(SpfResult::kNeutral, "");
}

void Pass::ComputeExplanation() {
  const SpfNode& decider = outcome_.nodes[static_cast<size_t>(outcome_.deciding_node)];
  Result<SpfRecord> record = ParseSpfRecord(decider.record);
  if (record.ok() && record->explanation) {
    std::string target;
    Match expanded = ExpandTarget(*record->explanation, outcome_.deciding_node, &target);
    if (expanded == Match::kBlocked) return;
    if (expanded == Match::kMatch) {
      // Not counted as a term or a void lookup (§4.6.4, §6.2).
      const DnsLookup* txt = Lookup(target, LookupType::kTxt);
      if (txt == nullptr) return;
      std::string problem;
      if (txt->outcome != DnsOutcome::kOk || txt->records.size() != 1) {
        problem = "needs exactly one TXT record";
      } else if (!IsAscii(txt->records[0])) {
        problem = "is not ASCII";
      } else {
        Result<MacroString> text = ParseMacroString(txt->records[0], MacroContext::kExplanation);
        if (!text.ok()) {
          problem = text.status().message();
        } else {
          std::string explanation;
          if (!Expand(text.value(), decider.domain, &explanation)) return;
          outcome_.explanation = std::move(explanation);
          return;
        }
      }
      Warn("spf: exp=" + Printable(target, 80) + " ignored: " + problem);
    }
  }
  if (input_.default_explanation.empty()) return;
  Result<MacroString> text =
      ParseMacroString(input_.default_explanation, MacroContext::kExplanation);
  if (!text.ok()) {
    Warn("spf: default explanation ignored: " + text.status().message());
    return;
  }
  std::string explanation;
  if (Expand(text.value(), decider.domain, &explanation)) {
    outcome_.explanation = std::move(explanation);
  }
}

bool Pass::Run(const MacroValues& base_values, const std::string& domain) {
  values_ = base_values;
  std::optional<SpfResult> result = CheckHost(domain, -1, SpfVia::kTop, 0);
  if (!result) return false;
  outcome_.result = *result;
  // Follow the chain of redirects down to the record that decided.
  int decider = 0;
  for (size_t i = 1; i < outcome_.nodes.size(); ++i) {
    if (outcome_.nodes[i].parent == decider && outcome_.nodes[i].via == SpfVia::kRedirect) {
      decider = static_cast<int>(i);
    }
  }
  outcome_.deciding_node = decider;
  outcome_.mechanism = outcome_.nodes[static_cast<size_t>(decider)].mechanism;
  if (*result == SpfResult::kNone || *result == SpfResult::kTempError ||
      *result == SpfResult::kPermError) {
    // The deepest reason on the path to the failure is the most specific.
    std::string reason;
    for (const SpfNode& node : outcome_.nodes) {
      if (node.result == *result && !node.reason.empty()) reason = node.reason;
    }
    outcome_.reason = reason.empty() ? outcome_.nodes[0].reason : reason;
  }
  if (*result == SpfResult::kFail) {
    ComputeExplanation();
    if (blocked_) return false;
  }
  outcome_.lookups = used_.size();
  return true;
}

}  // namespace

const char* SpfResultName(SpfResult result) {
  switch (result) {
    case SpfResult::kNone:
      return "none";
    case SpfResult::kNeutral:
      return "neutral";
    case SpfResult::kPass:
      return "pass";
    case SpfResult::kFail:
      return "fail";
    case SpfResult::kSoftFail:
      return "softfail";
    case SpfResult::kTempError:
      return "temperror";
    case SpfResult::kPermError:
      return "permerror";
  }
  return "none";
}

const char* LookupTypeName(LookupType type) {
  switch (type) {
    case LookupType::kTxt:
      return "TXT";
    case LookupType::kA:
      return "A";
    case LookupType::kAaaa:
      return "AAAA";
    case LookupType::kMx:
      return "MX";
    case LookupType::kPtr:
      return "PTR";
  }
  return "TXT";
}

SpfEvaluator::SpfEvaluator(SpfInput input, const Limits& limits)
    : input_(std::move(input)), limits_(limits) {
  Evaluate();
}

std::vector<SpfLookup> SpfEvaluator::TakeLookups() {
  std::vector<SpfLookup> lookups;
  lookups.swap(queued_);
  return lookups;
}

void SpfEvaluator::OnLookup(const SpfLookup& lookup, const DnsLookup& result) {
  SpfLookup key{ToLower(StripDot(lookup.name)), lookup.type};
  if (finished_ || outstanding_.erase(key) == 0) return;
  answers_.emplace(key, result);
  // Every outstanding lookup belongs to the step the last replay stopped
  // at, so replaying before all of them are answered would stop there again.
  if (outstanding_.empty()) Evaluate();
}

void SpfEvaluator::Evaluate() {
  std::optional<IpAddress> ip = ParseIpAddress(input_.ip);
  MacroValues values;
  std::string domain = input_.domain;
  if (input_.sender.empty()) {
    values.local_part = "postmaster";
    values.sender_domain = input_.helo;
  } else {
    size_t at = input_.sender.rfind('@');
    if (at == std::string::npos) {
      values.local_part = "postmaster";
      values.sender_domain = input_.sender;
    } else {
      values.local_part = at == 0 ? "postmaster" : input_.sender.substr(0, at);
      values.sender_domain = input_.sender.substr(at + 1);
    }
  }
  values.sender = values.local_part + "@" + values.sender_domain;
  if (domain.empty()) domain = values.sender_domain;
  values.helo = input_.helo;
  values.receiver = input_.receiver.empty() ? "unknown" : input_.receiver;
  values.now_unix = input_.now_unix;

  auto finish_early = [&](std::string reason) {
    outcome_ = SpfOutcome();
    SpfNode node;
    node.domain = domain;
    node.reason = reason;
    outcome_.nodes.push_back(std::move(node));
    outcome_.reason = std::move(reason);
    finished_ = true;
  };
  if (!ip) {
    finish_early("input: client address \"" + Printable(input_.ip, 80) + "\" is not an IP address");
    return;
  }
  if (!IsCheckableDomain(domain)) {
    finish_early("domain: \"" + Printable(domain, 80) +
                 "\" is not a fully qualified host name (RFC 7208 §4.3)");
    return;
  }
  values.ip = *ip;
  // Each replay either finishes or asks at least one new lookup, and there
  // are at most max_dns_questions of those; the bound is a safety net.
  if (++passes_ > limits_.max_dns_questions + 2) {
    finish_early("spf: evaluation did not converge");
    outcome_.result = SpfResult::kTempError;
    return;
  }
  Pass pass(input_, values.ip, limits_, answers_);
  if (pass.Run(values, domain)) {
    outcome_ = std::move(pass.outcome());
    finished_ = true;
    return;
  }
  size_t before = queued_.size();
  for (const SpfLookup& lookup : pass.needed()) {
    if (asked_.insert(lookup).second) {
      queued_.push_back(lookup);
      outstanding_.insert(lookup);
    }
  }
  if (queued_.size() == before && outstanding_.empty()) {
    finish_early("spf: evaluation stalled without a new lookup");
    outcome_.result = SpfResult::kTempError;
    return;
  }
  outcome_ = std::move(pass.outcome());
}

}  // namespace bouncedx::spf
