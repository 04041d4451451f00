// SPDX-License-Identifier: MIT
#include "core/mail/mime.h"

#include <algorithm>
#include <utility>

#include "core/base/byte_reader.h"
#include "core/base/text.h"
#include "core/mail/charset.h"
#include "core/mail/encoded_words.h"
#include "core/mail/headers.h"
#include "core/mail/transfer.h"

namespace bouncedx::mail {
namespace {

// RFC 2231 sections joined per parameter (real mail uses a handful; the
// number itself is unbounded in the RFC).
constexpr int kMaxParameterSections = 64;
// Parameters kept per header value.
constexpr size_t kMaxParameters = 64;
// Warnings one ParseMime call adds before it only counts them.
constexpr size_t kMaxMimeWarnings = 50;

bool IsTokenByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u <= 32 || u >= 127) return false;
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

// Skips blanks, line breaks and (comments).
void SkipCfws(ByteReader* reader) {
  while (true) {
    reader->ReadWhile(IsSpace);
    if (!reader->PeekIs('(')) return;
    int depth = 0;
    char c = 0;
    while (reader->Peek(&c)) {
      reader->Skip(1);
      if (c == '\\') {
        reader->Skip(1);
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && --depth == 0) {
        break;
      }
    }
  }
}

std::string PercentDecode(std::string_view text) { return DecodeHexEscapes(text, '%'); }

// A parameter as written, before RFC 2231 assembly.
struct RawParameter {
  std::string base;       // lower-case name without "*N" / "*"
  int section = -1;       // N of "name*N", -1 when absent
  bool extended = false;  // ends with "*": charset'lang'%XX
  std::string value;
};

RawParameter SplitName(std::string_view name, std::string value) {
  RawParameter raw;
  raw.value = std::move(value);
  std::string lower = ToLower(name);
  if (!lower.empty() && lower.back() == '*') {
    raw.extended = true;
    lower.pop_back();
  }
  size_t star = lower.rfind('*');
  if (star != std::string::npos && star + 1 < lower.size()) {
    std::string_view digits = std::string_view(lower).substr(star + 1);
    if (digits.size() <= 3 &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return IsDigit(c); })) {
      int n = 0;
      for (char c : digits) n = n * 10 + (c - '0');
      raw.section = n;
      lower.resize(star);
    }
  }
  raw.base = std::move(lower);
  return raw;
}

// Joins the sections of parameter `base` (RFC 2231 §3-4) and decodes them.
std::string AssembleExtended(const std::vector<RawParameter>& raws, const std::string& base,
                             std::vector<std::string>* warnings) {
  std::vector<const RawParameter*> sections;
  for (const RawParameter& raw : raws) {
    if (raw.base != base || (raw.section < 0 && !raw.extended)) continue;
    if (raw.section >= kMaxParameterSections) {
      if (warnings != nullptr) {
        warnings->push_back("mime: parameter \"" + Printable(base, 64) + "\" has more than " +
                            std::to_string(kMaxParameterSections) + " sections, the rest dropped");
      }
      continue;
    }
    sections.push_back(&raw);
  }
  std::stable_sort(sections.begin(), sections.end(),
                   [](const RawParameter* a, const RawParameter* b) {
                     return std::max(a->section, 0) < std::max(b->section, 0);
                   });
  std::string charset;
  std::string bytes;
  int expected = 0;
  for (const RawParameter* raw : sections) {
    int index = std::max(raw->section, 0);
    if (index != expected) continue;  // duplicate or gap: keep the first run
    ++expected;
    std::string_view value = raw->value;
    if (raw->extended && index == 0) {
      size_t first = value.find('\'');
      size_t second = first == std::string_view::npos ? first : value.find('\'', first + 1);
      if (second != std::string_view::npos) {
        charset = std::string(value.substr(0, first));
        value = value.substr(second + 1);
      }
    }
    bytes += raw->extended ? PercentDecode(value) : std::string(value);
  }
  if (charset.empty()) return BestEffortUtf8(bytes);
  Result<std::string> text = ToUtf8(bytes, charset);
  if (text.ok()) return std::move(text).value();
  if (warnings != nullptr) warnings->push_back(text.status().message());
  return BestEffortUtf8(bytes);
}

}  // namespace

std::vector<MimeParameter> ParseMimeParameters(std::string_view text,
                                               std::vector<std::string>* warnings) {
  std::vector<RawParameter> raws;
  size_t semicolon = text.find(';');
  if (semicolon == std::string_view::npos) return {};
  raws.reserve(4);  // a content type has one to three
  ByteReader reader(text.substr(semicolon));
  bool warned_cap = false;
  while (!reader.AtEnd()) {
    SkipCfws(&reader);
    if (reader.Consume(';')) continue;
    std::string_view name = reader.ReadWhile([](char c) { return IsTokenByte(c) || c == '*'; });
    SkipCfws(&reader);
    if (name.empty() || !reader.Consume('=')) {
      // Not "name=value": skip to the next parameter.
      reader.ReadWhile([](char c) { return c != ';'; });
      continue;
    }
    SkipCfws(&reader);
    std::string value;
    if (reader.PeekIs('"')) {
      value = ReadQuotedString(&reader);
      // Anything glued after the closing quote is dropped up to the next ";".
      reader.ReadWhile([](char x) { return x != ';'; });
    } else {
      std::string_view unquoted = Trim(reader.ReadWhile([](char c) { return c != ';'; }));
      // A trailing "(comment)" is not part of the value.
      size_t open = unquoted.rfind('(');
      if (!unquoted.empty() && unquoted.back() == ')' && open != std::string_view::npos &&
          open > 0 && IsSpace(unquoted[open - 1])) {
        unquoted = Trim(unquoted.substr(0, open));
      }
      value = std::string(unquoted);
    }
    if (raws.size() >= kMaxParameters) {
      if (!warned_cap && warnings != nullptr) {
        warnings->push_back("mime: more than " + std::to_string(kMaxParameters) +
                            " parameters in one field, the rest dropped");
      }
      warned_cap = true;
      continue;
    }
    raws.push_back(SplitName(name, std::move(value)));
  }

  std::vector<MimeParameter> params;
  params.reserve(raws.size());
  for (RawParameter& raw : raws) {
    bool seen = std::any_of(params.begin(), params.end(),
                            [&](const MimeParameter& p) { return p.name == raw.base; });
    if (seen) continue;
    bool has_extended = std::any_of(raws.begin(), raws.end(), [&](const RawParameter& r) {
      return r.base == raw.base && (r.section >= 0 || r.extended);
    });
    MimeParameter param;
    param.name = raw.base;
    if (has_extended) {
      param.value = AssembleExtended(raws, raw.base, warnings);
    } else if (raw.base != "boundary" && raw.value.find("=?") != std::string::npos) {
      param.value = DecodeEncodedWords(raw.value, warnings);
    } else {
      // No other parameter of this name is read again (the first one
      // wins, and only sections are assembled): its value moves.
      param.value = std::move(raw.value);
    }
    params.push_back(std::move(param));
  }
  return params;
}

const std::string* ContentType::Param(std::string_view name) const {
  for (const MimeParameter& param : params) {
    if (EqualsCaseless(param.name, name)) return &param.value;
  }
  return nullptr;
}

bool ContentType::Is(std::string_view a_type, std::string_view a_subtype) const {
  return EqualsCaseless(type, a_type) && EqualsCaseless(subtype, a_subtype);
}

std::string ContentType::MediaType() const { return type + "/" + subtype; }

ContentType ParseContentType(std::string_view value, std::vector<std::string>* warnings) {
  ContentType result;
  ByteReader reader(value);
  SkipCfws(&reader);
  std::string_view type = reader.ReadWhile(IsTokenByte);
  SkipCfws(&reader);
  bool slash = reader.Consume('/');
  SkipCfws(&reader);
  std::string_view subtype = reader.ReadWhile(IsTokenByte);
  if (!type.empty() && slash && !subtype.empty()) {
    result.type = ToLower(type);
    result.subtype = ToLower(subtype);
    result.defaulted = false;
  } else if (warnings != nullptr) {
    warnings->push_back("mime: content type \"" + Printable(value, 80) +
                        "\" unreadable, text/plain assumed");
  }
  result.params = ParseMimeParameters(reader.Rest(), warnings);
  return result;
}

const MimePart* MimeMessage::Find(std::string_view type, std::string_view subtype) const {
  for (const MimePart& part : parts) {
    if (part.content_type.Is(type, subtype)) return &part;
  }
  return nullptr;
}

namespace {

struct Line {
  size_t begin = 0;
  size_t content_end = 0;
  size_t next = 0;
};

// The line starting at `pos`, never reaching past `end`.
Line LineAt(std::string_view text, size_t pos, size_t end) {
  Line line;
  line.begin = pos;
  size_t newline = text.substr(0, end).find('\n', pos);
  line.content_end = newline == std::string_view::npos ? end : newline;
  line.next = newline == std::string_view::npos ? end : newline + 1;
  if (line.content_end > pos && text[line.content_end - 1] == '\r') --line.content_end;
  return line;
}

bool AllBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return IsSpace(c); });
}

// Types whose body is a message (or a message's header block) we parse.
bool IsEmbeddedMessage(const ContentType& type) {
  return type.Is("message", "rfc822") || type.Is("message", "global") ||
         type.Is("text", "rfc822-headers") || type.Is("message", "global-headers") ||
         type.Is("message", "rfc822-headers");
}

class MimeParser {
 public:
  MimeParser(const Limits& limits, MimeMessage* message, std::vector<std::string>* warnings)
      : limits_(limits), message_(message), warnings_(warnings) {}

  // Parses the part at [begin, end) of `text`; returns its index, or -1 when
  // the part cap was reached.
  int ParsePart(std::string_view text, size_t begin, size_t end, int depth, int parent,
                bool in_input, bool digest_child);

 private:
  void Warn(std::string message);
  void ParseMultipart(std::string_view text, int index, const std::string& boundary, int depth,
                      bool in_input);
  void ParseEmbedded(std::string_view text, int index, int depth, bool in_input);
  void DecodeLeaf(std::string_view text, int index, bool in_input);

  const Limits& limits_;
  MimeMessage* message_;
  std::vector<std::string>* warnings_;
  size_t warning_count_ = 0;
  bool depth_warned_ = false;
  bool parts_warned_ = false;
};

void MimeParser::Warn(std::string message) {
  if (warnings_ == nullptr) return;
  ++warning_count_;
  if (warning_count_ <= kMaxMimeWarnings) {
    warnings_->push_back(std::move(message));
  } else if (warning_count_ == kMaxMimeWarnings + 1) {
    warnings_->push_back("mime: more than " + std::to_string(kMaxMimeWarnings) +
                         " warnings, the rest not shown");
  }
}

int MimeParser::ParsePart(std::string_view text, size_t begin, size_t end, int depth, int parent,
                          bool in_input, bool digest_child) {
  if (message_->parts.size() >= limits_.max_mime_parts) {
    if (!parts_warned_) {
      Warn("mime: more than " + std::to_string(limits_.max_mime_parts) +
           " parts, the rest not read");
    }
    parts_warned_ = true;
    return -1;
  }
  const int index = static_cast<int>(message_->parts.size());
  message_->parts.emplace_back();
  std::vector<std::string> local;
  HeaderBlock headers = ParseHeaders(text.substr(0, end), begin, limits_, &local);
  ContentType type;
  if (const HeaderField* field = headers.Find("Content-Type")) {
    type = ParseContentType(field->value, &local);
  }
  if (type.defaulted && digest_child) {
    type.type = "message";
    type.subtype = "rfc822";
  }
  std::string encoding = "7bit";
  if (const HeaderField* field = headers.Find("Content-Transfer-Encoding")) {
    ByteReader reader(field->value);
    SkipCfws(&reader);
    std::string_view token = reader.ReadWhile(IsTokenByte);
    if (!token.empty()) encoding = ToLower(token);
  }
  for (std::string& warning : local) Warn(std::move(warning));

  {
    MimePart& part = message_->parts[static_cast<size_t>(index)];
    part.begin = begin;
    part.end = end;
    part.body_begin = std::min(headers.body_begin, end);
    part.body_end = end;
    part.headers = std::move(headers);
    part.content_type = std::move(type);
    part.transfer_encoding = std::move(encoding);
    part.depth = depth;
    part.parent = parent;
    part.in_input = in_input;
  }
  const MimePart& part = message_->parts[static_cast<size_t>(index)];
  const bool container =
      part.content_type.type == "multipart" || IsEmbeddedMessage(part.content_type);
  if (container && static_cast<size_t>(depth) + 1 > limits_.max_mime_depth) {
    if (!depth_warned_) {
      Warn("mime: nesting deeper than " + std::to_string(limits_.max_mime_depth) +
           " levels, inner parts not read");
    }
    depth_warned_ = true;
    DecodeLeaf(text, index, in_input);
    return index;
  }
  if (part.content_type.type == "multipart") {
    const std::string* boundary = part.content_type.Param("boundary");
    if (boundary == nullptr || boundary->empty()) {
      Warn("mime: part " + std::to_string(index) + ": " + part.content_type.MediaType() +
           " without a boundary, body kept as text");
      DecodeLeaf(text, index, in_input);
      return index;
    }
    std::string copy = *boundary;  // `part` may move while children are added
    ParseMultipart(text, index, copy, depth, in_input);
    return index;
  }
  if (IsEmbeddedMessage(part.content_type)) {
    ParseEmbedded(text, index, depth, in_input);
    return index;
  }
  DecodeLeaf(text, index, in_input);
  return index;
}

void MimeParser::ParseMultipart(std::string_view text, int index, const std::string& boundary,
                                int depth, bool in_input) {
  const std::string delimiter = "--" + boundary;
  const bool digest = message_->parts[static_cast<size_t>(index)].content_type.subtype == "digest";
  const size_t body_begin = message_->parts[static_cast<size_t>(index)].body_begin;
  const size_t end = message_->parts[static_cast<size_t>(index)].body_end;
  size_t part_start = std::string_view::npos;
  bool found = false;
  bool closed = false;
  size_t pos = body_begin;
  while (pos < end) {
    Line line = LineAt(text, pos, end);
    pos = line.next;
    std::string_view content = text.substr(line.begin, line.content_end - line.begin);
    if (content.substr(0, delimiter.size()) != delimiter) continue;
    std::string_view rest = content.substr(delimiter.size());
    bool close = rest.substr(0, 2) == "--";
    if (close) rest.remove_prefix(2);
    if (!AllBlank(rest)) continue;
    found = true;
    if (part_start != std::string_view::npos) {
      // The line break before a delimiter belongs to the delimiter.
      size_t part_end = line.begin;
      if (part_end > part_start && text[part_end - 1] == '\n') --part_end;
      if (part_end > part_start && text[part_end - 1] == '\r') --part_end;
      int child = ParsePart(text, part_start, part_end, depth + 1, index, in_input, digest);
      if (child < 0) return;
      message_->parts[static_cast<size_t>(index)].children.push_back(child);
    }
    if (close) {
      closed = true;
      break;
    }
    part_start = line.next;
  }
  if (!found) {
    Warn("mime: part " + std::to_string(index) + ": no line with boundary \"" +
         Printable(boundary, 80) + "\", body kept as text");
    DecodeLeaf(text, index, in_input);
    return;
  }
  if (!closed && part_start != std::string_view::npos) {
    Warn("mime: boundary \"" + Printable(boundary, 80) +
         "\" never closed, last part runs to the end");
    int child = ParsePart(text, part_start, end, depth + 1, index, in_input, digest);
    if (child >= 0) message_->parts[static_cast<size_t>(index)].children.push_back(child);
  }
}

void MimeParser::ParseEmbedded(std::string_view text, int index, int depth, bool in_input) {
  const MimePart& part = message_->parts[static_cast<size_t>(index)];
  const bool headers_only =
      part.content_type.subtype != "rfc822" && part.content_type.subtype != "global";
  if (headers_only) DecodeLeaf(text, index, in_input);
  const MimePart& same = message_->parts[static_cast<size_t>(index)];
  const std::string& encoding = same.transfer_encoding;
  int child = -1;
  if (encoding == "base64" || encoding == "quoted-printable") {
    std::string_view raw = text.substr(same.body_begin, same.body_end - same.body_begin);
    TransferStats stats;
    std::string decoded =
        encoding == "base64" ? DecodeBase64(raw, &stats) : DecodeQuotedPrintable(raw, &stats);
    message_->buffers.push_back(std::make_unique<const std::string>(std::move(decoded)));
    std::string_view buffer = *message_->buffers.back();
    child = ParsePart(buffer, 0, buffer.size(), depth + 1, index, false, false);
  } else {
    child = ParsePart(text, same.body_begin, same.body_end, depth + 1, index, in_input, false);
  }
  if (child >= 0) message_->parts[static_cast<size_t>(index)].children.push_back(child);
}

void MimeParser::DecodeLeaf(std::string_view text, int index, bool in_input) {
  MimePart& part = message_->parts[static_cast<size_t>(index)];
  std::string_view raw = text.substr(part.body_begin, part.body_end - part.body_begin);
  const std::string where = "mime: part " + std::to_string(index) + ": ";
  // The body as decoded: a view of `raw` itself when nothing was encoded,
  // else of `storage`.
  std::string storage;
  std::string_view decoded = raw;
  TransferStats stats;
  const std::string& encoding = part.transfer_encoding;
  if (encoding == "base64") {
    storage = DecodeBase64(raw, &stats);
    decoded = storage;
  } else if (encoding == "quoted-printable") {
    storage = DecodeQuotedPrintable(raw, &stats);
    decoded = storage;
  } else if (encoding != "7bit" && encoding != "8bit" && encoding != "binary") {
    Warn(where + "transfer encoding \"" + Printable(encoding, 40) +
         "\" unknown, body kept as written");
  }
  if (stats.skipped_bytes > 0 || stats.truncated) {
    Warn(where + encoding + " damaged (" + std::to_string(stats.skipped_bytes) +
         " bad bytes skipped" + (stats.truncated ? ", truncated" : "") + ")");
  }
  const ContentType& type = part.content_type;
  const bool textual = type.type == "text" || type.type == "message" || type.type == "multipart";
  if (textual) {
    const std::string* charset = type.Param("charset");
    std::string name = charset != nullptr ? *charset : std::string();
    if (name.empty() && type.type == "message" && StartsWithCaseless(type.subtype, "global")) {
      name = "utf-8";  // RFC 6533: the global types are UTF-8
    }
    CharsetStats charset_stats;
    Result<std::string> converted = ToUtf8(decoded, name, kDefaultMaxUtf8Bytes, &charset_stats);
    if (converted.ok()) {
      part.body = std::move(converted).value();
    } else {
      Warn(where + converted.status().message() + ", read as utf-8 or windows-1252");
      part.body = BestEffortUtf8(decoded);
    }
    if (charset_stats.truncated) {
      Warn(where + "text longer than " + std::to_string(kDefaultMaxUtf8Bytes) +
           " bytes after conversion, cut");
    }
    if (charset_stats.replaced > 0) {
      Warn(where + std::to_string(charset_stats.replaced) +
           " invalid byte sequences for charset \"" +
           Printable(name.empty() ? "us-ascii" : name, 40) + "\" replaced");
    }
  } else if (decoded.data() == storage.data()) {
    part.body = std::move(storage);
  } else {
    part.body = std::string(decoded);
  }
  part.body_is_raw = in_input && part.body.size() == raw.size() && part.body == raw;
}

}  // namespace

MimeMessage ParseMime(std::string_view input, const Limits& limits,
                      std::vector<std::string>* warnings) {
  MimeMessage message;
  Limits safe = limits;
  if (safe.max_mime_parts == 0) safe.max_mime_parts = 1;  // the message itself always exists
  MimeParser parser(safe, &message, warnings);
  // A bounce's usual parts at once, instead of moving every part (headers,
  // type, body) on each growth.
  message.parts.reserve(std::min<size_t>(8, safe.max_mime_parts));
  parser.ParsePart(input, 0, input.size(), 0, -1, true, false);
  return message;
}

}  // namespace bouncedx::mail
