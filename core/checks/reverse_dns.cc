// SPDX-License-Identifier: MIT
#include "core/checks/reverse_dns.h"

#include <algorithm>

#include "core/base/text.h"
#include "core/dns/types.h"

namespace bouncedx {

namespace {

// Words that ISPs put in the PTR names of dynamic and residential pools.
constexpr std::string_view kPoolWords[] = {
    "dynamic", "dyn", "dhcp", "dsl", "adsl", "vdsl", "xdsl", "pool", "cable", "ppp",
    "pppoe", "dialup", "dial", "broadband", "customer", "cust", "client", "clients",
    "residential", "resident", "res", "home", "user", "users", "host", "ip", "static",
    "unassigned", "nat", "cpe", "fibre", "fiber", "ftth", "lte", "mobile", "wireless", "wlan",
};

bool HasWord(const std::string& name, std::string_view word) {
  // A word counts when it stands between separators or digits.
  size_t pos = 0;
  while ((pos = name.find(word, pos)) != std::string::npos) {
    size_t end = pos + word.size();
    bool left = pos == 0 || !IsAlpha(name[pos - 1]);
    bool right = end == name.size() || !IsAlpha(name[end]);
    if (left && right) return true;
    pos = end;
  }
  return false;
}

}  // namespace

bool LooksGenericPtr(const std::string& raw_name, const dns::IpAddress& ip, std::string* why) {
  std::string name = ToLower(raw_name);
  if (ip.family == dns::IpFamily::kV4) {
    const auto& b = ip.bytes;
    std::string d[4] = {std::to_string(b[0]), std::to_string(b[1]), std::to_string(b[2]),
                        std::to_string(b[3])};
    // The last two octets in either order with any separator are enough: a
    // hand-made server name rarely repeats its own address.
    for (const char* sep : {"-", ".", "_", ""}) {
      std::string forward = d[2] + sep + d[3];
      std::string backward = d[3] + sep + d[2];
      if ((d[2].size() + d[3].size() >= 3) &&
          (name.find(forward) != std::string::npos || name.find(backward) != std::string::npos)) {
        *why = "it contains the address's own digits";
        return true;
      }
    }
  }
  // Leftmost labels only: the provider's domain may well contain "mail" or "net".
  size_t last_dot = name.rfind('.');
  size_t second_dot = last_dot == std::string::npos ? std::string::npos : name.rfind('.', last_dot - 1);
  std::string host_part = second_dot == std::string::npos ? name : name.substr(0, second_dot);
  for (std::string_view word : kPoolWords) {
    if (HasWord(host_part, word)) {
      *why = "it contains \"" + std::string(word) + "\", a word ISPs use for address pools";
      return true;
    }
  }
  return false;
}

ReverseDnsCheck::ReverseDnsCheck(const dns::IpAddress& ip, size_t max_names)
    : ip_(ip), ip_text_(dns::FormatIp(ip)), reverse_name_(dns::ReverseName(ip)),
      max_names_(max_names) {
  checks_.resize(2);
  checks_[0].id = "ptr";
  checks_[0].subject = ip_text_;
  checks_[0].summary = "looking up the PTR record of " + ip_text_;
  checks_[1].id = "fcrdns";
  checks_[1].subject = ip_text_;
  checks_[1].summary = "waiting for the PTR names of " + ip_text_;
}

void ReverseDnsCheck::Start(LookupSink& sink) { sink.Lookup(this, reverse_name_, dns::RrType::kPtr); }

void ReverseDnsCheck::OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) {
  Check& ptr = checks_[0];
  Check& fcrdns = checks_[1];
  if (key.type == dns::RrType::kPtr) {
    if (!result.answered || result.answers.kind == dns::AnswerKind::kRcodeError ||
        result.answers.kind == dns::AnswerKind::kCnameLoop ||
        result.answers.kind == dns::AnswerKind::kCnameChainTooLong) {
      ptr.state = CheckState::kError;
      ptr.summary = "could not look up the PTR record of " + ip_text_ + ": " +
                    DescribeLookupFailure(result);
      fcrdns.state = CheckState::kError;
      fcrdns.summary = "not checked: the PTR lookup failed";
      return;
    }
    for (const dns::ResourceRecord& record : result.answers.records) {
      ptr.records.push_back(ToReportRecord(record));
      if (record.type == dns::RrType::kPtr && names_.size() < max_names_ && !record.target.empty()) {
        names_.push_back(ToLower(record.target));
      }
    }
    if (names_.empty()) {
      ptr.state = CheckState::kFail;
      ptr.cause_id = "ptr_missing";
      ptr.summary = ip_text_ + " has no reverse DNS name (no PTR record: " +
                    DescribeLookupFailure(result) + ")";
      ptr.details.push_back("asked " + reverse_name_ + " PTR");
      fcrdns.state = CheckState::kFail;
      fcrdns.cause_id = "ptr_missing";
      fcrdns.summary = "cannot be forward-confirmed: " + ip_text_ + " has no PTR name";
      return;
    }
    std::string why;
    std::string list;
    for (const std::string& name : names_) list += (list.empty() ? "" : ", ") + Printable(name, 255);
    if (LooksGenericPtr(names_.front(), ip_, &why)) {
      ptr.state = CheckState::kWarn;
      ptr.cause_id = "ptr_generic";
      ptr.summary = ip_text_ + " has the PTR name " + list + ", which looks generic: " + why;
    } else {
      ptr.state = CheckState::kPass;
      ptr.summary = ip_text_ + " has the PTR name " + list;
    }
    if (result.answers.records.size() > names_.size()) {
      ptr.details.push_back("only the first " + std::to_string(max_names_) +
                            " PTR names are checked");
    }
    fcrdns.summary = "checking that " + list + " resolves back to " + ip_text_;
    uint16_t type = ip_.family == dns::IpFamily::kV6 ? dns::RrType::kAaaa : dns::RrType::kA;
    forward_pending_ = names_.size();
    for (const std::string& name : names_) sink.Lookup(this, name, type);
    return;
  }

  // A forward lookup of one PTR name.
  if (forward_pending_ == 0) return;
  --forward_pending_;
  if (!result.answered || result.answers.kind == dns::AnswerKind::kRcodeError) {
    forward_error_ = true;
    forward_notes_.push_back(Printable(key.name, 255) + ": " + DescribeLookupFailure(result));
  } else {
    std::vector<std::string> addresses;
    for (const dns::ResourceRecord& record : result.answers.records) {
      fcrdns.records.push_back(ToReportRecord(record));
      if (!record.address.empty()) addresses.push_back(record.address);
    }
    dns::IpAddress parsed;
    bool matched = false;
    for (const std::string& address : addresses) {
      if (dns::ParseIp(address, &parsed) && parsed == ip_) matched = true;
    }
    if (matched) {
      confirmed_.push_back(key.name);
    } else {
      std::string seen;
      for (const std::string& address : addresses) seen += (seen.empty() ? "" : ", ") + address;
      forward_notes_.push_back(Printable(key.name, 255) + " resolves to " +
                               (seen.empty() ? DescribeLookupFailure(result) : seen));
    }
  }
  if (forward_pending_ == 0) Finish();
}

void ReverseDnsCheck::Finish() {
  Check& fcrdns = checks_[1];
  fcrdns.details = forward_notes_;
  if (!confirmed_.empty()) {
    fcrdns.state = CheckState::kPass;
    fcrdns.summary = Printable(confirmed_.front(), 255) + " resolves back to " + ip_text_ +
                     " (forward-confirmed)";
    return;
  }
  if (forward_error_) {
    fcrdns.state = CheckState::kError;
    fcrdns.summary = "could not confirm the PTR name of " + ip_text_ + ": a lookup failed";
    return;
  }
  fcrdns.state = CheckState::kFail;
  fcrdns.cause_id = "ptr_not_fcrdns";
  fcrdns.summary = "the PTR name " + Printable(names_.front(), 255) + " does not resolve back to " +
                   ip_text_ + (forward_notes_.empty() ? "" : " (" + forward_notes_.front() + ")");
}

}  // namespace bouncedx
