// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_REPORT_REPORT_MARKDOWN_H_
#define BOUNCEDX_CORE_REPORT_REPORT_MARKDOWN_H_

// The report as Markdown, to paste into a help-desk ticket or an issue:
// the verdict in one sentence, the fix as a task list saying who acts, the
// explanation, the status codes, the evidence, the DNS checks as a table,
// the Received hops and the warnings. It renders on GitHub, GitLab, Jira
// (Markdown mode) and most ticket systems, and reads well as plain text.
//
//   std::string ticket = ReportToMarkdown(diagnosis.report());
//
// Every value from the input or from DNS is escaped: Markdown punctuation
// gets a backslash, "<" and ">" cannot open HTML, table cells cannot break
// out of their row, code spans are fenced with more backticks than they hold,
// and only https: URLs become links.

#include <string>

#include "core/report/report.h"

namespace bouncedx {

// Returns the report as Markdown, lines ending in '\n'. Sections with
// nothing to show are left out. The text is valid UTF-8 when the report's
// strings are (they pass through Printable()).
std::string ReportToMarkdown(const Report& report);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_REPORT_REPORT_MARKDOWN_H_
