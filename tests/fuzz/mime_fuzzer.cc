// SPDX-License-Identifier: MIT
// Fuzzes the MIME parser with small caps, and checks the tree it builds:
// parent and child indices agree, offsets stay inside their buffer, text
// bodies are valid UTF-8, and the caps hold.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/limits.h"
#include "core/base/text.h"
#include "core/mail/mime.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bouncedx::Limits limits;
  limits.max_mime_depth = 8;
  limits.max_mime_parts = 64;
  std::vector<std::string> warnings;
  bouncedx::mail::MimeMessage message = bouncedx::mail::ParseMime(text, limits, &warnings);
  Check(!message.parts.empty() && message.parts.size() <= limits.max_mime_parts);
  for (size_t i = 0; i < message.parts.size(); ++i) {
    const bouncedx::mail::MimePart& part = message.parts[i];
    Check(part.begin <= part.body_begin && part.body_begin <= part.body_end &&
          part.body_end == part.end);
    if (part.in_input) Check(part.end <= text.size());
    Check(static_cast<size_t>(part.depth) <= limits.max_mime_depth);
    Check(i == 0 ? part.parent == -1 : (part.parent >= 0 && static_cast<size_t>(part.parent) < i));
    for (int child : part.children) {
      Check(child > static_cast<int>(i) && static_cast<size_t>(child) < message.parts.size());
      Check(message.parts[static_cast<size_t>(child)].parent == static_cast<int>(i));
      Check(message.parts[static_cast<size_t>(child)].depth == part.depth + 1);
    }
    if (part.content_type.type == "text") Check(bouncedx::IsValidUtf8(part.body));
    if (part.body_is_raw)
      Check(text.substr(part.body_begin, part.body_end - part.body_begin) == part.body);
  }
  // Content-Type parsing on its own, over the whole input.
  bouncedx::mail::ContentType type = bouncedx::mail::ParseContentType(text, &warnings);
  for (const bouncedx::mail::MimeParameter& param : type.params) {
    Check(!param.name.empty() || param.value.size() <= text.size() * 4);
  }
  return 0;
}
