// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CLASSIFY_CLASSIFIER_H_
#define BOUNCEDX_CORE_CLASSIFY_CLASSIFIER_H_

// Turns the SMTP replies and the text of an input into a verdict: which
// cause, which provider, how sure, and the evidence spans that show it.
//
// Signatures matched inside a reply count fully; those matched only
// elsewhere in the input (an NDR's prose, a quoted original) count less.
// The most specific match wins; a tie between different causes is reported
// as a conflict rather than settled silently. With no signature at all, the
// enhanced status code decides, then the basic reply code, and the verdict
// says it is generic.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/limits.h"
#include "core/classify/matcher.h"
#include "core/mail/smtp_reply.h"
#include "core/report/report.h"

namespace bouncedx {

struct Classification {
  Verdict verdict;
  std::vector<EvidenceSpan> evidence;     // offsets into the classified input
  // Values captured by the deciding and supporting signatures, by name
  // ("ip", "zone", "host", "domain", "code"): the first value seen wins.
  std::map<std::string, std::string> captures;
  // The reply the verdict rests on (index into the replies), or -1.
  int reply_index = -1;
};

// Classifies `input` given the replies found in it. Never fails: with no
// signal at all the verdict is the knowledge's "unknown" cause.
Classification Classify(const SignatureMatcher& matcher, std::string_view input,
                        const std::vector<mail::SmtpReply>& replies, const Limits& limits);

// Classifies one reply text on its own (used per recipient). Returns the
// cause id of the most specific signature, or "" when none matches.
std::string ClassifyReplyText(const SignatureMatcher& matcher, std::string_view text);

// Reads the severity a failure has from its codes: "transient" for 4xx or
// 4.x.x, "permanent" for 5xx or 5.x.x, "" when the codes say nothing. The
// enhanced code wins when both are present and disagree.
std::string SeverityFromCodes(int reply_code, const mail::EnhancedStatus& enhanced);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CLASSIFY_CLASSIFIER_H_
