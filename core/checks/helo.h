// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_HELO_H_
#define BOUNCEDX_CORE_CHECKS_HELO_H_

// The HELO/EHLO name the sending server announced: a fully-qualified name
// with an A, AAAA or MX record passes; a bare word, "localhost", an address
// without brackets, or a name with no records at all fails, as filters that
// check it (Postfix's reject_unknown_helo_hostname and its kin) reject.

#include <string>

#include "core/checks/check_machine.h"

namespace bouncedx {

class HeloCheck : public CheckMachine {
 public:
  explicit HeloCheck(std::string helo);

  void Start(LookupSink& sink) override;
  void OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) override;

 private:
  std::string helo_;   // as announced, made printable
  std::string name_;   // lower case, no trailing dot
  int pending_ = 0;
  bool found_ = false;
  bool error_ = false;
  std::string errors_;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CHECKS_HELO_H_
