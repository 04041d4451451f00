// SPDX-License-Identifier: MIT
// Fuzzes the DKIM key record parser, the judgement of a key and the DER
// reader. The input is a key record; it is also fed to the DER reader as raw
// bytes, and, when it parses, its decoded p= goes through the DER reader via
// JudgeDkimKey(). Every text people read must be valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/text.h"
#include "core/checks/dkim_key.h"

namespace {

void CheckText(const std::string& text) {
  if (!bouncedx::IsValidUtf8(text)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  bouncedx::Result<bouncedx::RsaKeyInfo> raw = bouncedx::ReadRsaPublicKey(text);
  if (raw.ok()) {
    // The modulus cannot have more bits than the input has bytes to hold.
    if (raw->modulus_bits == 0 || raw->modulus_bits > size * 8) __builtin_trap();
  } else {
    CheckText(raw.status().message());
  }

  bouncedx::Result<bouncedx::DkimKeyRecord> record = bouncedx::ParseDkimKeyRecord(text);
  if (!record.ok()) {
    CheckText(record.status().message());
    return 0;
  }
  if (record->revoked != record->public_key.empty()) __builtin_trap();
  bouncedx::DkimKeyVerdict verdict = bouncedx::JudgeDkimKey(record.value());
  CheckText(verdict.summary);
  for (const std::string& detail : verdict.details) CheckText(detail);
  return 0;
}
