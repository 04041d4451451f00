// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_SPF_MACRO_H_
#define BOUNCEDX_CORE_CHECKS_SPF_MACRO_H_

// SPF macros (RFC 7208 §7): parsing a macro-string into literal text and
// macro-expands, checking a domain-spec, and expanding with the values of
// one check. Parsing and expanding are separate so that a record is checked
// for syntax once, before any DNS lookup, as §4.6 requires.
//
//   Result<MacroString> spec = ParseDomainSpec("%{ir}.%{v}._spf.%{d2}");
//   MacroValues values = ...;  // sender, domain, client address, ...
//   std::string name = ExpandMacroString(spec.value(), values);
//
// Grammar (§7.1):
//   macro-string = *( macro-expand / macro-literal )
//   macro-expand = ( "%{" macro-letter transformers *delimiter "}" )
//                  / "%%" / "%_" / "%-"
//   transformers = *DIGIT [ "r" ]
//   delimiter    = "." / "-" / "+" / "," / "/" / "_" / "="
//   macro-literal = %x21-24 / %x26-7E   (visible ASCII but "%")

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/checks/spf/ip_address.h"

namespace bouncedx::spf {

// Where a macro-string appears, which decides what it may contain.
enum class MacroContext {
  // A domain-spec or an unknown modifier's value: no spaces, and the letters
  // c, r and t are a syntax error (§7.2).
  kDomainSpec,
  // The text of an explanation record (§6.2): spaces allowed, every letter.
  kExplanation,
};

// One piece of a parsed macro-string: literal text, or one %{...} macro.
struct MacroToken {
  bool is_macro = false;
  // For literal tokens: the text, with %% %_ %- already turned into
  // "%", " " and "%20".
  std::string literal;
  // For macros: the letter in lower case (one of "slodiphcrtv").
  char letter = 0;
  // Upper-case letter: URL-escape the expansion (§7.3).
  bool url_escape = false;
  // Keep only this many right-hand parts; 0 means all. Values above 255
  // are stored as 255, which keeps every part of any DNS name.
  int keep_parts = 0;
  bool reverse = false;
  // Delimiters to split on; empty means ".".
  std::string delimiters;
};

struct MacroString {
  std::vector<MacroToken> tokens;
  // True when any token is a %{p} macro, whose value needs DNS lookups.
  bool uses_validated_name() const;
  // True when the string has no tokens at all.
  bool empty() const { return tokens.empty(); }
};

// Parses `text` as a macro-string for `context`. Returns kMalformed naming
// the first problem: a '%' not followed by '{', '%', '_' or '-', an unknown
// or (in a domain-spec) forbidden macro letter, a zero digit transformer, an
// unterminated "%{", or a byte outside the allowed set (control bytes,
// non-ASCII bytes, and spaces outside explanations).
Result<MacroString> ParseMacroString(std::string_view text, MacroContext context);

// Parses a domain-spec (§7.1): a non-empty macro-string that ends in a
// macro-expand or in "." toplabel with an optional final ".". A toplabel is
// letters, digits and inner hyphens, not all digits. Returns kMalformed
// for "", "museum", "foo.123", "example.-com", "host.example.com:8080".
Result<MacroString> ParseDomainSpec(std::string_view text);

// The values one expansion draws on. Strings are used as given.
struct MacroValues {
  std::string sender;                      // s: <sender>, "local@domain"
  std::string local_part;                  // l
  std::string sender_domain;               // o
  std::string domain;                      // d: the <domain> of the current check_host()
  IpAddress ip;                            // i, c and v
  std::string validated_name = "unknown";  // p (§7.3; "unknown" if none)
  std::string helo;                        // h
  std::string receiver = "unknown";        // r
  int64_t now_unix = 0;                    // t
};

// Expands `macro_string` with `values`. Never fails: the syntax was checked
// when parsing. The result is not truncated; callers that use it as a DNS
// name apply §7.3's 253-byte rule (see the evaluator).
std::string ExpandMacroString(const MacroString& macro_string, const MacroValues& values);

}  // namespace bouncedx::spf

#endif  // BOUNCEDX_CORE_CHECKS_SPF_MACRO_H_
