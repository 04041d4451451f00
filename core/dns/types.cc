// SPDX-License-Identifier: MIT
#include "core/dns/types.h"

#include "core/base/byte_reader.h"
#include "core/base/text.h"

namespace bouncedx::dns {
namespace {

struct TypeEntry {
  uint16_t type;
  const char* name;
};

constexpr TypeEntry kTypes[] = {
    {RrType::kA, "A"},           {RrType::kNs, "NS"},       {RrType::kCname, "CNAME"},
    {RrType::kSoa, "SOA"},       {RrType::kPtr, "PTR"},     {RrType::kHinfo, "HINFO"},
    {RrType::kMx, "MX"},         {RrType::kTxt, "TXT"},     {RrType::kAaaa, "AAAA"},
    {RrType::kSrv, "SRV"},       {RrType::kDname, "DNAME"}, {RrType::kOpt, "OPT"},
    {RrType::kDs, "DS"},         {RrType::kRrsig, "RRSIG"}, {RrType::kNsec, "NSEC"},
    {RrType::kDnskey, "DNSKEY"}, {RrType::kNsec3, "NSEC3"}, {RrType::kTlsa, "TLSA"},
    {RrType::kSvcb, "SVCB"},     {RrType::kHttps, "HTTPS"}, {RrType::kSpf, "SPF"},
    {RrType::kAny, "ANY"},       {RrType::kCaa, "CAA"},
};

}  // namespace

const char* RrTypeName(uint16_t type) {
  for (const TypeEntry& entry : kTypes) {
    if (entry.type == type) return entry.name;
  }
  return "unknown";
}

const char* RrClassName(uint16_t rr_class) {
  switch (rr_class) {
    case RrClass::kIn:
      return "IN";
    case RrClass::kCh:
      return "CH";
    case RrClass::kHs:
      return "HS";
    case RrClass::kNone:
      return "NONE";
    case RrClass::kAny:
      return "ANY";
  }
  return "unknown";
}

const char* OpcodeName(uint8_t opcode) {
  switch (opcode) {
    case Opcode::kQuery:
      return "QUERY";
    case Opcode::kIquery:
      return "IQUERY";
    case Opcode::kStatus:
      return "STATUS";
    case Opcode::kNotify:
      return "NOTIFY";
    case Opcode::kUpdate:
      return "UPDATE";
  }
  return "unknown";
}

const char* RcodeName(uint16_t rcode) {
  switch (rcode) {
    case Rcode::kNoError:
      return "NOERROR";
    case Rcode::kFormErr:
      return "FORMERR";
    case Rcode::kServFail:
      return "SERVFAIL";
    case Rcode::kNxDomain:
      return "NXDOMAIN";
    case Rcode::kNotImp:
      return "NOTIMP";
    case Rcode::kRefused:
      return "REFUSED";
    case Rcode::kYxDomain:
      return "YXDOMAIN";
    case Rcode::kYxRrset:
      return "YXRRSET";
    case Rcode::kNxRrset:
      return "NXRRSET";
    case Rcode::kNotAuth:
      return "NOTAUTH";
    case Rcode::kNotZone:
      return "NOTZONE";
    case Rcode::kBadVers:
      return "BADVERS";
    case Rcode::kBadCookie:
      return "BADCOOKIE";
  }
  return "unknown";
}

bool ParseRrType(std::string_view text, uint16_t* type) {
  for (const TypeEntry& entry : kTypes) {
    if (EqualsCaseless(text, entry.name)) {
      *type = entry.type;
      return true;
    }
  }
  ByteReader reader(text);
  if (!reader.ConsumeCaseless("TYPE")) return false;
  int value = 0;
  if (!reader.ReadNumber(/*max_digits=*/5, &value) || !reader.AtEnd() || value > 65535) {
    return false;
  }
  *type = static_cast<uint16_t>(value);
  return true;
}

}  // namespace bouncedx::dns
