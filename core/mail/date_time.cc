// SPDX-License-Identifier: MIT
#include "core/mail/date_time.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/text.h"

namespace bouncedx::mail {
namespace {

constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::string_view kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// Anything past this many tokens is not a date (the longest form has 7).
constexpr size_t kMaxTokens = 12;

struct Fields {
  int64_t year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int zone_minutes = 0;  // east of UTC
};

bool IsLeap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kLengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeap(year)) return 29;
  return kLengths[month - 1];
}

// The text with comments removed and commas turned into blanks, split on
// blanks. An unbalanced "(" swallows the rest; a stray ")" is kept as text
// (and so fails later). Returns false past kMaxTokens.
bool Tokenize(std::string_view text, std::vector<std::string>* tokens) {
  std::string current;
  int depth = 0;
  auto flush = [&]() {
    if (!current.empty()) tokens->push_back(current);
    current.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i++];
    if (depth > 0) {
      if (c == '\\') {
        if (i < text.size()) ++i;  // the escaped byte, when there is one
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        --depth;
      }
      continue;
    }
    if (c == '(') {
      flush();
      depth = 1;
    } else if (IsSpace(c) || c == ',') {
      flush();
    } else {
      // The rest of the word up to a blank, a comma or a comment, at once.
      size_t end = i;
      while (end < text.size() && !IsSpace(text[end]) && text[end] != ',' && text[end] != '(') ++end;
      current.append(text.substr(i - 1, end - (i - 1)));
      i = end;
    }
    if (tokens->size() > kMaxTokens) return false;
  }
  flush();
  return tokens->size() <= kMaxTokens;
}

// Reads 1..max_digits decimal digits making up the whole token.
bool ReadAllDigits(std::string_view token, size_t min_digits, size_t max_digits, int64_t* out) {
  if (token.size() < min_digits || token.size() > max_digits) return false;
  int64_t value = 0;
  for (char c : token) {
    if (!IsDigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

int MonthNumber(std::string_view token) {
  if (token.size() < 3) return 0;
  std::string lower = ToLower(token);
  for (int i = 0; i < 12; ++i) {
    // "Jan" and "January" both; "Janx" is not a month.
    if (lower.compare(0, 3, kMonths[i]) != 0) continue;
    if (lower.size() == 3) return i + 1;
    static constexpr std::string_view kFull[] = {"january",   "february", "march",    "april",
                                                 "may",       "june",     "july",     "august",
                                                 "september", "october",  "november", "december"};
    if (lower == kFull[i] || (i == 8 && lower == "sept")) return i + 1;
  }
  return 0;
}

bool IsDayName(std::string_view token) {
  if (token.size() < 3) return false;
  std::string lower = ToLower(token);
  for (std::string_view day : kDays) {
    if (lower.compare(0, 3, day) == 0 &&
        (lower.size() == 3 || (lower.size() > 5 && lower.compare(lower.size() - 3, 3, "day") == 0)))
      return true;
  }
  return false;
}

// "hh:mm" or "hh:mm:ss" (one or two digits each).
bool ParseTime(std::string_view token, Fields* fields) {
  const size_t first = token.find(':');
  if (first == std::string_view::npos) return false;
  const size_t second = token.find(':', first + 1);
  if (second != std::string_view::npos && token.find(':', second + 1) != std::string_view::npos)
    return false;
  int64_t hour = 0;
  int64_t minute = 0;
  int64_t second_value = 0;
  if (!ReadAllDigits(token.substr(0, first), 1, 2, &hour)) return false;
  if (second == std::string_view::npos) {
    if (!ReadAllDigits(token.substr(first + 1), 1, 2, &minute)) return false;
  } else if (!ReadAllDigits(token.substr(first + 1, second - first - 1), 1, 2, &minute) ||
             !ReadAllDigits(token.substr(second + 1), 1, 2, &second_value)) {
    return false;
  }
  if (hour > 23 || minute > 59 || second_value > 60) return false;
  fields->hour = static_cast<int>(hour);
  fields->minute = static_cast<int>(minute);
  fields->second = static_cast<int>(second_value);
  return true;
}

// "+hhmm", "-hhmm", "+hh:mm", "+hh", or an alphabetic zone.
bool ParseZone(std::string_view token, Fields* fields) {
  if (token.empty()) return false;
  if (token[0] == '+' || token[0] == '-') {
    std::string digits;
    for (char c : token.substr(1)) {
      if (c != ':') digits.push_back(c);
    }
    int64_t value = 0;
    if (digits.size() == 2) {
      if (!ReadAllDigits(digits, 2, 2, &value)) return false;
      value *= 100;
    } else if (!ReadAllDigits(digits, 4, 4, &value)) {
      return false;
    }
    if (value % 100 > 59) return false;
    int minutes = static_cast<int>(value / 100 * 60 + value % 100);
    fields->zone_minutes = token[0] == '-' ? -minutes : minutes;
    return true;
  }
  for (char c : token) {
    if (!IsAlpha(c)) return false;
  }
  static constexpr struct {
    std::string_view name;
    int hours;
  } kZones[] = {{"ut", 0},   {"utc", 0},  {"gmt", 0},  {"z", 0},    {"est", -5}, {"edt", -4},
                {"cst", -6}, {"cdt", -5}, {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7}};
  std::string lower = ToLower(token);
  fields->zone_minutes = 0;  // military letters and unknown names: RFC 5322 §4.3
  for (const auto& zone : kZones) {
    if (lower == zone.name) fields->zone_minutes = zone.hours * 60;
  }
  return true;
}

bool ParseYear(std::string_view token, Fields* fields) {
  int64_t year = 0;
  if (!ReadAllDigits(token, 2, 4, &year)) return false;
  if (token.size() == 2) year += year < 50 ? 2000 : 1900;
  if (token.size() == 3) year += 1900;
  fields->year = year;
  return true;
}

// RFC 5322 with its obsolete parts: [day ","] d month y time [zone].
bool ParseRfc5322(const std::vector<std::string>& tokens, Fields* fields) {
  size_t i = 0;
  if (i < tokens.size() && IsDayName(tokens[i])) ++i;
  if (tokens.size() - i < 4) return false;
  int64_t day = 0;
  if (!ReadAllDigits(tokens[i], 1, 2, &day)) return false;
  fields->day = static_cast<int>(day);
  fields->month = MonthNumber(tokens[i + 1]);
  if (fields->month == 0 || !ParseYear(tokens[i + 2], fields) || !ParseTime(tokens[i + 3], fields))
    return false;
  i += 4;
  if (i < tokens.size() && !ParseZone(tokens[i++], fields)) return false;
  return i == tokens.size();
}

// asctime(): "Mon Jan  1 00:00:00 2024" with an optional zone at the end.
bool ParseAsctime(const std::vector<std::string>& tokens, Fields* fields) {
  if (tokens.size() < 5 || tokens.size() > 6 || !IsDayName(tokens[0])) return false;
  fields->month = MonthNumber(tokens[1]);
  int64_t day = 0;
  if (fields->month == 0 || !ReadAllDigits(tokens[2], 1, 2, &day)) return false;
  fields->day = static_cast<int>(day);
  if (!ParseTime(tokens[3], fields) || tokens[4].size() != 4 || !ParseYear(tokens[4], fields))
    return false;
  return tokens.size() == 5 || ParseZone(tokens[5], fields);
}

// ISO 8601: "2024-01-02T10:04:05Z", "2024-01-02 10:04:05 +01:00",
// "2024-01-02T10:04:05.123+0100".
bool ParseIso(const std::vector<std::string>& tokens, Fields* fields) {
  if (tokens.empty() || tokens.size() > 3) return false;
  std::string_view first = tokens[0];
  if (first.size() < 10 || first[4] != '-' || first[7] != '-') return false;
  int64_t year = 0;
  int64_t month = 0;
  int64_t day = 0;
  if (!ReadAllDigits(first.substr(0, 4), 4, 4, &year) ||
      !ReadAllDigits(first.substr(5, 2), 2, 2, &month) ||
      !ReadAllDigits(first.substr(8, 2), 2, 2, &day))
    return false;
  fields->year = year;
  fields->month = static_cast<int>(month);
  fields->day = static_cast<int>(day);
  std::string rest;
  if (first.size() > 10) {
    if (first[10] != 'T' && first[10] != 't') return false;
    rest = std::string(first.substr(11));
    if (tokens.size() > 2) return false;
    if (tokens.size() == 2) rest += tokens[1];
  } else {
    if (tokens.size() < 2) return false;
    rest = tokens[1];
    if (tokens.size() == 3) rest += tokens[2];
  }
  // Split "10:04:05.123+0100" into time, fraction and zone.
  size_t zone_at = rest.find_first_of("+-Zz");
  std::string time = rest.substr(0, zone_at);
  std::string zone = zone_at == std::string::npos ? "" : rest.substr(zone_at);
  size_t dot = time.find('.');
  if (dot != std::string::npos) {
    for (size_t k = dot + 1; k < time.size(); ++k) {
      if (!IsDigit(time[k])) return false;
    }
    time.resize(dot);
  }
  if (!ParseTime(time, fields)) return false;
  return zone.empty() || ParseZone(zone, fields);
}

}  // namespace

int64_t DaysFromCivil(int64_t year, int month, int day) {
  // Shift the year to start in March, so the leap day is the last day of
  // the shifted year, then count whole 400-year eras.
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t shifted_month = month > 2 ? month - 3 : month + 9;
  const int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

bool ParseDateTime(std::string_view text, int64_t* unix_seconds) {
  std::vector<std::string> tokens;
  tokens.reserve(8);  // the usual forms have six or seven
  if (!Tokenize(text, &tokens) || tokens.empty()) return false;
  Fields fields;
  bool parsed = ParseRfc5322(tokens, &fields);
  if (!parsed) parsed = ParseAsctime(tokens, &(fields = Fields()));
  if (!parsed) parsed = ParseIso(tokens, &(fields = Fields()));
  if (!parsed) return false;
  if (fields.year < 1900 || fields.year > 9999 || fields.month < 1 || fields.month > 12 ||
      fields.day < 1 || fields.day > DaysInMonth(fields.year, fields.month))
    return false;
  int64_t seconds = DaysFromCivil(fields.year, fields.month, fields.day) * 86400 +
                    fields.hour * 3600 + fields.minute * 60 + fields.second;
  *unix_seconds = seconds - static_cast<int64_t>(fields.zone_minutes) * 60;
  return true;
}

int64_t DateTimeToUnix(std::string_view text) {
  int64_t value = 0;
  return ParseDateTime(text, &value) ? value : 0;
}

std::string FormatUtc(int64_t unix_seconds) {
  // Floor division, so times before 1970 land on the right day.
  int64_t days = unix_seconds / 86400;
  int64_t rest = unix_seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  // The inverse of DaysFromCivil.
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const int64_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);

  auto two = [](int64_t value) {
    std::string out = std::to_string(value);
    return out.size() < 2 ? "0" + out : out;
  };
  std::string year_text = std::to_string(year);
  while (year_text.size() < 4) year_text.insert(year_text.begin(), '0');
  return year_text + "-" + two(month) + "-" + two(day) + " " + two(rest / 3600) + ":" +
         two(rest / 60 % 60) + ":" + two(rest % 60) + " UTC";
}

}  // namespace bouncedx::mail
