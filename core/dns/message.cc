// SPDX-License-Identifier: MIT
#include "core/dns/message.h"

#include "core/base/byte_reader.h"
#include "core/base/text.h"
#include "core/dns/ip.h"
#include "core/dns/name.h"
#include "core/dns/types.h"

namespace bouncedx::dns {
namespace {

// Builds "dns: answer 2: <detail>" style messages.
Status At(StatusCode code, const std::string& where, const std::string& detail) {
  return Status(code, "dns: " + where + ": " + detail);
}

// Reads one name from `reader`, turning a failure into a Status that names
// the record and the role of the name ("dns: answer 1: MX exchange name: ...").
bool ReadNameAt(ByteReader* reader, const std::string& where, const char* role, std::string* out,
                Status* status) {
  Result<std::string> name = ReadName(reader);
  if (!name.ok()) {
    *status = At(name.status().code(), where, std::string(role) + " " + name.status().message());
    return false;
  }
  *out = std::move(name).value();
  return true;
}

void AppendCharacterString(std::string_view bytes, std::string* out) {
  out->push_back('"');
  AppendEscapedBytes(bytes, "\"\\", 0x20, out);
  out->push_back('"');
}

std::string HexBytes(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
  }
  return out;
}

// Decodes the typed fields of `rr` from its rdata. `rdata` is a cursor over
// the message up to the end of this record's rdata, positioned at its start,
// so names may point back into the message but never run past the rdata.
Status ParseRdata(ByteReader rdata, const std::string& where, ResourceRecord* rr) {
  const size_t rdlength = rdata.remaining();
  Status status;
  switch (rr->type) {
    case RrType::kA:
    case RrType::kAaaa: {
      if (rr->rr_class != RrClass::kIn) return Status::Ok();  // class-specific data
      const size_t want = rr->type == RrType::kA ? 4 : 16;
      if (rdlength != want) {
        return At(StatusCode::kMalformed, where,
                  std::string(RrTypeName(rr->type)) + " rdata is " + std::to_string(rdlength) +
                      " bytes, expected " + std::to_string(want));
      }
      IpAddress ip;
      ip.family = rr->type == RrType::kA ? IpFamily::kV4 : IpFamily::kV6;
      for (size_t i = 0; i < want; ++i) rdata.ReadU8(&ip.bytes[i]);
      rr->address = FormatIp(ip);
      return Status::Ok();
    }
    case RrType::kNs:
    case RrType::kCname:
    case RrType::kPtr:
    case RrType::kDname: {
      const std::string role = std::string(RrTypeName(rr->type)) + " target";
      if (!ReadNameAt(&rdata, where, role.c_str(), &rr->target, &status)) return status;
      break;
    }
    case RrType::kMx:
      if (!rdata.ReadU16(&rr->preference)) {
        return At(StatusCode::kMalformed, where, "MX rdata too short for a preference");
      }
      if (!ReadNameAt(&rdata, where, "MX exchange", &rr->target, &status)) return status;
      break;
    case RrType::kTxt:
    case RrType::kSpf:
      while (!rdata.AtEnd()) {
        uint8_t length = 0;
        std::string_view bytes;
        rdata.ReadU8(&length);
        if (!rdata.ReadBytes(length, &bytes)) {
          return At(
              StatusCode::kMalformed, where,
              "TXT string " + std::to_string(rr->strings.size() + 1) + " runs past the rdata");
        }
        rr->strings.emplace_back(bytes);
        rr->text.append(bytes);
      }
      break;
    case RrType::kSoa: {
      SoaData& soa = rr->soa;
      if (!ReadNameAt(&rdata, where, "SOA mname", &soa.mname, &status) ||
          !ReadNameAt(&rdata, where, "SOA rname", &soa.rname, &status)) {
        return status;
      }
      if (!rdata.ReadU32(&soa.serial) || !rdata.ReadU32(&soa.refresh) ||
          !rdata.ReadU32(&soa.retry) || !rdata.ReadU32(&soa.expire) ||
          !rdata.ReadU32(&soa.minimum)) {
        return At(StatusCode::kMalformed, where, "SOA rdata too short for its five numbers");
      }
      break;
    }
    default:
      return Status::Ok();  // kept as raw bytes
  }
  if (!rdata.AtEnd()) {
    return At(StatusCode::kMalformed, where,
              std::string(RrTypeName(rr->type)) + " rdata has " +
                  std::to_string(rdata.remaining()) + " bytes left over");
  }
  return Status::Ok();
}

// Reads one record at `reader` (a cursor over the whole message).
Status ReadRecord(ByteReader* reader, const std::string& where, ResourceRecord* rr) {
  Status status;
  if (!ReadNameAt(reader, where, "owner", &rr->name, &status)) return status;
  uint16_t rdlength = 0;
  if (!reader->ReadU16(&rr->type) || !reader->ReadU16(&rr->rr_class) ||
      !reader->ReadU32(&rr->ttl) || !reader->ReadU16(&rdlength)) {
    return At(StatusCode::kTruncated, where, "message ends inside the record header");
  }
  const size_t rdata_start = reader->position();
  std::string_view raw;
  if (!reader->ReadBytes(rdlength, &raw)) {
    return At(StatusCode::kTruncated, where, "rdata overruns message");
  }
  rr->rdata = std::string(raw);
  ByteReader rdata(reader->data().substr(0, rdata_start + rdlength));
  rdata.Seek(rdata_start);
  return ParseRdata(rdata, where, rr);
}

// Reads `count` records. When a truncated (TC) message ends at a record
// boundary, sets *ended and stops without error; later sections are then
// skipped by the caller.
Status ReadSection(ByteReader* reader, const char* section, uint16_t count, bool truncated,
                   std::vector<ResourceRecord>* out, std::vector<std::string>* warnings,
                   bool* ended) {
  if (*ended) return Status::Ok();
  out->reserve(count < 64 ? count : 64);
  for (uint16_t i = 0; i < count; ++i) {
    const std::string where = std::string(section) + " " + std::to_string(i + 1);
    if (reader->AtEnd()) {
      if (truncated) {
        warnings->push_back("dns: truncated message ends before " + where + " of " +
                            std::to_string(count) + "; records read so far kept");
        *ended = true;
        return Status::Ok();
      }
      return At(StatusCode::kTruncated, where,
                "message ends before the record (header counts " + std::to_string(count) + ")");
    }
    ResourceRecord rr;
    Status status = ReadRecord(reader, where, &rr);
    if (!status.ok()) return status;
    out->push_back(std::move(rr));
  }
  return Status::Ok();
}

}  // namespace

Result<Message> ParseMessage(std::string_view wire, const Limits& /*limits*/) {
  if (wire.empty()) return Status(StatusCode::kTruncated, "dns: message is empty");
  if (wire.size() < kHeaderBytes) {
    return Status(StatusCode::kTruncated, "dns: message is " + std::to_string(wire.size()) +
                                              " bytes, shorter than the 12-byte header");
  }
  if (wire.size() > kMaxMessageBytes) {
    return Status(StatusCode::kMalformed, "dns: message is " + std::to_string(wire.size()) +
                                              " bytes, over the 65535-byte maximum");
  }
  ByteReader reader(wire);
  Message message;
  Header& header = message.header;
  uint16_t flags = 0;
  reader.ReadU16(&header.id);
  reader.ReadU16(&flags);
  reader.ReadU16(&header.qdcount);
  reader.ReadU16(&header.ancount);
  reader.ReadU16(&header.nscount);
  reader.ReadU16(&header.arcount);
  header.qr = (flags & 0x8000) != 0;
  header.opcode = static_cast<uint8_t>((flags >> 11) & 0xf);
  header.aa = (flags & 0x0400) != 0;
  header.tc = (flags & 0x0200) != 0;
  header.rd = (flags & 0x0100) != 0;
  header.ra = (flags & 0x0080) != 0;
  header.z = (flags & 0x0040) != 0;
  header.ad = (flags & 0x0020) != 0;
  header.cd = (flags & 0x0010) != 0;
  header.rcode = flags & 0xf;

  for (uint16_t i = 0; i < header.qdcount; ++i) {
    const std::string where = "question " + std::to_string(i + 1);
    if (reader.AtEnd()) {
      return At(StatusCode::kTruncated, where,
                "message ends before the question (header counts " +
                    std::to_string(header.qdcount) + ")");
    }
    QuestionEntry question;
    Status status;
    if (!ReadNameAt(&reader, where, "qname", &question.name, &status)) return status;
    if (!reader.ReadU16(&question.type) || !reader.ReadU16(&question.rr_class)) {
      return At(StatusCode::kTruncated, where, "message ends inside the question");
    }
    message.questions.push_back(std::move(question));
  }

  bool ended = false;
  Status status = ReadSection(&reader, "answer", header.ancount, header.tc, &message.answers,
                              &message.warnings, &ended);
  if (status.ok()) {
    status = ReadSection(&reader, "authority", header.nscount, header.tc, &message.authority,
                         &message.warnings, &ended);
  }
  if (status.ok()) {
    status = ReadSection(&reader, "additional", header.arcount, header.tc, &message.additional,
                         &message.warnings, &ended);
  }
  if (!status.ok()) return status;
  if (!reader.AtEnd()) {
    message.warnings.push_back("dns: " + std::to_string(reader.remaining()) +
                               " bytes after the last record ignored");
  }

  for (const ResourceRecord& rr : message.additional) {
    if (rr.type != RrType::kOpt) continue;
    if (message.edns.present) {
      message.warnings.push_back("dns: more than one OPT record; the first one is used");
      break;
    }
    if (rr.name != ".") {
      message.warnings.push_back("dns: OPT record owner is not the root name");
    }
    EdnsData& edns = message.edns;
    edns.present = true;
    edns.udp_payload_size = rr.rr_class;
    edns.extended_rcode = static_cast<uint8_t>(rr.ttl >> 24);
    edns.version = static_cast<uint8_t>((rr.ttl >> 16) & 0xff);
    edns.dnssec_ok = (rr.ttl & 0x8000) != 0;
    edns.options = rr.rdata;
    header.rcode = static_cast<uint16_t>(edns.extended_rcode << 4 | header.rcode);
  }
  return message;
}

std::string RdataToText(const ResourceRecord& record) {
  std::string text;
  switch (record.type) {
    case RrType::kA:
    case RrType::kAaaa:
      if (!record.address.empty()) return record.address;
      break;
    case RrType::kNs:
    case RrType::kCname:
    case RrType::kPtr:
    case RrType::kDname:
      if (!record.target.empty()) return record.target;
      break;
    case RrType::kMx:
      if (!record.target.empty()) return std::to_string(record.preference) + " " + record.target;
      break;
    case RrType::kTxt:
    case RrType::kSpf:
      for (const std::string& string : record.strings) {
        if (!text.empty()) text.push_back(' ');
        AppendCharacterString(string, &text);
      }
      if (!text.empty()) return text;
      break;
    case RrType::kSoa:
      if (!record.soa.mname.empty()) {
        const SoaData& soa = record.soa;
        return soa.mname + " " + soa.rname + " " + std::to_string(soa.serial) + " " +
               std::to_string(soa.refresh) + " " + std::to_string(soa.retry) + " " +
               std::to_string(soa.expire) + " " + std::to_string(soa.minimum);
      }
      break;
    case RrType::kOpt:
      return "udp " + std::to_string(record.rr_class) + " version " +
             std::to_string((record.ttl >> 16) & 0xff) + " do " +
             std::to_string((record.ttl >> 15) & 1) + " options " +
             std::to_string(record.rdata.size()) + " bytes";
  }
  // RFC 3597 §5: the generic form, for unknown types and for known types
  // whose data was not decoded (A in another class, empty TXT).
  text = "\\# " + std::to_string(record.rdata.size());
  if (!record.rdata.empty()) text += " " + HexBytes(record.rdata);
  return text;
}

}  // namespace bouncedx::dns
