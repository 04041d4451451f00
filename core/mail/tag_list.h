// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_MAIL_TAG_LIST_H_
#define BOUNCEDX_CORE_MAIL_TAG_LIST_H_

// The RFC 6376 §3.2 tag list, "tag=value" pairs separated by ";", shared by
// the fields that use it (DKIM-Signature, ARC-Seal, ARC-Message-Signature)
// and the DNS records that do (the DKIM key record, §3.6.1).
//
//   TagList list = ReadTagList("v=DKIM1; k=rsa; p=MIIB...");
//   if (!list.ok()) return Explain(list.problem, list.subject);
//   const Tag* key = list.Find("p");
//
// The reader only splits and validates; it words no error, because a header
// field and a DNS record report a bad list in different terms. Names are
// ALPHA *(ALNUM / "_"); values are printable ASCII but ";" plus folding
// whitespace; whitespace around names, "=" and values is dropped, whitespace
// inside a value is kept. A name given twice makes the whole list invalid
// (§3.2). The caller caps `text`.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bouncedx::mail {

// One "tag=value" of a tag list.
struct Tag {
  std::string name;
  std::string value;  // surrounding whitespace removed, inner whitespace kept
};

enum class TagListProblem {
  kNone,
  kEmptyTag,      // ";;" with more tags after it (strict lists only)
  kNoEquals,      // a part without "="
  kBadName,       // a name that is empty or not ALPHA *(ALNUM / "_")
  kBadValueByte,  // a value byte outside printable ASCII and whitespace
  kDuplicate,     // the same name twice
};

struct TagListOptions {
  // DNS key records in the wild carry ";;"; lenient readers skip such empty
  // parts and count them. Strict readers (the grammar) allow only empty
  // parts at the very end ("a=1;").
  bool allow_empty_tags = false;
};

struct TagList {
  std::vector<Tag> tags;         // in order; empty when a problem was found
  size_t skipped_empty_tags = 0; // empty parts before the last tag (lenient only)
  TagListProblem problem = TagListProblem::kNone;
  // What the problem is about, as written (unsanitised): the part without
  // "=", the bad name, or the name whose value or repetition is at fault.
  std::string subject;
  std::string part;  // the whole tag-spec at fault, trimmed ("" for kEmptyTag)

  bool ok() const { return problem == TagListProblem::kNone; }
  // The tag named `name` (names are case-sensitive), or nullptr.
  const Tag* Find(std::string_view name) const;
};

TagList ReadTagList(std::string_view text, const TagListOptions& options = {});

// The tag named `name` in `tags` (names are case-sensitive), or nullptr.
const Tag* FindTag(const std::vector<Tag>& tags, std::string_view name);

// Folding whitespace as tag lists see it: SP, HTAB, CR, LF.
bool IsTagListSpace(char c);

}  // namespace bouncedx::mail

#endif  // BOUNCEDX_CORE_MAIL_TAG_LIST_H_
