// SPDX-License-Identifier: MIT
#include "core/report/json_writer.h"

#include "core/base/text.h"
#include "core/base/word_scan.h"

namespace bouncedx {

namespace {

// The escape for a byte below 0x80, or nullptr when it is copied as it is.
// JSON needs '"', '\\' and the C0 controls escaped; nlohmann writes the five
// with short forms that way and the rest as \u00xx with lower-case hex.
const char* AsciiEscape(unsigned char c, char (&buffer)[7]) {
  switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: break;
  }
  if (c >= 0x20) return nullptr;
  static constexpr char kHex[] = "0123456789abcdef";
  buffer[0] = '\\';
  buffer[1] = 'u';
  buffer[2] = '0';
  buffer[3] = '0';
  buffer[4] = kHex[c >> 4];
  buffer[5] = kHex[c & 0xF];
  buffer[6] = '\0';
  return buffer;
}

bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// The slow path of AppendJsonString for text that is not valid UTF-8: each
// ill-formed subsequence becomes U+FFFD, as nlohmann's dump() with its
// "replace" handler writes it (the report's bytes predate this writer).
void AppendReplacingInvalid(std::string* out, std::string_view value) {
  out->push_back('"');
  for (size_t i = 0; i < value.size();) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (c < 0x80) {
      char buffer[7];
      if (const char* escape = AsciiEscape(c, buffer)) {
        out->append(escape);
      } else {
        out->push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    size_t ill_formed = 0;
    if (const size_t length = Utf8SequenceLength(value, i, &ill_formed)) {
      out->append(value.data() + i, length);
      i += length;
    } else {
      out->append("\xEF\xBF\xBD");
      i += ill_formed;
    }
  }
  out->push_back('"');
}

// True when `value` is ASCII with nothing to escape, so that its JSON form
// is its bytes between quotes: nearly every key and most values.
bool CopiesAsIs(std::string_view value) {
  size_t i = 0;
  for (; i + 8 <= value.size(); i += 8) {
    const uint64_t word = word_scan::Load(value.data() + i);
    if ((word_scan::AnyBelow(word, 0x20) | word_scan::AnyEqual(word, '"') | word_scan::AnyEqual(word, '\\') |
         word_scan::AnyNonAscii(word)) != 0) {
      return false;
    }
  }
  for (; i < value.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (NeedsEscape(c) || c >= 0x80) return false;
  }
  return true;
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view value) {
  // One pass: copy runs of plain bytes, escape ASCII specials, and note
  // whether any byte is non-ASCII. Valid UTF-8 needs nothing more (the bytes
  // of multi-byte sequences are all 0x80 or more).
  const size_t start = out->size();
  if (CopiesAsIs(value)) {
    // One copy, without the escaping loop. (Writing into a resize()d string
    // measured slower: resize() fills the new bytes first, out of line.)
    out->push_back('"');
    out->append(value.data(), value.size());
    out->push_back('"');
    return;
  }
  out->push_back('"');
  size_t run = 0;
  unsigned char any = 0;
  uint64_t any_word = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    // Eight bytes at a time while none of them needs an escape.
    while (i + 8 <= value.size()) {
      const uint64_t word = word_scan::Load(value.data() + i);
      if ((word_scan::AnyBelow(word, 0x20) | word_scan::AnyEqual(word, '"') |
           word_scan::AnyEqual(word, '\\')) != 0) {
        break;
      }
      any_word |= word;
      i += 8;
    }
    if (i == value.size()) break;
    const unsigned char c = static_cast<unsigned char>(value[i]);
    any |= c;
    if (!NeedsEscape(c)) continue;
    out->append(value.data() + run, i - run);
    char buffer[7];
    out->append(AsciiEscape(c, buffer));
    run = i + 1;
  }
  out->append(value.data() + run, value.size() - run);
  out->push_back('"');
  if (((any & 0x80) != 0 || word_scan::AnyNonAscii(any_word) != 0) && !IsValidUtf8(value)) {
    // Rare: fields pass through Printable(), which repairs UTF-8.
    out->resize(start);
    AppendReplacingInvalid(out, value);
  }
}

void JsonWriter::Separate() {
  if (need_comma_) out_->push_back(',');
}

void JsonWriter::BeginObject() {
  Separate();
  out_->push_back('{');
  need_comma_ = false;
}

void JsonWriter::EndObject() {
  out_->push_back('}');
  need_comma_ = true;
}

void JsonWriter::BeginArray() {
  Separate();
  out_->push_back('[');
  need_comma_ = false;
}

void JsonWriter::EndArray() {
  out_->push_back(']');
  need_comma_ = true;
}

void JsonWriter::Key(std::string_view key) {
  Separate();
  AppendJsonString(out_, key);
  out_->push_back(':');
  need_comma_ = false;
}

void JsonWriter::String(std::string_view value) {
  Separate();
  AppendJsonString(out_, value);
  need_comma_ = true;
}

void JsonWriter::Int(int64_t value) {
  Separate();
  if (value < 0) {
    out_->push_back('-');
    // Negated as unsigned: -INT64_MIN does not fit an int64_t.
    AppendDigits(0 - static_cast<uint64_t>(value));
  } else {
    AppendDigits(static_cast<uint64_t>(value));
  }
  need_comma_ = true;
}

void JsonWriter::Uint(uint64_t value) {
  Separate();
  AppendDigits(value);
  need_comma_ = true;
}

void JsonWriter::AppendDigits(uint64_t value) {
  char digits[20];
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) out_->push_back(digits[--count]);
}

void JsonWriter::Bool(bool value) {
  Separate();
  out_->append(value ? "true" : "false");
  need_comma_ = true;
}

}  // namespace bouncedx
