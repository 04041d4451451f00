// SPDX-License-Identifier: MIT
#include "core/checks/check_machine.h"

#include "core/dns/message.h"
#include "core/dns/types.h"
#include "core/base/text.h"

namespace bouncedx {

std::string DescribeLookupFailure(const LookupResult& result) {
  if (!result.answered) {
    std::string what = FailureKindName(result.failure);
    if (result.failure == FailureKind::kTimeout) what = "no answer in time";
    if (result.failure == FailureKind::kNetwork) what = "resolver unreachable";
    if (!result.error.empty() && result.error != what) what += ": " + result.error;
    return what;
  }
  switch (result.answers.kind) {
    case dns::AnswerKind::kAnswer: return "answered";
    case dns::AnswerKind::kNoData: return "no such record (NODATA)";
    case dns::AnswerKind::kNxDomain: return "the name does not exist (NXDOMAIN)";
    case dns::AnswerKind::kRcodeError:
      return std::string(dns::RcodeName(result.answers.rcode)) + " from the resolver";
    case dns::AnswerKind::kCnameLoop: return "CNAME loop";
    case dns::AnswerKind::kCnameChainTooLong: return "CNAME chain too long";
  }
  return "unexpected answer";
}

DnsRecord ToReportRecord(const dns::ResourceRecord& record) {
  DnsRecord out;
  out.name = record.name;
  out.type = dns::RrTypeName(record.type);
  out.ttl = record.ttl;
  // Record data is hostile text: make it printable and bounded.
  out.name = Printable(record.name, 300);
  out.data = Printable(dns::RdataToText(record), 2000);
  return out;
}

}  // namespace bouncedx
