// SPDX-License-Identifier: MIT
#include "core/mail/recipient_labels.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bouncedx::mail {
namespace {

using Addresses = std::vector<std::string>;

TEST(RecipientLabels, FindsTheRecipientNamedInWords) {
  struct Case {
    const char* name;
    const char* text;
    Addresses expected;
  };
  const Case cases[] = {
      {"activity view", "Subject: Your May newsletter\nTo: bob@example.net\nFrom: news@example.com\n",
       {"bob@example.net"}},
      {"api error, mid-sentence, full stop",
       "You tried to send to inactive recipients. Found inactive addresses: bob@example.net.\n",
       {"bob@example.net"}},
      {"event json", "{\"event\": \"failed\",\n \"recipient\": \"bob@example.net\", \"x\": 1}\n",
       {"bob@example.net"}},
      {"ses json", "\"bouncedRecipients\":[{\"emailAddress\":\"bob@example.net\"}]", {"bob@example.net"}},
      {"filter notice", "Your message to: bob@example.net\nwas blocked by our Spam Firewall.\n",
       {"bob@example.net"}},
      {"exchange online, no colon, both forms once",
       "Your message to pat@corp.example couldn't be delivered.\n\nSender Address:   sam@example.com\n"
       "Recipient Address:   pat@corp.example\n",
       {"pat@corp.example"}},
      {"angle brackets", "Recipient: <carol@example.org>\n", {"carol@example.org"}},
      {"chinese, full-width colon", "收件人：li@example.net\n", {"li@example.net"}},
      {"german", "Empfänger: max@example.de\n", {"max@example.de"}},
      {"two recipients in order", "Recipient: a@example.net\nRecipient: b@example.org\n",
       {"a@example.net", "b@example.org"}},
      {"quoted with >", "> To: bob@example.net\n", {"bob@example.net"}},
      {"sender labels are not read", "Sender Address: sam@example.com\nFrom: sam@example.com\n", {}},
      {"a word that starts like a label", "Tomorrow: bob@example.net\n", {}},
      {"to: inside a sentence", "please reply to: bob@example.net\n", {}},
      {"no address after the label", "Recipient: unknown\nTo: the team\n", {}},
      {"a forwarded bounce is addressed to the sender",
       "---------- Forwarded message ---------\nFrom: Mail Delivery System <MAILER-DAEMON@example.com>\n"
       "To: sam@example.com\n",
       {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(FindLabelledRecipients(c.text, 0, Limits()), c.expected);
  }
}

TEST(RecipientLabels, SkipsTheTextBeforeFrom) {
  std::string text = "To: sam@example.com\nSubject: blocked\n\nYour message to: bob@example.net\n";
  EXPECT_EQ(FindLabelledRecipients(text, text.find("\n\n") + 2, Limits()),
            Addresses{"bob@example.net"});
  EXPECT_EQ(FindLabelledRecipients(text, text.size(), Limits()), Addresses{});
}

TEST(RecipientLabels, StopsAtTheRecipientCap) {
  Limits limits;
  limits.max_recipients = 1;
  EXPECT_EQ(FindLabelledRecipients("To: a@example.net\n\nTo: b@example.net\n", 0, limits),
            Addresses{"a@example.net"});
}

TEST(RecipientLabels, ReadsALineThatIsOnlyALabelAndAnAddress) {
  EXPECT_EQ(LabelledRecipientLine("收件人：li@example.net", Limits()), "li@example.net");
  EXPECT_EQ(LabelledRecipientLine("  Recipient: <bob@example.net>.", Limits()), "bob@example.net");
  EXPECT_EQ(LabelledRecipientLine("Recipient: bob@example.net was not found", Limits()), "");
  EXPECT_EQ(LabelledRecipientLine("To: bob@example.net", Limits()), "");
  EXPECT_EQ(LabelledRecipientLine("Sender Address: sam@example.com", Limits()), "");
}

}  // namespace
}  // namespace bouncedx::mail
