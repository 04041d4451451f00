// SPDX-License-Identifier: MIT
#include "core/checks/spf/macro.h"

#include <cstddef>
#include <utility>

#include "core/base/byte_reader.h"
#include "core/base/text.h"

namespace bouncedx::spf {
namespace {

constexpr int kMaxKeepParts = 255;

bool IsMacroLiteral(char c) {
  unsigned char byte = static_cast<unsigned char>(c);
  return byte >= 0x21 && byte <= 0x7e && c != '%';
}

bool IsDelimiter(char c) {
  return c == '.' || c == '-' || c == '+' || c == ',' || c == '/' || c == '_' || c == '=';
}

bool IsUnreserved(char c) { return IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

void AppendLiteral(std::vector<MacroToken>* tokens, std::string_view text) {
  if (tokens->empty() || tokens->back().is_macro) {
    tokens->push_back(MacroToken());
  }
  tokens->back().literal.append(text.data(), text.size());
}

Status Malformed(std::string_view what, std::string_view text) {
  return Status(StatusCode::kMalformed,
                std::string("macro: ") + std::string(what) + " in \"" + Printable(text, 80) + "\"");
}

// Parses the part of a macro-expand after "%{". On success the reader is
// past the closing '}'.
Status ParseBraced(ByteReader& reader, MacroContext context, std::string_view text,
                   MacroToken* token) {
  char letter = 0;
  if (!reader.Peek(&letter)) return Malformed("unterminated \"%{\"", text);
  char lower = ToLowerAscii(letter);
  if (std::string_view("slodiphcrtv").find(lower) == std::string_view::npos) {
    return Malformed("unknown macro letter", text);
  }
  if (context == MacroContext::kDomainSpec && (lower == 'c' || lower == 'r' || lower == 't')) {
    return Malformed("macro letter allowed only in explanations", text);
  }
  reader.Skip(1);
  token->is_macro = true;
  token->letter = lower;
  token->url_escape = letter != lower;
  std::string_view digits = reader.ReadWhile(IsDigit);
  if (!digits.empty()) {
    int value = 0;
    for (char c : digits) {
      value = value * 10 + (c - '0');
      if (value > kMaxKeepParts) value = kMaxKeepParts;
    }
    if (value == 0) return Malformed("zero digit transformer", text);
    token->keep_parts = value;
  }
  if (reader.Consume('r') || reader.Consume('R')) token->reverse = true;
  token->delimiters = std::string(reader.ReadWhile(IsDelimiter));
  if (!reader.Consume('}')) return Malformed("bad or unterminated macro", text);
  return Status::Ok();
}

// Parses `text`; sets *trailing_literal to the literal characters written
// after the last macro-expand (all of `text` when there is none).
Result<MacroString> Parse(std::string_view text, MacroContext context,
                          std::string_view* trailing_literal) {
  MacroString result;
  ByteReader reader(text);
  size_t literal_start = 0;
  while (!reader.AtEnd()) {
    char c = 0;
    reader.Peek(&c);
    if (c != '%') {
      if (!IsMacroLiteral(c) && !(context == MacroContext::kExplanation && c == ' ')) {
        return Malformed("invalid character", text);
      }
      AppendLiteral(&result.tokens, std::string_view(&text[reader.position()], 1));
      reader.Skip(1);
      continue;
    }
    reader.Skip(1);
    if (reader.Consume('%')) {
      AppendLiteral(&result.tokens, "%");
    } else if (reader.Consume('_')) {
      AppendLiteral(&result.tokens, " ");
    } else if (reader.Consume('-')) {
      AppendLiteral(&result.tokens, "%20");
    } else if (reader.Consume('{')) {
      MacroToken token;
      Status status = ParseBraced(reader, context, text, &token);
      if (!status.ok()) return status;
      result.tokens.push_back(std::move(token));
    } else {
      return Malformed("'%' not followed by '{', '%', '_' or '-'", text);
    }
    literal_start = reader.position();
  }
  *trailing_literal = text.substr(literal_start);
  return result;
}

// toplabel = ( *alphanum ALPHA *alphanum ) /
//            ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
bool IsTopLabel(std::string_view label) {
  if (label.empty() || label.front() == '-' || label.back() == '-') return false;
  bool has_alpha = false;
  bool has_hyphen = false;
  for (char c : label) {
    if (IsAlpha(c)) {
      has_alpha = true;
    } else if (c == '-') {
      has_hyphen = true;
    } else if (!IsDigit(c)) {
      return false;
    }
  }
  return has_alpha || has_hyphen;
}

std::string Transform(const MacroToken& token, std::string_view value) {
  std::string_view delimiters = token.delimiters;
  if (delimiters.empty()) delimiters = ".";
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= value.size(); ++i) {
    if (i == value.size() || delimiters.find(value[i]) != std::string_view::npos) {
      parts.push_back(value.substr(start, i - start));
      start = i + 1;
    }
  }
  if (token.reverse) {
    for (size_t i = 0, j = parts.size() - 1; i < j; ++i, --j) std::swap(parts[i], parts[j]);
  }
  size_t first = 0;
  if (token.keep_parts > 0 && static_cast<size_t>(token.keep_parts) < parts.size()) {
    first = parts.size() - static_cast<size_t>(token.keep_parts);
  }
  std::string out;
  for (size_t i = first; i < parts.size(); ++i) {
    if (i > first) out += '.';
    out.append(parts[i].data(), parts[i].size());
  }
  if (!token.url_escape) return out;
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string escaped;
  for (char c : out) {
    if (IsUnreserved(c)) {
      escaped += c;
    } else {
      unsigned char byte = static_cast<unsigned char>(c);
      escaped += '%';
      escaped += kHex[byte >> 4];
      escaped += kHex[byte & 0xf];
    }
  }
  return escaped;
}

}  // namespace

bool MacroString::uses_validated_name() const {
  for (const MacroToken& token : tokens) {
    if (token.is_macro && token.letter == 'p') return true;
  }
  return false;
}

Result<MacroString> ParseMacroString(std::string_view text, MacroContext context) {
  std::string_view trailing;
  return Parse(text, context, &trailing);
}

Result<MacroString> ParseDomainSpec(std::string_view text) {
  if (text.empty()) {
    return Status(StatusCode::kMalformed, "domain-spec: empty");
  }
  std::string_view trailing;
  Result<MacroString> parsed = Parse(text, MacroContext::kDomainSpec, &trailing);
  if (!parsed.ok()) return parsed;
  if (trailing.empty()) return parsed;  // ends in a macro-expand
  if (trailing.back() == '.') trailing.remove_suffix(1);
  size_t dot = trailing.rfind('.');
  if (dot == std::string_view::npos || !IsTopLabel(trailing.substr(dot + 1))) {
    return Status(StatusCode::kMalformed,
                  "domain-spec: \"" + Printable(text, 80) + "\" does not end in a valid top label");
  }
  return parsed;
}

std::string ExpandMacroString(const MacroString& macro_string, const MacroValues& values) {
  std::string out;
  for (const MacroToken& token : macro_string.tokens) {
    if (!token.is_macro) {
      out += token.literal;
      continue;
    }
    std::string value;
    switch (token.letter) {
      case 's':
        value = values.sender;
        break;
      case 'l':
        value = values.local_part;
        break;
      case 'o':
        value = values.sender_domain;
        break;
      case 'd':
        value = values.domain;
        break;
      case 'i':
        value = values.ip.ToMacroText();
        break;
      case 'p':
        value = values.validated_name;
        break;
      case 'h':
        value = values.helo;
        break;
      case 'c':
        value = values.ip.ToText();
        break;
      case 'r':
        value = values.receiver;
        break;
      case 't':
        value = std::to_string(values.now_unix);
        break;
      case 'v':
        value = values.ip.is_v4() ? "in-addr" : "ip6";
        break;
      default:
        break;
    }
    out += Transform(token, value);
  }
  return out;
}

}  // namespace bouncedx::spf
