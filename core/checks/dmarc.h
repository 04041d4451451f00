// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_DMARC_H_
#define BOUNCEDX_CORE_CHECKS_DMARC_H_

// DMARC (RFC 7489): the policy record a From domain publishes at
// _dmarc.<domain>, the alignment of the SPF and DKIM identifiers with that
// domain, and the live check that puts both together.
//
// The record parser is separate from the check so that it can be fuzzed and
// tested alone:
//
//   Result<DmarcRecord> record = ParseDmarcRecord("v=DMARC1; p=reject; adkim=s");
//   record->policy;                    // DmarcPolicy::kReject
//   IsAligned("example.com", "mail.example.com", DmarcAlignment::kRelaxed);  // true
//
// The check, as the engine runs it:
//
//   DmarcCheck check("example.com", {"bounce.example.com", "pass"},
//                    {{"example.com", "fail"}});
//   check.Start(sink);   // asks _dmarc.example.com TXT
//   // ... OnLookup(); for a subdomain without its own record, it then asks
//   // _dmarc.<organisational domain> (RFC 7489 §6.6.3)

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/checks/check_machine.h"

namespace bouncedx {

enum class DmarcPolicy { kNone, kQuarantine, kReject };
// "none", "quarantine", "reject".
const char* DmarcPolicyName(DmarcPolicy policy);

enum class DmarcAlignment { kRelaxed, kStrict };
// "relaxed", "strict".
const char* DmarcAlignmentName(DmarcAlignment alignment);

// A parsed DMARC record. Tags that were absent or invalid hold their
// RFC 7489 §6.3 defaults; `warnings` says which values were ignored.
struct DmarcRecord {
  // p=. When the record had no valid p= but a valid rua= address, this is
  // kNone and `policy_from_rua` is true (RFC 7489 §6.6.3 step 6).
  DmarcPolicy policy = DmarcPolicy::kNone;
  bool policy_from_rua = false;
  // sp= (subdomains) and np= (non-existent subdomains, RFC 9091).
  bool has_subdomain_policy = false;
  DmarcPolicy subdomain_policy = DmarcPolicy::kNone;
  bool has_nonexistent_policy = false;
  DmarcPolicy nonexistent_policy = DmarcPolicy::kNone;
  DmarcAlignment dkim_alignment = DmarcAlignment::kRelaxed;  // adkim=
  DmarcAlignment spf_alignment = DmarcAlignment::kRelaxed;   // aspf=
  int percent = 100;                                         // pct=, 0..100
  std::vector<std::string> aggregate_uris;                   // rua=, valid URIs only
  std::vector<std::string> failure_uris;                     // ruf=, valid URIs only
  std::string failure_options = "0";                         // fo=
  std::string report_format = "afrf";                        // rf=
  uint32_t report_interval = 86400;                          // ri=, seconds
  // Tag names that DMARC does not define, lower-cased and Printable(); they
  // are ignored (RFC 7489 §6.3), but a typo ("adkm") is worth showing.
  std::vector<std::string> unknown_tags;
  // Values that were ignored in favour of the default, for people:
  // "dmarc: pct=150 is not 0..100; 100 applies". Already Printable().
  std::vector<std::string> warnings;
};

// True when `text` starts with the version tag "v=DMARC1" (white space
// allowed around "=", "DMARC1" exactly as written, then ";" or the end): the
// test RFC 7489 §6.6.3 uses to keep a TXT record as a DMARC record.
bool IsDmarcRecord(std::string_view text);

// Parses one DMARC record. Tags are "name=value" separated by ";", with
// white space allowed around names, values and separators; names and the
// keyword values are case-insensitive; unknown tags are ignored; a tag given
// twice keeps its first value (with a warning). Invalid values of optional
// tags fall back to their defaults with a warning. Fails with kMalformed when
// the record does not start with v=DMARC1, and when it has no valid p= (or an
// invalid sp=) and no valid rua= address, in which case receivers apply no
// DMARC policy at all (RFC 7489 §6.6.3). Error texts start with "dmarc: "
// and quote input only through Printable().
Result<DmarcRecord> ParseDmarcRecord(std::string_view text);

// True when `identifier` (an SPF MAIL FROM domain or a DKIM d= domain) is
// aligned with the From domain `from` (RFC 7489 §3.1): equal (ignoring case
// and a trailing dot) for strict, and with the same organisational domain
// (core/checks/psl.h) for relaxed. False when either is not a name.
bool IsAligned(std::string_view from, std::string_view identifier, DmarcAlignment mode);

// An authenticated identifier as a receiver reported it.
struct AuthIdentity {
  std::string domain;  // SPF: the MAIL FROM (Return-Path) domain; DKIM: d=
  // The method's result as in Authentication-Results: "pass", "fail",
  // "softfail", "neutral", "none", "temperror", "permerror"... Only "pass"
  // (any case) counts for DMARC. "" when unknown.
  std::string result;
};

// The From domain's DMARC policy and whether the given SPF and DKIM results
// would satisfy it. One report entry, id "dmarc", subject the From domain.
// States:
//   pass  a record applies and an aligned identifier passed;
//   fail  (cause "dmarc_reject") p/sp is quarantine or reject, results are
//         known, and nothing aligned passed;
//   warn  no record, several records, a record receivers discard, or p=none
//         without an aligned pass;
//   info  a quarantine/reject policy while the results are unknown (the
//         details say what must align);
//   error a lookup failed, or the From domain is not a domain name.
class DmarcCheck : public CheckMachine {
 public:
  // `from_domain` the RFC 5322 From domain. `spf` the MAIL FROM domain and
  // the SPF result (domain "" when unknown). `dkim` the d= domains of the
  // message's signatures with their results (may be empty).
  DmarcCheck(std::string from_domain, AuthIdentity spf, std::vector<AuthIdentity> dkim);

  void Start(LookupSink& sink) override;
  void OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) override;

 private:
  // Handles the TXT answer for `record_domain`: the From domain, or (with
  // `at_org`) its organisational domain, asked when the first had no record.
  void OnRecords(const LookupResult& result, const std::string& record_domain, bool at_org,
                 LookupSink& sink);
  void Evaluate(const DmarcRecord& record, const std::string& record_domain);
  void NoRecord();

  std::string from_;      // lower case, no trailing dot
  std::string org_;       // organisational domain of from_
  AuthIdentity spf_;
  std::vector<AuthIdentity> dkim_;
  std::string from_query_;
  std::string org_query_;
  bool done_ = false;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CHECKS_DMARC_H_
