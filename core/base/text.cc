// SPDX-License-Identifier: MIT
#include "core/base/text.h"

#include <functional>

#include "core/base/word_scan.h"

namespace bouncedx {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string DecodeHexEscapes(std::string_view text, char marker) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == marker && i + 2 < text.size() &&
        HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ToLowerAscii(c);
  return out;
}

bool EqualSizedCaseless(const char* a, const char* b, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) return false;
  }
  return true;
}

bool StartsWithCaseless(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsCaseless(text.substr(0, prefix.size()), prefix);
}

size_t FindCaseless(std::string_view haystack, std::string_view needle, size_t from) {
  if (needle.empty()) return from <= haystack.size() ? from : std::string_view::npos;
  if (needle.size() > haystack.size()) return std::string_view::npos;
  // Both cases of the first byte are compared as they are, so the loop does
  // no case folding until a candidate starts.
  const char lower = ToLowerAscii(needle[0]);
  const char upper = ToUpperAscii(needle[0]);
  const std::string_view rest = needle.substr(1);
  const size_t last = haystack.size() - needle.size();
  const char* data = haystack.data();
  for (size_t i = from; i <= last; ++i) {
    if (data[i] != lower && data[i] != upper) continue;
    if (EqualsCaseless(haystack.substr(i + 1, rest.size()), rest)) return i;
  }
  return std::string_view::npos;
}

std::string_view Trim(std::string_view text) {
  size_t start = 0;
  while (start < text.size() && IsSpace(text[start])) ++start;
  size_t end = text.size();
  while (end > start && IsSpace(text[end - 1])) --end;
  return text.substr(start, end - start);
}

std::vector<std::string_view> SplitLines(std::string_view text, size_t max_lines) {
  std::vector<std::string_view> lines;
  ForEachLine(text, max_lines, [&](std::string_view line) { lines.push_back(line); });
  return lines;
}

size_t Utf8SequenceLength(std::string_view text, size_t i, size_t* ill_formed) {
  const unsigned char lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) return 1;
  // The lead byte fixes the length and the second byte's range (which rules
  // out overlong forms, surrogates and code points past U+10FFFF); later
  // bytes are any continuation byte.
  size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // shorter forms exist
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // shorter forms exist
    if (lead == 0xF4) high = 0x8F;  // beyond U+10FFFF
  } else {
    if (ill_formed != nullptr) *ill_formed = 1;
    return 0;
  }
  for (size_t k = 1; k < length; ++k) {
    const bool fits = i + k < text.size() && [&] {
      const unsigned char c = static_cast<unsigned char>(text[i + k]);
      return k == 1 ? (c >= low && c <= high) : (c >= 0x80 && c <= 0xBF);
    }();
    if (!fits) {
      if (ill_formed != nullptr) *ill_formed = k;
      return 0;
    }
  }
  return length;
}


std::string CollapseBlanks(std::string_view text) {
  std::string out;
  bool blank = false;
  for (char c : Trim(text)) {
    if (IsSpace(c)) {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out.push_back(' ');
    blank = false;
    out.push_back(c);
  }
  return out;
}

size_t ValidUtf8Length(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    // ASCII, most of mail: eight bytes at a time while it lasts.
    if (i + 8 <= text.size() && word_scan::AnyNonAscii(word_scan::Load(text.data() + i)) == 0) {
      i += 8;
      continue;
    }
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0) break;
    i += n;
  }
  return i;
}

bool IsAscii(std::string_view text) {
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    if (word_scan::AnyNonAscii(word_scan::Load(text.data() + i)) != 0) return false;
  }
  for (; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0x80) return false;
  }
  return true;
}

bool IsValidUtf8(std::string_view text) { return ValidUtf8Length(text) == text.size(); }

std::string Printable(std::string_view text, size_t max_bytes, bool keep_newlines) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  static constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
  std::string out;
  out.reserve(text.size() < max_bytes ? text.size() : max_bytes);
  for (size_t i = 0; i < text.size();) {
    // Printable ASCII, most of mail, is copied a run at a time; the run is
    // measured eight bytes at a time while it lasts.
    size_t run_end = i;
    while (run_end + 8 <= text.size()) {
      const uint64_t word = word_scan::Load(text.data() + run_end);
      if ((word_scan::AnyBelow(word, 0x20) | word_scan::AnyNonAscii(word) | word_scan::AnyEqual(word, 0x7F)) != 0) {
        break;
      }
      run_end += 8;
    }
    while (run_end < text.size() && static_cast<unsigned char>(text[run_end]) >= 0x20 &&
           static_cast<unsigned char>(text[run_end]) < 0x7F) {
      ++run_end;
    }
    if (run_end > i) {
      if (out.size() + (run_end - i) > max_bytes) {
        out.append(text.data() + i, max_bytes - out.size());
        out += kEllipsis;
        return out;
      }
      out.append(text.data() + i, run_end - i);
      i = run_end;
      continue;
    }
    size_t n = Utf8SequenceLength(text, i);
    std::string_view piece;
    char space = ' ';
    if (n == 0) {
      piece = kReplacement;
      n = 1;
    } else if (n == 1) {
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (c == '\n' && keep_newlines) {
        piece = text.substr(i, 1);
      } else if (c < 0x20 || c == 0x7F) {
        piece = std::string_view(&space, 1);
      } else {
        piece = text.substr(i, 1);
      }
    } else {
      piece = text.substr(i, n);
      // C1 controls (U+0080..U+009F) are as unprintable as C0 ones.
      if (n == 2 && static_cast<unsigned char>(text[i]) == 0xC2 &&
          static_cast<unsigned char>(text[i + 1]) < 0xA0) {
        piece = std::string_view(&space, 1);
      }
    }
    if (out.size() + piece.size() > max_bytes) {
      out += kEllipsis;
      return out;
    }
    out += piece;
    i += n;
  }
  return out;
}

namespace {

bool IsStrayControl(unsigned char c) {
  return c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != 0x1B;
}

}  // namespace

size_t ControlByteCount(std::string_view sample) {
  // Runs over the whole sample of every input, eight bytes at a time. A
  // word with no byte below 0x20 at all (most of them; a line break every
  // sixty bytes or so) needs no closer look; the others are counted exactly
  // with per-byte masks.
  size_t bad = 0;
  size_t i = 0;
#if defined(__SSE2__)
  // Where the host has SSE2 (every x86-64), sixteen bytes per step without
  // branches: a lane is 0xFF at a stray control.
  {
    const __m128i highest_control = _mm_set1_epi8(0x1F);
    word_scan::MarkedLaneCounter stray;
    for (; i + 16 <= sample.size(); i += 16) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(sample.data() + i));
      const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(block, highest_control), block);
      const __m128i allowed = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('\t')), _mm_cmpeq_epi8(block, _mm_set1_epi8('\n'))),
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('\f')),
                                    _mm_cmpeq_epi8(block, _mm_set1_epi8('\r'))),
                       _mm_cmpeq_epi8(block, _mm_set1_epi8(0x1B))));
      stray.Add(_mm_andnot_si128(allowed, control));
    }
    bad += stray.Total();
  }
#endif
  for (; i + 8 <= sample.size(); i += 8) {
    const uint64_t word = word_scan::Load(sample.data() + i);
    if (word_scan::AnyBelow(word, 0x20) == 0) continue;
    using word_scan::BytesEqual;
    const uint64_t allowed = BytesEqual(word, '\t') | BytesEqual(word, '\n') | BytesEqual(word, '\f') |
                             BytesEqual(word, '\r') | BytesEqual(word, 0x1B);
    bad += word_scan::CountMarked(word_scan::BytesBelow(word, 0x20) & ~allowed);
  }
  for (; i < sample.size(); ++i) bad += IsStrayControl(static_cast<unsigned char>(sample[i]));
  return bad;
}

size_t OffsetIn(std::string_view whole, std::string_view part) {
  const char* base = whole.data();
  const char* p = part.data();
  if (p == nullptr || base == nullptr) return std::string_view::npos;
  if (std::less<const char*>()(p, base) ||
      std::less<const char*>()(base + whole.size(), p + part.size())) {
    return std::string_view::npos;
  }
  return static_cast<size_t>(p - base);
}

}  // namespace bouncedx
