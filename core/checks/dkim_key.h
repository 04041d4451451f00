// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CHECKS_DKIM_KEY_H_
#define BOUNCEDX_CORE_CHECKS_DKIM_KEY_H_

// The DKIM public key a signer publishes at <selector>._domainkey.<domain>
// (RFC 6376 §3.6.1, Ed25519 keys RFC 8463): its record parser, a small DER
// reader that measures RSA keys, a judgement of the key as verifiers see it
// (RFC 8301: RSA keys under 1024 bits are refused), and the live check.
//
//   Result<DkimKeyRecord> record = ParseDkimKeyRecord("v=DKIM1; k=rsa; p=MIIBIjAN...");
//   Result<RsaKeyInfo> rsa = ReadRsaPublicKey(record->public_key);
//   rsa->modulus_bits;                                   // 2048
//   DkimKeyVerdict verdict = JudgeDkimKey(record.value());
//   verdict.state;                                       // CheckState::kPass
//
//   DkimKeyCheck check("example.com", "s1");  // asks s1._domainkey.example.com TXT

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/checks/check_machine.h"

namespace bouncedx {

enum class DkimKeyType { kRsa, kEd25519, kOther };

// A parsed DKIM key record. Absent tags hold the RFC 6376 defaults.
struct DkimKeyRecord {
  bool has_version = false;                 // v=DKIM1 was given (it is optional)
  DkimKeyType key_type = DkimKeyType::kRsa; // k=, default rsa
  std::string key_type_name = "rsa";        // k= as written, lower-cased, Printable()
  std::string public_key;                   // p=, decoded from base64
  bool revoked = false;                     // p= was empty (RFC 6376 §3.6.1)
  std::vector<std::string> hash_algorithms; // h=, lower-cased; empty means any
  std::vector<std::string> service_types;   // s=, lower-cased; empty means "*"
  bool testing = false;                     // t=y
  bool strict_subdomains = false;           // t=s
  std::string notes;                        // n=, Printable()
  std::vector<std::string> unknown_tags;    // ignored tag names, Printable()
  std::vector<std::string> warnings;        // oddities that were tolerated
};

// Parses a DKIM key record (RFC 6376 §3.2 tag-list, §3.6.1 tags). Tag names
// are case-sensitive; white space (and folding) around names, values and
// ";" is allowed; a trailing ";" is allowed; unknown tags are ignored.
// Fails with kMalformed, "dkim: " + what, on: a part that is not
// "name=value", a tag name that is not a letter followed by letters, digits
// or "_", a value with bytes outside printable ASCII, a tag given twice,
// v= that is not first or not "DKIM1", no p= tag, or p= that is not base64.
// An unknown k= is not a parse error (DkimKeyType::kOther): verifiers ignore
// such a key, and JudgeDkimKey() says so.
Result<DkimKeyRecord> ParseDkimKeyRecord(std::string_view text);

// What a DER-encoded RSA public key holds.
struct RsaKeyInfo {
  // "SubjectPublicKeyInfo" (what DKIM publishes) or "RSAPublicKey" (the
  // bare PKCS #1 form, which some signers publish and many verifiers accept).
  std::string form;
  size_t modulus_bits = 0;    // significant bits of the modulus
  uint64_t exponent = 0;      // 0 when longer than 64 bits
  size_t trailing_bytes = 0;  // bytes after the key, ignored
};

// Reads the modulus length out of DER `der` (bytes, not base64): a
// SubjectPublicKeyInfo whose algorithm is rsaEncryption, or a bare
// RSAPublicKey SEQUENCE { modulus, exponent }. Every length is checked
// against the bytes that are left. Fails with kMalformed ("der: " + what) on
// truncated or inconsistent encodings, an indefinite or over-4-byte length, a
// zero or negative modulus; and with kUnsupported when the algorithm is not
// rsaEncryption (the message names its OID, e.g. "1.3.101.112").
Result<RsaKeyInfo> ReadRsaPublicKey(std::string_view der);

// A key as verifiers will treat it.
struct DkimKeyVerdict {
  CheckState state = CheckState::kPass;
  // What the key is, for a summary that starts with the record's name:
  // "publishes a 2048-bit RSA key", "revokes its key (empty p=)".
  std::string summary;
  std::vector<std::string> details;
};

// Judges `record`: fail for a revoked key, an unknown key type, an RSA key
// that cannot be read or has under 1024 bits, an Ed25519 key that is not 32
// bytes, a key whose s= excludes email, or whose h= excludes sha256 (RFC 8301
// retires sha1); warn for a 1024-bit RSA key (prefer 2048), one over 4096
// bits (verifiers need not check those, RFC 8301 §3.2) and for t=y (testing
// mode); pass otherwise.
DkimKeyVerdict JudgeDkimKey(const DkimKeyRecord& record);

// The DKIM key of one selector. One report entry, id "dkim", subject
// "<selector>._domainkey.<domain>". States: fail (cause "dkim_fail") when
// there is no key (NXDOMAIN, NODATA), it is revoked, unparsable or too weak
// (see JudgeDkimKey()); warn for a 1024-bit key, testing mode or several TXT
// records; pass otherwise; error when the lookup failed or the selector or
// domain is not a valid DNS name.
class DkimKeyCheck : public CheckMachine {
 public:
  // `domain` the signature's d=, `selector` its s= (may hold dots).
  DkimKeyCheck(std::string domain, std::string selector);

  void Start(LookupSink& sink) override;
  void OnLookup(const LookupKey& key, const LookupResult& result, LookupSink& sink) override;

  // The name asked ("s1._domainkey.example.com"); "" when the inputs were
  // not valid names.
  const std::string& query() const { return query_; }

 private:
  std::string query_;
  bool done_ = false;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CHECKS_DKIM_KEY_H_
