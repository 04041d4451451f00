// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CLI_RESOLVER_H_
#define BOUNCEDX_CORE_CLI_RESOLVER_H_

// The CLI's DNS host: answers a Diagnosis's questions over UDP (retrying
// over TCP when an answer is truncated, RFC 7766), through the servers of
// /etc/resolv.conf or one given server, IPv4 or IPv6. Every question in
// flight has its own connected socket and a random message ID; one poll()
// loop waits for them all, with a per-try timeout and a retry on the next
// server. The engine's wire query goes out unchanged but for its ID.

#include <string>

#include "core/engine/diagnosis.h"

namespace bouncedx::cli {

struct ResolverConfig {
  // Empty: the servers of /etc/resolv.conf. Else an IPv4 or IPv6 address.
  std::string server;
  int port = 53;
  int timeout_seconds = 3;  // per try
  int attempts = 2;
  int parallel = 32;        // questions in flight at once
  int max_rounds = 64;      // rounds of questions before giving up
};

// Parses "192.0.2.53", "192.0.2.53:5353", "2001:db8::53" or
// "[2001:db8::53]:5353" into `config`; false (with *error) when invalid.
bool ParseServer(const std::string& text, ResolverConfig* config, std::string* error);

// Runs the host loop until the diagnosis is finished or max_rounds pass.
// Returns the number of questions answered or failed.
int ResolveAll(Diagnosis& diagnosis, const ResolverConfig& config);

}  // namespace bouncedx::cli

#endif  // BOUNCEDX_CORE_CLI_RESOLVER_H_
