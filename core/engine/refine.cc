// SPDX-License-Identifier: MIT
#include "core/engine/refine.h"

#include "core/base/text.h"

namespace bouncedx {

Refinement FindRefinement(const Cause& offline_cause, const std::vector<Check>& checks) {
  Refinement best;
  for (bool warnings : {false, true}) {
    for (const std::string& candidate : offline_cause.refined_by) {
      for (const Check& check : checks) {
        bool counts = warnings ? check.state == CheckState::kWarn : check.state == CheckState::kFail;
        if (counts && check.cause_id == candidate) {
          best.cause_id = candidate;
          best.check = &check;
          best.from_warning = warnings;
          return best;
        }
      }
    }
  }
  return best;
}

std::vector<std::string> FindContradictions(const Report& report) {
  std::vector<std::string> notes;
  const std::string& zone = report.entities.blocklist_zone;
  if (!zone.empty()) {
    for (const Check& check : report.checks) {
      if (check.id == "dnsbl:" + zone && check.state == CheckState::kPass) {
        notes.push_back("the reply names " + zone + ", but " + check.subject +
                        " is not listed there now: it may have been removed since, or the "
                        "receiver used an older copy of the list");
      }
    }
  }
  return notes;
}

}  // namespace bouncedx
