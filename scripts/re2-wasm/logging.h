// SPDX-License-Identifier: MIT
// Replaces RE2's util/logging.h in the WebAssembly build (scripts/build-re2-wasm).
//
// RE2's own header formats log messages with std::ostringstream, which links
// the whole of libc++'s iostreams and locales (money, time, wide-character
// facets: tens of KB of code and tables) into the page's module for messages
// that are written to stderr only when a pattern fails to compile or an
// internal check fails. This header keeps the same macros and the same
// messages, built in a std::string with snprintf for numbers; fatal messages
// still abort after they are written.
#ifndef UTIL_LOGGING_H_
#define UTIL_LOGGING_H_

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>

#include "util/util.h"

#define DCHECK(condition) assert(condition)
#define DCHECK_EQ(val1, val2) assert((val1) == (val2))
#define DCHECK_NE(val1, val2) assert((val1) != (val2))
#define DCHECK_LE(val1, val2) assert((val1) <= (val2))
#define DCHECK_LT(val1, val2) assert((val1) < (val2))
#define DCHECK_GE(val1, val2) assert((val1) >= (val2))
#define DCHECK_GT(val1, val2) assert((val1) > (val2))

#define CHECK(x) \
  if (x) {       \
  } else         \
    LogMessageFatal(__FILE__, __LINE__).stream() << "Check failed: " #x
#define CHECK_LT(x, y) CHECK((x) < (y))
#define CHECK_GT(x, y) CHECK((x) > (y))
#define CHECK_LE(x, y) CHECK((x) <= (y))
#define CHECK_GE(x, y) CHECK((x) >= (y))
#define CHECK_EQ(x, y) CHECK((x) == (y))
#define CHECK_NE(x, y) CHECK((x) != (y))

#define LOG_INFO LogMessage(__FILE__, __LINE__)
#define LOG_WARNING LogMessage(__FILE__, __LINE__)
#define LOG_ERROR LogMessage(__FILE__, __LINE__)
#define LOG_FATAL LogMessageFatal(__FILE__, __LINE__)
#define LOG_QFATAL LOG_FATAL

#ifdef NDEBUG
#define LOG_DFATAL LOG_ERROR
#else
#define LOG_DFATAL LOG_FATAL
#endif

#define LOG(severity) LOG_##severity.stream()

#define VLOG(x) \
  if ((x) > 0) { \
  } else         \
    LOG_INFO.stream()

// The text of one message. Accepts what RE2 logs: text, characters, numbers
// (enums through their integer promotion) and anything with data()/size().
class LogText {
 public:
  LogText& operator<<(const char* text) { text_.append(text); return *this; }
  LogText& operator<<(const std::string& text) { text_.append(text); return *this; }
  LogText& operator<<(char c) { text_.push_back(c); return *this; }
  LogText& operator<<(bool value) { text_.append(value ? "1" : "0"); return *this; }
  LogText& operator<<(int value) { return Number("%d", value); }
  LogText& operator<<(unsigned value) { return Number("%u", value); }
  LogText& operator<<(long value) { return Number("%ld", value); }
  LogText& operator<<(unsigned long value) { return Number("%lu", value); }
  LogText& operator<<(long long value) { return Number("%lld", value); }
  LogText& operator<<(unsigned long long value) { return Number("%llu", value); }
  LogText& operator<<(const void* pointer) { return Number("%p", pointer); }
  template <typename Text>
  auto operator<<(const Text& text) -> decltype(text.data(), text.size(), *this) {
    text_.append(text.data(), text.size());
    return *this;
  }

  const std::string& str() const { return text_; }

 private:
  template <typename Value>
  LogText& Number(const char* format, Value value) {
    char buffer[32];
    int n = snprintf(buffer, sizeof buffer, format, value);
    if (n > 0) text_.append(buffer, static_cast<size_t>(n) < sizeof buffer ? n : sizeof buffer - 1);
    return *this;
  }

  std::string text_;
};

class LogMessage {
 public:
  LogMessage(const char* file, int line) : flushed_(false) {
    stream() << file << ":" << line << ": ";
  }
  void Flush() {
    stream() << "\n";
    const std::string& s = text_.str();
    if (fwrite(s.data(), 1, s.size(), stderr) < s.size()) {
    }
    flushed_ = true;
  }
  ~LogMessage() {
    if (!flushed_) Flush();
  }
  LogText& stream() { return text_; }

 private:
  bool flushed_;
  LogText text_;

  LogMessage(const LogMessage&) = delete;
  LogMessage& operator=(const LogMessage&) = delete;
};

class LogMessageFatal : public LogMessage {
 public:
  LogMessageFatal(const char* file, int line) : LogMessage(file, line) {}
  ATTRIBUTE_NORETURN ~LogMessageFatal() {
    Flush();
    abort();
  }

 private:
  LogMessageFatal(const LogMessageFatal&) = delete;
  LogMessageFatal& operator=(const LogMessageFatal&) = delete;
};

#endif  // UTIL_LOGGING_H_
