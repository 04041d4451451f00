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

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_REPORT_REPORT_JSON_H_
