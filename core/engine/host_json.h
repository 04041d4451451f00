// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_ENGINE_HOST_JSON_H_
#define BOUNCEDX_CORE_ENGINE_HOST_JSON_H_

// The JSON a host exchanges with the engine besides the report: the options
// it starts a Diagnosis with, and the DNS questions the Diagnosis hands out.
// The WebAssembly binding passes these strings to and from JavaScript as they
// are, so the page and the tests see the same shapes.
//
//   std::vector<std::string> warnings;
//   Options options = OptionsFromJson(R"({"now_unix": 1700000000})", &warnings);
//   Diagnosis diagnosis(input, options);
//   std::string questions = QuestionsToJson(diagnosis.TakeQuestions());
//   // [{"id":1,"name":"5.113.0.203.in-addr.arpa","type":12,
//   //   "type_name":"PTR","dns":"AAABAAAB..."}]

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/options.h"
#include "core/engine/question.h"

namespace bouncedx {

// Reads host options from a JSON object. Known fields:
//   "now_unix"          integer seconds since the Unix epoch (a number with
//                       a fraction, as Date.now() / 1000 gives, is cut to
//                       whole seconds); must not be negative
//   "dns_checks"        boolean
//   "spamhaus_dqs_key"  string of letters and digits, at most 63 bytes
//                       (it becomes a DNS label)
// Limits keep their defaults. Never fails: text that is not JSON, a value
// that is not an object, an unknown field or a field of the wrong type each
// add one warning to *warnings (when not null) and leave the default in
// place. An empty or all-blank `json` means "all defaults", with no warning.
Options OptionsFromJson(std::string_view json, std::vector<std::string>* warnings);

// The questions as a JSON array, in the given order:
//   [{"id":1,"name":"example.com","type":15,"type_name":"MX","dns":"..."}]
// "dns" is the query message in base64url without padding, ready for an
// RFC 8484 GET (`?dns=...`). "type_name" is the mnemonic that
// dns::RrTypeName() gives ("TXT"), or "TYPE<n>" (RFC 3597 §5) for a type it
// does not name. Bytes of a name that are not valid UTF-8 are replaced by
// U+FFFD. An empty list gives "[]".
std::string QuestionsToJson(const std::vector<Question>& questions);

// `texts` as a JSON array of strings ("[]" when empty), for warnings handed
// to a host. Bytes that are not valid UTF-8 are replaced by U+FFFD.
std::string StringsToJson(const std::vector<std::string>& texts);

// Sets *kind from its name as FailureKindName() writes it: "timeout",
// "network", "http_status", "refused", "bad_response" or "cancelled"
// (exact, lower-case). Returns false, leaving *kind alone, for any other text.
bool FailureKindFromName(std::string_view name, FailureKind* kind);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_ENGINE_HOST_JSON_H_
