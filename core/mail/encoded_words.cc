// SPDX-License-Identifier: MIT
#include "core/mail/encoded_words.h"

#include "core/base/byte_reader.h"
#include "core/base/text.h"
#include "core/mail/charset.h"
#include "core/mail/transfer.h"

namespace bouncedx::mail {
namespace {

// One encoded word found in the text.
struct Word {
  size_t begin = 0;  // offset of "=?"
  size_t end = 0;    // offset past "?="
  std::string_view charset;
  std::string bytes;  // after B or Q decoding, still in `charset`
};

bool IsCharsetByte(char c) {
  return c > ' ' && c < 0x7F && c != '?' && c != '=' && c != '"' && c != '(' && c != ')';
}

// Tries to read an encoded word at `pos` (which holds "=?").
bool ReadWord(std::string_view text, size_t pos, Word* word) {
  ByteReader reader(text);
  if (!reader.Seek(pos) || !reader.Consume('=') || !reader.Consume('?')) return false;
  std::string_view charset = reader.ReadWhile(IsCharsetByte);
  if (charset.empty() || !reader.Consume('?')) return false;
  char encoding = 0;
  if (!reader.Peek(&encoding) || !reader.Skip(1) || !reader.Consume('?')) return false;
  encoding = ToLowerAscii(encoding);
  if (encoding != 'b' && encoding != 'q') return false;
  std::string_view payload = reader.ReadWhile([](char c) { return c != '?' && !IsSpace(c); });
  if (!reader.Consume('?') || !reader.Consume('=')) return false;
  word->begin = pos;
  word->end = reader.position();
  word->charset = charset;
  word->bytes = encoding == 'b' ? DecodeBase64(payload) : DecodeQEncoding(payload);
  return true;
}

bool OnlyBlanks(std::string_view text) {
  for (char c : text) {
    if (!IsSpace(c)) return false;
  }
  return true;
}

}  // namespace

std::string DecodeEncodedWords(std::string_view text, std::vector<std::string>* warnings,
                               size_t max_bytes) {
  std::string out;
  bool warned_charset = false;
  size_t copied = 0;  // text before this offset is already in `out`
  size_t pos = 0;
  while (pos < text.size() && out.size() < max_bytes) {
    size_t start = text.find("=?", pos);
    if (start == std::string_view::npos) break;
    Word first;
    if (!ReadWord(text, start, &first)) {
      pos = start + 1;
      continue;
    }
    // Join the following words in the same charset that only blanks separate.
    std::string joined = std::move(first.bytes);
    size_t end = first.end;
    std::string_view charset = first.charset;
    while (true) {
      size_t next = end;
      while (next < text.size() && IsSpace(text[next])) ++next;
      Word more;
      if (next >= text.size() || !ReadWord(text, next, &more)) break;
      if (!EqualsCaseless(NormalizeCharsetName(more.charset), NormalizeCharsetName(charset))) break;
      joined += more.bytes;
      end = more.end;
    }
    Result<std::string> decoded = ToUtf8(joined, charset, max_bytes);
    if (!decoded.ok()) {
      if (!warned_charset && warnings != nullptr) warnings->push_back(decoded.status().message());
      warned_charset = true;
      pos = start + 2;  // leave the word as written
      continue;
    }
    // Blanks between the previous encoded word and this one vanish.
    std::string_view between = text.substr(copied, start - copied);
    bool after_word = copied > 0 && OnlyBlanks(between);
    if (!after_word) out += BestEffortUtf8(between);
    out += decoded.value();
    copied = end;
    pos = end;
  }
  if (copied < text.size()) {
    // Most values hold no encoded word: then the text is the result.
    if (out.empty()) {
      out = BestEffortUtf8(text.substr(copied));
    } else {
      out += BestEffortUtf8(text.substr(copied));
    }
  }
  if (out.size() > max_bytes) {
    out = SanitizeUtf8(out, max_bytes);
    if (warnings != nullptr) {
      warnings->push_back("encoded words: decoded text longer than " + std::to_string(max_bytes) +
                          " bytes, cut");
    }
  }
  return out;
}

}  // namespace bouncedx::mail
