// SPDX-License-Identifier: MIT
#include "core/input/detect.h"

#include <cstdio>
#include <iterator>

#include "core/base/caseless_finder.h"
#include "core/base/text.h"

namespace bouncedx {

namespace {

constexpr size_t kSampleBytes = 64 << 10;
// Bounce wording stands near the top: an NDR's headers and first lines.
// Looking further costs every input a scan per marker and finds nothing new.
constexpr size_t kMarkerBytes = 16 << 10;
constexpr size_t kHeaderProbeLines = 12;

// Phrases that only bounce messages carry (checked in the first part of the
// input, case-insensitively). These decide the input kind, not the cause.
constexpr std::string_view kBounceMarkers[] = {
    "multipart/report",
    "message/delivery-status",
    "message/global-delivery-status",
    "final-recipient:",
    "delivery has failed to these recipients",
    "diagnostic information for administrators",
    "remote server returned",
    "this is the mail system at host",
    "this message was created automatically by mail delivery software",
    "delivery to the following recipient",
    "delivery status notification",
    "undeliverable:",
    "undelivered mail returned to sender",
    "mail delivery failed",
    "returned mail:",
    "failure notice",
    "could not be delivered",
    "your message wasn't delivered",
    "message not delivered",
    "the following message to",
    "i'm sorry to have to inform you",
    "permanent error",
    "mail delivery subsystem",
    "mailer-daemon",
};

// Field names that mark a header block (and every "X-" name).
constexpr std::string_view kHeaderNames[] = {
    "received", "from", "to", "subject", "date", "message-id", "return-path",
    "delivered-to", "authentication-results", "dkim-signature", "arc-seal",
    "mime-version", "content-type", "reply-to", "received-spf",
};

bool IsKnownHeaderName(std::string_view name) {
  if (StartsWithCaseless(name, "x-")) return true;
  for (std::string_view known : kHeaderNames) {
    if (EqualsCaseless(name, known)) return true;
  }
  return false;
}

// Stores in `lines` the first lines of `text` as SplitLines(text,
// max_lines) gives them, without building a list; returns how many.
size_t FirstLines(std::string_view text, size_t max_lines, std::string_view* lines) {
  return ForEachLine(text, max_lines, [&](std::string_view line) { *lines++ = line; });
}

}  // namespace

bool LooksLikeHeaderField(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 76) return false;
  for (size_t i = 0; i < colon; ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c <= 32 || c >= 127) return false;
  }
  return true;
}

InputSniff DetectInput(std::string_view text, size_t reply_count, size_t reply_bytes) {
  return DetectInput(text, [&](size_t* count, size_t* bytes) {
    *count = reply_count;
    *bytes = reply_bytes;
  });
}

InputSniff DetectInput(std::string_view text,
                       const std::function<void(size_t* reply_count, size_t* reply_bytes)>& count_replies) {
  InputSniff sniff;
  std::string_view trimmed = Trim(text);
  if (trimmed.empty()) {
    sniff.kind = InputKind::kEmpty;
    return sniff;
  }
  std::string_view sample = text.substr(0, kSampleBytes);
  // More than 1% control bytes is not text. The share is said in whole
  // percent, halves rounded to even.
  const size_t whole = sample.size();
  const size_t bad = ControlByteCount(sample);
  if (bad * 100 > whole) {
    size_t percent = bad * 100 / whole;
    const size_t twice_rest = 2 * (bad * 100 % whole);
    if (twice_rest > whole || (twice_rest == whole && percent % 2 == 1)) ++percent;
    sniff.kind = InputKind::kBinary;
    sniff.reason = std::to_string(percent) + "% of the first " + std::to_string(whole) +
                   " bytes are control bytes";
    return sniff;
  }

  // Headers at the top (after an optional mbox "From " line)?
  std::string_view lines[kHeaderProbeLines];
  const size_t line_total = FirstLines(trimmed.substr(0, kSampleBytes), kHeaderProbeLines, lines);
  size_t first = 0;
  if (line_total > 0 && StartsWithCaseless(lines[0], "From ")) first = 1;
  size_t header_like = 0;
  size_t known = 0;
  for (size_t i = first; i < line_total; ++i) {
    std::string_view line = lines[i];
    if (line.empty()) break;
    if (IsBlank(line[0])) continue;  // folded continuation
    if (!LooksLikeHeaderField(line)) break;
    ++header_like;
    // LooksLikeHeaderField found the colon: the name is what precedes it.
    if (IsKnownHeaderName(line.substr(0, line.find(':')))) ++known;
  }
  sniff.starts_with_headers = header_like >= 2 && known >= 1;

  std::string_view head = trimmed.substr(0, kMarkerBytes);
  static const CaselessFinder* const bounce_markers = new CaselessFinder(
      std::vector<std::string_view>(std::begin(kBounceMarkers), std::end(kBounceMarkers)));
  const bool bounce_marker = bounce_markers->Find(head).found();

  size_t line_count = 0;
  const size_t opening_total = FirstLines(trimmed.substr(0, 4096), 8, lines);
  for (size_t i = 0; i < opening_total; ++i) {
    if (!Trim(lines[i]).empty()) ++line_count;
  }
  size_t reply_count = 0;
  size_t reply_bytes = 0;
  bool counted = false;
  auto count = [&] {
    if (!counted) count_replies(&reply_count, &reply_bytes);
    counted = true;
  };
  const bool short_paste = !sniff.starts_with_headers && line_count <= 3 && trimmed.size() < 4096;
  if (short_paste) count();
  if (short_paste && reply_count > 0) {
    // A line or three copied out of an NDR: the reply is the paste.
    sniff.kind = InputKind::kSmtpReply;
    return sniff;
  }
  if (bounce_marker) {
    sniff.kind = InputKind::kBounce;
    return sniff;
  }
  count();
  if (sniff.starts_with_headers) {
    sniff.kind = reply_count > 0 && FindCaseless(head, "received:") == std::string_view::npos
                     ? InputKind::kBounce
                     : InputKind::kHeaders;
  } else if (reply_count > 0 && (reply_count <= 3 || reply_bytes * 2 >= trimmed.size())) {
    sniff.kind = InputKind::kSmtpReply;
  } else if (reply_count > 0) {
    sniff.kind = InputKind::kBounce;
  } else {
    sniff.kind = InputKind::kText;
  }
  return sniff;
}

}  // namespace bouncedx
