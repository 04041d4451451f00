// SPDX-License-Identifier: MIT
#include "core/checks/dkim_key.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/base/base64.h"
#include "tests/checks/fake_sink.h"

namespace bouncedx {
namespace {

using testing::FakeSink;
using testing::Negative;
using testing::NotAnswered;
using testing::TxtAnswer;

// Public keys generated for these tests with
//   openssl genrsa BITS | openssl rsa -pubout -outform DER | base64 -w0
// (SubjectPublicKeyInfo), "-RSAPublicKey_out" for the bare PKCS #1 form, and
//   openssl genpkey -algorithm ed25519 | openssl pkey -pubout -outform DER
// whose last 32 bytes are the raw Ed25519 key. Private keys were not kept.
constexpr char kRsa512[] =
    "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALHGmxqCls9bExM4daZZcuKCVZHlUE2T+/23XhMnK5K2U0wY"
    "12ML/UE1CU7OtYYWmjBrDSc8dcunxs0+kmwkIZcCAwEAAQ==";
constexpr char kRsa1024[] =
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC4hRGavMgHahM41tBZevuyDU6yImaNzOvJtgTolbqi"
    "59aQDebRpBbmvtsG4k8xpfU95KYNGRiatCOPEB07qN7HxeTUF4n08ckEzQDr2oow/p3psKpoSjBauefF"
    "bmLHKOq1ye8+oDNnenJlRlWcoNwoS9Ei8T+UO8rjRlDDj3RkFwIDAQAB";
constexpr char kRsa2048[] =
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAj++AwzQOjsWVdFcFCksmqd3lgUm7hwEjrIQ1"
    "FLfeQFLnpelJ6xj8eApwvnRnauoK5rPxlfUQu7IBh4vHAQmZcoGAvSyvKu1YW1b9KdOHIptu53Faebzu"
    "E+GCEU4E2hOCswOryspJQtWd78EEaFy9mVDXgcLUSz0Xzdmu4PJtyayiiWRUUx2cHNFUWJW3zPp8uI6c"
    "lqOBxwdQrt9ZI1fkRKEaEF82Ffy+qfGcTQpgPHxuSDDwaHdM/jbiyeKS5PkYkrpR/CsK+dyiEuo7coJn"
    "A+rAVAS30djJlJ1Sih9MMVKyFB5khOrdQe8AmANty68TiBXIVNpN1LEI2sGJvSmjJwIDAQAB";
constexpr char kRsa2048Pkcs1[] =
    "MIIBCgKCAQEAj++AwzQOjsWVdFcFCksmqd3lgUm7hwEjrIQ1FLfeQFLnpelJ6xj8eApwvnRnauoK5rPx"
    "lfUQu7IBh4vHAQmZcoGAvSyvKu1YW1b9KdOHIptu53FaebzuE+GCEU4E2hOCswOryspJQtWd78EEaFy9"
    "mVDXgcLUSz0Xzdmu4PJtyayiiWRUUx2cHNFUWJW3zPp8uI6clqOBxwdQrt9ZI1fkRKEaEF82Ffy+qfGc"
    "TQpgPHxuSDDwaHdM/jbiyeKS5PkYkrpR/CsK+dyiEuo7coJnA+rAVAS30djJlJ1Sih9MMVKyFB5khOrd"
    "Qe8AmANty68TiBXIVNpN1LEI2sGJvSmjJwIDAQAB";
constexpr char kRsa4096[] =
    "MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEArc/0EIrpPfjp79cpDDBZPT8axpcuwQG0SlRf"
    "2JNRa5WCa1ClpEgCKmokmoo+/vAmUX0v1xxJDTF1zPHMaMVMqdLcGRoGUClf+uAEAfTpwDDe93G4BR3O"
    "ZRFFuEruDY4HhbWh39Yup8X9FMqote1aZD9flfCneVWshR1/z25USoFPqh139X3L4LSDfU0LfFGWLX3f"
    "GGbuYhFkJVBUP2All4z8JRFP8jutN2YCv6lRmkDbN7Ok+JGg2KAH6EOXBnJdFNEKqu+1/DxdJhv3tYcK"
    "xDC4v9MQdReKyr6SMziNt8G/TjsxBano1moclV1MwmdBlQRu+7EhvX5hnNpcOrPvlB33Aj8rYsshaCjD"
    "8BNLJnQ8mz4rdrLgTv+ps2Rz6pQFfzpDZP/KI/MIcJGqX1gi9A0NcKhIf/NsVCRcLpygjS0xc+WNEZHs"
    "szrFpHtJe7GXDbb3kVBblPYIR5MPxomgAcp7JDDSS5rGRf86FkBMDWWgLzaGCA9UvzYWbEyJF62Gx9Qs"
    "ywgmpa+m7l+h1vfUzaYeXQR0lhnuM6rKgf3vZhsKsTMWeC8XzRXpLzYKaINe/8lSWOVzfEFDeD2twzUw"
    "IA8vAlnoN0c62nNuFjWXXk3hIqUZCvyeJmGuta/nXc1hEnUp85DylM1Ipb8ikIZ1zL+eJkF1MVGTqRKK"
    "93uhDRECAwEAAQ==";
constexpr char kEd25519Raw[] =
    "mnvIs1P8HfHv/BDRvh0Zo7d0uvcsaPSptbzwpr//aLE=";
constexpr char kEd25519Spki[] =
    "MCowBQYDK2VwAyEAmnvIs1P8HfHv/BDRvh0Zo7d0uvcsaPSptbzwpr//aLE=";

std::string Der(const char* base64) {
  Result<std::string> bytes = Base64Decode(base64);
  EXPECT_TRUE(bytes.ok());
  return bytes.value();
}

TEST(RsaPublicKey, MeasuresRealKeys) {
  struct Case {
    const char* name;
    const char* base64;
    const char* form;
    size_t bits;
  };
  const Case cases[] = {
      {"512", kRsa512, "SubjectPublicKeyInfo", 512},
      {"1024", kRsa1024, "SubjectPublicKeyInfo", 1024},
      {"2048", kRsa2048, "SubjectPublicKeyInfo", 2048},
      {"2048 pkcs1", kRsa2048Pkcs1, "RSAPublicKey", 2048},
      {"4096", kRsa4096, "SubjectPublicKeyInfo", 4096},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<RsaKeyInfo> info = ReadRsaPublicKey(Der(c.base64));
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_EQ(info->form, c.form);
    EXPECT_EQ(info->modulus_bits, c.bits);
    EXPECT_EQ(info->exponent, 65537u);
    EXPECT_EQ(info->trailing_bytes, 0u);
  }
}

TEST(RsaPublicKey, RejectsBrokenEncodings) {
  const std::string good = Der(kRsa1024);
  struct Case {
    const char* name;
    std::string der;
    StatusCode code;
    const char* message;
  };
  const Case cases[] = {
      {"empty", "", StatusCode::kMalformed, "der: key ends where an element was expected"},
      {"cut in half", good.substr(0, good.size() / 2), StatusCode::kMalformed,
       "der: element of 159 bytes overruns the key (78 left)"},
      {"not a sequence", std::string("\x04\x02\x01\x02", 4), StatusCode::kMalformed,
       "der: element 0x04 where 0x30 was expected"},
      {"indefinite length", std::string("\x30\x80\x00\x00", 4), StatusCode::kMalformed,
       "der: indefinite length"},
      {"five length bytes", std::string("\x30\x85\x01\x00\x00\x00\x00", 7), StatusCode::kMalformed,
       "der: length of more than 4 bytes"},
      {"huge length", std::string("\x30\x84\xff\xff\xff\xff", 6), StatusCode::kMalformed,
       "der: element of 4294967295 bytes overruns the key (0 left)"},
      {"length byte missing", std::string("\x30", 1), StatusCode::kMalformed,
       "der: key ends inside a length"},
      {"zero modulus", std::string("\x30\x06\x02\x01\x00\x02\x01\x03", 8), StatusCode::kMalformed,
       "der: the modulus is zero"},
      {"negative modulus", std::string("\x30\x06\x02\x01\x80\x02\x01\x03", 8),
       StatusCode::kMalformed, "der: the modulus is negative"},
      {"ed25519 spki", Der(kEd25519Spki), StatusCode::kUnsupported,
       "der: the key's algorithm is 1.3.101.112, not rsaEncryption"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<RsaKeyInfo> info = ReadRsaPublicKey(c.der);
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.status().code(), c.code);
    EXPECT_EQ(info.status().message(), c.message);
  }
}

TEST(RsaPublicKey, SmallHandMadeKeyAndTrailingBytes) {
  // SEQUENCE { INTEGER 0x00 0xc1 (8 significant bits), INTEGER 3 } + 2 extra bytes
  Result<RsaKeyInfo> info = ReadRsaPublicKey(std::string("\x30\x07\x02\x02\x00\xc1\x02\x01\x03\xaa\xbb", 11));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->form, "RSAPublicKey");
  EXPECT_EQ(info->modulus_bits, 8u);
  EXPECT_EQ(info->exponent, 3u);
  EXPECT_EQ(info->trailing_bytes, 2u);
}

TEST(DkimKeyRecord, ParsesValidRecords) {
  const std::string rsa = std::string("v=DKIM1; k=rsa; p=") + kRsa2048;
  Result<DkimKeyRecord> record = ParseDkimKeyRecord(rsa);
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_TRUE(record->has_version);
  EXPECT_EQ(record->key_type, DkimKeyType::kRsa);
  EXPECT_EQ(record->public_key, Der(kRsa2048));
  EXPECT_FALSE(record->revoked);
  EXPECT_FALSE(record->testing);

  // No version, folded base64, every optional tag, trailing ";".
  const std::string folded = std::string("k=ed25519 ;\r\n h=sha256:sha1; s=email:*; t=y:s; n=hello; ") +
                             "x=ignored; p=" + std::string(kEd25519Raw).substr(0, 20) + " \r\n\t" +
                             std::string(kEd25519Raw).substr(20) + ";";
  record = ParseDkimKeyRecord(folded);
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_FALSE(record->has_version);
  EXPECT_EQ(record->key_type, DkimKeyType::kEd25519);
  EXPECT_EQ(record->public_key.size(), 32u);
  EXPECT_EQ(record->hash_algorithms, (std::vector<std::string>{"sha256", "sha1"}));
  EXPECT_EQ(record->service_types, (std::vector<std::string>{"email", "*"}));
  EXPECT_TRUE(record->testing);
  EXPECT_TRUE(record->strict_subdomains);
  EXPECT_EQ(record->notes, "hello");
  EXPECT_EQ(record->unknown_tags, (std::vector<std::string>{"x"}));

  record = ParseDkimKeyRecord("v=DKIM1; p=");
  ASSERT_TRUE(record.ok());
  EXPECT_TRUE(record->revoked);
  record = ParseDkimKeyRecord("k=dsa; p=AAAA");
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->key_type, DkimKeyType::kOther);
  EXPECT_EQ(record->key_type_name, "dsa");
}

TEST(DkimKeyRecord, RejectsGarbage) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"", "dkim: the record has no p= tag (the public key)"},
      {"v=DKIM1; k=rsa", "dkim: the record has no p= tag (the public key)"},
      {"k=rsa; v=DKIM1; p=AAAA", "dkim: v= must be the first tag"},
      {"v=DKIM2; p=AAAA", "dkim: v=DKIM2 is not DKIM1"},
      {"v=dkim1; p=AAAA", "dkim: v=dkim1 is not DKIM1"},
      {"p=AAAA; p=BBBB", "dkim: p= appears twice"},
      {"p=AA*A", "dkim: p= is not base64 (base64: unexpected byte 0x2a at offset 2)"},
      {"P=AAAA", "dkim: the record has no p= tag (the public key)"},  // names are case-sensitive
      {"this is not a key", "dkim: \"this is not a key\" is not a tag=value pair"},
      {"1p=AAAA", "dkim: \"1p=AAAA\" is not a tag=value pair"},
      {"p=AAAA; n=caf\xc3\xa9", "dkim: n= holds a byte outside printable ASCII"},
      {"<html>", "dkim: \"<html>\" is not a tag=value pair"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Result<DkimKeyRecord> record = ParseDkimKeyRecord(c.text);
    ASSERT_FALSE(record.ok());
    EXPECT_EQ(record.status().code(), StatusCode::kMalformed);
    EXPECT_EQ(record.status().message(), c.error);
  }
}

TEST(DkimKeyRecord, JudgesKeys) {
  struct Case {
    std::string text;
    CheckState state;
    const char* summary;
  };
  const std::string p = "; p=";
  const Case cases[] = {
      {"v=DKIM1; k=rsa; p=" + std::string(kRsa2048), CheckState::kPass,
       "publishes a 2048-bit RSA key"},
      {"p=" + std::string(kRsa2048Pkcs1), CheckState::kPass, "publishes a 2048-bit RSA key"},
      {"p=" + std::string(kRsa4096), CheckState::kPass, "publishes a 4096-bit RSA key"},
      {"p=" + std::string(kRsa1024), CheckState::kWarn,
       "publishes a 1024-bit RSA key; prefer 2048 bits"},
      {"p=" + std::string(kRsa512), CheckState::kFail,
       "publishes a 512-bit RSA key, which verifiers reject (RFC 8301 requires at least 1024 "
       "bits)"},
      {"v=DKIM1; t=y; p=" + std::string(kRsa2048), CheckState::kWarn,
       "publishes a 2048-bit RSA key, in testing mode (t=y)"},
      {"v=DKIM1; p=", CheckState::kFail,
       "revokes its key (empty p=): signatures with this selector cannot verify"},
      {"k=ed25519; p=" + std::string(kEd25519Raw), CheckState::kPass, "publishes an Ed25519 key"},
      {"k=ed25519; p=" + std::string(kEd25519Spki), CheckState::kFail,
       "publishes an Ed25519 key of 44 bytes; RFC 8463 requires the bare 32-byte key"},
      {"k=rsa; p=" + std::string(kEd25519Spki), CheckState::kFail,
       "publishes an RSA key that cannot be read: der: the key's algorithm is 1.3.101.112, not "
       "rsaEncryption"},
      {"k=dsa; p=AAAA", CheckState::kFail, "publishes a key of unknown type k=dsa, which verifiers ignore"},
      {"h=sha1; p=" + std::string(kRsa2048), CheckState::kFail,
       "publishes a key limited to h=sha1, which verifiers no longer accept (RFC 8301 requires "
       "sha256)"},
      {"s=tlsrpt; p=" + std::string(kRsa2048), CheckState::kFail,
       "publishes a key for s=tlsrpt only, not for email"},
      {"p=AAAA", CheckState::kFail,
       "publishes an RSA key that cannot be read: der: element 0x00 where 0x30 was expected"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text.substr(0, 40));
    Result<DkimKeyRecord> record = ParseDkimKeyRecord(c.text);
    ASSERT_TRUE(record.ok()) << record.status().ToString();
    DkimKeyVerdict verdict = JudgeDkimKey(record.value());
    EXPECT_EQ(verdict.state, c.state);
    EXPECT_EQ(verdict.summary, c.summary);
  }
}

const Check& RunCheck(DkimKeyCheck& check, const LookupResult& answer) {
  FakeSink sink;
  check.Start(sink);
  EXPECT_EQ(sink.asked.size(), 1u);
  if (!sink.asked.empty()) check.OnLookup(sink.asked[0], answer, sink);
  return check.checks()[0];
}

TEST(DkimKeyCheck, GoodKeyPasses) {
  DkimKeyCheck check("Example.COM.", "S1");
  FakeSink sink;
  check.Start(sink);
  EXPECT_EQ(sink.Asked(), "TXT s1._domainkey.example.com");
  check.OnLookup(sink.asked[0],
                 TxtAnswer("s1._domainkey.example.com", {std::string("v=DKIM1; k=rsa; p=") + kRsa2048}),
                 sink);
  const Check& result = check.checks()[0];
  EXPECT_EQ(result.id, "dkim");
  EXPECT_EQ(result.subject, "s1._domainkey.example.com");
  EXPECT_EQ(result.state, CheckState::kPass);
  EXPECT_EQ(result.cause_id, "");
  EXPECT_EQ(result.summary, "s1._domainkey.example.com publishes a 2048-bit RSA key");
  ASSERT_EQ(result.details.size(), 1u);
  EXPECT_EQ(result.details[0],
            "RSA key: 2048-bit modulus, exponent 65537, published as SubjectPublicKeyInfo");
  EXPECT_EQ(result.records.size(), 1u);
}

TEST(DkimKeyCheck, UnicodeDomainIsAskedInPunycode) {
  DkimKeyCheck check("B\xc3\xbc" "cher.example", "s1");
  EXPECT_EQ(check.query(), "s1._domainkey.xn--bcher-kva.example");
}

TEST(DkimKeyCheck, SelectorWithDots) {
  DkimKeyCheck check("example.org", "2024.mail");
  const Check& result = RunCheck(
      check, TxtAnswer("2024.mail._domainkey.example.org", {std::string("p=") + kRsa1024}));
  EXPECT_EQ(check.query(), "2024.mail._domainkey.example.org");
  EXPECT_EQ(result.state, CheckState::kWarn);
  EXPECT_EQ(result.cause_id, "");
  EXPECT_EQ(result.summary,
            "2024.mail._domainkey.example.org publishes a 1024-bit RSA key; prefer 2048 bits");
}

TEST(DkimKeyCheck, MissingKeyFails) {
  struct Case {
    dns::AnswerKind kind;
    const char* summary;
  };
  const Case cases[] = {
      {dns::AnswerKind::kNxDomain,
       "s1._domainkey.example.com has no DKIM key (the name does not exist (NXDOMAIN)): "
       "signatures with this selector cannot verify"},
      {dns::AnswerKind::kNoData,
       "s1._domainkey.example.com has no DKIM key (no such record (NODATA)): signatures with "
       "this selector cannot verify"},
  };
  for (const Case& c : cases) {
    DkimKeyCheck check("example.com", "s1");
    const Check& result = RunCheck(check, Negative(c.kind));
    EXPECT_EQ(result.state, CheckState::kFail);
    EXPECT_EQ(result.cause_id, "dkim_fail");
    EXPECT_EQ(result.summary, c.summary);
  }
}

TEST(DkimKeyCheck, RevokedAndUnparsableKeysFail) {
  DkimKeyCheck revoked("example.com", "old");
  const Check& r = RunCheck(revoked, TxtAnswer("old._domainkey.example.com", {"v=DKIM1; k=rsa; p="}));
  EXPECT_EQ(r.state, CheckState::kFail);
  EXPECT_EQ(r.cause_id, "dkim_fail");
  EXPECT_EQ(r.summary,
            "old._domainkey.example.com revokes its key (empty p=): signatures with this selector "
            "cannot verify");

  DkimKeyCheck garbage("example.com", "bad");
  const Check& g = RunCheck(garbage, TxtAnswer("bad._domainkey.example.com", {"hello world"}));
  EXPECT_EQ(g.state, CheckState::kFail);
  EXPECT_EQ(g.cause_id, "dkim_fail");
  EXPECT_EQ(g.summary,
            "bad._domainkey.example.com publishes a DKIM key record that cannot be parsed: "
            "\"hello world\" is not a tag=value pair");

  DkimKeyCheck weak("example.com", "weak");
  const Check& w = RunCheck(weak, TxtAnswer("weak._domainkey.example.com", {std::string("p=") + kRsa512}));
  EXPECT_EQ(w.state, CheckState::kFail);
  EXPECT_EQ(w.cause_id, "dkim_fail");
}

TEST(DkimKeyCheck, SeveralRecordsWarn) {
  DkimKeyCheck check("example.com", "s1");
  const Check& result = RunCheck(
      check, TxtAnswer("s1._domainkey.example.com",
                       {std::string("p=") + kRsa2048, "v=DKIM1; p="}));
  EXPECT_EQ(result.state, CheckState::kWarn);
  EXPECT_EQ(result.summary,
            "s1._domainkey.example.com has 2 TXT records, and verifiers may use any of them; the "
            "first publishes a 2048-bit RSA key");
  EXPECT_EQ(result.details[0],
            "record 2 revokes its key (empty p=): signatures with this selector cannot verify");
}

TEST(DkimKeyCheck, LookupFailureIsAnError) {
  DkimKeyCheck check("example.com", "s1");
  const Check& result = RunCheck(check, NotAnswered(FailureKind::kNetwork));
  EXPECT_EQ(result.state, CheckState::kError);
  EXPECT_EQ(result.cause_id, "");
  EXPECT_EQ(result.summary,
            "could not look up the DKIM key at s1._domainkey.example.com: resolver unreachable");
}

TEST(DkimKeyCheck, InvalidNamesAskNothing) {
  struct Case {
    const char* domain;
    const char* selector;
    const char* summary;
  };
  const Case cases[] = {
      {"example.com", "", "cannot look up the DKIM key: selector \"\" is not a DNS name"},
      {"example.com", "a..b", "cannot look up the DKIM key: selector \"a..b\" is not a DNS name"},
      {"example.com", "sel ector", "cannot look up the DKIM key: selector \"sel ector\" is not a DNS name"},
      {"example.com", "s1.", "cannot look up the DKIM key: selector \"s1.\" is not a DNS name"},
      {"", "s1",
       "cannot look up the DKIM key: \"\" is not a domain name, or the name gets too long"},
      {"a..com", "s1",
       "cannot look up the DKIM key: \"a..com\" is not a domain name, or the name gets too long"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.summary);
    DkimKeyCheck check(c.domain, c.selector);
    FakeSink sink;
    check.Start(sink);
    EXPECT_TRUE(sink.asked.empty());
    EXPECT_EQ(check.checks()[0].state, CheckState::kError);
    EXPECT_EQ(check.checks()[0].summary, c.summary);
    EXPECT_EQ(check.query(), "");
  }
  // 63-byte labels are fine; 64 are not.
  DkimKeyCheck ok("example.com", std::string(63, 's'));
  EXPECT_FALSE(ok.query().empty());
  DkimKeyCheck too_long("example.com", std::string(64, 's'));
  EXPECT_TRUE(too_long.query().empty());
}

}  // namespace
}  // namespace bouncedx
