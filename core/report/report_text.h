// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_REPORT_REPORT_TEXT_H_
#define BOUNCEDX_CORE_REPORT_REPORT_TEXT_H_

// Plain-text rendering of a Report for terminals and tickets. The JSON
// writer (report_json.h) is the machine form; this is the human one.

#include <string>

#include "core/report/report.h"

namespace bouncedx {

// Returns the report as text lines ending in '\n': verdict, codes, the
// explanation, fix steps with who acts, evidence, checks and warnings.
std::string ReportToText(const Report& report);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_REPORT_REPORT_TEXT_H_
