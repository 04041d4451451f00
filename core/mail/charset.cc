// SPDX-License-Identifier: MIT
#include "core/mail/charset.h"

#include <iconv.h>

#include <cerrno>

#include "core/base/text.h"

namespace bouncedx::mail {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
constexpr size_t kMaxCharsetNameBytes = 64;

// Charset spellings seen in mail, keyed by the name lower-cased with every
// byte that is not a letter or digit removed ("Shift_JIS" -> "shiftjis").
// Values are names glibc and musl both accept. "" marks the non-charsets
// read by BestEffortUtf8; "UTF-8" and "US-ASCII" are handled without iconv.
struct Alias {
  std::string_view key;
  std::string_view name;
};
constexpr Alias kAliases[] = {
    {"utf8", "UTF-8"},
    {"unicode11utf8", "UTF-8"},
    {"usascii", "US-ASCII"},
    {"ascii", "US-ASCII"},
    {"us", "US-ASCII"},
    {"ansix341968", "US-ASCII"},
    {"iso646us", "US-ASCII"},
    {"cp367", "US-ASCII"},
    {"unknown8bit", ""},
    {"xunknown", ""},
    {"unknown", ""},
    {"default", ""},
    {"iso88591", "WINDOWS-1252"},
    {"iso885911987", "WINDOWS-1252"},
    {"latin1", "WINDOWS-1252"},
    {"l1", "WINDOWS-1252"},
    {"cp819", "WINDOWS-1252"},
    {"latin2", "ISO-8859-2"},
    {"latin9", "ISO-8859-15"},
    {"iso88598i", "ISO-8859-8"},
    {"iso88596i", "ISO-8859-6"},
    {"shiftjis", "SHIFT_JIS"},
    {"sjis", "SHIFT_JIS"},
    {"xsjis", "SHIFT_JIS"},
    {"mskanji", "SHIFT_JIS"},
    {"csshiftjis", "SHIFT_JIS"},
    {"windows31j", "CP932"},
    {"cp932", "CP932"},
    {"mscp932", "CP932"},
    {"eucjp", "EUC-JP"},
    {"xeucjp", "EUC-JP"},
    {"iso2022jp", "ISO-2022-JP"},
    {"iso2022jp2", "ISO-2022-JP-2"},
    {"csiso2022jp", "ISO-2022-JP"},
    {"gb2312", "GB18030"},
    {"csgb2312", "GB18030"},
    {"gbk", "GB18030"},
    {"xgbk", "GB18030"},
    {"cp936", "GB18030"},
    {"euccn", "GB18030"},
    {"xeuccn", "GB18030"},
    {"gb18030", "GB18030"},
    {"big5", "BIG5"},
    {"csbig5", "BIG5"},
    {"cnbig5", "BIG5"},
    {"xxbig5", "BIG5"},
    {"big5hkscs", "BIG5-HKSCS"},
    {"euckr", "CP949"},
    {"ksc56011987", "CP949"},
    {"ksc5601", "CP949"},
    {"cp949", "CP949"},
    {"windows949", "CP949"},
    {"uhc", "CP949"},
    {"koi8r", "KOI8-R"},
    {"koi8u", "KOI8-U"},
    {"utf7", "UTF-7"},
    {"utf16", "UTF-16"},
    {"utf16le", "UTF-16LE"},
    {"utf16be", "UTF-16BE"},
};

// Supersets some iconv builds lack, and the subset to read them as instead
// (musl, used by Emscripten, has no CP932 or ISO-2022-JP-2).
struct Fallback {
  std::string_view name;
  std::string_view instead;
};
constexpr Fallback kFallbacks[] = {
    {"CP932", "SHIFT_JIS"},
    {"CP949", "EUC-KR"},
    {"BIG5-HKSCS", "BIG5"},
    {"ISO-2022-JP-2", "ISO-2022-JP"},
};

bool IsCharsetNameByte(char c) {
  return IsAlnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '+' || c == '(' ||
         c == ')';
}

// Cuts `out` to at most `max` bytes, then drops a UTF-8 sequence left
// incomplete at the end.
void CutUtf8(std::string* out, size_t max) {
  if (out->size() > max) out->resize(max);
  size_t lead = out->size();
  size_t back = 0;
  while (lead > 0 && back < 4) {
    --lead;
    ++back;
    if ((static_cast<unsigned char>((*out)[lead]) & 0xC0) != 0x80) break;
  }
  if (back == 0) return;
  unsigned char c = static_cast<unsigned char>((*out)[lead]);
  size_t need = c < 0x80             ? 1
                : (c & 0xE0) == 0xC0 ? 2
                : (c & 0xF0) == 0xE0 ? 3
                : (c & 0xF8) == 0xF0 ? 4
                                     : 1;
  if (lead + need > out->size()) out->resize(lead);
}

// Appends `piece`, honouring the bound. Returns false once the bound is hit.
bool AppendBounded(std::string_view piece, size_t max, std::string* out, CharsetStats* stats) {
  if (out->size() + piece.size() > max) {
    out->append(piece.substr(0, max - out->size()));
    CutUtf8(out, max);
    stats->truncated = true;
    return false;
  }
  out->append(piece);
  return true;
}

// Converts through iconv; returns false when iconv does not know `name`.
bool IconvToUtf8(std::string_view bytes, const std::string& name, size_t max, std::string* out,
                 CharsetStats* stats) {
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  char buffer[4096];
  // iconv's interface wants a mutable pointer; it never writes through it.
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  bool room = true;
  while (room && in_left > 0) {
    char* out_ptr = buffer;
    size_t out_left = sizeof(buffer);
    size_t rc = iconv(cd, &in, &in_left, &out_ptr, &out_left);
    int error = errno;
    room = AppendBounded(std::string_view(buffer, sizeof(buffer) - out_left), max, out, stats);
    if (rc != static_cast<size_t>(-1) || !room) continue;
    if (error == E2BIG) continue;
    ++stats->replaced;
    room = AppendBounded(kReplacement, max, out, stats);
    if (error == EILSEQ && in_left > 0) {
      ++in;
      --in_left;
    } else {
      break;  // EINVAL: the input ends inside a sequence.
    }
  }
  if (room) {
    // Return a stateful decoder (ISO-2022-JP) to its initial state.
    char* out_ptr = buffer;
    size_t out_left = sizeof(buffer);
    iconv(cd, nullptr, nullptr, &out_ptr, &out_left);
    AppendBounded(std::string_view(buffer, sizeof(buffer) - out_left), max, out, stats);
  }
  iconv_close(cd);
  return true;
}

}  // namespace

std::string NormalizeCharsetName(std::string_view charset) {
  std::string_view name = Trim(charset);
  while (!name.empty() && (name.front() == '"' || name.front() == '\'')) name.remove_prefix(1);
  while (!name.empty() && (name.back() == '"' || name.back() == '\'')) name.remove_suffix(1);
  size_t star = name.find('*');
  if (star != std::string_view::npos) name = name.substr(0, star);
  name = Trim(name);
  if (name.empty() || name.size() > kMaxCharsetNameBytes) return "";
  std::string key;
  for (char c : name) {
    if (!IsCharsetNameByte(c)) return "";
    if (IsAlnum(c)) key.push_back(ToLowerAscii(c));
  }
  for (const Alias& alias : kAliases) {
    if (alias.key == key) {
      return alias.name.empty() ? std::string("UNKNOWN-8BIT") : std::string(alias.name);
    }
  }
  // Families with a number: iso-8859-N, windows-125N / cp125N.
  std::string_view k = key;
  if (k.substr(0, 7) == "iso8859" && k.size() > 7) return "ISO-8859-" + std::string(k.substr(7));
  if (k.substr(0, 7) == "windows" && k.size() > 7) return "WINDOWS-" + std::string(k.substr(7));
  if (k.substr(0, 5) == "xcp12" || k.substr(0, 4) == "cp12") {
    return "WINDOWS-" + std::string(k.substr(k.find("12")));
  }
  std::string upper;
  for (char c : name) upper.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
  return upper;
}

namespace {

// SanitizeUtf8 for `bytes` whose first `valid` bytes are valid UTF-8 (as
// ValidUtf8Length found), so that a caller that already scanned them does
// not scan again. `stats` is not null.
std::string SanitizeScanned(std::string_view bytes, size_t valid, size_t max_output_bytes,
                            CharsetStats* stats) {
  // Nearly every text is valid and within the bound: one copy.
  if (valid == bytes.size() && bytes.size() <= max_output_bytes) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() < max_output_bytes ? bytes.size() : max_output_bytes);
  size_t i = 0;
  while (i < bytes.size()) {
    // Copy the longest valid run in one append.
    const size_t start = i;
    i += start == 0 ? valid : ValidUtf8Length(bytes.substr(start));
    if (!AppendBounded(bytes.substr(start, i - start), max_output_bytes, &out, stats)) break;
    if (i < bytes.size()) {
      ++stats->replaced;
      ++i;
      if (!AppendBounded(kReplacement, max_output_bytes, &out, stats)) break;
    }
  }
  return out;
}

}  // namespace

std::string SanitizeUtf8(std::string_view bytes, size_t max_output_bytes, CharsetStats* stats) {
  CharsetStats unused;
  if (stats == nullptr) stats = &unused;
  return SanitizeScanned(bytes, ValidUtf8Length(bytes), max_output_bytes, stats);
}

std::string BestEffortUtf8(std::string_view bytes, size_t max_output_bytes, CharsetStats* stats) {
  CharsetStats unused;
  if (stats == nullptr) stats = &unused;
  const size_t valid = ValidUtf8Length(bytes);
  if (valid == bytes.size()) return SanitizeScanned(bytes, valid, max_output_bytes, stats);
  std::string out;
  if (IconvToUtf8(bytes, "WINDOWS-1252", max_output_bytes, &out, stats)) return out;
  return SanitizeScanned(bytes, valid, max_output_bytes, stats);
}

Result<std::string> ToUtf8(std::string_view bytes, std::string_view charset,
                           size_t max_output_bytes, CharsetStats* stats) {
  CharsetStats unused;
  if (stats == nullptr) stats = &unused;
  std::string name = NormalizeCharsetName(charset);
  if (Trim(charset).empty() || name == "UNKNOWN-8BIT" || name == "US-ASCII") {
    return BestEffortUtf8(bytes, max_output_bytes, stats);
  }
  if (name == "UTF-8") return SanitizeUtf8(bytes, max_output_bytes, stats);
  std::string out;
  bool known = !name.empty() && IconvToUtf8(bytes, name, max_output_bytes, &out, stats);
  for (const Fallback& fallback : kFallbacks) {
    if (!known && fallback.name == name) {
      known = IconvToUtf8(bytes, std::string(fallback.instead), max_output_bytes, &out, stats);
    }
  }
  if (!known) {
    return Status(StatusCode::kUnsupported,
                  "charset: unknown charset \"" + Printable(charset, 64) + "\"");
  }
  return out;
}

}  // namespace bouncedx::mail
