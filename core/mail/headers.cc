// SPDX-License-Identifier: MIT
#include "core/mail/headers.h"

#include <algorithm>

#include "core/base/byte_reader.h"
#include "core/base/text.h"
#include "core/mail/encoded_words.h"

namespace bouncedx::mail {
namespace {

// Skipped lines reported one by one before a summary takes over.
constexpr size_t kMaxLineWarnings = 5;
// Nesting of comments in an address ("(a (b (c)))") followed before the rest
// is read as plain comment text.
constexpr int kMaxCommentDepth = 32;

// One line of `text`: [begin, content_end) without its line break, next
// line at `next`.
struct Line {
  size_t begin = 0;
  size_t content_end = 0;
  size_t next = 0;
};

Line LineAt(std::string_view text, size_t pos) {
  Line line;
  line.begin = pos;
  size_t newline = text.find('\n', pos);
  if (newline == std::string_view::npos) {
    line.content_end = text.size();
    line.next = text.size();
  } else {
    line.content_end = newline;
    line.next = newline + 1;
  }
  if (line.content_end > pos && text[line.content_end - 1] == '\r') --line.content_end;
  return line;
}

bool IsFieldNameByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u >= 33 && u <= 126 && c != ':';
}

// When `content` is "Name:" or "Name  :" (obsolete), sets *name_size and
// *colon and returns true.
bool ReadFieldName(std::string_view content, size_t* name_size, size_t* colon) {
  // A plain index loop: it runs over the name of every field of every block.
  size_t end = 0;
  while (end < content.size() && IsFieldNameByte(content[end])) ++end;
  if (end == 0) return false;
  size_t at = end;
  while (at < content.size() && IsBlank(content[at])) ++at;
  if (at == content.size() || content[at] != ':') return false;
  *name_size = end;
  *colon = at;
  return true;
}

bool AllBlank(std::string_view text) {
  for (char c : text) {
    if (!IsBlank(c)) return false;
  }
  return true;
}

// Fills field->value from field->raw_value, keeping an unfolded copy in
// `block` when the field has more than one line.
void Unfold(const Limits& limits, HeaderField* field, HeaderBlock* block,
            std::vector<std::string>* warnings) {
  std::string_view raw = field->raw_value;
  // Most fields are one line within the cap: the value is the trimmed line
  // itself.
  if (raw.size() <= limits.max_header_bytes && raw.find('\n') == std::string_view::npos) {
    field->value = Trim(raw);
    return;
  }
  std::string value;
  value.reserve(std::min(raw.size(), limits.max_header_bytes));
  bool cut = false;
  size_t first = 0;
  while (first < raw.size() && IsSpace(raw[first])) ++first;
  // Line by line: the bytes of a line are copied as they are, in one
  // append; its line break (LF or CRLF) is dropped before a folded
  // continuation (which brings its own blank) and becomes a space before a
  // continuation glued on by NonFieldLine::kContinuesField, which has none.
  for (size_t i = first; i < raw.size();) {
    const size_t newline = raw.find('\n', i);
    size_t line_end = newline == std::string_view::npos ? raw.size() : newline;
    if (newline != std::string_view::npos && line_end > i && raw[line_end - 1] == '\r') --line_end;
    const size_t room = limits.max_header_bytes - std::min(value.size(), limits.max_header_bytes);
    if (line_end - i > room) {
      value.append(raw.data() + i, room);
      cut = true;
      break;
    }
    value.append(raw.data() + i, line_end - i);
    if (newline == std::string_view::npos) break;
    i = newline + 1;
    if (i < raw.size() && !IsBlank(raw[i])) {
      if (value.size() >= limits.max_header_bytes) {
        cut = true;
        break;
      }
      value.push_back(' ');
    }
  }
  std::string_view trimmed = Trim(value);
  if (trimmed.size() != value.size()) {
    value = std::string(trimmed);
  }
  block->unfolded.push_back(std::make_unique<const std::string>(std::move(value)));
  field->value = *block->unfolded.back();
  if (cut && warnings != nullptr) {
    warnings->push_back("headers: field \"" + Printable(field->name, 64) + "\" longer than " +
                        std::to_string(limits.max_header_bytes) + " bytes, value cut");
  }
}

}  // namespace

const HeaderField* HeaderBlock::Find(std::string_view name) const {
  for (const HeaderField& field : fields) {
    if (EqualsCaseless(field.name, name)) return &field;
  }
  return nullptr;
}

std::vector<const HeaderField*> HeaderBlock::FindAll(std::string_view name) const {
  std::vector<const HeaderField*> found;
  for (const HeaderField& field : fields) {
    if (EqualsCaseless(field.name, name)) found.push_back(&field);
  }
  return found;
}

HeaderBlock ParseHeaders(std::string_view text, size_t start, const Limits& limits,
                         std::vector<std::string>* warnings, const HeaderOptions& options) {
  HeaderBlock block;
  if (start > text.size()) start = text.size();
  size_t pos = start;
  if (options.skip_mbox_from && text.substr(pos, 5) == "From ") pos = LineAt(text, pos).next;
  block.begin = pos;

  const auto warn = [&](std::string message) {
    if (warnings != nullptr) warnings->push_back(std::move(message));
  };
  size_t line_warnings = 0;
  const auto warn_line = [&](std::string message) {
    ++line_warnings;
    if (line_warnings <= kMaxLineWarnings) {
      warn(std::move(message));
    } else if (line_warnings == kMaxLineWarnings + 1) {
      warn("headers: more malformed lines, not reported one by one");
    }
  };

  bool current = false;  // the last field may still receive continuations
  bool capped = false;
  const auto extend = [&](const Line& line) {
    HeaderField& field = block.fields.back();
    field.raw_value = text.substr(field.value_offset, line.content_end - field.value_offset);
    field.end = line.next;
  };
  const auto close = [&]() {
    if (current) Unfold(limits, &block.fields.back(), &block, warnings);
    current = false;
  };

  while (pos < text.size()) {
    Line line = LineAt(text, pos);
    std::string_view content = text.substr(line.begin, line.content_end - line.begin);
    if (AllBlank(content)) {
      close();
      block.end = line.begin;
      block.body_begin = line.next;
      block.ended_by = HeaderEnd::kBlankLine;
      return block;
    }
    if (IsBlank(content[0])) {
      if (current) {
        extend(line);
      } else if (!capped) {
        warn_line("headers: continuation line at offset " + std::to_string(line.begin) +
                  " has no field before it, skipped");
      }
      pos = line.next;
      continue;
    }
    size_t name_size = 0;
    size_t colon = 0;
    if (ReadFieldName(content, &name_size, &colon)) {
      close();
      if (block.fields.size() >= limits.max_header_fields) {
        if (!capped) {
          warn("headers: more than " + std::to_string(limits.max_header_fields) +
               " fields, the rest skipped");
        }
        capped = true;
        pos = line.next;
        continue;
      }
      HeaderField field;
      field.name = content.substr(0, name_size);
      field.offset = line.begin;
      field.value_offset = line.begin + colon + 1;
      field.raw_value = text.substr(field.value_offset, line.content_end - field.value_offset);
      field.end = line.next;
      // Room for a typical block at once instead of growing through 1, 2,
      // 4, 8 and 16 fields (each step allocates and moves every field).
      if (block.fields.empty()) block.fields.reserve(16);
      block.fields.push_back(std::move(field));
      current = true;
      pos = line.next;
      continue;
    }
    // Neither a field, a continuation nor blank.
    if (options.non_field_line == NonFieldLine::kContinuesField && current) {
      warn_line("headers: line at offset " + std::to_string(line.begin) +
                " is not a field, joined to the one before");
      extend(line);
      pos = line.next;
      continue;
    }
    if (options.non_field_line == NonFieldLine::kEndsBlock) {
      close();
      if (!block.fields.empty()) {
        warn("headers: line at offset " + std::to_string(line.begin) +
             " is not a field and has no blank line before it, body assumed to start there");
      }
      block.end = line.begin;
      block.body_begin = line.begin;
      block.ended_by = HeaderEnd::kNonFieldLine;
      return block;
    }
    close();
    warn_line("headers: line at offset " + std::to_string(line.begin) + " is not a field, skipped");
    pos = line.next;
  }
  close();
  block.end = text.size();
  block.body_begin = text.size();
  block.ended_by = HeaderEnd::kEndOfInput;
  return block;
}

size_t UnquotedText::OriginalOffset(size_t offset) const {
  if (line_starts.empty()) return offset;
  auto it = std::upper_bound(
      line_starts.begin(), line_starts.end(), offset,
      [](size_t value, const std::pair<size_t, size_t>& entry) { return value < entry.first; });
  if (it == line_starts.begin()) return offset;
  --it;
  return it->second + (offset - it->first);
}

UnquotedText StripQuoteLevel(std::string_view input) {
  UnquotedText result;
  result.text.reserve(input.size());
  size_t pos = 0;
  while (pos < input.size()) {
    size_t newline = input.find('\n', pos);
    size_t next = newline == std::string_view::npos ? input.size() : newline + 1;
    size_t content = pos;
    if (content < next && input[content] == '>') {
      ++content;
      if (content < next && input[content] == ' ') ++content;
    }
    result.line_starts.emplace_back(result.text.size(), content);
    result.text.append(input.substr(content, next - content));
    pos = next;
  }
  return result;
}

namespace {

// Reads a comment at the reader (which holds '('), nested comments included.
std::string ReadComment(ByteReader* reader) {
  std::string out;
  int depth = 0;
  char c = 0;
  while (reader->Peek(&c)) {
    reader->Skip(1);
    if (c == '\\' && reader->Peek(&c)) {
      reader->Skip(1);
      out.push_back(c);
      continue;
    }
    if (c == '(') {
      if (depth++ == 0) continue;
      if (depth > kMaxCommentDepth) depth = kMaxCommentDepth;
    } else if (c == ')') {
      if (--depth == 0) break;
    }
    out.push_back(c);
  }
  return out;
}

// The mailbox being collected.
struct Pending {
  std::string phrase;   // words and quoted strings outside <>
  std::string bare;     // the same, as written, for addresses without <>
  std::string comment;  // the first comment
  std::string angle;    // inside <>
  bool has_angle = false;
  bool bare_has_blank_gap = false;  // words separated by blanks outside <>

  bool Empty() const { return phrase.empty() && bare.empty() && !has_angle; }
};

void Finish(Pending* pending, std::vector<Address>* out) {
  Address address;
  if (pending->has_angle) {
    std::string_view spec = Trim(pending->angle);
    if (StartsWithCaseless(spec, "mailto:")) spec.remove_prefix(7);
    if (!spec.empty() && spec.front() == '@') {
      size_t colon = spec.find(':');
      spec = colon == std::string_view::npos ? std::string_view() : spec.substr(colon + 1);
    }
    address.addr_spec = std::string(Trim(spec));
    address.display_name = DecodeEncodedWords(CollapseBlanks(pending->phrase), nullptr);
    out->push_back(std::move(address));
  } else {
    std::string spec;
    for (char c : pending->bare) {
      if (!IsSpace(c)) spec.push_back(c);
    }
    bool has_at = spec.find('@') != std::string::npos;
    if (!spec.empty() && (has_at || !pending->bare_has_blank_gap)) {
      address.addr_spec = std::move(spec);
      address.display_name = DecodeEncodedWords(CollapseBlanks(pending->comment), nullptr);
      out->push_back(std::move(address));
    }
  }
  *pending = Pending();
}

}  // namespace

std::vector<Address> ParseAddressList(std::string_view value, size_t max_addresses) {
  std::vector<Address> out;
  Pending pending;
  bool in_group = false;
  bool seen_word = false;  // a word was read and then a blank
  ByteReader reader(value);
  char c = 0;
  while (out.size() < max_addresses && reader.Peek(&c)) {
    if (c == '"') {
      std::string quoted = ReadQuotedString(&reader);
      if (!pending.phrase.empty()) pending.phrase.push_back(' ');
      pending.phrase += quoted;
      pending.bare += "\"" + quoted + "\"";
      continue;
    }
    if (c == '(') {
      std::string comment = ReadComment(&reader);
      if (pending.comment.empty()) pending.comment = comment;
      continue;
    }
    if (c == '<') {
      reader.Skip(1);
      std::string_view inside = reader.ReadWhile([](char x) { return x != '>'; });
      reader.Consume('>');
      if (!pending.has_angle) pending.angle = std::string(inside);
      pending.has_angle = true;
      continue;
    }
    if (c == '[') {
      std::string_view literal = reader.ReadWhile([](char x) { return x != ']'; });
      pending.bare += std::string(literal);
      if (reader.Consume(']')) pending.bare.push_back(']');
      continue;
    }
    reader.Skip(1);
    if (c == ',') {
      Finish(&pending, &out);
      seen_word = false;
      continue;
    }
    if (c == ';') {
      Finish(&pending, &out);
      in_group = false;
      seen_word = false;
      continue;
    }
    if (c == ':' && !in_group && !pending.has_angle) {
      // "name:" opens a group; the name is not an address.
      pending = Pending();
      in_group = true;
      seen_word = false;
      continue;
    }
    if (IsSpace(c)) {
      if (!pending.bare.empty()) seen_word = true;
      pending.phrase.push_back(' ');
      continue;
    }
    if (seen_word) pending.bare_has_blank_gap = true;
    seen_word = false;
    pending.phrase.push_back(c);
    pending.bare.push_back(c);
  }
  if (out.size() < max_addresses && !pending.Empty()) Finish(&pending, &out);
  return out;
}

std::string ReadQuotedString(ByteReader* reader) {
  std::string out;
  reader->Consume('"');
  char c = 0;
  while (reader->Peek(&c)) {
    reader->Skip(1);
    if (c == '"') break;
    if (c == '\\' && reader->Peek(&c)) reader->Skip(1);
    out.push_back(c);
  }
  return out;
}

std::string_view DomainOf(std::string_view addr_spec) {
  size_t at = addr_spec.rfind('@');
  if (at == std::string_view::npos) return std::string_view();
  std::string_view domain = Trim(addr_spec.substr(at + 1));
  while (!domain.empty() && (domain.back() == '.' || domain.back() == '>')) domain.remove_suffix(1);
  return domain;
}

std::string_view LocalPartOf(std::string_view addr_spec) {
  size_t at = addr_spec.rfind('@');
  return at == std::string_view::npos ? addr_spec : addr_spec.substr(0, at);
}

}  // namespace bouncedx::mail
