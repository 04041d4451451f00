// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_INPUT_DETECT_H_
#define BOUNCEDX_CORE_INPUT_DETECT_H_

// Decides what kind of paste an input is, before anything parses it: empty,
// binary, one SMTP reply, a bounce (NDR/DSN), message headers, or other text.
// Cheap: looks at the first lines and a bounded sample only.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/report/report.h"

namespace bouncedx {

struct InputSniff {
  InputKind kind = InputKind::kText;
  // Why binary input was judged binary ("12% control bytes"), for the
  // message people read; empty otherwise.
  std::string reason;
  bool starts_with_headers = false;  // the text opens with RFC 5322 fields
};

// `reply_count` and `reply_bytes` are what FindSmtpReplies() found (the
// caller runs it anyway), so a paste that is mostly replies counts as one.
InputSniff DetectInput(std::string_view text, size_t reply_count, size_t reply_bytes);

// The same, with the replies counted on demand: `count_replies` sets the
// count and the bytes they span, and is called at most once, only when the
// kind depends on them. A bounce that opens with headers and carries a
// bounce marker does not, so its caller can search it for replies once,
// after taking it apart, instead of also searching the raw input.
InputSniff DetectInput(std::string_view text,
                       const std::function<void(size_t* reply_count, size_t* reply_bytes)>& count_replies);

// True when `line` looks like an RFC 5322 header field ("Name: value").
bool LooksLikeHeaderField(std::string_view line);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_INPUT_DETECT_H_
