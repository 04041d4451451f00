// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_ENGINE_QUESTION_H_
#define BOUNCEDX_CORE_ENGINE_QUESTION_H_

// A DNS question the engine wants answered, and the ways an answer can fail
// to arrive. The host sends `wire` (a complete DNS query message with ID 0)
// to a resolver and hands the raw response back with Diagnosis::OnAnswer().

#include <cstdint>
#include <string>

namespace bouncedx {

using QuestionId = uint32_t;

struct Question {
  QuestionId id = 0;
  std::string name;    // presentation form, no trailing dot: "5.113.0.203.in-addr.arpa"
  uint16_t type = 0;   // RR type number (1 A, 12 PTR, 15 MX, 16 TXT, 28 AAAA ...)
  std::string wire;    // the query message, message ID 0, RD set, EDNS0
  // 1 for a question asked at the start; n+1 for one asked because of the
  // answer to a question of depth n. The deepest question bounds how fast
  // any host can finish: depth x round-trip time.
  int depth = 1;
};

enum class FailureKind {
  kTimeout,      // no answer in time
  kNetwork,      // resolver unreachable, connection refused, offline
  kHttpStatus,   // DoH answered with an HTTP error status
  kRefused,      // the resolver refused (also DNS rcode REFUSED seen by host)
  kBadResponse,  // the host could not make sense of what came back
  kCancelled,    // the host gave up (overall deadline, page closed)
};
const char* FailureKindName(FailureKind kind);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_ENGINE_QUESTION_H_
