// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CLI_RESOLVER_H_
#define BOUNCEDX_CORE_CLI_RESOLVER_H_

// The CLI's DNS host: answers a Diagnosis's questions with the C library's
// resolver (res_nsend, which sends the engine's own wire query and returns
// the raw response, retrying over TCP when an answer is truncated), through
// the system's configured servers or one given server. Questions of one
// round go out in parallel on worker threads.

#include <string>

#include "core/engine/diagnosis.h"

namespace bouncedx::cli {

struct ResolverConfig {
  // Empty: the servers of /etc/resolv.conf. Else an IPv4 address.
  std::string server;
  int port = 53;
  int timeout_seconds = 3;  // per try
  int attempts = 2;
  int parallel = 32;        // questions in flight at once
  int max_rounds = 64;      // rounds of questions before giving up
};

// Parses "IP" or "IP:PORT" into `config`; false (with *error) when invalid.
bool ParseServer(const std::string& text, ResolverConfig* config, std::string* error);

// Runs the host loop until the diagnosis is finished or max_rounds pass.
// Returns the number of questions answered or failed.
int ResolveAll(Diagnosis& diagnosis, const ResolverConfig& config);

}  // namespace bouncedx::cli

#endif  // BOUNCEDX_CORE_CLI_RESOLVER_H_
