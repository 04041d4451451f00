// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_DNS_QUERY_H_
#define BOUNCEDX_CORE_DNS_QUERY_H_

// Building the query messages the engine hands to a host. One shape only,
// the one a stub resolver sends: one question of class IN, recursion desired,
// and an EDNS0 OPT record offering a 1232-byte UDP payload (the DNS flag day
// 2020 size) with the DNSSEC OK bit clear.
//
//   Result<std::string> wire = BuildQuery("_dmarc.example.com", RrType::kTxt);
//   // DoH: GET <resolver>?dns=<base64url(wire)>, RFC 8484 §4.1 (ID 0)

#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/status.h"

namespace bouncedx::dns {

// The complete query message for `name` (presentation form, see name.h) and
// `type`, with message ID `id` (DoH wants 0). Fails with kMalformed, and the
// message of SplitName(), when `name` is not a valid name. Never compresses.
Result<std::string> BuildQuery(std::string_view name, uint16_t type, uint16_t id = 0);

}  // namespace bouncedx::dns

#endif  // BOUNCEDX_CORE_DNS_QUERY_H_
