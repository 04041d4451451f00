// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_MAIL_CHARSET_H_
#define BOUNCEDX_CORE_MAIL_CHARSET_H_

// Conversion of mail text in a declared charset to UTF-8, through the C
// library's iconv (glibc natively, musl under Emscripten). Charset names are
// normalised first, so the aliases mail really carries ("utf8", "latin1",
// "x-sjis", "ks_c_5601-1987", "gb2312") reach a name both libraries know.
//
//   Result<std::string> text = ToUtf8(bytes, "iso-2022-jp");
//   if (!text.ok()) warnings->push_back(text.status().message());
//
// Invalid or incomplete sequences never abort a conversion: each becomes
// U+FFFD and conversion goes on with the next byte.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/status.h"

namespace bouncedx::mail {

// Default bound on the UTF-8 produced by one conversion (the largest input
// the core accepts, Limits::max_input_bytes).
inline constexpr size_t kDefaultMaxUtf8Bytes = 32u << 20;

// What a conversion had to tolerate.
struct CharsetStats {
  // Invalid or incomplete input sequences replaced by U+FFFD.
  size_t replaced = 0;
  // Output reached max_output_bytes; the rest of the input was dropped.
  bool truncated = false;
};

// Returns the name handed to iconv for `charset` ("UTF-8", "SHIFT_JIS",
// "WINDOWS-1252", ...): case and surrounding blanks and quotes are ignored,
// RFC 2231 language suffixes ("utf-8*en") dropped, common aliases mapped.
// The non-charsets ("unknown-8bit", "x-unknown") give "UNKNOWN-8BIT".
// Returns "" when the name is empty or contains bytes no charset name has
// (anything but letters, digits and "-_.:+()"), or is longer than 64 bytes.
std::string NormalizeCharsetName(std::string_view charset);

// Converts `bytes` in `charset` to UTF-8.
//  - "utf-8" and "us-ascii" are checked, not converted: invalid bytes become
//    U+FFFD. "us-ascii" text that is not valid UTF-8, and the
//    non-charsets "unknown-8bit" / "x-unknown" / "", are read as
//    windows-1252 when they are not valid UTF-8 (what such text usually is).
//  - "iso-8859-1" is read as windows-1252, as browsers do (a superset for
//    every byte the two agree on).
//  - Supersets a C library may lack are read as their subset instead
//    (CP932 as SHIFT_JIS, CP949 as EUC-KR, BIG5-HKSCS as BIG5).
//  - A charset iconv does not know gives kUnsupported, message
//    "charset: unknown charset \"x-foo\"", and no text.
// Output stops at `max_output_bytes` on a character boundary (stats->truncated).
// `stats` may be null.
Result<std::string> ToUtf8(std::string_view bytes, std::string_view charset,
                           size_t max_output_bytes = kDefaultMaxUtf8Bytes,
                           CharsetStats* stats = nullptr);

// Returns `bytes` with every invalid UTF-8 sequence replaced by U+FFFD,
// cut at `max_output_bytes` on a character boundary.
std::string SanitizeUtf8(std::string_view bytes, size_t max_output_bytes = kDefaultMaxUtf8Bytes,
                         CharsetStats* stats = nullptr);

// Decodes text whose charset is unknown or wrong: kept when valid UTF-8,
// otherwise read as windows-1252. Never fails.
std::string BestEffortUtf8(std::string_view bytes, size_t max_output_bytes = kDefaultMaxUtf8Bytes,
                           CharsetStats* stats = nullptr);

}  // namespace bouncedx::mail

#endif  // BOUNCEDX_CORE_MAIL_CHARSET_H_
