// SPDX-License-Identifier: MIT
#include "core/report/redact.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "core/base/text.h"
#include "core/mail/headers.h"
#include "core/report/json_writer.h"

namespace bouncedx {

namespace {

// RFC 5321 §4.5.3.1.1 allows 64 octets of local part; VERP and SRS
// addresses run longer, so the scanner looks back further before it gives
// up. A quoted local part is searched for its opening quote no further.
constexpr size_t kMaxLocalPartBytes = 256;
// RFC 1035 §2.3.4: a domain name is at most 255 octets.
constexpr size_t kMaxDomainBytes = 255;
// "[IPv6:2001:db8::1]" and the like; longer brackets are not a literal.
constexpr size_t kMaxDomainLiteralBytes = 64;
// Bytes of an original value kept for the preview.
constexpr size_t kMaxOriginalBytes = 200;

// Mailboxes that name a role, not a person (RFC 2142 and the bounce
// senders): replacing them would hide who wrote the bounce.
bool IsRoleMailbox(std::string_view local) {
  static constexpr std::string_view kRoles[] = {
      "postmaster", "mailer-daemon", "abuse",  "hostmaster",   "webmaster",
      "noc",        "security",      "root",   "double-bounce", "mailer_daemon",
  };
  for (std::string_view role : kRoles) {
    if (EqualsCaseless(local, role)) return true;
  }
  return false;
}

// atext (RFC 5322 §3.2.3) and the dot, plus UTF-8 bytes (RFC 6531), less "/"
// which in free text far more often ends a URL path than sits in a mailbox.
bool IsLocalChar(unsigned char c) {
  if (c >= 0x80 || IsAlnum(static_cast<char>(c))) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*':
    case '+': case '-': case '=': case '?': case '^': case '_': case '`':
    case '{': case '|': case '}': case '~': case '.':
      return true;
    default:
      return false;
  }
}

// A local part found in free text starts with a letter, digit, "_" or a
// UTF-8 byte; quotes and other punctuation before it belong to the prose.
bool CanStartLocalPart(unsigned char c) {
  return c >= 0x80 || IsAlnum(static_cast<char>(c)) || c == '_';
}

bool IsDomainChar(unsigned char c) {
  return c >= 0x80 || IsAlnum(static_cast<char>(c)) || c == '-' || c == '.' || c == '_';
}

bool IsLiteralChar(char c) {
  return IsAlnum(c) || c == '.' || c == ':';
}

// Hands out numbered placeholders per kind and records each distinct
// original in the redaction's list.
class Placeholders {
 public:
  Placeholders(RedactedKind kind, std::string_view word, std::string_view separator,
               const RedactOptions& options, Redaction* redaction)
      : kind_(kind), word_(word), separator_(separator), options_(options),
        redaction_(redaction) {}

  // Copying would split the numbering.
  Placeholders(const Placeholders&) = delete;
  Placeholders& operator=(const Placeholders&) = delete;

  // The placeholder for `original`, found by `key` (equal keys share one).
  std::string For(std::string_view original, const std::string& key) {
    auto found = index_.find(key);
    if (found != index_.end()) {
      Replacement& replacement = redaction_->replacements[found->second];
      ++replacement.count;
      return replacement.placeholder;
    }
    if (index_.size() >= options_.max_placeholders) {
      if (!warned_) {
        warned_ = true;
        redaction_->warnings.push_back(
            "redact: more than " + std::to_string(options_.max_placeholders) + " distinct " +
            RedactedKindName(kind_) + " values; the rest all became \"" + word_ + "\"");
      }
      return word_;
    }
    Replacement replacement;
    replacement.kind = kind_;
    replacement.original = Printable(original, kMaxOriginalBytes);
    replacement.placeholder = word_ + separator_ + std::to_string(index_.size() + 1);
    replacement.count = 1;
    index_.emplace(key, redaction_->replacements.size());
    redaction_->replacements.push_back(std::move(replacement));
    return redaction_->replacements.back().placeholder;
  }

 private:
  RedactedKind kind_;
  std::string word_;
  std::string separator_;
  const RedactOptions& options_;
  Redaction* redaction_;
  std::unordered_map<std::string, size_t> index_;
  bool warned_ = false;
};

struct AddressAt {
  size_t local_begin = 0;
  size_t local_end = 0;  // the "@"
  size_t end = 0;        // past the domain
};

// Finds the mailbox whose "@" is at `at` in `text`. Returns false when the
// bytes around it do not form local@domain.
bool AddressAround(std::string_view text, size_t at, AddressAt* found) {
  // The domain: a bracketed literal or dot-separated labels.
  size_t end = at + 1;
  if (end < text.size() && text[end] == '[') {
    size_t close = end + 1;
    while (close < text.size() && close - end <= kMaxDomainLiteralBytes &&
           IsLiteralChar(text[close])) {
      ++close;
    }
    if (close >= text.size() || text[close] != ']' || close == end + 1) return false;
    end = close + 1;
  } else {
    while (end < text.size() && end - at <= kMaxDomainBytes &&
           IsDomainChar(static_cast<unsigned char>(text[end]))) {
      ++end;
    }
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
    std::string_view domain = text.substr(at + 1, end - at - 1);
    if (domain.empty() || !CanStartLocalPart(static_cast<unsigned char>(domain[0]))) return false;
    const size_t dot = domain.find('.');
    if (dot == std::string_view::npos || dot + 1 >= domain.size()) return false;
  }

  // The local part: a quoted string, or atext back from the "@".
  size_t begin = at;
  if (at > 0 && text[at - 1] == '"') {
    size_t open = at - 1;
    bool closed = false;
    while (open > 0 && at - open <= kMaxLocalPartBytes) {
      --open;
      if (text[open] == '\n') break;
      if (text[open] == '"' && (open == 0 || text[open - 1] != '\\')) {
        closed = true;
        break;
      }
    }
    if (!closed || open + 2 >= at) return false;
    begin = open;
  } else {
    while (begin > 0 && at - begin < kMaxLocalPartBytes &&
           IsLocalChar(static_cast<unsigned char>(text[begin - 1]))) {
      --begin;
    }
    while (begin < at && !CanStartLocalPart(static_cast<unsigned char>(text[begin]))) ++begin;
    // "i=bob@example.org" in a DKIM-Signature or "rua=" style tag list:
    // the tag name and "=" are not part of the mailbox.
    size_t letters = 0;
    while (begin + letters < at && letters < 4 && IsAlpha(text[begin + letters])) ++letters;
    if (letters >= 1 && letters <= 3 && begin + letters < at && text[begin + letters] == '=' &&
        (begin == 0 || IsSpace(text[begin - 1]) || text[begin - 1] == ';')) {
      begin += letters + 1;
    }
    if (begin == at) return false;
  }
  found->local_begin = begin;
  found->local_end = at;
  found->end = end;
  return true;
}

// Copies `text` to `out`, replacing the local part of every mailbox.
void RedactAddresses(std::string_view text, Placeholders* users, std::string* out) {
  size_t copied = 0;
  size_t at = text.find('@');
  while (at != std::string_view::npos) {
    AddressAt address;
    if (AddressAround(text, at, &address) && address.local_begin >= copied) {
      std::string_view local =
          text.substr(address.local_begin, address.local_end - address.local_begin);
      if (!IsRoleMailbox(local)) {
        out->append(text.substr(copied, address.local_begin - copied));
        out->append(users->For(local, ToLower(local)));
        copied = address.local_end;
      }
      at = text.find('@', address.end);
    } else {
      at = text.find('@', at + 1);
    }
  }
  out->append(text.substr(copied));
}

// The first local part named in `text`, or "".
std::string_view FirstLocalPart(std::string_view text) {
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    AddressAt address;
    if (AddressAround(text, at, &address)) {
      return text.substr(address.local_begin, address.local_end - address.local_begin);
    }
  }
  return {};
}

struct Range {
  size_t begin;
  size_t end;
  bool comment;  // the inside of "( ... )"
};

// The display names of one mailbox `segment` of an address field: the
// phrase before "<", and comments outside it.
void NameRanges(std::string_view value, size_t begin, size_t end, size_t phrase_end,
                const std::vector<Range>& comments, std::vector<Range>* names) {
  if (IsRoleMailbox(FirstLocalPart(value.substr(begin, end - begin)))) return;
  size_t phrase_begin = begin;
  if (phrase_end != std::string_view::npos) {
    while (phrase_begin < phrase_end && IsSpace(value[phrase_begin])) ++phrase_begin;
    size_t trimmed_end = phrase_end;
    while (trimmed_end > phrase_begin && IsSpace(value[trimmed_end - 1])) --trimmed_end;
    if (trimmed_end > phrase_begin) names->push_back({phrase_begin, trimmed_end, false});
  }
  for (const Range& comment : comments) {
    const bool in_phrase = phrase_end != std::string_view::npos && comment.begin < phrase_end;
    if (!in_phrase && comment.end > comment.begin) names->push_back(comment);
  }
}

// Replaces the display names in the value of an address field: hands the
// text around them to `emit_text` and appends each placeholder to `out`, in
// order. The text pieces are passed separately (not the joined result) so
// that a later pass over them, such as local-part redaction, cannot read a
// mailbox across a placeholder and swallow it: in `"";l<"@t.example` the
// name "l" must not end up inside a quoted local part `";Name 1<"`.
template <typename EmitText>
void RedactDisplayNames(std::string_view value, Placeholders* names, EmitText emit_text,
                        std::string* out) {
  std::vector<Range> found;
  std::vector<Range> comments;
  size_t segment = 0;
  size_t phrase_end = std::string_view::npos;  // where "<" opened, if it did
  bool in_quote = false;
  bool in_angle = false;
  size_t depth = 0;  // comment nesting
  size_t comment_begin = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (in_quote || depth > 0) {
      if (c == '\\') {
        ++i;
      } else if (in_quote && c == '"') {
        in_quote = false;
      } else if (depth > 0 && c == '(') {
        ++depth;
      } else if (depth > 0 && c == ')' && --depth == 0) {
        comments.push_back({comment_begin, i, true});
      }
      continue;
    }
    if (c == '"') {
      in_quote = true;
    } else if (c == '(') {
      depth = 1;
      comment_begin = i + 1;
    } else if (c == '<' && !in_angle) {
      in_angle = true;
      if (phrase_end == std::string_view::npos) phrase_end = i;
    } else if (c == '>') {
      in_angle = false;
    } else if (!in_angle && (c == ',' || c == ';')) {
      NameRanges(value, segment, i, phrase_end, comments, &found);
      segment = i + 1;
      phrase_end = std::string_view::npos;
      comments.clear();
    } else if (!in_angle && c == ':' &&
               value.substr(segment, i - segment).find('@') == std::string_view::npos) {
      segment = i + 1;  // a group name ("undisclosed-recipients:") stays
      phrase_end = std::string_view::npos;
      comments.clear();
    }
  }
  NameRanges(value, segment, value.size(), phrase_end, comments, &found);

  size_t copied = 0;
  for (const Range& range : found) {
    if (range.begin < copied) continue;
    std::string_view name = value.substr(range.begin, range.end - range.begin);
    // The key is the name as read (quotes and encoded words undone), so
    // that one person's name spelled two ways gets one placeholder.
    std::string probe = range.comment ? "a@b.c (" + std::string(name) + ")"
                                      : std::string(name) + " <a@b.c>";
    std::vector<mail::Address> parsed = mail::ParseAddressList(probe, 1);
    std::string key = ToLower(!parsed.empty() && !parsed[0].display_name.empty()
                                  ? std::string_view(parsed[0].display_name)
                                  : Trim(name));
    emit_text(value.substr(copied, range.begin - copied));
    out->append(names->For(name, key));
    copied = range.end;
  }
  emit_text(value.substr(copied));
}

// Replaces the part before "@" of each message id in `value`.
std::string RedactMessageIds(std::string_view value, Placeholders* ids) {
  auto stops = [](char c) { return c == '<' || c == '>' || c == ',' || IsSpace(c); };
  std::string out;
  size_t copied = 0;
  for (size_t at = value.find('@'); at != std::string_view::npos;
       at = value.find('@', at + 1)) {
    if (at < copied) continue;
    size_t begin = at;
    while (begin > copied && at - begin < kMaxLocalPartBytes * 4 && !stops(value[begin - 1])) {
      --begin;
    }
    if (begin == at) continue;
    std::string_view left = value.substr(begin, at - begin);
    out.append(value.substr(copied, begin - copied));
    out.append(ids->For(left, std::string(left)));
    copied = at;
  }
  out.append(value.substr(copied));
  return out;
}

enum class FieldKind { kOther, kAddress, kSubject, kMessageId };

FieldKind ClassifyField(std::string_view name) {
  static constexpr std::string_view kAddressFields[] = {
      "from", "to", "cc", "bcc", "reply-to", "sender", "resent-from", "resent-to",
      "resent-cc", "resent-bcc", "resent-sender", "resent-reply-to",
      "disposition-notification-to",
  };
  for (std::string_view field : kAddressFields) {
    if (EqualsCaseless(name, field)) return FieldKind::kAddress;
  }
  if (EqualsCaseless(name, "subject")) return FieldKind::kSubject;
  if (EqualsCaseless(name, "in-reply-to") || EqualsCaseless(name, "references") ||
      (name.size() >= 10 && EqualsCaseless(name.substr(name.size() - 10), "message-id"))) {
    return FieldKind::kMessageId;
  }
  return FieldKind::kOther;
}

// Length of the quote marks ("> ", ">> ", "> > ") that start `line`.
size_t QuotePrefix(std::string_view line) {
  size_t q = 0;
  while (q < line.size() && line[q] == '>') {
    ++q;
    if (q < line.size() && line[q] == ' ') ++q;
  }
  return q;
}

// When `content` starts a header field, the length of "Name:" (blanks
// before the colon included); else 0.
size_t FieldNameLength(std::string_view content, std::string_view* name) {
  size_t i = 0;
  while (i < content.size() && content[i] > ' ' && content[i] < 127 && content[i] != ':') ++i;
  if (i == 0) return 0;
  size_t colon = i;
  while (colon < content.size() && IsBlank(content[colon])) ++colon;
  if (colon >= content.size() || content[colon] != ':') return 0;
  *name = content.substr(0, i);
  return colon + 1;
}

}  // namespace

const char* RedactedKindName(RedactedKind kind) {
  switch (kind) {
    case RedactedKind::kLocalPart:
      return "local_part";
    case RedactedKind::kDisplayName:
      return "display_name";
    case RedactedKind::kSubject:
      return "subject";
    case RedactedKind::kMessageId:
      return "message_id";
  }
  return "local_part";
}

Redaction Redact(std::string_view input, const RedactOptions& options) {
  Redaction redaction;
  redaction.text.reserve(input.size());
  Placeholders users(RedactedKind::kLocalPart, "user", "", options, &redaction);
  Placeholders names(RedactedKind::kDisplayName, "Name", " ", options, &redaction);
  Placeholders subjects(RedactedKind::kSubject, "subject", " ", options, &redaction);
  Placeholders ids(RedactedKind::kMessageId, "id", "", options, &redaction);

  // Adds `text` to the result, its mailboxes redacted when asked.
  auto emit = [&](std::string_view text) {
    if (options.local_parts) {
      RedactAddresses(text, &users, &redaction.text);
    } else {
      redaction.text.append(text);
    }
  };

  size_t pos = 0;
  while (pos < input.size()) {
    size_t line_end = input.find('\n', pos);
    line_end = line_end == std::string_view::npos ? input.size() : line_end + 1;
    std::string_view line = input.substr(pos, line_end - pos);
    const size_t prefix = QuotePrefix(line);
    std::string_view name;
    const size_t name_length = FieldNameLength(line.substr(prefix), &name);
    if (name_length == 0) {
      emit(line);
      pos = line_end;
      continue;
    }
    // A header field: this line and the folded lines after it (same quote
    // marks, then a blank).
    size_t field_end = line_end;
    while (field_end < input.size()) {
      size_t next_end = input.find('\n', field_end);
      next_end = next_end == std::string_view::npos ? input.size() : next_end + 1;
      std::string_view next = input.substr(field_end, next_end - field_end);
      if (QuotePrefix(next) != prefix || next.size() <= prefix || !IsBlank(next[prefix]) ||
          Trim(next).empty()) {
        break;
      }
      field_end = next_end;
    }
    const size_t value_begin = pos + prefix + name_length;
    size_t value_end = field_end;
    if (value_end > value_begin && input[value_end - 1] == '\n') --value_end;
    if (value_end > value_begin && input[value_end - 1] == '\r') --value_end;
    std::string_view head = input.substr(pos, value_begin - pos);
    std::string_view value = input.substr(value_begin, value_end - value_begin);
    std::string_view tail = input.substr(value_end, field_end - value_end);
    std::string_view field = input.substr(pos, field_end - pos);
    pos = field_end;

    switch (ClassifyField(name)) {
      case FieldKind::kSubject: {
        const std::string key = CollapseBlanks(value);
        if (!options.subjects || key.empty()) break;
        redaction.text.append(head);
        size_t lead = 0;
        while (lead < value.size() && IsSpace(value[lead])) ++lead;
        redaction.text.append(value.substr(0, lead));
        redaction.text.append(subjects.For(key, key));
        redaction.text.append(tail);
        continue;
      }
      case FieldKind::kMessageId:
        redaction.text.append(head);
        redaction.text.append(options.message_ids ? RedactMessageIds(value, &ids)
                                                  : std::string(value));
        redaction.text.append(tail);
        continue;
      case FieldKind::kAddress:
        if (!options.display_names) break;
        emit(head);
        RedactDisplayNames(value, &names, emit, &redaction.text);
        emit(tail);
        continue;
      case FieldKind::kOther:
        break;
    }
    emit(field);
  }
  return redaction;
}

RedactOptions RedactOptionsFromJson(std::string_view json, std::vector<std::string>* warnings) {
  RedactOptions options;
  auto warn = [&](std::string text) {
    if (warnings != nullptr) warnings->push_back(std::move(text));
  };
  if (Trim(json).empty()) return options;
  const nlohmann::json root = nlohmann::json::parse(json.begin(), json.end(), /*cb=*/nullptr,
                                                    /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    warn("redact options: not a JSON object; using the defaults");
    return options;
  }
  for (const auto& [key, value] : root.items()) {
    bool* field = nullptr;
    if (key == "local_parts") field = &options.local_parts;
    if (key == "display_names") field = &options.display_names;
    if (key == "subjects") field = &options.subjects;
    if (key == "message_ids") field = &options.message_ids;
    if (field == nullptr) {
      warn("redact options: unknown field " + Printable(key, 40) + " ignored");
    } else if (!value.is_boolean()) {
      warn("redact options: " + key + " is not true or false; default kept");
    } else {
      *field = value.get<bool>();
    }
  }
  return options;
}

std::string RedactionToJson(const Redaction& redaction) {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.Key("text");
  json.String(redaction.text);
  json.Key("replacements");
  json.BeginArray();
  for (const Replacement& r : redaction.replacements) {
    json.BeginObject();
    json.Key("kind");
    json.String(RedactedKindName(r.kind));
    json.Key("original");
    json.String(r.original);
    json.Key("placeholder");
    json.String(r.placeholder);
    json.Key("count");
    json.Uint(r.count);
    json.EndObject();
  }
  json.EndArray();
  json.Key("warnings");
  json.BeginArray();
  for (const std::string& warning : redaction.warnings) json.String(warning);
  json.EndArray();
  json.EndObject();
  return out;
}

std::string RedactToJson(std::string_view input, std::string_view options_json) {
  std::vector<std::string> warnings;
  const RedactOptions options = RedactOptionsFromJson(options_json, &warnings);
  Redaction redaction = Redact(input, options);
  warnings.insert(warnings.end(), redaction.warnings.begin(), redaction.warnings.end());
  redaction.warnings = std::move(warnings);
  return RedactionToJson(redaction);
}

}  // namespace bouncedx
