// SPDX-License-Identifier: MIT
#include "core/engine/host_json.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "core/base/base64.h"
#include "core/base/text.h"
#include "core/dns/types.h"
#include "core/report/json_writer.h"

namespace bouncedx {
namespace {

using Json = nlohmann::json;

// Longest field name quoted back in a warning.
constexpr size_t kMaxQuotedFieldBytes = 40;
// A Spamhaus DQS key is a short token of letters and digits; it becomes the
// first label of a DNS name, so it must fit a label (RFC 1035 §2.3.4: 63).
constexpr size_t kMaxDqsKeyBytes = 63;

struct FailureKindEntry {
  FailureKind kind;
  const char* name;
};
constexpr FailureKindEntry kFailureKinds[] = {
    {FailureKind::kTimeout, "timeout"},          {FailureKind::kNetwork, "network"},
    {FailureKind::kHttpStatus, "http_status"},   {FailureKind::kRefused, "refused"},
    {FailureKind::kBadResponse, "bad_response"}, {FailureKind::kCancelled, "cancelled"},
};

void Warn(std::vector<std::string>* warnings, std::string text) {
  if (warnings != nullptr) warnings->push_back(std::move(text));
}

const char* JsonTypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    default:
      return "an unknown value";
  }
}

void WarnType(std::vector<std::string>* warnings, const char* field, const char* expected,
              const Json& value) {
  Warn(warnings, std::string("options: ") + field + ": expected " + expected + ", got " +
                     JsonTypeName(value) + "; default kept");
}

// Reads "now_unix". Whole seconds; a fraction is cut, as the header says.
void ReadNowUnix(const Json& value, Options* options, std::vector<std::string>* warnings) {
  if (value.is_number_unsigned()) {
    const uint64_t seconds = value.get<uint64_t>();
    if (seconds > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      Warn(warnings, "options: now_unix: out of range; default kept");
      return;
    }
    options->now_unix = static_cast<int64_t>(seconds);
  } else if (value.is_number_integer()) {
    const int64_t seconds = value.get<int64_t>();
    if (seconds < 0) {
      Warn(warnings, "options: now_unix: negative; default kept");
      return;
    }
    options->now_unix = seconds;
  } else if (value.is_number_float()) {
    const double seconds = value.get<double>();
    // 2^63 is exactly representable; anything at or above it does not fit.
    if (!std::isfinite(seconds) || seconds < 0 || seconds >= 9223372036854775808.0) {
      Warn(warnings, "options: now_unix: out of range; default kept");
      return;
    }
    options->now_unix = static_cast<int64_t>(seconds);
  } else {
    WarnType(warnings, "now_unix", "a number", value);
  }
}

void ReadDqsKey(const Json& value, Options* options, std::vector<std::string>* warnings) {
  if (!value.is_string()) {
    WarnType(warnings, "spamhaus_dqs_key", "a string", value);
    return;
  }
  const std::string& key = value.get_ref<const std::string&>();
  if (key.size() > kMaxDqsKeyBytes) {
    Warn(warnings, "options: spamhaus_dqs_key: longer than 63 bytes; default kept");
    return;
  }
  for (char c : key) {
    if (!IsAlnum(c)) {
      Warn(warnings, "options: spamhaus_dqs_key: only letters and digits allowed; default kept");
      return;
    }
  }
  options->spamhaus_dqs_key = key;
}

// The mnemonic of an RR type, or its RFC 3597 §5 generic form "TYPE<n>".
std::string TypeName(uint16_t type) {
  const std::string_view name = dns::RrTypeName(type);
  if (name == "unknown") return "TYPE" + std::to_string(type);
  return std::string(name);
}

}  // namespace

const char* FailureKindName(FailureKind kind) {
  for (const FailureKindEntry& entry : kFailureKinds) {
    if (entry.kind == kind) return entry.name;
  }
  return "unknown";
}

bool FailureKindFromName(std::string_view name, FailureKind* kind) {
  for (const FailureKindEntry& entry : kFailureKinds) {
    if (name == entry.name) {
      *kind = entry.kind;
      return true;
    }
  }
  return false;
}

Options OptionsFromJson(std::string_view json, std::vector<std::string>* warnings) {
  Options options;
  if (Trim(json).empty()) return options;
  // Non-throwing parse: malformed text yields a "discarded" value.
  const Json root = Json::parse(json.begin(), json.end(), /*cb=*/nullptr,
                                /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    Warn(warnings, "options: not valid JSON; defaults kept");
    return options;
  }
  if (!root.is_object()) {
    Warn(warnings,
         std::string("options: expected an object, got ") + JsonTypeName(root) + "; defaults kept");
    return options;
  }
  for (const auto& item : root.items()) {
    const std::string& key = item.key();
    const Json& value = item.value();
    if (key == "now_unix") {
      ReadNowUnix(value, &options, warnings);
    } else if (key == "dns_checks") {
      if (value.is_boolean()) {
        options.dns_checks = value.get<bool>();
      } else {
        WarnType(warnings, "dns_checks", "a boolean", value);
      }
    } else if (key == "spamhaus_dqs_key") {
      ReadDqsKey(value, &options, warnings);
    } else {
      Warn(warnings,
           "options: unknown field \"" + Printable(key, kMaxQuotedFieldBytes) + "\" ignored");
    }
  }
  return options;
}

std::string QuestionsToJson(const std::vector<Question>& questions) {
  // Keys in the documented order, which is easier to read in a log; invalid
  // UTF-8 in a name becomes U+FFFD.
  std::string out;
  JsonWriter json(&out);
  json.BeginArray();
  for (const Question& question : questions) {
    json.BeginObject();
    json.Key("id");
    json.Uint(question.id);
    json.Key("name");
    json.String(question.name);
    json.Key("type");
    json.Uint(question.type);
    json.Key("type_name");
    json.String(TypeName(question.type));
    json.Key("dns");
    json.String(Base64UrlEncode(question.wire));
    json.EndObject();
  }
  json.EndArray();
  return out;
}

std::string StringsToJson(const std::vector<std::string>& texts) {
  std::string out;
  JsonWriter json(&out);
  json.BeginArray();
  for (const std::string& text : texts) json.String(text);
  json.EndArray();
  return out;
}

}  // namespace bouncedx
