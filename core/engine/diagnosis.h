// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_ENGINE_DIAGNOSIS_H_
#define BOUNCEDX_CORE_ENGINE_DIAGNOSIS_H_

// Diagnosis: the sans-I/O state machine that turns one pasted input into a
// Report. It parses and classifies in the constructor (the offline verdict
// is ready at once), then asks DNS questions and refines the report with the
// answers it is handed. It never blocks, reads a clock or touches a socket.
//
// A host drives it like this:
//
//   Diagnosis diagnosis(text, options);
//   while (!diagnosis.finished()) {
//     for (const Question& q : diagnosis.TakeQuestions()) {
//       Send(q.wire, [&](std::string_view response) {
//         diagnosis.OnAnswer(q.id, response);
//       }, [&](FailureKind kind, std::string_view why) {
//         diagnosis.OnFailure(q.id, kind, why);
//       });
//     }
//     WaitForSomeAnswers();
//   }
//   Render(diagnosis.report());
//
// Every question taken must eventually receive exactly one OnAnswer() or
// OnFailure(); extra or unknown ids are ignored (and noted in the report).

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/checks/check_machine.h"
#include "core/classify/explain.h"
#include "core/engine/options.h"
#include "core/engine/question.h"
#include "core/report/report.h"

namespace bouncedx {

class Knowledge;

class Diagnosis {
 public:
  // Parses and classifies `input` at once. `input` is copied; the caller's
  // buffer may go away. Never fails: bad input yields a report that says so.
  Diagnosis(std::string_view input, const Options& options);
  ~Diagnosis();

  // Not copyable (checks hold pointers into it); movable would be possible
  // but no host needs it.
  Diagnosis(const Diagnosis&) = delete;
  Diagnosis& operator=(const Diagnosis&) = delete;

  // New questions since the last call, each once. Empty when none are
  // waiting (either all are out, or the diagnosis is finished).
  [[nodiscard]] std::vector<Question> TakeQuestions();

  // A raw DNS response for question `id`. It is validated against the
  // question (QR bit, opcode, echoed question, rcode, truncation); one that
  // does not fit counts as a failure of that question.
  void OnAnswer(QuestionId id, std::string_view wire);

  // The question `id` could not be answered. `detail` is shown to people.
  void OnFailure(QuestionId id, FailureKind kind, std::string_view detail);

  // True when no question is waiting or out.
  bool finished() const;

  // Complete and renderable at every moment.
  const Report& report() const { return report_; }

  // Names the input in the report (Report::input_id).
  void set_input_id(std::string id) { report_.input_id = std::move(id); }

  // The number of questions asked so far, and the longest chain of
  // questions each asked because of the previous one's answer.
  size_t questions_asked() const { return asked_.size(); }
  int question_depth() const { return max_depth_; }

  // The input as analysed (after the size cut); evidence offsets point here.
  std::string_view input() const { return input_; }

 private:
  class Sink;
  struct Waiter {
    CheckMachine* check = nullptr;
    LookupKey key;
  };
  struct Delivery {
    Waiter waiter;
    QuestionId id = 0;
  };

  void Analyse();
  void StartChecks();
  // Hands every ready result to its checks, then refreshes the report.
  void Pump();
  void Deliver(QuestionId id, LookupResult result);
  void Refine();

  std::string input_;
  Options options_;
  Report report_;
  const Knowledge* knowledge_ = nullptr;

  // The report as the input alone made it, and the values its placeholders
  // were filled with: every refinement starts again from these.
  Verdict offline_verdict_;
  Explanation offline_explanation_;
  std::vector<FixStep> offline_fix_;
  std::vector<Link> offline_links_;
  PlaceholderValues values_;

  std::vector<std::unique_ptr<CheckMachine>> checks_;
  std::unique_ptr<Sink> sink_;

  // Question bookkeeping: every question asked, by id and by (name, type);
  // who waits for each; results that arrived, kept for late askers.
  std::map<QuestionId, Question> asked_;
  std::map<std::pair<std::string, uint16_t>, QuestionId> by_key_;
  std::map<QuestionId, std::vector<Waiter>> waiters_;
  std::map<QuestionId, LookupResult> results_;
  std::vector<QuestionId> unsent_;
  std::map<QuestionId, bool> outstanding_;
  std::vector<Delivery> ready_;
  QuestionId next_id_ = 1;
  int current_depth_ = 0;  // depth of the answer being delivered, 0 at start
  int max_depth_ = 0;
  size_t refused_questions_ = 0;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_ENGINE_DIAGNOSIS_H_
