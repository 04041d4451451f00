// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_SPF_CHECK_H_
#define BOUNCEDX_CORE_CHECKS_SPF_CHECK_H_

// The SPF verdict for the sending IP and the sender's domain, as the
// receiver computed it: the RFC 7208 evaluator (core/checks/spf/) driven by
// the engine's lookups. The check shows the result, the mechanism that
// decided it and the tree of includes and redirects.

#include <string>

#include "core/checks/check_machine.h"
#include "core/checks/spf/evaluator.h"

namespace bouncedx {

class SpfCheck : public CheckMachine {
 public:
  // `ip` the connecting address, `domain` the MAIL FROM domain (or the HELO
  // name when MAIL FROM was empty), `sender` the MAIL FROM address (may be
  // "" when unknown: "postmaster@domain" is used), `helo` may be "".
  SpfCheck(std::string ip, std::string domain, std::string sender, std::string helo,
           const Limits& limits, int64_t now_unix);

  void Start(LookupSink& sink) override;
  void OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) override;

  const spf::SpfOutcome& outcome() const { return evaluator_.outcome(); }

 private:
  void AskWhatIsNeeded(LookupSink& sink);
  void Settle();

  std::string ip_;
  std::string domain_;
  spf::SpfEvaluator evaluator_;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CHECKS_SPF_CHECK_H_
