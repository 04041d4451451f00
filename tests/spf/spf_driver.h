// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_TESTS_SPF_SPF_DRIVER_H_
#define BOUNCEDX_TESTS_SPF_SPF_DRIVER_H_

// Drives an SpfEvaluator the way a host does, answering its lookups with a
// function, and keeps a log of the lookups it asked.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/checks/spf/evaluator.h"

namespace bouncedx::spf {

using Resolver = std::function<DnsLookup(const SpfLookup&)>;

// Answers every lookup with `resolve` for at most `max_rounds` rounds of
// TakeLookups(). Appends "TYPE name" for each lookup to *log when given.
// Returns false if the evaluator did not finish (a bug).
inline bool Drive(SpfEvaluator& evaluator, const Resolver& resolve, size_t max_rounds,
                  std::vector<std::string>* log = nullptr) {
  for (size_t round = 0; round < max_rounds && !evaluator.finished(); ++round) {
    std::vector<SpfLookup> lookups = evaluator.TakeLookups();
    if (lookups.empty()) return false;
    for (const SpfLookup& lookup : lookups) {
      if (log != nullptr)
        log->push_back(std::string(LookupTypeName(lookup.type)) + " " + lookup.name);
      evaluator.OnLookup(lookup, resolve(lookup));
    }
  }
  return evaluator.finished();
}

}  // namespace bouncedx::spf

#endif  // BOUNCEDX_TESTS_SPF_SPF_DRIVER_H_
