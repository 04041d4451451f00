// SPDX-License-Identifier: MIT
#include "core/mail/date_time.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace bouncedx::mail {
namespace {

TEST(DateTime, ParsesRfc5322Forms) {
  const struct {
    const char* name;
    const char* text;
    int64_t expected;
  } cases[] = {
      {"full with comment", "Tue, 2 Jan 2024 10:04:05 -0800 (PST)", 1704218645},
      {"two-digit day", "Tue, 02 Jan 2024 10:04:05 +0000", 1704189845},
      {"no day name", "2 Jan 2024 10:04:05 +0000", 1704189845},
      {"day name without comma", "Tue 2 Jan 2024 10:04:05 +0000", 1704189845},
      {"extra blanks", "  Tue,   2  Jan  2024   10:04:05   +0000  ", 1704189845},
      {"folded blanks", "Tue,\r\n 2 Jan 2024\t10:04:05 +0000", 1704189845},
      {"missing seconds", "Thu, 29 Feb 2024 23:59 +0100", 1709247540},
      {"leap day with seconds", "29 Feb 2024 23:59:00 +0100", 1709247540},
      {"lower-case month", "2 jan 2024 10:04:05 +0000", 1704189845},
      {"full month name", "2 January 2024 10:04:05 +0000", 1704189845},
      {"UT", "Tue, 2 Jan 2024 10:04:05 UT", 1704189845},
      {"GMT", "Tue, 2 Jan 2024 10:04:05 GMT", 1704189845},
      {"EST", "Fri, 31 Dec 1999 23:59:59 EST", 946702799},
      {"EDT", "Tue, 2 Jan 2024 10:04:05 EDT", 1704204245},
      {"PST", "Tue, 2 Jan 2024 10:04:05 PST", 1704218645},
      {"military letter reads as +0000", "Tue, 2 Jan 2024 10:04:05 Q", 1704189845},
      {"unknown zone reads as +0000", "Tue, 2 Jan 2024 10:04:05 CEST", 1704189845},
      {"no zone", "Tue, 2 Jan 2024 10:04:05", 1704189845},
      {"two-digit year 00-49", "1 Jun 49 00:00:00 +0000", 2506118400},
      {"two-digit year 50-99", "Fri, 31 Dec 99 23:59:59 -0500", 946702799},
      {"three-digit year", "Fri, 31 Dec 099 23:59:59 -0500", 946702799},
      {"positive offset", "Tue, 1 Jul 2003 10:52:37 +0200", 1057049557},
      {"epoch", "Thu, 1 Jan 1970 00:00:00 +0000", 0},
      {"leap second", "Sat, 31 Dec 2016 23:59:60 +0000", 1483228800},
      {"nested comments", "Mon, 1 Jan 2024 00:00:00 +0000 (UTC (really))", 1704067200},
      {"asctime", "Mon Jan  1 00:00:00 2024", 1704067200},
      {"ISO 8601 Z", "2024-01-02T10:04:05Z", 1704189845},
      {"ISO 8601 with offset", "2024-01-02 02:04:05 -08:00", 1704189845},
      {"ISO 8601 fraction", "2024-01-02T11:04:05.123+0100", 1704189845},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    int64_t value = -42;
    EXPECT_TRUE(ParseDateTime(c.text, &value));
    EXPECT_EQ(value, c.expected);
    EXPECT_EQ(DateTimeToUnix(c.text), c.expected);
  }
}

TEST(DateTime, RefusesGarbage) {
  const char* cases[] = {
      "",
      "yesterday",
      "Tue, 2 Foo 2024 10:04:05 +0000",
      "Tue, 30 Feb 2024 10:04:05 +0000",
      "Tue, 29 Feb 2023 10:04:05 +0000",
      "Tue, 2 Jan 2024 24:00:00 +0000",
      "Tue, 2 Jan 2024 10:60:00 +0000",
      "Tue, 2 Jan 2024 10:04:61 +0000",
      "Tue, 2 Jan 2024 10:04:05 +0060",
      "Tue, 2 Jan 2024 10:04:05 +0000 trailing",
      "Tue, 2 Jan 1800 10:04:05 +0000",
      "Tue, 2 Jan 2024",
      "Tue, 2 Jan 2024 10",
      "Tue, 2 Jan 2024 10:04:05:07 +0000",
      "Tue, 0 Jan 2024 10:04:05 +0000",
      "Tue, 2 Jan 2024 10:04:05 +00000",
      "2024-13-02T10:04:05Z",
      "Tue, 2 Jan 2024 1a:04:05 +0000",
      "1 2 3 4 5 6 7 8 9 10 11 12 13 14",
  };
  for (const char* text : cases) {
    SCOPED_TRACE(text);
    int64_t value = -42;
    EXPECT_FALSE(ParseDateTime(text, &value));
    EXPECT_EQ(value, -42);
    EXPECT_EQ(DateTimeToUnix(text), 0);
  }
}

TEST(DateTime, CountsDaysAcrossEras) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(1900, 1, 1), -25567);
  EXPECT_EQ(DaysFromCivil(2100, 3, 1), 47541);
}

TEST(DateTime, FormatsUtc) {
  EXPECT_EQ(FormatUtc(0), "1970-01-01 00:00:00 UTC");
  EXPECT_EQ(FormatUtc(1704218645), "2024-01-02 18:04:05 UTC");
  EXPECT_EQ(FormatUtc(1709247540), "2024-02-29 22:59:00 UTC");
  EXPECT_EQ(FormatUtc(-1), "1969-12-31 23:59:59 UTC");
  EXPECT_EQ(FormatUtc(-2208988800), "1900-01-01 00:00:00 UTC");
}

}  // namespace
}  // namespace bouncedx::mail
