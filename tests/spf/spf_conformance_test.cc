// SPDX-License-Identifier: MIT
// Runs the OpenSPF RFC 7208 conformance suite (tests/conformance/spf/) through
// SpfEvaluator. Each scenario's zonedata becomes a fake DNS that answers the
// evaluator's lookups; each case must give one of its accepted results and,
// when the suite names one, the explanation.

#include <cstddef>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/base/limits.h"
#include "core/base/text.h"
#include "core/checks/spf/evaluator.h"
#include "gtest/gtest.h"
#include "tests/spf/spf_driver.h"
#include "tests/spf/yaml_subset.h"

namespace bouncedx::spf {
namespace {

using testing_yaml::ParseYamlDocuments;
using testing_yaml::YamlNode;

constexpr size_t kExpectedCases = 203;
constexpr size_t kMaxCnameSteps = 8;

// One entry of a name's list in zonedata.
struct ZoneEntry {
  std::string type;                  // "A", "TXT", ...; "TIMEOUT" for a bare TIMEOUT
  std::vector<std::string> strings;  // the value (TXT/SPF: its strings; MX: [pref, name])
  bool timeout = false;              // "TYPE: TIMEOUT"
  bool none = false;                 // "TXT: NONE"
};

using Zone = std::map<std::string, std::vector<ZoneEntry>>;

std::string NormalName(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return ToLower(name);
}

Zone ReadZone(const YamlNode& zonedata) {
  Zone zone;
  for (size_t i = 0; i < zonedata.keys.size(); ++i) {
    std::vector<ZoneEntry>& entries = zone[NormalName(zonedata.keys[i])];
    for (const YamlNode& item : zonedata.items[i].items) {
      ZoneEntry entry;
      if (item.is_scalar()) {
        entry.type = item.scalar;  // "TIMEOUT"
      } else if (item.is_map() && !item.keys.empty()) {
        entry.type = item.keys[0];
        const YamlNode& value = item.items[0];
        if (value.is_list()) {
          for (const YamlNode& part : value.items) entry.strings.push_back(part.scalar);
        } else {
          entry.strings.push_back(value.scalar);
          entry.timeout = value.scalar == "TIMEOUT";
          entry.none = value.scalar == "NONE";
        }
      }
      entries.push_back(std::move(entry));
    }
  }
  return zone;
}

std::string Join(const std::vector<std::string>& strings) {
  std::string joined;
  for (const std::string& part : strings) joined += part;
  return joined;
}

// Answers one lookup from `zone` following the suite's conventions.
DnsLookup Resolve(const Zone& zone, const SpfLookup& lookup) {
  const std::string type = LookupTypeName(lookup.type);
  std::string name = NormalName(lookup.name);
  for (size_t step = 0; step <= kMaxCnameSteps; ++step) {
    auto found = zone.find(name);
    if (found == zone.end()) return {DnsOutcome::kNxDomain, {}};
    bool has_txt = false;
    for (const ZoneEntry& entry : found->second) has_txt = has_txt || entry.type == "TXT";
    DnsLookup answer;
    std::string cname;
    for (const ZoneEntry& entry : found->second) {
      if (entry.type == "TIMEOUT") {
        if (answer.records.empty()) return {DnsOutcome::kTimeout, {}};
        break;
      }
      std::string entry_type = entry.type;
      // SPF records stand in for TXT ones where a name has no TXT entry.
      if (entry_type == "SPF" && lookup.type == LookupType::kTxt && !has_txt) entry_type = "TXT";
      if (entry_type == "CNAME" && !entry.strings.empty()) cname = entry.strings[0];
      if (entry_type != type) continue;
      if (entry.timeout) return {DnsOutcome::kTimeout, {}};
      if (entry.none) continue;
      if (lookup.type == LookupType::kTxt) {
        answer.records.push_back(Join(entry.strings));
      } else if (lookup.type == LookupType::kMx) {
        if (entry.strings.size() == 2) answer.records.push_back(entry.strings[1]);
      } else if (!entry.strings.empty()) {
        answer.records.push_back(entry.strings[0]);
      }
    }
    if (!answer.records.empty() || cname.empty()) return answer;
    name = NormalName(cname);
  }
  return {DnsOutcome::kError, {}};  // a CNAME loop
}

std::string ScalarOf(const YamlNode& test, std::string_view key) {
  const YamlNode* node = test.Find(key);
  return node != nullptr && node->is_scalar() ? node->scalar : std::string();
}

TEST(SpfConformance, PassesTheRfc7208Suite) {
  std::string path = std::string(BOUNCEDX_SOURCE_DIR) + "/tests/conformance/spf/rfc7208-tests.yml";
  std::ifstream file(path, std::ios::binary);
  ASSERT_TRUE(file.good()) << "cannot read " << path;
  std::stringstream buffer;
  buffer << file.rdbuf();
  std::vector<YamlNode> scenarios = ParseYamlDocuments(buffer.str());
  ASSERT_EQ(scenarios.size(), 16u);

  size_t cases = 0;
  size_t passed = 0;
  std::vector<std::string> failures;
  for (const YamlNode& scenario : scenarios) {
    const YamlNode* tests = scenario.Find("tests");
    const YamlNode* zonedata = scenario.Find("zonedata");
    ASSERT_NE(tests, nullptr);
    ASSERT_NE(zonedata, nullptr);
    Zone zone = ReadZone(*zonedata);
    for (size_t i = 0; i < tests->keys.size(); ++i) {
      const std::string& name = tests->keys[i];
      const YamlNode& test = tests->items[i];
      SCOPED_TRACE(name);
      ++cases;
      SpfInput input;
      input.ip = ScalarOf(test, "host");
      input.sender = ScalarOf(test, "mailfrom");
      input.helo = ScalarOf(test, "helo");
      input.receiver = "receiver.example.net";
      input.now_unix = 1700000000;
      input.default_explanation = "DEFAULT";
      std::vector<std::string> accepted;
      const YamlNode* result = test.Find("result");
      ASSERT_NE(result, nullptr);
      if (result->is_list()) {
        for (const YamlNode& item : result->items) accepted.push_back(item.scalar);
      } else {
        accepted.push_back(result->scalar);
      }
      const YamlNode* explanation = test.Find("explanation");

      SpfEvaluator evaluator(input, Limits());
      ASSERT_TRUE(Drive(
          evaluator, [&](const SpfLookup& lookup) { return Resolve(zone, lookup); },
          /*max_rounds=*/200));
      const SpfOutcome& outcome = evaluator.outcome();
      std::string got = SpfResultName(outcome.result);
      bool ok = false;
      for (const std::string& want : accepted) ok = ok || want == got;
      if (explanation != nullptr && outcome.explanation != explanation->scalar) ok = false;
      EXPECT_TRUE(ok) << "result " << got << " (" << outcome.reason << "), explanation \""
                      << outcome.explanation << "\"; want " << accepted[0]
                      << (explanation != nullptr ? ", explanation \"" + explanation->scalar + "\""
                                                 : "");
      if (ok) {
        ++passed;
      } else {
        failures.push_back(name);
      }
    }
  }
  EXPECT_EQ(cases, kExpectedCases);
  std::cout << "spf conformance: " << passed << "/" << cases << " cases pass";
  for (const std::string& failure : failures) std::cout << " " << failure;
  std::cout << "\n";
}

}  // namespace
}  // namespace bouncedx::spf
