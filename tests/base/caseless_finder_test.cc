// SPDX-License-Identifier: MIT
#include "core/base/caseless_finder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "core/base/text.h"

namespace bouncedx {
namespace {

constexpr size_t npos = CaselessFinder::npos;

TEST(CaselessFinder, FindsEarliestNeedleIgnoringCase) {
  const CaselessFinder finder({"failure notice", "returned mail:", "mailer-daemon"});
  struct Case {
    const char* name;
    std::string_view text;
    size_t from;
    size_t position;
    size_t needle;
  };
  const Case cases[] = {
      {"none", "Subject: hello there", 0, npos, npos},
      {"empty text", "", 0, npos, npos},
      {"upper case", "From: MAILER-DAEMON@example.com", 0, 6, 2},
      {"earliest wins over list order", "Returned mail: see FAILURE NOTICE", 0, 0, 1},
      {"from skips an earlier one", "Returned mail: see FAILURE NOTICE", 1, 19, 0},
      {"needle at the very end", "x failure notice", 0, 2, 0},
      {"cut one byte short", "x failure notic", 0, npos, npos},
      {"from past the end", "failure notice", 20, npos, npos},
      {"mixed case inside", "fAiLuRe NoTiCe", 0, 0, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    CaselessFinder::Hit hit = finder.Find(c.text, c.from);
    EXPECT_EQ(hit.position, c.position);
    EXPECT_EQ(hit.needle, c.needle);
    EXPECT_EQ(hit.found(), c.position != npos);
  }
}

TEST(CaselessFinder, SamePositionPrefersNeedleListedFirst) {
  const CaselessFinder longer_first({"------ Original message follows", "------ Original"});
  EXPECT_EQ(longer_first.Find("x\n------ ORIGINAL message follows\n").needle, 0u);
  EXPECT_EQ(longer_first.Find("x\n------ ORIGINAL text\n").needle, 1u);
  EXPECT_EQ(longer_first.Find("x\n------ ORIGINAL text\n").position, 2u);
}

TEST(CaselessFinder, FirstListedLooksAtTheWholeText) {
  const CaselessFinder finder({"end of data", "RCPT TO", "HELO"});
  // HELO stands first but RCPT TO is listed first.
  CaselessFinder::Hit hit = finder.FindFirstListed("helo ok; then rcpt to:<a@b> refused");
  EXPECT_EQ(hit.needle, 1u);
  EXPECT_EQ(hit.position, 14u);
  hit = finder.FindFirstListed("after END OF DATA, rcpt to and helo");
  EXPECT_EQ(hit.needle, 0u);
  EXPECT_EQ(hit.position, 6u);
  EXPECT_FALSE(finder.FindFirstListed("nothing here").found());
  EXPECT_FALSE(finder.FindFirstListed("").found());
}

TEST(CaselessFinder, OneByteAndNonLetterNeedles) {
  const CaselessFinder finder({"@", "x-", "[192."});
  EXPECT_EQ(finder.Find("name: X-Spam").position, 6u);
  EXPECT_EQ(finder.Find("name: X-Spam").needle, 1u);
  EXPECT_EQ(finder.Find("host [192.0.2.1] bob@example.net").needle, 2u);
  EXPECT_EQ(finder.Find("host [192.0.2.1] bob@example.net").position, 5u);
  EXPECT_EQ(finder.Find("bob@example.net").position, 3u);
  EXPECT_EQ(finder.Find("bob@example.net").needle, 0u);
  EXPECT_FALSE(finder.Find("x").found());  // "x-" needs two bytes
}

TEST(CaselessFinder, EmptyNeedleNeverMatches) {
  const CaselessFinder finder({"", "abc"});
  EXPECT_EQ(finder.size(), 2u);
  EXPECT_EQ(finder.Find("xxabc").position, 2u);
  EXPECT_EQ(finder.Find("xxabc").needle, 1u);
  EXPECT_FALSE(finder.Find("xyz").found());
}

TEST(CaselessFinder, BytesOutsideAsciiCompareExactly) {
  const CaselessFinder finder({"\xC3\xA9t\xC3\xA9", "\xFF"});
  EXPECT_EQ(finder.Find("un \xC3\xA9T\xC3\xA9 chaud").position, 3u);
  EXPECT_FALSE(finder.Find("un \xC3\x89T\xC3\x89 chaud").found());  // É is not folded
  EXPECT_EQ(finder.Find(std::string_view("a\0\xFF", 3)).position, 2u);
  EXPECT_EQ(finder.Find(std::string_view("a\0\xFF", 3)).needle, 1u);
}

TEST(CaselessFinder, AgreesWithFindCaselessOnEveryOffset) {
  const std::string_view needles[] = {"mail", "MAILER-daemon", "il", "e-d"};
  const CaselessFinder finder({needles[0], needles[1], needles[2], needles[3]});
  const std::string text = "To: Mailer-Daemon <MAILER-DAEMON@mail.example> re: email-daemon";
  for (size_t from = 0; from <= text.size() + 1; ++from) {
    SCOPED_TRACE(from);
    size_t expected = npos;
    size_t which = npos;
    for (size_t k = 0; k < 4; ++k) {
      size_t at = FindCaseless(text, needles[k], from);
      if (at != npos && at < expected) {
        expected = at;
        which = k;
      }
    }
    EXPECT_EQ(finder.Find(text, from).position, expected);
    EXPECT_EQ(finder.Find(text, from).needle, which);
  }
}

// Long needles let the finder skip several bytes per look-up; the skip must
// never pass over a match, including one whose needle is longer than the
// skip table can express (300 bytes) and matches that overlap each other.
TEST(CaselessFinder, SkippingFindsWhatANaiveSearchFinds) {
  const std::string long_needle = "Delivery " + std::string(291, 'z');
  const std::string_view needles[] = {"permanent error", "Remote Server returned", "eRRor: perm",
                                      "rror: permanent", long_needle};
  const CaselessFinder finder({needles[0], needles[1], needles[2], needles[3], needles[4]});
  const std::string text = "Subject: x\nThis is a PERMANENT ERROR: permanent error\n" + std::string("DELIVERY ") +
                           std::string(291, 'Z') + " remote server returneD remote server return";
  size_t hits = 0;
  for (size_t from = 0; from <= text.size() + 1; ++from) {
    SCOPED_TRACE(from);
    size_t expected = npos;
    size_t which = npos;
    for (size_t k = 0; k < std::size(needles); ++k) {
      size_t at = FindCaseless(text, needles[k], from);
      if (at != npos && at < expected) {
        expected = at;
        which = k;
      }
    }
    if (expected != npos) ++hits;
    EXPECT_EQ(finder.Find(text, from).position, expected);
    EXPECT_EQ(finder.Find(text, from).needle, which);
  }
  EXPECT_EQ(hits, 356u);  // every offset up to the last match, at 355
  EXPECT_EQ(finder.FindFirstListed(text).position, 21u);
  EXPECT_EQ(finder.FindFirstListed(text).needle, 0u);
  const CaselessFinder only_long({long_needle});
  EXPECT_EQ(only_long.Find(text).position, 54u);
  EXPECT_FALSE(only_long.Find(text, 55).found());
}

// Needles and texts of arbitrary bytes, so that byte pairs sharing a slot of
// the skip table (a letter and a byte 0x80 above it, ...) meet: the finder
// still finds what a naive search finds.
TEST(CaselessFinder, SharedSkipSlotsLoseNoMatch) {
  uint32_t state = 4242;
  auto next = [&] {
    state = state * 1103515245u + 12345u;
    return (state >> 16) & 0x7FFF;
  };
  // A small alphabet with bytes that differ in the top two bits only.
  const unsigned char alphabet[] = {'a', 'A', 0x21, 0xA1, 0xE1, 'q', 'Q', 0x11, 0x91, ' '};
  auto random_text = [&](size_t length) {
    std::string text;
    for (size_t i = 0; i < length; ++i) text += static_cast<char>(alphabet[next() % std::size(alphabet)]);
    return text;
  };
  size_t found = 0;
  for (int round = 0; round < 300; ++round) {
    const std::string a = random_text(3 + next() % 3);
    const std::string b = random_text(3 + next() % 4);
    const CaselessFinder finder({a, b});
    const std::string text = random_text(200);
    for (size_t from = 0; from <= text.size(); from += 7) {
      size_t expected = std::min(FindCaseless(text, a, from), FindCaseless(text, b, from));
      EXPECT_EQ(finder.Find(text, from).position, expected) << round;
      found += expected != npos;
    }
  }
  EXPECT_GT(found, 1000u);
}

TEST(FindCaseless, FindsEitherCaseFromAnOffset) {
  EXPECT_EQ(FindCaseless("Host MX.example.com said: host x", "host "), 0u);
  EXPECT_EQ(FindCaseless("Host MX.example.com said: host x", "host ", 1), 26u);
  EXPECT_EQ(FindCaseless("Host MX.example.com said: host x", "HOST X"), 26u);
  EXPECT_EQ(FindCaseless("abc", "abcd"), npos);
  EXPECT_EQ(FindCaseless("abc", "c", 2), 2u);
  EXPECT_EQ(FindCaseless("abc", "c", 3), npos);
  EXPECT_EQ(FindCaseless("abc", "", 3), 3u);
  EXPECT_EQ(FindCaseless("abc", "", 4), npos);
  EXPECT_EQ(FindCaseless("[ipv6:x]", "[IPV6:"), 0u);
}

}  // namespace
}  // namespace bouncedx
