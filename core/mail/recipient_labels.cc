// SPDX-License-Identifier: MIT
#include "core/mail/recipient_labels.h"

#include "core/base/text.h"

namespace bouncedx::mail {

namespace {

struct Label {
  std::string_view text;
  bool line_start;     // only at the start of a line (after blanks and '>' quotes)
  bool colon_needed;   // a ':' (or '：', '=') must follow
};

// Words that introduce the failed recipient. JSON keys keep their quotes.
constexpr Label kLabels[] = {
    {"Recipient Address", true, true},    // Exchange Online NDR details
    {"Original recipient", true, true},
    {"Failed recipient", true, true},
    {"Recipients", true, true},
    {"Recipient", true, true},
    {"Your message to", true, false},     // Exchange Online, filter notices
    {"To", true, true},                   // activity views; see IsMailSystemBlock
    {"inactive addresses", false, true},  // Postmark's API error
    {"\"recipient\"", false, true},       // Mailgun events
    {"\"emailAddress\"", false, true},    // Amazon SES notifications
    {"\"email\"", false, true},           // SendGrid events
    {"收件人", false, true},              // Chinese
    {"收信人", false, true},
    {"宛先", false, true},                // Japanese
    {"Empfänger", true, true},            // German
    {"Destinataire", true, true},         // French
    {"Destinatario", true, true},         // Spanish, Italian
    {"Destinatário", true, true},         // Portuguese
    {"Ontvanger", true, true},            // Dutch
    {"Odbiorca", true, true},             // Polish
    {"Получатель", true, true},           // Russian
};

constexpr std::string_view kFullwidthColon = "\xEF\xBC\x9A";  // '：'

// Reads the address at the start of `rest`, or "": an optional quote or
// angle bracket, then local@domain.tld; a sentence's full stop is dropped.
std::string AddressAt(std::string_view rest, size_t* consumed) {
  size_t p = 0;
  while (p < rest.size() && IsBlank(rest[p])) ++p;
  if (p < rest.size() && (rest[p] == '"' || rest[p] == '<')) ++p;
  size_t begin = p;
  while (p < rest.size() && static_cast<unsigned char>(rest[p]) > 0x20 &&
         static_cast<unsigned char>(rest[p]) < 0x7f) {
    char c = rest[p];
    if (c == '<' || c == '>' || c == '"' || c == '\'' || c == ',' || c == ';' || c == '(' ||
        c == ')' || c == '[' || c == ']') {
      break;
    }
    ++p;
  }
  std::string_view token = rest.substr(begin, p - begin);
  while (!token.empty() && token.back() == '.') token.remove_suffix(1);
  size_t at = token.find('@');
  if (at == std::string_view::npos || at == 0 || token.size() > 254 ||
      token.find('@', at + 1) != std::string_view::npos ||
      token.find('.', at) == std::string_view::npos || token.back() == '@') {
    return "";
  }
  if (p < rest.size() && (rest[p] == '"' || rest[p] == '>')) ++p;
  *consumed = p;
  return std::string(token);
}

// Reads `label` at `at` of `line` (already matched) and the address after
// it; "" when what follows is not a separator and an address.
std::string AfterLabel(std::string_view line, size_t at, const Label& label, size_t* consumed) {
  size_t p = at + label.text.size();
  if (p < line.size() && IsAlnum(line[p])) return "";  // "Tomorrow:", "Recipients2"
  while (p < line.size() && IsBlank(line[p])) ++p;
  bool colon = false;
  if (p < line.size() && (line[p] == ':' || line[p] == '=')) {
    colon = true;
    ++p;
  } else if (line.substr(p, kFullwidthColon.size()) == kFullwidthColon) {
    colon = true;
    p += kFullwidthColon.size();
  }
  if (label.colon_needed && !colon) return "";
  size_t used = 0;
  std::string address = AddressAt(line.substr(p), &used);
  if (!address.empty()) *consumed = p + used;
  return address;
}

// A header-like block sent by a mail system: its To: is the bounce's
// addressee (the sender), not a failed recipient.
bool IsMailSystemBlock(const std::vector<std::string_view>& lines, size_t index) {
  auto check = [&](size_t i) {
    std::string_view line = Trim(lines[i]);
    if (!StartsWithCaseless(line, "From:")) return false;
    for (std::string_view word : {"mailer-daemon", "postmaster", "mail delivery", "mail system"}) {
      if (FindCaseless(line, word) != std::string_view::npos) return true;
    }
    return false;
  };
  for (size_t i = index; i < lines.size() && !Trim(lines[i]).empty() && i < index + 8; ++i) {
    if (check(i)) return true;
  }
  for (size_t i = index; i > 0 && !Trim(lines[i - 1]).empty() && i + 8 > index; --i) {
    if (check(i - 1)) return true;
  }
  return false;
}

size_t ContentStart(std::string_view line) {
  size_t p = 0;
  while (p < line.size() && (IsBlank(line[p]) || line[p] == '>')) ++p;
  return p;
}

}  // namespace

std::vector<std::string> FindLabelledRecipients(std::string_view text, size_t from,
                                                const Limits& limits) {
  std::vector<std::string> found;
  if (from >= text.size()) return found;
  std::vector<std::string_view> lines = SplitLines(text.substr(from), limits.max_lines);
  for (size_t i = 0; i < lines.size() && found.size() < limits.max_recipients; ++i) {
    std::string_view line = lines[i];
    if (line.size() > limits.max_line_bytes) continue;
    // The address follows its label on the same line: most lines have none.
    if (line.find('@') == std::string_view::npos) continue;
    size_t content = ContentStart(line);
    for (const Label& label : kLabels) {
      size_t at = content;
      if (label.line_start) {
        if (!StartsWithCaseless(line.substr(content), label.text)) continue;
      } else {
        at = FindCaseless(line, label.text);
        if (at == std::string_view::npos) continue;
        if (at > 0 && IsAlnum(line[at - 1])) continue;
      }
      size_t consumed = 0;
      std::string address = AfterLabel(line, at, label, &consumed);
      if (address.empty()) continue;
      if (label.text == "To" && IsMailSystemBlock(lines, i)) break;
      bool seen = false;
      for (const std::string& known : found) seen = seen || EqualsCaseless(known, address);
      if (!seen) found.push_back(std::move(address));
      break;
    }
  }
  return found;
}

std::string LabelledRecipientLine(std::string_view line, const Limits& limits) {
  if (line.size() > limits.max_line_bytes || line.find('@') == std::string_view::npos) return "";
  size_t content = ContentStart(line);
  for (const Label& label : kLabels) {
    if (label.text == "To" || !label.colon_needed) continue;
    size_t at = content;
    if (!StartsWithCaseless(line.substr(content), label.text)) continue;
    size_t consumed = 0;
    std::string address = AfterLabel(line, at, label, &consumed);
    if (address.empty()) continue;
    std::string_view rest = Trim(line.substr(consumed));
    if (rest.empty() || rest == ".") return address;
  }
  return "";
}

}  // namespace bouncedx::mail
