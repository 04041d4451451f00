// SPDX-License-Identifier: MIT
// Fuzzes the share-link redaction with every option on and off, and checks
// what the page relies on: it never crashes, text without an "@" and without
// the fields it rewrites comes back unchanged, each placeholder listed is
// found in the output, and the JSON form is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/text.h"
#include "core/report/redact.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the options; the rest is the input.
  const uint8_t flags = data[0];
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  bouncedx::RedactOptions options;
  options.local_parts = (flags & 1) != 0;
  options.display_names = (flags & 2) != 0;
  options.subjects = (flags & 4) != 0;
  options.message_ids = (flags & 8) != 0;
  options.max_placeholders = (flags & 16) != 0 ? 3 : 10000;

  const bouncedx::Redaction redaction = bouncedx::Redact(input, options);
  if (input.find('@') == std::string_view::npos && !options.display_names && !options.subjects) {
    Check(redaction.text == input);
  }
  if (!options.local_parts && !options.display_names && !options.subjects &&
      !options.message_ids) {
    Check(redaction.text == input);
    Check(redaction.replacements.empty());
  }
  for (const bouncedx::Replacement& replacement : redaction.replacements) {
    Check(replacement.count >= 1);
    Check(redaction.text.find(replacement.placeholder) != std::string::npos);
    Check(bouncedx::IsValidUtf8(replacement.original));
  }
  Check(bouncedx::IsValidUtf8(bouncedx::RedactionToJson(redaction)));
  return 0;
}
