// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_ENGINE_BOUNCE_H_
#define BOUNCEDX_CORE_ENGINE_BOUNCE_H_

// Takes a whole bounce apart: its MIME tree, the delivery-status part (RFC
// 3464), the human-readable text and the returned original message. The
// result is what the classifier reads: an "analysis text" in which the
// returned original is blanked out (its subject and body are the sender's
// words, not the reason for the bounce, and must not trigger signatures) and
// to which text parts that were encoded (base64, quoted-printable, another
// charset) are appended decoded. Offsets below input.size() are offsets into
// the input; offsets past it fall in an appended part and are mapped back to
// that part's raw range with MapToInput().

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/limits.h"
#include "core/mail/dsn.h"

namespace bouncedx {

struct ReturnedOriginal {
  bool present = false;
  std::string headers;  // the returned header block, as text
  std::string from;
  std::string to;
  std::string subject;
  std::string date;
  std::string message_id;
  std::string return_path;
};

struct BounceParts {
  std::string analysis;
  size_t input_size = 0;
  struct Appended {
    size_t begin = 0;  // range in `analysis`
    size_t end = 0;
    size_t raw_begin = 0;  // the part's raw body in the input
    size_t raw_end = 0;
  };
  std::vector<Appended> appended;
  bool mime = false;          // the input had a MIME structure
  bool has_dsn = false;
  mail::DsnMessage dsn;       // the first delivery-status part
  ReturnedOriginal original;
  std::string report_type;    // multipart/report's report-type ("delivery-status", "feedback-report")
  std::string auto_submitted; // the bounce's own Auto-Submitted header
  // Exim's X-Failed-Recipients header: the addresses that failed, even when
  // the text gives no SMTP reply for them (local deliveries, timeouts).
  std::vector<std::string> failed_recipients;
  // The bounce says in its own words that the MTA stopped trying (Exim's
  // "This is a permanent error", qmail's "I'm not going to try again",
  // Sendmail's "permanent fatal errors"): the failure is permanent even
  // when the last reply was a 4xx one (a queue timeout, a full mailbox).
  bool gave_up = false;

  // Maps [begin, end) of `analysis` to the input: identity below
  // input_size, else the raw range of the appended part.
  void MapToInput(size_t* begin, size_t* end) const;
};

// Dissects `input`. Never fails: a text with no MIME structure comes back as
// itself (with a returned original cut off at the usual plain-text markers
// of Exim, qmail, Sendmail and others). Warnings start with their subject.
BounceParts DissectBounce(std::string_view input, const Limits& limits,
                          std::vector<std::string>* warnings);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_ENGINE_BOUNCE_H_
