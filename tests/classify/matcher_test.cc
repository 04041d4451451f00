// SPDX-License-Identifier: MIT
#include "core/classify/matcher.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bouncedx {
namespace {

// Provider ids of `matches`, in their order.
std::vector<std::string> Ids(const std::vector<ProviderMatch>& matches) {
  std::vector<std::string> ids;
  for (const ProviderMatch& match : matches) {
    ids.push_back(Knowledge::Get().providers()[match.provider].id);
  }
  return ids;
}

std::string IdOf(size_t provider) {
  return provider == ProviderHits::kNone ? "none" : Knowledge::Get().providers()[provider].id;
}

bool IsMta(size_t provider) { return Knowledge::Get().providers()[provider].kind == "mta"; }
bool NotMta(size_t provider) { return !IsMta(provider); }

// Exchange's wording first, then a Yahoo host, then Gmail's "gsmtp" twice.
const char kText[] =
    "Diagnostic information for administrators:\n"
    "Remote server: mta7.am0.yahoodns.net\n"
    "550 5.1.1 no such user gsmtp (gsmtp)\n";

TEST(ProviderHits, LocatedListsEveryFingerprintByPosition) {
  const SignatureMatcher& matcher = SignatureMatcher::Get();
  ASSERT_TRUE(matcher.status().ok());
  ProviderHits hits = matcher.FindProviders(kText);
  std::vector<ProviderMatch> all = hits.Located([](size_t) { return true; });
  EXPECT_EQ(Ids(all), (std::vector<std::string>{"exchange", "yahoo", "gmail"}));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(std::string(kText).substr(all[2].begin, all[2].end - all[2].begin), "gsmtp");
  EXPECT_EQ(Ids(hits.Located(IsMta)), std::vector<std::string>{"exchange"});
  // MatchProviders is the same list.
  EXPECT_EQ(Ids(matcher.MatchProviders(kText)), Ids(all));
}

TEST(ProviderHits, FirstProviderIsTheLeftmostWanted) {
  const SignatureMatcher& matcher = SignatureMatcher::Get();
  ProviderHits hits = matcher.FindProviders(kText);
  EXPECT_EQ(IdOf(hits.FirstProvider(NotMta)), "yahoo");
  EXPECT_EQ(IdOf(hits.FirstProvider(IsMta)), "exchange");
  EXPECT_EQ(IdOf(hits.FirstProvider([](size_t p) { return IdOf(p) == "gmail"; })), "gmail");
  EXPECT_EQ(IdOf(hits.FirstProvider([](size_t) { return false; })), "none");
  // Yahoo after Gmail: the order follows the text, not the knowledge.
  ProviderHits swapped = matcher.FindProviders("by mx.google.com gsmtp; via x.yahoodns.net");
  EXPECT_EQ(IdOf(swapped.FirstProvider(NotMta)), "gmail");
}

TEST(ProviderHits, FirstProviderCountsOnlyWellPlacedLeftmostMatches) {
  const SignatureMatcher& matcher = SignatureMatcher::Get();
  ProviderHits hits = matcher.FindProviders(kText);
  auto after_first_line = [](const ProviderMatch& match) { return match.begin > 40; };
  EXPECT_EQ(IdOf(hits.FirstProvider(IsMta, after_first_line)), "none");
  EXPECT_EQ(IdOf(hits.FirstProvider([](size_t) { return true; }, after_first_line)), "yahoo");
  // Two of Exchange's fingerprints: the first is excluded, the second names it.
  const std::string two =
      "Diagnostic information for administrators: RESOLVER.ADR.RecipNotFound";
  ProviderHits exchange = matcher.FindProviders(two);
  auto after_colon = [&](const ProviderMatch& match) { return match.begin > two.find(':'); };
  EXPECT_EQ(IdOf(exchange.FirstProvider(IsMta, after_colon)), "exchange");
  auto nowhere = [](const ProviderMatch&) { return false; };
  EXPECT_EQ(IdOf(exchange.FirstProvider(IsMta, nowhere)), "none");
}

TEST(ProviderHits, NothingFoundInEmptyOrPlainText) {
  const SignatureMatcher& matcher = SignatureMatcher::Get();
  EXPECT_TRUE(matcher.FindProviders("").empty());
  ProviderHits plain = matcher.FindProviders("550 5.1.1 user unknown");
  EXPECT_TRUE(plain.empty());
  EXPECT_EQ(plain.FirstProvider(NotMta), ProviderHits::kNone);
  EXPECT_TRUE(plain.Located(NotMta).empty());
}

}  // namespace
}  // namespace bouncedx
