// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_DNS_MESSAGE_H_
#define BOUNCEDX_CORE_DNS_MESSAGE_H_

// Parsing a DNS response message (RFC 1035 §4) into plain structs, and
// presenting record data for reports. The bytes come straight from a
// DNS-over-HTTPS body or a system resolver and are treated as hostile: every
// length is checked, names go through ReadName() (loop-proof compression),
// and nothing is trusted that the bytes do not prove.
//
//   Result<Message> message = ParseMessage(wire, options.limits);
//   if (!message.ok()) return Fail(message.status());   // "dns: answer 2: ..."
//   for (const ResourceRecord& rr : message->answers) {
//     if (rr.type == RrType::kTxt) Use(rr.text);
//   }
//
// ValidateResponse() and ExtractAnswers() in answer.h then decide whether the
// message answers the question that was asked, and what the answer is.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/limits.h"
#include "core/base/status.h"

namespace bouncedx::dns {

// The fixed header, flags unpacked. `rcode` is the full response code: the
// header's four bits combined with the upper eight bits from the OPT record
// when one is present (RFC 6891 §6.1.3).
struct Header {
  uint16_t id = 0;
  bool qr = false;  // a response
  uint8_t opcode = 0;
  bool aa = false;  // authoritative answer
  bool tc = false;  // truncated
  bool rd = false;  // recursion desired
  bool ra = false;  // recursion available
  bool z = false;   // reserved bit; must be zero, kept to show it was not
  bool ad = false;  // authentic data (DNSSEC-validated by the resolver)
  bool cd = false;  // checking disabled
  uint16_t rcode = 0;
  // Counts as the header states them.
  uint16_t qdcount = 0;
  uint16_t ancount = 0;
  uint16_t nscount = 0;
  uint16_t arcount = 0;
};

// One entry of the question section.
struct QuestionEntry {
  std::string name;  // presentation form (see name.h), no trailing dot
  uint16_t type = 0;
  uint16_t rr_class = 0;
};

struct SoaData {
  std::string mname;  // primary name server
  std::string rname;  // responsible mailbox, as a name ("hostmaster.example.com")
  uint32_t serial = 0;
  uint32_t refresh = 0;
  uint32_t retry = 0;
  uint32_t expire = 0;
  uint32_t minimum = 0;  // negative-caching TTL (RFC 2308 §4)
};

// What the OPT pseudo-record of the additional section said (RFC 6891).
struct EdnsData {
  bool present = false;
  uint16_t udp_payload_size = 0;
  uint8_t extended_rcode = 0;  // upper eight bits of the 12-bit rcode
  uint8_t version = 0;
  bool dnssec_ok = false;
  std::string options;  // raw option bytes (code, length, data)...
};

// One resource record. `rdata` always holds the raw record data as it sits in
// the message; the typed fields are filled for the types listed with them
// and left empty otherwise. Names inside rdata are decoded (pointers
// followed) into the typed fields; `rdata` keeps them as they were.
struct ResourceRecord {
  std::string name;  // owner, presentation form
  uint16_t type = 0;
  uint16_t rr_class = 0;
  uint32_t ttl = 0;
  std::string rdata;

  std::string address;               // A, AAAA (class IN): "192.0.2.1", "2001:db8::1"
  std::string target;                // NS, CNAME, PTR, DNAME: the name; MX: the exchange
  uint16_t preference = 0;           // MX
  std::vector<std::string> strings;  // TXT: each character-string, raw bytes
  std::string text;                  // TXT: the strings joined with no separator (RFC 7208 §3.3)
  SoaData soa;                       // SOA
};

struct Message {
  Header header;
  std::vector<QuestionEntry> questions;
  std::vector<ResourceRecord> answers;
  std::vector<ResourceRecord> authority;
  std::vector<ResourceRecord> additional;  // the OPT record stays here too
  EdnsData edns;
  // Oddities that did not stop the parse ("dns: 3 bytes after the last
  // record ignored"), already made printable.
  std::vector<std::string> warnings;
};

// Parses a complete DNS message. Fails with a Status whose message names the
// place first ("dns: answer 2: rdata overruns message") on: an empty message
// or one shorter than the 12-byte header or longer than 65535 bytes; header
// counts that promise more entries than the bytes hold (kTruncated); a bad
// name anywhere (see ReadName()); rdata that overruns the message, or whose
// typed content does not fill its rdlength exactly (A not 4 bytes, a TXT
// string running past the rdata, bytes left after an MX exchange ...).
// Leniencies, each recorded in `warnings`: a message with TC set may end
// early at a record boundary (the records read are kept); bytes after the
// last record are ignored; a second OPT record is ignored.
// `limits` carries the caps of the core; the protocol's own bounds (message
// size, name length, pointer hops) already keep this parse small.
Result<Message> ParseMessage(std::string_view wire, const Limits& limits);

// Record data as text for reports, in master-file style:
//   A/AAAA  "192.0.2.1"            NS/CNAME/PTR/DNAME  "mx.example.com"
//   MX      "10 mx.example.com"    TXT  "\"v=spf1 -all\" \"more\""
//   SOA     "ns.example.com hostmaster.example.com 2024010101 7200 3600 1209600 300"
//   OPT     "udp 1232 version 0 do 0 options 0 bytes"
// anything else in the RFC 3597 form "\# 4 0a000001". TXT strings escape
// '"' and '\' with a backslash and bytes outside printable ASCII as \DDD, so
// the result is always printable ASCII.
std::string RdataToText(const ResourceRecord& record);

}  // namespace bouncedx::dns

#endif  // BOUNCEDX_CORE_DNS_MESSAGE_H_
