// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_BASE_TEXT_H_
#define BOUNCEDX_CORE_BASE_TEXT_H_

// Small, allocation-light text helpers shared by every parser. All of them
// treat their input as untrusted bytes: nothing here assumes valid UTF-8, a
// terminating NUL, or a bounded length.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bouncedx {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
inline bool IsBlank(char c) { return c == ' ' || c == '\t'; }
inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
inline char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
inline char ToUpperAscii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

// The value of a hexadecimal digit, or -1 when `c` is none.
int HexValue(char c);

// Decodes "<marker>XX" hex escapes (RFC 3461 xtext uses '+', RFC 2231 and
// URLs '%'); a marker not followed by two hex digits is kept as it is.
std::string DecodeHexEscapes(std::string_view text, char marker);

std::string ToLower(std::string_view text);
// Whether `a` and `b` are the same bytes ignoring ASCII case. The lengths
// are compared inline, so that the many lookups by name whose lengths
// differ (header fields, DSN fields, media types) cost no call.
bool EqualSizedCaseless(const char* a, const char* b, size_t size);
inline bool EqualsCaseless(std::string_view a, std::string_view b) {
  return a.size() == b.size() && EqualSizedCaseless(a.data(), b.data(), a.size());
}
bool StartsWithCaseless(std::string_view text, std::string_view prefix);
// Position of `needle` in `haystack` ignoring ASCII case, or npos. For
// several needles over the same text, core/base/caseless_finder.h makes one
// pass instead of one per needle.
size_t FindCaseless(std::string_view haystack, std::string_view needle, size_t from = 0);
std::string_view Trim(std::string_view text);

// Splits on '\n' and drops one trailing '\r' from each line. Offsets of the
// returned views are positions in `text`. Stops after `max_lines` lines; the
// last line then holds the rest of the text.
std::vector<std::string_view> SplitLines(std::string_view text, size_t max_lines);

// The same lines, each handed to `visit(line)` in order instead of listed
// (for a caller that keeps a few without a vector); returns how many.
template <typename Visit>
size_t ForEachLine(std::string_view text, size_t max_lines, Visit visit) {
  size_t count = 0;
  size_t start = 0;
  while (start < text.size() && count < max_lines) {
    size_t end = text.find('\n', start);
    const bool last = end == std::string_view::npos || count + 1 == max_lines;
    if (last) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r' && end != text.size()) line.remove_suffix(1);
    if (last && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    visit(line);
    ++count;
    start = end + 1;
  }
  return count;
}

// Returns `text` made safe to show and to log: valid UTF-8 is kept, control
// characters become spaces (tabs and newlines too, unless keep_newlines),
// invalid bytes become U+FFFD, and the result is cut to at most `max_bytes`
// bytes on a character boundary with "…" appended when cut.
std::string Printable(std::string_view text, size_t max_bytes = 200,
                      bool keep_newlines = false);

// Length of the valid UTF-8 sequence (RFC 3629: no overlongs, surrogates or
// code points past U+10FFFF) starting at text[i], or 0 when the bytes there
// are not one. `i` must be inside `text`. On 0, `ill_formed` (when given)
// gets how many bytes one replacement character stands for, Unicode's
// "maximal subpart": the lead byte and the continuation bytes that could
// still have begun a valid sequence (1 for a byte that cannot lead).
size_t Utf8SequenceLength(std::string_view text, size_t i, size_t* ill_formed = nullptr);

// `text` trimmed, with every run of white space (line breaks of folded
// header lines included) made one space.
std::string CollapseBlanks(std::string_view text);

// True when every byte of `text` is ASCII (below 0x80).
bool IsAscii(std::string_view text);

// True when `text` is entirely valid UTF-8 (RFC 3629).
bool IsValidUtf8(std::string_view text);

// The length of the longest start of `text` that is valid UTF-8: up to the
// first byte that does not begin a valid sequence, or text.size().
size_t ValidUtf8Length(std::string_view text);

// How many bytes of `sample` are NUL or other C0 controls that never occur
// in mail text (not TAB, CR, LF, FF, ESC).
size_t ControlByteCount(std::string_view sample);

// Offset of `part` inside `whole`, when `part` is a view into `whole`;
// npos otherwise. Used to turn parser views into evidence offsets.
size_t OffsetIn(std::string_view whole, std::string_view part);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_BASE_TEXT_H_
