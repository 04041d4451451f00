// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_DNS_TYPES_H_
#define BOUNCEDX_CORE_DNS_TYPES_H_

// Numbers of the DNS protocol that the rest of the core names: resource
// record types, classes, opcodes and response codes, with the mnemonic of
// each for reports. The numbers are plain uint16_t constants grouped in
// structs, so `RrType::kTxt` reads like an enumerator and still goes straight
// into a Question or a wire header without a cast.
//
//   std::string label = RrTypeName(RrType::kMx);   // "MX"
//   if (message.header.rcode == Rcode::kNxDomain) ...

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace bouncedx::dns {

// Resource record types (IANA "Resource Record (RR) TYPEs" registry).
struct RrType {
  static constexpr uint16_t kA = 1;
  static constexpr uint16_t kNs = 2;
  static constexpr uint16_t kCname = 5;
  static constexpr uint16_t kSoa = 6;
  static constexpr uint16_t kPtr = 12;
  static constexpr uint16_t kHinfo = 13;
  static constexpr uint16_t kMx = 15;
  static constexpr uint16_t kTxt = 16;
  static constexpr uint16_t kAaaa = 28;
  static constexpr uint16_t kSrv = 33;
  static constexpr uint16_t kDname = 39;
  static constexpr uint16_t kOpt = 41;
  static constexpr uint16_t kDs = 43;
  static constexpr uint16_t kRrsig = 46;
  static constexpr uint16_t kNsec = 47;
  static constexpr uint16_t kDnskey = 48;
  static constexpr uint16_t kNsec3 = 50;
  static constexpr uint16_t kTlsa = 52;
  static constexpr uint16_t kSvcb = 64;
  static constexpr uint16_t kHttps = 65;
  static constexpr uint16_t kSpf = 99;  // obsolete (RFC 7208 §14.1); seen in old zones
  static constexpr uint16_t kAny = 255;
  static constexpr uint16_t kCaa = 257;
};

// Classes. Only IN is ever asked; the others appear in hostile answers.
struct RrClass {
  static constexpr uint16_t kIn = 1;
  static constexpr uint16_t kCh = 3;
  static constexpr uint16_t kHs = 4;
  static constexpr uint16_t kNone = 254;
  static constexpr uint16_t kAny = 255;
};

// Header opcodes (RFC 1035 §4.1.1, RFC 1996, RFC 2136).
struct Opcode {
  static constexpr uint8_t kQuery = 0;
  static constexpr uint8_t kIquery = 1;
  static constexpr uint8_t kStatus = 2;
  static constexpr uint8_t kNotify = 4;
  static constexpr uint8_t kUpdate = 5;
};

// Response codes. Values above 15 only exist as extended rcodes, whose upper
// eight bits travel in the EDNS0 OPT record (RFC 6891 §6.1.3).
struct Rcode {
  static constexpr uint16_t kNoError = 0;
  static constexpr uint16_t kFormErr = 1;
  static constexpr uint16_t kServFail = 2;
  static constexpr uint16_t kNxDomain = 3;
  static constexpr uint16_t kNotImp = 4;
  static constexpr uint16_t kRefused = 5;
  static constexpr uint16_t kYxDomain = 6;
  static constexpr uint16_t kYxRrset = 7;
  static constexpr uint16_t kNxRrset = 8;
  static constexpr uint16_t kNotAuth = 9;
  static constexpr uint16_t kNotZone = 10;
  static constexpr uint16_t kBadVers = 16;
  static constexpr uint16_t kBadCookie = 23;
};

// Protocol sizes (RFC 1035 §2.3.4, §4.1.1; RFC 6891; DNS flag day 2020).
constexpr size_t kHeaderBytes = 12;
constexpr size_t kMaxLabelOctets = 63;
constexpr size_t kMaxNameOctets = 255;  // wire form, length octets and root included
constexpr size_t kMaxMessageBytes = 65535;
constexpr uint16_t kEdnsUdpPayloadSize = 1232;

// "A", "MX", "TXT" ...; "TYPE<n>" style text is not produced here, so an
// unknown type gives "unknown". Never returns null.
const char* RrTypeName(uint16_t type);
// "IN", "CH" ...; "unknown" otherwise.
const char* RrClassName(uint16_t rr_class);
// "QUERY", "NOTIFY" ...; "unknown" otherwise.
const char* OpcodeName(uint8_t opcode);
// "NOERROR", "NXDOMAIN", "BADVERS" ...; "unknown" otherwise.
const char* RcodeName(uint16_t rcode);

// Looks up a type by mnemonic, ASCII case-insensitively ("mx" -> 15). Also
// accepts the RFC 3597 form "TYPE15". Returns false for anything else.
bool ParseRrType(std::string_view text, uint16_t* type);

}  // namespace bouncedx::dns

#endif  // BOUNCEDX_CORE_DNS_TYPES_H_
