// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_REVERSE_DNS_H_
#define BOUNCEDX_CORE_CHECKS_REVERSE_DNS_H_

// Reverse DNS of the sending IP, as receiving filters check it: the PTR
// record of the address ("ptr"), and whether each PTR name resolves back to
// the address ("fcrdns", forward-confirmed reverse DNS). A PTR name that
// looks machine-generated (the address's digits, "dyn", "dsl", "pool"...) is
// a warning: many filters treat such names as home connections.

#include <string>
#include <vector>

#include "core/checks/check_machine.h"
#include "core/dns/ip.h"

namespace bouncedx {

class ReverseDnsCheck : public CheckMachine {
 public:
  // `ip` must be a parsed address. At most `max_names` PTR names are
  // forward-checked (RFC 7208 §5.5 uses 10 for the same reason).
  ReverseDnsCheck(const dns::IpAddress& ip, size_t max_names = 10);

  void Start(LookupSink& sink) override;
  void OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) override;

 private:
  void Finish();

  dns::IpAddress ip_;
  std::string ip_text_;
  std::string reverse_name_;
  size_t max_names_;
  std::vector<std::string> names_;  // PTR names asked forward
  size_t forward_pending_ = 0;
  std::vector<std::string> confirmed_;  // names whose A/AAAA include the IP
  std::vector<std::string> forward_notes_;
  bool forward_error_ = false;
};

// True when a PTR name looks generated for a pool of addresses: it holds
// the address's digits or words ISPs use for dynamic ranges. Returns the
// reason in *why.
bool LooksGenericPtr(const std::string& name, const dns::IpAddress& ip, std::string* why);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CHECKS_REVERSE_DNS_H_
