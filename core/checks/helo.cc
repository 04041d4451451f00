// SPDX-License-Identifier: MIT
#include "core/checks/helo.h"

#include "core/base/text.h"
#include "core/dns/ip.h"
#include "core/dns/name.h"
#include "core/dns/types.h"

namespace bouncedx {

HeloCheck::HeloCheck(std::string helo) : helo_(Printable(helo, 255)), name_(ToLower(helo)) {
  while (!name_.empty() && name_.back() == '.') name_.pop_back();
  checks_.resize(1);
  checks_[0].id = "helo";
  checks_[0].subject = helo_;
  checks_[0].summary = "looking up the HELO name " + helo_;
}

void HeloCheck::Start(LookupSink& sink) {
  Check& check = checks_[0];
  dns::IpAddress ip;
  std::string inner = name_;
  if (inner.size() > 2 && inner.front() == '[' && inner.back() == ']') {
    inner = inner.substr(1, inner.size() - 2);
    if (StartsWithCaseless(inner, "ipv6:")) inner.erase(0, 5);
    if (dns::ParseIp(inner, &ip)) {
      check.state = CheckState::kWarn;
      check.cause_id = "helo_invalid";
      check.summary = "the HELO name " + helo_ +
                      " is an address literal; many filters want the server's own host name";
      return;
    }
  }
  if (dns::ParseIp(name_, &ip)) {
    check.state = CheckState::kFail;
    check.cause_id = "helo_invalid";
    check.summary = "the HELO name " + helo_ + " is a bare address without brackets, which "
                    "RFC 5321 does not allow";
    return;
  }
  if (name_ == "localhost" || name_ == "localhost.localdomain" || name_.find('.') == std::string::npos) {
    check.state = CheckState::kFail;
    check.cause_id = "helo_invalid";
    check.summary = "the HELO name " + helo_ + " is not a fully-qualified domain name";
    return;
  }
  if (!dns::IsValidName(name_)) {
    check.state = CheckState::kFail;
    check.cause_id = "helo_invalid";
    check.summary = "the HELO name " + helo_ + " is not a valid domain name";
    return;
  }
  pending_ = 3;
  sink.Lookup(this, name_, dns::RrType::kA);
  sink.Lookup(this, name_, dns::RrType::kAaaa);
  sink.Lookup(this, name_, dns::RrType::kMx);
}

void HeloCheck::OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) {
  if (pending_ == 0) return;
  Check& check = checks_[0];
  --pending_;
  if (!result.answered || result.answers.kind == dns::AnswerKind::kRcodeError) {
    error_ = true;
    errors_ += std::string(errors_.empty() ? "" : "; ") + dns::RrTypeName(key.type) + ": " +
               DescribeLookupFailure(result);
  } else {
    for (const dns::ResourceRecord& record : result.answers.records) {
      check.records.push_back(ToReportRecord(record));
      found_ = true;
    }
  }
  if (pending_ > 0) return;
  if (found_) {
    check.state = CheckState::kPass;
    check.summary = "the HELO name " + helo_ + " has DNS records";
  } else if (error_) {
    check.state = CheckState::kError;
    check.summary = "could not look up the HELO name " + helo_ + ": " + errors_;
  } else {
    check.state = CheckState::kFail;
    check.cause_id = "helo_invalid";
    check.summary = "the HELO name " + helo_ + " has no A, AAAA or MX record";
  }
}

}  // namespace bouncedx
