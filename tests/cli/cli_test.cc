// SPDX-License-Identifier: MIT
// Runs the native bouncedx binary and checks its output and exit status.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct CliRun {
  int status = -1;
  std::string out;
};

// Runs `arguments` through the shell with the CLI path in front; stdout only.
CliRun RunCli(const std::string& arguments, const std::string& stdin_text = "") {
  std::string input = testing::TempDir() + "bouncedx_cli_stdin.txt";
  {
    std::ofstream file(input, std::ios::binary);
    file << stdin_text;
  }
  // --offline: tests never ask a real resolver.
  std::string command = std::string(BOUNCEDX_CLI_PATH) + " --offline " + arguments + " < " + input +
                        " 2>/dev/null";
  CliRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
  int raw = pclose(pipe);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return run;
}

std::string WriteTemp(const std::string& name, const std::string& content) {
  std::string path = testing::TempDir() + name;
  std::ofstream file(path, std::ios::binary);
  file << content;
  return path;
}

TEST(Cli, DiagnosesStandardInputAsText) {
  CliRun run = RunCli("", "554 5.7.1 : Relay access denied\n");
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(run.out.rfind("Verdict: ", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("cause relay_denied (relay_denied, permanent)"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("Fix:\n  1. ["), std::string::npos) << run.out;
}

TEST(Cli, WritesOneJsonObjectPerInputPerLine) {
  std::string a = WriteTemp("cli_a.txt", "554 5.7.1 : Relay access denied\n");
  std::string b = WriteTemp("cli_b.txt", "554 5.7.1 : Message refused by DNSBL check\n");
  CliRun run = RunCli("--json " + a + " " + b);
  EXPECT_EQ(run.status, 0);
  size_t newline = run.out.find('\n');
  ASSERT_NE(newline, std::string::npos);
  ASSERT_EQ(run.out.back(), '\n');
  nlohmann::json first = nlohmann::json::parse(run.out.substr(0, newline), nullptr, false);
  nlohmann::json second = nlohmann::json::parse(
      run.out.substr(newline + 1, run.out.size() - newline - 2), nullptr, false);
  ASSERT_FALSE(first.is_discarded());
  ASSERT_FALSE(second.is_discarded());
  EXPECT_EQ(first["verdict"]["cause_id"], "relay_denied");
  EXPECT_EQ(second["verdict"]["cause_id"], "dnsbl_public");
}

TEST(Cli, SplitsAnMboxAndSummarises) {
  std::string mbox = WriteTemp(
      "cli.mbox",
      "From a@example.com Mon Nov 23 10:00:00 2026\n\n554 5.7.1 : Relay access denied\n\n"
      "From b@example.com Mon Nov 23 10:00:00 2026\n\n554 5.7.1 : Relay access denied\n\n"
      "From c@example.com Mon Nov 23 10:00:00 2026\n\n554 5.7.1 : Message refused by DNSBL "
      "check\n");
  CliRun run = RunCli("--summary " + mbox);
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(run.out.rfind("3 inputs\nby cause:\n", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("         2  relay_denied\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("         1  dnsbl_public\n"), std::string::npos) << run.out;
}

// The input_bytes of each line of --json output, in order.
std::vector<size_t> InputBytesPerLine(const std::string& out) {
  std::vector<size_t> sizes;
  size_t begin = 0;
  for (size_t end; (end = out.find('\n', begin)) != std::string::npos; begin = end + 1) {
    nlohmann::json report = nlohmann::json::parse(out.substr(begin, end - begin), nullptr, false);
    sizes.push_back(report.is_discarded() ? 0 : report["input_bytes"].get<size_t>());
  }
  return sizes;
}

TEST(Cli, SplitsAnMboxIntoItsMessagesByteForByte) {
  // Each message is its lines with their '\n', the "From " line first; a
  // last line without '\n' gets one. A "From " line splits only after a
  // blank line (or one that is just "\r").
  struct Case {
    const char* name;
    std::string mbox;
    std::vector<size_t> sizes;
  };
  const std::string long_line(100, 'x');
  std::string long_message = "From long\n";
  for (int i = 0; i < 1500; ++i) long_message += long_line + "\n";  // 151,510 bytes
  const Case cases[] = {
      {"two", "From a\n550 5.1.1 no\n\nFrom b\n554 5.7.1 no\n", {21, 20}},
      {"last line without newline", "From a\n550 5.1.1 no\n\nFrom b\n554 5.7.1 no", {21, 20}},
      {"from inside a paragraph", "From a\nx\nFrom b\n\nFrom c\n", {17, 7}},
      {"crlf blank line", "From a\r\nx\r\n\r\nFrom b\r\n", {13, 8}},
      {"only the from", "From ", {5}},
      // The first line is what follows its "From ": here it is blank.
      {"empty first line", "From \nFrom x\n", {6, 7}},
      {"first line just cr", "From \r\nFrom x\n", {7, 7}},
      {"blank second line", "From \n\nFrom x\n", {7, 7}},
      {"from at the very end", "From a\n\nFrom ", {8, 6}},
      {"longer than the reads", long_message + "\nFrom s\n550 5.1.1 no\n\n" + long_message,
       {151511, 21, 151510}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string path = WriteTemp("cli_split.mbox", c.mbox);
    CliRun run = RunCli("--json " + path);
    EXPECT_EQ(run.status, 0);
    EXPECT_EQ(InputBytesPerLine(run.out), c.sizes);
    CliRun piped = RunCli("--json -", c.mbox);
    EXPECT_EQ(InputBytesPerLine(piped.out), c.sizes);
  }
}

TEST(Cli, NamesTheMessagesOfAnMbox) {
  std::string path = WriteTemp("cli_names.mbox", "From a\n550 5.1.1 no\n\nFrom b\n554 5.7.1 no\n");
  CliRun run = RunCli(path);
  EXPECT_EQ(run.out.rfind("== " + path + "#1\n", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("\n== " + path + "#2\n"), std::string::npos) << run.out;
}

TEST(Cli, ReadsAMaildir) {
  std::string dir = ::testing::TempDir() + "cli_maildir";
  std::string setup = "rm -rf " + dir + " && mkdir -p " + dir + "/cur " + dir + "/new " + dir + "/tmp";
  ASSERT_EQ(std::system(setup.c_str()), 0);
  WriteTemp("cli_maildir/cur/1", "554 5.7.1 : Relay access denied\n");
  WriteTemp("cli_maildir/new/2", "554 5.7.1 : Sender address rejected: Access denied\n");
  CliRun run = RunCli("--json " + dir);
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 2) << run.out;
  EXPECT_NE(run.out.find("\"cause_id\":\"relay_denied\""), std::string::npos);
  EXPECT_NE(run.out.find("\"cause_id\":\"sender_rejected\""), std::string::npos);
}

TEST(Cli, ReadsJsonLinesAndEchoesIds) {
  CliRun run = RunCli("--jsonl --json",
                      "{\"id\": \"m-1\", \"text\": \"554 5.7.1 : Relay access denied\"}\n"
                      "\"554 5.7.1 : Message refused by DNSBL check\"\n");
  EXPECT_EQ(run.status, 0);
  size_t newline = run.out.find('\n');
  ASSERT_NE(newline, std::string::npos);
  nlohmann::json first = nlohmann::json::parse(run.out.substr(0, newline), nullptr, false);
  nlohmann::json second = nlohmann::json::parse(run.out.substr(newline + 1), nullptr, false);
  ASSERT_FALSE(first.is_discarded());
  ASSERT_FALSE(second.is_discarded());
  EXPECT_EQ(first["input_id"], "m-1");
  EXPECT_EQ(first["verdict"]["cause_id"], "relay_denied");
  EXPECT_EQ(second["input_id"], "2");
  EXPECT_EQ(second["verdict"]["cause_id"], "dnsbl_public");
}

TEST(Cli, BadUsageExitsWithTwo) {
  EXPECT_EQ(RunCli("--no-such-option").status, 2);
  EXPECT_EQ(RunCli("--dns not-an-ip").status, 2);
  EXPECT_EQ(RunCli("--dns 127.0.0.1:99999").status, 2);
}

TEST(Cli, UnreadableInputExitsWithOne) {
  EXPECT_EQ(RunCli(testing::TempDir() + "does/not/exist.eml").status, 1);
}

TEST(Cli, EmptyInputIsDiagnosedWithAClearMessage) {
  CliRun run = RunCli("--json", "");
  EXPECT_EQ(run.status, 0);
  nlohmann::json report = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded());
  EXPECT_EQ(report["input_kind"], "empty");
  EXPECT_EQ(report["warnings"][0].get<std::string>().rfind("input: nothing to diagnose", 0), 0u);
}

}  // namespace
