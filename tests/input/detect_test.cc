// SPDX-License-Identifier: MIT
#include "core/input/detect.h"

#include <gtest/gtest.h>

#include <string>

namespace bouncedx {
namespace {

TEST(DetectInput, BinaryReasonGivesTheControlShareInWholePercent) {
  struct Case {
    const char* name;
    std::string text;
    const char* reason;
  } cases[] = {
      // 1 of 8 is 12.5%: halves round to even, as printf's "%.0f" does.
      {"one in eight", std::string("abc\x01" "defg"), "12% of the first 8 bytes are control bytes"},
      {"three in eight", std::string("a\x01" "b\x02" "c\x03" "de"),
       "38% of the first 8 bytes are control bytes"},
      {"one in three", std::string("a\x02" "b"), "33% of the first 3 bytes are control bytes"},
      {"two in three", std::string("\x01\x02" "b"), "67% of the first 3 bytes are control bytes"},
      {"all", std::string("\x01\x02\x03\x04"), "100% of the first 4 bytes are control bytes"},
      {"NUL bytes count", std::string("MZ\0\0\0\0", 6), "67% of the first 6 bytes are control bytes"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const InputSniff sniff = DetectInput(c.text, 0, 0);
    EXPECT_EQ(sniff.kind, InputKind::kBinary);
    EXPECT_EQ(sniff.reason, c.reason);
  }
}

TEST(DetectInput, TextWithFewControlsIsNotBinary) {
  std::string text(200, 'a');
  text[10] = '\x01';  // 0.5%: under the 1% line
  EXPECT_NE(DetectInput(text, 0, 0).kind, InputKind::kBinary);
  EXPECT_EQ(DetectInput("  \n\t ", 0, 0).kind, InputKind::kEmpty);
}

}  // namespace
}  // namespace bouncedx
