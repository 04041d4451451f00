// SPDX-License-Identifier: MIT
#include "core/dns/query.h"

#include "core/dns/name.h"
#include "core/dns/types.h"

namespace bouncedx::dns {
namespace {

void AppendU16(uint16_t value, std::string* out) {
  out->push_back(static_cast<char>(value >> 8));
  out->push_back(static_cast<char>(value & 0xff));
}

}  // namespace

Result<std::string> BuildQuery(std::string_view name, uint16_t type, uint16_t id) {
  Result<std::string> qname = EncodeName(name);
  if (!qname.ok()) {
    return Status(qname.status().code(), "dns: query: " + qname.status().message());
  }
  std::string wire;
  wire.reserve(kHeaderBytes + qname->size() + 4 + 11);
  AppendU16(id, &wire);
  AppendU16(0x0100, &wire);  // QR 0, opcode QUERY, RD 1
  AppendU16(1, &wire);       // QDCOUNT
  AppendU16(0, &wire);       // ANCOUNT
  AppendU16(0, &wire);       // NSCOUNT
  AppendU16(1, &wire);       // ARCOUNT: the OPT record
  wire += qname.value();
  AppendU16(type, &wire);
  AppendU16(RrClass::kIn, &wire);
  // OPT pseudo-record, RFC 6891 §6.1.2: root owner, the UDP payload size in
  // the class field, extended rcode 0, version 0 and DO 0 in the TTL field,
  // and no options.
  wire.push_back('\0');
  AppendU16(RrType::kOpt, &wire);
  AppendU16(kEdnsUdpPayloadSize, &wire);
  AppendU16(0, &wire);  // extended rcode, version
  AppendU16(0, &wire);  // DO and the other flags
  AppendU16(0, &wire);  // RDLENGTH
  return wire;
}

}  // namespace bouncedx::dns
