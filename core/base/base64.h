// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_BASE_BASE64_H_
#define BOUNCEDX_CORE_BASE_BASE64_H_

// Base64 (RFC 4648). The engine encodes DNS queries for DNS-over-HTTPS GET
// requests (RFC 8484 §4.1: base64url, no padding) and decodes base64 found
// in input (MIME parts, share links, recorded answers).
//
//   std::string query = Base64UrlEncode(question.wire);   // "AAABAAAB..."
//   Result<std::string> bytes = Base64Decode("aGVsbG8=");  // "hello"

#include <string>
#include <string_view>

#include "core/base/status.h"

namespace bouncedx {

// Encodes `bytes` with the URL- and filename-safe alphabet of RFC 4648 §5
// ('-' and '_' instead of '+' and '/') and without '=' padding, as RFC 8484
// asks for the `dns` parameter. Empty input gives an empty string.
std::string Base64UrlEncode(std::string_view bytes);

// Decodes base64 in either alphabet of RFC 4648 (§4 standard or §5 URL-safe;
// both may even be mixed). Padding is optional, but when present it must
// complete the last group. ASCII whitespace anywhere (line breaks of MIME
// bodies included) is skipped. Returns kMalformed, with a message naming the
// offending byte offset, for any other character, for data after padding,
// and for a last group of a single character (which cannot encode a byte).
// Bits left over in the last character are ignored, as decoders commonly do.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_BASE_BASE64_H_
