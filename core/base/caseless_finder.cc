// SPDX-License-Identifier: MIT
#include "core/base/caseless_finder.h"

#include "core/base/text.h"

namespace bouncedx {

namespace {

unsigned char Lower(unsigned char c) { return static_cast<unsigned char>(ToLowerAscii(static_cast<char>(c))); }

size_t PairIndex(unsigned char a, unsigned char b) { return (static_cast<size_t>(Lower(a)) << 8) | Lower(b); }

}  // namespace

CaselessFinder::CaselessFinder(std::initializer_list<std::string_view> needles)
    : CaselessFinder(std::vector<std::string_view>(needles)) {}

CaselessFinder::CaselessFinder(const std::vector<std::string_view>& needles) { Build(needles); }

void CaselessFinder::Build(const std::vector<std::string_view>& needles) {
  pairs_.assign((256 * 256) / 64, 0);
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
    } else {
      size_t pair = PairIndex(first, static_cast<unsigned char>(needle[1]));
      pairs_[pair / 64] |= uint64_t{1} << (pair % 64);
    }
  }
}

size_t CaselessFinder::MatchAt(std::string_view haystack, size_t at) const {
  const unsigned char first = Lower(static_cast<unsigned char>(haystack[at]));
  if (!one_byte_[first]) {
    if (at + 1 >= haystack.size()) return npos;
    size_t pair = PairIndex(first, static_cast<unsigned char>(haystack[at + 1]));
    if ((pairs_[pair / 64] & (uint64_t{1} << (pair % 64))) == 0) return npos;
  }
  const size_t room = haystack.size() - at;
  for (uint32_t index : by_first_[first]) {
    const std::string& needle = needles_[index];
    if (needle.size() <= room && EqualsCaseless(haystack.substr(at, needle.size()), needle)) {
      return index;
    }
  }
  return npos;
}

CaselessFinder::Hit CaselessFinder::Find(std::string_view haystack, size_t from) const {
  Hit hit;
  const size_t size = haystack.size();
  const char* data = haystack.data();
  for (size_t i = from; i < size; ++i) {
    if (!first_[static_cast<unsigned char>(data[i])]) continue;
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
  const char* data = haystack.data();
  for (size_t i = 0; i < size && best.needle != 0; ++i) {
    if (!first_[static_cast<unsigned char>(data[i])]) continue;
    const unsigned char first = Lower(static_cast<unsigned char>(data[i]));
    if (!one_byte_[first]) {
      if (i + 1 >= size) continue;
      size_t pair = PairIndex(first, static_cast<unsigned char>(data[i + 1]));
      if ((pairs_[pair / 64] & (uint64_t{1} << (pair % 64))) == 0) continue;
    }
    const size_t room = size - i;
    for (uint32_t index : by_first_[first]) {
      if (index >= best.needle) break;  // lists are in index order
      const std::string& needle = needles_[index];
      if (needle.size() <= room && EqualsCaseless(haystack.substr(i, needle.size()), needle)) {
        best.position = i;
        best.needle = index;
        break;
      }
    }
  }
  return best;
}

}  // namespace bouncedx
