// SPDX-License-Identifier: MIT
#include "core/dns/answer.h"

#include <algorithm>

#include "core/base/text.h"
#include "core/dns/name.h"
#include "core/dns/types.h"

namespace bouncedx::dns {
namespace {

constexpr size_t kShownNameBytes = 120;

Status Mismatch(std::string detail) {
  return Status(StatusCode::kMismatch, "dns: response: " + std::move(detail));
}

std::string Shown(std::string_view name) { return Printable(name, kShownNameBytes); }

// Compares names as they appear in answers; a name that does not even parse
// as a presentation name compares equal to nothing.
std::string Key(std::string_view name) {
  Result<std::string> normal = NormalizeName(name);
  return normal.ok() ? normal.value() : std::string();
}

}  // namespace

Status ValidateResponse(const Message& message, std::string_view qname, uint16_t qtype) {
  const Header& header = message.header;
  if (!header.qr) return Mismatch("QR bit is clear: a query, not a response");
  if (header.opcode != Opcode::kQuery) {
    return Mismatch(std::string("opcode is ") + OpcodeName(header.opcode) + " (" +
                    std::to_string(header.opcode) + "), expected QUERY");
  }
  if (message.questions.empty()) {
    const uint16_t rcode = header.rcode;
    if (rcode == Rcode::kFormErr || rcode == Rcode::kServFail || rcode == Rcode::kNotImp ||
        rcode == Rcode::kRefused) {
      return Status::Ok();
    }
    return Mismatch("no question echoed");
  }
  if (message.questions.size() > 1) {
    return Mismatch(std::to_string(message.questions.size()) + " questions echoed, expected 1");
  }
  const QuestionEntry& echoed = message.questions.front();
  if (!NamesEqual(echoed.name, qname)) {
    return Mismatch("echoed question is " + Shown(echoed.name) + ", asked " + Shown(qname));
  }
  if (echoed.type != qtype) {
    return Mismatch(std::string("echoed type is ") + RrTypeName(echoed.type) + " (" +
                    std::to_string(echoed.type) + "), asked " + RrTypeName(qtype) + " (" +
                    std::to_string(qtype) + ")");
  }
  if (echoed.rr_class != RrClass::kIn) {
    return Mismatch(std::string("echoed class is ") + RrClassName(echoed.rr_class) + " (" +
                    std::to_string(echoed.rr_class) + "), expected IN");
  }
  return Status::Ok();
}

const char* AnswerKindName(AnswerKind kind) {
  switch (kind) {
    case AnswerKind::kAnswer:
      return "answer";
    case AnswerKind::kNoData:
      return "nodata";
    case AnswerKind::kNxDomain:
      return "nxdomain";
    case AnswerKind::kRcodeError:
      return "rcode_error";
    case AnswerKind::kCnameLoop:
      return "cname_loop";
    case AnswerKind::kCnameChainTooLong:
      return "cname_chain_too_long";
  }
  return "unknown";
}

AnswerSet ExtractAnswers(const Message& message, std::string_view qname, uint16_t qtype,
                         size_t max_cname_chain) {
  AnswerSet set;
  set.rcode = message.header.rcode;
  set.truncated = message.header.tc;
  set.authenticated = message.header.ad;
  set.owner = std::string(qname);
  if (!set.owner.empty() && set.owner != "." && set.owner.back() == '.') set.owner.pop_back();

  // Owner keys computed once: the chain walk compares them repeatedly.
  std::vector<std::string> keys;
  keys.reserve(message.answers.size());
  for (const ResourceRecord& rr : message.answers) keys.push_back(Key(rr.name));

  std::string current = Key(qname);
  std::vector<std::string> seen = {current};
  while (!current.empty()) {
    const ResourceRecord* alias = nullptr;
    for (size_t i = 0; i < message.answers.size(); ++i) {
      const ResourceRecord& rr = message.answers[i];
      if (rr.rr_class != RrClass::kIn || keys[i] != current) continue;
      if (rr.type == qtype) {
        set.records.push_back(rr);
      } else if (rr.type == RrType::kCname && alias == nullptr) {
        alias = &rr;
      }
    }
    if (!set.records.empty() || alias == nullptr || qtype == RrType::kCname) break;
    const std::string next = Key(alias->target);
    if (std::find(seen.begin(), seen.end(), next) != seen.end()) {
      set.kind = AnswerKind::kCnameLoop;
      set.detail = "dns: CNAME loop at " + Shown(alias->target);
      return set;
    }
    if (set.chain.size() >= max_cname_chain) {
      set.kind = AnswerKind::kCnameChainTooLong;
      set.detail =
          "dns: CNAME chain longer than " + std::to_string(max_cname_chain) + " (max_cname_chain)";
      return set;
    }
    set.chain.push_back(alias->target);
    set.owner = alias->target;
    seen.push_back(next);
    current = next;
  }

  if (set.rcode == Rcode::kNxDomain) {
    set.kind = AnswerKind::kNxDomain;
  } else if (set.rcode != Rcode::kNoError) {
    set.kind = AnswerKind::kRcodeError;
    set.detail =
        std::string("dns: rcode ") + RcodeName(set.rcode) + " (" + std::to_string(set.rcode) + ")";
    return set;
  } else if (!set.records.empty()) {
    set.kind = AnswerKind::kAnswer;
    return set;
  } else {
    set.kind = AnswerKind::kNoData;
  }
  for (const ResourceRecord& rr : message.authority) {
    if (rr.type != RrType::kSoa || rr.soa.mname.empty() || !IsAtOrBelow(set.owner, rr.name)) {
      continue;
    }
    set.has_negative_ttl = true;
    set.negative_ttl = std::min(rr.ttl, rr.soa.minimum);
    break;
  }
  return set;
}

}  // namespace bouncedx::dns
