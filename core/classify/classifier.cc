// SPDX-License-Identifier: MIT
#include "core/classify/classifier.h"

#include <algorithm>

#include "core/base/text.h"

namespace bouncedx {

namespace {

// Matches found outside every reply (NDR prose, the returned original)
// count this much less than the same match inside a reply.
constexpr int kOutsideReplyPenalty = 15;
// A reply match at least this specific is exact MTA or provider wording; the
// whole input is then not searched for weaker, outside-reply signals.
constexpr int kDecisiveSpecificity = 70;

struct Candidate {
  size_t signature = 0;
  size_t begin = 0;  // offsets into the whole input
  size_t end = 0;
  int score = 0;     // specificity, less the penalty when outside a reply
  int reply = -1;    // reply index, -1 when outside
  std::vector<std::pair<std::string, std::string>> captures;
};

bool InsideAnyReply(const std::vector<mail::SmtpReply>& replies, size_t begin, size_t end,
                    int* which) {
  for (size_t i = 0; i < replies.size(); ++i) {
    if (begin >= replies[i].begin && end <= replies[i].end) {
      *which = static_cast<int>(i);
      return true;
    }
  }
  return false;
}

// Keeps, per signature, the best-placed candidate.
void Offer(std::vector<Candidate>* candidates, Candidate candidate) {
  for (Candidate& existing : *candidates) {
    if (existing.signature != candidate.signature) continue;
    if (candidate.score > existing.score ||
        (candidate.score == existing.score && candidate.begin < existing.begin)) {
      existing = std::move(candidate);
    }
    return;
  }
  candidates->push_back(std::move(candidate));
}

// The reply a generic verdict should rest on: the first failure, else the first.
int PrimaryReply(const std::vector<mail::SmtpReply>& replies) {
  for (size_t i = 0; i < replies.size(); ++i) {
    int cls = replies[i].enhanced.present() ? replies[i].enhanced.class_digit
                                            : replies[i].code / 100;
    if (cls == 4 || cls == 5) return static_cast<int>(i);
  }
  return replies.empty() ? -1 : 0;
}

void AddEvidence(std::vector<EvidenceSpan>* evidence, std::string_view input, size_t begin,
                 size_t end, std::string signal, std::string cause_id, size_t cap) {
  if (evidence->size() >= cap || begin >= end || end > input.size()) return;
  for (const EvidenceSpan& existing : *evidence) {
    if (existing.begin == begin && existing.end == end && existing.signal == signal) return;
  }
  EvidenceSpan span;
  span.begin = begin;
  span.end = end;
  span.signal = std::move(signal);
  span.text = Printable(input.substr(begin, end - begin), 300);
  span.cause_id = std::move(cause_id);
  evidence->push_back(std::move(span));
}

}  // namespace

std::string SeverityFromCodes(int reply_code, const mail::EnhancedStatus& enhanced) {
  int cls = enhanced.present() ? enhanced.class_digit : reply_code / 100;
  if (cls == 4) return "transient";
  if (cls == 5) return "permanent";
  return "";
}

std::string ClassifyReplyText(const SignatureMatcher& matcher, std::string_view text) {
  const auto& signatures = matcher.knowledge().signatures();
  int best = -1;
  std::string cause;
  for (size_t index : matcher.MatchIds(text)) {
    const Signature& signature = signatures[index];
    if (signature.specificity > best) {
      best = signature.specificity;
      cause = signature.cause;
    }
  }
  return cause;
}

Classification Classify(const SignatureMatcher& matcher, std::string_view input,
                        const std::vector<mail::SmtpReply>& replies, const Limits& limits) {
  const Knowledge& knowledge = matcher.knowledge();
  const auto& signatures = knowledge.signatures();
  Classification result;
  Verdict& verdict = result.verdict;

  // 1. Signatures, inside replies first (their text with wrapped lines
  // joined, so "Access\n    denied" reads "Access denied"), then anywhere in
  // the input unless a reply already said enough.
  std::vector<Candidate> candidates;
  int best_in_replies = 0;
  for (size_t i = 0; i < replies.size(); ++i) {
    const mail::SmtpReply& reply = replies[i];
    if (reply.end <= reply.begin || reply.end > input.size()) continue;
    // The reply as one line: its codes as written, then the joined text,
    // so that signatures naming a code ("5.4.1 Recipient address rejected")
    // still match.
    size_t codes_end = std::min(reply.text_begin, reply.end);
    std::string_view codes =
        codes_end > reply.begin ? input.substr(reply.begin, codes_end - reply.begin) : "";
    if (codes.find('\n') != std::string_view::npos) codes = "";
    std::string line(codes);
    line += reply.text;
    for (SignatureMatch& match : matcher.Match(line)) {
      Candidate candidate;
      candidate.signature = match.signature;
      if (match.begin < codes.size()) {
        candidate.begin = reply.begin + match.begin;
        size_t end_in_text = match.end > codes.size() ? match.end - codes.size() : 0;
        size_t ignored_begin = 0;
        size_t end = end_in_text;
        if (end_in_text > 0) reply.MapToInput(&ignored_begin, &end);
        candidate.end = end_in_text > 0 ? end : reply.begin + match.end;
      } else {
        candidate.begin = match.begin - codes.size();
        candidate.end = match.end - codes.size();
        reply.MapToInput(&candidate.begin, &candidate.end);
      }
      candidate.score = signatures[match.signature].specificity;
      candidate.reply = static_cast<int>(i);
      candidate.captures = std::move(match.captures);
      best_in_replies = std::max(best_in_replies, candidate.score);
      Offer(&candidates, std::move(candidate));
    }
  }
  // A reply matched with this specificity is an MTA's or provider's exact
  // wording: the rest of the input (its prose, its headers) cannot outrank
  // it after the outside-reply penalty, so it is not scanned again.
  const bool reply_decides = best_in_replies >= kDecisiveSpecificity;
  for (SignatureMatch& match : reply_decides ? std::vector<SignatureMatch>() : matcher.Match(input)) {
    Candidate candidate;
    candidate.signature = match.signature;
    candidate.begin = match.begin;
    candidate.end = match.end;
    int which = -1;
    bool inside = InsideAnyReply(replies, match.begin, match.end, &which);
    candidate.reply = which;
    candidate.score = signatures[match.signature].specificity -
                      (inside || replies.empty() ? 0 : kOutsideReplyPenalty);
    candidate.captures = std::move(match.captures);
    Offer(&candidates, std::move(candidate));
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    if ((a.reply >= 0) != (b.reply >= 0)) return a.reply >= 0;
    return a.begin < b.begin;
  });

  const int primary = PrimaryReply(replies);
  const mail::SmtpReply* reply = nullptr;

  if (!candidates.empty()) {
    const Candidate& winner = candidates.front();
    const Signature& signature = signatures[winner.signature];
    verdict.cause_id = signature.cause;
    verdict.signature_id = signature.id;
    verdict.basis = "signature";
    verdict.provider_id = signature.provider;
    result.reply_index = winner.reply >= 0 ? winner.reply : primary;
    if (signature.specificity >= 70) {
      verdict.confidence = "high";
    } else if (signature.specificity >= 40) {
      verdict.confidence = "medium";
    } else {
      verdict.confidence = "low";
    }
    // Ties and disagreements.
    std::vector<std::string> seen_causes = {signature.cause};
    for (size_t k = 1; k < candidates.size(); ++k) {
      const Candidate& other = candidates[k];
      const Signature& other_signature = signatures[other.signature];
      if (std::find(seen_causes.begin(), seen_causes.end(), other_signature.cause) !=
          seen_causes.end()) {
        continue;
      }
      seen_causes.push_back(other_signature.cause);
      std::string matched = Printable(input.substr(other.begin, other.end - other.begin), 80);
      if (other.score == winner.score) {
        verdict.conflicts.push_back(
            "signals disagree: \"" + matched + "\" (" + other_signature.id + ") points to " +
            other_signature.cause + " as strongly as \"" +
            Printable(input.substr(winner.begin, winner.end - winner.begin), 80) +
            "\" points to " + signature.cause + "; the first one in a reply was chosen");
      } else {
        verdict.alternatives.push_back(other_signature.cause + ": \"" + matched + "\" (" +
                                       other_signature.id + ", weaker)");
      }
      AddEvidence(&result.evidence, input, other.begin, other.end, other_signature.id,
                  other_signature.cause, limits.max_evidence);
    }
    if (!verdict.conflicts.empty() && verdict.confidence == "high") verdict.confidence = "medium";
    if (winner.reply < 0 && !replies.empty() && verdict.confidence == "high") {
      verdict.confidence = "medium";
    }
    // Evidence: the deciding span first, then supporting spans of the same cause.
    result.evidence.insert(result.evidence.begin(), EvidenceSpan{});
    result.evidence.front().begin = winner.begin;
    result.evidence.front().end = winner.end;
    result.evidence.front().signal = signature.id;
    result.evidence.front().text = Printable(input.substr(winner.begin, winner.end - winner.begin), 300);
    result.evidence.front().cause_id = signature.cause;
    for (const Candidate& candidate : candidates) {
      if (signatures[candidate.signature].cause != signature.cause) continue;
      AddEvidence(&result.evidence, input, candidate.begin, candidate.end,
                  signatures[candidate.signature].id, signature.cause, limits.max_evidence);
      for (const auto& [name, value] : candidate.captures) result.captures.emplace(name, value);
      const std::string& provider = signatures[candidate.signature].provider;
      if (verdict.provider_id.empty() && !provider.empty() && candidate.reply >= 0) {
        verdict.provider_id = provider;
      }
    }
  } else if (primary >= 0) {
    reply = &replies[static_cast<size_t>(primary)];
    result.reply_index = primary;
    verdict.generic = true;
    verdict.confidence = "low";
    if (reply->enhanced.present()) {
      verdict.cause_id = knowledge.FallbackCauseForEnhanced(reply->enhanced.ToString());
      verdict.basis = "enhanced_code";
    }
    if (verdict.cause_id.empty() && reply->code != 0) {
      verdict.cause_id = knowledge.FallbackCauseForReply(reply->code);
      verdict.basis = "reply_code";
    }
  }
  if (verdict.cause_id.empty() || knowledge.FindCause(verdict.cause_id) == nullptr) {
    verdict.cause_id = "unknown";
    verdict.basis = "none";
    verdict.generic = true;
    verdict.confidence = "low";
  }

  // 2. The codes of the reply the verdict rests on, as evidence.
  if (result.reply_index >= 0) {
    const mail::SmtpReply& r = replies[static_cast<size_t>(result.reply_index)];
    size_t code_end = std::min(r.text_begin, r.end);
    std::string_view code_text = input.substr(r.begin, code_end - r.begin);
    AddEvidence(&result.evidence, input, r.begin, r.begin + Trim(code_text).size(), "reply_code",
                verdict.basis == "signature" ? "" : verdict.cause_id, limits.max_evidence);
    verdict.rejecting_host = r.host;
  }

  // 3. Who rejected, and who wrote the bounce. The provider is a mailbox
  // provider, filter or sending service; MTA software (Postfix, Exchange,
  // Exim...) only says which program wrote the words, so it is reported as
  // the bounce's writer instead. A signature's provider counts; so does a
  // fingerprint inside a reply or in the rejecting host's name, and, when
  // there is no reply at all, anywhere. Other fingerprints in the input
  // name the system that wrote the bounce.
  const auto& providers = knowledge.providers();
  auto kind_of = [&](const std::string& id) -> std::string {
    const Provider* provider = knowledge.FindProvider(id);
    return provider == nullptr ? "" : provider->kind;
  };
  // An MTA's own wording names the software, which wrote the bounce unless
  // the input shows another MTA did (Exim quoting Courier's reply).
  std::string mta_from_signature;
  if (!verdict.provider_id.empty() && kind_of(verdict.provider_id) == "mta") {
    mta_from_signature = verdict.provider_id;
    verdict.provider_id.clear();
  }
  auto is_mta = [&](size_t p) { return providers[p].kind == "mta"; };
  auto not_mta = [&](size_t p) { return providers[p].kind != "mta"; };
  auto id_of = [&](size_t p) { return p == ProviderHits::kNone ? std::string() : providers[p].id; };
  for (size_t i = 0; i < replies.size() && verdict.provider_id.empty(); ++i) {
    verdict.provider_id = id_of(matcher.FindProviders(replies[i].text).FirstProvider(not_mta));
    if (verdict.provider_id.empty() && !replies[i].host.empty()) {
      verdict.provider_id = id_of(matcher.FindProviders(replies[i].host).FirstProvider(not_mta));
    }
  }
  // Fingerprints anywhere in the input, located only as far as the questions
  // below need (most bounces are settled by the MTA fingerprints alone).
  ProviderHits everywhere = matcher.FindProviders(input);
  if (verdict.provider_id.empty() && replies.empty()) {
    verdict.provider_id = id_of(everywhere.FirstProvider(not_mta));
  }
  if (verdict.reporter_id.empty()) {
    // The bounce's writer: an MTA fingerprint first (outside the replies,
    // where the rejecting server's words are), then the MTA whose wording
    // decided, then any other fingerprint.
    verdict.reporter_id = id_of(everywhere.FirstProvider(is_mta, [&](const ProviderMatch& match) {
      int which = -1;
      return !InsideAnyReply(replies, match.begin, match.end, &which);
    }));
    if (verdict.reporter_id.empty()) verdict.reporter_id = mta_from_signature;
    if (verdict.reporter_id.empty()) {
      verdict.reporter_id = id_of(everywhere.FirstProvider(
          [&](size_t p) { return is_mta(p) && providers[p].id != verdict.provider_id; }));
    }
    if (verdict.reporter_id.empty()) {
      verdict.reporter_id = id_of(
          everywhere.FirstProvider([&](size_t p) { return providers[p].id != verdict.provider_id; }));
    }
  }
  if (const Provider* provider = knowledge.FindProvider(verdict.provider_id)) {
    verdict.provider_name = provider->name;
  } else {
    verdict.provider_id.clear();
  }
  if (const Provider* reporter = knowledge.FindProvider(verdict.reporter_id)) {
    verdict.reporter_name = reporter->name;
  } else {
    verdict.reporter_id.clear();
  }
  return result;
}

}  // namespace bouncedx
