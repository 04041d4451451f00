// SPDX-License-Identifier: MIT
// Fuzz target for the DNS codec: a response as it would arrive from a
// resolver, through everything the engine does with one. The first byte picks
// the question the "engine" asked, so validation and CNAME following see
// both matching and mismatching questions; the rest is the message.
//
// Besides crashes and sanitizer reports, the target checks invariants that
// hold for every input: names and record texts are printable ASCII, error
// and detail texts are safe to show (valid UTF-8, no control characters; they
// may end in "…" when cut), and a name the parser produced always re-encodes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/base/limits.h"
#include "core/base/text.h"
#include "core/dns/answer.h"
#include "core/dns/message.h"
#include "core/dns/name.h"
#include "core/dns/types.h"

namespace {

using bouncedx::Limits;
using bouncedx::Result;
namespace dns = bouncedx::dns;

void Check(bool condition) {
  if (!condition) std::abort();
}

bool IsPrintableAscii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

bool IsSafeText(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return bouncedx::IsValidUtf8(text);
}

void CheckName(const std::string& name) {
  Check(IsPrintableAscii(name));
  Check(dns::EncodeName(name).ok());
}

void CheckRecords(const std::vector<dns::ResourceRecord>& records) {
  for (const dns::ResourceRecord& rr : records) {
    CheckName(rr.name);
    Check(IsPrintableAscii(dns::RdataToText(rr)));
    if (!rr.target.empty()) CheckName(rr.target);
    (void)dns::RrTypeName(rr.type);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view wire(reinterpret_cast<const char*>(data) + 1, size - 1);
  Result<dns::Message> message = dns::ParseMessage(wire, Limits());
  if (!message.ok()) {
    Check(IsSafeText(message.status().message()));
    return 0;
  }
  for (const dns::QuestionEntry& question : message->questions) CheckName(question.name);
  CheckRecords(message->answers);
  CheckRecords(message->authority);
  CheckRecords(message->additional);

  // Ask about the echoed question when there is one (the common case), or
  // about a fixed name, with a type picked by the first byte.
  static const uint16_t kTypes[] = {dns::RrType::kA,   dns::RrType::kAaaa, dns::RrType::kMx,
                                    dns::RrType::kTxt, dns::RrType::kPtr,  dns::RrType::kCname,
                                    dns::RrType::kNs,  dns::RrType::kSoa};
  const uint16_t qtype = kTypes[data[0] % 8];
  const std::string qname = (data[0] & 0x80) != 0 && !message->questions.empty()
                                ? message->questions.front().name
                                : std::string("example.com");
  Check(IsSafeText(dns::ValidateResponse(*message, qname, qtype).message()));
  const dns::AnswerSet set = dns::ExtractAnswers(*message, qname, qtype, Limits().max_cname_chain);
  Check(set.chain.size() <= Limits().max_cname_chain);
  Check(IsSafeText(set.detail));
  for (const dns::ResourceRecord& rr : set.records) Check(rr.type == qtype);
  return 0;
}
