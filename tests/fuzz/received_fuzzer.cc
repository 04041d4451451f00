// SPDX-License-Identifier: MIT
// Fuzzes the Received parser, the edge search and the date parser, and
// checks the invariants callers rely on: addresses that parse back, an edge
// that points at a real hop with its values, delays that are -1 or more,
// reasoning that is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/limits.h"
#include "core/base/text.h"
#include "core/dns/ip.h"
#include "core/mail/date_time.h"
#include "core/mail/headers.h"
#include "core/mail/received.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckHop(const bouncedx::mail::ReceivedHop& hop) {
  bouncedx::dns::IpAddress ip;
  Check(hop.ip.empty() || (bouncedx::dns::ParseIp(hop.ip, &ip) && ip == hop.address));
  Check(!hop.ip.empty() || hop.address.family == bouncedx::dns::IpFamily::kNone);
  Check(hop.delay_seconds >= -1 && hop.clock_skew_seconds >= 0);
  if (hop.unix_time != 0) Check(!hop.date.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckHop(bouncedx::mail::ParseReceived(text));

  int64_t when = 0;
  if (bouncedx::mail::ParseDateTime(text, &when)) {
    Check(!bouncedx::mail::FormatUtc(when).empty());
  }

  std::vector<std::string> warnings;
  bouncedx::mail::HeaderBlock block =
      bouncedx::mail::ParseHeaders(text, 0, bouncedx::Limits(), &warnings);
  // The first line's last word doubles as the recipient domain, so the
  // organisation logic sees varied domains too.
  std::string_view first_line = text.substr(0, text.find('\n'));
  std::string_view recipient = first_line.substr(first_line.rfind(' ') + 1);
  if (recipient.size() > 64) recipient = recipient.substr(0, 64);
  const std::vector<std::string> mx = {std::string(recipient), "mx.example.net"};
  for (std::string_view domain : {std::string_view(), recipient}) {
    bouncedx::mail::ReceivedChain chain = bouncedx::mail::AnalyseReceived(
        block, domain, domain.empty() ? std::vector<std::string>{} : mx, &warnings);
    for (const bouncedx::mail::ReceivedHop& hop : chain.hops) CheckHop(hop);
    if (chain.edge.found) {
      Check(chain.edge.hop_index < chain.hops.size());
      const bouncedx::mail::ReceivedHop& hop = chain.hops[chain.edge.hop_index];
      Check(chain.edge.ip == hop.ip && chain.edge.helo == hop.helo && chain.edge.by == hop.by);
      if (!hop.ip.empty()) {
        bouncedx::dns::IpScope scope = bouncedx::dns::ClassifyIp(hop.address);
        Check(scope == bouncedx::dns::IpScope::kPublic ||
              scope == bouncedx::dns::IpScope::kDocumentation);
      }
    }
    for (const std::string& line : chain.edge.reasoning) Check(bouncedx::IsValidUtf8(line));
  }
  for (const std::string& warning : warnings) Check(bouncedx::IsValidUtf8(warning));
  return 0;
}
