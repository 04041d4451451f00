// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_BASE_WORD_SCAN_H_
#define BOUNCEDX_CORE_BASE_WORD_SCAN_H_

// Tests on eight bytes at once ("SIMD within a register"), for the loops
// that look at every byte of an input: most words of mail text hold no byte
// of interest, and one test of the whole word lets the loop step over it.
// Each test is exact about whether some byte of the word qualifies (a borrow
// between bytes can only start at a byte that does), so a loop may skip a
// word on a zero answer and re-check a word bytewise on a nonzero one.
//
//   size_t i = 0;
//   for (; i + 8 <= text.size(); i += 8) {
//     if (word_scan::AnyBelow(word_scan::Load(text.data() + i), 0x20) != 0) break;
//   }
//   // bytewise from i
//
// Byte order does not matter to these tests, so they behave the same on
// every host, WebAssembly included; FirstMarked, which speaks of memory
// order, follows the host's.

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bouncedx::word_scan {

constexpr uint64_t kOnes = 0x0101010101010101u;
constexpr uint64_t kHighBits = 0x8080808080808080u;

// The eight bytes at `p` (no alignment needed; the caller checks the bounds).
inline uint64_t Load(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

// Nonzero when some byte of `word` is below `limit`, which must be at most
// 0x80.
constexpr uint64_t AnyBelow(uint64_t word, unsigned limit) {
  return (word - kOnes * limit) & ~word & kHighBits;
}

// Nonzero when some byte of `word` equals `byte`.
constexpr uint64_t AnyEqual(uint64_t word, unsigned char byte) {
  return AnyBelow(word ^ (kOnes * byte), 1);
}

// Nonzero when some byte of `word` is 0x80 or above (not ASCII).
constexpr uint64_t AnyNonAscii(uint64_t word) { return word & kHighBits; }

// Nonzero when some byte of `word` is an ASCII digit: XOR with '0' maps
// exactly the digits to 0..9.
constexpr uint64_t AnyDigit(uint64_t word) { return AnyBelow(word ^ (kOnes * '0'), 10); }

// Exact per-byte answers, for counting: bit 7 of each byte of the result is
// set when that byte of `word` is below `limit` (at most 0x80), the other
// bits are clear. Adding 0x80 - limit to the low seven bits of a byte sets
// its bit 7 when they reach `limit`, and cannot carry into the next byte.
constexpr uint64_t BytesBelow(uint64_t word, unsigned limit) {
  return ~(((word & ~kHighBits) + kOnes * (0x80 - limit)) | word) & kHighBits;
}

// Bit 7 of each byte of the result is set when that byte of `word` equals
// `byte`.
constexpr uint64_t BytesEqual(uint64_t word, unsigned char byte) {
  return BytesBelow(word ^ (kOnes * byte), 1);
}

// How many bytes of a BytesBelow() or BytesEqual() result are marked: each
// becomes 0 or 1, and the multiplication sums them into the top byte.
constexpr unsigned CountMarked(uint64_t marks) {
  return static_cast<unsigned>(((marks >> 7) * kOnes) >> 56);
}

// Bit 7 of each byte of the result is set when that byte of `word` is an
// ASCII digit.
constexpr uint64_t BytesDigit(uint64_t word) { return BytesBelow(word ^ (kOnes * '0'), 10); }

// The place (0 to 7, in memory order) of the first marked byte of a nonzero
// BytesBelow(), BytesEqual() or BytesDigit() result.
inline unsigned FirstMarked(uint64_t marks) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  return static_cast<unsigned>(__builtin_clzll(marks)) / 8;
#else
  return static_cast<unsigned>(__builtin_ctzll(marks)) / 8;
#endif
}

#if defined(__SSE2__)
// Counts marked bytes over 16-byte blocks where the host has SSE2 (every
// x86-64): Add() takes a block compare's result (a lane is 0xFF where
// marked, 0 elsewhere) and counts up per lane without branching on it; the
// lanes, which hold at most 255, are summed and cleared every 255 blocks.
class MarkedLaneCounter {
 public:
  void Add(__m128i marks) {
    counts_ = _mm_sub_epi8(counts_, marks);
    if (++blocks_ == 255) Flush();
  }
  // Every mark added so far.
  size_t Total() {
    Flush();
    return total_;
  }

 private:
  void Flush() {
    const __m128i sums = _mm_sad_epu8(counts_, _mm_setzero_si128());
    total_ += static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
              static_cast<size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
    counts_ = _mm_setzero_si128();
    blocks_ = 0;
  }
  __m128i counts_ = _mm_setzero_si128();
  size_t blocks_ = 0;
  size_t total_ = 0;
};
#endif

}  // namespace bouncedx::word_scan

#endif  // BOUNCEDX_CORE_BASE_WORD_SCAN_H_
