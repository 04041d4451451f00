// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_REPORT_REPORT_H_
#define BOUNCEDX_CORE_REPORT_REPORT_H_

// The Report: everything bouncedx knows about one pasted input, as plain
// data. A Diagnosis keeps one that is complete and renderable at every
// moment; ReportToJson() (report_json.h) turns it into the versioned JSON
// that the page and `bouncedx --json` emit. SCHEMA.md beside this file
// documents every field; change both together and bump kReportSchema when a
// change is not backward compatible.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bouncedx {

inline constexpr int kReportSchema = 1;

// What kind of paste this is (input/detect.h decides).
enum class InputKind {
  kEmpty,       // nothing but white space
  kBinary,      // not text: NULs or control bytes
  kSmtpReply,   // one SMTP reply, possibly multi-line
  kBounce,      // a non-delivery report or DSN, whole or in part
  kHeaders,     // message headers ("show original")
  kText,        // text we could not place (still scanned for signatures)
};
const char* InputKindName(InputKind kind);

enum class CheckState { kPending, kPass, kWarn, kFail, kInfo, kError };
const char* CheckStateName(CheckState state);

// A byte range [begin, end) of the input (after any cut to max_input_bytes)
// and what it shows.
struct EvidenceSpan {
  size_t begin = 0;
  size_t end = 0;
  std::string signal;     // signature id or parser element ("reply_code")
  std::string text;       // Printable() copy of the matched bytes
  std::string cause_id;   // the cause this span argues for, if any
};

// A reply code or enhanced status code and what it means.
struct CodeMeaning {
  std::string code;     // "554", "5.7.1"
  std::string meaning;  // from core/knowledge/codes.json
  std::string note;     // provider-specific reading, when one applies
};

struct Recipient {
  std::string address;          // "" when the bounce does not say
  std::string action;           // DSN Action: failed, delayed, delivered, relayed, expanded
  int reply_code = 0;           // 0 when none was found
  std::string enhanced_code;    // "5.7.1" or ""
  std::vector<CodeMeaning> meanings;  // basic code first, then enhanced
  std::string remote_mta;       // host that gave the reply, if known
  std::string diagnostic;       // the reply text, Printable()
  std::string last_command;     // RCPT TO, DATA, end of data, connect...
  std::string cause_id;         // per-recipient cause when it differs
};

struct Link {
  std::string label;
  std::string url;
};

struct FixStep {
  std::string who;   // sender, sender_admin, ip_owner, recipient_admin, dns_admin, esp
  std::string who_label;  // "Your mail administrator"
  std::string text;  // placeholders already filled in
  std::vector<Link> links;
};

struct Verdict {
  std::string cause_id;       // "dnsbl_listed"; "unknown" when nothing fits
  std::string cause_class;    // coarse class, DESIGN.md Knowledge
  std::string severity;       // permanent | transient | not_a_failure
  std::string title;          // one line for people
  std::string confidence;     // high | medium | low
  std::string basis;          // signature | enhanced_code | reply_code | dns | none
  std::string provider_id;    // "" when unknown
  std::string provider_name;
  std::string rejecting_host; // host named as the rejecting server, if any
  // The system that wrote the bounce (an MTA such as Postfix or Exchange),
  // when it can be told; often the sender's own server, not the rejecter.
  std::string reporter_id;
  std::string reporter_name;
  std::string signature_id;   // deciding signature, if any
  bool generic = false;       // true when only codes (no wording) decided
  // Other causes that matched, most specific first, and why they lost.
  std::vector<std::string> alternatives;
  // Disagreements worth telling the reader ("enhanced code says 5.1.1 but
  // the text says the IP is blocklisted").
  std::vector<std::string> conflicts;
};

struct Explanation {
  std::string summary;  // plain words, for the person holding the bounce
  std::string detail;   // the technical reading, for their admin
};

struct DkimSelector {
  std::string domain;
  std::string selector;
};

struct Entities {
  std::string sending_ip;        // as the recipient saw it
  std::string helo;
  std::string envelope_sender_domain;
  std::string header_from_domain;
  std::string recipient_domain;
  std::string blocklist_zone;    // zone named in the reply ("zen.spamhaus.org")
  std::vector<DkimSelector> dkim;
  // List-Unsubscribe is offered, and with RFC 8058 one-click (what Gmail and
  // Yahoo require of bulk senders).
  bool list_unsubscribe = false;
  bool one_click_unsubscribe = false;
};

// The message that bounced, as the bounce returned it (its headers).
struct OriginalMessage {
  bool present = false;
  std::string from;
  std::string to;
  std::string subject;
  std::string date;
  std::string message_id;
  std::string return_path;
};

struct Hop {
  std::string from_helo;
  std::string from_rdns;
  std::string from_ip;
  std::string by;
  std::string with;
  std::string id;
  std::string protocol;  // ESMTPS, ESMTPSA, SMTP, LMTP...
  std::string tls;       // TLS detail as written, "" when none
  std::string time;      // as written
  int64_t unix_time = 0; // 0 when unparsed
  int64_t delay_seconds = -1;  // to the next hop; -1 unknown
  bool edge = false;
};

struct AuthResult {
  std::string method;   // spf, dkim, dmarc, arc, iprev, compauth...
  std::string result;   // pass, fail, ...
  std::string detail;   // reason and properties ("smtp.mailfrom=example.com")
  std::string authserv_id;
  std::string header;   // Authentication-Results, ARC-Authentication-Results, Received-SPF
  // Written by the recipient's own systems (see core/mail/auth_results.h);
  // results from elsewhere are shown but never relied on.
  bool trusted = false;
  std::string domain;   // the identifier judged: header.d for DKIM, smtp.mailfrom for SPF
};

// Where the mail entered the recipient's organisation (the "edge"), found
// from the Received chain.
struct Edge {
  bool found = false;
  bool guessed = false;   // no hop was clearly the recipient's: a best guess
  int hop = -1;           // index into hops
  std::string ip;
  std::string helo;
  std::string rdns;
  std::string by;
  std::vector<std::string> reasoning;
};

// A decoded antispam header field ("SCL 5: judged spam").
struct HeaderFinding {
  std::string header;
  std::string field;
  std::string value;
  std::string meaning;
};

struct DnsRecord {
  std::string name;
  std::string type;
  uint32_t ttl = 0;
  std::string data;
};

struct Check {
  std::string id;       // ptr, fcrdns, helo, spf, dmarc, dkim, dnsbl:<zone>, mx
  std::string subject;  // what was checked ("203.0.113.5")
  CheckState state = CheckState::kPending;
  std::string summary;
  std::vector<std::string> details;
  std::vector<DnsRecord> records;  // the DNS data that decided it
  // The cause a failed (or warning) result points to, e.g. "ptr_missing";
  // "" when the check found nothing wrong. The engine refines the verdict
  // with it (causes.json "refined_by").
  std::string cause_id;
};

struct Report {
  // The caller's name for the input (the CLI's --jsonl "id"), echoed back
  // so that bulk output can be joined to its input; "" otherwise.
  std::string input_id;
  InputKind input_kind = InputKind::kEmpty;
  size_t input_bytes = 0;   // bytes received
  size_t analysed_bytes = 0;  // bytes examined (smaller when cut)
  std::vector<std::string> warnings;
  std::vector<Recipient> recipients;
  Verdict verdict;
  std::vector<EvidenceSpan> evidence;
  Explanation explanation;
  std::vector<FixStep> fix;
  std::vector<Link> links;
  Entities entities;
  OriginalMessage original;
  std::vector<Hop> hops;
  Edge edge;
  std::vector<AuthResult> auth_results;
  std::vector<HeaderFinding> header_findings;
  std::vector<Check> checks;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_REPORT_REPORT_H_
