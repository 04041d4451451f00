// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_ENGINE_REFINE_H_
#define BOUNCEDX_CORE_ENGINE_REFINE_H_

// How live DNS findings refine an offline verdict. A cause may name, in
// causes.json "refined_by", the more precise causes that DNS can reveal
// behind it: "554 5.7.1 Delivery not authorized" from a filter is refined to
// "no reverse DNS for 203.0.113.5" when the PTR check fails. The first cause
// in that list that a failed check points to wins; a warning counts only
// when no failure does.

#include <string>
#include <vector>

#include "core/knowledge/knowledge.h"
#include "core/report/report.h"

namespace bouncedx {

struct Refinement {
  std::string cause_id;         // "" when DNS refines nothing
  const Check* check = nullptr; // the check that showed it
  bool from_warning = false;    // a warning, not a failure, decided
};

Refinement FindRefinement(const Cause& offline_cause, const std::vector<Check>& checks);

// Notes that DNS contradicts the offline reading, e.g. a reply that names a
// blocklist on which the address is not listed now. Empty when none.
std::vector<std::string> FindContradictions(const Report& report);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_ENGINE_REFINE_H_
