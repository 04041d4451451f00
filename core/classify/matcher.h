// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CLASSIFY_MATCHER_H_
#define BOUNCEDX_CORE_CLASSIFY_MATCHER_H_

// Matches the knowledge's signatures and provider fingerprints against text.
// All signature patterns are compiled once into a few RE2::Sets (about 200
// patterns each), so a text is scanned a fixed number of times whatever the
// number of signatures; only the patterns that hit are run again alone to
// find their span and named captures.

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/status.h"
#include "core/knowledge/knowledge.h"

namespace re2 {
class RE2;
}

namespace bouncedx {

struct SignatureMatch {
  size_t signature = 0;  // index into Knowledge::signatures()
  size_t begin = 0;      // span in the matched text
  size_t end = 0;
  // Named captures that matched (name, value), e.g. ("ip", "203.0.113.5").
  std::vector<std::pair<std::string, std::string>> captures;
};

struct ProviderMatch {
  size_t provider = 0;  // index into Knowledge::providers()
  size_t begin = 0;
  size_t end = 0;
};

class SignatureMatcher;

// Whether `pattern` (RE2 syntax) might match text holding a line break, or
// depend on where the text starts or ends: a conservative reading of its
// syntax, true for anything that can take a line break (\s, negated classes
// [^...], \W, \D, \x escapes, Unicode and POSIX classes, the s flag) and for
// anchors (^, $, \A, \z, the m flag).
bool MayMatchAcrossLines(std::string_view pattern);

// The provider fingerprints found in one text, found and located only on
// demand. Which patterns occur takes a pass of the provider set over the
// text; where one occurs takes another pass of that pattern alone, from the
// start of the text to its leftmost match. The set reads the text in two
// pieces, the first kilobyte (to the end of a line) and the rest, and the
// rest only when a question is not answered by the first: the leftmost
// fingerprint of a kind is in the first piece in most bounces (headers and
// the MTA's own words come first). This is exact because no fingerprint
// matches across a line break (the matcher checks their syntax, and scans
// the whole text at once if one might): a pattern not found in the first
// piece starts its leftmost match after it, behind every one that was.
// A caller that wants only the first provider of some kind skips locating
// when every candidate names the same provider.
//
// Views the text it was found in, which must outlive it.
class ProviderHits {
 public:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  // No fingerprint anywhere in the text (reads all of it).
  bool empty() {
    ScanAll();
    return hits_.empty();
  }

  // The provider (index into Knowledge::providers()) of the leftmost match
  // among the fingerprints whose provider `wanted(index)` accepts, or kNone.
  // Matches starting at the same offset rank in the order the set reported
  // them, as in Located().
  template <typename Wanted>
  size_t FirstProvider(Wanted wanted) {
    for (;;) {
      bool several = false;
      const size_t only = SoleProvider(wanted, &several);
      // A set hit is a match of its pattern, so one provider needs no span.
      if (only != kNone && !several) return only;
      if (several) {
        const size_t first = LeftmostFound(wanted, [](const ProviderMatch&) { return true; });
        if (first != kNone) return first;
      }
      if (!ScanMore()) return kNone;
    }
  }

  // The same, counting only matches whose span `placed(match)` accepts
  // (e.g. outside the replies). Only a fingerprint's leftmost match is
  // considered, as in Located().
  template <typename Wanted, typename Placed>
  size_t FirstProvider(Wanted wanted, Placed placed) {
    for (;;) {
      bool several = false;
      const size_t only = SoleProvider(wanted, &several);
      if (only != kNone && !several) {
        // One provider: any well-placed match names it, wherever it is, so
        // the search stops at the first.
        for (size_t k = 0; k < hits_.size(); ++k) {
          if (!wanted(hits_[k].provider)) continue;
          const ProviderMatch* match = Locate(k);
          if (match != nullptr && placed(*match)) return only;
        }
      } else if (several) {
        const size_t first = LeftmostFound(wanted, placed);
        if (first != kNone) return first;
      }
      if (!ScanMore()) return kNone;
    }
  }

  // The leftmost match of each fingerprint whose provider `wanted(index)`
  // accepts, ordered by position (ties in the order the set reported them).
  template <typename Wanted>
  std::vector<ProviderMatch> Located(Wanted wanted) {
    ScanAll();
    std::vector<ProviderMatch> matches;
    for (size_t k = 0; k < hits_.size(); ++k) {
      if (!wanted(hits_[k].provider)) continue;
      if (const ProviderMatch* match = Locate(k)) matches.push_back(*match);
    }
    std::stable_sort(matches.begin(), matches.end(),
                     [](const ProviderMatch& a, const ProviderMatch& b) { return a.begin < b.begin; });
    return matches;
  }

 private:
  friend class SignatureMatcher;
  // The provider every hit found so far that `wanted` accepts names, or
  // kNone when there is no such hit; `several` is set instead when they
  // name more than one.
  template <typename Wanted>
  size_t SoleProvider(Wanted wanted, bool* several) const {
    size_t only = kNone;
    for (const Hit& hit : hits_) {
      if (!wanted(hit.provider)) continue;
      if (only != kNone && hit.provider != only) *several = true;
      if (only == kNone) only = hit.provider;
    }
    return only;
  }
  // The provider of the leftmost well-placed match among the hits found so
  // far, or kNone.
  template <typename Wanted, typename Placed>
  size_t LeftmostFound(Wanted wanted, Placed placed) {
    const ProviderMatch* first = nullptr;
    for (size_t k = 0; k < hits_.size(); ++k) {
      if (!wanted(hits_[k].provider)) continue;
      const ProviderMatch* match = Locate(k);
      if (match != nullptr && placed(*match) && (first == nullptr || match->begin < first->begin)) {
        first = match;
      }
    }
    return first == nullptr ? kNone : first->provider;
  }
  struct Hit {
    size_t pattern = 0;   // index among the matcher's fingerprint patterns
    size_t provider = 0;  // index into Knowledge::providers()
    enum class Span { kUnknown, kFound, kMissing } span = Span::kUnknown;
    ProviderMatch match;  // valid when span is kFound
  };
  ProviderHits(const SignatureMatcher* matcher, std::string_view text)
      : matcher_(matcher), text_(text) {}
  // Runs the set over the next piece of the text and adds the fingerprints
  // found there that were not found before; false when all was read.
  bool ScanMore();
  void ScanAll() {
    while (ScanMore()) {
    }
  }
  // Hit k's leftmost match, found on first use; nullptr if it has none.
  const ProviderMatch* Locate(size_t k);

  const SignatureMatcher* matcher_;
  std::string_view text_;
  size_t scanned_ = 0;    // bytes of text_ the set has read
  std::vector<Hit> hits_;  // in the order the set reported them
};

class SignatureMatcher {
 public:
  // Compiles every pattern of `knowledge`, which must outlive the matcher.
  // A pattern that does not compile is skipped and named in status().
  explicit SignatureMatcher(const Knowledge& knowledge);
  ~SignatureMatcher();

  // Not copyable or movable: holds compiled automata that are expensive to
  // build; share the one from Get().
  SignatureMatcher(const SignatureMatcher&) = delete;
  SignatureMatcher& operator=(const SignatureMatcher&) = delete;

  // The matcher for Knowledge::Get(), built on first use.
  static const SignatureMatcher& Get();

  const Status& status() const { return status_; }
  const Knowledge& knowledge() const { return knowledge_; }

  // Every signature matching somewhere in `text`, ordered by signature
  // index; spans are offsets into `text`. Empty when none match.
  std::vector<SignatureMatch> Match(std::string_view text) const;

  // The indices (into Knowledge::signatures(), ascending) of every signature
  // matching somewhere in `text`: the same signatures as Match() finds, but
  // without locating their spans and captures, which costs a second run of
  // each hit pattern. Empty when none match.
  std::vector<size_t> MatchIds(std::string_view text) const;

  // Every provider whose fingerprint appears in `text`, ordered by position.
  std::vector<ProviderMatch> MatchProviders(std::string_view text) const;

  // The fingerprints that appear in `text`, found and located only when
  // asked: see ProviderHits.
  ProviderHits FindProviders(std::string_view text) const;

  // Whether no fingerprint may match across a line break (see
  // MayMatchAcrossLines), so that ProviderHits may read a text in pieces.
  bool fingerprints_stay_on_a_line() const;

 private:
  friend class ProviderHits;
  struct Compiled;
  // Set hits in ascending order; when a set's automaton gives up (out of
  // memory), all of its patterns are listed and `unverified` is set.
  std::vector<size_t> SetHits(std::string_view text, bool* unverified) const;
  // The pattern of signature `index` alone, compiled on first use.
  const re2::RE2& Single(size_t index) const;
#ifndef NDEBUG
  // The span of signature `index`'s leftmost match in `text`, found by its
  // pattern alone; (npos, npos) when it has none. Debug builds check the
  // phrase finder against it.
  std::pair<size_t, size_t> SpanOfAlone(size_t index, std::string_view text) const;
#endif
  const Knowledge& knowledge_;
  Status status_;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CLASSIFY_MATCHER_H_
