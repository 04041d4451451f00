// SPDX-License-Identifier: MIT
#include "core/report/json_writer.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "core/base/text.h"
#include "core/base/word_scan.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bouncedx {

namespace {

// Writes the escape for ASCII byte `c` at `p` when it needs one (JSON
// needs '"', '\\' and the C0 controls escaped; nlohmann writes the five with
// short forms that way and the rest as \u00xx with lower-case hex). Returns
// the byte after what was written, or nullptr when `c` is copied as it is.
char* WriteAsciiEscape(unsigned char c, char* p) {
  char letter = 0;
  switch (c) {
    case '"': letter = '"'; break;
    case '\\': letter = '\\'; break;
    case '\b': letter = 'b'; break;
    case '\f': letter = 'f'; break;
    case '\n': letter = 'n'; break;
    case '\r': letter = 'r'; break;
    case '\t': letter = 't'; break;
    default: break;
  }
  if (letter != 0) {
    p[0] = '\\';
    p[1] = letter;
    return p + 2;
  }
  if (c >= 0x20) return nullptr;
  static constexpr char kHex[] = "0123456789abcdef";
  p[0] = '\\';
  p[1] = 'u';
  p[2] = '0';
  p[3] = '0';
  p[4] = kHex[c >> 4];
  p[5] = kHex[c & 0xF];
  return p + 6;
}

bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// Copies a member name (a few bytes to a few dozen) to `p` and returns the
// byte after it: overlapping loads and stores within its bounds instead of
// a call to memcpy, which costs more than the copy at these sizes.
char* CopyKey(std::string_view key, char* p) {
  const char* from = key.data();
  const size_t size = key.size();
  if (size >= 8) {
    for (size_t i = 0; i + 8 < size; i += 8) std::memcpy(p + i, from + i, 8);
    std::memcpy(p + size - 8, from + size - 8, 8);
  } else if (size >= 4) {
    std::memcpy(p, from, 4);
    std::memcpy(p + size - 4, from + size - 4, 4);
  } else {
    for (size_t i = 0; i < size; ++i) p[i] = from[i];
  }
  return p + size;
}

// Most bytes one character of `value` can become: a control's \u00xx.
constexpr size_t kMaxBytesPerByte = 6;

// The slow path of WriteString for text that is not valid UTF-8: each
// ill-formed subsequence becomes U+FFFD, as nlohmann's dump() with its
// "replace" handler writes it (the report's bytes predate this writer).
// Writes at `p`, which has room for kMaxBytesPerByte per byte of `value`
// (U+FFFD's three bytes replace at least one), and returns the end.
char* WriteReplacingInvalid(std::string_view value, char* p) {
  for (size_t i = 0; i < value.size();) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (c < 0x80) {
      if (char* after = WriteAsciiEscape(c, p)) {
        p = after;
      } else {
        *p++ = static_cast<char>(c);
      }
      ++i;
      continue;
    }
    size_t ill_formed = 0;
    if (const size_t length = Utf8SequenceLength(value, i, &ill_formed)) {
      std::memcpy(p, value.data() + i, length);
      p += length;
      i += length;
    } else {
      std::memcpy(p, "\xEF\xBF\xBD", 3);
      p += 3;
      i += ill_formed;
    }
  }
  return p;
}

// Nonzero when some byte of `word` needs an escape: below 0x20, '"' or '\\'.
uint64_t AnySpecial(uint64_t word) {
  return word_scan::AnyBelow(word, 0x20) | word_scan::AnyEqual(word, '"') | word_scan::AnyEqual(word, '\\');
}

// Writes the inside of `value`'s JSON string (no quotes) at `p`, which has
// room for kMaxBytesPerByte per byte of `value` (and so for any eight bytes
// at `p` while a byte of `value` is left); returns the end. One pass copies
// eight bytes at a time up to the next byte that needs an escape, escapes
// it, and notes whether any byte is non-ASCII: valid UTF-8 needs nothing
// more (the bytes of multi-byte sequences are all 0x80 or more).
char* WriteStringBody(std::string_view value, char* p) {
  char* const start = p;
  const char* const text = value.data();
  const size_t size = value.size();
  uint64_t seen = 0;  // every byte looked at, OR-ed together
  size_t i = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time where the host has SSE2 (every x86-64 one);
  // the eight-byte words below finish, and do it all elsewhere (the
  // WebAssembly build). Same steps: store, test, keep the plain bytes.
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i last_control = _mm_set1_epi8(0x1F);
  __m128i seen_wide = _mm_setzero_si128();
  while (i + 16 <= size) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), chunk);
    seen_wide = _mm_or_si128(seen_wide, chunk);
    // A control byte is one whose unsigned maximum with 0x1F is 0x1F.
    const __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                     _mm_cmpeq_epi8(_mm_max_epu8(chunk, last_control), last_control));
    const unsigned marks = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (marks == 0) {
      p += 16;
      i += 16;
      continue;
    }
    const unsigned plain = static_cast<unsigned>(__builtin_ctz(marks));
    p = WriteAsciiEscape(static_cast<unsigned char>(text[i + plain]), p + plain);
    i += plain + 1;
  }
  // Bit 7 of some byte, for the non-ASCII test below.
  if (_mm_movemask_epi8(seen_wide) != 0) seen |= 0x80;
#endif
  while (i < size) {
    uint64_t word;
    if (i + 8 <= size) {
      word = word_scan::Load(text + i);
    } else if (size >= 8 && AnySpecial(word = word_scan::Load(text + size - 8)) == 0) {
      // The last bytes, as the end of a word that overlaps bytes already
      // written: those were copied as they are (none needs an escape), so
      // the output ends with them, and writing them again changes nothing.
      const size_t left = size - i;
      std::memcpy(p - (8 - left), &word, sizeof(word));
      seen |= word;
      p += left;
      break;
    } else {
      const unsigned char c = static_cast<unsigned char>(text[i++]);
      seen |= c;
      if (NeedsEscape(c)) {
        p = WriteAsciiEscape(c, p);
      } else {
        *p++ = static_cast<char>(c);
      }
      continue;
    }
    // The word is stored whole before it is tested: most are copied.
    std::memcpy(p, &word, sizeof(word));
    seen |= word;
    if (AnySpecial(word) == 0) {
      p += 8;
      i += 8;
      continue;
    }
    // Keep the bytes before the first special one, then escape it.
    const unsigned plain = word_scan::FirstMarked(word_scan::BytesBelow(word, 0x20) |
                                                  word_scan::BytesEqual(word, '"') |
                                                  word_scan::BytesEqual(word, '\\'));
    p = WriteAsciiEscape(static_cast<unsigned char>(text[i + plain]), p + plain);
    i += plain + 1;
  }
  if (word_scan::AnyNonAscii(seen) != 0 && !IsValidUtf8(value)) {
    // Rare: fields pass through Printable(), which repairs UTF-8.
    p = WriteReplacingInvalid(value, start);
  }
  return p;
}

// Writes `value` as a JSON string, quotes included, at `p` (room as for
// WriteStringBody, plus two); returns the end.
char* WriteQuoted(std::string_view value, char* p) {
  *p++ = '"';
  p = WriteStringBody(value, p);
  *p++ = '"';
  return p;
}

// Writes `"key":` at `p`, after a comma when `comma`; returns the end.
char* WritePlainKey(std::string_view key, bool comma, char* p) {
  if (comma) *p++ = ',';
  *p++ = '"';
  p = CopyKey(key, p);
  *p++ = '"';
  *p++ = ':';
  return p;
}

// How much the string grows at least, within its capacity, when the cursor
// needs room: a few steps make a report, a string that gets one short value
// is not filled far past it, and each fill stays short of the size where
// memset switches to "rep stosb" (slow to start, and counted per byte by
// instruction profilers).
constexpr size_t kGrowStep = 1024;

}  // namespace

JsonWriter::JsonWriter(std::string* out) : out_(out) {
  pos_ = out_->data() + out_->size();
  end_ = pos_;
}

JsonWriter::~JsonWriter() {
  if (depth_ != 0) Trim();
}

void JsonWriter::Grow(size_t bytes) {
  const size_t used = static_cast<size_t>(pos_ - out_->data());
  size_t size = used + bytes;
  const size_t capacity = out_->capacity();
  if (size <= capacity) {
    // resize() fills the new bytes before we overwrite them: fill what the
    // string already holds, a step at a time.
    size = std::max(size, std::min(capacity, used + kGrowStep));
  } else {
    size = std::max(size, 2 * capacity);
  }
  out_->resize(size);
  pos_ = out_->data() + used;
  end_ = out_->data() + size;
}

void JsonWriter::Trim() {
  out_->resize(static_cast<size_t>(pos_ - out_->data()));
  // Bytes past the string's new end are no longer ours to write.
  end_ = pos_;
}

void JsonWriter::Open(char bracket) {
  char* p = Room(2);
  if (need_comma_) *p++ = ',';
  *p++ = bracket;
  pos_ = p;
  ++depth_;
  need_comma_ = false;
}

void JsonWriter::Close(char bracket) {
  *Room(1) = bracket;
  ++pos_;
  --depth_;
  Finish();
}

void JsonWriter::BeginObject() { Open('{'); }
void JsonWriter::EndObject() { Close('}'); }
void JsonWriter::BeginArray() { Open('['); }
void JsonWriter::EndArray() { Close(']'); }

void JsonWriter::Key(std::string_view key) {
  String(key);
  *Room(1) = ':';
  ++pos_;
  need_comma_ = false;
}

void JsonWriter::PlainKey(std::string_view key) {
  assert(IsPlainJsonKey(key));
  pos_ = WritePlainKey(key, need_comma_, Room(key.size() + 4));
  need_comma_ = false;
}

void JsonWriter::PlainKeyString(std::string_view key, std::string_view value) {
  assert(IsPlainJsonKey(key));
  char* p = WritePlainKey(key, need_comma_, Room(key.size() + value.size() * kMaxBytesPerByte + 6));
  pos_ = WriteQuoted(value, p);
  Finish();
}

void JsonWriter::String(std::string_view value) {
  char* p = Room(value.size() * kMaxBytesPerByte + 3);
  if (need_comma_) *p++ = ',';
  pos_ = WriteQuoted(value, p);
  Finish();
}

void JsonWriter::Int(int64_t value) {
  if (value < 0) {
    char* p = Room(2);
    if (need_comma_) *p++ = ',';
    *p++ = '-';
    pos_ = p;
    need_comma_ = false;
    // Negated as unsigned: -INT64_MIN does not fit an int64_t.
    AppendDigits(0 - static_cast<uint64_t>(value));
  } else {
    AppendDigits(static_cast<uint64_t>(value));
  }
  Finish();
}

void JsonWriter::Uint(uint64_t value) {
  AppendDigits(value);
  Finish();
}

void JsonWriter::AppendDigits(uint64_t value) {
  char digits[20];
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  char* p = Room(count + 1);
  if (need_comma_) *p++ = ',';
  while (count > 0) *p++ = digits[--count];
  pos_ = p;
}

void JsonWriter::Bool(bool value) {
  char* p = Room(6);
  if (need_comma_) *p++ = ',';
  const std::string_view text = value ? "true" : "false";
  std::memcpy(p, text.data(), text.size());
  pos_ = p + text.size();
  Finish();
}

void AppendJsonString(std::string* out, std::string_view value) {
  JsonWriter json(out);
  json.String(value);
}

}  // namespace bouncedx
