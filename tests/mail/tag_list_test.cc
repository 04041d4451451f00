// SPDX-License-Identifier: MIT
#include "core/mail/tag_list.h"

#include <gtest/gtest.h>

#include <string>

namespace bouncedx::mail {
namespace {

std::string Names(const TagList& list) {
  std::string out;
  for (const Tag& tag : list.tags) out += (out.empty() ? "" : ",") + tag.name + "=" + tag.value;
  return out;
}

TEST(TagList, ReadsStrictLists) {
  struct Case {
    const char* name;
    const char* text;
    TagListProblem problem;
    const char* subject;
    const char* part;
    const char* tags;
  } cases[] = {
      {"plain", "v=1; a=rsa-sha256", TagListProblem::kNone, "", "", "v=1,a=rsa-sha256"},
      {"folding kept inside a value", " b = AbC\r\n\t dEf ;", TagListProblem::kNone, "", "",
       "b=AbC\r\n\t dEf"},
      {"empty text", "", TagListProblem::kNone, "", "", ""},
      {"only separators", " ; ;", TagListProblem::kNone, "", "", ""},
      {"empty value", "b=", TagListProblem::kNone, "", "", "b="},
      {"extra separators at the end", "a=1;;", TagListProblem::kNone, "", "", "a=1"},
      {"empty tag between two", "a=1;; b=2", TagListProblem::kEmptyTag, "", "", ""},
      {"no equals", "a=1; junk here", TagListProblem::kNoEquals, "junk here", "junk here", ""},
      {"digit first", "1v=1", TagListProblem::kBadName, "1v", "1v=1", ""},
      {"dash in name", "a-b = 1", TagListProblem::kBadName, "a-b", "a-b = 1", ""},
      {"space in name", "a b=1", TagListProblem::kBadName, "a b", "a b=1", ""},
      {"empty name", "=1", TagListProblem::kBadName, "", "=1", ""},
      {"utf-8 value", "n=caf\xc3\xa9", TagListProblem::kBadValueByte, "n", "n=caf\xc3\xa9", ""},
      {"control byte in value", "n=a\x01z", TagListProblem::kBadValueByte, "n", "n=a\x01z", ""},
      {"duplicate", "v=1; v=2", TagListProblem::kDuplicate, "v", "v=2", ""},
      {"names are case-sensitive", "v=1; V=2", TagListProblem::kNone, "", "", "v=1,V=2"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const TagList list = ReadTagList(c.text);
    EXPECT_EQ(list.problem, c.problem);
    EXPECT_EQ(list.subject, c.subject);
    EXPECT_EQ(list.part, c.part);
    EXPECT_EQ(Names(list), c.tags);
    EXPECT_EQ(list.ok(), c.problem == TagListProblem::kNone);
  }
}

TEST(TagList, LenientListsSkipAndCountEmptyParts) {
  TagListOptions lenient;
  lenient.allow_empty_tags = true;
  const TagList list = ReadTagList("v=DKIM1;; k=rsa; ;p=AAAA;;", lenient);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(Names(list), "v=DKIM1,k=rsa,p=AAAA");
  EXPECT_EQ(list.skipped_empty_tags, 2u);
  EXPECT_EQ(ReadTagList("v=DKIM1;; k=rsa").problem, TagListProblem::kEmptyTag);
}

TEST(TagList, FindsByExactName) {
  const TagList list = ReadTagList("d=example.org; s=sel");
  ASSERT_NE(list.Find("s"), nullptr);
  EXPECT_EQ(list.Find("s")->value, "sel");
  EXPECT_EQ(list.Find("S"), nullptr);
  EXPECT_EQ(list.Find("x"), nullptr);
}

}  // namespace
}  // namespace bouncedx::mail
