// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_REGISTRY_H_
#define BOUNCEDX_CORE_CHECKS_REGISTRY_H_

// Decides which live checks a diagnosis runs, from what the offline report
// found: reverse DNS and blocklists for the sending IP, the HELO name, the
// recipient domain's MX, and the sender domain's lists and authentication.

#include <memory>
#include <vector>

#include "core/checks/check_machine.h"
#include "core/engine/options.h"
#include "core/knowledge/knowledge.h"
#include "core/report/report.h"

namespace bouncedx {

// A check that asks nothing: it reports a fixed finding (an address that is
// private, a check skipped for a reason).
class StaticCheck : public CheckMachine {
 public:
  explicit StaticCheck(Check check) { checks_.push_back(std::move(check)); }
  void Start(LookupSink&) override {}
  void OnLookup(const LookupKey&, const LookupResult&, LookupSink&) override {}
};

// The checks for `report`'s entities, in the order they are shown. Empty
// when the report names nothing to check. `knowledge` must outlive them.
std::vector<std::unique_ptr<CheckMachine>> MakeChecks(const Report& report,
                                                      const Knowledge& knowledge,
                                                      const Options& options);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CHECKS_REGISTRY_H_
