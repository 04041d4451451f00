// SPDX-License-Identifier: MIT
// Fuzzes the DMARC record parser, the Public Suffix List lookup and the
// alignment test. The whole input is a DMARC record; it is also split at its
// first newline into two names that are compared for alignment, so the PSL
// sees hostile names too. Every text the parser returns must be valid UTF-8
// (it went through Printable()).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/text.h"
#include "core/checks/dmarc.h"
#include "core/checks/psl.h"

namespace {

void CheckText(const std::string& text) {
  if (!bouncedx::IsValidUtf8(text)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  (void)bouncedx::IsDmarcRecord(text);
  bouncedx::Result<bouncedx::DmarcRecord> record = bouncedx::ParseDmarcRecord(text);
  if (record.ok()) {
    for (const std::string& warning : record->warnings) CheckText(warning);
    for (const std::string& tag : record->unknown_tags) CheckText(tag);
    if (record->percent < 0 || record->percent > 100) __builtin_trap();
  } else {
    CheckText(record.status().message());
  }
  // Also as a record behind a valid version tag.
  bouncedx::Result<bouncedx::DmarcRecord> tagged =
      bouncedx::ParseDmarcRecord("v=DMARC1; " + std::string(text));
  if (!tagged.ok()) CheckText(tagged.status().message());

  const size_t newline = text.find('\n');
  const std::string_view first = text.substr(0, newline);
  const std::string_view second =
      newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  const std::string org = bouncedx::OrganizationalDomain(first);
  const std::string suffix = bouncedx::PublicSuffix(first);
  // The organisational domain ends with the public suffix, and is never
  // longer than the name.
  if (org.size() < suffix.size() || org.size() > first.size()) __builtin_trap();
  if (org.compare(org.size() - suffix.size(), suffix.size(), suffix) != 0) __builtin_trap();
  (void)bouncedx::PublicSuffix(first, bouncedx::PslSections::kIcannOnly);
  const bool strict = bouncedx::IsAligned(first, second, bouncedx::DmarcAlignment::kStrict);
  const bool relaxed = bouncedx::IsAligned(first, second, bouncedx::DmarcAlignment::kRelaxed);
  if (strict && !relaxed) __builtin_trap();  // strict alignment implies relaxed
  (void)bouncedx::PunycodeEncode(first);
  return 0;
}
