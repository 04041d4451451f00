// SPDX-License-Identifier: MIT
#include "core/classify/matcher.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <utility>
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

// Lines of plain words, at least `bytes` long: no fingerprint matches them.
std::string Filler(size_t bytes) {
  std::string filler;
  while (filler.size() < bytes) filler += "The shipment left the warehouse on Monday morning.\n";
  return filler;
}

TEST(ProviderHits, ReadsPastTheFirstKilobyteOnlyWhenAsked) {
  const SignatureMatcher& matcher = SignatureMatcher::Get();
  ASSERT_TRUE(matcher.fingerprints_stay_on_a_line());
  const std::string text = "Diagnostic information for administrators:\n" + Filler(1500) +
                           "Remote server: mx.google.com gsmtp\n";
  ProviderHits hits = matcher.FindProviders(text);
  EXPECT_EQ(IdOf(hits.FirstProvider(IsMta)), "exchange");
  // Gmail is only in the second piece.
  EXPECT_EQ(IdOf(hits.FirstProvider(NotMta)), "gmail");
  std::vector<ProviderMatch> all = hits.Located([](size_t) { return true; });
  EXPECT_EQ(Ids(all), (std::vector<std::string>{"exchange", "gmail"}));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].begin, text.find("gsmtp"));
  // Asked in the other order, the answers are the same.
  ProviderHits again = matcher.FindProviders(text);
  EXPECT_EQ(IdOf(again.FirstProvider(NotMta)), "gmail");
  EXPECT_EQ(IdOf(again.FirstProvider(IsMta)), "exchange");
  EXPECT_FALSE(again.empty());
}

TEST(ProviderHits, OnlyTheLeftmostMatchCountsAcrossPieces) {
  const SignatureMatcher& matcher = SignatureMatcher::Get();
  const std::string exchange = "Diagnostic information for administrators:\n";
  const std::string text = exchange + Filler(1500) + exchange + "Remote server: x.yahoodns.net\n";
  auto after_start = [](const ProviderMatch& match) { return match.begin > 0; };
  // Exchange's leftmost match is at 0, so its later one does not count.
  EXPECT_EQ(IdOf(matcher.FindProviders(text).FirstProvider(IsMta, after_start)), "none");
  EXPECT_EQ(IdOf(matcher.FindProviders(text).FirstProvider([](size_t) { return true; }, after_start)),
            "yahoo");
  auto nowhere = [](const ProviderMatch&) { return false; };
  EXPECT_EQ(IdOf(matcher.FindProviders(text).FirstProvider([](size_t) { return true; }, nowhere)), "none");
}

TEST(ProviderHits, AFingerprintOnTheLineAcrossTheFirstKilobyteIsFound) {
  const SignatureMatcher& matcher = SignatureMatcher::Get();
  // One long line from offset 0 past 1,024, with "gsmtp" across the mark.
  std::string text(1020, 'x');
  text += " gsmtp " + std::string(600, 'y') + "\n" + Filler(200);
  ProviderHits hits = matcher.FindProviders(text);
  EXPECT_EQ(IdOf(hits.FirstProvider(NotMta)), "gmail");
  std::vector<ProviderMatch> located = hits.Located(NotMta);
  ASSERT_EQ(located.size(), 1u);
  EXPECT_EQ(located[0].begin, 1021u);
  // A text that is one line of 3 KB is read in one piece.
  std::string line(3000, 'z');
  line += " gsmtp";
  EXPECT_EQ(IdOf(matcher.FindProviders(line).FirstProvider(NotMta)), "gmail");
}

// Each fingerprint's leftmost match in `text`, found without the matcher:
// every fingerprint run alone over the whole text.
std::vector<ProviderMatch> LeftmostOfEach(const std::string& text) {
  static const auto* patterns = [] {
    auto* compiled = new std::vector<std::pair<size_t, std::unique_ptr<RE2>>>();
    const auto& providers = Knowledge::Get().providers();
    for (size_t p = 0; p < providers.size(); ++p) {
      for (const std::string& pattern : providers[p].match) {
        compiled->emplace_back(p, std::make_unique<RE2>(pattern));
      }
    }
    return compiled;
  }();
  std::vector<ProviderMatch> matches;
  for (const auto& [provider, re] : *patterns) {
    re2::StringPiece whole;
    if (!re->Match(text, 0, text.size(), RE2::UNANCHORED, &whole, 1)) continue;
    ProviderMatch match;
    match.provider = provider;
    match.begin = static_cast<size_t>(whole.data() - text.data());
    match.end = match.begin + whole.size();
    matches.push_back(match);
  }
  return matches;
}

// The answers FirstProvider may give: the providers of the leftmost of the
// `matches` that `wanted` and `placed` accept ({"none"} when there is none;
// several when matches start together).
template <typename Wanted, typename Placed>
std::set<std::string> Leftmost(const std::vector<ProviderMatch>& matches, Wanted wanted, Placed placed) {
  size_t best = std::string::npos;
  std::set<std::string> ids = {"none"};
  for (const ProviderMatch& match : matches) {
    if (!wanted(match.provider) || !placed(match)) continue;
    if (match.begin < best) {
      best = match.begin;
      ids.clear();
    }
    if (match.begin == best) ids.insert(IdOf(match.provider));
  }
  return ids;
}

// Every fixture bounce: (path, bytes).
const std::vector<std::pair<std::string, std::string>>& FixtureBounces() {
  static const auto* bounces = [] {
    auto* all = new std::vector<std::pair<std::string, std::string>>();
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             std::string(BOUNCEDX_SOURCE_DIR) + "/tests/fixtures/bounces")) {
      const std::string extension = entry.path().extension().string();
      if (!entry.is_regular_file() || (extension != ".eml" && extension != ".txt")) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      all->emplace_back(entry.path().string(),
                        std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
    }
    return all;
  }();
  return *bounces;
}

// Reading in pieces answers as reading the whole text does, over every
// fixture bounce: alone, after filler, and twice with filler between, so
// that answers lie in either piece.
TEST(ProviderHits, PiecesAnswerAsTheWholeTextOverTheFixtures) {
  const SignatureMatcher& matcher = SignatureMatcher::Get();
  size_t long_texts = 0;
  for (const auto& [path, bounce] : FixtureBounces()) {
    for (const std::string& text : {bounce, Filler(900) + bounce, bounce + Filler(1200) + bounce}) {
      SCOPED_TRACE(path + ", " + std::to_string(text.size()) + " bytes");
      long_texts += text.size() > 1100;
      const size_t third = text.size() / 3;
      auto anywhere = [](const ProviderMatch&) { return true; };
      auto late = [&](const ProviderMatch& match) { return match.begin >= third; };
      auto all = [](size_t) { return true; };
      const std::vector<ProviderMatch> each = LeftmostOfEach(text);
      EXPECT_EQ(Leftmost(each, all, anywhere).count(IdOf(matcher.FindProviders(text).FirstProvider(all))), 1u);
      EXPECT_EQ(Leftmost(each, IsMta, anywhere).count(IdOf(matcher.FindProviders(text).FirstProvider(IsMta))), 1u);
      EXPECT_EQ(Leftmost(each, NotMta, anywhere).count(IdOf(matcher.FindProviders(text).FirstProvider(NotMta))), 1u);
      EXPECT_EQ(Leftmost(each, IsMta, late).count(IdOf(matcher.FindProviders(text).FirstProvider(IsMta, late))), 1u);
      EXPECT_EQ(Leftmost(each, all, late).count(IdOf(matcher.FindProviders(text).FirstProvider(all, late))), 1u);
    }
  }
  EXPECT_GE(FixtureBounces().size(), 150u);
  EXPECT_GE(long_texts, 2 * FixtureBounces().size());
}

// The index of the signature with id `id`.
size_t SignatureIndex(std::string_view id) {
  const auto& signatures = Knowledge::Get().signatures();
  for (size_t i = 0; i < signatures.size(); ++i) {
    if (signatures[i].id == id) return i;
  }
  ADD_FAILURE() << "no signature " << id;
  return 0;
}

// The span of signature `id` in Match(text), or (npos, npos).
std::pair<size_t, size_t> SpanOf(std::string_view id, std::string_view text) {
  const size_t wanted = SignatureIndex(id);
  for (const SignatureMatch& match : SignatureMatcher::Get().Match(text)) {
    if (match.signature == wanted) return {match.begin, match.end};
  }
  return {std::string::npos, std::string::npos};
}

TEST(SignatureMatcher, PhrasesAreLocatedWhereRe2WouldLocateThem) {
  // Plain phrases are located without RE2 (matcher.cc, Phrase); these are.
  ASSERT_EQ(Knowledge::Get().signatures()[SignatureIndex("spam_word")].pattern, "(?i)\\bspam\\b");
  ASSERT_EQ(Knowledge::Get().signatures()[SignatureIndex("postfix_relay_access_denied")].pattern,
            "(?i)Relay access denied");
  using Span = std::pair<size_t, size_t>;
  // The first occurrence whose word boundaries hold, in any ASCII case.
  EXPECT_EQ(SpanOf("spam_word", "antispam, spammer, SPAM."), Span(19, 23));
  EXPECT_EQ(SpanOf("spam_word", "spam"), Span(0, 4));
  EXPECT_EQ(SpanOf("spam_word", "antispam_x"), Span(std::string::npos, std::string::npos));
  EXPECT_EQ(SpanOf("postfix_relay_access_denied", "554 5.7.1 <a@b>: relay ACCESS denied; Relay access denied"),
            Span(17, 36));
  // RE2's (?i) folds U+017F (long s) onto s: in text that is not ASCII the
  // pattern itself decides, and finds it.
  EXPECT_EQ(SpanOf("postfix_relay_access_denied", "x Relay acce\xC5\xBFs denied"), Span(2, 22));
  EXPECT_EQ(SpanOf("spam_word", "caf\xC3\xA9 spam"), Span(6, 10));
  // Its \b looks at ASCII word bytes only: a letter that is not ASCII is no
  // word byte, so no boundary lies between it and a space.
  EXPECT_EQ(SpanOf("spam_word", "this is \xC5\xBFpam"), Span(std::string::npos, std::string::npos));
}

// Every hit's span is the one its pattern alone finds: over every fixture
// bounce and each of its lines, for every signature that matches.
TEST(SignatureMatcher, SpansAreThePatternsOwnOverTheFixtures) {
  const SignatureMatcher& matcher = SignatureMatcher::Get();
  const auto& signatures = Knowledge::Get().signatures();
  std::vector<std::unique_ptr<RE2>> alone(signatures.size());  // each pattern, compiled on first use
  size_t checked = 0;
  for (const auto& [path, bounce] : FixtureBounces()) {
    std::vector<std::string> texts = {bounce};
    for (size_t begin = 0; begin < bounce.size();) {
      size_t end = bounce.find('\n', begin);
      if (end == std::string::npos) end = bounce.size();
      texts.push_back(bounce.substr(begin, end - begin));
      begin = end + 1;
    }
    for (const std::string& text : texts) {
      for (const SignatureMatch& match : matcher.Match(text)) {
        std::unique_ptr<RE2>& compiled = alone[match.signature];
        if (compiled == nullptr) compiled = std::make_unique<RE2>(signatures[match.signature].pattern);
        const RE2& re = *compiled;
        re2::StringPiece whole;
        ASSERT_TRUE(re.Match(text, 0, text.size(), RE2::UNANCHORED, &whole, 1))
            << signatures[match.signature].id << " in " << path;
        EXPECT_EQ(match.begin, static_cast<size_t>(whole.data() - text.data()))
            << signatures[match.signature].id << " in " << path;
        EXPECT_EQ(match.end - match.begin, whole.size()) << signatures[match.signature].id;
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 1000u);
}

TEST(MayMatchAcrossLines, ReadsThePatternConservatively) {
  for (const char* pattern : {"(?i)\\bmx\\d+\\.google\\.com\\b", "gsmtp", "-smtpin\\S*\\.me\\.com",
                              "(?i)\\bAS\\(?\\d{6,9}\\)?", "(?P<host>[a-z.]+)", "a.b", "\\.x\\-y"}) {
    EXPECT_FALSE(MayMatchAcrossLines(pattern)) << pattern;
  }
  for (const char* pattern : {"a\\sb", "a[^>]*b", "(?s)a.b", "(?m)^a", "^a", "a$", "\\Aa", "a\\z",
                              "a\\Wb", "a\\Db", "a\\nb", "a\\x0ab", "a\\012b", "a\\pZb", "a\\PLb",
                              "a[[:space:]]b", "a\\Cb", "(?is:a.b)", "a\\Q\nb\\E", "a\nb"}) {
    EXPECT_TRUE(MayMatchAcrossLines(pattern)) << pattern;
  }
}

}  // namespace
}  // namespace bouncedx
