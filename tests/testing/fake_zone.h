// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_TESTS_TESTING_FAKE_ZONE_H_
#define BOUNCEDX_TESTS_TESTING_FAKE_ZONE_H_

// Records for engine tests, answered as real DNS wire messages. A name that
// is absent answers NXDOMAIN; a name present with other types answers
// NODATA; failures and odd rcodes can be set per question.
//
//   FakeZone zone;
//   zone.AddPtr("5.113.0.203.in-addr.arpa", "mail.example.com");
//   zone.AddA("mail.example.com", "203.0.113.5");
//   Diagnosis d(text, options);
//   ASSERT_TRUE(Drive(d, zone, 20));

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/engine/diagnosis.h"

namespace bouncedx::testing {

class FakeZone {
 public:
  void AddA(const std::string& name, const std::string& address);
  void AddAaaa(const std::string& name, const std::string& address);
  void AddPtr(const std::string& name, const std::string& target);
  void AddMx(const std::string& name, uint16_t preference, const std::string& exchange);
  void AddTxt(const std::string& name, const std::vector<std::string>& strings);
  void AddCname(const std::string& name, const std::string& target);
  // The question gets no answer at all but this failure.
  void Fail(const std::string& name, uint16_t type, FailureKind kind);
  // The question is answered with this rcode (SERVFAIL 2, REFUSED 5).
  void SetRcode(const std::string& name, uint16_t type, uint8_t rcode);
  // The answer echoes another name in its question section.
  void Mismatch(const std::string& name, uint16_t type);

  // Feeds `diagnosis` one answer (or failure) per question it asks.
  void Answer(Diagnosis& diagnosis, const Question& question) const;

  // Every question asked so far, as "TYPE name".
  const std::vector<std::string>& asked() const { return asked_; }

 private:
  struct Rr {
    uint16_t type;
    std::string rdata;  // wire form
  };
  std::map<std::string, std::vector<Rr>> records_;
  std::map<std::pair<std::string, uint16_t>, FailureKind> failures_;
  std::map<std::pair<std::string, uint16_t>, uint8_t> rcodes_;
  std::map<std::pair<std::string, uint16_t>, bool> mismatches_;
  mutable std::vector<std::string> asked_;
};

// Runs the host loop of diagnosis.h against `zone` for at most `max_rounds`
// rounds. Returns false if the diagnosis never finished (a bug).
bool Drive(Diagnosis& diagnosis, const FakeZone& zone, int max_rounds);

}  // namespace bouncedx::testing

#endif  // BOUNCEDX_TESTS_TESTING_FAKE_ZONE_H_
