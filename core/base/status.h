// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_BASE_STATUS_H_
#define BOUNCEDX_CORE_BASE_STATUS_H_

// Errors as values. The core never throws: the WebAssembly build aborts on a
// throw, so every fallible function returns a Status or a Result<T>.
//
//   Result<SmtpReply> reply = ParseSmtpReply(text);
//   if (!reply.ok()) return reply.status();
//   Use(reply.value());

#include <string>
#include <utility>

namespace bouncedx {

enum class StatusCode {
  kOk = 0,
  kMalformed,      // input does not have the expected syntax
  kTruncated,      // input ended before a complete item was read
  kLimitExceeded,  // a cap from Limits was reached
  kNotFound,       // the thing looked for is not there
  kMismatch,       // an answer does not belong to its question
  kUnsupported,    // valid, but not something we handle
  kInternal,       // a bug: never expected on any input
};

// Returns a stable lower-case name ("malformed") for logs and JSON.
const char* StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "malformed: enhanced status: bad class", or "ok".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none. Copyable and movable
// when T is. Reading value() of a failed Result is a bug; it returns a
// default-constructed T rather than crashing, so T must be default-constructible.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Status(StatusCode::kInternal, "ok status without value");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const T& value() const& { return value_; }
  T& value() & { return value_; }
  T&& value() && { return std::move(value_); }
  const T* operator->() const { return &value_; }
  T* operator->() { return &value_; }
  const T& operator*() const { return value_; }

 private:
  T value_{};
  Status status_;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_BASE_STATUS_H_
