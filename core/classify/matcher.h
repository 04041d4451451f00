// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CLASSIFY_MATCHER_H_
#define BOUNCEDX_CORE_CLASSIFY_MATCHER_H_

// Matches the knowledge's signatures and provider fingerprints against text.
// All signature patterns are compiled once into a few RE2::Sets (about 200
// patterns each), so a text is scanned a fixed number of times whatever the
// number of signatures; only the patterns that hit are run again alone to
// find their span and named captures.

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

 private:
  struct Compiled;
  // Set hits in ascending order; when a set's automaton gives up (out of
  // memory), all of its patterns are listed and `unverified` is set.
  std::vector<size_t> SetHits(std::string_view text, bool* unverified) const;
  // The pattern of signature `index` alone, compiled on first use.
  const re2::RE2& Single(size_t index) const;
  const Knowledge& knowledge_;
  Status status_;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CLASSIFY_MATCHER_H_
