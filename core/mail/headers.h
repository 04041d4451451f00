// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_MAIL_HEADERS_H_
#define BOUNCEDX_CORE_MAIL_HEADERS_H_

// RFC 5322 header blocks as people paste them: CRLF or LF line ends (mixed
// too), folded lines, obsolete syntax ("Subject : x"), an mbox "From " line
// in front, and text that is not a header at all.
//
//   std::vector<std::string> warnings;
//   HeaderBlock block = ParseHeaders(input, 0, limits, &warnings);
//   if (const HeaderField* from = block.Find("From")) {
//     for (const Address& a : ParseAddressList(from->value)) Use(a.addr_spec);
//   }
//   std::string_view body = input.substr(block.body_begin);
//
// Every view in a HeaderBlock points into the text given to ParseHeaders,
// which must outlive the block, or (the value of a folded field) into a
// string the block owns: a field copied out of its block stays valid only
// while the block, or whatever took over its `unfolded` strings, lives.
// Offsets are positions in the text.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/byte_reader.h"
#include "core/base/limits.h"

namespace bouncedx::mail {

// One header field.
struct HeaderField {
  // The name as written, without the blanks some writers put before the
  // colon (obsolete syntax).
  std::string_view name;
  // Everything after the colon up to the end of the field's last line, line
  // breaks of folded lines included, final line break excluded.
  std::string_view raw_value;
  // The value unfolded (line breaks before blanks removed, RFC 5322 §2.2.3)
  // and trimmed. Not decoded: see encoded_words.h. At most
  // Limits::max_header_bytes bytes. A view of the text itself when the
  // field is one line (most are), else of a copy the block owns.
  std::string_view value;
  size_t offset = 0;        // where the name starts
  size_t value_offset = 0;  // where raw_value starts
  size_t end = 0;           // past the field's last line break
};

// What stopped a header block.
enum class HeaderEnd {
  kBlankLine,     // the usual empty line (or one of only blanks)
  kEndOfInput,    // the text ended
  kNonFieldLine,  // a line that is not a header field began the body
};

// A header block: the fields in order, and where the body starts.
struct HeaderBlock {
  std::vector<HeaderField> fields;
  size_t begin = 0;       // first field (after a skipped mbox "From " line)
  size_t end = 0;         // past the last field (where the blank line starts)
  size_t body_begin = 0;  // past the blank line; == end when there is none
  HeaderEnd ended_by = HeaderEnd::kEndOfInput;
  // The unfolded values of folded fields, which their `value` views. Each
  // string is held by its own pointer, so the views stay valid when the
  // block moves. (A block can be moved, not copied: a copy's fields would
  // view the original's strings.)
  std::vector<std::unique_ptr<const std::string>> unfolded;

  // The first field named `name` (ASCII case-insensitive), or null.
  const HeaderField* Find(std::string_view name) const;
  // Every field named `name`, in order.
  std::vector<const HeaderField*> FindAll(std::string_view name) const;
};

// What a line that is neither a field, a continuation nor blank does.
enum class NonFieldLine {
  kEndsBlock,       // the body starts at that line (mail headers)
  kSkipped,         // dropped with a warning
  kContinuesField,  // glued to the previous field, as if folded (DSN
                    // blocks, where pasting clients wrap long lines)
};

struct HeaderOptions {
  // Skip one mbox "From sender date" line at the start.
  bool skip_mbox_from = true;
  NonFieldLine non_field_line = NonFieldLine::kEndsBlock;
};

// Parses the header block that starts at `start` in `text` and ends at the
// first blank line, the end of `text`, or (by default) the first line that is
// not a header field. A continuation line before any field is skipped with a
// warning. Never fails; an empty block (body_begin == start) is a normal
// answer for text without headers. Caps, each with a warning naming it:
// Limits::max_header_fields (later fields are skipped up to the blank line)
// and Limits::max_header_bytes (a longer value is cut).
// Warnings start with "headers: ". `warnings` may be null.
HeaderBlock ParseHeaders(std::string_view text, size_t start, const Limits& limits,
                         std::vector<std::string>* warnings, const HeaderOptions& options = {});

// Pasted mail often arrives quoted ("> Received: ..."). StripQuoteLevel
// removes one level: a leading ">" and one blank after it, on every line that
// has one (other lines are kept). OriginalOffset maps an offset in `text`
// back to the input.
struct UnquotedText {
  std::string text;
  // (offset in text, offset in the input) at the start of each line.
  std::vector<std::pair<size_t, size_t>> line_starts;
  size_t OriginalOffset(size_t offset) const;
};
UnquotedText StripQuoteLevel(std::string_view input);

// One mailbox of an address header.
struct Address {
  // The display name, unquoted, comments removed, encoded words decoded;
  // for "user@example.com (Name)" the comment. May be empty.
  std::string display_name;
  // "local@domain" as written (route and blanks removed). Empty for "<>",
  // the null reverse path of bounces.
  std::string addr_spec;
};

// Extracts the mailboxes of an address-list value (From, To, Cc, Sender,
// Reply-To, Return-Path, Delivered-To, X-Failed-Recipients): display names,
// angle brackets, comments, quoted strings, groups ("team: a@x, b@y;") and
// obsolete routes ("<@relay:user@x>"). Entries without any address are
// dropped, except "<>". Returns at most `max_addresses` entries.
std::vector<Address> ParseAddressList(std::string_view value, size_t max_addresses = 1000);

// Reads an RFC 5322 quoted-string at the reader, which must stand on its
// opening '"', and returns the content with backslash escapes resolved
// (the quotes dropped). An unclosed string runs to the end of the reader.
std::string ReadQuotedString(ByteReader* reader);

// The domain of an addr-spec: the text after the last "@", without a
// trailing "." or ">"; "" when there is none. "[192.0.2.1]" literals are
// returned as written.
std::string_view DomainOf(std::string_view addr_spec);
// The local part: the text before the last "@" (all of it when there is none).
std::string_view LocalPartOf(std::string_view addr_spec);

}  // namespace bouncedx::mail

#endif  // BOUNCEDX_CORE_MAIL_HEADERS_H_
