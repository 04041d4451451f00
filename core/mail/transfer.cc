// SPDX-License-Identifier: MIT
#include "core/mail/transfer.h"

#include "core/base/byte_reader.h"
#include "core/base/text.h"

namespace bouncedx::mail {
namespace {

// Value of a base64 symbol, or -1.
int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Reads "=XY" after the "=" has been consumed; on success stores the byte.
bool ReadHexPair(ByteReader* reader, char* out) {
  ByteReader look = *reader;
  char hi = 0;
  char lo = 0;
  if (!look.Peek(&hi) || HexValue(hi) < 0 || !look.Skip(1)) return false;
  if (!look.Peek(&lo) || HexValue(lo) < 0 || !look.Skip(1)) return false;
  *out = static_cast<char>((HexValue(hi) << 4) | HexValue(lo));
  *reader = look;
  return true;
}

// Appends the bytes of a partial base64 quantum (`count` symbols in `bits`).
void FlushQuantum(unsigned bits, int count, std::string* out, TransferStats* stats) {
  if (count == 2) {
    out->push_back(static_cast<char>((bits >> 4) & 0xFF));
  } else if (count == 3) {
    out->push_back(static_cast<char>((bits >> 10) & 0xFF));
    out->push_back(static_cast<char>((bits >> 2) & 0xFF));
  } else if (count == 1) {
    stats->truncated = true;
  }
}

}  // namespace

std::string DecodeBase64(std::string_view text, TransferStats* stats) {
  TransferStats unused;
  if (stats == nullptr) stats = &unused;
  std::string out;
  out.reserve(text.size() / 4 * 3 + 3);
  unsigned bits = 0;
  int count = 0;
  // Every byte is looked at once, in order: a plain loop over the view.
  for (const char c : text) {
    if (IsSpace(c)) continue;
    if (c == '=') {
      FlushQuantum(bits, count, &out, stats);
      bits = 0;
      count = 0;
      continue;
    }
    int value = Base64Value(c);
    if (value < 0) {
      ++stats->skipped_bytes;
      continue;
    }
    bits = (bits << 6) | static_cast<unsigned>(value);
    if (++count == 4) {
      out.push_back(static_cast<char>((bits >> 16) & 0xFF));
      out.push_back(static_cast<char>((bits >> 8) & 0xFF));
      out.push_back(static_cast<char>(bits & 0xFF));
      bits = 0;
      count = 0;
    }
  }
  FlushQuantum(bits, count, &out, stats);
  return out;
}

std::string DecodeQuotedPrintable(std::string_view text, TransferStats* stats) {
  TransferStats unused;
  if (stats == nullptr) stats = &unused;
  std::string out;
  out.reserve(text.size());
  ByteReader reader(text);
  // Blanks are held back until we know whether a line break follows them.
  std::string pending_blanks;
  char c = 0;
  while (true) {
    // Runs of bytes that stand for themselves are copied whole.
    if (pending_blanks.empty()) {
      out.append(reader.ReadWhile(
          [](char x) { return x != ' ' && x != '\t' && x != '\r' && x != '\n' && x != '='; }));
    }
    if (!reader.Peek(&c)) break;
    reader.Skip(1);
    if (c == ' ' || c == '\t') {
      pending_blanks.push_back(c);
      continue;
    }
    if (c == '\r' && (reader.PeekIs('\n') || reader.AtEnd())) {
      pending_blanks.clear();
      out.push_back(c);
      continue;
    }
    if (c == '\n') {
      pending_blanks.clear();
      out.push_back(c);
      continue;
    }
    if (!pending_blanks.empty()) {
      out += pending_blanks;
      pending_blanks.clear();
    }
    if (c != '=') {
      out.push_back(c);
      continue;
    }
    char byte = 0;
    if (ReadHexPair(&reader, &byte)) {
      out.push_back(byte);
      continue;
    }
    // Soft line break: "=" then optional blanks then CRLF, LF or the end.
    ByteReader look = reader;
    look.SkipBlanks();
    if (look.Consume('\n') || (look.Consume('\r') && (look.Consume('\n') || true))) {
      reader = look;
      continue;
    }
    if (look.AtEnd()) {
      stats->truncated = true;
      reader = look;
      continue;
    }
    ++stats->skipped_bytes;
    out.push_back('=');
  }
  out += pending_blanks;
  return out;
}

std::string DecodeQEncoding(std::string_view text, TransferStats* stats) {
  TransferStats unused;
  if (stats == nullptr) stats = &unused;
  std::string out;
  out.reserve(text.size());
  ByteReader reader(text);
  char c = 0;
  while (reader.Peek(&c)) {
    reader.Skip(1);
    if (c == '_') {
      out.push_back(' ');
    } else if (c == '=') {
      char byte = 0;
      if (ReadHexPair(&reader, &byte)) {
        out.push_back(byte);
      } else {
        ++stats->skipped_bytes;
        out.push_back('=');
      }
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace bouncedx::mail
