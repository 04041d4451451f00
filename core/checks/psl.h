// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_PSL_H_
#define BOUNCEDX_CORE_CHECKS_PSL_H_

// The Public Suffix List (https://publicsuffix.org/list/), compiled into the
// binary at build time from Debian's `publicsuffix` package (CMake cache
// variable BOUNCEDX_PSL_FILE, see core/checks/psl_embed.py), and the
// organisational domain that DMARC derives from it (RFC 7489 §3.2).
//
//   OrganizationalDomain("Mail.Example.CO.UK.")  // "example.co.uk"
//   OrganizationalDomain("foo.www.ck")           // "www.ck" (exception rule)
//   PublicSuffix("a.b.kawasaki.jp")              // "b.kawasaki.jp" (wildcard)
//
// The list is embedded in a compact form (each rule written without the
// labels it shares with the rule before it) and is expanded and parsed
// once, on first use, into a hash table (function-local
// static, safe to call from any thread). Rules follow the list's own
// algorithm: normal rules ("co.uk"), wildcards ("*.ck": any one label below
// ck is a suffix) and exceptions ("!www.ck": www.ck is not), the exception
// winning over everything and otherwise the rule with most labels; when no
// rule matches, the default rule "*" makes the last label the suffix.
//
// Which sections count: DMARC (RFC 7489 §3.2) names the list without
// choosing a section, and we use the whole list, ICANN and PRIVATE. With the
// private rules, "alice.github.io" and "bob.github.io" are different
// organisations, which is what their owners intend; a From domain under a
// hosting suffix therefore only aligns with identifiers under its own
// registered name. PublicSuffix() can be asked for the ICANN section alone.
//
// Unicode rules of the list ("公司.cn") are also stored in their ASCII
// (punycode) form ("xn--55qx5d.cn"), so both forms of a name are looked up
// correctly. Only ASCII letters are lower-cased; a name is otherwise taken as
// given (no Unicode normalisation).

#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/status.h"

namespace bouncedx {

enum class PslSections {
  kAll,        // ICANN and PRIVATE rules (what DMARC uses here)
  kIcannOnly,  // only the rules between the ICANN markers
};

// The public suffix of `domain`: the labels the prevailing rule covers,
// lower-cased, without a trailing dot. Returns "" when `domain` is not a name:
// empty, longer than 1024 bytes, or with an empty label ("a..b", ".a").
// A name with an unknown top-level label is its own one-label suffix
// ("example.invalid" -> "invalid"), by the default rule "*".
std::string PublicSuffix(std::string_view domain, PslSections sections = PslSections::kAll);

// The organisational domain of RFC 7489 §3.2: the public suffix plus one
// label, lower-cased, without a trailing dot, using the whole list. When
// `domain` is itself a public suffix ("co.uk", "com", a single label) it is
// returned as it is (normalised). Returns "" when `domain` is not a name (see
// PublicSuffix()).
std::string OrganizationalDomain(std::string_view domain);

// True when `domain` (normalised as above) is exactly a public suffix.
bool IsPublicSuffix(std::string_view domain);

// Number of rules loaded from the embedded list (normal, wildcard and
// exception rules together, Unicode rules once). For tests and diagnostics.
size_t PublicSuffixRuleCount();

// The RFC 3492 punycode encoding of one UTF-8 label, without the "xn--"
// prefix: "bücher" -> "bcher-kva". An all-ASCII label encodes to itself
// followed by "-". Fails with kMalformed on invalid UTF-8 or an empty label.
Result<std::string> PunycodeEncode(std::string_view utf8_label);

// `domain` with every label that holds a byte >= 0x80 written as "xn--" +
// PunycodeEncode(label), and ASCII letters lower-cased: "Bücher.Example" ->
// "xn--bcher-kva.example". This is the punycode step of IDNA only, without
// Unicode normalisation, which is enough for names that are already in
// lower-case NFC form, as mail and the list write them. Returns "" when a
// label is not valid UTF-8.
std::string DomainToAscii(std::string_view domain);

// The list compiled in, in the compact form that psl_embed.py writes into
// the build directory (comments dropped except the section markers, rules
// sorted by their labels from the right, each line '0' + the number of
// labels shared with the line before, then the others). Never empty in a
// correct build.
std::string_view EmbeddedPublicSuffixList();

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CHECKS_PSL_H_
