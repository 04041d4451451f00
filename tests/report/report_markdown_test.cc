// SPDX-License-Identifier: MIT
#include "core/report/report_markdown.h"

#include <gtest/gtest.h>

#include <string>

namespace bouncedx {
namespace {

Report SpamhausReport() {
  Report report;
  report.input_kind = InputKind::kSmtpReply;
  Verdict& v = report.verdict;
  v.cause_id = "dnsbl_public";
  v.cause_class = "ip_blocked";
  v.severity = "permanent";
  v.title = "the sending IP is on a public blocklist";
  v.confidence = "high";
  v.provider_name = "Spamhaus";
  v.rejecting_host = "mx.example.org";
  report.entities.sending_ip = "203.0.113.5";
  report.entities.blocklist_zone = "zen.spamhaus.org";
  report.fix.push_back({"sender_admin", "Your mail administrator", "look the IP up and ask for removal",
                        {{"Spamhaus lookup", "https://check.spamhaus.org/"}}});
  report.explanation.summary = "the receiving server refused the IP";
  report.explanation.detail = "ZEN lists it";
  Recipient recipient;
  recipient.address = "bob@example.org";
  recipient.action = "failed";
  recipient.last_command = "RCPT TO";
  recipient.meanings.push_back({"554", "transaction failed", ""});
  recipient.meanings.push_back({"5.7.1", "delivery not authorized", ""});
  recipient.diagnostic = "554 5.7.1 blocked";
  report.recipients.push_back(recipient);
  report.evidence.push_back({10, 40, "spamhaus_zen", "blocked using zen.spamhaus.org",
                             "dnsbl_public"});
  Check check;
  check.id = "ptr";
  check.subject = "203.0.113.5";
  check.state = CheckState::kFail;
  check.summary = "no reverse DNS";
  report.checks.push_back(check);
  return report;
}

TEST(ReportToMarkdown, WritesVerdictFixCodesEvidenceAndChecks) {
  EXPECT_EQ(ReportToMarkdown(SpamhausReport()),
            "## the sending IP is on a public blocklist\n"
            "\n"
            "**Verdict:** the sending IP is on a public blocklist (ip blocked, permanent, high "
            "confidence)  \n"
            "**Rejected by:** Spamhaus at `mx.example.org`  \n"
            "**Sending IP:** `203.0.113.5`  \n"
            "**Blocklist:** `zen.spamhaus.org`  \n"
            "**Cause id:** `dnsbl_public`\n"
            "\n"
            "### What to do\n"
            "\n"
            "- [ ] **Your mail administrator:** look the IP up and ask for removal — "
            "[Spamhaus lookup](https://check.spamhaus.org/)\n"
            "\n"
            "### Why it happened\n"
            "\n"
            "the receiving server refused the IP\n"
            "\n"
            "> **For the mail administrator:** ZEN lists it\n"
            "\n"
            "### Status codes\n"
            "\n"
            "- `bob@example.org` (failed, after RCPT TO)\n"
            "  - `554` transaction failed\n"
            "  - `5.7.1` delivery not authorized\n"
            "  - Reply: `554 5.7.1 blocked`\n"
            "\n"
            "### Evidence\n"
            "\n"
            "- `blocked using zen.spamhaus.org` (spamhaus\\_zen, decisive)\n"
            "\n"
            "### DNS checks\n"
            "\n"
            "| Result | Check | Subject | Summary |\n"
            "| --- | --- | --- | --- |\n"
            "| ✕ fail | `ptr` | `203.0.113.5` | no reverse DNS |\n");
}

TEST(ReportToMarkdown, EscapesHostileText) {
  Report report;
  report.verdict.cause_id = "unknown";
  report.verdict.title = "<img src=x onerror=alert(1)> *bold* [x](javascript:y)";
  report.fix.push_back({"sender", "You", "line one\nline two | cell",
                        {{"bad", "javascript:alert(1)"}, {"odd)", "https://e.example/a b)c"}}});
  Check check;
  check.id = "ptr";
  check.subject = "a|b`c";
  check.state = CheckState::kWarn;
  check.summary = "<script>|";
  report.checks.push_back(check);
  const std::string md = ReportToMarkdown(report);
  EXPECT_NE(md.find("## \\<img src=x onerror=alert(1)\\> \\*bold\\* \\[x\\](javascript:y)\n"),
            std::string::npos) << md;
  EXPECT_NE(md.find("- [ ] **You:** line one line two \\| cell — bad (`javascript:alert(1)`) · "
                    "[odd)](https://e.example/a%20b%29c)\n"),
            std::string::npos) << md;
  EXPECT_NE(md.find("| ! warn | `ptr` | ``a\\|b`c`` | \\<script\\>\\| |\n"), std::string::npos)
      << md;
}

TEST(ReportToMarkdown, ListsHopsWithTheEdgeMarked) {
  Report report;
  report.verdict.cause_id = "unknown";
  Hop newest;
  newest.from_helo = "mail.example.com";
  newest.from_ip = "192.0.2.25";
  newest.by = "mx.example.org";
  newest.time = "Tue, 14 Nov 2023 09:12:44 +0000";
  newest.delay_seconds = 4;
  newest.edge = true;
  report.hops.push_back(newest);
  const std::string md = ReportToMarkdown(report);
  EXPECT_NE(md.find("| 1 (edge) | `mail.example.com` | `192.0.2.25` | `mx.example.org` | "
                    "Tue, 14 Nov 2023 09:12:44 +0000 | 4 s |\n"),
            std::string::npos) << md;
}

}  // namespace
}  // namespace bouncedx
