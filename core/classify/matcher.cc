// SPDX-License-Identifier: MIT
#include "core/classify/matcher.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <mutex>
#include <utility>

#include "core/base/text.h"

namespace bouncedx {

namespace {

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  // Bounce text is mostly ASCII but may hold any bytes; UTF-8 mode keeps
  // the non-English signatures working and treats bad bytes as themselves.
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_max_mem(64 << 20);
  return options;
}

// The set reads a text's first this many bytes, to the end of a line, before
// the rest (ProviderHits). Bounces name their writer early: in 1,000 bounces
// of the bench corpus, 90% of the leftmost MTA fingerprints outside the
// replies end within 700 bytes.
constexpr size_t kFirstPiece = 1024;

// A signature that is a plain phrase ("(?i)Relay access denied",
// "\bDMARC\b"): its leftmost match is the first occurrence of the phrase
// where the word boundaries hold, found without running RE2 again. That is
// exact when the phrase is ASCII and, for a caseless one, when the text is
// ASCII too: RE2's (?i) also folds two non-ASCII letters onto ASCII ones
// (U+212A onto k, U+017F onto s), and its \b looks at ASCII word bytes only.
struct Phrase {
  std::string bytes;
  bool caseless = false;    // (?i)
  bool word_before = false;  // \b at the start
  bool word_after = false;   // \b at the end
};

// Reads `pattern` as a phrase; an empty phrase (no bytes) when it is
// anything else.
Phrase ReadPhrase(std::string_view pattern) {
  Phrase phrase;
  if (pattern.substr(0, 4) == "(?i)") {
    phrase.caseless = true;
    pattern.remove_prefix(4);
  }
  if (pattern.substr(0, 2) == "\\b") {
    phrase.word_before = true;
    pattern.remove_prefix(2);
  }
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (static_cast<unsigned char>(c) >= 0x80 || std::strchr(".+*?()[]{}|^$", c) != nullptr) return Phrase();
    if (c != '\\') {
      phrase.bytes.push_back(c);
      continue;
    }
    if (i + 1 == pattern.size()) return Phrase();
    const char escaped = pattern[++i];
    if (escaped == 'b' && i + 1 == pattern.size()) {
      phrase.word_after = true;
      break;
    }
    // An escaped punctuation mark stands for itself; letters and digits are
    // classes, anchors or codes.
    if (escaped == '\0' || std::strchr("!\"#%&',-./:;<=>@`~ .+*?()[]{}|^$\\", escaped) == nullptr) {
      return Phrase();
    }
    phrase.bytes.push_back(escaped);
  }
  // "\\b" alone is no phrase.
  return phrase.bytes.empty() ? Phrase() : phrase;
}

bool IsWordByte(std::string_view text, size_t at) {
  if (at >= text.size()) return false;
  return IsAlnum(text[at]) || text[at] == '_';
}

// The offset of `phrase`'s leftmost match in `text`, or npos.
size_t FindPhrase(const Phrase& phrase, std::string_view text) {
  const size_t size = phrase.bytes.size();
  for (size_t from = 0;; ++from) {
    const size_t at = phrase.caseless ? FindCaseless(text, phrase.bytes, from) : text.find(phrase.bytes, from);
    if (at == std::string_view::npos) return at;
    const bool before_ok = !phrase.word_before || IsWordByte(text, at - 1) != IsWordByte(text, at);
    const bool after_ok =
        !phrase.word_after || IsWordByte(text, at + size - 1) != IsWordByte(text, at + size);
    if (before_ok && after_ok) return at;
    from = at;
  }
}

}  // namespace

bool MayMatchAcrossLines(std::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\n' || c == '\r' || c == '^' || c == '$') return true;
    if (c == '[' && i + 1 < pattern.size() && (pattern[i + 1] == '^' || pattern[i + 1] == ':')) return true;
    if (c == '[' && pattern.compare(i, 2, "[[") == 0) return true;  // [[:space:]] and the like
    if (pattern.compare(i, 2, "(?") == 0) {
      // Flags before ':' or ')': s lets '.' take a line break, m moves the
      // anchors to every line. (?P<name> holds no flags.)
      for (size_t k = i + 2; k < pattern.size() && std::strchr(":)<", pattern[k]) == nullptr; ++k) {
        if (pattern[k] == 's' || pattern[k] == 'm') return true;
      }
    }
    if (c == '\\' && i + 1 < pattern.size()) {
      const char escaped = pattern[++i];
      // \s \W \D and Unicode classes may take a line break; \n \r \v \f \x
      // and octal digits may spell one; \C is any byte; \A \z anchor; \Q
      // quotes anything.
      if (std::strchr("sWDnrvfxpPC0123456789AzQ", escaped) != nullptr) return true;
    }
  }
  return false;
}

// Signatures per RE2::Set. One set of every pattern is one pass over the
// text, and once its states exist it scans faster than several sets (each
// byte's step waits on memory; tests/bench/matcher_floor.cc). But RE2 builds
// a DFA state the first time a text leads into it, and a bigger set has more
// and costlier states. Instructions (callgrind) with 200 per set, 400, and
// all 796 in one: steady state 412K, 381K and 362K per message; a one-message
// run 358M, 402M and 450M; 5 MiB of random text 2.8G, 3.5G and 5.7G; 10,000
// messages of the bench corpus about the same (5.1-5.4G). Bulk runs of
// templated bounces gain a little from one set, novel text and the page's
// first paste lose much more, so the sets stay at 200.
constexpr size_t kPatternsPerSet = 200;

struct SignatureMatcher::Compiled {
  Compiled() : provider_set(PatternOptions(), RE2::UNANCHORED) {}
  struct Part {
    Part() : set(PatternOptions(), RE2::UNANCHORED) {}
    RE2::Set set;
    std::vector<int> to_signature;  // index in this set -> signature index
    bool ok = false;
  };
  std::vector<std::unique_ptr<Part>> parts;
  // The single patterns, by signature index, compiled on their first hit:
  // most are never needed alone, and compiling all of them up front would
  // double the start-up time (which the page pays before its first verdict).
  mutable std::vector<std::unique_ptr<RE2>> signatures;
  mutable std::vector<std::once_flag> compiled_once;
  // By signature index: its phrase, empty when it is not one (see Phrase).
  std::vector<Phrase> phrases;
  bool signature_set_ok = false;

  RE2::Set provider_set;
  std::vector<std::unique_ptr<RE2>> provider_patterns;
  std::vector<size_t> provider_of_pattern;
  bool provider_set_ok = false;
  bool fingerprints_stay_on_a_line = true;
};

SignatureMatcher::SignatureMatcher(const Knowledge& knowledge)
    : knowledge_(knowledge), compiled_(std::make_unique<Compiled>()) {
  std::string problems;
  const auto& signatures = knowledge.signatures();
  compiled_->signatures.resize(signatures.size());
  compiled_->compiled_once = std::vector<std::once_flag>(signatures.size());
  compiled_->phrases.reserve(signatures.size());
  for (const Signature& signature : signatures) compiled_->phrases.push_back(ReadPhrase(signature.pattern));
  for (size_t i = 0; i < signatures.size(); ++i) {
    if (compiled_->parts.empty() || compiled_->parts.back()->to_signature.size() == kPatternsPerSet) {
      compiled_->parts.push_back(std::make_unique<Compiled::Part>());
    }
    Compiled::Part& part = *compiled_->parts.back();
    std::string error;
    if (part.set.Add(signatures[i].pattern, &error) < 0) {
      problems += " " + signatures[i].id;
      continue;
    }
    part.to_signature.push_back(static_cast<int>(i));
  }
  compiled_->signature_set_ok = true;
  for (auto& part : compiled_->parts) {
    part->ok = part->set.Compile();
    compiled_->signature_set_ok = compiled_->signature_set_ok && part->ok;
  }

  const auto& providers = knowledge.providers();
  for (size_t p = 0; p < providers.size(); ++p) {
    for (const std::string& pattern : providers[p].match) {
      auto re = std::make_unique<RE2>(pattern, PatternOptions());
      std::string error;
      if (!re->ok() || compiled_->provider_set.Add(pattern, &error) < 0) {
        problems += " provider:" + providers[p].id;
        continue;
      }
      compiled_->provider_patterns.push_back(std::move(re));
      compiled_->provider_of_pattern.push_back(p);
      if (MayMatchAcrossLines(pattern)) compiled_->fingerprints_stay_on_a_line = false;
    }
  }
  compiled_->provider_set_ok = compiled_->provider_set.Compile();

  if (!problems.empty()) {
    status_ = Status(StatusCode::kMalformed, "signatures: patterns that do not compile:" + problems);
  } else if (!compiled_->signature_set_ok || !compiled_->provider_set_ok) {
    status_ = Status(StatusCode::kInternal, "signatures: the pattern set did not compile");
  }
}

SignatureMatcher::~SignatureMatcher() = default;

const SignatureMatcher& SignatureMatcher::Get() {
  static const SignatureMatcher* matcher = new SignatureMatcher(Knowledge::Get());
  return *matcher;
}

std::vector<size_t> SignatureMatcher::SetHits(std::string_view text, bool* unverified) const {
  std::vector<size_t> hits;
  *unverified = false;
  if (!compiled_->signature_set_ok || text.empty()) return hits;
  std::vector<int> part_hits;
  for (const auto& part : compiled_->parts) {
    RE2::Set::ErrorInfo error;
    if (part->set.Match(text, &part_hits, &error)) {
      for (int hit : part_hits) hits.push_back(static_cast<size_t>(part->to_signature[static_cast<size_t>(hit)]));
    } else if (error.kind != RE2::Set::kNoError) {
      // The DFA ran out of memory: try this part's patterns one by one.
      for (int index : part->to_signature) hits.push_back(static_cast<size_t>(index));
      *unverified = true;
    }
  }
  std::sort(hits.begin(), hits.end());
  return hits;
}

const RE2& SignatureMatcher::Single(size_t index) const {
  std::call_once(compiled_->compiled_once[index], [&] {
    compiled_->signatures[index] =
        std::make_unique<RE2>(knowledge_.signatures()[index].pattern, PatternOptions());
  });
  return *compiled_->signatures[index];
}

#ifndef NDEBUG
std::pair<size_t, size_t> SignatureMatcher::SpanOfAlone(size_t index, std::string_view text) const {
  re2::StringPiece whole;
  const RE2& re = Single(index);
  if (!re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED, &whole, 1)) {
    return {std::string_view::npos, std::string_view::npos};
  }
  const size_t begin = static_cast<size_t>(whole.data() - text.data());
  return {begin, begin + whole.size()};
}
#endif

std::vector<SignatureMatch> SignatureMatcher::Match(std::string_view text) const {
  std::vector<SignatureMatch> matches;
  bool unverified = false;
  std::vector<size_t> hits = SetHits(text, &unverified);
  int ascii = -1;  // whether `text` is ASCII, once asked
  for (size_t index : hits) {
    const Phrase& phrase = compiled_->phrases[index];
    if (!phrase.bytes.empty()) {
      if (phrase.caseless && ascii < 0) ascii = IsAscii(text) ? 1 : 0;
      if (!phrase.caseless || ascii == 1) {
        const size_t at = FindPhrase(phrase, text);
        assert(SpanOfAlone(index, text) == (at == std::string_view::npos
                                                ? std::make_pair(at, at)
                                                : std::make_pair(at, at + phrase.bytes.size())));
        if (at == std::string_view::npos) continue;
        SignatureMatch match;
        match.signature = index;
        match.begin = at;
        match.end = at + phrase.bytes.size();
        matches.push_back(std::move(match));
        continue;
      }
    }
    const RE2& re = Single(index);
    if (!re.ok()) continue;
    int groups = re.NumberOfCapturingGroups();
    std::vector<re2::StringPiece> parts(static_cast<size_t>(groups) + 1);
    if (!re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED,
                  parts.data(), static_cast<int>(parts.size()))) {
      continue;
    }
    SignatureMatch match;
    match.signature = index;
    match.begin = static_cast<size_t>(parts[0].data() - text.data());
    match.end = match.begin + parts[0].size();
    for (const auto& [name, group] : re.NamedCapturingGroups()) {
      const re2::StringPiece& piece = parts[static_cast<size_t>(group)];
      if (piece.data() == nullptr || piece.empty()) continue;
      match.captures.emplace_back(name, std::string(piece.data(), piece.size()));
    }
    matches.push_back(std::move(match));
  }
  return matches;
}

std::vector<size_t> SignatureMatcher::MatchIds(std::string_view text) const {
  bool unverified = false;
  std::vector<size_t> hits = SetHits(text, &unverified);
  if (!unverified) return hits;
  // A set hit is a match of its pattern; only the parts whose automaton gave
  // up listed patterns that may not match.
  std::vector<size_t> matches;
  for (size_t index : hits) {
    const RE2& re = Single(index);
    if (re.ok() && re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(),
                            RE2::UNANCHORED, nullptr, 0)) {
      matches.push_back(index);
    }
  }
  return matches;
}

ProviderHits SignatureMatcher::FindProviders(std::string_view text) const {
  return ProviderHits(this, text);
}

bool SignatureMatcher::fingerprints_stay_on_a_line() const {
  return compiled_->fingerprints_stay_on_a_line;
}

bool ProviderHits::ScanMore() {
  if (scanned_ >= text_.size()) return false;
  const SignatureMatcher::Compiled& compiled = *matcher_->compiled_;
  if (!compiled.provider_set_ok) {
    scanned_ = text_.size();
    return false;
  }
  // The first piece ends after a line break, so no fingerprint is cut.
  size_t end = text_.size();
  if (scanned_ == 0 && compiled.fingerprints_stay_on_a_line && text_.size() > kFirstPiece) {
    const size_t line_end = text_.find('\n', kFirstPiece - 1);
    if (line_end != std::string_view::npos) end = line_end + 1;
  }
  const std::string_view piece = text_.substr(scanned_, end - scanned_);
  scanned_ = end;
  std::vector<int> found;
  if (!compiled.provider_set.Match(piece, &found)) return true;
  for (int pattern : found) {
    const size_t index = static_cast<size_t>(pattern);
    bool known = false;
    for (const Hit& hit : hits_) known = known || hit.pattern == index;
    if (known) continue;
    Hit hit;
    hit.pattern = index;
    hit.provider = compiled.provider_of_pattern[index];
    hits_.push_back(hit);
  }
  return true;
}

const ProviderMatch* ProviderHits::Locate(size_t k) {
  Hit& hit = hits_[k];
  if (hit.span == Hit::Span::kUnknown) {
    re2::StringPiece whole;
    const RE2& re = *matcher_->compiled_->provider_patterns[hit.pattern];
    if (re.Match(re2::StringPiece(text_.data(), text_.size()), 0, text_.size(), RE2::UNANCHORED,
                 &whole, 1)) {
      hit.span = Hit::Span::kFound;
      hit.match.provider = hit.provider;
      hit.match.begin = static_cast<size_t>(whole.data() - text_.data());
      hit.match.end = hit.match.begin + whole.size();
    } else {
      hit.span = Hit::Span::kMissing;
    }
  }
  return hit.span == Hit::Span::kFound ? &hit.match : nullptr;
}

std::vector<ProviderMatch> SignatureMatcher::MatchProviders(std::string_view text) const {
  return FindProviders(text).Located([](size_t) { return true; });
}

}  // namespace bouncedx
