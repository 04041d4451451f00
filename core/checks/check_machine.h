// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_CHECK_MACHINE_H_
#define BOUNCEDX_CORE_CHECKS_CHECK_MACHINE_H_

// The shape of one live DNS check inside a Diagnosis. A check is a small
// state machine: Start() asks its first lookups through a LookupSink, each
// answer comes back through OnLookup(), which may ask more. The check writes
// its results into the Check entries it owns; the engine copies them into
// the report after every event. A check never sees wire bytes, sockets or
// clocks: the engine validates every answer before handing it over.
//
//   class PtrCheck : public CheckMachine {
//     void Start(LookupSink& sink) override { sink.Lookup(this, reverse_name_, kPtr); }
//     void OnLookup(const LookupKey& key, const LookupResult& result,
//                   LookupSink& sink) override { ... }
//   };

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/dns/answer.h"
#include "core/engine/question.h"
#include "core/report/report.h"

namespace bouncedx {

struct Provider;

// A lookup as a check asked it: the name in presentation form, lower case,
// without the trailing dot.
struct LookupKey {
  std::string name;
  uint16_t type = 0;
};

// What a check receives for one lookup.
struct LookupResult {
  // True when a DNS response arrived and matched its question; `answers`
  // then holds what it says (records, NODATA, NXDOMAIN, an error rcode).
  bool answered = false;
  dns::AnswerSet answers;
  // When !answered: why not, for people ("timeout", "resolver unreachable").
  FailureKind failure = FailureKind::kNetwork;
  std::string error;
};

class CheckMachine;

// The engine as a check sees it.
class LookupSink {
 public:
  virtual ~LookupSink() = default;
  // Asks `name`/`type` on behalf of `check`. The result always arrives
  // later through check->OnLookup(), never during this call; when the
  // per-diagnosis question cap is reached, it arrives as a failure.
  virtual void Lookup(CheckMachine* check, std::string_view name, uint16_t type) = 0;
};

class CheckMachine {
 public:
  virtual ~CheckMachine() = default;

  virtual void Start(LookupSink& sink) = 0;
  virtual void OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) = 0;

  // The report entries this check owns, in the order they are shown.
  const std::vector<Check>& checks() const { return checks_; }

  // The mailbox provider or filter this check's answers name for the
  // recipient (the MX check's exchange names do), or nullptr.
  virtual const Provider* recipient_provider() const { return nullptr; }

 protected:
  CheckMachine() = default;
  // Not copyable: the engine keeps pointers to checks while lookups are out.
  CheckMachine(const CheckMachine&) = delete;
  CheckMachine& operator=(const CheckMachine&) = delete;

  std::vector<Check> checks_;
};

// Short words for a failed lookup, for check summaries: "timeout",
// "NXDOMAIN", "SERVFAIL from the resolver", "resolver unreachable: ...".
std::string DescribeLookupFailure(const LookupResult& result);

// A DnsRecord for the report from a parsed record.
DnsRecord ToReportRecord(const dns::ResourceRecord& record);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CHECKS_CHECK_MACHINE_H_
