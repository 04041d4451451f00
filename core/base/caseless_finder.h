// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_BASE_CASELESS_FINDER_H_
#define BOUNCEDX_CORE_BASE_CASELESS_FINDER_H_

// Looks for many fixed phrases at once, ignoring ASCII case, in one pass
// over the text. Marker lists ("undelivered mail returned to sender",
// "final-recipient:", ...) used to be searched phrase by phrase, each a scan
// of the whole input; a finder scans once, skipping ahead several bytes at a
// time where no phrase can start, and compares phrases only where one may.
//
//   static const CaselessFinder kMarkers({"failure notice", "returned mail:"});
//   CaselessFinder::Hit hit = kMarkers.Find(text);
//   if (hit.found()) cut = hit.position;   // hit.needle says which phrase
//
// A finder is immutable after construction, so one instance (a function-local
// static) can be shared by every caller and thread.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace bouncedx {

class CaselessFinder {
 public:
  static constexpr size_t npos = std::string_view::npos;

  struct Hit {
    size_t position = npos;  // offset in the searched text
    size_t needle = npos;    // index of the phrase in the constructor's list
    bool found() const { return position != npos; }
  };

  // Remembers `needles` (copied, so literals or temporaries are fine). An
  // empty needle never matches; case is ignored for ASCII letters only,
  // other bytes compare as they are.
  explicit CaselessFinder(std::initializer_list<std::string_view> needles);
  explicit CaselessFinder(const std::vector<std::string_view>& needles);

  // Copyable and movable: plain tables, nothing shared.
  CaselessFinder(const CaselessFinder&) = default;
  CaselessFinder& operator=(const CaselessFinder&) = default;

  // The earliest occurrence of any needle starting at or after `from`; when
  // several start there, the one listed first. Not found when none occurs
  // or `from` is past the end.
  Hit Find(std::string_view haystack, size_t from = 0) const;

  // The first needle of the list (lowest index) that occurs anywhere in
  // `haystack`, with its earliest position; not found when none occurs.
  // For lists ordered by preference rather than by position.
  Hit FindFirstListed(std::string_view haystack) const;

  size_t size() const { return needles_.size(); }

 private:
  void Build(const std::vector<std::string_view>& needles);
  // Index of the needle listed first among those starting at `at`, or npos.
  size_t MatchAt(std::string_view haystack, size_t at) const;
  // The next position at or after `at` where a needle may start, or npos:
  // skips (see shift_) until a window's last two bytes could belong to the
  // first min_length_ bytes of some needle.
  size_t NextCandidate(const unsigned char* data, size_t size, size_t at) const;

  std::vector<std::string> needles_;  // lower-cased
  // Needle indices by lower-cased first byte, each list in list order.
  std::array<std::vector<uint32_t>, 256> by_first_;
  // Set for both cases of every needle's first byte.
  std::array<bool, 256> first_{};
  // Length of the shortest non-empty needle (0 when there is none).
  size_t min_length_ = 0;
  // Wu-Manber skip table, used when min_length_ >= 2: a window is the
  // min_length_ bytes at a candidate start, and the entry for the pair of
  // bytes ending the window (raw: filled for every case of a letter) is how
  // far the window can move without passing over the start of a match. A
  // pair that ends the first min_length_ bytes of some needle has 0 (check
  // the needles there); a pair found nowhere in those bytes lets the window
  // jump by min_length_ - 1. Typical text moves several bytes per look-up
  // instead of one. Pairs share 16 KiB of slots (first byte XOR second byte
  // << 6), each slot keeping the smallest skip of its pairs, which is safe
  // for all of them: a table per pair took 64 KiB per finder, also in the
  // page's memory, and measured no faster.
  std::vector<uint8_t> shift_;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_BASE_CASELESS_FINDER_H_
