// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_TESTS_SPF_YAML_SUBSET_H_
#define BOUNCEDX_TESTS_SPF_YAML_SUBSET_H_

// A reader for the small part of YAML that the OpenSPF conformance suite
// (tests/conformance/spf/rfc7208-tests.yml) uses: documents separated by
// "---", block maps and block lists by indentation, plain, single-quoted and
// double-quoted scalars (with \xNN, \0, \n ... escapes), one-line flow lists
// ("[0, mail.example.com]"), block scalars ("|", "|-", ">", ">-"), plain
// scalars continued on more-indented lines, and comment lines. Every scalar
// stays a string. It is a test helper, not a general YAML parser: anything
// outside that subset is read in some undefined but bounded way.
//
//   std::vector<YamlNode> documents = ParseYamlDocuments(text);
//   const YamlNode* tests = documents[0].Find("tests");

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bouncedx::testing_yaml {

struct YamlNode {
  enum class Kind { kScalar, kList, kMap };
  Kind kind = Kind::kScalar;
  std::string scalar;
  std::vector<YamlNode> items;    // kList: the items; kMap: the values
  std::vector<std::string> keys;  // kMap: the keys, parallel to items

  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_list() const { return kind == Kind::kList; }
  bool is_map() const { return kind == Kind::kMap; }
  // The value under `key` in a map, or nullptr.
  const YamlNode* Find(std::string_view key) const {
    if (kind != Kind::kMap) return nullptr;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) return &items[i];
    }
    return nullptr;
  }
};

namespace yaml_internal {

inline size_t Indent(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

inline std::string_view TrimView(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

inline bool IsBlankOrComment(std::string_view line) {
  std::string_view trimmed = TrimView(line);
  return trimmed.empty() || trimmed.front() == '#';
}

inline int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline void AppendUtf8(std::string* out, unsigned code) {
  if (code < 0x80) {
    *out += static_cast<char>(code);
  } else if (code < 0x800) {
    *out += static_cast<char>(0xc0 | (code >> 6));
    *out += static_cast<char>(0x80 | (code & 0x3f));
  } else {
    *out += static_cast<char>(0xe0 | (code >> 12));
    *out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
    *out += static_cast<char>(0x80 | (code & 0x3f));
  }
}

// Reads a quoted scalar starting at text[*pos] (the quote). Advances *pos
// past the closing quote. A "\xNN" escape becomes the byte NN, as the suite
// uses it for raw non-ASCII bytes.
inline std::string ReadQuoted(std::string_view text, size_t* pos) {
  char quote = text[*pos];
  std::string out;
  size_t i = *pos + 1;
  while (i < text.size()) {
    char c = text[i];
    if (quote == '\'' && c == '\'') {
      if (i + 1 < text.size() && text[i + 1] == '\'') {
        out += '\'';
        i += 2;
        continue;
      }
      ++i;
      break;
    }
    if (quote == '"' && c == '"') {
      ++i;
      break;
    }
    if (quote == '"' && c == '\\' && i + 1 < text.size()) {
      char e = text[i + 1];
      i += 2;
      switch (e) {
        case '0':
          out += '\0';
          break;
        case 'a':
          out += '\a';
          break;
        case 'b':
          out += '\b';
          break;
        case 't':
          out += '\t';
          break;
        case 'n':
          out += '\n';
          break;
        case 'v':
          out += '\v';
          break;
        case 'f':
          out += '\f';
          break;
        case 'r':
          out += '\r';
          break;
        case 'e':
          out += '\x1b';
          break;
        case 'x':
        case 'u': {
          size_t digits = e == 'x' ? 2 : 4;
          unsigned value = 0;
          for (size_t k = 0; k < digits && i < text.size() && HexDigit(text[i]) >= 0; ++k, ++i) {
            value = value * 16 + static_cast<unsigned>(HexDigit(text[i]));
          }
          if (e == 'x') {
            out += static_cast<char>(value);
          } else {
            AppendUtf8(&out, value);
          }
          break;
        }
        default:
          out += e;
          break;  // \\ \" \/ \' and anything else
      }
      continue;
    }
    out += c;
    ++i;
  }
  *pos = i;
  return out;
}

// Parses "[a, 'b', "c"]" (one line, no nesting).
inline YamlNode ReadFlowList(std::string_view text) {
  YamlNode list;
  list.kind = YamlNode::Kind::kList;
  size_t i = 1;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
    if (i >= text.size() || text[i] == ']') break;
    YamlNode item;
    if (text[i] == '"' || text[i] == '\'') {
      item.scalar = ReadQuoted(text, &i);
    } else {
      size_t start = i;
      while (i < text.size() && text[i] != ',' && text[i] != ']') ++i;
      item.scalar = std::string(TrimView(text.substr(start, i - start)));
    }
    list.items.push_back(std::move(item));
  }
  return list;
}

class Parser {
 public:
  explicit Parser(std::vector<std::string_view> lines) : lines_(std::move(lines)) {}

  YamlNode ParseDocument() {
    SkipBlank();
    if (pos_ >= lines_.size()) return YamlNode();
    return ParseBlock(Indent(lines_[pos_]));
  }

 private:
  void SkipBlank() {
    while (pos_ < lines_.size() && IsBlankOrComment(lines_[pos_])) ++pos_;
  }

  static bool IsListLine(std::string_view content) {
    return content == "-" || (content.size() >= 2 && content[0] == '-' && content[1] == ' ');
  }

  // Finds the ':' that ends a plain or quoted map key in `content`; npos
  // when the content is not "key:" or "key: value".
  static size_t KeyEnd(std::string_view content, std::string* key) {
    if (content.empty()) return std::string_view::npos;
    if (content[0] == '"' || content[0] == '\'') {
      size_t i = 0;
      std::string quoted = ReadQuoted(content, &i);
      if (i < content.size() && content[i] == ':' &&
          (i + 1 == content.size() || content[i + 1] == ' ')) {
        *key = quoted;
        return i;
      }
      return std::string_view::npos;
    }
    if (content[0] == '[' || content[0] == '{') return std::string_view::npos;
    for (size_t i = 0; i < content.size(); ++i) {
      if (content[i] == ':' && (i + 1 == content.size() || content[i + 1] == ' ')) {
        *key = std::string(TrimView(content.substr(0, i)));
        return i;
      }
    }
    return std::string_view::npos;
  }

  YamlNode ParseBlock(size_t indent) {
    SkipBlank();
    if (pos_ >= lines_.size()) return YamlNode();
    std::string_view content = lines_[pos_].substr(Indent(lines_[pos_]));
    if (IsListLine(content)) return ParseList(Indent(lines_[pos_]));
    std::string key;
    if (KeyEnd(content, &key) != std::string_view::npos) return ParseMap(Indent(lines_[pos_]));
    // A lone scalar.
    ++pos_;
    YamlNode node;
    node.scalar = std::string(TrimView(content));
    return node;
  }

  YamlNode ParseList(size_t indent) {
    YamlNode list;
    list.kind = YamlNode::Kind::kList;
    for (;;) {
      SkipBlank();
      if (pos_ >= lines_.size() || Indent(lines_[pos_]) != indent) break;
      std::string_view content = lines_[pos_].substr(indent);
      if (!IsListLine(content)) break;
      std::string_view rest = content.size() > 2 ? TrimView(content.substr(2)) : std::string_view();
      if (rest.empty()) {
        ++pos_;
        list.items.push_back(ParseBlock(indent + 1));
        continue;
      }
      std::string key;
      if (KeyEnd(rest, &key) != std::string_view::npos) {
        // "- key: value": a map whose entries sit at indent + 2.
        size_t inner = indent + 1 + Indent(content.substr(1));
        list.items.push_back(ParseMapFrom(inner, rest));
        continue;
      }
      ++pos_;
      list.items.push_back(ReadValue(rest, indent));
    }
    return list;
  }

  YamlNode ParseMap(size_t indent) { return ParseMapFrom(indent, std::string_view()); }

  // Parses map entries at `indent`. When `first` is set it is the content of
  // the current line's first entry (after a "- ").
  YamlNode ParseMapFrom(size_t indent, std::string_view first) {
    YamlNode map;
    map.kind = YamlNode::Kind::kMap;
    bool use_first = !first.empty();
    for (;;) {
      std::string_view content;
      if (use_first) {
        content = first;
        use_first = false;
      } else {
        SkipBlank();
        if (pos_ >= lines_.size() || Indent(lines_[pos_]) != indent) break;
        content = lines_[pos_].substr(indent);
        if (IsListLine(content)) break;
      }
      std::string key;
      size_t colon = KeyEnd(content, &key);
      if (colon == std::string_view::npos) break;
      ++pos_;
      std::string_view value = TrimView(content.substr(colon + 1));
      map.keys.push_back(key);
      if (value.empty()) {
        SkipBlank();
        bool nested = pos_ < lines_.size() &&
                      (Indent(lines_[pos_]) > indent ||
                       (Indent(lines_[pos_]) == indent && IsListLine(lines_[pos_].substr(indent))));
        map.items.push_back(nested ? ParseBlock(Indent(lines_[pos_])) : YamlNode());
      } else {
        map.items.push_back(ReadValue(value, indent));
      }
    }
    return map;
  }

  // Reads the scalar or flow list `value` written after a key or "- " on
  // the line before pos_, plus any continuation lines deeper than `indent`.
  YamlNode ReadValue(std::string_view value, size_t indent) {
    if (value[0] == '[') return ReadFlowList(value);
    YamlNode node;
    if (value[0] == '"' || value[0] == '\'') {
      size_t i = 0;
      node.scalar = ReadQuoted(value, &i);
      return node;
    }
    if (value[0] == '|' || value[0] == '>') return ReadBlockScalar(value, indent);
    std::string text(value);
    while (pos_ < lines_.size() && !IsBlankOrComment(lines_[pos_]) &&
           Indent(lines_[pos_]) > indent) {
      text += ' ';
      text += std::string(TrimView(lines_[pos_]));
      ++pos_;
    }
    node.scalar = text;
    return node;
  }

  YamlNode ReadBlockScalar(std::string_view header, size_t indent) {
    bool folded = header[0] == '>';
    bool strip = header.find('-') != std::string_view::npos;
    bool keep = header.find('+') != std::string_view::npos;
    std::vector<std::string_view> body;
    size_t content_indent = 0;
    while (pos_ < lines_.size()) {
      std::string_view line = lines_[pos_];
      bool blank = TrimView(line).empty();
      if (!blank && Indent(line) <= indent) break;
      if (!blank && content_indent == 0) content_indent = Indent(line);
      body.push_back(blank ? std::string_view() : line.substr(content_indent));
      ++pos_;
    }
    std::string text;
    for (size_t i = 0; i < body.size(); ++i) {
      if (i > 0) {
        bool join_with_space = folded && !body[i - 1].empty() && !body[i].empty() &&
                               body[i][0] != ' ' && body[i - 1][0] != ' ';
        text += join_with_space ? ' ' : '\n';
      }
      text += std::string(body[i]);
    }
    while (!text.empty() && text.back() == '\n') text.pop_back();
    if (!strip && !text.empty()) text += '\n';
    (void)keep;  // the suite never keeps trailing blank lines
    YamlNode node;
    node.scalar = text;
    return node;
  }

  std::vector<std::string_view> lines_;
  size_t pos_ = 0;
};

}  // namespace yaml_internal

// Splits `text` into documents at "---" lines and parses each one. Empty
// documents (only comments) are dropped.
inline std::vector<YamlNode> ParseYamlDocuments(std::string_view text) {
  std::vector<YamlNode> documents;
  std::vector<std::string_view> lines;
  auto flush = [&]() {
    yaml_internal::Parser parser(lines);
    YamlNode document = parser.ParseDocument();
    if (!document.is_scalar() || !document.scalar.empty()) documents.push_back(std::move(document));
    lines.clear();
  };
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line == "---") {
      flush();
    } else {
      lines.push_back(line);
    }
    start = end + 1;
  }
  flush();
  return documents;
}

}  // namespace bouncedx::testing_yaml

#endif  // BOUNCEDX_TESTS_SPF_YAML_SUBSET_H_
