// SPDX-License-Identifier: MIT
#include "tests/testing/fake_zone.h"

#include "core/base/text.h"
#include "core/dns/types.h"
#include "tests/testing/dns_packet_builder.h"

namespace bouncedx::testing {

namespace {
using Builder = DnsPacketBuilder;
}  // namespace

void FakeZone::AddA(const std::string& name, const std::string& address) {
  records_[ToLower(name)].push_back({dns::RrType::kA, Builder::A(address)});
}
void FakeZone::AddAaaa(const std::string& name, const std::string& address) {
  records_[ToLower(name)].push_back({dns::RrType::kAaaa, Builder::Aaaa(address)});
}
void FakeZone::AddPtr(const std::string& name, const std::string& target) {
  records_[ToLower(name)].push_back({dns::RrType::kPtr, Builder::Name(target)});
}
void FakeZone::AddMx(const std::string& name, uint16_t preference, const std::string& exchange) {
  records_[ToLower(name)].push_back({dns::RrType::kMx, Builder::Mx(preference, Builder::Name(exchange))});
}
void FakeZone::AddTxt(const std::string& name, const std::vector<std::string>& strings) {
  records_[ToLower(name)].push_back({dns::RrType::kTxt, Builder::Txt(strings)});
}
void FakeZone::AddCname(const std::string& name, const std::string& target) {
  records_[ToLower(name)].push_back({dns::RrType::kCname, Builder::Name(target)});
}
void FakeZone::Fail(const std::string& name, uint16_t type, FailureKind kind) {
  failures_[{ToLower(name), type}] = kind;
}
void FakeZone::SetRcode(const std::string& name, uint16_t type, uint8_t rcode) {
  rcodes_[{ToLower(name), type}] = rcode;
}
void FakeZone::Mismatch(const std::string& name, uint16_t type) {
  mismatches_[{ToLower(name), type}] = true;
}

void FakeZone::Answer(Diagnosis& diagnosis, const Question& question) const {
  std::string name = ToLower(question.name);
  asked_.push_back(std::string(dns::RrTypeName(question.type)) + " " + name);
  auto key = std::make_pair(name, question.type);
  auto failure = failures_.find(key);
  if (failure != failures_.end()) {
    diagnosis.OnFailure(question.id, failure->second, "fake failure");
    return;
  }
  DnsHeaderFields header;
  header.qr = true;
  header.rd = true;
  header.ra = true;
  Builder builder(header);
  std::string echoed = mismatches_.count(key) > 0 ? "other." + name : name;
  builder.AddQuestion(Builder::Name(echoed), question.type);
  auto rcode = rcodes_.find(key);
  if (rcode != rcodes_.end()) {
    builder.header().rcode = rcode->second;
  } else {
    // Follow CNAMEs inside the zone, as a recursive resolver would.
    std::string current = name;
    for (int hops = 0; hops < 16; ++hops) {
      auto found = records_.find(current);
      if (found == records_.end()) {
        if (hops == 0) builder.header().rcode = dns::Rcode::kNxDomain;
        break;
      }
      std::string next;
      for (const Rr& rr : found->second) {
        if (rr.type == question.type) {
          builder.AddRecord(Section::kAnswer, Builder::Name(current), rr.type, 300, rr.rdata);
        } else if (rr.type == dns::RrType::kCname) {
          builder.AddRecord(Section::kAnswer, Builder::Name(current), rr.type, 300, rr.rdata);
          // Decode the target back from wire labels.
          std::string target;
          for (size_t i = 0; i < rr.rdata.size();) {
            size_t length = static_cast<unsigned char>(rr.rdata[i]);
            if (length == 0) break;
            if (!target.empty()) target.push_back('.');
            target.append(rr.rdata, i + 1, length);
            i += length + 1;
          }
          next = target;
        }
      }
      if (next.empty()) break;
      current = next;
    }
  }
  diagnosis.OnAnswer(question.id, builder.Build());
}

bool Drive(Diagnosis& diagnosis, const FakeZone& zone, int max_rounds) {
  for (int round = 0; round < max_rounds; ++round) {
    std::vector<Question> questions = diagnosis.TakeQuestions();
    if (questions.empty() && diagnosis.finished()) return true;
    for (const Question& question : questions) zone.Answer(diagnosis, question);
  }
  return diagnosis.finished();
}

}  // namespace bouncedx::testing
