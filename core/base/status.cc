// SPDX-License-Identifier: MIT
#include "core/base/status.h"

namespace bouncedx {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kMalformed: return "malformed";
    case StatusCode::kTruncated: return "truncated";
    case StatusCode::kLimitExceeded: return "limit_exceeded";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kMismatch: return "mismatch";
    case StatusCode::kUnsupported: return "unsupported";
    case StatusCode::kInternal: return "internal";
  }
  return "internal";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = StatusCodeName(code_);
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

}  // namespace bouncedx
