// SPDX-License-Identifier: MIT
// Fuzzes the header block parser, quote stripping, address lists and RFC
// 2047 decoding, and checks the invariants callers rely on: offsets inside
// the input, views that are slices of it, decoded text that is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/limits.h"
#include "core/base/text.h"
#include "core/mail/encoded_words.h"
#include "core/mail/headers.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckBlock(std::string_view text, const bouncedx::mail::HeaderBlock& block) {
  Check(block.begin <= block.end && block.end <= block.body_begin &&
        block.body_begin <= text.size());
  size_t previous_end = block.begin;
  for (const bouncedx::mail::HeaderField& field : block.fields) {
    Check(field.offset >= previous_end && field.offset < field.value_offset);
    Check(field.end <= block.end || field.end <= text.size());
    Check(bouncedx::OffsetIn(text, field.name) == field.offset);
    Check(bouncedx::OffsetIn(text, field.raw_value) == field.value_offset);
    Check(field.value.size() <= bouncedx::Limits().max_header_bytes);
    previous_end = field.end;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bouncedx::Limits limits;
  std::vector<std::string> warnings;
  bouncedx::mail::HeaderBlock block = bouncedx::mail::ParseHeaders(text, 0, limits, &warnings);
  CheckBlock(text, block);
  for (const bouncedx::mail::HeaderField& field : block.fields) {
    std::string decoded = bouncedx::mail::DecodeEncodedWords(field.value, &warnings);
    Check(bouncedx::IsValidUtf8(decoded));
    for (const bouncedx::mail::Address& address : bouncedx::mail::ParseAddressList(field.value)) {
      Check(bouncedx::IsValidUtf8(address.display_name));
      std::string_view domain = bouncedx::mail::DomainOf(address.addr_spec);
      Check(domain.size() <= address.addr_spec.size());
    }
  }

  bouncedx::mail::HeaderOptions options;
  options.non_field_line = bouncedx::mail::NonFieldLine::kContinuesField;
  CheckBlock(text, bouncedx::mail::ParseHeaders(text, size / 2, limits, &warnings, options));

  bouncedx::mail::UnquotedText unquoted = bouncedx::mail::StripQuoteLevel(text);
  Check(unquoted.text.size() <= text.size());
  for (size_t offset = 0; offset < unquoted.text.size(); offset += 7) {
    size_t original = unquoted.OriginalOffset(offset);
    Check(original < text.size() && text[original] == unquoted.text[offset]);
  }
  return 0;
}
