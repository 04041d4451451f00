// SPDX-License-Identifier: MIT
#include "core/checks/registry.h"

#include "core/base/text.h"
#include "core/checks/blocklist.h"
#include "core/checks/dkim_key.h"
#include "core/checks/dmarc.h"
#include "core/checks/helo.h"
#include "core/checks/mx.h"
#include "core/checks/reverse_dns.h"
#include "core/checks/spf_check.h"
#include "core/dns/ip.h"
#include "core/dns/name.h"

namespace bouncedx {

std::vector<std::unique_ptr<CheckMachine>> MakeChecks(const Report& report,
                                                      const Knowledge& knowledge,
                                                      const Options& options) {
  std::vector<std::unique_ptr<CheckMachine>> checks;
  const Entities& entities = report.entities;

  dns::IpAddress ip;
  if (!entities.sending_ip.empty() && dns::ParseIp(entities.sending_ip, &ip)) {
    dns::IpScope scope = dns::ClassifyIp(ip);
    // Documentation ranges are reserved, but they are what examples and our
    // fixture zones use; checking them costs nothing and harms no one.
    bool checkable = scope == dns::IpScope::kPublic || scope == dns::IpScope::kDocumentation;
    if (checkable) {
      checks.push_back(std::make_unique<ReverseDnsCheck>(ip));
      for (const Blocklist& list : knowledge.blocklists()) {
        if (list.kind != "ip" || !list.queried_by_default) continue;
        checks.push_back(std::make_unique<BlocklistCheck>(knowledge, list, dns::FormatIp(ip), ip,
                                                          options.spamhaus_dqs_key));
      }
    } else {
      Check check;
      check.id = "ptr";
      check.subject = dns::FormatIp(ip);
      check.state = CheckState::kInfo;
      check.summary = check.subject + " is a " + dns::IpScopeName(scope) +
                      " address: the receiving server saw another, public address; find it in "
                      "the Received headers of a delivered copy";
      checks.push_back(std::make_unique<StaticCheck>(std::move(check)));
    }
  }

  if (!entities.helo.empty()) checks.push_back(std::make_unique<HeloCheck>(entities.helo));

  // SPF of the envelope sender's domain (the HELO name when there is none)
  // for the address the receiver saw.
  std::string spf_domain = entities.envelope_sender_domain.empty()
                               ? entities.helo
                               : entities.envelope_sender_domain;
  if (ip.family != dns::IpFamily::kNone && !spf_domain.empty() && dns::IsValidName(ToLower(spf_domain))) {
    checks.push_back(std::make_unique<SpfCheck>(dns::FormatIp(ip), spf_domain, "", entities.helo,
                                                options.limits, options.now_unix));
  }

  // DMARC of the From domain, judged with whatever authentication results
  // the headers recorded (a trusted Authentication-Results); and the DKIM
  // key of each signature seen.
  std::string from_domain = ToLower(entities.header_from_domain);
  if (!from_domain.empty() && dns::IsValidName(from_domain)) {
    AuthIdentity spf{ToLower(entities.envelope_sender_domain), ""};
    std::vector<AuthIdentity> dkim;
    for (const AuthResult& result : report.auth_results) {
      if (!result.trusted) continue;  // results the recipient did not write do not count
      if (result.method == "spf" && spf.result.empty()) spf.result = result.result;
      if (result.method == "dkim" && !result.domain.empty()) dkim.push_back({result.domain, result.result});
    }
    checks.push_back(std::make_unique<DmarcCheck>(from_domain, spf, dkim));
  }
  std::vector<std::pair<std::string, std::string>> selectors;
  for (const DkimSelector& d : entities.dkim) {
    auto key = std::make_pair(ToLower(d.domain), ToLower(d.selector));
    bool seen = false;
    for (const auto& existing : selectors) seen = seen || existing == key;
    if (seen || key.first.empty() || key.second.empty()) continue;
    selectors.push_back(key);
    checks.push_back(std::make_unique<DkimKeyCheck>(key.first, key.second));
  }

  // Domain blocklists for the sender's domains.
  std::vector<std::string> domains;
  for (const std::string& domain : {entities.envelope_sender_domain, entities.header_from_domain}) {
    std::string lower = ToLower(domain);
    if (lower.empty() || !dns::IsValidName(lower)) continue;
    bool seen = false;
    for (const std::string& existing : domains) seen = seen || existing == lower;
    if (!seen) domains.push_back(lower);
  }
  for (const std::string& domain : domains) {
    for (const Blocklist& list : knowledge.blocklists()) {
      if (list.kind != "domain" || !list.queried_by_default) continue;
      checks.push_back(std::make_unique<BlocklistCheck>(knowledge, list, domain, dns::IpAddress(),
                                                        options.spamhaus_dqs_key));
    }
  }

  if (!entities.recipient_domain.empty() && dns::IsValidName(entities.recipient_domain)) {
    checks.push_back(std::make_unique<MxCheck>(knowledge, entities.recipient_domain));
  }
  return checks;
}

}  // namespace bouncedx
