// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_MAIL_DATE_TIME_H_
#define BOUNCEDX_CORE_MAIL_DATE_TIME_H_

// Dates as mail headers write them (Date:, the tail of every Received: field,
// Arrival-Date: of a DSN), turned into Unix time. The calendar arithmetic is
// our own: no clock is read and no libc time function is called, so the
// native build and the WebAssembly build (musl) give the same answer.
//
//   int64_t when = 0;
//   if (ParseDateTime("Tue, 2 Jan 2024 10:04:05 -0800 (PST)", &when)) {
//     // when == 1704218645
//   }
//
// Accepted forms, each with any amount of blanks and trailing comments:
// - RFC 5322 §3.3: [day-name ","] day month year hour ":" minute [":" second]
//   zone, with zone "+hhmm" / "-hhmm";
// - RFC 5322 §4.3 obsolete parts: two-digit years (00-49 are 2000-2049,
//   50-99 are 1950-1999), three-digit years (+1900), the zones UT, GMT, Z,
//   EST/EDT, CST/CDT, MST/MDT, PST/PDT, military letters and unknown
//   alphabetic zones (those last two read as +0000, as §4.3 says they
//   SHOULD), a missing zone (read as +0000), and a missing day-name comma;
// - the asctime() layout of mbox "From " lines ("Mon Jan  1 00:00:00 2024");
// - ISO 8601 as some gateways write it ("2024-01-02T10:04:05Z",
//   "2024-01-02 10:04:05 +01:00").

#include <cstdint>
#include <string>
#include <string_view>

namespace bouncedx::mail {

// Parses `text` as one of the forms above and stores the Unix time (seconds
// since 1970-01-01 00:00:00 UTC; negative before 1970). Returns false, and
// leaves *unix_seconds alone, for anything else: an unknown month, a day the
// month does not have, hour > 23, minute > 59, second > 60 (a leap second
// reads as the next second), a year before 1900 or after 9999, a zone offset
// beyond ±99:59 or with minutes > 59, or text left over that is not a comment.
// The day name, when present, is not checked against the date.
bool ParseDateTime(std::string_view text, int64_t* unix_seconds);

// ParseDateTime(), with 0 standing for "no date" (garbage, or absent).
int64_t DateTimeToUnix(std::string_view text);

// Days from 1970-01-01 to the given proleptic Gregorian date (negative
// before). `month` is 1..12, `day` 1..31; no range check is made.
int64_t DaysFromCivil(int64_t year, int month, int day);

// "2024-01-02 18:04:05 UTC" for a Unix time; any int64 value is accepted.
std::string FormatUtc(int64_t unix_seconds);

}  // namespace bouncedx::mail

#endif  // BOUNCEDX_CORE_MAIL_DATE_TIME_H_
