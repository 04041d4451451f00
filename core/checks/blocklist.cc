// SPDX-License-Identifier: MIT
#include "core/checks/blocklist.h"

#include "core/base/text.h"
#include "core/dns/types.h"

namespace bouncedx {

namespace {

constexpr std::string_view kReverseV4 = ".in-addr.arpa";
constexpr std::string_view kReverseV6 = ".ip6.arpa";
constexpr std::string_view kSpamhausSuffix = ".spamhaus.org";
constexpr std::string_view kDqsSuffix = ".dq.spamhaus.net";

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::string BlocklistLabels(const dns::IpAddress& ip) {
  std::string reverse = dns::ReverseName(ip);
  for (std::string_view suffix : {kReverseV4, kReverseV6}) {
    if (EndsWith(reverse, suffix)) return reverse.substr(0, reverse.size() - suffix.size());
  }
  return reverse;
}

BlocklistCheck::BlocklistCheck(const Knowledge& knowledge, const Blocklist& list,
                               std::string subject, const dns::IpAddress& ip,
                               const std::string& dqs_key)
    : knowledge_(knowledge), list_(list), subject_(std::move(subject)), zone_(ToLower(list.zone)) {
  // Spamhaus's Data Query Service: <key>.<list>.dq.spamhaus.net.
  if (!dqs_key.empty() && EndsWith(zone_, kSpamhausSuffix)) {
    std::string prefix = zone_.substr(0, zone_.size() - kSpamhausSuffix.size());
    zone_ = ToLower(dqs_key) + "." + prefix + std::string(kDqsSuffix);
    dqs_ = true;
  }
  if (list.kind == "ip") {
    query_ = BlocklistLabels(ip) + "." + zone_;
    dns::IpAddress test;
    if (!list.test_point.empty() && dns::ParseIp(list.test_point, &test)) {
      test_query_ = BlocklistLabels(test) + "." + zone_;
    }
  } else {
    query_ = ToLower(subject_) + "." + zone_;
    if (!list.test_point.empty()) test_query_ = ToLower(list.test_point) + "." + zone_;
  }
  checks_.resize(1);
  Check& check = checks_[0];
  check.id = "dnsbl:" + ToLower(list.zone);
  check.subject = Printable(subject_, 255);
  check.summary = "asking " + list.name + " about " + check.subject;
}

void BlocklistCheck::Start(LookupSink& sink) {
  pending_ = 1;
  sink.Lookup(this, query_, dns::RrType::kA);
  if (!test_query_.empty()) {
    ++pending_;
    sink.Lookup(this, test_query_, dns::RrType::kA);
  }
}

void BlocklistCheck::OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) {
  if (pending_ == 0) return;
  if (key.name == query_ && !have_subject_) {
    subject_result_ = result;
    have_subject_ = true;
  } else if (key.name == test_query_ && !have_test_) {
    test_result_ = result;
    have_test_ = true;
  } else {
    return;
  }
  if (--pending_ == 0) Finish();
}

const BlocklistCode* BlocklistCheck::FindCode(const std::vector<BlocklistCode>& codes,
                                              const std::string& value) const {
  for (const BlocklistCode& code : codes) {
    if (code.value == value) return &code;
  }
  return nullptr;
}

void BlocklistCheck::Finish() {
  Check& check = checks_[0];
  const std::string& who = list_.name;
  std::string public_note = knowledge_.public_resolver_note();
  const LookupResult& r = subject_result_;
  for (const dns::ResourceRecord& record : r.answers.records) check.records.push_back(ToReportRecord(record));

  if (!r.answered || r.answers.kind == dns::AnswerKind::kRcodeError ||
      r.answers.kind == dns::AnswerKind::kCnameLoop ||
      r.answers.kind == dns::AnswerKind::kCnameChainTooLong) {
    check.state = CheckState::kError;
    check.summary = "could not ask " + who + ": " + DescribeLookupFailure(r);
    if (r.answered && r.answers.rcode == dns::Rcode::kRefused && list_.refuses_public_resolvers &&
        !public_note.empty()) {
      check.details.push_back(public_note);
    }
    return;
  }

  // Listed, refused, or an answer we cannot read.
  std::vector<std::string> listed;
  std::string refusal;
  for (const dns::ResourceRecord& record : r.answers.records) {
    if (record.type != dns::RrType::kA) continue;
    if (const BlocklistCode* code = FindCode(list_.refusal_codes, record.address)) {
      refusal = record.address + ": " + code->meaning;
      continue;
    }
    const BlocklistCode* code = FindCode(list_.codes, record.address);
    std::string meaning = code != nullptr ? code->meaning : "a return code this list does not document";
    listed.push_back(record.address + ": " + meaning);
    if (check.cause_id.empty()) {
      check.cause_id = code != nullptr && !code->cause.empty() ? code->cause : "dnsbl_public";
    }
  }
  if (!refusal.empty() && listed.empty()) {
    check.state = CheckState::kError;
    check.cause_id.clear();
    check.summary = who + " refused the query (" + refusal + ")";
    if (!public_note.empty()) check.details.push_back(public_note);
    if (!list_.lookup_url.empty()) check.details.push_back("look the address up on " + list_.lookup_url);
    return;
  }
  if (!listed.empty()) {
    check.state = CheckState::kFail;
    check.summary = check.subject + " is listed on " + who + " (" + listed.front() + ")";
    for (size_t i = 1; i < listed.size(); ++i) check.details.push_back("also " + listed[i]);
    if (!list_.delist_url.empty()) check.details.push_back("removal: " + list_.delist_url);
    return;
  }

  // Not listed: believe it only if the list answered its own test entry.
  if (!test_query_.empty()) {
    const LookupResult& t = test_result_;
    bool test_listed = false;
    bool test_refused = false;
    for (const dns::ResourceRecord& record : t.answers.records) {
      if (record.type != dns::RrType::kA) continue;
      if (FindCode(list_.refusal_codes, record.address) != nullptr) {
        test_refused = true;
      } else {
        test_listed = true;
      }
    }
    if (t.answered && !test_listed) {
      check.state = CheckState::kError;
      check.summary = who + " did not answer its own test entry through this resolver" +
                      std::string(test_refused ? " (it refused)" : "") +
                      ", so \"not listed\" cannot be trusted";
      if (!public_note.empty()) check.details.push_back(public_note);
      if (!list_.lookup_url.empty()) check.details.push_back("look the address up on " + list_.lookup_url);
      return;
    }
    if (!t.answered) {
      check.details.push_back("the list's test entry could not be asked: " + DescribeLookupFailure(t));
    }
  }
  check.state = CheckState::kPass;
  check.summary = check.subject + " is not listed on " + who;
  if (dqs_) check.details.push_back("asked through the Spamhaus Data Query Service");
}

}  // namespace bouncedx
