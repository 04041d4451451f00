// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_MAIL_ENCODED_WORDS_H_
#define BOUNCEDX_CORE_MAIL_ENCODED_WORDS_H_

// RFC 2047 encoded words ("=?iso-8859-1?q?caf=E9?=") in header values,
// decoded to UTF-8.
//
//   std::string subject = DecodeEncodedWords(field->value, &warnings);
//
// Decoding is lenient, as mail readers are: words are recognised anywhere
// (also glued to other text or inside quotes), blanks and line breaks between
// two adjacent encoded words vanish (RFC 2047 §6.2), and adjacent words in
// the same charset are joined before conversion, so a multibyte character
// split across two words comes out whole. A word that cannot be decoded
// (unknown charset or encoding) is left exactly as written.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bouncedx::mail {

// Default bound on the decoded text: Limits::max_header_bytes.
inline constexpr size_t kDefaultMaxDecodedHeaderBytes = 100u << 10;

// Returns `text` with its encoded words decoded. Text outside encoded words
// is kept; invalid UTF-8 in it (raw 8-bit headers) is read by BestEffortUtf8
// (see charset.h), so the result is always valid UTF-8. The result stops at
// `max_bytes` (warning "encoded words: decoded text longer than N bytes, cut").
// An unknown charset adds a warning "charset: unknown charset \"x\"" (once per
// call). `warnings` may be null.
std::string DecodeEncodedWords(std::string_view text, std::vector<std::string>* warnings,
                               size_t max_bytes = kDefaultMaxDecodedHeaderBytes);

}  // namespace bouncedx::mail

#endif  // BOUNCEDX_CORE_MAIL_ENCODED_WORDS_H_
