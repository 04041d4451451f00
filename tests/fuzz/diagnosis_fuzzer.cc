// SPDX-License-Identifier: MIT
// Fuzzes the whole engine: any bytes as the pasted input, and, with DNS
// checks on, any bytes as the answers to its questions. Checks what the page
// and the CLI rely on: it never crashes or loops, every question ends
// (answered or failed), the verdict names a cause, and the Report JSON is
// valid UTF-8 that parses.
//
// Layout of a fuzz input: byte 0 holds flags (bit 0: DNS checks on); with
// DNS, byte 1 says how much of the rest is the pasted text (in 1/256ths)
// and the remainder feeds the answers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/text.h"
#include "core/engine/diagnosis.h"
#include "core/report/report_json.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

// Takes bytes from the answer material, in turn.
class Material {
 public:
  explicit Material(std::string_view bytes) : bytes_(bytes) {}
  uint8_t Byte() { return bytes_.empty() ? 0 : static_cast<uint8_t>(bytes_[(next_++) % bytes_.size()]); }
  std::string_view Chunk(size_t length) {
    if (bytes_.empty()) return {};
    const size_t start = (next_ * 7) % bytes_.size();
    next_ += length;
    return bytes_.substr(start, length);
  }

 private:
  std::string_view bytes_;
  size_t next_ = 0;
};

// A response to `query` (a DNS message with one question): its header with
// QR set, `answers` records announced, its question, then `tail`.
std::string ResponseTo(const std::string& query, uint8_t answers, uint8_t rcode,
                       std::string_view tail) {
  if (query.size() < 12) return query;
  size_t end = 12;
  while (end < query.size() && query[end] != 0) end += 1 + static_cast<uint8_t>(query[end]);
  end = std::min(query.size(), end + 5);  // the root label, type and class
  std::string response = query.substr(0, end);
  response[2] = static_cast<char>(static_cast<uint8_t>(response[2]) | 0x80);     // QR
  response[3] = static_cast<char>(0x80 | (rcode & 0x0F));                      // RA, rcode
  response[6] = 0;
  response[7] = static_cast<char>(answers);
  for (size_t i = 8; i < 12; ++i) response[i] = 0;  // no authority, no additional
  response.append(tail);
  return response;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool dns = (data[0] & 1) != 0;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string_view text = rest;
  std::string_view answers;
  if (dns && !rest.empty()) {
    const size_t cut = (rest.size() - 1) * static_cast<uint8_t>(rest[0]) / 255;
    text = rest.substr(1, cut);
    answers = rest.substr(1 + cut);
  }

  bouncedx::Options options;
  options.now_unix = 1700000000;
  options.dns_checks = dns;
  bouncedx::Diagnosis diagnosis(text, options);
  Material material(answers);
  // Every question gets an answer or a failure; the engine must then finish.
  for (int round = 0; round < 64 && !diagnosis.finished(); ++round) {
    std::vector<bouncedx::Question> questions = diagnosis.TakeQuestions();
    Check(!questions.empty());  // unfinished with nothing out would hang a host
    for (const bouncedx::Question& question : questions) {
      const uint8_t choice = material.Byte();
      if (choice % 5 == 0) {
        diagnosis.OnFailure(question.id, static_cast<bouncedx::FailureKind>(choice % 6), "fuzz");
      } else {
        diagnosis.OnAnswer(question.id, ResponseTo(question.wire, material.Byte() % 4,
                                                   choice % 3 == 0 ? 3 : 0,
                                                   material.Chunk(material.Byte())));
      }
    }
  }
  Check(diagnosis.finished());
  const bouncedx::Report& report = diagnosis.report();
  Check(!report.verdict.cause_id.empty());
  const std::string json = bouncedx::ReportToJson(report);
  Check(bouncedx::IsValidUtf8(json));
  Check(nlohmann::json::accept(json));
  return 0;
}
