// SPDX-License-Identifier: MIT
// Fuzzes the authentication header parsers (Authentication-Results and its
// ARC form, Received-SPF, DKIM and ARC tag lists), the trust rule and the
// antispam decoder, and checks what callers rely on: lower-case methods and
// ids, tag lists without duplicates, trusted ids that are really trusted.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/limits.h"
#include "core/base/text.h"
#include "core/mail/antispam.h"
#include "core/mail/auth_results.h"
#include "core/mail/headers.h"
#include "core/mail/received.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckResults(const bouncedx::mail::AuthenticationResults& results) {
  Check(results.authserv_id == bouncedx::ToLower(results.authserv_id));
  for (const bouncedx::mail::AuthMethodResult& result : results.results) {
    Check(!result.method.empty());
    Check(result.method == bouncedx::ToLower(result.method));
    Check(result.result == bouncedx::ToLower(result.result));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> warnings;
  CheckResults(bouncedx::mail::ParseAuthenticationResults(text, false, &warnings));
  CheckResults(bouncedx::mail::ParseAuthenticationResults(text, true, &warnings));
  bouncedx::mail::ReceivedSpf spf = bouncedx::mail::ParseReceivedSpf(text);
  Check(spf.result == bouncedx::ToLower(spf.result));

  bouncedx::Result<std::vector<bouncedx::mail::Tag>> tags = bouncedx::mail::ParseTagList(text);
  if (tags.ok()) {
    for (size_t i = 0; i < tags->size(); ++i) {
      Check(!(*tags)[i].name.empty());
      for (size_t j = i + 1; j < tags->size(); ++j) Check((*tags)[i].name != (*tags)[j].name);
    }
  }
  bouncedx::mail::DkimSignature dkim = bouncedx::mail::ParseDkimSignature(text);
  Check(dkim.valid == dkim.error.empty());
  Check(!dkim.signature_present || dkim.valid || !dkim.error.empty());
  bouncedx::mail::ArcSeal seal = bouncedx::mail::ParseArcSeal(text);
  Check(!seal.valid || (seal.instance >= 1 && seal.instance <= 50));

  bouncedx::mail::HeaderBlock block =
      bouncedx::mail::ParseHeaders(text, 0, bouncedx::Limits(), &warnings);
  bouncedx::mail::AuthFacts facts = bouncedx::mail::ReadAuthFacts(block, &warnings);
  bouncedx::mail::ReceivedChain chain =
      bouncedx::mail::AnalyseReceived(block, "example.com", {}, &warnings);
  bouncedx::mail::ApplyTrust(bouncedx::mail::TrustContextFor(chain, "example.com"), &facts);
  size_t trusted = 0;
  for (const bouncedx::mail::AuthenticationResults& results : facts.authentication_results) {
    CheckResults(results);
    if (results.trusted) ++trusted;
  }
  Check(trusted == 0 || !facts.trusted_authserv_ids.empty());
  Check(!facts.one_click_unsubscribe ||
        (facts.list_unsubscribe_https && facts.list_unsubscribe_post));

  bouncedx::mail::AntispamReport antispam = bouncedx::mail::DecodeAntispam(block, &warnings);
  for (const bouncedx::mail::AntispamFinding& finding : antispam.findings) {
    Check(!finding.value.empty());
  }
  for (const std::string& warning : warnings) Check(bouncedx::IsValidUtf8(warning));
  return 0;
}
