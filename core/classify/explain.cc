// SPDX-License-Identifier: MIT
#include "core/classify/explain.h"

#include <algorithm>

#include "core/base/text.h"

namespace bouncedx {

namespace {

bool IsPlaceholderChar(char c) { return IsAlnum(c) || c == '_'; }

std::vector<Link> ToLinks(const Knowledge& knowledge, const std::vector<KnowledgeLink>& links,
                          const PlaceholderValues& values) {
  std::vector<Link> out;
  out.reserve(links.size());
  for (const KnowledgeLink& link : links) {
    Link filled;
    filled.label = FillPlaceholders(knowledge, link.label, values);
    filled.url = FillPlaceholders(knowledge, link.url, values);
    // A link whose address still needs a value we do not have is no link.
    if (filled.url.find('{') != std::string::npos || filled.url.empty()) continue;
    out.push_back(std::move(filled));
  }
  return out;
}

void AddLinkOnce(std::vector<Link>* links, Link link) {
  for (const Link& existing : *links) {
    if (existing.url == link.url) return;
  }
  links->push_back(std::move(link));
}

}  // namespace

void PlaceholderValues::Set(std::string_view name, std::string value) {
  for (auto& [known, known_value] : entries_) {
    if (known == name) {
      known_value = std::move(value);
      return;
    }
  }
  // Room for every placeholder a diagnosis sets, in one allocation.
  if (entries_.empty()) entries_.reserve(16);
  entries_.emplace_back(name, std::move(value));
}

const std::string* PlaceholderValues::Find(std::string_view name) const {
  for (const auto& [known, value] : entries_) {
    if (known == name) return &value;
  }
  return nullptr;
}

std::string FillPlaceholders(const Knowledge& knowledge, std::string_view text,
                             const PlaceholderValues& values) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    // Text up to the next brace is copied as it is, in one append.
    const size_t brace = std::min(text.find('{', i), text.size());
    if (brace > i) {
      out.append(text.data() + i, brace - i);
      i = brace;
      continue;
    }
    if (text[i] == '{') {
      size_t close = i + 1;
      while (close < text.size() && IsPlaceholderChar(text[close])) ++close;
      if (close < text.size() && text[close] == '}' && close > i + 1) {
        std::string_view name = text.substr(i + 1, close - i - 1);
        const std::string* value = values.Find(name);
        if (value != nullptr && !value->empty()) {
          out += *value;
          i = close + 1;
          continue;
        }
        std::string fallback = knowledge.PlaceholderDefault(name);
        if (!fallback.empty()) {
          out += fallback;
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

void ApplyCause(const Knowledge& knowledge, const Cause& cause, const PlaceholderValues& values,
                Report* report) {
  Verdict& verdict = report->verdict;
  verdict.cause_id = cause.id;
  verdict.cause_class = cause.cause_class;
  verdict.title = FillPlaceholders(knowledge, cause.title, values);
  report->explanation.summary = FillPlaceholders(knowledge, cause.summary, values);
  report->explanation.detail = FillPlaceholders(knowledge, cause.detail, values);
  report->fix.clear();
  report->fix.reserve(cause.fix.size());
  for (const CauseFixStep& step : cause.fix) {
    FixStep filled;
    filled.who = step.who;
    filled.who_label = knowledge.RoleLabel(step.who);
    filled.text = FillPlaceholders(knowledge, step.text, values);
    filled.links = ToLinks(knowledge, step.links, values);
    report->fix.push_back(std::move(filled));
  }
  report->links.clear();
  for (Link& link : ToLinks(knowledge, cause.links, values)) AddLinkOnce(&report->links, std::move(link));
}

}  // namespace bouncedx
