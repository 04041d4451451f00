// SPDX-License-Identifier: MIT
// How fast can RE2::Set read bounces at all? Times the pattern matching that
// the classifier's answers rest on, alone, over the same texts the
// classifier reads (each message of an mbox taken apart by DissectBounce,
// its returned original blanked), and prints what is left of the per
// message budget that a bulk target implies. Nothing else of a diagnosis
// (parsing, report, JSON) is timed, so each figure is a floor: the engine
// cannot be faster than the matching it does.
//
// Rows:
//   read each byte     a plain loop over the text (counting line breaks):
//                      what touching every byte costs
//   fingerprints       the provider fingerprint set, as shipped
//                      (SignatureMatcher::FindProviders)
//   signature sets     every signature, in the sets the matcher ships
//                      (SignatureMatcher::MatchIds)
//   one set of all     every signature and fingerprint in a single RE2::Set
//                      with a large memory budget: the one-pass design, the
//                      least RE2::Set can do for a verdict over the text
//   reply lines, set   the signatures over each message's SMTP replies (the
//                      text of each, as mail::FindSmtpReplies gives it)
//   reply lines, hits  the same, and each hit located (its span and named
//                      captures), which runs the hit's pattern again alone
// Each row runs once untimed (RE2 builds DFA states lazily; that first
// pass is printed as start-up), then three timed passes, of which the
// best is printed.
//
// usage: bouncedx_matcher_floor CORPUS.mbox [TARGET_MESSAGES_PER_SECOND]

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/limits.h"
#include "core/classify/matcher.h"
#include "core/engine/bounce.h"
#include "core/knowledge/knowledge.h"
#include "core/mail/smtp_reply.h"

namespace {

// The messages of an mbox: split at "From " lines that open the file or
// follow an empty line; the separator lines are dropped.
std::vector<std::string_view> SplitMbox(std::string_view data) {
  std::vector<std::string_view> messages;
  size_t start = std::string_view::npos;
  size_t line = 0;
  bool previous_empty = true;
  while (line < data.size()) {
    size_t end = data.find('\n', line);
    if (end == std::string_view::npos) end = data.size();
    if (previous_empty && data.compare(line, 5, "From ") == 0) {
      if (start != std::string_view::npos) messages.push_back(data.substr(start, line - start));
      start = end + 1;
    }
    previous_empty = end == line;
    line = end + 1;
  }
  if (start != std::string_view::npos && start < data.size()) messages.push_back(data.substr(start));
  return messages;
}

double Seconds(const std::function<void()>& pass) {
  const auto begin = std::chrono::steady_clock::now();
  pass();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: bouncedx_matcher_floor CORPUS.mbox [TARGET_MESSAGES_PER_SECOND]\n");
    return 2;
  }
  const double target = argc == 3 ? std::atof(argv[2]) : 50000;
  if (!(target > 0)) {
    std::fprintf(stderr, "matcher floor: the target must be a positive rate\n");
    return 2;
  }
  std::ifstream file(argv[1], std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "matcher floor: cannot read %s\n", argv[1]);
    return 1;
  }
  const std::string data((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const std::vector<std::string_view> messages = SplitMbox(data);
  if (messages.empty()) {
    std::fprintf(stderr, "matcher floor: no messages in %s\n", argv[1]);
    return 1;
  }

  // The texts the classifier scans.
  const bouncedx::Limits limits;
  std::vector<std::string> texts;
  std::vector<std::vector<std::string>> replies;  // per message, each reply's text
  texts.reserve(messages.size());
  replies.reserve(messages.size());
  size_t bytes = 0;
  size_t reply_count = 0;
  size_t reply_bytes = 0;
  for (std::string_view message : messages) {
    std::vector<std::string> ignored;
    texts.push_back(bouncedx::DissectBounce(message, limits, &ignored).analysis);
    bytes += texts.back().size();
    replies.emplace_back();
    for (bouncedx::mail::SmtpReply& reply : bouncedx::mail::FindSmtpReplies(texts.back(), limits, &ignored)) {
      reply_bytes += reply.text.size();
      replies.back().push_back(std::move(reply.text));
    }
    reply_count += replies.back().size();
  }

  const bouncedx::SignatureMatcher& matcher = bouncedx::SignatureMatcher::Get();
  if (!matcher.status().ok()) {
    std::fprintf(stderr, "matcher floor: %s\n", matcher.status().ToString().c_str());
    return 1;
  }
  const bouncedx::Knowledge& knowledge = matcher.knowledge();

  // Every signature and fingerprint in one set.
  RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_max_mem(int64_t{1} << 30);
  RE2::Set everything(options, RE2::UNANCHORED);
  size_t patterns = 0;
  for (const bouncedx::Signature& signature : knowledge.signatures()) {
    patterns += everything.Add(signature.pattern, nullptr) >= 0;
  }
  size_t fingerprints = 0;
  for (const bouncedx::Provider& provider : knowledge.providers()) {
    for (const std::string& pattern : provider.match) fingerprints += everything.Add(pattern, nullptr) >= 0;
  }
  if (!everything.Compile()) {
    std::fprintf(stderr, "matcher floor: the set of every pattern did not compile\n");
    return 1;
  }

  const double budget_us = 1e6 / target;
  std::printf("matcher floor: %zu messages, %.0f bytes each on average (as the classifier reads them)\n",
              texts.size(), static_cast<double>(bytes) / static_cast<double>(texts.size()));
  std::printf("matcher floor: %zu signatures, %zu fingerprints; a target of %.0f messages/s leaves %.1f us per message\n",
              patterns, fingerprints, target, budget_us);

  size_t sink = 0;  // keeps every result alive, so no pass is optimised away
  // One row: `scan` runs over every message's text, or with `of_replies`
  // over every reply text of every message; times are per message.
  auto row = [&](const char* name, const std::function<void(const std::string&)>& scan,
                 bool of_replies = false) {
    auto pass = [&] {
      if (!of_replies) {
        for (const std::string& text : texts) scan(text);
        return;
      }
      for (const std::vector<std::string>& lines : replies) {
        for (const std::string& line : lines) scan(line);
      }
    };
    const double first = Seconds(pass);
    double best = first;
    for (int run = 0; run < 3; ++run) best = std::min(best, Seconds(pass));
    const double per_message_us = best * 1e6 / static_cast<double>(texts.size());
    const double scanned = static_cast<double>(of_replies ? reply_bytes : bytes);
    std::printf("matcher floor: %-18s %8.2f us/message %9.0f messages/s %8.1f MB/s  %5.0f%% of the budget  (start-up pass %.3f s)\n",
                name, per_message_us, static_cast<double>(texts.size()) / best,
                scanned / best / 1e6, 100 * per_message_us / budget_us, first);
  };
  row("read each byte", [&](const std::string& text) {
    sink += static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  });
  row("fingerprints", [&](const std::string& text) { sink += matcher.FindProviders(text).empty(); });
  row("signature sets", [&](const std::string& text) { sink += matcher.MatchIds(text).size(); });
  std::vector<int> hits;
  row("one set of all", [&](const std::string& text) {
    sink += everything.Match(text, &hits) ? hits.size() : 0;
  });
  std::printf("matcher floor: %.2f replies per message, %.0f bytes each on average\n",
              static_cast<double>(reply_count) / static_cast<double>(texts.size()),
              reply_count == 0 ? 0.0 : static_cast<double>(reply_bytes) / static_cast<double>(reply_count));
  row("reply lines, set", [&](const std::string& text) { sink += matcher.MatchIds(text).size(); }, true);
  row("reply lines, hits", [&](const std::string& text) { sink += matcher.Match(text).size(); }, true);
  std::printf("matcher floor: (checksum %zu)\n", sink);
  return 0;
}
