// SPDX-License-Identifier: MIT
#include "core/base/caseless_finder.h"

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

size_t PairIndex(unsigned char a, unsigned char b) { return (static_cast<size_t>(Lower(a)) << 8) | Lower(b); }

// A bit index for the lower-cased four bytes at `p`.
size_t QuadIndex(const unsigned char* p) {
  const uint32_t quad = (uint32_t{Lower(p[0])} << 24) | (uint32_t{Lower(p[1])} << 16) |
                        (uint32_t{Lower(p[2])} << 8) | Lower(p[3]);
  return (quad * 2654435761u) >> 16;  // 65,536 bits
}

bool BitSet(const std::vector<uint64_t>& bits, size_t index) {
  return (bits[index / 64] & (uint64_t{1} << (index % 64))) != 0;
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
  pairs_.assign((256 * 256) / 64, 0);
  quads_.assign((size_t{1} << 16) / 64, 0);
  needles_.reserve(needles.size());
  for (std::string_view needle : needles) {
    const uint32_t index = static_cast<uint32_t>(needles_.size());
    needles_.push_back(ToLower(needle));
    if (needle.empty()) continue;
    const unsigned char first = static_cast<unsigned char>(needle[0]);
    first_[Lower(first)] = true;
    first_[static_cast<unsigned char>(ToUpperAscii(static_cast<char>(first)))] = true;
    by_first_[Lower(first)].push_back(index);
    if (needle.size() == 1) {
      one_byte_[Lower(first)] = true;
    } else if (needle.size() < 4) {
      size_t pair = PairIndex(first, static_cast<unsigned char>(needle[1]));
      pairs_[pair / 64] |= uint64_t{1} << (pair % 64);
    } else {
      size_t quad = QuadIndex(reinterpret_cast<const unsigned char*>(needle.data()));
      quads_[quad / 64] |= uint64_t{1} << (quad % 64);
    }
  }
}

bool CaselessFinder::MayStartAt(const unsigned char* data, size_t size, size_t at) const {
  const unsigned char first = Lower(data[at]);
  if (one_byte_[first]) return true;
  if (at + 1 >= size) return false;
  if (BitSet(pairs_, PairIndex(first, data[at + 1]))) return true;
  return at + 4 <= size && BitSet(quads_, QuadIndex(data + at));
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
  const size_t size = haystack.size();
  const unsigned char* data = reinterpret_cast<const unsigned char*>(haystack.data());
  for (size_t i = from; i < size; ++i) {
    if (!first_[data[i]] || !MayStartAt(data, size, i)) continue;
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
  const size_t size = haystack.size();
  const unsigned char* data = reinterpret_cast<const unsigned char*>(haystack.data());
  for (size_t i = 0; i < size && best.needle != 0; ++i) {
    if (!first_[data[i]] || !MayStartAt(data, size, i)) continue;
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
