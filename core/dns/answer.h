// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_DNS_ANSWER_H_
#define BOUNCEDX_CORE_DNS_ANSWER_H_

// Deciding what a parsed response says about the question that was asked.
// The host matches answers to questions by QuestionId, never by message ID
// (DoH sends ID 0), so the echoed question is the only proof that a message
// belongs to its question; ValidateResponse() checks it. ExtractAnswers()
// then follows CNAMEs inside the answer section and sorts the outcome into
// answer, NODATA, NXDOMAIN or failure.
//
//   Result<Message> message = ParseMessage(wire, limits);
//   if (!message.ok()) return Fail(message.status());
//   Status valid = ValidateResponse(*message, question.name, question.type);
//   if (!valid.ok()) return Fail(valid);                 // kMismatch
//   AnswerSet answers = ExtractAnswers(*message, question.name, question.type,
//                                      limits.max_cname_chain);
//   if (answers.kind == AnswerKind::kAnswer) Use(answers.records);

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/dns/message.h"

namespace bouncedx::dns {

// Checks that `message` is a response to a standard query for `qname` and
// `qtype` (class IN): QR set, opcode QUERY, exactly one question, equal to the
// asked one ignoring case and a trailing dot. Fails with kMismatch and a
// message such as "dns: response: echoed question is b.example, asked
// a.example". One leniency: a FORMERR, SERVFAIL, NOTIMP or REFUSED response
// may carry no question at all (servers that reject a query often drop it),
// and passes, so the caller can report the rcode. Truncation (TC) is not a
// failure here; it shows in Header::tc and AnswerSet::truncated.
Status ValidateResponse(const Message& message, std::string_view qname, uint16_t qtype);

enum class AnswerKind {
  kAnswer,             // records of the asked type were found
  kNoData,             // NOERROR, the name exists but has no such records
  kNxDomain,           // the (final) name does not exist
  kRcodeError,         // SERVFAIL, REFUSED, FORMERR ... see AnswerSet::rcode
  kCnameLoop,          // the CNAME chain comes back to a name already seen
  kCnameChainTooLong,  // more than max_cname_chain CNAMEs
};

// "answer", "nodata", "nxdomain", "rcode_error", "cname_loop",
// "cname_chain_too_long".
const char* AnswerKindName(AnswerKind kind);

struct AnswerSet {
  AnswerKind kind = AnswerKind::kNoData;
  uint16_t rcode = 0;  // the full rcode of the message
  // The name the records belong to: the asked name, or the last CNAME target.
  std::string owner;
  // CNAME targets followed, in order (empty when there was no alias).
  std::vector<std::string> chain;
  // Records of the asked type (class IN) owned by `owner`, in message order.
  std::vector<ResourceRecord> records;
  bool truncated = false;      // TC was set: records may be missing
  bool authenticated = false;  // AD was set by the resolver
  // For kNoData and kNxDomain: how long the negative answer may be cached,
  // min(SOA TTL, SOA minimum) of an SOA in the authority section that owns
  // `owner` (RFC 2308 §5). has_negative_ttl is false when there is none.
  bool has_negative_ttl = false;
  uint32_t negative_ttl = 0;
  // For every kind but kAnswer, kNoData and kNxDomain: what went wrong,
  // e.g. "dns: CNAME loop at b.example.com" or "dns: rcode SERVFAIL".
  std::string detail;
};

// Reads the answer to `qname`/`qtype` out of `message`, following at most
// `max_cname_chain` CNAMEs inside the answer section (Limits::max_cname_chain).
// Asking for CNAME itself follows nothing. Never fails: problems are kinds.
// Call ValidateResponse() first; this function does not re-check the question.
AnswerSet ExtractAnswers(const Message& message, std::string_view qname, uint16_t qtype,
                         size_t max_cname_chain);

}  // namespace bouncedx::dns

#endif  // BOUNCEDX_CORE_DNS_ANSWER_H_
