// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_BASE_LIMITS_H_
#define BOUNCEDX_CORE_BASE_LIMITS_H_

// Every cap the core applies to untrusted input, in one place. Passing a cap
// is never an error: the parser records a warning naming the cap and its
// value, keeps what it parsed so far and goes on.

#include <cstddef>

namespace bouncedx {

struct Limits {
  // Largest input accepted whole (DESIGN.md). Longer input is cut here and
  // the report says so.
  size_t max_input_bytes = 32u << 20;
  // Lines examined when looking for SMTP replies and signatures. A 32 MiB
  // paste of short lines stays well inside this.
  size_t max_lines = 2'000'000;
  // Longest line kept whole. RFC 5322 §2.1.1 allows 998 octets; pasted
  // HTML-to-text NDRs run longer, so we are generous.
  size_t max_line_bytes = 64u << 10;
  // Header fields read per header block (Postfix's header_size_limit is
  // 100 KiB; 1000 fields is far above any real message).
  size_t max_header_fields = 1000;
  // Bytes of one unfolded header field (Postfix header_size_limit).
  size_t max_header_bytes = 100u << 10;
  // MIME nesting depth and part count (Postfix mime_nesting_limit is 100;
  // real bounces nest 3-4 deep).
  size_t max_mime_depth = 16;
  size_t max_mime_parts = 500;
  // SMTP replies extracted from one input, and recipients kept per report.
  size_t max_replies = 1000;
  size_t max_recipients = 1000;
  // Continuation lines joined into one multi-line SMTP reply.
  size_t max_reply_lines = 100;
  // Bytes of text handed to the signature matcher per reply (the whole
  // input is matched too, up to max_input_bytes).
  size_t max_reply_bytes = 16u << 10;
  // Evidence spans kept in a report.
  size_t max_evidence = 64;
  // DNS: questions per diagnosis, CNAME chain length (RFC 1034 §5.2.2 warns
  // of loops; resolvers commonly stop at 8-16), and names per check.
  size_t max_dns_questions = 200;
  size_t max_cname_chain = 8;
  // SPF's own limits, RFC 7208 §4.6.4.
  size_t spf_max_dns_mechanisms = 10;
  size_t spf_max_void_lookups = 2;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_BASE_LIMITS_H_
