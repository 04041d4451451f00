// SPDX-License-Identifier: MIT
#include "core/input/mbox.h"

#include <gtest/gtest.h>

namespace bouncedx {
namespace {

TEST(Mbox, SplitsAtFromLinesAfterBlankLines) {
  std::string_view text =
      "From a@example.com Mon Nov 23 10:00:00 2026\nSubject: one\n\nbody\nFrom here on\n\n"
      "From b@example.com Mon Nov 23 10:01:00 2026\nSubject: two\n\nbody two\n";
  std::vector<std::string_view> messages = SplitMbox(text, 100);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].substr(0, 17), "From a@example.co");
  EXPECT_NE(messages[0].find("From here on"), std::string_view::npos);
  EXPECT_EQ(messages[1].substr(0, 17), "From b@example.co");
  EXPECT_EQ(messages[1].substr(messages[1].size() - 9), "body two\n");
}

TEST(Mbox, TextThatIsNoMboxComesBackWhole) {
  std::vector<std::string_view> messages = SplitMbox("554 5.7.1 Relay access denied", 100);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0], "554 5.7.1 Relay access denied");
}

TEST(Mbox, StopsAtTheMessageCapWithTheRestInTheLastMessage) {
  std::string text;
  for (int i = 0; i < 5; ++i) text += "From x@example.com\n\nbody\n\n";
  std::vector<std::string_view> messages = SplitMbox(text, 3);
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[2].size(), text.size() - 2 * std::string("From x@example.com\n\nbody\n\n").size());
}

}  // namespace
}  // namespace bouncedx
