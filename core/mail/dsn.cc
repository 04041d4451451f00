// SPDX-License-Identifier: MIT
#include "core/mail/dsn.h"

#include <algorithm>

#include "core/base/byte_reader.h"
#include "core/base/text.h"

namespace bouncedx::mail {
namespace {

// Longest "type" accepted before ";" ("rfc822", "x-local-hostname").
constexpr size_t kMaxTypeBytes = 40;
// Warnings one ParseDsn call passes on before it only counts them.
constexpr size_t kMaxDsnWarnings = 20;

bool IsTypeByte(char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; }

void AppendUtf8(unsigned long cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

enum class FieldKind {
  kOther,
  // per-message
  kReportingMta,
  kDsnGateway,
  kReceivedFromMta,
  kOriginalEnvelopeId,
  kArrivalDate,
  // per-recipient
  kOriginalRecipient,
  kFinalRecipient,
  kAction,
  kStatus,
  kRemoteMta,
  kDiagnosticCode,
  kLastAttemptDate,
  kFinalLogId,
  kWillRetryUntil,
};

struct KnownField {
  std::string_view name;
  FieldKind kind;
};
constexpr KnownField kKnownFields[] = {
    {"Reporting-MTA", FieldKind::kReportingMta},
    {"DSN-Gateway", FieldKind::kDsnGateway},
    {"Received-From-MTA", FieldKind::kReceivedFromMta},
    {"Original-Envelope-Id", FieldKind::kOriginalEnvelopeId},
    {"Arrival-Date", FieldKind::kArrivalDate},
    {"Original-Recipient", FieldKind::kOriginalRecipient},
    {"Final-Recipient", FieldKind::kFinalRecipient},
    {"Action", FieldKind::kAction},
    {"Status", FieldKind::kStatus},
    {"Remote-MTA", FieldKind::kRemoteMta},
    {"Diagnostic-Code", FieldKind::kDiagnosticCode},
    {"Last-Attempt-Date", FieldKind::kLastAttemptDate},
    {"Final-Log-ID", FieldKind::kFinalLogId},
    {"Will-Retry-Until", FieldKind::kWillRetryUntil},
};

FieldKind KindOf(std::string_view name) {
  for (const KnownField& known : kKnownFields) {
    if (EqualsCaseless(known.name, name)) return known.kind;
  }
  return FieldKind::kOther;
}

bool IsRecipientField(FieldKind kind) { return kind >= FieldKind::kOriginalRecipient; }

// The first word of `value`, up to a blank or a comment.
std::string FirstWord(std::string_view value) {
  ByteReader reader(Trim(value));
  return std::string(reader.ReadWhile([](char c) { return !IsSpace(c) && c != '(' && c != ';'; }));
}

// Address-type values get their escapes decoded.
TypedValue AddressValue(const HeaderField& field) {
  TypedValue typed = ParseTypedValue(field);
  if (typed.type == "utf-8") typed.value = DecodeUtf8AddressEscapes(typed.value);
  return typed;
}

}  // namespace

std::string_view TypedValue::Address() const {
  std::string_view address = Trim(value);
  if (address.size() >= 2 && address.front() == '<' && address.back() == '>') {
    address = Trim(address.substr(1, address.size() - 2));
  }
  return address;
}

const HeaderField* DsnMessage::Find(std::string_view name) const {
  for (const HeaderField& field : fields) {
    if (EqualsCaseless(field.name, name)) return &field;
  }
  return nullptr;
}

TypedValue ParseTypedValue(const HeaderField& field) {
  TypedValue typed;
  typed.present = true;
  std::string_view raw = field.raw_value;
  size_t value_start = 0;  // in raw
  size_t semicolon = raw.find(';');
  if (semicolon != std::string_view::npos) {
    std::string_view type = Trim(raw.substr(0, semicolon));
    if (!type.empty() && type.size() <= kMaxTypeBytes &&
        std::all_of(type.begin(), type.end(), IsTypeByte)) {
      typed.type = ToLower(type);
      value_start = semicolon + 1;
    }
  }
  while (value_start < raw.size() && IsSpace(raw[value_start])) ++value_start;
  size_t value_end = raw.size();
  while (value_end > value_start && IsSpace(raw[value_end - 1])) --value_end;
  typed.offset = field.value_offset + value_start;
  typed.end = field.value_offset + value_end;
  // The unfolded value minus the same "type;" prefix.
  std::string_view unfolded = field.value;
  if (!typed.type.empty()) {
    size_t cut = unfolded.find(';');
    unfolded = cut == std::string_view::npos ? std::string_view() : unfolded.substr(cut + 1);
  }
  typed.value = std::string(Trim(unfolded));
  return typed;
}

std::string DecodeUtf8AddressEscapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, 3) == "\\x{") {
      size_t close = text.find('}', i + 3);
      std::string_view hex =
          close == std::string_view::npos ? std::string_view() : text.substr(i + 3, close - i - 3);
      bool ok = !hex.empty() && hex.size() <= 6;
      unsigned long cp = 0;
      for (char c : hex) {
        if (HexValue(c) < 0) ok = false;
        if (ok) cp = cp * 16 + static_cast<unsigned long>(HexValue(c));
      }
      if (ok && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        AppendUtf8(cp, &out);
        i = close + 1;
        continue;
      }
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

std::string DecodeXtext(std::string_view text) { return DecodeHexEscapes(text, '+'); }

DsnMessage ParseDsn(std::string_view text, const Limits& limits,
                    std::vector<std::string>* warnings) {
  DsnMessage dsn;
  HeaderOptions options;
  options.skip_mbox_from = false;
  options.non_field_line = NonFieldLine::kContinuesField;
  bool capped = false;
  bool fields_capped = false;
  std::vector<std::string> local;
  size_t pos = 0;
  while (pos < text.size()) {
    // Blank lines between blocks (or many of them) are skipped here, cheaply.
    size_t newline = text.find('\n', pos);
    size_t next = newline == std::string_view::npos ? text.size() : newline + 1;
    std::string_view line = text.substr(pos, next - pos);
    if (std::all_of(line.begin(), line.end(), [](char c) { return IsSpace(c); })) {
      pos = next;
      continue;
    }
    HeaderBlock block = ParseHeaders(text, pos, limits, &local, options);
    // An empty line yields an empty block that ends past it; always move on.
    pos = std::max(block.body_begin, pos + 1);
    int current = -1;  // index of the recipient this block is filling
    for (HeaderField& field : block.fields) {
      FieldKind kind = KindOf(field.name);
      if (!IsRecipientField(kind)) {
        if (current >= 0) {
          DsnRecipient& r = dsn.recipients[static_cast<size_t>(current)];
          r.end = field.end;
          if (r.fields.size() < limits.max_header_fields) r.fields.push_back(std::move(field));
          continue;
        }
        switch (kind) {
          case FieldKind::kReportingMta:
            if (!dsn.reporting_mta.present) dsn.reporting_mta = ParseTypedValue(field);
            break;
          case FieldKind::kDsnGateway:
            if (!dsn.dsn_gateway.present) dsn.dsn_gateway = ParseTypedValue(field);
            break;
          case FieldKind::kReceivedFromMta:
            if (!dsn.received_from_mta.present) dsn.received_from_mta = ParseTypedValue(field);
            break;
          case FieldKind::kOriginalEnvelopeId:
            if (dsn.original_envelope_id.empty()) dsn.original_envelope_id = field.value;
            break;
          case FieldKind::kArrivalDate:
            if (dsn.arrival_date.empty()) dsn.arrival_date = field.value;
            break;
          default:
            break;
        }
        if (dsn.fields.size() < limits.max_header_fields) {
          dsn.fields.push_back(std::move(field));
        } else if (!fields_capped) {
          local.push_back("dsn: more than " + std::to_string(limits.max_header_fields) +
                          " per-message fields, the rest dropped");
          fields_capped = true;
        }
        continue;
      }
      // A recipient field: does it start a new recipient?
      bool fresh = current < 0;
      if (!fresh) {
        const DsnRecipient& r = dsn.recipients[static_cast<size_t>(current)];
        // Writers put Final- and Original-Recipient in either order; a
        // repeated one, or one after the recipient's other fields, starts
        // the next recipient.
        const bool described = !r.action.empty() || !r.status.empty();
        if (kind == FieldKind::kFinalRecipient &&
            (r.final_recipient.present || (r.original_recipient.present && described))) {
          fresh = true;
        }
        if (kind == FieldKind::kOriginalRecipient &&
            (r.original_recipient.present || (r.final_recipient.present && described))) {
          fresh = true;
        }
      }
      if (fresh) {
        if (dsn.recipients.size() >= limits.max_recipients) {
          if (!capped) {
            local.push_back("dsn: more than " + std::to_string(limits.max_recipients) +
                            " recipients, the rest dropped");
          }
          capped = true;
          current = -1;
          continue;
        }
        dsn.recipients.emplace_back();
        dsn.recipients.back().begin = field.offset;
        dsn.recipients.back().fields.reserve(8);  // a recipient's usual fields at once
        current = static_cast<int>(dsn.recipients.size()) - 1;
      }
      DsnRecipient& r = dsn.recipients[static_cast<size_t>(current)];
      switch (kind) {
        case FieldKind::kOriginalRecipient:
          r.original_recipient = AddressValue(field);
          break;
        case FieldKind::kFinalRecipient:
          r.final_recipient = AddressValue(field);
          break;
        case FieldKind::kAction:
          r.action = ToLower(FirstWord(field.value));
          break;
        case FieldKind::kStatus:
          r.status = FirstWord(field.value);
          break;
        case FieldKind::kRemoteMta:
          r.remote_mta = ParseTypedValue(field);
          break;
        case FieldKind::kDiagnosticCode:
          r.diagnostic_code = ParseTypedValue(field);
          break;
        case FieldKind::kLastAttemptDate:
          r.last_attempt_date = field.value;
          break;
        case FieldKind::kFinalLogId:
          r.final_log_id = field.value;
          break;
        case FieldKind::kWillRetryUntil:
          r.will_retry_until = field.value;
          break;
        default:
          break;
      }
      r.end = field.end;
      r.fields.push_back(std::move(field));
    }
    // The block holds the unfolded values of its folded fields, which the
    // fields kept above view: the message takes them over.
    for (auto& owned : block.unfolded) dsn.unfolded.push_back(std::move(owned));
  }
  if (warnings != nullptr) {
    for (size_t i = 0; i < local.size() && i < kMaxDsnWarnings; ++i) {
      warnings->push_back(std::move(local[i]));
    }
    if (local.size() > kMaxDsnWarnings) {
      warnings->push_back("dsn: " + std::to_string(local.size() - kMaxDsnWarnings) +
                          " more warnings not shown");
    }
  }
  return dsn;
}

}  // namespace bouncedx::mail
