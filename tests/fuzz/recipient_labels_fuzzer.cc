// SPDX-License-Identifier: MIT
// Fuzzes the reader of recipients named in words ("To:", "收件人：", JSON
// keys): every address it returns must be text of the input, with an "@".
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/mail/recipient_labels.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bouncedx::Limits limits;
  limits.max_recipients = 50;
  size_t from = size == 0 ? 0 : data[0] % (size + 1);
  for (const std::string& address : bouncedx::mail::FindLabelledRecipients(text, from, limits)) {
    if (address.find('@') == std::string::npos || text.find(address) == std::string_view::npos) {
      __builtin_trap();
    }
  }
  size_t line_end = text.find('\n');
  std::string address = bouncedx::mail::LabelledRecipientLine(text.substr(0, line_end), limits);
  if (!address.empty() && text.find(address) == std::string_view::npos) __builtin_trap();
  return 0;
}
