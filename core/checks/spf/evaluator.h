// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_SPF_EVALUATOR_H_
#define BOUNCEDX_CORE_CHECKS_SPF_EVALUATOR_H_

// The SPF check_host() function of RFC 7208 as a sans-I/O state machine.
// The evaluator never touches the network: it says which DNS lookups it
// needs, the host answers each one, and the evaluator goes on until it has a
// result. The host loop:
//
//   SpfEvaluator spf(input, limits);
//   while (!spf.finished()) {
//     for (const SpfLookup& lookup : spf.TakeLookups()) {
//       spf.OnLookup(lookup, Resolve(lookup));  // may happen later, in any order
//     }
//   }
//   Show(spf.outcome());
//
// TakeLookups() may hand out several lookups at once when RFC 7208 lets them
// be asked in parallel (the address lookups of the names an "mx" or "ptr"
// mechanism returned). The host must answer every lookup it was given, with
// DnsOutcome::kTimeout when it gives up; until then the evaluator waits.
// Each (name, type) is asked at most once per evaluation.
//
// Internally each answer is cached and check_host() is replayed from the
// start over the cache until it needs an answer it does not have; the replay
// is deterministic, so counts (DNS-querying terms, void lookups) and the
// include/redirect tree come out the same as a single straight run would.
//
// Limits (RFC 7208 §4.6.4): Limits::spf_max_dns_mechanisms terms that query
// DNS (include, a, mx, ptr, exists, redirect), Limits::spf_max_void_lookups
// void lookups, at most 10 MX names per mx (more is a permerror) and 10 PTR
// names per ptr or %{p} (the rest are ignored), and at most
// Limits::max_dns_questions distinct lookups in all. Passing one of the
// first three ends the check with permerror; lookups past the last are
// treated as DNS errors (a temperror wherever §5 says so) with a warning.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/base/limits.h"
#include "core/checks/spf/ip_address.h"

namespace bouncedx::spf {

// The results of RFC 7208 §2.6.
enum class SpfResult { kNone, kNeutral, kPass, kFail, kSoftFail, kTempError, kPermError };

// "none", "neutral", "pass", "fail", "softfail", "temperror", "permerror".
const char* SpfResultName(SpfResult result);

enum class LookupType { kTxt, kA, kAaaa, kMx, kPtr };

// "TXT", "A", "AAAA", "MX", "PTR".
const char* LookupTypeName(LookupType type);

// One DNS question the evaluator needs answered. Names are lower case,
// without a trailing dot, at most 253 bytes, every label 1..63 bytes; they
// may hold any byte a DNS label can (SPF macros can put spaces or '%' there).
struct SpfLookup {
  std::string name;
  LookupType type = LookupType::kTxt;

  bool operator==(const SpfLookup& other) const { return type == other.type && name == other.name; }
  bool operator<(const SpfLookup& other) const {
    return type != other.type ? type < other.type : name < other.name;
  }
};

// How a lookup ended, as far as SPF cares (RFC 7208 §2.6.6, §4.4).
enum class DnsOutcome {
  kOk,        // RCODE 0; `records` may be empty (NODATA)
  kNxDomain,  // RCODE 3
  kError,     // SERVFAIL, REFUSED, a malformed or mismatched answer, a CNAME loop
  kTimeout,   // no answer in time
};

// The answer to one SpfLookup, CNAMEs already followed by the host.
struct DnsLookup {
  DnsOutcome outcome = DnsOutcome::kOk;
  // TXT: one entry per record, its character-strings joined with nothing in
  // between (§3.3). A/AAAA: address texts. MX: exchange names (in the order
  // to try). PTR: names. Entries that do not parse are skipped.
  std::vector<std::string> records;
};

// What check_host() is asked about.
struct SpfInput {
  // The client address: IPv4, IPv6, or IPv4-mapped IPv6 (treated as IPv4).
  std::string ip;
  // The <domain> to check. When empty: the domain of `sender`, or `helo`
  // when the sender is empty.
  std::string domain;
  // MAIL FROM. Empty for the null reverse-path: the HELO identity is then
  // checked as "postmaster@<helo>" (§2.4). A sender without a local part
  // gets "postmaster" (§4.3).
  std::string sender;
  std::string helo;
  // %{r}, the receiving host's name; "unknown" when empty.
  std::string receiver;
  // %{t}, seconds since the Unix epoch.
  int64_t now_unix = 0;
  // Explanation used for a fail when the record gives no usable exp=; a
  // macro-string expanded like exp= text. Empty: no explanation.
  std::string default_explanation;
};

// How a node of the evaluation tree was reached.
enum class SpfVia { kTop, kInclude, kRedirect };

// One check_host() call: the top one, or one made for include: or redirect=.
struct SpfNode {
  int parent = -1;  // index in SpfOutcome::nodes, -1 for the top
  int depth = 0;
  SpfVia via = SpfVia::kTop;
  std::string domain;
  // The selected v=spf1 record, as published (untrusted: pass through
  // Printable() before showing). Empty when none was found.
  std::string record;
  SpfResult result = SpfResult::kNone;
  // The term that decided: a matching directive ("-all"), "redirect=...",
  // or the term whose evaluation failed. Empty when nothing matched and the
  // default neutral applied, or when no record was evaluated.
  std::string mechanism;
  // Why the result is none, temperror or permerror (or other notes), subject
  // first: "dns: TXT example.com: timeout".
  std::string reason;
};

struct SpfOutcome {
  SpfResult result = SpfResult::kNone;
  // The node whose record decided the result: the top node, or the end of
  // its chain of redirects. Its `mechanism` is the deciding term.
  int deciding_node = 0;
  std::string mechanism;
  // The explanation for a fail (§6.2), or the expanded default explanation;
  // empty otherwise. Untrusted text.
  std::string explanation;
  // Why the result is none, temperror or permerror; empty otherwise.
  std::string reason;
  // The include/redirect tree in pre-order, the top node first.
  std::vector<SpfNode> nodes;
  // DNS-querying terms evaluated and void lookups met (§4.6.4), and the
  // distinct DNS lookups used.
  size_t dns_mechanisms = 0;
  size_t void_lookups = 0;
  size_t lookups = 0;
  // Notes that did not change the result: skipped answers, invalid target
  // names treated as no match, ignored explanations.
  std::vector<std::string> warnings;
};

class SpfEvaluator {
 public:
  // Starts the check. When no DNS is needed (an invalid domain or address),
  // the evaluator is finished at once.
  SpfEvaluator(SpfInput input, const Limits& limits);

  // Copyable and movable: the state is plain data.
  SpfEvaluator(const SpfEvaluator&) = default;
  SpfEvaluator& operator=(const SpfEvaluator&) = default;
  SpfEvaluator(SpfEvaluator&&) = default;
  SpfEvaluator& operator=(SpfEvaluator&&) = default;

  // The lookups needed now that were not handed out before. Empty when the
  // evaluator is finished or waits for answers already asked.
  [[nodiscard]] std::vector<SpfLookup> TakeLookups();

  // The answer to a lookup handed out by TakeLookups(). The name is
  // compared without case and trailing dot; answers to lookups never asked,
  // and second answers, are ignored.
  void OnLookup(const SpfLookup& lookup, const DnsLookup& result);

  bool finished() const { return finished_; }
  // The result so far; complete once finished().
  const SpfOutcome& outcome() const { return outcome_; }

 private:
  // Replays check_host() over the answers; either finishes or queues the
  // lookups it needs.
  void Evaluate();

  SpfInput input_;
  Limits limits_;
  std::map<SpfLookup, DnsLookup> answers_;
  std::set<SpfLookup> asked_;
  std::set<SpfLookup> outstanding_;
  std::vector<SpfLookup> queued_;
  size_t passes_ = 0;
  bool finished_ = false;
  SpfOutcome outcome_;
};

}  // namespace bouncedx::spf

#endif  // BOUNCEDX_CORE_CHECKS_SPF_EVALUATOR_H_
