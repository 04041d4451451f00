// SPDX-License-Identifier: MIT
#include "core/base/caseless_finder.h"

#include <algorithm>

#include "core/base/text.h"

namespace bouncedx {

namespace {

constexpr std::array<unsigned char, 256> MakeLowerTable() {
  std::array<unsigned char, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[static_cast<size_t>(c)] =
        static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  }
  return table;
}
constexpr std::array<unsigned char, 256> kLower = MakeLowerTable();

unsigned char Lower(unsigned char c) { return kLower[c]; }

// The skip table's slot for the byte pair (a, b): 2^14 slots for the 2^16
// pairs, four to a slot. Two pairs share one only when their first bytes
// differ in the top two bits, so pairs whose first byte is a letter (0x40 to
// 0x7F) never share with each other.
constexpr unsigned kShiftBits = 14;
inline size_t PairSlot(unsigned char a, unsigned char b) {
  return a ^ (size_t{b} << (kShiftBits - 8));
}

// Whether `needle` (lower-cased) stands at `at` of `data`, ignoring ASCII case.
bool SameLower(const unsigned char* at, const std::string& needle) {
  for (size_t i = 0; i < needle.size(); ++i) {
    if (Lower(at[i]) != static_cast<unsigned char>(needle[i])) return false;
  }
  return true;
}

}  // namespace

CaselessFinder::CaselessFinder(std::initializer_list<std::string_view> needles)
    : CaselessFinder(std::vector<std::string_view>(needles)) {}

CaselessFinder::CaselessFinder(const std::vector<std::string_view>& needles) { Build(needles); }

void CaselessFinder::Build(const std::vector<std::string_view>& needles) {
  needles_.reserve(needles.size());
  for (std::string_view needle : needles) {
    const uint32_t index = static_cast<uint32_t>(needles_.size());
    needles_.push_back(ToLower(needle));
    if (needle.empty()) continue;
    if (min_length_ == 0 || needle.size() < min_length_) min_length_ = needle.size();
    const unsigned char first = static_cast<unsigned char>(needle[0]);
    first_[Lower(first)] = true;
    first_[static_cast<unsigned char>(ToUpperAscii(static_cast<char>(first)))] = true;
    by_first_[Lower(first)].push_back(index);
  }
  if (min_length_ < 2) return;
  // The window moves by at most 255 (the table holds bytes); longer windows
  // only lose some of their skip.
  const size_t window = min_length_;
  shift_.assign(size_t{1} << kShiftBits, static_cast<uint8_t>(std::min<size_t>(window - 1, 255)));
  for (const std::string& needle : needles_) {
    if (needle.empty()) continue;
    // The pair ending at offset `end` of the window: a match starting
    // window - 1 - end bytes after the window's start would put this pair at
    // the window's end.
    for (size_t end = 1; end < window; ++end) {
      const size_t skip = std::min<size_t>(window - 1 - end, 255);
      const unsigned char a = static_cast<unsigned char>(needle[end - 1]);
      const unsigned char b = static_cast<unsigned char>(needle[end]);
      const unsigned char a_cases[] = {a, static_cast<unsigned char>(ToUpperAscii(static_cast<char>(a)))};
      const unsigned char b_cases[] = {b, static_cast<unsigned char>(ToUpperAscii(static_cast<char>(b)))};
      for (unsigned char x : a_cases) {
        for (unsigned char y : b_cases) {
          uint8_t& entry = shift_[PairSlot(x, y)];
          entry = static_cast<uint8_t>(std::min<size_t>(entry, skip));
        }
      }
    }
  }
}

size_t CaselessFinder::NextCandidate(const unsigned char* data, size_t size, size_t at) const {
  if (min_length_ < 2) {
    // One-byte needles: every byte with a needle's first byte is a candidate.
    while (at < size && !first_[data[at]]) ++at;
    return at < size ? at : npos;
  }
  // A window that would run past the end cannot hold any needle.
  if (size < min_length_) return npos;
  while (at <= size - min_length_) {
    const size_t last = at + min_length_ - 1;
    const uint8_t skip = shift_[PairSlot(data[last - 1], data[last])];
    if (skip == 0) return at;
    at += skip;
  }
  return npos;
}

size_t CaselessFinder::MatchAt(std::string_view haystack, size_t at) const {
  const unsigned char* data = reinterpret_cast<const unsigned char*>(haystack.data());
  const size_t room = haystack.size() - at;
  for (uint32_t index : by_first_[Lower(data[at])]) {
    const std::string& needle = needles_[index];
    if (needle.size() <= room && SameLower(data + at, needle)) return index;
  }
  return npos;
}

CaselessFinder::Hit CaselessFinder::Find(std::string_view haystack, size_t from) const {
  Hit hit;
  if (min_length_ == 0) return hit;
  const size_t size = haystack.size();
  const unsigned char* data = reinterpret_cast<const unsigned char*>(haystack.data());
  for (size_t i = NextCandidate(data, size, from); i != npos; i = NextCandidate(data, size, i + 1)) {
    size_t index = MatchAt(haystack, i);
    if (index != npos) {
      hit.position = i;
      hit.needle = index;
      return hit;
    }
  }
  return hit;
}

CaselessFinder::Hit CaselessFinder::FindFirstListed(std::string_view haystack) const {
  // One pass, remembering each needle's first position: a later position may
  // hold a needle listed earlier than any found so far.
  Hit best;
  if (min_length_ == 0) return best;
  const size_t size = haystack.size();
  const unsigned char* data = reinterpret_cast<const unsigned char*>(haystack.data());
  for (size_t i = NextCandidate(data, size, 0); i != npos && best.needle != 0;
       i = NextCandidate(data, size, i + 1)) {
    const size_t room = size - i;
    for (uint32_t index : by_first_[Lower(data[i])]) {
      if (index >= best.needle) break;  // lists are in index order
      const std::string& needle = needles_[index];
      if (needle.size() <= room && SameLower(data + i, needle)) {
        best.position = i;
        best.needle = index;
        break;
      }
    }
  }
  return best;
}

}  // namespace bouncedx
