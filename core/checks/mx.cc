// SPDX-License-Identifier: MIT
#include "core/checks/mx.h"

#include <algorithm>

#include "core/base/text.h"
#include "core/dns/types.h"

namespace bouncedx {

const Provider* ProviderForMxHost(const Knowledge& knowledge, const std::string& host) {
  std::string name = ToLower(host);
  while (!name.empty() && name.back() == '.') name.pop_back();
  for (const Provider& provider : knowledge.providers()) {
    for (const std::string& raw_suffix : provider.mx) {
      std::string suffix = ToLower(raw_suffix);
      while (!suffix.empty() && suffix.front() == '.') suffix.erase(0, 1);
      if (suffix.empty()) continue;
      if (name == suffix) return &provider;
      if (name.size() > suffix.size() && name[name.size() - suffix.size() - 1] == '.' &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return &provider;
      }
    }
  }
  return nullptr;
}

MxCheck::MxCheck(const Knowledge& knowledge, std::string domain)
    : knowledge_(knowledge), domain_(ToLower(domain)) {
  checks_.resize(1);
  checks_[0].id = "mx";
  checks_[0].subject = Printable(domain_, 255);
  checks_[0].summary = "looking up the mail servers of " + checks_[0].subject;
}

void MxCheck::Start(LookupSink& sink) { sink.Lookup(this, domain_, dns::RrType::kMx); }

void MxCheck::OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) {
  Check& check = checks_[0];
  if (!result.answered || result.answers.kind == dns::AnswerKind::kRcodeError) {
    check.state = CheckState::kError;
    check.summary = "could not look up the MX of " + check.subject + ": " +
                    DescribeLookupFailure(result);
    return;
  }
  if (result.answers.kind == dns::AnswerKind::kNxDomain) {
    check.state = CheckState::kFail;
    check.cause_id = "domain_no_mail";
    check.summary = check.subject + " does not exist (NXDOMAIN), so it cannot receive mail";
    return;
  }
  std::vector<const dns::ResourceRecord*> mx;
  for (const dns::ResourceRecord& record : result.answers.records) {
    check.records.push_back(ToReportRecord(record));
    if (record.type == dns::RrType::kMx) mx.push_back(&record);
  }
  if (mx.empty()) {
    check.state = CheckState::kWarn;
    check.summary = check.subject + " has no MX record; senders fall back to its A/AAAA address";
    return;
  }
  std::sort(mx.begin(), mx.end(), [](const dns::ResourceRecord* a, const dns::ResourceRecord* b) {
    return a->preference < b->preference;
  });
  if (mx.size() == 1 && (mx[0]->target.empty() || mx[0]->target == ".")) {
    check.state = CheckState::kFail;
    check.cause_id = "domain_no_mail";
    check.summary = check.subject + " publishes a null MX (RFC 7505): it accepts no mail";
    return;
  }
  std::string hosts;
  for (const dns::ResourceRecord* record : mx) {
    hosts += (hosts.empty() ? "" : ", ") + Printable(record->target, 255) + " (" +
             std::to_string(record->preference) + ")";
    if (provider_ == nullptr) provider_ = ProviderForMxHost(knowledge_, record->target);
  }
  check.state = CheckState::kInfo;
  check.summary = check.subject + " receives mail at " + hosts;
  if (provider_ != nullptr) {
    check.summary += "; that is " + provider_->name;
    check.details.push_back("receiving provider: " + provider_->name);
  }
}

}  // namespace bouncedx
