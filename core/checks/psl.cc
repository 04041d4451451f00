// SPDX-License-Identifier: MIT
#include "core/checks/psl.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "core/base/byte_reader.h"
#include "core/base/text.h"

namespace bouncedx {
namespace {

// Longest input accepted as a domain. A DNS name is at most 253 bytes in
// presentation form, but Unicode labels take more bytes in UTF-8 than in
// punycode; this leaves room for them while keeping the suffix scan short.
constexpr size_t kMaxDomainBytes = 1024;

// Rule kinds, as bits: one set for each section.
constexpr uint8_t kNormal = 1;
constexpr uint8_t kWildcard = 2;     // the key is the part after "*."
constexpr uint8_t kException = 4;    // the key is the part after "!"

struct RuleBits {
  uint8_t icann = 0;
  uint8_t private_section = 0;

  uint8_t Get(PslSections sections) const {
    return sections == PslSections::kAll ? static_cast<uint8_t>(icann | private_section) : icann;
  }
};

// Turns the compact embedded form (core/checks/psl_embed.py: each line is
// '0' + the number of labels shared with the previous rule, counted from the
// right, then the rule's other labels) back into one rule a line. Section
// marker lines ("// ===...") are copied and reset the sharing. A line that
// claims more labels than the previous rule has is dropped (it cannot occur
// in a correct build).
std::string ExpandPublicSuffixList(std::string_view compact) {
  std::string out;
  out.reserve(compact.size() * 2);
  std::string previous;
  ByteReader reader(compact);
  while (!reader.AtEnd()) {
    std::string_view line = reader.ReadWhile([](char c) { return c != '\n'; });
    reader.Consume('\n');
    if (line.empty()) continue;
    if (line.substr(0, 2) == "//") {
      out.append(line).push_back('\n');
      previous.clear();
      continue;
    }
    const int shared = line.front() - '0';
    if (shared < 0 || shared > 40) continue;
    std::string rule(line.substr(1));
    if (shared > 0) {
      const int labels =
          previous.empty() ? 0 : 1 + static_cast<int>(std::count(previous.begin(), previous.end(), '.'));
      if (shared > labels) continue;
      // Skip the labels that are not shared, from the left.
      size_t from = 0;
      for (int i = 0; i < labels - shared; ++i) from = previous.find('.', from) + 1;
      rule.push_back('.');
      rule.append(previous, from, std::string::npos);
    }
    out.append(rule).push_back('\n');
    previous = std::move(rule);
  }
  return out;
}

class SuffixTable {
 public:
  SuffixTable() : list_(ExpandPublicSuffixList(EmbeddedPublicSuffixList())) { Load(list_); }

  const RuleBits* Find(std::string_view key) const {
    auto it = rules_.find(key);
    return it == rules_.end() ? nullptr : &it->second;
  }
  size_t rule_count() const { return rule_count_; }

 private:
  void Load(std::string_view list) {
    bool in_private = false;
    ByteReader reader(list);
    while (!reader.AtEnd()) {
      std::string_view line = reader.ReadWhile([](char c) { return c != '\n'; });
      reader.Consume('\n');
      if (line.substr(0, 2) == "//") {
        if (line.find("===BEGIN PRIVATE DOMAINS===") != std::string_view::npos) in_private = true;
        if (line.find("===END PRIVATE DOMAINS===") != std::string_view::npos) in_private = false;
        continue;
      }
      // A rule is the line up to its first white space (the list's format).
      ByteReader words(line);
      words.ReadWhile(IsSpace);
      std::string_view rule = words.ReadWhile([](char c) { return !IsSpace(c); });
      if (rule.empty()) continue;
      uint8_t kind = kNormal;
      if (rule.substr(0, 2) == "*.") {
        kind = kWildcard;
        rule.remove_prefix(2);
      } else if (rule.front() == '!') {
        kind = kException;
        rule.remove_prefix(1);
      }
      if (rule.empty()) continue;
      ++rule_count_;
      Add(StoreLower(rule), kind, in_private);
      bool ascii = true;
      for (char c : rule) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
      if (!ascii) {
        std::string encoded = DomainToAscii(rule);
        if (!encoded.empty()) Add(Store(std::move(encoded)), kind, in_private);
      }
    }
  }

  std::string_view StoreLower(std::string_view rule) {
    bool lower = true;
    for (char c : rule) lower = lower && ToLowerAscii(c) == c;
    if (lower) return rule;  // points into list_, which lives as long as the table
    return Store(ToLower(rule));
  }

  std::string_view Store(std::string text) {
    owned_.push_back(std::move(text));
    return owned_.back();
  }

  void Add(std::string_view key, uint8_t kind, bool in_private) {
    RuleBits& bits = rules_[key];
    (in_private ? bits.private_section : bits.icann) |= kind;
  }

  // The expanded list; never changed after construction.
  const std::string list_;
  // Keys are views into list_ or into owned_ (a deque never moves its
  // elements when it grows).
  std::unordered_map<std::string_view, RuleBits> rules_;
  std::deque<std::string> owned_;
  size_t rule_count_ = 0;
};

const SuffixTable& Table() {
  static const SuffixTable* const table = new SuffixTable();
  return *table;
}

// Lower-cases ASCII and drops one trailing dot; false when not a name.
bool Normalize(std::string_view domain, std::string* out) {
  if (domain.size() > kMaxDomainBytes) return false;
  if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  if (domain.empty()) return false;
  *out = ToLower(domain);
  if (out->front() == '.' || out->find("..") != std::string::npos) return false;
  return true;
}

// Number of labels of the public suffix of the normalised `name`.
size_t SuffixLabels(const std::string& name, PslSections sections) {
  // Label start offsets, leftmost first.
  std::vector<size_t> starts = {0};
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '.') starts.push_back(i + 1);
  }
  const size_t labels = starts.size();
  const SuffixTable& table = Table();
  size_t best = 1;  // the default rule "*"
  // Try every suffix, shortest first: `k` labels starting at starts[labels-k].
  for (size_t k = 1; k <= labels; ++k) {
    std::string_view suffix = std::string_view(name).substr(starts[labels - k]);
    const RuleBits* bits = table.Find(suffix);
    if (bits == nullptr) continue;
    uint8_t kinds = bits->Get(sections);
    // An exception rule wins outright: its suffix is the rule minus its
    // leftmost label.
    if (kinds & kException) return k - 1;
    if ((kinds & kNormal) && k > best) best = k;
    // "*.suffix" covers one more label, when the name has one.
    if ((kinds & kWildcard) && k < labels && k + 1 > best) best = k + 1;
  }
  return best;
}

std::string LastLabels(const std::string& name, size_t count) {
  size_t pos = name.size();
  for (size_t i = 0; i < count; ++i) {
    size_t dot = pos == 0 ? std::string::npos : name.rfind('.', pos - 1);
    if (dot == std::string::npos) return name;
    pos = dot;
  }
  return name.substr(pos + 1);
}

size_t CountLabels(const std::string& name) {
  size_t count = 1;
  for (char c : name) count += c == '.';
  return count;
}

// Decodes UTF-8 already known to be valid into code points.
std::vector<uint32_t> CodePoints(std::string_view text) {
  std::vector<uint32_t> points;
  ByteReader reader(text);
  uint8_t lead = 0;
  while (reader.ReadU8(&lead)) {
    int extra = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
    uint32_t point = extra == 3 ? (lead & 0x07u) : extra == 2 ? (lead & 0x0fu)
                     : extra == 1 ? (lead & 0x1fu) : lead;
    for (int i = 0; i < extra; ++i) {
      uint8_t next = 0;
      if (!reader.ReadU8(&next)) break;
      point = (point << 6) | (next & 0x3fu);
    }
    points.push_back(point);
  }
  return points;
}

// RFC 3492 §5 parameters.
constexpr uint32_t kBase = 36;
constexpr uint32_t kTMin = 1;
constexpr uint32_t kTMax = 26;
constexpr uint32_t kSkew = 38;
constexpr uint32_t kDamp = 700;
constexpr uint32_t kInitialBias = 72;
constexpr uint32_t kInitialN = 128;

char Digit(uint32_t value) {
  return static_cast<char>(value < 26 ? 'a' + value : '0' + (value - 26));
}

uint32_t Adapt(uint32_t delta, uint32_t points, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / points;
  uint32_t k = 0;
  while (delta > ((kBase - kTMin) * kTMax) / 2) {
    delta /= kBase - kTMin;
    k += kBase;
  }
  return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
}

}  // namespace

Result<std::string> PunycodeEncode(std::string_view utf8_label) {
  if (utf8_label.empty()) return Status(StatusCode::kMalformed, "punycode: empty label");
  if (!IsValidUtf8(utf8_label)) return Status(StatusCode::kMalformed, "punycode: invalid UTF-8");
  const std::vector<uint32_t> input = CodePoints(utf8_label);
  std::string out;
  for (uint32_t point : input) {
    if (point < 0x80) out.push_back(static_cast<char>(point));
  }
  const uint32_t basic = static_cast<uint32_t>(out.size());
  // The delimiter follows the basic code points, and only when there are any.
  if (basic > 0) out.push_back('-');
  uint32_t n = kInitialN;
  uint64_t delta = 0;
  uint32_t bias = kInitialBias;
  uint32_t handled = basic;
  const uint32_t total = static_cast<uint32_t>(input.size());
  while (handled < total) {
    uint32_t next = UINT32_MAX;
    for (uint32_t point : input) {
      if (point >= n && point < next) next = point;
    }
    delta += static_cast<uint64_t>(next - n) * (handled + 1);
    // Labels are at most a few hundred code points; anything this large is
    // not a label and would overflow the 32-bit arithmetic of RFC 3492.
    if (delta > UINT32_MAX / 2) return Status(StatusCode::kMalformed, "punycode: overflow");
    n = next;
    for (uint32_t point : input) {
      if (point < n) ++delta;
      if (point != n) continue;
      uint32_t q = static_cast<uint32_t>(delta);
      for (uint32_t k = kBase;; k += kBase) {
        uint32_t t = k <= bias ? kTMin : (k >= bias + kTMax ? kTMax : k - bias);
        if (q < t) break;
        out.push_back(Digit(t + (q - t) % (kBase - t)));
        q = (q - t) / (kBase - t);
      }
      out.push_back(Digit(q));
      bias = Adapt(static_cast<uint32_t>(delta), handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return out;
}

std::string DomainToAscii(std::string_view domain) {
  std::string out;
  ByteReader reader(domain);
  while (true) {
    std::string_view label = reader.ReadWhile([](char c) { return c != '.'; });
    bool ascii = true;
    for (char c : label) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) {
      out.append(ToLower(label));
    } else {
      // ASCII letters inside a Unicode label are lower-cased too.
      Result<std::string> encoded = PunycodeEncode(ToLower(label));
      if (!encoded.ok()) return "";
      out.append("xn--").append(encoded.value());
    }
    if (!reader.Consume('.')) break;
    out.push_back('.');
  }
  return out;
}

std::string PublicSuffix(std::string_view domain, PslSections sections) {
  std::string name;
  if (!Normalize(domain, &name)) return "";
  return LastLabels(name, SuffixLabels(name, sections));
}

std::string OrganizationalDomain(std::string_view domain) {
  std::string name;
  if (!Normalize(domain, &name)) return "";
  const size_t suffix = SuffixLabels(name, PslSections::kAll);
  if (suffix == 0) return name;  // cannot happen with a valid list; be safe
  if (CountLabels(name) <= suffix) return name;
  return LastLabels(name, suffix + 1);
}

bool IsPublicSuffix(std::string_view domain) {
  std::string name;
  if (!Normalize(domain, &name)) return false;
  return CountLabels(name) == SuffixLabels(name, PslSections::kAll);
}

size_t PublicSuffixRuleCount() { return Table().rule_count(); }

}  // namespace bouncedx
