// SPDX-License-Identifier: MIT
#include "core/dns/name.h"

#include "core/base/text.h"
#include "core/dns/types.h"

namespace bouncedx::dns {
namespace {

Status Malformed(std::string message) {
  return Status(StatusCode::kMalformed, "name: " + std::move(message));
}

// The wire octets of a name with these labels: one length octet per label,
// the label bytes, and the root octet.
size_t WireOctets(const std::vector<std::string>& labels) {
  size_t octets = 1;
  for (const std::string& label : labels) octets += 1 + label.size();
  return octets;
}

bool LabelsEqualCaseless(const std::vector<std::string>& a, size_t a_from,
                         const std::vector<std::string>& b) {
  if (a.size() - a_from != b.size()) return false;
  for (size_t i = 0; i < b.size(); ++i) {
    if (!EqualsCaseless(a[a_from + i], b[i])) return false;
  }
  return true;
}

}  // namespace

Result<std::vector<std::string>> SplitName(std::string_view name) {
  std::vector<std::string> labels;
  if (name.empty()) return Malformed("empty");
  if (name == ".") return labels;
  ByteReader reader(name);
  std::string label;
  bool label_open = false;  // at least one byte or escape since the last dot
  while (!reader.AtEnd()) {
    char c = 0;
    reader.Peek(&c);
    if (c == '.') {
      reader.Skip(1);
      if (!label_open) return Malformed("empty label in \"" + Printable(name, 80) + "\"");
      labels.push_back(std::move(label));
      label.clear();
      label_open = false;
      continue;
    }
    label_open = true;
    if (c != '\\') {
      reader.Skip(1);
      label.push_back(c);
    } else {
      reader.Skip(1);
      char next = 0;
      if (!reader.Peek(&next)) return Malformed("lone backslash at the end");
      if (IsDigit(next)) {
        ByteReader digits = reader;
        std::string_view three;
        if (!digits.ReadBytes(3, &three) || !IsDigit(three[1]) || !IsDigit(three[2])) {
          return Malformed("escape \\DDD needs three digits");
        }
        int value = (three[0] - '0') * 100 + (three[1] - '0') * 10 + (three[2] - '0');
        if (value > 255) return Malformed("escape \\" + std::string(three) + " is over 255");
        label.push_back(static_cast<char>(value));
        reader = digits;
      } else {
        reader.Skip(1);
        label.push_back(next);
      }
    }
    if (label.size() > kMaxLabelOctets) {
      return Malformed("label \"" + Printable(label, 80) + "\" is longer than 63 octets");
    }
  }
  if (label_open) labels.push_back(std::move(label));
  if (WireOctets(labels) > kMaxNameOctets) {
    return Malformed("\"" + Printable(name, 80) + "\" is longer than 255 octets");
  }
  return labels;
}

Result<std::string> EncodeName(std::string_view name) {
  Result<std::vector<std::string>> labels = SplitName(name);
  if (!labels.ok()) return labels.status();
  std::string wire;
  for (const std::string& label : labels.value()) {
    wire.push_back(static_cast<char>(label.size()));
    wire += label;
  }
  wire.push_back('\0');
  return wire;
}

Result<std::string> NormalizeName(std::string_view name) {
  Result<std::vector<std::string>> labels = SplitName(name);
  if (!labels.ok()) return labels.status();
  if (labels->empty()) return std::string(".");
  std::string text;
  for (const std::string& label : labels.value()) {
    if (!text.empty()) text.push_back('.');
    AppendLabelText(ToLower(label), &text);
  }
  return text;
}

bool IsValidName(std::string_view name) { return SplitName(name).ok(); }

bool NamesEqual(std::string_view a, std::string_view b) {
  Result<std::vector<std::string>> left = SplitName(a);
  Result<std::vector<std::string>> right = SplitName(b);
  return left.ok() && right.ok() && LabelsEqualCaseless(left.value(), 0, right.value());
}

bool IsAtOrBelow(std::string_view name, std::string_view ancestor) {
  Result<std::vector<std::string>> below = SplitName(name);
  Result<std::vector<std::string>> above = SplitName(ancestor);
  if (!below.ok() || !above.ok() || below->size() < above->size()) return false;
  return LabelsEqualCaseless(below.value(), below->size() - above->size(), above.value());
}

bool IsHostname(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return false;
  size_t label_start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i < name.size() && name[i] != '.') {
      if (!IsAlnum(name[i]) && name[i] != '-') return false;
      continue;
    }
    const size_t length = i - label_start;
    if (length == 0 || length > kMaxLabelOctets) return false;
    if (name[label_start] == '-' || name[i - 1] == '-') return false;
    label_start = i + 1;
  }
  return true;
}

void AppendEscapedBytes(std::string_view bytes, std::string_view specials,
                        unsigned char lowest_plain, std::string* out) {
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (specials.find(c) != std::string_view::npos) {
      out->push_back('\\');
      out->push_back(c);
    } else if (byte < lowest_plain || byte > 0x7e) {
      out->push_back('\\');
      out->push_back(static_cast<char>('0' + byte / 100));
      out->push_back(static_cast<char>('0' + byte / 10 % 10));
      out->push_back(static_cast<char>('0' + byte % 10));
    } else {
      out->push_back(c);
    }
  }
}

void AppendLabelText(std::string_view label, std::string* out) {
  // Space (0x20) is escaped too, so that a name never holds a blank.
  AppendEscapedBytes(label, ".\\", 0x21, out);
}

Result<std::string> ReadName(ByteReader* reader) {
  ByteReader cursor = *reader;
  std::string text;
  size_t wire_octets = 1;  // the root label
  size_t jumps = 0;
  // Where the run of labels being read began. A pointer must land before it,
  // so offsets only ever decrease across jumps and no loop is possible.
  size_t run_start = cursor.position();
  size_t resume = 0;  // where the caller continues, once a pointer was taken
  bool jumped = false;
  while (true) {
    uint8_t length = 0;
    if (!cursor.ReadU8(&length)) {
      return Status(StatusCode::kTruncated, "name: message ends inside a name");
    }
    if (length == 0) break;
    const uint8_t kind = length & 0xC0;
    if (kind == 0xC0) {
      uint8_t low = 0;
      if (!cursor.ReadU8(&low)) {
        return Status(StatusCode::kTruncated, "name: message ends inside a compression pointer");
      }
      const size_t target = (static_cast<size_t>(length & 0x3F) << 8) | low;
      if (!jumped) {
        resume = cursor.position();
        jumped = true;
      }
      if (target >= run_start) {
        return Malformed("compression pointer to offset " + std::to_string(target) +
                         " does not point backwards");
      }
      if (target < kHeaderBytes) {
        return Malformed("compression pointer to offset " + std::to_string(target) +
                         " points into the header");
      }
      if (++jumps > kMaxPointerJumps) {
        return Malformed("more than " + std::to_string(kMaxPointerJumps) + " compression pointers");
      }
      cursor.Seek(target);  // cannot fail: target < run_start <= size
      run_start = target;
      continue;
    }
    if (kind != 0) {
      return Malformed("label length byte " + std::to_string(length) +
                       " uses the reserved label types");
    }
    std::string_view label;
    if (!cursor.ReadBytes(length, &label)) {
      return Status(StatusCode::kTruncated, "name: label overruns the message");
    }
    wire_octets += 1 + label.size();
    if (wire_octets > kMaxNameOctets) return Malformed("longer than 255 octets");
    if (!text.empty()) text.push_back('.');
    AppendLabelText(label, &text);
  }
  if (text.empty()) text = ".";
  reader->Seek(jumped ? resume : cursor.position());
  return text;
}

}  // namespace bouncedx::dns
