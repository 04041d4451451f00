// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_SPF_RECORD_H_
#define BOUNCEDX_CORE_CHECKS_SPF_RECORD_H_

// SPF records (RFC 7208 §4.5, §4.6, §5, §6, §12): recognising a v=spf1 TXT
// record and parsing it whole into directives and modifiers. Any syntax error
// anywhere makes the whole record a permerror (§4.6), so the parser checks
// every term, macros included, before the evaluator does a single lookup.
//
//   if (IsSpfRecord(txt)) {
//     Result<SpfRecord> record = ParseSpfRecord(txt);
//     if (!record.ok()) ...  // permerror, record.status().message() says why
//   }

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/checks/spf/ip_address.h"
#include "core/checks/spf/macro.h"

namespace bouncedx::spf {

// The result a directive gives when it matches (§4.6.2).
enum class Qualifier { kPass, kFail, kSoftFail, kNeutral };

enum class MechanismKind { kAll, kInclude, kA, kMx, kPtr, kIp4, kIp6, kExists };

// "all", "include", ... as written in records.
const char* MechanismKindName(MechanismKind kind);

// One directive: [qualifier] mechanism.
struct Directive {
  Qualifier qualifier = Qualifier::kPass;
  MechanismKind kind = MechanismKind::kAll;
  // The term as written, e.g. "-ip4:192.0.2.0/24" (shown in reports).
  std::string text;
  // include, a, mx, ptr, exists: the target domain-spec. Absent for a, mx
  // and ptr written without ":" (they use the current <domain>).
  std::optional<MacroString> domain_spec;
  // ip4, ip6: the network.
  IpAddress network;
  // a, mx (dual-cidr-length) and ip4/ip6: prefix lengths, 32 and 128 when
  // not written.
  int cidr4 = 32;
  int cidr6 = 128;
};

// A modifier other than redirect= and exp=; kept for reports, ignored by the
// evaluation (§6).
struct UnknownModifier {
  std::string name;
  std::string value;
};

struct SpfRecord {
  std::vector<Directive> directives;
  // redirect= and exp=, at most one of each (§6).
  std::optional<MacroString> redirect;
  std::string redirect_text;  // the domain-spec as written
  std::optional<MacroString> explanation;
  std::string explanation_text;
  std::vector<UnknownModifier> unknown_modifiers;
  // Number of terms that cost a DNS lookup when evaluated (§4.6.4).
  size_t lookup_terms = 0;
};

// True when `txt` (one TXT record, its strings joined) is an SPF record:
// "v=spf1" in any case, followed by a space or the end (§4.5).
bool IsSpfRecord(std::string_view txt);

// Parses a whole SPF record (it must pass IsSpfRecord). Terms are separated
// by one or more spaces; trailing spaces are allowed. Returns kMalformed,
// naming the offending term, for: an unknown mechanism, a mechanism with an
// argument it does not take or without one it needs, a bad domain-spec,
// address or prefix length (no leading zeros, at most 32 and 128), a bad
// modifier name or value, and redirect= or exp= given twice.
Result<SpfRecord> ParseSpfRecord(std::string_view txt);

}  // namespace bouncedx::spf

#endif  // BOUNCEDX_CORE_CHECKS_SPF_RECORD_H_
