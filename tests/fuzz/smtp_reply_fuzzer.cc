// SPDX-License-Identifier: MIT
// Fuzzes the SMTP reply finder and the whole offline diagnosis with it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/diagnosis.h"
#include "core/mail/smtp_reply.h"
#include "core/report/report_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bouncedx::Limits limits;
  std::vector<std::string> warnings;
  for (const auto& reply : bouncedx::mail::FindSmtpReplies(text, limits, &warnings)) {
    if (reply.begin > reply.end || reply.end > text.size()) __builtin_trap();
  }
  // With small caps, a search that warns must have been announced as one
  // that may (the diagnosis skips searches it says cannot warn).
  bouncedx::Limits small;
  small.max_replies = 4;
  small.max_lines = 64;
  std::vector<std::string> capped;
  bouncedx::mail::FindSmtpReplies(text, small, &capped);
  if (!capped.empty() && !bouncedx::mail::ReplySearchMayWarn(text, small)) __builtin_trap();
  bouncedx::Options options;
  options.dns_checks = false;
  bouncedx::Diagnosis diagnosis(text, options);
  for (const auto& span : diagnosis.report().evidence) {
    if (span.begin > span.end || span.end > diagnosis.input().size()) __builtin_trap();
  }
  (void)bouncedx::ReportToJson(diagnosis.report());
  return 0;
}
