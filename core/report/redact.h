// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_REPORT_REDACT_H_
#define BOUNCEDX_CORE_REPORT_REDACT_H_

// Redaction of a pasted input before it leaves the browser in a share link.
// People paste whole bounces: they name the sender, the recipient, the
// subject and the message ids. A share link carries the input, so by default
// every mailbox local part is replaced by a stable placeholder that keeps the
// domain ("bob@example.org" -> "user1@example.org"); display names, Subject
// values and Message-ID values can be replaced too. What the bounce means
// stays: reply codes, enhanced codes, host names, domains and IP addresses
// are never touched, so the redacted text diagnoses the same way.
//
//   RedactOptions options;            // local parts only
//   options.display_names = true;
//   Redaction r = Redact(input, options);
//   Share(r.text);                     // "550 5.1.1 <user1@example.org> ..."
//   for (const Replacement& x : r.replacements) Preview(x.original, x.placeholder);
//
// Header fields are recognised line by line wherever they appear (the
// bounce's own headers, the returned message's headers inside it, a quoted
// "> From:" line), because a bounce nests header blocks that a single
// header parse would not reach. Everything else is free text, searched for
// addresses with a bounded scanner.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bouncedx {

struct RedactOptions {
  // Mailbox local parts, everywhere in the text. Role mailboxes that name no
  // person (RFC 2142: postmaster, abuse, hostmaster, ...; mailer-daemon)
  // are kept: they are part of what a bounce says.
  bool local_parts = true;
  // Display names and address comments in address fields (From, To, Cc,
  // Bcc, Reply-To, Sender and their Resent- forms).
  bool display_names = false;
  // The value of every Subject field.
  bool subjects = false;
  // The part before "@" of each <id> in Message-ID, In-Reply-To, References
  // and their variants. When false these fields are left exactly as written.
  bool message_ids = false;
  // Distinct placeholders handed out per kind; past this every further
  // value of that kind becomes the bare placeholder word ("user") and a
  // warning says so. A 32 MiB mailbox dump stays far below it.
  size_t max_placeholders = 10000;
};

enum class RedactedKind { kLocalPart, kDisplayName, kSubject, kMessageId };
// "local_part", "display_name", "subject", "message_id".
const char* RedactedKindName(RedactedKind kind);

// One distinct value that was replaced, for the preview of a share link.
struct Replacement {
  RedactedKind kind = RedactedKind::kLocalPart;
  std::string original;     // Printable() copy, at most 200 bytes
  std::string placeholder;  // "user1", "Name 2", "subject 1", "id3"
  size_t count = 0;         // how many times it was replaced
};

struct Redaction {
  std::string text;  // the input with the replacements made
  // In order of first appearance.
  std::vector<Replacement> replacements;
  // Subject first, lower-case ("redact: more than 10000 ...").
  std::vector<std::string> warnings;
};

// Redacts `input` as `options` say. Never fails and never reads outside
// `input`; any byte sequence (binary, invalid UTF-8, unterminated quotes and
// brackets) gives a result. Bytes that are not replaced are copied exactly.
Redaction Redact(std::string_view input, const RedactOptions& options);

// Reads options from a JSON object with the boolean fields "local_parts",
// "display_names", "subjects" and "message_ids" (missing ones keep their
// default). Text that is not a JSON object, an unknown field or a value of
// the wrong type adds a warning (when `warnings` is not null) and keeps the
// default. An empty `json` means all defaults, without warning.
RedactOptions RedactOptionsFromJson(std::string_view json, std::vector<std::string>* warnings);

// The redaction as one JSON object:
//   {"text":"...","replacements":[{"kind":"local_part","original":"bob",
//    "placeholder":"user1","count":2}],"warnings":[]}
// Bytes of `text` that are not valid UTF-8 become U+FFFD.
std::string RedactionToJson(const Redaction& redaction);

// Redact(input, RedactOptionsFromJson(options_json)) as JSON, with the
// options warnings first in "warnings". What the page's binding calls.
std::string RedactToJson(std::string_view input, std::string_view options_json);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_REPORT_REDACT_H_
