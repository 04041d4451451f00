// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_TESTS_CHECKS_FAKE_SINK_H_
#define BOUNCEDX_TESTS_CHECKS_FAKE_SINK_H_

// Drives one CheckMachine alone: the sink records the lookups a check asks,
// and the helpers build the LookupResults a test hands back.
//
//   FakeSink sink;
//   check.Start(sink);
//   ASSERT_EQ(sink.Asked(), "TXT _dmarc.example.com");
//   check.OnLookup(sink.asked[0], TxtAnswer({"v=DMARC1; p=reject"}), sink);

#include <string>
#include <string_view>
#include <vector>

#include "core/checks/check_machine.h"
#include "core/dns/types.h"

namespace bouncedx::testing {

class FakeSink : public LookupSink {
 public:
  void Lookup(CheckMachine*, std::string_view name, uint16_t type) override {
    asked.push_back(LookupKey{std::string(name), type});
  }
  // The lookups so far as "TXT name" joined by ", ".
  std::string Asked() const {
    std::string out;
    for (const LookupKey& key : asked) {
      out += (out.empty() ? "" : ", ") + std::string(dns::RrTypeName(key.type)) + " " + key.name;
    }
    return out;
  }
  std::vector<LookupKey> asked;
};

// A TXT answer owned by `owner`, one record per text (one string each).
inline LookupResult TxtAnswer(const std::string& owner, const std::vector<std::string>& texts) {
  LookupResult result;
  result.answered = true;
  result.answers.kind = dns::AnswerKind::kAnswer;
  result.answers.owner = owner;
  for (const std::string& text : texts) {
    dns::ResourceRecord record;
    record.name = owner;
    record.type = dns::RrType::kTxt;
    record.rr_class = 1;
    record.ttl = 300;
    record.strings = {text};
    record.text = text;
    result.answers.records.push_back(record);
  }
  return result;
}

inline LookupResult Negative(dns::AnswerKind kind) {
  LookupResult result;
  result.answered = true;
  result.answers.kind = kind;
  result.answers.rcode = kind == dns::AnswerKind::kNxDomain ? 3 : 0;
  return result;
}

inline LookupResult NotAnswered(FailureKind kind) {
  LookupResult result;
  result.answered = false;
  result.failure = kind;
  return result;
}

}  // namespace bouncedx::testing

#endif  // BOUNCEDX_TESTS_CHECKS_FAKE_SINK_H_
