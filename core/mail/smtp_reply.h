// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_MAIL_SMTP_REPLY_H_
#define BOUNCEDX_CORE_MAIL_SMTP_REPLY_H_

// Finds SMTP replies in text as people paste it: a bare reply line, a
// multi-line reply (`550-5.7.1 ...` continuations, on separate lines or
// flattened onto one), a reply quoted inside an NDR (`host mx[ip] said: 554
// ...`, `Remote Server returned '571 ...'`, `Diagnostic-Code: smtp; 550
// ...`), Exchange's `#5.7.1` / `#550 5.7.1 ... ##` forms and qmail's
// `(#5.7.1)`. Also enhanced status codes that stand alone (`Status: 5.1.1`).
//
//   std::vector<std::string> warnings;
//   for (const SmtpReply& reply : FindSmtpReplies(text, limits, &warnings)) {
//     Use(reply.code, reply.enhanced.ToString(), reply.text);
//   }

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/limits.h"
#include "core/base/status.h"

namespace bouncedx::mail {

// An RFC 3463 enhanced status code, class.subject.detail.
struct EnhancedStatus {
  int class_digit = 0;  // 2, 4 or 5; 0 when absent
  int subject = 0;
  int detail = 0;

  bool present() const { return class_digit != 0; }
  // "5.7.1", or "" when absent.
  std::string ToString() const;
};

// Parses an enhanced status code at the start of `text`. Returns the code
// and the bytes consumed, or kMalformed when the text does not start with
// one. A code followed by ".digit" (an IP address, a version number) is not
// a code. Never reads past `text`.
struct ParsedStatus {
  EnhancedStatus code;
  size_t consumed = 0;
};
Result<ParsedStatus> ParseEnhancedStatus(std::string_view text);

struct SmtpReply {
  int code = 0;              // basic reply code, 0 when only an enhanced code was found
  EnhancedStatus enhanced;   // may be absent
  std::string text;          // reply text, continuation lines joined with one space
  size_t begin = 0;          // span of the whole reply in the input
  size_t end = 0;
  size_t text_begin = 0;     // where the text of the first line starts
  int line_count = 1;        // lines joined (flattened segments count too)
  // What the surrounding NDR says about the reply, when it says it.
  std::string host;          // host that gave it ("mx.example.com")
  std::string host_ip;       // its address as written ("192.0.2.1")
  std::string last_command;  // "RCPT TO", "DATA", "end of data", "MAIL FROM", "connect"
  std::string recipient;     // an address named right before or inside the reply
  bool from_dsn_field = false;  // came from a Diagnostic-Code/Status field

  // Where each piece of `text` came from: (offset in text, offset in the
  // input), in increasing order. Joining continuation lines drops the line
  // breaks and repeated codes, so a span of `text` maps back piecewise.
  std::vector<std::pair<size_t, size_t>> pieces;

  // Maps [begin, end) of `text` to the input bytes it was taken from. The
  // result covers the whole span (line breaks between pieces included).
  void MapToInput(size_t* begin, size_t* end) const;
};

// Returns every reply found in `text`, in order of appearance, at most
// limits.max_replies (a warning names the cap when it is reached). Returns
// an empty list when there is none. Continuation lines are joined up to
// limits.max_reply_lines; a reply text is cut at limits.max_reply_bytes.
std::vector<SmtpReply> FindSmtpReplies(std::string_view text, const Limits& limits,
                                       std::vector<std::string>* warnings);

// False when FindSmtpReplies(text, limits, ...) surely adds no warning: the
// text has fewer bytes than limits.max_lines (so fewer lines than that),
// and no more places where a number starts (a digit or '#' not preceded by
// a digit, where every reply code begins) than limits.max_replies. A caller
// that needs the replies of a text only for its warnings and, perhaps, a
// decision can then skip or postpone the search. One cheap pass.
bool ReplySearchMayWarn(std::string_view text, const Limits& limits);

}  // namespace bouncedx::mail

#endif  // BOUNCEDX_CORE_MAIL_SMTP_REPLY_H_
