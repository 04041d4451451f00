// SPDX-License-Identifier: MIT
// Runs every fixture bounce of tests/fixtures/bounces/ through the engine
// (offline: no DNS) and compares the verdict with expected.json: cause,
// class, severity, the rejecting provider, the reporting MTA, the failed
// recipients with their codes, and the sending IP where the bounce shows it.
// The expectations say what a senior mail administrator would conclude, not
// what the engine happens to say today; tests/fixtures/bounces/README.md
// documents the fields and the groups.
//
// Every mismatch of every fixture is collected and printed as one table,
// then each mismatching fixture fails once, so a run shows the whole gap.

#ifndef JSON_NOEXCEPTION
#define JSON_NOEXCEPTION 1
#endif

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/engine/diagnosis.h"
#include "core/engine/options.h"
#include "core/report/report.h"

namespace bouncedx {
namespace {

using Json = nlohmann::json;

constexpr const char kFixtureDir[] = BOUNCEDX_SOURCE_DIR "/tests/fixtures/bounces";

// The least number of fixtures the suite must see (the task asks for 160).
constexpr size_t kMinFixtures = 160;

struct ExpectedRecipient {
  std::string address;      // "" matches a recipient the bounce names no address for
  int reply_code = -1;      // -1: not checked; 0: no reply code expected
  bool check_enhanced = false;
  std::string enhanced_code;
  std::string action;       // "" when not checked
};

struct Expected {
  std::string file;
  std::string cause_id;
  std::string cause_class;
  std::string severity;
  std::string provider_id;
  bool check_reporter = false;
  std::string reporter_id;
  std::vector<ExpectedRecipient> recipients;
  std::string sending_ip;   // "" when not checked
};

struct Mismatch {
  std::string file;
  std::string field;
  std::string expected;
  std::string got;
};

bool ReadWholeFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return !in.bad();
}

std::string StringField(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return text;
}

// Reads expected.json; returns false (with `error`) when it is not usable.
bool LoadExpectations(std::vector<Expected>* out, std::string* error) {
  std::string text;
  if (!ReadWholeFile(std::string(kFixtureDir) + "/expected.json", &text)) {
    *error = "cannot read expected.json";
    return false;
  }
  Json root = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    *error = "expected.json is not valid JSON";
    return false;
  }
  auto fixtures = root.find("fixtures");
  if (fixtures == root.end() || !fixtures->is_array()) {
    *error = "expected.json has no \"fixtures\" array";
    return false;
  }
  for (const Json& item : *fixtures) {
    if (!item.is_object()) continue;
    Expected expected;
    expected.file = StringField(item, "file");
    expected.cause_id = StringField(item, "cause_id");
    expected.cause_class = StringField(item, "cause_class");
    expected.severity = StringField(item, "severity");
    expected.provider_id = StringField(item, "provider_id");
    if (item.contains("reporter_id")) {
      expected.check_reporter = true;
      expected.reporter_id = StringField(item, "reporter_id");
    }
    expected.sending_ip = StringField(item, "sending_ip");
    auto recipients = item.find("recipients");
    if (recipients != item.end() && recipients->is_array()) {
      for (const Json& r : *recipients) {
        if (!r.is_object()) continue;
        ExpectedRecipient recipient;
        recipient.address = StringField(r, "address");
        auto code = r.find("reply_code");
        if (code != r.end() && code->is_number_integer()) recipient.reply_code = code->get<int>();
        if (r.contains("enhanced_code")) {
          recipient.check_enhanced = true;
          recipient.enhanced_code = StringField(r, "enhanced_code");
        }
        recipient.action = StringField(r, "action");
        expected.recipients.push_back(recipient);
      }
    }
    out->push_back(expected);
  }
  return true;
}

std::string Describe(const Recipient& recipient) {
  std::string text = recipient.address.empty() ? "(no address)" : recipient.address;
  text += " " + std::to_string(recipient.reply_code);
  text += " " + (recipient.enhanced_code.empty() ? std::string("-") : recipient.enhanced_code);
  if (!recipient.action.empty()) text += " " + recipient.action;
  return text;
}

std::string Describe(const ExpectedRecipient& recipient) {
  std::string text = recipient.address.empty() ? "(no address)" : recipient.address;
  text += " " + (recipient.reply_code < 0 ? std::string("*") : std::to_string(recipient.reply_code));
  text += " " + (!recipient.check_enhanced       ? std::string("*")
                 : recipient.enhanced_code.empty() ? std::string("-")
                                                   : recipient.enhanced_code);
  if (!recipient.action.empty()) text += " " + recipient.action;
  return text;
}

bool Matches(const ExpectedRecipient& want, const Recipient& got) {
  if (want.reply_code >= 0 && want.reply_code != got.reply_code) return false;
  if (want.check_enhanced && want.enhanced_code != got.enhanced_code) return false;
  if (!want.action.empty() && want.action != got.action) return false;
  return true;
}

// Compares one report with its expectation; appends every difference.
void Compare(const Expected& want, const Report& report, std::vector<Mismatch>* out) {
  auto differ = [&](const char* field, const std::string& expected, const std::string& got) {
    if (expected != got) out->push_back({want.file, field, expected, got});
  };
  const Verdict& verdict = report.verdict;
  differ("cause_id", want.cause_id, verdict.cause_id);
  differ("cause_class", want.cause_class, verdict.cause_class);
  differ("severity", want.severity, verdict.severity);
  differ("provider_id", want.provider_id, verdict.provider_id);
  if (want.check_reporter) differ("reporter_id", want.reporter_id, verdict.reporter_id);
  if (!want.sending_ip.empty()) differ("sending_ip", want.sending_ip, report.entities.sending_ip);

  std::string all_got;
  for (const Recipient& recipient : report.recipients) {
    if (!all_got.empty()) all_got += "; ";
    all_got += Describe(recipient);
  }
  if (all_got.empty()) all_got = "(none)";
  std::set<std::string> wanted_addresses;
  for (const ExpectedRecipient& recipient : want.recipients) {
    wanted_addresses.insert(Lower(recipient.address));
    bool found_address = false;
    bool found_match = false;
    for (const Recipient& got : report.recipients) {
      if (Lower(got.address) != Lower(recipient.address)) continue;
      found_address = true;
      if (Matches(recipient, got)) found_match = true;
    }
    if (!found_match) {
      out->push_back({want.file, found_address ? "recipient codes" : "recipient missing",
                      Describe(recipient), all_got});
    }
  }
  if (!want.recipients.empty()) {
    for (const Recipient& got : report.recipients) {
      if (got.address.empty() || wanted_addresses.count(Lower(got.address)) > 0) continue;
      out->push_back({want.file, "recipient extra", "-", Describe(got)});
    }
  }
}

Report Diagnose(const std::string& input) {
  Options options;
  options.dns_checks = false;
  Diagnosis diagnosis(input, options);
  return diagnosis.report();
}

std::string Clip(const std::string& text, size_t width) {
  if (text.size() <= width) return text;
  return text.substr(0, width - 3) + "...";
}

// tests/fixtures/bounces/known_gaps.txt: "<fixture path>  <reason>" per line,
// '#' comments. Returns fixture -> reason.
std::map<std::string, std::string> LoadKnownGaps() {
  std::map<std::string, std::string> gaps;
  std::string text;
  if (!ReadWholeFile(std::string(kFixtureDir) + "/known_gaps.txt", &text)) return gaps;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.find_first_of(" \t");
    std::string file = line.substr(0, space);
    std::string reason = space == std::string::npos ? "" : line.substr(line.find_first_not_of(" \t", space));
    gaps[file] = reason;
  }
  return gaps;
}

TEST(Fixtures, ExpectedJsonListsEveryFixtureFile) {
  std::vector<Expected> expectations;
  std::string error;
  ASSERT_TRUE(LoadExpectations(&expectations, &error)) << error;
  std::set<std::string> listed;
  for (const Expected& expected : expectations) {
    EXPECT_TRUE(listed.insert(expected.file).second) << "listed twice: " << expected.file;
  }
  std::set<std::string> on_disk;
  std::error_code code;
  namespace fs = std::filesystem;
  for (fs::recursive_directory_iterator it(kFixtureDir, code), end; !code && it != end;
       it.increment(code)) {
    if (!it->is_regular_file(code)) continue;
    std::string extension = it->path().extension().string();
    if (extension != ".eml" && extension != ".txt") continue;
    if (it->path().filename() == "known_gaps.txt") continue;  // the ratchet list, not a fixture
    on_disk.insert(fs::relative(it->path(), kFixtureDir, code).generic_string());
  }
  ASSERT_FALSE(code) << "cannot list " << kFixtureDir << ": " << code.message();
  for (const std::string& file : on_disk) {
    EXPECT_EQ(listed.count(file), 1u) << "fixture without an expectation: " << file;
  }
  for (const std::string& file : listed) {
    EXPECT_EQ(on_disk.count(file), 1u) << "expectation without a fixture: " << file;
  }
  EXPECT_GE(on_disk.size(), kMinFixtures);
}

TEST(Fixtures, EveryExpectationIsComplete) {
  std::vector<Expected> expectations;
  std::string error;
  ASSERT_TRUE(LoadExpectations(&expectations, &error)) << error;
  const std::set<std::string> severities = {"permanent", "transient", "not_a_failure"};
  for (const Expected& expected : expectations) {
    SCOPED_TRACE(expected.file);
    EXPECT_FALSE(expected.cause_id.empty());
    EXPECT_FALSE(expected.cause_class.empty());
    EXPECT_EQ(severities.count(expected.severity), 1u) << expected.severity;
  }
}

TEST(Fixtures, EachBounceGetsTheExpectedVerdict) {
  std::vector<Expected> expectations;
  std::string error;
  ASSERT_TRUE(LoadExpectations(&expectations, &error)) << error;
  ASSERT_GE(expectations.size(), kMinFixtures);

  std::vector<Mismatch> mismatches;
  std::map<std::string, std::vector<Mismatch>> by_file;
  std::map<std::string, std::pair<int, int>> by_group;  // passed, total
  for (const Expected& expected : expectations) {
    std::string input;
    std::string group = expected.file.substr(0, expected.file.find('/'));
    ++by_group[group].second;
    if (!ReadWholeFile(std::string(kFixtureDir) + "/" + expected.file, &input)) {
      by_file[expected.file].push_back({expected.file, "file", "readable", "cannot read"});
      continue;
    }
    std::vector<Mismatch> found;
    Compare(expected, Diagnose(input), &found);
    if (found.empty()) {
      ++by_group[group].first;
    } else {
      by_file[expected.file] = found;
      mismatches.insert(mismatches.end(), found.begin(), found.end());
    }
  }

  // One table for the whole run: what each fixture expects and what it got.
  std::printf("\nfixtures: %zu of %zu match their expectation\n",
              expectations.size() - by_file.size(), expectations.size());
  for (const auto& [group, counts] : by_group) {
    std::printf("  %-14s %3d / %3d\n", group.c_str(), counts.first, counts.second);
  }
  if (!mismatches.empty()) {
    std::printf("\n%-52s %-18s %-40s %s\n", "fixture", "field", "expected", "got");
    for (const Mismatch& m : mismatches) {
      std::printf("%-52s %-18s %-40s %s\n", Clip(m.file, 52).c_str(), m.field.c_str(),
                  Clip(m.expected, 40).c_str(), Clip(m.got, 200).c_str());
    }
    std::printf("\n");
  }

  // Known gaps (tests/fixtures/bounces/known_gaps.txt) are a ratchet: a
  // listed fixture may mismatch, but one that now matches must leave the
  // list, and any other mismatch fails.
  std::map<std::string, std::string> known = LoadKnownGaps();
  std::printf("known gaps: %zu listed\n", known.size());
  for (const auto& [file, found] : by_file) {
    if (known.count(file) > 0) continue;
    SCOPED_TRACE(file);
    std::string summary;
    for (const Mismatch& m : found) {
      summary += "\n  " + m.field + ": expected \"" + m.expected + "\", got \"" + m.got + "\"";
    }
    ADD_FAILURE() << found.size() << " mismatch(es)" << summary;
  }
  for (const auto& [file, reason] : known) {
    EXPECT_EQ(by_file.count(file), 1u)
        << file << " now matches its expectation: remove it from known_gaps.txt";
  }
}

}  // namespace
}  // namespace bouncedx
