// SPDX-License-Identifier: MIT
#include "core/report/report_markdown.h"

#include <string_view>
#include <vector>

#include "core/base/text.h"

namespace bouncedx {

namespace {

// Line breaks and tabs become spaces: a value must never start a new block.
char Flat(char c) { return (c == '\n' || c == '\r' || c == '\t') ? ' ' : c; }

// `text` as Markdown inline text: every character that could start
// emphasis, a link, code, HTML, an entity or a table cell gets a backslash
// (CommonMark §2.4 allows one before any ASCII punctuation).
std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    c = Flat(c);
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>':
      case '|': case '#': case '~': case '&': case '!': case '{': case '}':
        out.push_back('\\');
        break;
      default:
        break;
    }
    out.push_back(c);
  }
  return out;
}

// `text` as a code span, fenced with one backtick more than its longest run
// (CommonMark §6.1). In a table cell "|" still ends the cell inside code
// (GFM §4.10), so it is escaped there.
std::string Code(std::string_view text, bool in_table = false) {
  size_t longest = 0;
  size_t run = 0;
  std::string body;
  for (char c : text) {
    c = Flat(c);
    run = c == '`' ? run + 1 : 0;
    if (run > longest) longest = run;
    if (in_table && c == '|') body.push_back('\\');
    body.push_back(c);
  }
  if (body.empty()) return "";
  const std::string fence(longest + 1, '`');
  const bool pad = body.front() == '`' || body.back() == '`' ||
                   (body.front() == ' ' && body.back() == ' ');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

// An https: link as [label](url), with the characters that would end the
// destination percent-encoded; anything else as text, the URL in code.
std::string LinkMarkdown(const Link& link) {
  const std::string label = Escape(link.label.empty() ? link.url : link.label);
  if (!StartsWithCaseless(link.url, "https://")) {
    return link.url.empty() ? label : label + " (" + Code(link.url) + ")";
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url;
  for (char c : link.url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte == 0x7f || c == '(' || c == ')' || c == '<' || c == '>' ||
        c == '[' || c == ']' || c == '\\' || c == '`' || c == '"' || c == '|') {
      url.push_back('%');
      url.push_back(kHex[byte >> 4]);
      url.push_back(kHex[byte & 15]);
    } else {
      url.push_back(c);
    }
  }
  return "[" + label + "](" + url + ")";
}

std::string Links(const std::vector<Link>& links) {
  std::string out;
  for (const Link& link : links) {
    out += out.empty() ? "" : " · ";
    out += LinkMarkdown(link);
  }
  return out;
}

const char* StateMark(CheckState state) {
  switch (state) {
    case CheckState::kPending: return "… pending";
    case CheckState::kPass: return "✓ pass";
    case CheckState::kWarn: return "! warn";
    case CheckState::kFail: return "✕ fail";
    case CheckState::kInfo: return "i info";
    case CheckState::kError: return "? not checked";
  }
  return "?";
}

std::string Humanised(std::string_view id) {
  std::string out(id);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return out;
}

std::string Duration(int64_t seconds) {
  if (seconds < 0) return "";
  if (seconds < 60) return std::to_string(seconds) + " s";
  if (seconds < 3600) {
    return std::to_string(seconds / 60) + " min " + std::to_string(seconds % 60) + " s";
  }
  return std::to_string(seconds / 3600) + " h " + std::to_string(seconds % 3600 / 60) + " min";
}

std::string Cell(std::string_view text) { return text.empty() ? "—" : Escape(text); }
std::string CodeCell(std::string_view text) { return text.empty() ? "—" : Code(text, true); }

void WriteVerdict(const Report& report, std::string* out) {
  const Verdict& v = report.verdict;
  const std::string title = v.title.empty() ? Humanised(v.cause_id) : v.title;
  *out += "## " + Escape(title) + "\n\n";
  std::string line = "**Verdict:** " + Escape(title);
  std::vector<std::string> facts;
  if (!v.cause_class.empty()) facts.push_back(Escape(Humanised(v.cause_class)));
  if (!v.severity.empty()) facts.push_back(Escape(Humanised(v.severity)));
  if (!v.confidence.empty()) facts.push_back(Escape(v.confidence) + " confidence");
  if (!facts.empty()) {
    line += " (";
    for (size_t i = 0; i < facts.size(); ++i) line += (i > 0 ? ", " : "") + facts[i];
    line += ")";
  }
  *out += line + "  \n";
  if (!v.provider_name.empty() || !v.rejecting_host.empty()) {
    std::string who = "**Rejected by:** ";
    if (!v.provider_name.empty()) who += Escape(v.provider_name);
    if (!v.rejecting_host.empty()) {
      who += (v.provider_name.empty() ? "" : " at ") + Code(v.rejecting_host);
    }
    *out += who + "  \n";
  }
  if (!report.entities.sending_ip.empty()) {
    *out += "**Sending IP:** " + Code(report.entities.sending_ip) + "  \n";
  }
  if (!report.entities.blocklist_zone.empty()) {
    *out += "**Blocklist:** " + Code(report.entities.blocklist_zone) + "  \n";
  }
  *out += "**Cause id:** " + Code(v.cause_id.empty() ? "unknown" : v.cause_id) + "\n";
  for (const std::string& conflict : v.conflicts) *out += "\n> **Note:** " + Escape(conflict) + "\n";
  *out += "\n";
}

void WriteFix(const Report& report, std::string* out) {
  if (report.fix.empty()) return;
  *out += "### What to do\n\n";
  for (const FixStep& step : report.fix) {
    const std::string who = step.who_label.empty() ? Humanised(step.who) : step.who_label;
    std::string line = "- [ ] **" + Escape(who) + ":** " + Escape(step.text);
    if (!step.links.empty()) line += " — " + Links(step.links);
    *out += line + "\n";
  }
  *out += "\n";
}

void WriteExplanation(const Report& report, std::string* out) {
  const Explanation& e = report.explanation;
  if (e.summary.empty() && e.detail.empty()) return;
  *out += "### Why it happened\n\n";
  if (!e.summary.empty()) *out += Escape(e.summary) + "\n\n";
  if (!e.detail.empty()) *out += "> **For the mail administrator:** " + Escape(e.detail) + "\n\n";
}

void WriteCodes(const Report& report, std::string* out) {
  if (report.recipients.empty()) return;
  *out += "### Status codes\n\n";
  for (const Recipient& r : report.recipients) {
    std::string line = "- " + (r.address.empty() ? std::string("Recipient not named")
                                                  : Code(r.address));
    std::vector<std::string> facts;
    if (!r.action.empty()) facts.push_back(Escape(r.action));
    if (!r.last_command.empty()) facts.push_back("after " + Escape(r.last_command));
    if (!r.remote_mta.empty()) facts.push_back("from " + Code(r.remote_mta));
    if (!facts.empty()) {
      line += " (";
      for (size_t i = 0; i < facts.size(); ++i) line += (i > 0 ? ", " : "") + facts[i];
      line += ")";
    }
    *out += line + "\n";
    for (const CodeMeaning& m : r.meanings) {
      *out += "  - " + Code(m.code) + " " + Escape(m.meaning.empty() ? "—" : m.meaning);
      if (!m.note.empty()) *out += " (" + Escape(m.note) + ")";
      *out += "\n";
    }
    if (!r.diagnostic.empty()) *out += "  - Reply: " + Code(r.diagnostic) + "\n";
  }
  *out += "\n";
}

void WriteEvidence(const Report& report, std::string* out) {
  if (report.evidence.empty()) return;
  *out += "### Evidence\n\n";
  for (const EvidenceSpan& span : report.evidence) {
    std::string line = "- " + Code(span.text.empty() ? "(empty)" : span.text) + " (" +
                       Escape(span.signal);
    if (!span.cause_id.empty() && span.cause_id == report.verdict.cause_id) line += ", decisive";
    *out += line + ")\n";
  }
  *out += "\n";
}

void WriteChecks(const Report& report, std::string* out) {
  if (report.checks.empty()) return;
  *out += "### DNS checks\n\n| Result | Check | Subject | Summary |\n| --- | --- | --- | --- |\n";
  for (const Check& c : report.checks) {
    *out += "| " + std::string(StateMark(c.state)) + " | " + CodeCell(c.id) + " | " +
            CodeCell(c.subject) + " | " + Cell(c.summary) + " |\n";
  }
  *out += "\n";
}

void WriteHops(const Report& report, std::string* out) {
  if (report.hops.empty()) return;
  *out += "### Received path (newest first)\n\n| # | From | IP | By | Time | Delay |\n"
          "| --- | --- | --- | --- | --- | --- |\n";
  int n = 1;
  for (const Hop& hop : report.hops) {
    std::string from = hop.from_helo.empty() ? hop.from_rdns : hop.from_helo;
    *out += "| " + std::to_string(n++) + (hop.edge ? " (edge)" : "") + " | " + CodeCell(from) +
            " | " + CodeCell(hop.from_ip) + " | " + CodeCell(hop.by) + " | " + Cell(hop.time) +
            " | " + Cell(Duration(hop.delay_seconds)) + " |\n";
  }
  *out += "\n";
}

void WriteAuth(const Report& report, std::string* out) {
  if (report.auth_results.empty()) return;
  *out += "### Authentication results\n\n";
  for (const AuthResult& a : report.auth_results) {
    std::string line = "- " + Escape(a.method) + ": **" + Escape(a.result) + "**";
    if (!a.detail.empty()) line += " " + Code(a.detail);
    if (!a.authserv_id.empty()) line += " (by " + Code(a.authserv_id) + ")";
    *out += line + "\n";
  }
  *out += "\n";
}

void WriteTrailer(const Report& report, std::string* out) {
  if (!report.warnings.empty()) {
    *out += "### Warnings\n\n";
    for (const std::string& warning : report.warnings) *out += "- " + Code(warning) + "\n";
    *out += "\n";
  }
  if (!report.links.empty()) {
    *out += "### Links\n\n";
    for (const Link& link : report.links) *out += "- " + LinkMarkdown(link) + "\n";
    *out += "\n";
  }
}

}  // namespace

std::string ReportToMarkdown(const Report& report) {
  std::string out;
  WriteVerdict(report, &out);
  WriteFix(report, &out);
  WriteExplanation(report, &out);
  WriteCodes(report, &out);
  WriteEvidence(report, &out);
  WriteChecks(report, &out);
  WriteHops(report, &out);
  WriteAuth(report, &out);
  WriteTrailer(report, &out);
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') {
    out.pop_back();
  }
  return out;
}

}  // namespace bouncedx
