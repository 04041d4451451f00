// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_REPORT_REPORT_JSON_H_
#define BOUNCEDX_CORE_REPORT_REPORT_JSON_H_

// The one writer of the Report JSON (schema in SCHEMA.md beside this file).
// The page and the CLI both emit exactly this text.

#include <string>

#include "core/report/report.h"

namespace bouncedx {

// Returns the report as one line of JSON (no trailing newline). Every key is
// always present; absent values are "" , 0, -1 or [] as SCHEMA.md says.
// Strings are valid UTF-8 (fields were passed through Printable()).
std::string ReportToJson(const Report& report);

// Appends the same text to `*out`, for a host that writes many reports
// through one buffer (the CLI's --json): a buffer kept across reports
// already has room, where each new string grows from nothing.
void AppendReportJson(const Report& report, std::string* out);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_REPORT_REPORT_JSON_H_
