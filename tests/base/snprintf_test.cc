// SPDX-License-Identifier: MIT
// The page's module replaces libc's snprintf with an integer-only one
// (wasm/integer_snprintf.c); these run natively and in the WebAssembly suite.
#include <gtest/gtest.h>

#include <cstdio>

namespace {

// Formats the compiler cannot see, so no call is folded at compile time.
const char* volatile kIntegerFormat = "%s=0x%02x %d%% %zu";
const char* volatile kFloatFormat = "%.2f";

TEST(Snprintf, FormatsIntegersAndStrings) {
  char buffer[32];
  EXPECT_EQ(std::snprintf(buffer, sizeof buffer, kIntegerFormat, "k", 10, -5, size_t{7}), 12);
  EXPECT_STREQ(buffer, "k=0x0a -5% 7");
  // Cut to the buffer, with the whole length returned.
  EXPECT_EQ(std::snprintf(buffer, 4, kIntegerFormat, "k", 10, -5, size_t{7}), 12);
  EXPECT_STREQ(buffer, "k=0");
}

#ifdef __EMSCRIPTEN__
TEST(Snprintf, TheModuleRefusesFloatingPointConversions) {
  char buffer[16] = "unchanged";
  EXPECT_EQ(std::snprintf(buffer, sizeof buffer, kFloatFormat, 1.5), -1);
  EXPECT_STREQ(buffer, "");
}
#else
TEST(Snprintf, NativeBuildsKeepTheLibrarysFloatingPoint) {
  char buffer[16];
  EXPECT_EQ(std::snprintf(buffer, sizeof buffer, kFloatFormat, 1.5), 4);
  EXPECT_STREQ(buffer, "1.50");
}
#endif

}  // namespace
