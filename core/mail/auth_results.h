// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_MAIL_AUTH_RESULTS_H_
#define BOUNCEDX_CORE_MAIL_AUTH_RESULTS_H_

// What a message's headers say about its authentication: the verdicts
// receivers wrote (Authentication-Results, ARC-Authentication-Results,
// Received-SPF), the signatures senders added (DKIM-Signature, ARC-Seal,
// ARC-Message-Signature), and the identities those are about (Return-Path,
// From, Sender), plus the List-Unsubscribe headers bulk-sender rules ask for.
//
//   HeaderBlock block = ParseHeaders(text, 0, limits, &warnings);
//   AuthFacts facts = ReadAuthFacts(block, &warnings);
//   ReceivedChain chain = AnalyseReceived(block, recipient_domain, mx, &warnings);
//   ApplyTrust(TrustContextFor(chain, recipient_domain), &facts);
//   for (const AuthenticationResults& ar : facts.authentication_results) {
//     if (!ar.trusted) continue;          // anyone can write these headers
//     if (const AuthMethodResult* dmarc = ar.FindMethod("dmarc")) Use(dmarc->result);
//   }
//
// Nothing here verifies a signature or evaluates SPF: these are what the
// headers claim. Every text field is as written (unquoted, comments
// removed); pass it through Printable() before showing it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/mail/headers.h"
#include "core/mail/received.h"
#include "core/mail/tag_list.h"

namespace bouncedx::mail {

inline constexpr size_t kNoOffset = static_cast<size_t>(-1);

// "header.d=example.org", "smtp.mailfrom=a@example.org"; for Microsoft's
// non-standard "action=none" ptype is "".
struct AuthProperty {
  std::string ptype;     // "smtp", "header", "body", "policy", lower-case
  std::string property;  // "mailfrom", "d", "from", lower-case
  std::string value;     // as written, unquoted
};

// One "method=result ..." of an Authentication-Results field (RFC 8601 §2.2).
struct AuthMethodResult {
  std::string method;   // lower-case: "spf", "dkim", "dmarc", "arc", "iprev", "compauth"...
  std::string version;  // "1" for "dkim/1"; usually ""
  std::string result;   // lower-case: "pass", "fail", "softfail", "none", ...
  std::string reason;   // the reason= value, unquoted
  std::vector<AuthProperty> properties;
  std::string comment;  // the comments, joined by "; "

  // The value of "ptype.property" ("header.d"), or "" when absent.
  std::string_view Property(std::string_view ptype, std::string_view property) const;
};

// One Authentication-Results or ARC-Authentication-Results field.
struct AuthenticationResults {
  std::string authserv_id;  // lower-case; "" when the writer left it out (Microsoft does)
  int arc_instance = 0;     // the i= of an ARC-Authentication-Results field; 0 otherwise
  bool no_result = false;   // "none": the receiver checked nothing
  std::vector<AuthMethodResult> results;
  // Set by ApplyTrust(): the recipient's own infrastructure wrote this.
  bool trusted = false;
  size_t field_offset = 0;  // HeaderField::offset

  // The first result of `method` (lower-case), or null.
  const AuthMethodResult* FindMethod(std::string_view method) const;
};

// Received-SPF (RFC 7208 §9.1).
struct ReceivedSpf {
  std::string result;   // lower-case: "pass", "fail", "softfail", "neutral", "none", ...
  std::string comment;  // the comment after the result
  std::string client_ip;
  std::string envelope_from;
  std::string helo;
  std::string receiver;
  std::string identity;  // "mailfrom", "helo"
  std::string mechanism;
  std::string problem;
  size_t field_offset = 0;
};

// Reads an RFC 6376 §3.2 tag list strictly (see core/mail/tag_list.h) and
// words its problem: kMalformed "tag list: ..." for a bad name, a tag
// without "=", an empty tag-spec other than at the end, a byte outside the
// value alphabet, or a tag given twice ("duplicate tag" makes the whole list
// invalid, §3.2).
Result<std::vector<Tag>> ParseTagList(std::string_view text);

// A DKIM-Signature field (RFC 6376 §3.5).
struct DkimSignature {
  bool valid = false;                       // the tag list parsed and every required tag is there
  std::string error;                        // why not, for people ("dkim-signature: no d= tag")
  std::string version;                      // v=
  std::string algorithm;                    // a=
  bool signature_present = false;           // b= is there
  bool signature_empty = true;              // b= has no data (or is missing)
  std::string body_hash;                    // bh=
  std::string canonicalization;             // c=
  std::string domain;                       // d=, lower-case
  std::vector<std::string> signed_headers;  // h=, lower-case, trimmed
  std::string identity;                     // i=
  int64_t body_length = -1;                 // l=; -1 when absent or unreadable
  std::string query;                        // q=
  std::string selector;                     // s=
  int64_t timestamp = -1;                   // t=
  int64_t expiration = -1;                  // x=
  // Problems a verifier would reject for (RFC 6376 §3.5, §6.1.1): v not
  // "1", From not signed, i= outside d=, x= before t=. Texts for people.
  std::vector<std::string> problems;
  size_t field_offset = 0;
};

// ARC-Seal (RFC 8617 §4.1.3).
struct ArcSeal {
  bool valid = false;            // the tag list parsed and i= is 1..50
  int instance = 0;              // i=
  std::string chain_validation;  // cv=: "none", "pass", "fail"
  std::string algorithm;         // a=
  std::string domain;            // d=, lower-case
  std::string selector;          // s=
  size_t field_offset = 0;
};

// ARC-Message-Signature: only what identifies it.
struct ArcMessageSignature {
  bool valid = false;
  int instance = 0;
  std::string domain;
  std::string selector;
  size_t field_offset = 0;
};

struct AuthFacts {
  std::vector<AuthenticationResults> authentication_results;  // header order
  std::vector<AuthenticationResults> arc_authentication_results;
  std::vector<ArcSeal> arc_seals;
  std::vector<ArcMessageSignature> arc_message_signatures;
  std::vector<ReceivedSpf> received_spf;
  std::vector<DkimSignature> dkim_signatures;
  // Return-Path: the envelope sender as the final server recorded it.
  bool has_return_path = false;
  std::string return_path;         // "" for the null path "<>"
  std::string return_path_domain;  // lower-case
  std::string from_address;        // the first mailbox of From:
  std::string from_domain;         // lower-case
  std::string sender_address;      // Sender:
  std::string sender_domain;
  // RFC 2369 List-Unsubscribe and RFC 8058 one-click.
  bool list_unsubscribe = false;
  bool list_unsubscribe_https = false;   // an https: URI is offered
  bool list_unsubscribe_mailto = false;  // a mailto: URI is offered
  bool list_unsubscribe_post = false;    // List-Unsubscribe-Post is there
  // RFC 8058: the Post value is "List-Unsubscribe=One-Click" and an https
  // URI is offered.
  bool one_click_unsubscribe = false;
  // The authserv-ids ApplyTrust() trusted, lower-case.
  std::vector<std::string> trusted_authserv_ids;
};

// Parses one Authentication-Results value (RFC 8601 §2.2). Tolerates what
// real writers do: no authserv-id (Microsoft starts with "spf=..."), a
// version after the id ("mx.microsoft.com 1"), missing spaces after ";",
// blanks around "=", and non-standard "key=value" pairs (Microsoft's
// "action=none", kept as properties with ptype ""). For
// ARC-Authentication-Results pass `arc` true: a leading "i=N;" is read
// into arc_instance. A result without "=" is skipped with a warning
// ("auth-results: ..."). `warnings` may be null.
AuthenticationResults ParseAuthenticationResults(std::string_view value, bool arc,
                                                 std::vector<std::string>* warnings);

// Parses a Received-SPF value. An unknown result word is kept as written
// (lower-cased); key=value pairs other than the RFC's are ignored.
ReceivedSpf ParseReceivedSpf(std::string_view value);

// Parses a DKIM-Signature value; never fails (see `valid`/`error`).
DkimSignature ParseDkimSignature(std::string_view value);
ArcSeal ParseArcSeal(std::string_view value);
ArcMessageSignature ParseArcMessageSignature(std::string_view value);

// Reads every header above from `block`. Warnings start with
// "auth-results: "; `warnings` may be null.
AuthFacts ReadAuthFacts(const HeaderBlock& block, std::vector<std::string>* warnings);

// Where the recipient's infrastructure is, to decide which results to trust.
struct TrustContext {
  std::string_view recipient_domain;  // may be empty
  std::string_view edge_by;           // ReceivedEdge::by; may be empty
  // Where the headers written outside the recipient's servers begin: the
  // field_offset of the Received field just below the edge hop (the last
  // one the sending side wrote). kNoOffset when unknown, or when the edge
  // is the oldest hop.
  size_t outside_offset = kNoOffset;
};

// The context for a chain: its edge's by-host and the offset of the hop
// below the edge (TrustContext{recipient_domain, "", kNoOffset} when no
// edge was found). The returned views point into `chain` and
// `recipient_domain`.
TrustContext TrustContextFor(const ReceivedChain& chain, std::string_view recipient_domain);

// Anyone can write an Authentication-Results header, so only those the
// recipient's own servers added count (RFC 8601 §5, §7.1). The rule:
// 1. A field at or after `outside_offset` came with the message from the
//    sending side: never trusted. (Receivers write their results just
//    below or above their own Received line: Gmail puts Received-SPF and
//    Authentication-Results right under it, so the boundary is the next
//    Received down, not the edge's own.)
// 2. Of the rest, a field is trusted when its authserv-id is, or is a host
//    in, the same organisation (received.h SameOrganisation: registrable
//    domain or known provider) as the edge's receiving host or the
//    recipient domain.
// 3. A field with no authserv-id is trusted only when the edge's receiving
//    host is Microsoft's, which writes its results that way.
// ARC-Authentication-Results follow the same rule. Sets `trusted` on every
// field and fills facts->trusted_authserv_ids (the distinct ids trusted, in
// header order, newest first; "" stands for Microsoft's missing id).
void ApplyTrust(const TrustContext& context, AuthFacts* facts);

}  // namespace bouncedx::mail

#endif  // BOUNCEDX_CORE_MAIL_AUTH_RESULTS_H_
