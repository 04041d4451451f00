// SPDX-License-Identifier: MIT
// Embind declarations for the page: the engine's Diagnosis, reshaped so that
// only strings, numbers, booleans and byte arrays cross the boundary. No mail
// or DNS logic lives here; every decision is in core/.
//
// From JavaScript (ES module output, see wasm/CMakeLists.txt):
//
//   import createBouncedx from './gen/bouncedx_wasm.js';
//   const bx = await createBouncedx();
//   const input = new TextEncoder().encode(pastedText);   // Uint8Array
//   const diagnosis = new bx.Diagnosis(input, JSON.stringify({now_unix: ...}));
//   try {
//     for (const q of JSON.parse(diagnosis.takeQuestionsJson())) {
//       // fetch `?dns=${q.dns}`; then one of:
//       diagnosis.onAnswer(q.id, new Uint8Array(await response.arrayBuffer()));
//       diagnosis.onFailure(q.id, 'timeout', 'no answer in 5 s');
//     }
//     const report = JSON.parse(diagnosis.reportJson());
//   } finally {
//     diagnosis.delete();   // Embind objects are not garbage-collected
//   }
//
// Bytes in: parameters typed std::string accept a Uint8Array (copied byte for
// byte, exactly the bytes the page holds, so evidence offsets index them), an
// ArrayBuffer, or a JS string (then encoded as UTF-8 by Embind). Text out:
// std::string results are decoded from UTF-8 into JS strings; everything
// returned is JSON written by core/, which is valid UTF-8. Nothing returned
// is a view into the WebAssembly heap.

#include <emscripten/bind.h>

#include <string>
#include <vector>

#include "core/engine/diagnosis.h"
#include "core/engine/host_json.h"
#include "core/engine/options.h"
#include "core/engine/question.h"
#include "core/report/redact.h"
#include "core/report/report_json.h"
#include "core/report/report_markdown.h"
#include "core/report/report_text.h"

namespace bouncedx {
namespace {

// The Diagnosis as JavaScript sees it. Holds the warnings about the options
// JSON next to the engine, since Options itself has no place for them.
class DiagnosisForJs {
 public:
  DiagnosisForJs(const std::string& input, const std::string& options_json)
      : diagnosis_(input, OptionsFromJson(options_json, &option_warnings_)) {}

  // Neither copyable nor movable: Embind owns it through a pointer, and
  // Diagnosis itself is neither.
  DiagnosisForJs(const DiagnosisForJs&) = delete;
  DiagnosisForJs& operator=(const DiagnosisForJs&) = delete;

  std::string TakeQuestionsJson() { return QuestionsToJson(diagnosis_.TakeQuestions()); }

  void OnAnswer(QuestionId id, const std::string& wire) { diagnosis_.OnAnswer(id, wire); }

  // Returns false when `kind_name` is not one FailureKindFromName() knows;
  // the failure is still delivered, as kBadResponse, so that the question
  // does not stay open and keep the diagnosis from finishing.
  bool OnFailure(QuestionId id, const std::string& kind_name, const std::string& detail) {
    FailureKind kind = FailureKind::kBadResponse;
    const bool known = FailureKindFromName(kind_name, &kind);
    diagnosis_.OnFailure(id, kind, detail);
    return known;
  }

  bool finished() const { return diagnosis_.finished(); }

  std::string ReportJson() const { return ReportToJson(diagnosis_.report()); }

  // The report for a ticket (Markdown) and as plain text.
  std::string ReportMarkdown() const { return ReportToMarkdown(diagnosis_.report()); }
  std::string ReportText() const { return ReportToText(diagnosis_.report()); }

  // The options warnings as a JSON array of strings ("[]" when none).
  std::string OptionWarningsJson() const { return StringsToJson(option_warnings_); }

 private:
  // Declared before diagnosis_: the constructor fills it while building
  // diagnosis_'s Options.
  std::vector<std::string> option_warnings_;
  Diagnosis diagnosis_;
};

std::string Version() { return BOUNCEDX_VERSION; }

// The input redacted for a share link, as the JSON RedactToJson() writes.
std::string RedactForJs(const std::string& input, const std::string& options_json) {
  return RedactToJson(input, options_json);
}

}  // namespace
}  // namespace bouncedx

EMSCRIPTEN_BINDINGS(bouncedx) {
  using bouncedx::DiagnosisForJs;
  emscripten::function("version", &bouncedx::Version);
  emscripten::function("redact", &bouncedx::RedactForJs);
  emscripten::class_<DiagnosisForJs>("Diagnosis")
      .constructor<const std::string&, const std::string&>()
      .function("takeQuestionsJson", &DiagnosisForJs::TakeQuestionsJson)
      .function("onAnswer", &DiagnosisForJs::OnAnswer)
      .function("onFailure", &DiagnosisForJs::OnFailure)
      .function("finished", &DiagnosisForJs::finished)
      .function("reportJson", &DiagnosisForJs::ReportJson)
      .function("reportMarkdown", &DiagnosisForJs::ReportMarkdown)
      .function("reportText", &DiagnosisForJs::ReportText)
      .function("optionWarningsJson", &DiagnosisForJs::OptionWarningsJson);
}
