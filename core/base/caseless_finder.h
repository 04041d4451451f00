// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_BASE_CASELESS_FINDER_H_
#define BOUNCEDX_CORE_BASE_CASELESS_FINDER_H_

// Looks for many fixed phrases at once, ignoring ASCII case, in one pass
// over the text. Marker lists ("undelivered mail returned to sender",
// "final-recipient:", ...) used to be searched phrase by phrase, each a scan
// of the whole input; a finder scans once and checks a phrase only where its
// first bytes stand.
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
  // False when no needle can start at `at` of `data` (`size` bytes): a
  // cheap test of the first bytes against bit tables, true on any doubt.
  bool MayStartAt(const unsigned char* data, size_t size, size_t at) const;
  // Index of the needle listed first among those starting at `at`, or npos.
  size_t MatchAt(std::string_view haystack, size_t at) const;

  std::vector<std::string> needles_;  // lower-cased
  // Needle indices by lower-cased first byte, each list in list order.
  std::array<std::vector<uint32_t>, 256> by_first_;
  // Set for both cases of every needle's first byte.
  std::array<bool, 256> first_{};
  // Bit per (lower-cased first byte, lower-cased second byte) pair of the
  // two- and three-byte needles; bit per hash of the lower-cased first four
  // bytes of the longer ones (phrases starting "th" or "re" are common,
  // their first four bytes much less so); one-byte needles are marked in
  // one_byte_ instead.
  std::vector<uint64_t> pairs_;
  std::vector<uint64_t> quads_;
  std::array<bool, 256> one_byte_{};
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_BASE_CASELESS_FINDER_H_
