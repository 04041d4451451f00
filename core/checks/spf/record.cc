// SPDX-License-Identifier: MIT
#include "core/checks/spf/record.h"

#include <cstddef>
#include <utility>

#include "core/base/byte_reader.h"
#include "core/base/text.h"

namespace bouncedx::spf {
namespace {

constexpr std::string_view kVersion = "v=spf1";

Status TermError(std::string_view what, std::string_view term) {
  return Status(StatusCode::kMalformed,
                "record: term \"" + Printable(term, 80) + "\": " + std::string(what));
}

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// Parses a prefix length: decimal, no leading zeros, at most `max`.
bool ParseCidr(std::string_view digits, int max, int* out) {
  if (!AllDigits(digits) || digits.size() > 3) return false;
  if (digits.size() > 1 && digits[0] == '0') return false;
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  if (value > max) return false;
  *out = value;
  return true;
}

// Splits an optional dual-cidr-length ("/24", "//64", "/24//64") off the end
// of `*text`, leaving the rest in *text.
Status SplitDualCidr(std::string_view* text, Directive* directive, std::string_view term) {
  size_t pos = text->rfind("//");
  if (pos != std::string_view::npos && AllDigits(text->substr(pos + 2))) {
    if (!ParseCidr(text->substr(pos + 2), 128, &directive->cidr6)) {
      return TermError("bad IPv6 prefix length", term);
    }
    *text = text->substr(0, pos);
  }
  pos = text->rfind('/');
  if (pos != std::string_view::npos && AllDigits(text->substr(pos + 1))) {
    if (!ParseCidr(text->substr(pos + 1), 32, &directive->cidr4)) {
      return TermError("bad IPv4 prefix length", term);
    }
    *text = text->substr(0, pos);
  }
  return Status::Ok();
}

Status ParseTarget(std::string_view spec, Directive* directive, std::string_view term) {
  Result<MacroString> parsed = ParseDomainSpec(spec);
  if (!parsed.ok()) return TermError(parsed.status().message(), term);
  directive->domain_spec = std::move(parsed).value();
  return Status::Ok();
}

Status ParseNetwork(std::string_view argument, bool v6, Directive* directive,
                    std::string_view term) {
  std::string_view network = argument;
  size_t slash = argument.find('/');
  if (slash != std::string_view::npos) {
    network = argument.substr(0, slash);
    int* cidr = v6 ? &directive->cidr6 : &directive->cidr4;
    if (!ParseCidr(argument.substr(slash + 1), v6 ? 128 : 32, cidr)) {
      return TermError("bad prefix length", term);
    }
  }
  std::optional<IpAddress> address = v6 ? ParseIp6(network) : ParseIp4(network);
  if (!address) return TermError(v6 ? "bad IPv6 network" : "bad IPv4 network", term);
  directive->network = *address;
  return Status::Ok();
}

Status ParseDirective(std::string_view term, SpfRecord* record) {
  Directive directive;
  directive.text = std::string(term);
  ByteReader reader(term);
  if (reader.Consume('+')) {
    directive.qualifier = Qualifier::kPass;
  } else if (reader.Consume('-')) {
    directive.qualifier = Qualifier::kFail;
  } else if (reader.Consume('~')) {
    directive.qualifier = Qualifier::kSoftFail;
  } else if (reader.Consume('?')) {
    directive.qualifier = Qualifier::kNeutral;
  }
  std::string_view name = reader.ReadWhile([](char c) { return c != ':' && c != '/'; });
  std::string_view rest = reader.Rest();
  static constexpr MechanismKind kKinds[] = {
      MechanismKind::kAll, MechanismKind::kInclude, MechanismKind::kA,   MechanismKind::kMx,
      MechanismKind::kPtr, MechanismKind::kIp4,     MechanismKind::kIp6, MechanismKind::kExists};
  bool known = false;
  for (MechanismKind kind : kKinds) {
    if (EqualsCaseless(name, MechanismKindName(kind))) {
      directive.kind = kind;
      known = true;
      break;
    }
  }
  if (!known) return TermError("unknown mechanism", term);
  bool has_argument = !rest.empty() && rest.front() == ':';
  std::string_view argument = has_argument ? rest.substr(1) : std::string_view();
  Status status;
  switch (directive.kind) {
    case MechanismKind::kAll:
      if (!rest.empty()) status = TermError("\"all\" takes no argument", term);
      break;
    case MechanismKind::kInclude:
    case MechanismKind::kExists:
      if (!has_argument) {
        status = TermError("missing \":domain\"", term);
      } else {
        status = ParseTarget(argument, &directive, term);
      }
      ++record->lookup_terms;
      break;
    case MechanismKind::kA:
    case MechanismKind::kMx:
      if (has_argument) {
        status = SplitDualCidr(&argument, &directive, term);
        if (status.ok()) status = ParseTarget(argument, &directive, term);
      } else {
        status = SplitDualCidr(&rest, &directive, term);
        if (status.ok() && !rest.empty()) status = TermError("bad prefix length", term);
      }
      ++record->lookup_terms;
      break;
    case MechanismKind::kPtr:
      if (has_argument) {
        status = ParseTarget(argument, &directive, term);
      } else if (!rest.empty()) {
        status = TermError("\"ptr\" takes no prefix length", term);
      }
      ++record->lookup_terms;
      break;
    case MechanismKind::kIp4:
    case MechanismKind::kIp6:
      if (!has_argument) {
        status = TermError("missing \":network\"", term);
      } else {
        status = ParseNetwork(argument, directive.kind == MechanismKind::kIp6, &directive, term);
      }
      break;
  }
  if (!status.ok()) return status;
  record->directives.push_back(std::move(directive));
  return Status::Ok();
}

Status ParseModifier(std::string_view term, std::string_view name, std::string_view value,
                     SpfRecord* record) {
  bool is_redirect = EqualsCaseless(name, "redirect");
  if (is_redirect || EqualsCaseless(name, "exp")) {
    std::optional<MacroString>& slot = is_redirect ? record->redirect : record->explanation;
    if (slot) return TermError("modifier given twice", term);
    Result<MacroString> spec = ParseDomainSpec(value);
    if (!spec.ok()) return TermError(spec.status().message(), term);
    slot = std::move(spec).value();
    (is_redirect ? record->redirect_text : record->explanation_text) = std::string(value);
    if (is_redirect) ++record->lookup_terms;
    return Status::Ok();
  }
  // unknown-modifier = name "=" macro-string; the value must still parse.
  Result<MacroString> parsed = ParseMacroString(value, MacroContext::kExplanation);
  if (!parsed.ok()) return TermError(parsed.status().message(), term);
  record->unknown_modifiers.push_back({std::string(name), std::string(value)});
  return Status::Ok();
}

Status ParseTerm(std::string_view term, SpfRecord* record) {
  // A modifier is name "=" ...: the '=' comes right after a valid name,
  // before any ':' or '/' (§4.6.1).
  ByteReader reader(term);
  char first = 0;
  if (reader.Peek(&first) && IsAlpha(first)) {
    std::string_view name =
        reader.ReadWhile([](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
    if (reader.Consume('=')) return ParseModifier(term, name, reader.Rest(), record);
  }
  return ParseDirective(term, record);
}

}  // namespace

const char* MechanismKindName(MechanismKind kind) {
  switch (kind) {
    case MechanismKind::kAll:
      return "all";
    case MechanismKind::kInclude:
      return "include";
    case MechanismKind::kA:
      return "a";
    case MechanismKind::kMx:
      return "mx";
    case MechanismKind::kPtr:
      return "ptr";
    case MechanismKind::kIp4:
      return "ip4";
    case MechanismKind::kIp6:
      return "ip6";
    case MechanismKind::kExists:
      return "exists";
  }
  return "all";
}

bool IsSpfRecord(std::string_view txt) {
  return StartsWithCaseless(txt, kVersion) &&
         (txt.size() == kVersion.size() || txt[kVersion.size()] == ' ');
}

Result<SpfRecord> ParseSpfRecord(std::string_view txt) {
  if (!IsSpfRecord(txt)) {
    return Status(StatusCode::kMalformed, "record: does not start with \"v=spf1\"");
  }
  SpfRecord record;
  std::string_view rest = txt.substr(kVersion.size());
  size_t pos = 0;
  while (pos < rest.size()) {
    if (rest[pos] == ' ') {
      ++pos;
      continue;
    }
    size_t end = rest.find(' ', pos);
    if (end == std::string_view::npos) end = rest.size();
    Status status = ParseTerm(rest.substr(pos, end - pos), &record);
    if (!status.ok()) return status;
    pos = end;
  }
  return record;
}

}  // namespace bouncedx::spf
