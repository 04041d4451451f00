// SPDX-License-Identifier: MIT
// Fuzzes the delivery-status parser and checks that every offset it gives
// lies inside the input, in order.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/limits.h"
#include "core/mail/dsn.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckTyped(std::string_view text, const bouncedx::mail::TypedValue& typed) {
  if (!typed.present) return;
  Check(typed.offset <= typed.end && typed.end <= text.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bouncedx::Limits limits;
  limits.max_recipients = 50;
  std::vector<std::string> warnings;
  bouncedx::mail::DsnMessage dsn = bouncedx::mail::ParseDsn(text, limits, &warnings);
  Check(dsn.recipients.size() <= limits.max_recipients);
  CheckTyped(text, dsn.reporting_mta);
  CheckTyped(text, dsn.received_from_mta);
  for (const bouncedx::mail::DsnRecipient& recipient : dsn.recipients) {
    Check(recipient.begin <= recipient.end && recipient.end <= text.size());
    CheckTyped(text, recipient.final_recipient);
    CheckTyped(text, recipient.original_recipient);
    CheckTyped(text, recipient.remote_mta);
    CheckTyped(text, recipient.diagnostic_code);
    Check(!recipient.fields.empty());
  }
  return 0;
}
