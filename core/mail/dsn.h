// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_MAIL_DSN_H_
#define BOUNCEDX_CORE_MAIL_DSN_H_

// The body of a message/delivery-status part (RFC 3464 §2) and of its
// RFC 6533 variant message/global-delivery-status (UTF-8 allowed, addresses
// of type "utf-8" with \x{HHHH} escapes).
//
//   Reporting-MTA: dns; mail.example.net          <- per-message block
//
//   Final-Recipient: rfc822; bob@example.org       <- one block per recipient
//   Action: failed
//   Status: 5.1.1
//   Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: User unknown
//
//   std::vector<std::string> warnings;
//   DsnMessage dsn = ParseDsn(part.body, limits, &warnings);
//   for (const DsnRecipient& r : dsn.recipients) Use(r.final_recipient.value, r.status);
//
// Pasted DSNs are often damaged, so the parser is lenient: blocks may lack
// the blank line between them (a second Final-Recipient starts a new
// recipient), lines a mail client wrapped without indenting are joined to
// the field before, and field names are matched case-insensitively. Every
// view and offset points into the text given to ParseDsn.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/limits.h"
#include "core/mail/headers.h"

namespace bouncedx::mail {

// A "type; value" field such as "rfc822; bob@example.org" or
// "smtp; 550 5.1.1 User unknown".
struct TypedValue {
  std::string type;   // lower-case ("rfc822", "dns", "smtp", "x-unix"); may be empty
  std::string value;  // unfolded and trimmed; utf-8 addresses decoded
  // [offset, end) of the value in the text (after "type;"); for a folded
  // value the range includes the line breaks between its lines.
  size_t offset = 0;
  size_t end = 0;
  bool present = false;  // the field was there

  // The address for recipient fields: `value` without angle brackets.
  std::string_view Address() const;
};

struct DsnRecipient {
  TypedValue final_recipient;
  TypedValue original_recipient;
  std::string action;  // lower-case: failed, delayed, delivered, relayed, expanded
  std::string status;  // the status code as written ("5.1.1"), comments removed
  TypedValue remote_mta;
  TypedValue diagnostic_code;
  std::string last_attempt_date;
  std::string will_retry_until;
  std::string final_log_id;
  // Every field of the block, standard and extension ones (X-*), in order.
  std::vector<HeaderField> fields;
  size_t begin = 0;  // first field of the block
  size_t end = 0;    // past its last field
};

struct DsnMessage {
  TypedValue reporting_mta;
  TypedValue dsn_gateway;
  TypedValue received_from_mta;
  std::string original_envelope_id;
  std::string arrival_date;
  // Every per-message field (X-Postfix-Queue-ID, X-Postfix-Sender ...).
  std::vector<HeaderField> fields;
  std::vector<DsnRecipient> recipients;
  // The unfolded values of folded fields, which the `value` of fields above
  // (the message's and its recipients') view. (A message can be moved, not
  // copied: a copy's fields would view the original's strings.)
  std::vector<std::unique_ptr<const std::string>> unfolded;

  // The first per-message field named `name`, or null.
  const HeaderField* Find(std::string_view name) const;
};

// Parses a delivery-status body. Never fails: text that holds no DSN field
// yields an empty DsnMessage. Recipients beyond Limits::max_recipients are
// dropped with a warning; the header caps of ParseHeaders apply to each
// block. Warnings start with "dsn: " (or "headers: ").
DsnMessage ParseDsn(std::string_view text, const Limits& limits,
                    std::vector<std::string>* warnings);

// Splits "type; value" (RFC 3464 address-type / diagnostic-type). When
// there is no ";" the type is empty and the value is all of `field.value`.
TypedValue ParseTypedValue(const HeaderField& field);

// Decodes the \x{HHHH} escapes of an RFC 6533 utf-8 address to UTF-8;
// malformed escapes are kept as written.
std::string DecodeUtf8AddressEscapes(std::string_view text);

// Decodes RFC 3461 xtext ("+2B" for "+"), as ORCPT values arrive in
// Original-Recipient fields; a "+" not followed by two hex digits is kept.
std::string DecodeXtext(std::string_view text);

}  // namespace bouncedx::mail

#endif  // BOUNCEDX_CORE_MAIL_DSN_H_
