// SPDX-License-Identifier: MIT
#include "core/base/word_scan.h"

#include <gtest/gtest.h>

#include <string>

namespace bouncedx {
namespace {

// Every test against a byte-by-byte answer, for each byte value at each of
// the eight positions, with the other bytes chosen to provoke a borrow
// (0x00, just below the limit) or none (0xFF, 'A').
TEST(WordScan, EachTestAgreesWithBytewiseOnEveryByteAndPosition) {
  const unsigned char fillers[] = {'A', 0xFF, 0x7F, 0x80, '9', '#', '\n', 0x00};
  size_t flagged = 0;
  for (unsigned char filler : fillers) {
    for (int value = 0; value < 256; ++value) {
      for (size_t at = 0; at < 8; ++at) {
        std::string bytes(8, static_cast<char>(filler));
        bytes[at] = static_cast<char>(value);
        const uint64_t word = word_scan::Load(bytes.data());
        bool below = false, quote = false, high = false, digit = false;
        for (unsigned char c : bytes) {
          below |= c < 0x20;
          quote |= c == '"';
          high |= c >= 0x80;
          digit |= c >= '0' && c <= '9';
        }
        SCOPED_TRACE(std::to_string(filler) + " " + std::to_string(value) + " at " + std::to_string(at));
        EXPECT_EQ(word_scan::AnyBelow(word, 0x20) != 0, below);
        EXPECT_EQ(word_scan::AnyEqual(word, '"') != 0, quote);
        EXPECT_EQ(word_scan::AnyNonAscii(word) != 0, high);
        EXPECT_EQ(word_scan::AnyDigit(word) != 0, digit);
        size_t below_count = 0, newline_count = 0;
        for (unsigned char c : bytes) {
          below_count += c < 0x20;
          newline_count += c == '\n';
        }
        EXPECT_EQ(word_scan::CountMarked(word_scan::BytesBelow(word, 0x20)), below_count);
        EXPECT_EQ(word_scan::CountMarked(word_scan::BytesEqual(word, '\n')), newline_count);
        flagged += below;
      }
    }
  }
  // Fillers below 0x20 flag every value; the others only the 32 below it.
  EXPECT_EQ(flagged, 6u * 32u * 8u + 2u * 256u * 8u);
}

// FirstMarked speaks of memory order: checked against the bytes as
// stored, for every pair of marked places.
TEST(WordScan, FirstMarkedFollowsTheBytes) {
  for (size_t first = 0; first < 8; ++first) {
    for (size_t second = first; second < 8; ++second) {
      std::string bytes = "abcdefgh";
      bytes[first] = '7';
      bytes[second] = '#';
      const uint64_t word = word_scan::Load(bytes.data());
      const uint64_t digits = word_scan::BytesDigit(word);
      SCOPED_TRACE(bytes);
      EXPECT_EQ(word_scan::CountMarked(digits), first == second ? 0u : 1u);
      EXPECT_EQ(word_scan::FirstMarked(digits | word_scan::BytesEqual(word, '#')), first);
      EXPECT_EQ(word_scan::FirstMarked(word_scan::BytesEqual(word, '#')), second);
    }
  }
}

TEST(WordScan, LimitOf0x80MeansAscii) {
  EXPECT_NE(word_scan::AnyBelow(word_scan::Load("\xFF\xFF\xFF\x7F\xFF\xFF\xFF\xFF"), 0x80), 0u);
  EXPECT_EQ(word_scan::AnyBelow(word_scan::Load("\x80\x80\x80\x80\xFF\xFF\xFF\xFF"), 0x80), 0u);
}

}  // namespace
}  // namespace bouncedx
