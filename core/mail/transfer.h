// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_MAIL_TRANSFER_H_
#define BOUNCEDX_CORE_MAIL_TRANSFER_H_

// Content-Transfer-Encoding decoders (RFC 2045 §6.7 quoted-printable and
// §6.8 base64), written for pasted, damaged mail: they never fail, they
// decode what they can and count what they had to skip.
//
//   TransferStats stats;
//   std::string bytes = DecodeBase64(part_body, &stats);
//   if (stats.skipped_bytes > 0) warnings->push_back("mime: ...");

#include <cstddef>
#include <string>
#include <string_view>

namespace bouncedx::mail {

// What a decoder had to tolerate. Whitespace and line breaks in base64 are
// normal and not counted.
struct TransferStats {
  // Bytes that were not part of the encoding and were dropped (base64), or
  // bad "=" escapes kept literally (quoted-printable).
  size_t skipped_bytes = 0;
  // The encoded text ended inside a base64 quantum, or after a lone "=" in
  // quoted-printable.
  bool truncated = false;
};

// Decodes base64 (RFC 4648 alphabet). Whitespace is ignored; any other byte
// outside the alphabet is dropped and counted. "=" padding ends a quantum and
// decoding resumes after it (some encoders concatenate padded chunks). A
// final partial quantum of 2 or 3 symbols yields its 1 or 2 bytes; a lone
// symbol is dropped and sets `truncated`. `stats` may be null.
std::string DecodeBase64(std::string_view text, TransferStats* stats = nullptr);

// Decodes quoted-printable. "=XX" (hex digits in either case) becomes a
// byte; "=" before a line break (trailing blanks allowed) is a soft line
// break and vanishes; blanks before a hard line break are dropped (RFC 2045
// §6.7 rule 3); a "=" not followed by two hex digits is kept literally and
// counted. Hard line breaks are kept exactly as written (CRLF or LF).
std::string DecodeQuotedPrintable(std::string_view text, TransferStats* stats = nullptr);

// Decodes the "Q" encoding of RFC 2047 §4.2: quoted-printable where "_"
// stands for a space and there are no line breaks.
std::string DecodeQEncoding(std::string_view text, TransferStats* stats = nullptr);

}  // namespace bouncedx::mail

#endif  // BOUNCEDX_CORE_MAIL_TRANSFER_H_
