// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_MAIL_RECIPIENT_LABELS_H_
#define BOUNCEDX_CORE_MAIL_RECIPIENT_LABELS_H_

// Reads the failed recipient where a notice names it in words instead of an
// SMTP reply or a delivery-status field: a sending service's activity view
// ("To: bob@example.net" under "Event: Dropped"), its API error ("Found
// inactive addresses: bob@example.net."), its event JSON ("recipient":
// "bob@example.net"), a filter's notice ("Your message to: bob@..."), an
// Exchange Online NDR ("Recipient Address: pat@..."), and the same labels in
// other languages ("收件人：li@example.net", "Empfänger: ...").
//
//   for (const std::string& address : FindLabelledRecipients(text, 0, limits)) {
//     AddRecipient(address);
//   }
//
// Labels naming the sender ("Sender Address:", "From:") are never read.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/limits.h"

namespace bouncedx::mail {

// Returns the distinct addresses (in order of appearance, at most
// limits.max_recipients) that follow a recipient label in `text` at or after
// `from` (pass the end of a bounce's own header block, whose To: is the
// sender). A "To:" line counts only at the start of a line and only when
// no line near it says the block comes from a mail system (a forwarded
// bounce's "From: Mail Delivery System" block is addressed to the sender).
// Lines longer than limits.max_line_bytes are not read; at most
// limits.max_lines lines are. Returns an empty list when there is none.
std::vector<std::string> FindLabelledRecipients(std::string_view text, size_t from,
                                                const Limits& limits);

// The address in a line that consists of a recipient label and an address
// ("收件人：li@example.net", "Recipient: <bob@example.net>"), or "". A
// "To:" line is not read (it may belong to a quoted header block).
std::string LabelledRecipientLine(std::string_view line, const Limits& limits);

}  // namespace bouncedx::mail

#endif  // BOUNCEDX_CORE_MAIL_RECIPIENT_LABELS_H_
