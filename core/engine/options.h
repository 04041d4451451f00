// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_ENGINE_OPTIONS_H_
#define BOUNCEDX_CORE_ENGINE_OPTIONS_H_

// What a host tells a Diagnosis before it starts: limits, which checks to
// run, and the current time (the engine never reads a clock).

#include <cstdint>
#include <string>

#include "core/base/limits.h"

namespace bouncedx {

struct Options {
  Limits limits;
  // Seconds since the Unix epoch, supplied by the host. Used to judge DKIM
  // expiry and Received delays; 0 means "unknown" and disables those checks.
  int64_t now_unix = 0;
  // When false, no DNS questions are asked: the report is the offline one.
  bool dns_checks = true;
  // Spamhaus Data Query Service key; when set, Spamhaus zones are asked
  // through <key>.zen.dq.spamhaus.net instead of the public mirrors.
  std::string spamhaus_dqs_key;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_ENGINE_OPTIONS_H_
