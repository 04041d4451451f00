// SPDX-License-Identifier: MIT
#include "core/mail/tag_list.h"

#include <utility>

#include "core/base/text.h"

namespace bouncedx::mail {
namespace {

std::string_view TrimSpace(std::string_view text) {
  while (!text.empty() && IsTagListSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsTagListSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool IsTagName(std::string_view name) {
  if (name.empty() || !IsAlpha(name[0])) return false;
  for (char c : name) {
    if (!IsAlnum(c) && c != '_') return false;
  }
  return true;
}

bool IsTagValue(std::string_view value) {
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (!IsTagListSpace(c) && (byte < 0x21 || byte > 0x7e)) return false;
  }
  return true;
}

TagList Failed(TagListProblem problem, std::string_view subject, std::string_view part) {
  TagList out;
  out.problem = problem;
  out.subject = std::string(subject);
  out.part = std::string(part);
  return out;
}

}  // namespace

bool IsTagListSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

const Tag* FindTag(const std::vector<Tag>& tags, std::string_view name) {
  for (const Tag& tag : tags) {
    if (tag.name == name) return &tag;
  }
  return nullptr;
}

const Tag* TagList::Find(std::string_view name) const { return FindTag(tags, name); }

TagList ReadTagList(std::string_view text, const TagListOptions& options) {
  TagList out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t semicolon = text.find(';', start);
    const bool last = semicolon == std::string_view::npos;
    if (last) semicolon = text.size();
    const std::string_view spec = TrimSpace(text.substr(start, semicolon - start));
    start = semicolon + 1;
    if (spec.empty()) {
      if (last) break;
      // Is anything but whitespace and ";" left? Then this part sat between
      // two tags; otherwise the list just ends with extra separators.
      bool more_tags = false;
      for (size_t i = start; i < text.size(); ++i) {
        more_tags = more_tags || (!IsTagListSpace(text[i]) && text[i] != ';');
      }
      if (!more_tags) break;
      if (!options.allow_empty_tags) return Failed(TagListProblem::kEmptyTag, "", "");
      ++out.skipped_empty_tags;
      continue;
    }
    const size_t equals = spec.find('=');
    if (equals == std::string_view::npos) return Failed(TagListProblem::kNoEquals, spec, spec);
    const std::string_view name = TrimSpace(spec.substr(0, equals));
    const std::string_view value = TrimSpace(spec.substr(equals + 1));
    if (!IsTagName(name)) return Failed(TagListProblem::kBadName, name, spec);
    if (!IsTagValue(value)) return Failed(TagListProblem::kBadValueByte, name, spec);
    if (out.Find(name) != nullptr) return Failed(TagListProblem::kDuplicate, name, spec);
    out.tags.push_back({std::string(name), std::string(value)});
    if (last) break;
  }
  return out;
}

}  // namespace bouncedx::mail
