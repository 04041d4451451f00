// SPDX-License-Identifier: MIT
// Fuzzes the SPF record parser, the macro parser and expander, and the
// evaluator. The input is an SPF record (given "v=spf1 " in front when it
// lacks one); the evaluator is then run against a fake zone in which every
// TXT lookup answers that same record, so includes and redirects loop back
// into it and the limits must stop them.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/limits.h"
#include "core/checks/spf/evaluator.h"
#include "core/checks/spf/macro.h"
#include "core/checks/spf/record.h"

namespace {

using bouncedx::spf::DnsLookup;
using bouncedx::spf::DnsOutcome;
using bouncedx::spf::LookupType;

void ExpandEverything(const bouncedx::spf::SpfRecord& record) {
  bouncedx::spf::MacroValues values;
  values.sender = "user@example.com";
  values.local_part = "user";
  values.sender_domain = "example.com";
  values.domain = "example.com";
  values.ip = *bouncedx::spf::ParseIpAddress("2001:db8::1");
  values.helo = "mail.example.com";
  for (const bouncedx::spf::Directive& directive : record.directives) {
    if (directive.domain_spec) (void)ExpandMacroString(*directive.domain_spec, values);
  }
  if (record.redirect) (void)ExpandMacroString(*record.redirect, values);
  if (record.explanation) (void)ExpandMacroString(*record.explanation, values);
}

DnsLookup Answer(const bouncedx::spf::SpfLookup& lookup, const std::string& record, bool v6) {
  switch (lookup.type) {
    case LookupType::kTxt:
      return DnsLookup{DnsOutcome::kOk, {record, "v=spf1 ?all"}};
    case LookupType::kA:
      return DnsLookup{DnsOutcome::kOk, {"192.0.2.1", "not an address"}};
    case LookupType::kAaaa:
      return DnsLookup{DnsOutcome::kOk, {"2001:db8::1"}};
    case LookupType::kMx:
      return DnsLookup{DnsOutcome::kOk, {"mx.example.com", "", "."}};
    case LookupType::kPtr:
      return v6 ? DnsLookup{DnsOutcome::kTimeout, {}}
                : DnsLookup{DnsOutcome::kOk, {"mail.example.com.", "x.example.org"}};
  }
  return DnsLookup{DnsOutcome::kNxDomain, {}};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string record(text);
  if (!bouncedx::spf::IsSpfRecord(record)) record = "v=spf1 " + record;

  bouncedx::Result<bouncedx::spf::SpfRecord> parsed = bouncedx::spf::ParseSpfRecord(record);
  if (parsed.ok()) ExpandEverything(parsed.value());
  (void)bouncedx::spf::ParseMacroString(text, bouncedx::spf::MacroContext::kExplanation);
  (void)bouncedx::spf::ParseDomainSpec(text);

  for (bool v6 : {false, true}) {
    bouncedx::spf::SpfInput input;
    input.ip = v6 ? "2001:db8::1" : "192.0.2.1";
    input.sender = "user@example.com";
    input.helo = "mail.example.com";
    input.default_explanation = std::string(text);
    bouncedx::spf::SpfEvaluator evaluator(input, bouncedx::Limits());
    // Each round answers at least one new lookup and there are at most
    // max_dns_questions of them, so the evaluator must finish in time.
    for (size_t round = 0; round < 400 && !evaluator.finished(); ++round) {
      for (const bouncedx::spf::SpfLookup& lookup : evaluator.TakeLookups()) {
        evaluator.OnLookup(lookup, Answer(lookup, record, v6));
      }
    }
    if (!evaluator.finished()) __builtin_trap();
    const bouncedx::spf::SpfOutcome& outcome = evaluator.outcome();
    if (outcome.nodes.empty() || outcome.deciding_node < 0 ||
        static_cast<size_t>(outcome.deciding_node) >= outcome.nodes.size()) {
      __builtin_trap();
    }
  }
  return 0;
}
