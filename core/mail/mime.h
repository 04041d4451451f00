// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_MAIL_MIME_H_
#define BOUNCEDX_CORE_MAIL_MIME_H_

// A message parsed into its MIME tree (RFC 2045-2049), with the report types
// bounces use: multipart/report (RFC 6522), message/delivery-status (RFC
// 3464) and its RFC 6533 global variants, text/rfc822-headers, and the
// returned original as message/rfc822 or message/global.
//
//   std::vector<std::string> warnings;
//   MimeMessage message = ParseMime(input, limits, &warnings);
//   for (const MimePart& part : message.parts) {
//     if (part.content_type.Is("message", "delivery-status")) {
//       DsnMessage dsn = ParseDsn(part.body, limits, &warnings);
//     }
//   }
//
// Parts are kept in one flat vector in document order (parts[0] is the
// message itself), linked by indices, so a deep tree costs no recursion to
// destroy. Every view and offset points into the text given to ParseMime,
// which must outlive the result, except inside a message/rfc822 part that was
// itself base64 or quoted-printable encoded: that embedded message is parsed
// from its decoded bytes, held by the MimeMessage, and its parts say
// `in_input == false` (their offsets are then positions in those bytes).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/limits.h"
#include "core/mail/headers.h"

namespace bouncedx::mail {

struct MimeParameter {
  std::string name;   // lower-case
  std::string value;  // unquoted; RFC 2231 sections joined and decoded to UTF-8
};

// A parsed Content-Type (or any "value; name=value" header, such as
// Content-Disposition, where `type` then holds the whole first token).
struct ContentType {
  std::string type = "text";      // lower-case
  std::string subtype = "plain";  // lower-case
  std::vector<MimeParameter> params;
  // No Content-Type field, or one too broken to read: the RFC 2045 default
  // (text/plain, or message/rfc822 inside multipart/digest) is in place.
  bool defaulted = true;

  // The value of parameter `name` (case-insensitive), or null.
  const std::string* Param(std::string_view name) const;
  // True when type and subtype match, ASCII case-insensitively.
  bool Is(std::string_view a_type, std::string_view a_subtype) const;
  // "multipart/report".
  std::string MediaType() const;
};

// Parses a Content-Type value. Parameters follow RFC 2045 (token or quoted
// string; unquoted values with blanks are taken up to the next ";") and RFC
// 2231 (name*=charset'lang'%XX, name*0=, name*1*= continuations, at most 64
// sections). Encoded words in values other than "boundary" are decoded too
// (a common non-standard habit). A value without "type/subtype" yields the
// defaults with `defaulted` set and a warning. Warnings start with "mime: ".
ContentType ParseContentType(std::string_view value, std::vector<std::string>* warnings);

// Parses "; name=value" parameters starting anywhere in `text` (the first
// ";" onwards), as ParseContentType does.
std::vector<MimeParameter> ParseMimeParameters(std::string_view text,
                                               std::vector<std::string>* warnings);

// How a part relates to the tree.
struct MimePart {
  HeaderBlock headers;
  ContentType content_type;
  // Lower-case Content-Transfer-Encoding; "7bit" when absent.
  std::string transfer_encoding = "7bit";
  int depth = 0;    // 0 for the message itself
  int parent = -1;  // index in MimeMessage::parts, -1 for parts[0]
  // Sub-parts of a multipart, or the one embedded message of message/rfc822,
  // message/global, text/rfc822-headers and message/global-headers.
  std::vector<int> children;

  size_t begin = 0;       // first byte of the part's headers
  size_t end = 0;         // past the part's last body byte
  size_t body_begin = 0;  // the raw (still encoded) body
  size_t body_end = 0;
  bool in_input = true;  // offsets are positions in the input (see above)

  // The body decoded: transfer encoding removed and, for text/*, message/*
  // leaves (delivery-status, disposition-notification ...) and
  // text/rfc822-headers, converted to UTF-8 (an unknown or wrong charset is
  // read with BestEffortUtf8 and warned about). Other types keep their bytes.
  // Empty for multiparts and parsed embedded messages, whose content is in
  // their children.
  std::string body;
  // `body` is byte for byte the input at [body_begin, body_end), so an
  // offset into `body` plus body_begin is an offset into the input.
  bool body_is_raw = false;
};

class MimeMessage {
 public:
  MimeMessage() = default;
  // Movable, not copyable: parts may hold views into `buffers_`, whose heap
  // blocks stay put when the message moves but would not follow a copy.
  MimeMessage(MimeMessage&&) = default;
  MimeMessage& operator=(MimeMessage&&) = default;
  MimeMessage(const MimeMessage&) = delete;
  MimeMessage& operator=(const MimeMessage&) = delete;

  // Document order; parts[0] is the whole message. Never empty after ParseMime.
  std::vector<MimePart> parts;

  // The first part (document order) of type/subtype, or null.
  const MimePart* Find(std::string_view type, std::string_view subtype) const;

  // Decoded bytes of encoded embedded messages (see the file comment).
  std::vector<std::unique_ptr<const std::string>> buffers;
};

// Parses `input` as a message: headers, then the body by its Content-Type,
// recursively. Never fails. Tolerated with a warning each (starting
// "mime: "): a multipart without a boundary parameter or without any
// boundary line (the body is then kept as text), a boundary never closed
// (the last part runs to the end of its parent), unknown transfer encodings
// and charsets (bytes kept), damaged base64 / quoted-printable. Caps with a
// warning: Limits::max_mime_depth (deeper parts are kept as undecoded
// leaves), Limits::max_mime_parts (later parts are not read), and the
// header caps of ParseHeaders. Preamble and epilogue are ignored.
MimeMessage ParseMime(std::string_view input, const Limits& limits,
                      std::vector<std::string>* warnings);

}  // namespace bouncedx::mail

#endif  // BOUNCEDX_CORE_MAIL_MIME_H_
