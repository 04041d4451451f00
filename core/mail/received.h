// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_MAIL_RECEIVED_H_
#define BOUNCEDX_CORE_MAIL_RECEIVED_H_

// The Received: chain of a message, and the one fact bouncedx needs most
// from it: which IP address (and HELO name) the recipient's servers saw when
// the message arrived from outside, "the edge".
//
//   HeaderBlock block = ParseHeaders(text, 0, limits, &warnings);
//   ReceivedChain chain = AnalyseReceived(block, "example.com", mx_hosts, &warnings);
//   if (chain.edge.found) {
//     Check(chain.edge.ip, chain.edge.helo);   // "192.0.2.1", "mail.example.org"
//     for (const std::string& line : chain.edge.reasoning) Show(line);
//   }
//
// ParseReceived() reads one field value in the layouts real MTAs write
// (RFC 5321 §4.4 names the clauses; every MTA fills them its own way):
//   Postfix    from helo.example (rdns.example [192.0.2.1]) by mx.example.net
//              (Postfix) with ESMTPS id 4AbC for <u@example.net>; date
//   Exim       from rdns.example ([192.0.2.1]:54321 helo=helo.example) by mx
//              with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96)
//              (envelope-from <a@example.org>) id 1rAbc-000; date
//   Sendmail   from helo (rdns [192.0.2.1] (may be forged)) by mx
//              (8.15.2/8.15.2) with ESMTP id x; date
//   qmail      from unknown (HELO helo.example) (192.0.2.1) by mx with SMTP; date
//   Microsoft  from X.prod.outlook.com (2603:10a6:...) by Y.outlook.com
//              (2603:...) with Microsoft SMTP Server (version=TLS1_2,
//              cipher=...) id 15.20.7270.30 via Frontend Transport; date
//   Gmail      from mail-x.google.com (mail-x.google.com. [209.85.220.41]) by
//              mx.google.com with SMTPS id x for <u@gmail.com> (version=...); date
//   Yahoo      from 192.0.2.1 (EHLO helo.example) by 10.197.1.2 with SMTP; date
// and address literals ("[192.0.2.1]", "[IPv6:2001:db8::1]"), bare
// addresses, nested comments and missing clauses.
//
// Which name is which. RFC 5321 says the word after "from" is the EHLO name
// and the comment holds the reverse name and the address; Postfix, Sendmail,
// Gmail and Microsoft follow it. Exim and qmail put the reverse name there
// instead and the EHLO name in the comment ("helo=x", "(HELO x)"), so a
// comment naming the HELO turns the word into the reverse name. Exim writes
// "from name ([ip])" when EHLO and reverse name agree: with "Exim" in the
// by-comment, the word is taken as both.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/dns/ip.h"
#include "core/mail/headers.h"

namespace bouncedx::mail {

// One Received: field. Text fields are as written (unquoted, trimmed), not
// sanitized: pass them through Printable() before showing them.
struct ReceivedHop {
  // The from clause. Any of these may be empty.
  std::string from_word;       // the word after "from" as written
  std::string helo;            // the EHLO/HELO name the client gave ("[192.0.2.1]" if a literal)
  std::string rdns;            // the reverse name the receiver looked up (no trailing dot)
  std::string ip;              // the client's address, canonical (FormatIp), "" when none
  dns::IpAddress address;      // the same, parsed (family kNone when none)
  bool may_be_forged = false;  // Sendmail's "(may be forged)": rDNS did not confirm
  // The by clause.
  std::string by;           // the receiving host as written (no trailing dot)
  std::string by_ip;        // its address when a comment gives it (Microsoft), canonical
  std::string by_software;  // a by-comment naming the MTA: "Postfix", "Exim 4.96"
  // "via" words (Microsoft: "Frontend Transport").
  std::string via;
  // The with clause: every word, joined by one blank ("ESMTPS",
  // "Microsoft SMTP Server", "esmtps").
  std::string with;
  // The protocol, upper-case: the first word of `with` when it is one of
  // the IANA "WITH protocol types" (SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA,
  // LMTP..., UTF8SMTP..., HTTP, HTTPS, IMAP, LOCAL, MAPI) or a common
  // variant (SMTPS, SMTPSA); "SMTP" for "Microsoft SMTP Server"; "" else.
  std::string protocol;
  // TLS detail from comments and Exim's "tls" word ("TLS1.3",
  // "using TLSv1.3 with cipher ...", "version=TLS1_2 cipher=..."), joined
  // by "; ". Empty when none was written.
  std::string tls;
  bool encrypted = false;      // protocol ends in S/SA, or `tls` is not empty
  bool authenticated = false;  // ESMTPA/ESMTPSA/..., or "Authenticated sender"
  std::string id;              // the id clause
  std::string for_address;     // the for clause, without angle brackets
  std::string envelope_from;   // Exim's "(envelope-from <x>)", without brackets
  // The date after the last ";" outside comments, as written, and as Unix
  // time (0 when absent or not a date: see date_time.h).
  std::string date;
  int64_t unix_time = 0;
  // Seconds from the previous (older, next below) hop's time to this hop's
  // time; -1 when either time is unknown or this is the oldest hop. When the
  // older hop claims a later time, this is 0 and clock_skew_seconds says
  // by how much (a positive number).
  int64_t delay_seconds = -1;
  int64_t clock_skew_seconds = 0;
  // Where the field starts in the parsed text (HeaderField::offset).
  size_t field_offset = 0;
  // True when nothing of the above could be read.
  bool empty() const {
    return from_word.empty() && ip.empty() && by.empty() && with.empty() && id.empty() &&
           date.empty();
  }
};

// Reads one unfolded Received: value. Never fails: unknown words are
// skipped, a missing clause leaves its fields empty, and garbage gives an
// empty hop. At most Limits::max_header_bytes of `value` are looked at.
ReceivedHop ParseReceived(std::string_view value);

// The server that handed the message to the recipient's organisation.
struct ReceivedEdge {
  bool found = false;
  // True when the recipient domain was unknown or no hop was added by its
  // servers, so the edge was picked by the best-guess rule (see
  // AnalyseReceived).
  bool guessed = false;
  size_t hop_index = 0;  // index into ReceivedChain::hops (0 = newest/top)
  std::string ip;        // canonical
  std::string helo;
  std::string rdns;
  std::string by;  // the recipient's server that received it
  // Why, in sentences for people, in the order the chain was read
  // ("hop 2: mx.google.com received from mail.example.org [192.0.2.1]: the
  // first server outside google.com, so this is the address Google
  // judged"). Hop numbers in these texts count from 1 at the top. Fragments
  // of the input in them have passed through Printable().
  std::vector<std::string> reasoning;
};

struct ReceivedChain {
  std::vector<ReceivedHop> hops;  // header order: newest (top) first
  ReceivedEdge edge;
};

// Parses every Received: field of `block`, computes the delays between
// consecutive hops, and finds the edge:
//
// The recipient's organisation is made of the registrable domain of
// `recipient_domain`, those of `recipient_mx_hosts`, and the known
// mailbox-provider family (KnownProviderOf) of any of these; when no MX host
// is given, also the family of the newest hop's receiving host, if it is a
// known mailbox provider (a Google Workspace mailbox for a custom domain is
// delivered by mx.google.com). Hops are read from the top; hops above the
// first one received by the organisation are skipped (Gmail's internal
// "by 2002:a05:..." hop). Received by the organisation, a hop is internal
// when the client's address is not public (private, loopback, link-local,
// shared, unspecified, reserved: IpScope; documentation ranges count as
// public), or its reverse name (its HELO name when there is no reverse name)
// is inside the organisation, or it names no client at all. The first hop
// that is not internal is the edge.
//
// When `recipient_domain` is empty, or no hop was received by the
// organisation, the edge is a best guess: the topmost hop with a public
// client address whose receiving host is in another organisation (other
// registrable domain, other provider family) than the client's name; the
// reasoning says it is a guess. No edge is found when no hop qualifies.
//
// Warnings ("received: ...") for unreadable fields and clock skew.
// `warnings` may be null.
ReceivedChain AnalyseReceived(const HeaderBlock& block, std::string_view recipient_domain,
                              const std::vector<std::string>& recipient_mx_hosts,
                              std::vector<std::string>* warnings);

// Organisation helpers, shared with auth_results.h.
//
// The registrable domain of a host name, lower-case and without a trailing
// dot: the last two labels, or the last three when the second-last is a
// common second-level label under a two-letter country code ("co.uk",
// "com.au", "ne.jp"...). An approximation of the Public Suffix List, good
// enough to group a provider's hosts. "" for an address literal, an IP, or
// a name without a dot.
std::string RegistrableDomain(std::string_view host);

// The name of the mailbox provider whose infrastructure `host` belongs to
// ("Google" for mx.google.com, gmail.com or 1e100.net; "Microsoft" for
// *.outlook.com, *.exchangelabs.com, hotmail.com; "Yahoo" for yahoo.com,
// yahoodns.net, aol.com; also Apple, Zoho, Proton, Fastmail, GMX/WEB.DE,
// Mimecast, Proofpoint, Barracuda), or "" when it is not a known one.
std::string_view KnownProviderOf(std::string_view host);

// True when both hosts share a registrable domain or a known provider.
// False when either has no registrable domain.
bool SameOrganisation(std::string_view a, std::string_view b);

}  // namespace bouncedx::mail

#endif  // BOUNCEDX_CORE_MAIL_RECEIVED_H_
