// SPDX-License-Identifier: MIT
#include "core/mail/smtp_reply.h"

#include <algorithm>

#include "core/base/byte_reader.h"
#include "core/base/caseless_finder.h"
#include "core/base/text.h"
#include "core/base/word_scan.h"
#include "core/mail/recipient_labels.h"

namespace bouncedx::mail {

void SmtpReply::MapToInput(size_t* span_begin, size_t* span_end) const {
  auto map = [&](size_t offset) -> size_t {
    size_t input = begin;
    for (const auto& [joined, at] : pieces) {
      if (joined > offset) break;
      input = at + (offset - joined);
    }
    return input;
  };
  if (pieces.empty() || *span_end <= *span_begin) {
    *span_begin = *span_end = begin;
    return;
  }
  size_t last = map(*span_end - 1);
  *span_begin = map(*span_begin);
  *span_end = last + 1;
}

std::string EnhancedStatus::ToString() const {
  if (!present()) return "";
  return std::to_string(class_digit) + "." + std::to_string(subject) + "." +
         std::to_string(detail);
}

namespace {

// ParseEnhancedStatus without the Status: nullptr when `text` starts with a
// code (then in *parsed), else why not. The reply search tries it at most
// digits of a bounce, where building a Status (its message is allocated)
// cost more than the parse.
const char* ReadEnhancedStatus(std::string_view text, ParsedStatus* parsed) {
  // Most digits tried here open no code: the class and its dot first, with
  // no reader around them.
  if (text.size() < 2 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.') {
    return "enhanced status: bad class";
  }
  parsed->code.class_digit = text[0] - '0';
  ByteReader reader(text);
  reader.Skip(2);  // the class and its dot, read above
  if (!reader.ReadNumber(/*max_digits=*/3, &parsed->code.subject) || !reader.Consume('.') ||
      !reader.ReadNumber(/*max_digits=*/3, &parsed->code.detail)) {
    return "enhanced status: bad subject or detail";
  }
  // "5.7.1.2" or "5.7.15" cut short would be an address or a version.
  char next = 0;
  if (reader.Peek(&next) && (IsDigit(next) || (next == '.' && reader.remaining() > 1 &&
                                               IsDigit(reader.Rest()[1])))) {
    return "enhanced status: followed by more digits";
  }
  parsed->consumed = reader.position();
  return nullptr;
}

}  // namespace

Result<ParsedStatus> ParseEnhancedStatus(std::string_view text) {
  ParsedStatus parsed;
  if (const char* problem = ReadEnhancedStatus(text, &parsed)) {
    return Status(StatusCode::kMalformed, problem);
  }
  return parsed;
}

namespace {

// One line of the input, with quoting and indentation measured.
struct Line {
  size_t begin = 0;    // offset of the line in the input
  size_t end = 0;      // offset just past its last byte (before CR LF)
  size_t content = 0;  // offset after leading '>' quotes and blanks
  bool indented = false;  // content starts after white space (a wrapped line)
  bool blank = false;
};

// A code found at a position of a line.
struct Occurrence {
  size_t line = 0;       // index into lines
  size_t begin = 0;      // offset of the code (or of '#' before it)
  size_t text_begin = 0; // offset where the reply text starts
  int code = 0;
  char separator = ' ';  // '-' marks a continuation line
  EnhancedStatus enhanced;
  bool dsn_field = false;
  // qmail and Exchange put the code after the words: "Sorry, no mailbox
  // here by that name. (#5.1.1)". The text then ends where the code starts.
  size_t text_end = std::string_view::npos;
};

bool IsBoundaryBefore(char c) {
  return IsSpace(c) || c == '\'' || c == '"' || c == '#' || c == '(' || c == ';' ||
         c == ':' || c == '[' || c == '=' || c == '<' || c == ',';
}

// The full-width colon that Chinese and Japanese labels end with.
constexpr std::string_view kFullwidthColon = "\xEF\xBC\x9A";

bool EndsWithFullwidthColon(std::string_view text) {
  return text.size() >= kFullwidthColon.size() &&
         text.substr(text.size() - kFullwidthColon.size()) == kFullwidthColon;
}

// Words after which a bare reply code (no enhanced code) is believable.
bool FollowsMarker(std::string_view before) {
  std::string_view tail = Trim(before);
  static constexpr std::string_view kMarkers[] = {
      "said:", "returned '", "returned", "smtp;", "#", "error:", "reply:", "response:",
      "said", "message:", "reason:", "'", "\"", "diagnostic-code:", "(",
      kFullwidthColon,  // "服务器返回：550 ..." (the server returned: ...)
  };
  for (std::string_view marker : kMarkers) {
    std::string_view trimmed_marker = Trim(marker);
    if (tail.size() >= trimmed_marker.size() &&
        EqualsCaseless(tail.substr(tail.size() - trimmed_marker.size()), trimmed_marker)) {
      return true;
    }
  }
  return false;
}

std::vector<Line> ScanLines(std::string_view text, const Limits& limits,
                            std::vector<std::string>* warnings) {
  std::vector<Line> lines;
  // Room for the lines of a usual paste at once (bounces run 40-70 bytes a
  // line) instead of growing and moving the table eight times over.
  lines.reserve(std::min<size_t>(text.size() / 32 + 16, 4096));
  size_t start = 0;
  while (start < text.size()) {
    if (lines.size() == limits.max_lines) {
      warnings->push_back("smtp reply: more than " + std::to_string(limits.max_lines) +
                          " lines, the rest was not searched for replies");
      break;
    }
    size_t end = text.find('\n', start);
    size_t next = end == std::string_view::npos ? text.size() : end + 1;
    if (end == std::string_view::npos) end = text.size();
    if (end > start && text[end - 1] == '\r') --end;
    Line line;
    line.begin = start;
    line.end = end;
    size_t p = start;
    // A dissected bounce's blanked original is whole lines of spaces: step
    // over them eight at a time.
    while (p + 8 <= end && word_scan::Load(text.data() + p) == word_scan::kOnes * ' ') p += 8;
    while (p < end && (text[p] == '>' || IsBlank(text[p]))) ++p;
    line.content = p;
    line.indented = p > start && IsBlank(text[p - 1]);
    line.blank = p == end;
    lines.push_back(line);
    start = next;
  }
  return lines;
}

// Whether the words before a code on its line open a DSN field.
bool InDsnField(std::string_view before) {
  std::string_view words = Trim(before);
  return StartsWithCaseless(words, "diagnostic-code:") || StartsWithCaseless(words, "status:");
}

// Looks for a reply code or a standalone enhanced code at `pos` of `line`.
bool MatchAt(std::string_view text, const Line& line, size_t pos, Occurrence* out) {
  const size_t end = line.end;
  if (pos > line.content && !IsBoundaryBefore(text[pos - 1]) &&
      !EndsWithFullwidthColon(text.substr(line.content, pos - line.content))) {
    return false;
  }
  std::string_view rest = text.substr(pos, end - pos);
  bool hash = !rest.empty() && rest[0] == '#';
  size_t skip = hash ? 1 : 0;
  std::string_view digits = rest.substr(skip);
  // Both a reply code and an enhanced code open with 2, 4 or 5: most digits
  // in a bounce (dates, addresses, identifiers) stop here, before the words
  // around them are looked at.
  if (digits.empty() || (digits[0] != '2' && digits[0] != '4' && digits[0] != '5')) return false;
  std::string_view before = text.substr(line.content, pos - line.content);
  bool at_start = pos == line.content;

  // A three-digit basic reply code.
  if (digits.size() >= 3 && IsDigit(digits[0]) && IsDigit(digits[1]) && IsDigit(digits[2]) &&
      (digits.size() == 3 || !IsDigit(digits[3])) &&
      (digits[0] == '2' || digits[0] == '4' || digits[0] == '5')) {
    int code = (digits[0] - '0') * 100 + (digits[1] - '0') * 10 + (digits[2] - '0');
    size_t q = 3;
    char separator = ' ';
    if (q < digits.size()) {
      if (digits[q] == '-') {
        separator = '-';
      } else if (!IsBlank(digits[q])) {
        return false;  // "550x" or "550." is not a reply code
      }
      ++q;
    }
    // Decided only here, once a code was read (most digits open none).
    const bool dsn_field = InDsnField(before);
    size_t after_sep = q;
    while (q < digits.size() && IsBlank(digits[q])) ++q;
    EnhancedStatus enhanced;
    size_t text_at = q;
    std::string_view maybe = digits.substr(q);
    if (!maybe.empty() && maybe[0] == '#') maybe.remove_prefix(1);
    ParsedStatus parsed;
    if (ReadEnhancedStatus(maybe, &parsed) == nullptr) {
      enhanced = parsed.code;
      text_at = q + (digits.size() - q - maybe.size()) + parsed.consumed;
      while (text_at < digits.size() && IsBlank(digits[text_at])) ++text_at;
    } else {
      // Without an enhanced code, believe a code only where replies stand:
      // at the start of a line, or after an NDR's quoting words.
      bool placed = at_start || hash || FollowsMarker(before) || dsn_field;
      if (!placed) return false;
      if (digits[0] == '2' && !at_start) return false;
      if (q >= digits.size()) {
        if (separator != '-' && !at_start) return false;
      } else {
        char c = digits[q];
        if (!(IsAlpha(c) || c == '<' || c == '[' || c == '(' || c == '#' || c == '"' ||
              c == '\'' || static_cast<unsigned char>(c) >= 0x80)) {
          return false;
        }
      }
      (void)after_sep;
    }
    out->begin = pos;
    out->text_begin = pos + skip + text_at;
    out->code = code;
    out->separator = separator;
    out->enhanced = enhanced;
    out->dsn_field = dsn_field;
    return true;
  }

  // A standalone enhanced code: "#5.7.1", "(#5.7.1)", "Status: 5.1.1".
  ParsedStatus parsed;
  if (ReadEnhancedStatus(digits, &parsed) != nullptr) return false;
  const bool dsn_field = InDsnField(before);
  bool placed = hash || at_start || dsn_field || FollowsMarker(before);
  if (!placed) return false;
  if (parsed.code.class_digit == 2 && !dsn_field && !hash) return false;
  out->begin = pos;
  size_t text_at = skip + parsed.consumed;
  while (text_at < digits.size() + skip && IsBlank(rest[text_at])) ++text_at;
  out->text_begin = pos + text_at;
  // A code closing a sentence ("... by that name. (#5.1.1)"): the words
  // before it on the line are the reply.
  std::string_view after = Trim(text.substr(pos + text_at, end - (pos + text_at)));
  std::string_view words = Trim(before);
  if (!words.empty() && words.back() == '(') words = Trim(words.substr(0, words.size() - 1));
  if (hash && !words.empty() && !dsn_field && words.back() != ':' && (after.empty() || after == ")")) {
    out->text_begin = line.content;
    out->text_end = line.content + words.size();
  }
  out->code = 0;
  out->separator = ' ';
  out->enhanced = parsed.code;
  out->dsn_field = dsn_field;
  return true;
}

// Appends `piece` (a view into `input`) to the joined text, recording where
// it came from.
void AppendText(std::string* joined, std::vector<std::pair<size_t, size_t>>* pieces,
                std::string_view input, std::string_view piece, size_t cap) {
  piece = Trim(piece);
  if (piece.empty()) return;
  if (!joined->empty()) joined->push_back(' ');
  size_t room = joined->size() < cap ? cap - joined->size() : 0;
  if (room == 0) return;
  pieces->emplace_back(joined->size(), static_cast<size_t>(piece.data() - input.data()));
  joined->append(piece.substr(0, room));
}

// Removes the wrapping that NDRs put around a quoted reply. Sets *dropped
// to the number of bytes removed from the front.
std::string CleanText(const std::string& text, size_t* dropped) {
  std::string_view view = Trim(text);
  for (bool changed = true; changed && !view.empty();) {
    changed = false;
    if (view.size() >= 2 && view.substr(view.size() - 2) == "##") {
      view.remove_suffix(2);
      changed = true;
    } else if (view.back() == '\'' || view.back() == '"' || view.back() == '(') {
      view.remove_suffix(1);
      changed = true;
    }
    view = Trim(view);
  }
  // "554 5.7.1 : Relay access denied": the colon belongs to no sentence.
  while (!view.empty() && view.front() == ':') view = Trim(view.substr(1));
  *dropped = view.empty() ? text.size() : static_cast<size_t>(view.data() - text.data());
  return std::string(view);
}

// Finds "<local@domain>" in `text`; returns the address or "". The sender
// in "MAIL FROM:<...>" is not a recipient and is skipped.
std::string FindAngleAddress(std::string_view text) {
  size_t pos = 0;
  while ((pos = text.find('<', pos)) != std::string_view::npos) {
    size_t close = text.find('>', pos + 1);
    if (close == std::string_view::npos) return "";
    std::string_view lead = Trim(text.substr(pos >= 12 ? pos - 12 : 0, pos >= 12 ? 12 : pos));
    if (lead.size() >= 10 && EqualsCaseless(lead.substr(lead.size() - 10), "mail from:")) {
      pos = close + 1;
      continue;
    }
    std::string_view inside = text.substr(pos + 1, close - pos - 1);
    size_t at = inside.find('@');
    if (at != std::string_view::npos && at > 0 && at + 1 < inside.size() && inside.size() <= 254 &&
        inside.find_first_of(" \t<>") == std::string_view::npos) {
      return std::string(inside);
    }
    pos = close + 1;
  }
  return "";
}

// Bytes that never stand in a bare address.
bool IsAddressStop(char c) {
  switch (c) {
    case '<': case '>': case '(': case ')': case '[': case ']':
    case ',': case ';': case ':': case '"': case '\'':
      return true;
    default:
      return false;
  }
}

// The offset of the first blank (space or tab) in `text`, or npos. (One
// pass; find_first_of searches the set once per byte.)
size_t FindBlank(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsBlank(text[i])) return i;
  }
  return std::string_view::npos;
}

// The address a line consists of: "bob@example.net", "<bob@example.net>:",
// "bob@example.net (bob@example.net)" (Exim and Exchange list the failed
// address on a line of its own above the reply). "" otherwise.
std::string BareAddress(std::string_view line) {
  line = Trim(line);
  size_t space = FindBlank(line);
  std::string_view token = line.substr(0, space);
  if (space != std::string_view::npos) {
    std::string_view rest = Trim(line.substr(space));
    if (!(rest.size() >= 2 && rest.front() == '(' && rest.back() == ')')) return "";
  }
  if (!token.empty() && token.back() == ':') token.remove_suffix(1);
  if (token.size() >= 2 && token.front() == '<' && token.back() == '>') {
    token = token.substr(1, token.size() - 2);
  }
  size_t at = token.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= token.size() || token.size() > 254 ||
      token.find('@', at + 1) != std::string_view::npos ||
      std::any_of(token.begin(), token.end(), IsAddressStop) ||
      token.find(kFullwidthColon) != std::string_view::npos ||
      token.find('.', at) == std::string_view::npos) {
    return "";
  }
  return std::string(token);
}

// The address a paragraph opens with, before a comma or a colon:
// "bob@example.net, ERROR CODE :541 - Mail rejected by destination domain".
// "" otherwise.
std::string LeadingAddress(std::string_view line) {
  line = Trim(line);
  size_t stop = std::string_view::npos;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ',' || line[i] == ':') {
      stop = i;
      break;
    }
  }
  if (stop == std::string_view::npos || stop + 1 >= line.size()) return "";
  return BareAddress(line.substr(0, stop));
}

// FindCaseless(text, "host ", from), stepping a word at a time over bytes
// that hold no 'h' or 'H' (setting bit 5 makes both 'h' and nothing else).
size_t FindHostWord(std::string_view text, size_t from) {
  constexpr std::string_view kHost = "host ";
  if (text.size() < kHost.size()) return std::string_view::npos;
  const size_t last = text.size() - kHost.size();
  size_t i = from;
  while (i <= last) {
    if (i + 8 <= text.size() &&
        word_scan::AnyEqual(word_scan::Load(text.data() + i) | (word_scan::kOnes * 0x20), 'h') == 0) {
      i += 8;
      continue;
    }
    if ((text[i] | 0x20) == 'h' && StartsWithCaseless(text.substr(i), kHost)) return i;
    ++i;
  }
  return std::string_view::npos;
}

void ReadContext(std::string_view context, SmtpReply* reply) {
  // Postfix: "host mx.example.com[192.0.2.1] said:"; Exim: "host mx.example.com [192.0.2.1]".
  size_t host = FindHostWord(context, 0);
  while (host != std::string_view::npos) {
    size_t name_start = host + 5;
    size_t name_end = name_start;
    while (name_end < context.size() &&
           (IsAlnum(context[name_end]) || context[name_end] == '.' || context[name_end] == '-' ||
            context[name_end] == '_')) {
      ++name_end;
    }
    size_t bracket = name_end;
    if (bracket < context.size() && context[bracket] == ' ') ++bracket;
    if (name_end > name_start && bracket < context.size() && context[bracket] == '[') {
      size_t close = context.find(']', bracket);
      if (close != std::string_view::npos && close - bracket < 64) {
        reply->host = std::string(context.substr(name_start, name_end - name_start));
        reply->host_ip = std::string(context.substr(bracket + 1, close - bracket - 1));
        if (StartsWithCaseless(reply->host_ip, "ipv6:")) reply->host_ip.erase(0, 5);
        break;
      }
    }
    host = FindHostWord(context, host + 5);
  }
  struct CommandWord {
    std::string_view needle;
    std::string_view name;
  };
  static constexpr CommandWord kCommands[] = {
      {"end of data", "end of data"}, {"end of DATA", "end of data"},
      {"RCPT TO", "RCPT TO"},         {"MAIL FROM", "MAIL FROM"},
      {"DATA command", "DATA"},       {"after DATA", "DATA"},
      {"initial connection", "connect"}, {"refused to talk to me", "connect"},
      {"HELO", "HELO"},               {"EHLO", "EHLO"},
      {"STARTTLS", "STARTTLS"},
  };
  // The first word of the list that the context holds (list order decides,
  // not position), found in one pass for all of them.
  static const CaselessFinder* const command_words = [] {
    std::vector<std::string_view> needles;
    for (const CommandWord& word : kCommands) needles.push_back(word.needle);
    return new CaselessFinder(needles);
  }();
  CaselessFinder::Hit command = command_words->FindFirstListed(context);
  if (command.found()) reply->last_command = std::string(kCommands[command.needle].name);
  if (reply->recipient.empty()) reply->recipient = FindAngleAddress(context);
}

}  // namespace

bool ReplySearchMayWarn(std::string_view text, const Limits& limits) {
  if (text.size() >= limits.max_lines) return true;
  // Every code occurrence starts at a digit or '#' after a boundary (never a
  // digit), so the occurrences, and the replies, are at most these starts.
  // Counted without branches (the bytewise loop is left for the compiler
  // to vectorize where it can): it runs over every byte of every input. (Stepping over words without a
  // digit or '#' measured slower: bounces are full of digits, in dates,
  // addresses, identifiers and base64.)
  const unsigned char* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t starts = 0;
  if (!text.empty()) starts = (static_cast<unsigned char>(bytes[0] - '0') < 10) | (bytes[0] == '#');
  size_t from = 1;
#if defined(__SSE2__)
  // Where the host has SSE2 (every x86-64), sixteen bytes per step: a lane
  // is 0xFF where a number starts. The byte before the first lane is the
  // last lane of the block before (the first byte, counted above, has none).
  if (text.size() >= 17) {
    const __m128i zero_digit = _mm_set1_epi8('0');
    const __m128i nine = _mm_set1_epi8(9);
    const __m128i hash = _mm_set1_epi8('#');
    auto digits_of = [&](__m128i block) {
      const __m128i offset = _mm_sub_epi8(block, zero_digit);
      return _mm_cmpeq_epi8(_mm_min_epu8(offset, nine), offset);
    };
    __m128i previous = digits_of(_mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes)));
    word_scan::MarkedLaneCounter opened;
    size_t i = 16;
    for (; i + 16 <= text.size(); i += 16) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
      const __m128i digit = digits_of(block);
      const __m128i opens = _mm_or_si128(digit, _mm_cmpeq_epi8(block, hash));
      const __m128i after_digit = _mm_or_si128(_mm_slli_si128(digit, 1), _mm_srli_si128(previous, 15));
      opened.Add(_mm_andnot_si128(after_digit, opens));
      previous = digit;
    }
    starts += opened.Total();
    // Bytes 1 to 15 of the first block bytewise here, the tail below.
    for (size_t k = 1; k < 16; ++k) {
      const unsigned start = (static_cast<unsigned char>(bytes[k] - '0') < 10) | (bytes[k] == '#');
      const unsigned after_digit = static_cast<unsigned char>(bytes[k - 1] - '0') < 10;
      starts += start & (after_digit ^ 1u);
    }
    from = i;
  }
#endif
  for (size_t i = from; i < text.size(); ++i) {
    const unsigned start = (static_cast<unsigned char>(bytes[i] - '0') < 10) | (bytes[i] == '#');
    const unsigned after_digit = static_cast<unsigned char>(bytes[i - 1] - '0') < 10;
    starts += start & (after_digit ^ 1u);
  }
  return starts > limits.max_replies;
}

std::vector<SmtpReply> FindSmtpReplies(std::string_view text, const Limits& limits,
                                       std::vector<std::string>* warnings) {
  std::vector<SmtpReply> replies;
  std::vector<Line> lines = ScanLines(text, limits, warnings);

  // Pass 1: every code occurrence, in order.
  std::vector<Occurrence> found;
  found.reserve(16);
  const size_t occurrence_cap = limits.max_replies * 4;
  for (size_t i = 0; i < lines.size() && found.size() < occurrence_cap; ++i) {
    const Line& line = lines[i];
    size_t line_cap = std::min(line.end, line.content + limits.max_line_bytes);
    // A continuation line ("550-Response: 550 5.1.1 ...", Exim's report of a
    // sender callout) may quote another server's reply after a label: that
    // code is part of the text, not a new segment. A flattened multi-line
    // reply ("550-5.7.1 words 550-5.7.1 more") has no label before its codes.
    const size_t line_first = found.size();
    for (size_t pos = line.content; pos + 3 <= line_cap && found.size() < occurrence_cap;) {
      // Most bytes open no code: skip them in a tight loop, a word at a
      // time where eight bytes hold neither a digit nor a '#'.
      while (pos + 8 + 2 <= line_cap) {
        const uint64_t word = word_scan::Load(text.data() + pos);
        if ((word_scan::AnyDigit(word) | word_scan::AnyEqual(word, '#')) != 0) {
          // Straight to the first digit or '#' of the word.
          pos += word_scan::FirstMarked(word_scan::BytesDigit(word) | word_scan::BytesEqual(word, '#'));
          break;
        }
        pos += 8;
      }
      while (pos + 3 <= line_cap && !IsDigit(text[pos]) && text[pos] != '#') ++pos;
      if (pos + 3 > line_cap) break;
      Occurrence occurrence;
      if (MatchAt(text, line, pos, &occurrence)) {
        if (found.size() > line_first && found[line_first].begin == line.content &&
            found[line_first].separator == '-') {
          const Occurrence& previous = found.back();
          size_t from = std::min(previous.text_begin, pos);
          std::string_view between = Trim(text.substr(from, pos - from));
          if (!between.empty() && between.back() == ':') {
            pos = occurrence.text_begin > pos ? occurrence.text_begin : pos + 1;
            continue;
          }
        }
        occurrence.line = i;
        found.push_back(occurrence);
        pos = occurrence.text_begin > pos ? occurrence.text_begin : pos + 1;
      } else {
        ++pos;
        while (pos < line_cap && IsDigit(text[pos])) ++pos;
      }
    }
  }

  // Pass 2: group continuation segments into replies (at most one per
  // occurrence).
  replies.reserve(std::min(found.size(), limits.max_replies));
  for (size_t k = 0; k < found.size();) {
    if (replies.size() == limits.max_replies) {
      warnings->push_back("smtp reply: more than " + std::to_string(limits.max_replies) +
                          " replies, the rest were not read");
      break;
    }
    SmtpReply reply;
    const Occurrence& first = found[k];
    reply.code = first.code;
    reply.enhanced = first.enhanced;
    // A code after its words ("... by that name. (#5.1.1)") starts its
    // reply where the words do.
    reply.begin = std::min(first.begin, first.text_begin);
    reply.text_begin = first.text_begin;
    reply.from_dsn_field = first.dsn_field;
    reply.line_count = 0;
    reply.pieces.reserve(4);  // a line or a few
    std::string joined;
    size_t last_line = first.line;
    size_t reply_end = first.begin;
    size_t j = k;
    while (j < found.size()) {
      const Occurrence& segment = found[j];
      if (j > k) {
        const Occurrence& previous = found[j - 1];
        bool continues = previous.separator == '-' && segment.code == first.code &&
                         segment.line <= previous.line + 1;
        if (!continues) break;
      }
      const Line& line = lines[segment.line];
      size_t segment_end = line.end;
      if (j + 1 < found.size() && found[j + 1].line == segment.line) {
        segment_end = found[j + 1].begin;
      }
      if (segment.text_end != std::string_view::npos) segment_end = segment.text_end;
      AppendText(&joined, &reply.pieces, text,
                 text.substr(segment.text_begin, segment_end - segment.text_begin),
                 limits.max_reply_bytes);
      reply_end = segment_end;
      last_line = segment.line;
      ++reply.line_count;
      if (reply.line_count >= static_cast<int>(limits.max_reply_lines)) {
        ++j;
        break;
      }
      if (segment.separator != '-') {
        ++j;
        break;
      }
      ++j;
    }
    // qmail closes its replies with the enhanced code: "553 sorry, that
    // domain isn't in my list of allowed rcpthosts (#5.7.1)". A hash code
    // later on the reply's last line is that reply's, not a new one.
    while (j < found.size() && found[j].line == last_line && found[j].code == 0 &&
           found[j].text_end != std::string_view::npos) {
      if (!reply.enhanced.present()) reply.enhanced = found[j].enhanced;
      reply_end = std::max(reply_end, lines[last_line].end);
      ++j;
    }
    // Wrapped lines: indented, non-blank lines right after the reply that
    // start no reply of their own (Postfix and Exim wrap long replies so).
    bool last_segment_owns_line =
        j >= found.size() || found[j].line != last_line;
    if (last_segment_owns_line) {
      size_t next_line = last_line + 1;
      while (next_line < lines.size() && reply.line_count < static_cast<int>(limits.max_reply_lines)) {
        const Line& line = lines[next_line];
        if (line.blank || !line.indented) break;
        if (j < found.size() && found[j].line == next_line) break;
        AppendText(&joined, &reply.pieces, text, text.substr(line.content, line.end - line.content),
                   limits.max_reply_bytes);
        reply_end = line.end;
        ++reply.line_count;
        ++next_line;
      }
    }
    reply.end = reply_end;
    size_t dropped = 0;
    reply.text = CleanText(joined, &dropped);
    // Shift the piece table by what cleaning removed from the front.
    for (auto& piece : reply.pieces) {
      size_t shift = std::min(dropped, piece.first);
      piece.second += dropped - shift;
      piece.first -= shift;
    }

    // What the NDR says around the reply: the start of its line and the
    // two lines before it, plus the reply text itself.
    const Line& first_line = lines[first.line];
    size_t context_begin = first.line >= 2 ? lines[first.line - 2].begin
                           : first.line == 1 ? lines[0].begin
                                             : first_line.begin;
    std::string_view before = text.substr(context_begin, first.begin - context_begin);
    reply.recipient = FindAngleAddress(text.substr(first_line.begin, first.begin - first_line.begin));
    ReadContext(before, &reply);
    // Exim and Exchange put the failed address on a line of its own a few
    // lines above the reply; other bounces label it ("收件人：li@example.net")
    // or open the paragraph before the reply with it ("bob@example.net,
    // ERROR CODE :541 - ..."). One blank line may stand between.
    int blank_lines = 0;
    for (size_t back = 1; reply.recipient.empty() && back <= 4 && back <= first.line; ++back) {
      const Line& previous = lines[first.line - back];
      if (previous.blank) {
        if (++blank_lines > 1) break;
        continue;
      }
      std::string_view content = text.substr(previous.content, previous.end - previous.content);
      if (blank_lines == 0) reply.recipient = BareAddress(content);
      if (reply.recipient.empty()) reply.recipient = LabelledRecipientLine(content, limits);
      if (reply.recipient.empty()) reply.recipient = LeadingAddress(content);
      if (blank_lines > 0) break;  // only the paragraph's last line, across a blank
    }
    if (reply.last_command.empty() || reply.recipient.empty()) {
      SmtpReply inner;
      ReadContext(reply.text, &inner);
      if (reply.last_command.empty()) reply.last_command = inner.last_command;
      if (reply.recipient.empty()) reply.recipient = inner.recipient;
    }
    replies.push_back(std::move(reply));
    k = j > k ? j : k + 1;
  }
  return replies;
}

}  // namespace bouncedx::mail
