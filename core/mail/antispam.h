// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_MAIL_ANTISPAM_H_
#define BOUNCEDX_CORE_MAIL_ANTISPAM_H_

// The verdicts spam filters stamp into a message, read into plain words:
// Microsoft's X-Forefront-Antispam-Report (and its "-Untrusted" copy),
// X-Microsoft-Antispam (BCL, PCL), X-MS-Exchange-Organization-SCL, and
// SpamAssassin's X-Spam-Status, X-Spam-Flag, X-Spam-Score and X-Spam-Level.
//
//   AntispamReport report = DecodeAntispam(block, &warnings);
//   for (const AntispamFinding& f : report.findings)
//     Show(f.header + " " + f.field + ":" + f.value + " - " + f.meaning);
//   // "X-Forefront-Antispam-Report SFV:SPM - marked spam by the content filter"
//
// The explanations are knowledge, not code: they live in
// core/knowledge/antispam.json, which is embedded into the binary and read
// once (DefaultAntispamMeanings). Its layout:
//   { "unknown_value": "...",
//     "<section>": { "fields": { "<FIELD>": "what the field is" },
//                    "values": { "<FIELD>": { "<value>": "what it means" } } } }
// with the sections "forefront" (every Microsoft field, BCL and PCL
// included) and "spamassassin" (fields "status", "score", "required",
// "test", "autolearn", "flag", "level").

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/mail/headers.h"

namespace bouncedx::mail {

// One decoded item: {"X-Forefront-Antispam-Report", "SCL", "5",
// "Microsoft's filter judged the message spam"}.
struct AntispamFinding {
  std::string header;   // the header's name as written
  std::string field;    // "SCL", "SFV", "CAT", "test", "score"...
  std::string value;    // as written (trimmed); not sanitized
  std::string meaning;  // from the knowledge; "" when the knowledge has none
};

// The explanations, as read from antispam.json.
struct AntispamMeanings {
  std::string unknown_value;
  // section -> field -> text
  std::map<std::string, std::map<std::string, std::string>> fields;
  // section -> field -> value -> text
  std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> values;

  // The text for a field, or "" when there is none.
  std::string_view Field(std::string_view section, std::string_view field) const;
  // The text for a value: looked up as written, then lower-case, then
  // upper-case; "" when there is none.
  std::string_view Value(std::string_view section, std::string_view field,
                         std::string_view value) const;
};

// Parses the antispam.json layout above. kMalformed, naming the place, for
// JSON that does not parse or has a non-object or non-string where the
// layout needs one. Never throws.
Result<AntispamMeanings> ParseAntispamMeanings(std::string_view json);

// The meanings from the embedded core/knowledge/antispam.json, parsed on
// first use and kept. Empty (every lookup "") if the file is missing or
// broken; DefaultAntispamMeaningsStatus() says why.
const AntispamMeanings& DefaultAntispamMeanings();
const Status& DefaultAntispamMeaningsStatus();

// Everything decoded from one header block.
struct AntispamReport {
  std::vector<AntispamFinding> findings;  // header order, then field order
  // Handy copies of the values the engine uses (last seen wins):
  std::string connecting_ip;  // CIP
  std::string ptr;            // PTR
  std::string helo;           // H
  int scl = -2;               // SCL (Forefront or X-MS-Exchange-Organization-SCL); -2 absent
  int bcl = -1;               // BCL; -1 absent
  std::string sfv;            // SFV
  std::string category;       // CAT
  // SpamAssassin: "yes"/"no" (lower-case) from X-Spam-Status or X-Spam-Flag,
  // "" when absent; the score and the threshold as written.
  std::string spamassassin_verdict;
  std::string spamassassin_score;
  std::string spamassassin_required;
  std::vector<std::string> spamassassin_tests;
};

// Decodes every antispam header of `block` with `meanings`. A value of an
// enumerated field (one with a "values" table) that the knowledge does not
// list reads "<field text>: <unknown_value>"; a SpamAssassin rule that is
// not listed reads as the "test" field's text; a field the knowledge does
// not know at all reads as "unknown_value". Unknown empty Forefront fields ("SRV:") are
// dropped. Warnings start with "antispam: "; `warnings` may be null.
AntispamReport DecodeAntispam(const HeaderBlock& block, const AntispamMeanings& meanings,
                              std::vector<std::string>* warnings);
// The same with DefaultAntispamMeanings().
AntispamReport DecodeAntispam(const HeaderBlock& block, std::vector<std::string>* warnings);

}  // namespace bouncedx::mail

#endif  // BOUNCEDX_CORE_MAIL_ANTISPAM_H_
