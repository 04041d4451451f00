// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_MX_H_
#define BOUNCEDX_CORE_CHECKS_MX_H_

// The recipient domain's MX records: who receives (and filters) its mail.
// The exchange names are matched against the providers' MX suffixes in the
// knowledge, so "aspmx.l.google.com" names Google. A null MX (RFC 7505) or a
// domain that does not exist fails: that domain cannot receive mail.

#include <string>

#include "core/checks/check_machine.h"
#include "core/knowledge/knowledge.h"

namespace bouncedx {

class MxCheck : public CheckMachine {
 public:
  // `knowledge` must outlive the check.
  MxCheck(const Knowledge& knowledge, std::string domain);

  void Start(LookupSink& sink) override;
  void OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) override;

  // The provider the MX names, or nullptr (valid once the check settled).
  const Provider* recipient_provider() const override { return provider_; }

 private:
  const Knowledge& knowledge_;
  std::string domain_;
  const Provider* provider_ = nullptr;
};

// The provider whose MX suffixes cover `host`, or nullptr.
const Provider* ProviderForMxHost(const Knowledge& knowledge, const std::string& host);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CHECKS_MX_H_
