// SPDX-License-Identifier: MIT
#include "core/classify/matcher.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>

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

}  // namespace

struct SignatureMatcher::Compiled {
  Compiled() : signature_set(PatternOptions(), RE2::UNANCHORED),
               provider_set(PatternOptions(), RE2::UNANCHORED) {}
  RE2::Set signature_set;
  std::vector<std::unique_ptr<RE2>> signatures;  // by signature index; null if bad
  std::vector<int> set_to_signature;             // RE2::Set index -> signature index
  bool signature_set_ok = false;

  RE2::Set provider_set;
  std::vector<std::unique_ptr<RE2>> provider_patterns;
  std::vector<size_t> provider_of_pattern;
  bool provider_set_ok = false;
};

SignatureMatcher::SignatureMatcher(const Knowledge& knowledge)
    : knowledge_(knowledge), compiled_(std::make_unique<Compiled>()) {
  std::string problems;
  const auto& signatures = knowledge.signatures();
  compiled_->signatures.resize(signatures.size());
  for (size_t i = 0; i < signatures.size(); ++i) {
    auto re = std::make_unique<RE2>(signatures[i].pattern, PatternOptions());
    if (!re->ok()) {
      problems += " " + signatures[i].id;
      continue;
    }
    std::string error;
    if (compiled_->signature_set.Add(signatures[i].pattern, &error) < 0) {
      problems += " " + signatures[i].id;
      continue;
    }
    compiled_->set_to_signature.push_back(static_cast<int>(i));
    compiled_->signatures[i] = std::move(re);
  }
  compiled_->signature_set_ok = compiled_->signature_set.Compile();

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

std::vector<SignatureMatch> SignatureMatcher::Match(std::string_view text) const {
  std::vector<SignatureMatch> matches;
  if (!compiled_->signature_set_ok || text.empty()) return matches;
  std::vector<int> hits;
  RE2::Set::ErrorInfo error;
  if (!compiled_->signature_set.Match(text, &hits, &error)) {
    if (error.kind != RE2::Set::kNoError) {
      // The DFA ran out of memory: fall back to the patterns one by one.
      hits.clear();
      for (size_t k = 0; k < compiled_->set_to_signature.size(); ++k) hits.push_back(static_cast<int>(k));
    } else {
      return matches;
    }
  }
  std::sort(hits.begin(), hits.end());
  const auto& signatures = knowledge_.signatures();
  for (int hit : hits) {
    size_t index = static_cast<size_t>(compiled_->set_to_signature[static_cast<size_t>(hit)]);
    const RE2& re = *compiled_->signatures[index];
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
    (void)signatures;
    matches.push_back(std::move(match));
  }
  return matches;
}

std::vector<ProviderMatch> SignatureMatcher::MatchProviders(std::string_view text) const {
  std::vector<ProviderMatch> matches;
  if (!compiled_->provider_set_ok || text.empty()) return matches;
  std::vector<int> hits;
  if (!compiled_->provider_set.Match(text, &hits)) return matches;
  for (int hit : hits) {
    size_t k = static_cast<size_t>(hit);
    re2::StringPiece whole;
    if (!compiled_->provider_patterns[k]->Match(re2::StringPiece(text.data(), text.size()), 0,
                                               text.size(), RE2::UNANCHORED, &whole, 1)) {
      continue;
    }
    ProviderMatch match;
    match.provider = compiled_->provider_of_pattern[k];
    match.begin = static_cast<size_t>(whole.data() - text.data());
    match.end = match.begin + whole.size();
    matches.push_back(match);
  }
  std::sort(matches.begin(), matches.end(),
            [](const ProviderMatch& a, const ProviderMatch& b) { return a.begin < b.begin; });
  return matches;
}

}  // namespace bouncedx
