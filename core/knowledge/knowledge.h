// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_KNOWLEDGE_KNOWLEDGE_H_
#define BOUNCEDX_CORE_KNOWLEDGE_KNOWLEDGE_H_

// What bouncedx knows about bounces, loaded from the JSON files of
// core/knowledge/ (see README.md there for every field). The files are
// embedded into the binary; Knowledge::Get() parses them once, on first use,
// into one immutable object that every diagnosis shares.
//
//   const Knowledge& knowledge = Knowledge::Get();
//   if (!knowledge.load_status().ok()) { /* a broken build: tables are empty */ }
//   if (const Cause* cause = knowledge.FindCause("dnsbl_public")) {
//     Show(cause->title, knowledge.EnhancedCodeMeaning("5.7.1"));
//   }
//
// Loading never throws and never aborts: JSON is parsed with the non-throwing
// parser and every value's type is checked before it is read. When anything
// is wrong, load_status() names the file and the field, and every table is
// empty, so callers degrade to "unknown" instead of crashing.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/knowledge/embedded.h"

namespace bouncedx {

struct KnowledgeLink {
  std::string label;  // "Spamhaus IP and domain checker"
  std::string url;    // "https://check.spamhaus.org/"
};

// One ordered step of a fix. `who` is a role id from causes.json "roles"
// (RoleLabel() turns it into words); `text` may hold {placeholders}.
struct CauseFixStep {
  std::string who;
  std::string text;
  std::vector<KnowledgeLink> links;
};

// One explanation: why the mail bounced and what to do about it.
struct Cause {
  std::string id;           // "dnsbl_public"
  std::string cause_class;  // coarse class ("ip_blocked"), JSON key "class"
  std::string severity;     // "permanent", "transient" or "not_a_failure"
  std::string title;
  std::string summary;  // plain words for the person holding the bounce
  std::string detail;   // the technical reading, for their mail admin
  std::vector<CauseFixStep> fix;
  std::vector<KnowledgeLink> links;
  // Causes that live DNS checks can reveal behind this one, most telling
  // first (JSON key "refined_by"; optional). See core/engine/refine.h.
  std::vector<std::string> refined_by;
};

// A mailbox provider, filtering gateway, ESP or MTA that can write or reject
// mail. `match` are RE2 patterns that identify it in bounce text; `mx` are
// domain suffixes of its MX hosts.
struct Provider {
  std::string id;
  std::string name;
  std::string kind;  // mailbox_provider, security_gateway, esp, mta, isp, hosting
  std::vector<std::string> match;
  std::vector<std::string> mx;
  std::vector<KnowledgeLink> links;
  std::string postmaster;  // URL or ""
  std::string delist;      // URL or ""
};

// An RE2 pattern that recognises a reject text and names its cause.
struct Signature {
  std::string id;
  std::string pattern;
  std::string cause;
  std::string provider;  // provider id or ""
  std::string note;
  int specificity = 0;  // 1-100; the highest matching specificity decides
};

struct BlocklistCode {
  std::string value;    // "127.0.0.2"
  std::string meaning;  // text for people
  std::string cause;    // cause id, or "" when the code is not a listing
};

// A DNS blocklist (DNSBL for IPs, RHSBL/URIBL for domains).
struct Blocklist {
  std::string id;
  std::string name;
  std::string zone;        // "zen.spamhaus.org"
  std::string kind;        // "ip" or "domain"
  std::string lookup_url;  // the list's own lookup page
  std::string delist_url;  // its removal page ("" when it has none)
  std::string test_point;  // "127.0.0.2" (ip) or "test" (domain): must be listed
  bool refuses_public_resolvers = false;
  bool queried_by_default = false;   // JSON key "default"
  bool bitmask = false;              // the last octet is a sum of the codes' bits (SURBL, URIBL)
  bool requires_key = false;         // the zone needs an access key in the query name
  std::vector<BlocklistCode> codes;  // answers that mean "listed"
  std::vector<BlocklistCode> refusal_codes;  // answers that mean "cannot check"
};

// A provider's own reading of a code ("X.7.26" at Gmail, "S3150" at Outlook).
// `code` may be an enhanced code with a detail range ("5.7.606-649"): a
// digit class then only matches that class, X matches any.
struct ProviderCode {
  std::string provider;
  std::string code;
  std::string meaning;
  // `code` in the form lookups compare (an enhanced code as "X.s.d", other
  // codes lower-cased without brackets), made once when the file is read.
  std::string key;
};

// The parsed knowledge base. Immutable after construction; safe to share
// between threads. Not copyable (it is big and shared by reference); movable
// only through the unique_ptr that Parse() returns.
class Knowledge {
 public:
  // Memory budget for one RE2::Set holding every signature pattern (RE2's
  // default of 8 MiB is too small for several hundred alternatives). Build
  // the set with RE2::Options defaults otherwise (UTF-8, case-sensitive;
  // each pattern carries its own (?i)), log_errors off, RE2::UNANCHORED.
  static constexpr int64_t kSignatureSetMaxMem = int64_t{64} << 20;

  Knowledge(const Knowledge&) = delete;
  Knowledge& operator=(const Knowledge&) = delete;

  // The knowledge embedded in this binary, parsed on the first call
  // (function-local static, so thread-safe). Never crashes: on bad data
  // load_status() says why and every table is empty.
  static const Knowledge& Get();

  // Parses `files` (by name: causes.json, codes.json, providers.json,
  // signatures.json, blocklists.json; other names are ignored). Every one of
  // the five must be present. Never returns null; check load_status(): when
  // it is not ok, every table is empty.
  static std::unique_ptr<Knowledge> Parse(const std::vector<EmbeddedFile>& files);

  // "ok", or the first problem found, e.g. "malformed: knowledge:
  // causes.json: causes[3].fix[0].who: expected a string".
  const Status& load_status() const { return status_; }

  const std::vector<Cause>& causes() const { return causes_; }
  const std::vector<Provider>& providers() const { return providers_; }
  const std::vector<Signature>& signatures() const { return signatures_; }
  const std::vector<Blocklist>& blocklists() const { return blocklists_; }
  const std::vector<ProviderCode>& provider_codes() const { return provider_codes_; }
  // Role id -> label ("sender_admin" -> "Your mail administrator").
  const std::map<std::string, std::string>& roles() const { return roles_; }
  // Placeholder name (without braces) -> generic phrase used when unknown.
  const std::map<std::string, std::string>& placeholders() const { return placeholders_; }
  // "X.7.1" / "X.7.x" -> meaning.
  const std::map<std::string, std::string>& enhanced_codes() const { return enhanced_codes_; }
  // 550 -> meaning.
  const std::map<int, std::string>& reply_codes() const { return reply_codes_; }
  // "X.7.23" / "X.7.x" -> fallback cause id.
  const std::map<std::string, std::string>& enhanced_causes() const { return enhanced_causes_; }
  // "550" / "5xx" -> fallback cause id.
  const std::map<std::string, std::string>& reply_causes() const { return reply_causes_; }
  // Why a "not listed" answer from a public resolver cannot be trusted
  // (blocklists.json "public_resolver_note"); "" when absent.
  const std::string& public_resolver_note() const { return public_resolver_note_; }

  // nullptr when there is no entry with that id.
  const Cause* FindCause(std::string_view id) const;
  const Provider* FindProvider(std::string_view id) const;
  // Matches the id, or the zone ignoring ASCII case and one trailing dot.
  const Blocklist* FindBlocklist(std::string_view id_or_zone) const;

  std::string RoleLabel(std::string_view who) const;            // "" when unknown
  std::string PlaceholderDefault(std::string_view name) const;  // "" when unknown
  std::string ReplyCodeMeaning(int code) const;                 // "" when unknown

  // "5.7.1" (or "X.7.1") -> the meaning of X.7.1, else the subject-level
  // fallback X.7.x; "" when neither exists or `code` is not an enhanced code.
  std::string EnhancedCodeMeaning(std::string_view code) const;

  // The provider's own reading of `code`, "" when none. Enhanced codes match
  // in either form ("5.7.26" finds an entry written "X.7.26"); other codes
  // match ignoring ASCII case and surrounding brackets ("[TSS04]" = "TSS04").
  std::string ProviderCodeMeaning(std::string_view provider_id, std::string_view code) const;

  // The generic cause for an enhanced code: exact X.s.d, then X.s.x; "" none.
  std::string FallbackCauseForEnhanced(std::string_view code) const;
  // The generic cause for a reply code: exact ("550"), then its class
  // ("5xx"); "" when none.
  std::string FallbackCauseForReply(int code) const;

 private:
  Knowledge() = default;
  friend class KnowledgeParser;

  // Empties every table (used when loading fails).
  void Clear();

  Status status_;
  std::vector<Cause> causes_;
  std::vector<Provider> providers_;
  std::vector<Signature> signatures_;
  std::vector<Blocklist> blocklists_;
  std::vector<ProviderCode> provider_codes_;
  std::map<std::string, std::string> roles_;
  std::map<std::string, std::string> placeholders_;
  std::map<int, std::string> reply_codes_;
  std::map<std::string, std::string> enhanced_codes_;
  std::map<std::string, std::string> enhanced_causes_;
  std::map<std::string, std::string> reply_causes_;
  std::string public_resolver_note_;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_KNOWLEDGE_KNOWLEDGE_H_
