// SPDX-License-Identifier: MIT
#include "core/report/report_text.h"

namespace bouncedx {

namespace {

void Line(std::string* out, const std::string& text) {
  out->append(text);
  out->push_back('\n');
}

}  // namespace

std::string ReportToText(const Report& report) {
  std::string out;
  const Verdict& v = report.verdict;
  Line(&out, "Verdict: " + v.title);
  std::string cause = "  cause " + v.cause_id;
  if (!v.cause_class.empty()) cause += " (" + v.cause_class;
  if (!v.severity.empty()) cause += ", " + v.severity;
  if (!v.cause_class.empty()) cause += ")";
  cause += "; confidence " + v.confidence;
  if (v.generic) cause += "; generic: decided from the status codes alone";
  Line(&out, cause);
  if (!v.provider_name.empty()) Line(&out, "  rejected by " + v.provider_name);
  if (!v.rejecting_host.empty()) Line(&out, "  rejecting host " + v.rejecting_host);
  for (const std::string& conflict : v.conflicts) Line(&out, "  note: " + conflict);

  for (const Recipient& r : report.recipients) {
    std::string head = "Reply";
    if (!r.address.empty()) head += " for " + r.address;
    if (!r.last_command.empty()) head += " (after " + r.last_command + ")";
    Line(&out, head + ":");
    if (!r.diagnostic.empty()) Line(&out, "  " + r.diagnostic);
    for (const CodeMeaning& m : r.meanings) {
      std::string meaning = m.meaning.empty() ? "no registered meaning" : m.meaning;
      Line(&out, "  " + m.code + "  " + meaning);
      if (!m.note.empty()) Line(&out, "        " + m.note);
    }
  }
  if (!report.explanation.summary.empty()) Line(&out, "Why: " + report.explanation.summary);
  if (!report.explanation.detail.empty()) Line(&out, "Detail: " + report.explanation.detail);
  if (!report.fix.empty()) {
    Line(&out, "Fix:");
    int n = 1;
    for (const FixStep& step : report.fix) {
      Line(&out, "  " + std::to_string(n++) + ". [" + step.who_label + "] " + step.text);
      for (const Link& link : step.links) Line(&out, "     " + link.label + ": " + link.url);
    }
  }
  if (!report.evidence.empty()) {
    Line(&out, "Evidence:");
    for (const EvidenceSpan& e : report.evidence) {
      Line(&out, "  \"" + e.text + "\" (" + e.signal + ", bytes " + std::to_string(e.begin) + "-" +
                     std::to_string(e.end) + ")");
    }
  }
  if (!report.checks.empty()) {
    Line(&out, "Checks:");
    for (const Check& c : report.checks) {
      Line(&out, std::string("  [") + CheckStateName(c.state) + "] " + c.id + " " + c.subject +
                     ": " + c.summary);
    }
  }
  if (!report.links.empty()) {
    Line(&out, "Links:");
    for (const Link& link : report.links) Line(&out, "  " + link.label + ": " + link.url);
  }
  for (const std::string& warning : report.warnings) Line(&out, "warning: " + warning);
  return out;
}

}  // namespace bouncedx
