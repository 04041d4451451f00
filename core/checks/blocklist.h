// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_BLOCKLIST_H_
#define BOUNCEDX_CORE_CHECKS_BLOCKLIST_H_

// One DNS blocklist asked about one IP address or domain. The list's test
// entry is asked alongside: a list that does not answer its own test entry
// through this resolver (Spamhaus answers public resolvers with NXDOMAIN or a
// refusal code) cannot be trusted to say "not listed", and the check then
// ends in `error` with what to do instead, never in `pass`.

#include <string>

#include "core/checks/check_machine.h"
#include "core/dns/ip.h"
#include "core/knowledge/knowledge.h"

namespace bouncedx {

class BlocklistCheck : public CheckMachine {
 public:
  // For an IP list, `subject` is the address text and `ip` its parsed form;
  // for a domain list, `subject` is the domain and `ip` is unused.
  // `dqs_key`, when not empty, sends Spamhaus queries to its Data Query
  // Service instead of the public mirrors. `list` and `knowledge` must
  // outlive the check.
  BlocklistCheck(const Knowledge& knowledge, const Blocklist& list, std::string subject,
                 const dns::IpAddress& ip, const std::string& dqs_key);

  void Start(LookupSink& sink) override;
  void OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) override;

  // The zone actually queried (the DQS zone when a key is used).
  const std::string& query_zone() const { return zone_; }

 private:
  void Finish();
  const BlocklistCode* FindCode(const std::vector<BlocklistCode>& codes,
                                const std::string& value) const;

  const Knowledge& knowledge_;
  const Blocklist& list_;
  std::string subject_;
  std::string zone_;
  std::string query_;       // name asked for the subject
  std::string test_query_;  // name asked for the list's test entry ("" when none)
  bool dqs_ = false;
  int pending_ = 0;
  LookupResult subject_result_;
  LookupResult test_result_;
  bool have_subject_ = false;
  bool have_test_ = false;
};

// "5.113.0.203" for 203.0.113.5; nibbles for IPv6 (RFC 5782 §2.4).
std::string BlocklistLabels(const dns::IpAddress& ip);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CHECKS_BLOCKLIST_H_
