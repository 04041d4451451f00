// SPDX-License-Identifier: MIT
#include "core/checks/dkim_key.h"

#include <cstdio>
#include <utility>

#include "core/base/base64.h"
#include "core/base/byte_reader.h"
#include "core/base/text.h"
#include "core/checks/psl.h"
#include "core/dns/name.h"
#include "core/dns/types.h"
#include "core/mail/tag_list.h"

namespace bouncedx {
namespace {

constexpr size_t kQuoteBytes = 60;
constexpr size_t kNameBytes = 255;

// RFC 8301 §3.2: verifiers refuse RSA keys under 1024 bits and need not
// check keys over 4096 bits; signers should use at least 2048.
constexpr size_t kMinRsaBits = 1024;
constexpr size_t kGoodRsaBits = 2048;
constexpr size_t kMaxRsaBits = 4096;
constexpr size_t kEd25519KeyBytes = 32;  // RFC 8463 §4.2

std::string Quote(std::string_view text) { return Printable(text, kQuoteBytes); }

Status Malformed(std::string what) { return Status(StatusCode::kMalformed, "dkim: " + what); }
Status DerError(std::string what) { return Status(StatusCode::kMalformed, "der: " + what); }

// Colon-separated words, trimmed and lower-cased; empty words dropped.
std::vector<std::string> ColonList(std::string_view value) {
  std::vector<std::string> words;
  ByteReader reader(value);
  while (true) {
    std::string_view word = Trim(reader.ReadWhile([](char c) { return c != ':'; }));
    if (!word.empty()) words.push_back(ToLower(word));
    if (!reader.Consume(':')) break;
  }
  return words;
}

// One DER element: `tag` must be next; *contents receives its value bytes.
bool ReadElement(ByteReader* reader, uint8_t tag, std::string_view* contents, Status* error) {
  ByteReader r = *reader;
  uint8_t got = 0;
  if (!r.ReadU8(&got)) {
    *error = DerError("key ends where an element was expected");
    return false;
  }
  if (got != tag) {
    char what[80];
    std::snprintf(what, sizeof(what), "element 0x%02x where 0x%02x was expected",
                  static_cast<unsigned>(got), static_cast<unsigned>(tag));
    *error = DerError(what);
    return false;
  }
  uint8_t first = 0;
  if (!r.ReadU8(&first)) {
    *error = DerError("key ends inside a length");
    return false;
  }
  size_t length = first;
  if (first & 0x80) {
    const size_t count = first & 0x7f;
    if (count == 0 || count > 4) {
      *error = DerError(count == 0 ? "indefinite length" : "length of more than 4 bytes");
      return false;
    }
    length = 0;
    for (size_t i = 0; i < count; ++i) {
      uint8_t byte = 0;
      if (!r.ReadU8(&byte)) {
        *error = DerError("key ends inside a length");
        return false;
      }
      length = (length << 8) | byte;
    }
  }
  if (!r.ReadBytes(length, contents)) {
    *error = DerError("element of " + std::to_string(length) + " bytes overruns the key (" +
                      std::to_string(r.remaining()) + " left)");
    return false;
  }
  *reader = r;
  return true;
}

// Dotted form of an OID's content bytes ("1.2.840.113549.1.1.1"), bounded.
std::string OidText(std::string_view bytes) {
  std::string out;
  ByteReader reader(bytes);
  uint64_t value = 0;
  bool first = true;
  size_t arcs = 0;
  uint8_t byte = 0;
  while (reader.ReadU8(&byte) && arcs < 20) {
    if (value > (UINT64_MAX >> 8)) return out.empty() ? "?" : out + ".?";
    value = (value << 7) | (byte & 0x7f);
    if (byte & 0x80) continue;
    if (first) {
      const uint64_t top = value < 40 ? 0 : value < 80 ? 1 : 2;
      out = std::to_string(top) + "." + std::to_string(value - top * 40);
      first = false;
    } else {
      out += "." + std::to_string(value);
    }
    value = 0;
    ++arcs;
  }
  return out.empty() ? "?" : out;
}

constexpr std::string_view kRsaEncryptionOid = "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01";

// Reads RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }.
Status ReadRsaSequence(std::string_view der, RsaKeyInfo* info) {
  Status error;
  ByteReader reader(der);
  std::string_view sequence;
  if (!ReadElement(&reader, 0x30, &sequence, &error)) return error;
  info->trailing_bytes += reader.remaining();
  ByteReader fields(sequence);
  std::string_view modulus;
  std::string_view exponent;
  if (!ReadElement(&fields, 0x02, &modulus, &error)) return error;
  if (!ReadElement(&fields, 0x02, &exponent, &error)) return error;
  if (!modulus.empty() && (static_cast<uint8_t>(modulus[0]) & 0x80)) {
    return DerError("the modulus is negative");
  }
  ByteReader digits(modulus);
  digits.ReadWhile([](char c) { return c == '\0'; });
  std::string_view significant = digits.Rest();
  if (significant.empty()) return DerError("the modulus is zero");
  size_t top_bits = 0;
  for (uint8_t top = static_cast<uint8_t>(significant[0]); top != 0; top >>= 1) ++top_bits;
  info->modulus_bits = (significant.size() - 1) * 8 + top_bits;
  ByteReader exp(exponent);
  exp.ReadWhile([](char c) { return c == '\0'; });
  info->exponent = 0;
  if (exp.remaining() <= 8) {
    uint8_t byte = 0;
    while (exp.ReadU8(&byte)) info->exponent = (info->exponent << 8) | byte;
  }
  return Status::Ok();
}

std::string Article(size_t bits) {
  // "an 8192-bit", "a 2048-bit": English reads the number aloud.
  std::string digits = std::to_string(bits);
  const bool vowel = digits[0] == '8' || digits.rfind("11", 0) == 0 || digits.rfind("18", 0) == 0;
  return (vowel ? "an " : "a ") + digits;
}

bool IsSelectorLabelChar(char c) { return IsAlnum(c) || c == '-' || c == '_'; }

// True when `text` is one or more dot-separated labels of 1..63 letters,
// digits, '-' or '_' (RFC 6376 §3.1 selectors, with the '_' real signers use).
bool IsLabelList(std::string_view text) {
  if (text.empty()) return false;
  ByteReader reader(text);
  while (true) {
    std::string_view label = reader.ReadWhile(IsSelectorLabelChar);
    if (label.empty() || label.size() > 63) return false;
    if (reader.AtEnd()) return true;
    if (!reader.Consume('.') || reader.AtEnd()) return false;
  }
}

}  // namespace

Result<DkimKeyRecord> ParseDkimKeyRecord(std::string_view text) {
  DkimKeyRecord record;
  mail::TagListOptions options;
  options.allow_empty_tags = true;  // ";;" is common in published keys
  const mail::TagList list = mail::ReadTagList(text, options);
  switch (list.problem) {
    case mail::TagListProblem::kNone:
    case mail::TagListProblem::kEmptyTag:
      break;
    case mail::TagListProblem::kNoEquals:
    case mail::TagListProblem::kBadName:
      return Malformed("\"" + Quote(list.part) + "\" is not a tag=value pair");
    case mail::TagListProblem::kBadValueByte:
      return Malformed(list.subject + "= holds a byte outside printable ASCII");
    case mail::TagListProblem::kDuplicate:
      return Malformed(Quote(list.subject) + "= appears twice");
  }
  if (list.skipped_empty_tags > 0) {
    record.warnings.push_back("dkim: empty part between \";\" ignored");
  }
  bool has_key = false;
  for (size_t index = 0; index < list.tags.size(); ++index) {
    const std::string& key = list.tags[index].name;
    const std::string_view value = list.tags[index].value;
    if (key == "v") {
      if (index != 0) return Malformed("v= must be the first tag");
      if (value != "DKIM1") return Malformed("v=" + Quote(value) + " is not DKIM1");
      record.has_version = true;
    } else if (key == "k") {
      record.key_type_name = Quote(ToLower(value));
      if (EqualsCaseless(value, "rsa")) {
        record.key_type = DkimKeyType::kRsa;
      } else if (EqualsCaseless(value, "ed25519")) {
        record.key_type = DkimKeyType::kEd25519;
      } else {
        record.key_type = DkimKeyType::kOther;
      }
    } else if (key == "p") {
      has_key = true;
      Result<std::string> decoded = Base64Decode(value);
      if (!decoded.ok()) {
        return Malformed("p= is not base64 (" + decoded.status().message() + ")");
      }
      record.public_key = std::move(decoded).value();
      record.revoked = record.public_key.empty();
    } else if (key == "h") {
      record.hash_algorithms = ColonList(value);
    } else if (key == "s") {
      record.service_types = ColonList(value);
    } else if (key == "t") {
      for (const std::string& flag : ColonList(value)) {
        if (flag == "y") record.testing = true;
        if (flag == "s") record.strict_subdomains = true;
      }
    } else if (key == "n") {
      record.notes = Printable(value, 200);
    } else {
      record.unknown_tags.push_back(Quote(key));
    }
  }
  if (!has_key) return Malformed("the record has no p= tag (the public key)");
  return record;
}

Result<RsaKeyInfo> ReadRsaPublicKey(std::string_view der) {
  RsaKeyInfo info;
  Status error;
  ByteReader reader(der);
  std::string_view outer;
  if (!ReadElement(&reader, 0x30, &outer, &error)) return error;
  char first = 0;
  ByteReader inside(outer);
  if (inside.Peek(&first) && first == 0x02) {
    info.form = "RSAPublicKey";
    Status status = ReadRsaSequence(der, &info);
    if (!status.ok()) return status;
    return info;
  }
  info.form = "SubjectPublicKeyInfo";
  info.trailing_bytes = reader.remaining();
  std::string_view algorithm;
  std::string_view oid;
  std::string_view bits;
  if (!ReadElement(&inside, 0x30, &algorithm, &error)) return error;
  ByteReader alg(algorithm);
  if (!ReadElement(&alg, 0x06, &oid, &error)) return error;
  if (oid != kRsaEncryptionOid) {
    return Status(StatusCode::kUnsupported,
                  "der: the key's algorithm is " + OidText(oid) + ", not rsaEncryption");
  }
  if (!ReadElement(&inside, 0x03, &bits, &error)) return error;
  ByteReader bit_string(bits);
  uint8_t unused = 0;
  if (!bit_string.ReadU8(&unused) || unused != 0) {
    return DerError("the key's BIT STRING does not start with 0 unused bits");
  }
  Status status = ReadRsaSequence(bit_string.Rest(), &info);
  if (!status.ok()) return status;
  return info;
}

DkimKeyVerdict JudgeDkimKey(const DkimKeyRecord& record) {
  DkimKeyVerdict verdict;
  auto fail = [&](std::string summary) {
    verdict.state = CheckState::kFail;
    verdict.summary = std::move(summary);
    return verdict;
  };
  if (record.revoked) {
    return fail("revokes its key (empty p=): signatures with this selector cannot verify");
  }
  if (!record.service_types.empty()) {
    bool email = false;
    std::string list;
    for (const std::string& type : record.service_types) {
      email = email || type == "email" || type == "*";
      list += (list.empty() ? "" : ":") + type;
    }
    if (!email) return fail("publishes a key for s=" + Quote(list) + " only, not for email");
  }
  if (!record.hash_algorithms.empty()) {
    bool sha256 = false;
    std::string list;
    for (const std::string& hash : record.hash_algorithms) {
      sha256 = sha256 || hash == "sha256";
      list += (list.empty() ? "" : ":") + hash;
    }
    if (!sha256) {
      return fail("publishes a key limited to h=" + Quote(list) +
                  ", which verifiers no longer accept (RFC 8301 requires sha256)");
    }
  }
  switch (record.key_type) {
    case DkimKeyType::kOther:
      return fail("publishes a key of unknown type k=" + record.key_type_name +
                  ", which verifiers ignore");
    case DkimKeyType::kEd25519:
      if (record.public_key.size() != kEd25519KeyBytes) {
        return fail("publishes an Ed25519 key of " + std::to_string(record.public_key.size()) +
                    " bytes; RFC 8463 requires the bare 32-byte key");
      }
      verdict.summary = "publishes an Ed25519 key";
      verdict.details.push_back(
          "not every verifier checks Ed25519 signatures (RFC 8463); sign with an RSA key too");
      break;
    case DkimKeyType::kRsa: {
      Result<RsaKeyInfo> rsa = ReadRsaPublicKey(record.public_key);
      if (!rsa.ok()) return fail("publishes an RSA key that cannot be read: " + rsa.status().message());
      const size_t bits = rsa->modulus_bits;
      verdict.details.push_back("RSA key: " + std::to_string(bits) + "-bit modulus, exponent " +
                                (rsa->exponent == 0 ? std::string("over 64 bits")
                                                    : std::to_string(rsa->exponent)) +
                                ", published as " + rsa->form);
      if (rsa->trailing_bytes > 0) {
        verdict.details.push_back(std::to_string(rsa->trailing_bytes) +
                                  " bytes after the key ignored");
      }
      verdict.summary = "publishes " + Article(bits) + "-bit RSA key";
      if (bits < kMinRsaBits) {
        return fail(verdict.summary + ", which verifiers reject (RFC 8301 requires at least " +
                    std::to_string(kMinRsaBits) + " bits)");
      }
      if (bits < kGoodRsaBits) {
        verdict.state = CheckState::kWarn;
        verdict.summary += "; prefer 2048 bits";
      } else if (bits > kMaxRsaBits) {
        verdict.state = CheckState::kWarn;
        verdict.summary += "; verifiers need not check keys over 4096 bits (RFC 8301)";
      }
      break;
    }
  }
  if (record.testing) {
    if (verdict.state == CheckState::kPass) verdict.state = CheckState::kWarn;
    verdict.summary += ", in testing mode (t=y)";
    verdict.details.push_back(
        "t=y: the domain is testing DKIM, and verifiers may treat its signatures as absent");
  }
  if (record.strict_subdomains) {
    verdict.details.push_back("t=s: the key signs only for the exact domain, not subdomains");
  }
  if (!record.unknown_tags.empty()) {
    std::string list;
    for (const std::string& tag : record.unknown_tags) list += (list.empty() ? "" : ", ") + tag;
    verdict.details.push_back("unknown tags ignored: " + list);
  }
  for (const std::string& warning : record.warnings) verdict.details.push_back(warning);
  return verdict;
}

DkimKeyCheck::DkimKeyCheck(std::string domain, std::string selector) {
  checks_.resize(1);
  Check& check = checks_[0];
  check.id = "dkim";
  std::string lower_domain = DomainToAscii(Trim(domain));
  if (!lower_domain.empty() && lower_domain.back() == '.') lower_domain.pop_back();
  const std::string lower_selector = ToLower(Trim(selector));
  const std::string name = lower_selector + "._domainkey." + lower_domain;
  check.subject = Printable(name, kNameBytes);
  if (!IsLabelList(lower_selector)) {
    check.state = CheckState::kError;
    check.summary = "cannot look up the DKIM key: selector \"" + Quote(selector) +
                    "\" is not a DNS name";
    done_ = true;
    return;
  }
  if (lower_domain.empty() || !dns::IsValidName(lower_domain) || !dns::IsValidName(name)) {
    check.state = CheckState::kError;
    check.summary = "cannot look up the DKIM key: \"" + Quote(domain) +
                    "\" is not a domain name, or the name gets too long";
    done_ = true;
    return;
  }
  query_ = name;
  check.summary = "looking up the DKIM key at " + check.subject;
}

void DkimKeyCheck::Start(LookupSink& sink) {
  if (done_) return;
  sink.Lookup(this, query_, dns::RrType::kTxt);
}

void DkimKeyCheck::OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) {
  if (done_ || key.type != dns::RrType::kTxt || key.name != query_) return;
  done_ = true;
  Check& check = checks_[0];
  const dns::AnswerKind kind = result.answers.kind;
  if (!result.answered || (kind != dns::AnswerKind::kAnswer && kind != dns::AnswerKind::kNoData &&
                           kind != dns::AnswerKind::kNxDomain)) {
    check.state = CheckState::kError;
    check.summary = "could not look up the DKIM key at " + check.subject + ": " +
                    DescribeLookupFailure(result);
    return;
  }
  for (const std::string& alias : result.answers.chain) {
    check.details.push_back("served through the alias " + Printable(alias, kNameBytes));
  }
  std::vector<const dns::ResourceRecord*> texts;
  for (const dns::ResourceRecord& record : result.answers.records) {
    if (record.type != dns::RrType::kTxt) continue;
    texts.push_back(&record);
    check.records.push_back(ToReportRecord(record));
  }
  if (texts.empty()) {
    check.state = CheckState::kFail;
    check.cause_id = "dkim_fail";
    check.summary = check.subject + " has no DKIM key (" + DescribeLookupFailure(result) +
                    "): signatures with this selector cannot verify";
    return;
  }
  Result<DkimKeyRecord> parsed = ParseDkimKeyRecord(texts[0]->text);
  DkimKeyVerdict verdict;
  if (!parsed.ok()) {
    verdict.state = CheckState::kFail;
    std::string why = parsed.status().message();
    if (why.rfind("dkim: ", 0) == 0) why.erase(0, 6);
    verdict.summary = "publishes a DKIM key record that cannot be parsed: " + why;
  } else {
    verdict = JudgeDkimKey(parsed.value());
  }
  check.state = verdict.state;
  if (texts.size() > 1) {
    check.summary = check.subject + " has " + std::to_string(texts.size()) +
                    " TXT records, and verifiers may use any of them; the first " + verdict.summary;
    if (check.state == CheckState::kPass) check.state = CheckState::kWarn;
    for (size_t i = 1; i < texts.size(); ++i) {
      Result<DkimKeyRecord> other = ParseDkimKeyRecord(texts[i]->text);
      std::string what = other.ok() ? JudgeDkimKey(other.value()).summary
                                    : "cannot be parsed: " + other.status().message();
      check.details.push_back("record " + std::to_string(i + 1) + " " + what);
    }
  } else {
    check.summary = check.subject + " " + verdict.summary;
  }
  for (std::string& detail : verdict.details) check.details.push_back(std::move(detail));
  if (check.state == CheckState::kFail) check.cause_id = "dkim_fail";
}

}  // namespace bouncedx
