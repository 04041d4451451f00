// SPDX-License-Identifier: MIT
#include "core/mail/antispam.h"

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/byte_reader.h"
#include "core/base/text.h"
#include "core/knowledge/embedded.h"

namespace bouncedx::mail {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kForefront = "forefront";
constexpr std::string_view kSpamAssassin = "spamassassin";

std::string ToUpperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return out;
}

Status ReadStringMap(const Json& object, const std::string& path,
                     std::map<std::string, std::string>* out) {
  if (!object.is_object())
    return Status(StatusCode::kMalformed, "antispam.json: " + path + ": expected an object");
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!it.value().is_string())
      return Status(StatusCode::kMalformed,
                    "antispam.json: " + path + "." + it.key() + ": expected a string");
    (*out)[it.key()] = it.value().get_ref<const std::string&>();
  }
  return Status::Ok();
}

struct Loaded {
  AntispamMeanings meanings;
  Status status;
};

const Loaded& LoadDefault() {
  static const Loaded loaded = [] {
    Loaded result;
    for (const EmbeddedFile& file : EmbeddedKnowledgeFiles()) {
      if (file.name != "antispam.json") continue;
      Result<AntispamMeanings> parsed = ParseAntispamMeanings(file.data);
      if (parsed.ok()) {
        result.meanings = std::move(parsed).value();
      } else {
        result.status = parsed.status();
      }
      return result;
    }
    result.status = Status(StatusCode::kNotFound, "antispam.json: not embedded");
    return result;
  }();
  return loaded;
}

bool ParseSmallInt(std::string_view text, int* out) {
  text = Trim(text);
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 3) return false;
  int value = 0;
  for (char c : text) {
    if (!IsDigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  *out = negative ? -value : value;
  return true;
}

class Decoder {
 public:
  Decoder(const AntispamMeanings& meanings, AntispamReport* report)
      : meanings_(meanings), report_(report) {}

  // Adds a finding. Fields with a table of values explain the value; the
  // others explain the field.
  void Add(std::string_view header, std::string_view section, std::string_view field,
           std::string_view value) {
    value = Trim(value);
    if (value.empty()) return;
    std::string meaning;
    const std::string_view field_text = meanings_.Field(section, field);
    const std::string_view value_text = meanings_.Value(section, field, value);
    if (!value_text.empty()) {
      meaning = std::string(value_text);
    } else if (HasValueTable(section, field) && !(section == kSpamAssassin && field == "test")) {
      // An enumerated field with a value the knowledge lacks. (SpamAssassin
      // rule names are open-ended: an unlisted rule keeps the field's text.)
      meaning = field_text.empty() ? meanings_.unknown_value
                                   : std::string(field_text) + ": " + meanings_.unknown_value;
    } else if (!field_text.empty()) {
      meaning = std::string(field_text);
    } else {
      meaning = meanings_.unknown_value;
    }
    report_->findings.push_back(
        {std::string(header), std::string(field), std::string(value), std::move(meaning)});
  }

  // "KEY:value;KEY:value;..." (Forefront and X-Microsoft-Antispam).
  void DecodeMicrosoftList(std::string_view header, std::string_view value, bool only_levels) {
    size_t start = 0;
    while (start < value.size()) {
      size_t end = value.find(';', start);
      if (end == std::string_view::npos) end = value.size();
      std::string_view item = Trim(value.substr(start, end - start));
      start = end + 1;
      const size_t colon = item.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string key = ToUpperAscii(Trim(item.substr(0, colon)));
      std::string_view field_value = Trim(item.substr(colon + 1));
      if (only_levels && key != "BCL" && key != "PCL") continue;
      Add(header, kForefront, key, field_value);
      Remember(key, field_value);
    }
  }

  void Remember(std::string_view key, std::string_view value) {
    int number = 0;
    if (key == "CIP") report_->connecting_ip = std::string(value);
    if (key == "PTR") report_->ptr = std::string(value);
    if (key == "H") report_->helo = std::string(value);
    if (key == "SFV") report_->sfv = std::string(value);
    if (key == "CAT") report_->category = std::string(value);
    if (key == "SCL" && ParseSmallInt(value, &number)) report_->scl = number;
    if (key == "BCL" && ParseSmallInt(value, &number)) report_->bcl = number;
  }

  // "Yes, score=7.3 required=5.0 tests=A,B,\tC autolearn=no version=3.4.6".
  void DecodeSpamStatus(std::string_view header, std::string_view value) {
    std::vector<std::string_view> words;
    ByteReader reader(value);
    for (;;) {
      reader.ReadWhile([](char c) { return IsSpace(c); });
      if (reader.AtEnd()) break;
      words.push_back(reader.ReadWhile([](char c) { return !IsSpace(c); }));
    }
    if (words.empty()) return;
    std::string_view verdict = words[0];
    while (!verdict.empty() && verdict.back() == ',') verdict.remove_suffix(1);
    Add(header, kSpamAssassin, "status", verdict);
    report_->spamassassin_verdict = ToLower(verdict);
    for (size_t i = 1; i < words.size(); ++i) {
      std::string_view word = words[i];
      const size_t equals = word.find('=');
      if (equals == std::string_view::npos) continue;
      const std::string key = ToLower(word.substr(0, equals));
      std::string item_value(word.substr(equals + 1));
      if (key == "tests") {
        // A folded list continues on the next words while it ends with ","
        // or is bracketed.
        while (i + 1 < words.size() &&
               ((!item_value.empty() && item_value.back() == ',') ||
                (!item_value.empty() && item_value.front() == '[' && item_value.back() != ']'))) {
          item_value += std::string(words[++i]);
        }
        DecodeTests(header, item_value);
      } else if (key == "score" || key == "hits") {
        Add(header, kSpamAssassin, "score", item_value);
        report_->spamassassin_score = item_value;
      } else if (key == "required") {
        Add(header, kSpamAssassin, "required", item_value);
        report_->spamassassin_required = item_value;
      } else if (key == "autolearn") {
        Add(header, kSpamAssassin, "autolearn", item_value);
      }
    }
  }

  void DecodeTests(std::string_view header, std::string_view list) {
    if (!list.empty() && list.front() == '[') list.remove_prefix(1);
    if (!list.empty() && list.back() == ']') list.remove_suffix(1);
    size_t start = 0;
    while (start < list.size()) {
      size_t end = list.find(',', start);
      if (end == std::string_view::npos) end = list.size();
      std::string_view test = Trim(list.substr(start, end - start));
      start = end + 1;
      const size_t equals = test.find('=');  // "RDNS_NONE=0.793" (_TESTSSCORES_)
      if (equals != std::string_view::npos) test = test.substr(0, equals);
      if (test.empty() || EqualsCaseless(test, "none")) continue;
      Add(header, kSpamAssassin, "test", test);
      report_->spamassassin_tests.push_back(std::string(test));
    }
  }

 private:
  bool HasValueTable(std::string_view section, std::string_view field) const {
    auto by_section = meanings_.values.find(std::string(section));
    return by_section != meanings_.values.end() &&
           by_section->second.count(std::string(field)) != 0;
  }

  const AntispamMeanings& meanings_;
  AntispamReport* report_;
};

}  // namespace

std::string_view AntispamMeanings::Field(std::string_view section, std::string_view field) const {
  auto by_section = fields.find(std::string(section));
  if (by_section == fields.end()) return {};
  auto found = by_section->second.find(std::string(field));
  return found == by_section->second.end() ? std::string_view() : found->second;
}

std::string_view AntispamMeanings::Value(std::string_view section, std::string_view field,
                                         std::string_view value) const {
  auto by_section = values.find(std::string(section));
  if (by_section == values.end()) return {};
  auto by_field = by_section->second.find(std::string(field));
  if (by_field == by_section->second.end()) return {};
  for (const std::string& key : {std::string(value), ToLower(value), ToUpperAscii(value)}) {
    auto found = by_field->second.find(key);
    if (found != by_field->second.end()) return found->second;
  }
  return {};
}

Result<AntispamMeanings> ParseAntispamMeanings(std::string_view json) {
  Json root = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Status(StatusCode::kMalformed, "antispam.json: not valid JSON");
  if (!root.is_object())
    return Status(StatusCode::kMalformed, "antispam.json: expected an object at the top");
  AntispamMeanings meanings;
  auto unknown = root.find("unknown_value");
  if (unknown == root.end() || !unknown->is_string())
    return Status(StatusCode::kMalformed, "antispam.json: unknown_value: expected a string");
  meanings.unknown_value = unknown->get_ref<const std::string&>();
  for (auto section = root.begin(); section != root.end(); ++section) {
    if (section.key() == "unknown_value") continue;
    const std::string& name = section.key();
    if (!section.value().is_object())
      return Status(StatusCode::kMalformed, "antispam.json: " + name + ": expected an object");
    auto fields = section.value().find("fields");
    if (fields != section.value().end()) {
      Status status = ReadStringMap(*fields, name + ".fields", &meanings.fields[name]);
      if (!status.ok()) return status;
    }
    auto values = section.value().find("values");
    if (values == section.value().end()) continue;
    if (!values->is_object())
      return Status(StatusCode::kMalformed,
                    "antispam.json: " + name + ".values: expected an object");
    for (auto field = values->begin(); field != values->end(); ++field) {
      Status status = ReadStringMap(field.value(), name + ".values." + field.key(),
                                    &meanings.values[name][field.key()]);
      if (!status.ok()) return status;
    }
  }
  return meanings;
}

const AntispamMeanings& DefaultAntispamMeanings() { return LoadDefault().meanings; }
const Status& DefaultAntispamMeaningsStatus() { return LoadDefault().status; }

AntispamReport DecodeAntispam(const HeaderBlock& block, const AntispamMeanings& meanings,
                              std::vector<std::string>* warnings) {
  AntispamReport report;
  Decoder decoder(meanings, &report);
  for (const HeaderField& field : block.fields) {
    std::string_view name = field.name;
    if (EqualsCaseless(name, "X-Forefront-Antispam-Report") ||
        EqualsCaseless(name, "X-Forefront-Antispam-Report-Untrusted")) {
      decoder.DecodeMicrosoftList(name, field.value, /*only_levels=*/false);
    } else if (EqualsCaseless(name, "X-Microsoft-Antispam") ||
               EqualsCaseless(name, "X-Microsoft-Antispam-Untrusted")) {
      decoder.DecodeMicrosoftList(name, field.value, /*only_levels=*/true);
    } else if (EqualsCaseless(name, "X-MS-Exchange-Organization-SCL")) {
      int scl = 0;
      if (ParseSmallInt(field.value, &scl)) {
        decoder.Add(name, kForefront, "SCL", Trim(field.value));
        report.scl = scl;
      } else if (warnings != nullptr) {
        warnings->push_back("antispam: " + std::string(name) + ": \"" + Printable(field.value, 40) +
                            "\" is not a number");
      }
    } else if (EqualsCaseless(name, "X-Spam-Status")) {
      decoder.DecodeSpamStatus(name, field.value);
    } else if (EqualsCaseless(name, "X-Spam-Flag")) {
      decoder.Add(name, kSpamAssassin, "flag", field.value);
      if (report.spamassassin_verdict.empty())
        report.spamassassin_verdict = ToLower(Trim(field.value));
    } else if (EqualsCaseless(name, "X-Spam-Score")) {
      decoder.Add(name, kSpamAssassin, "score", field.value);
      if (report.spamassassin_score.empty())
        report.spamassassin_score = std::string(Trim(field.value));
    } else if (EqualsCaseless(name, "X-Spam-Level")) {
      decoder.Add(name, kSpamAssassin, "level", field.value);
    }
  }
  return report;
}

AntispamReport DecodeAntispam(const HeaderBlock& block, std::vector<std::string>* warnings) {
  if (warnings != nullptr && !DefaultAntispamMeaningsStatus().ok())
    warnings->push_back("antispam: " + DefaultAntispamMeaningsStatus().message());
  return DecodeAntispam(block, DefaultAntispamMeanings(), warnings);
}

}  // namespace bouncedx::mail
