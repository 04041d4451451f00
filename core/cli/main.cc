// SPDX-License-Identifier: MIT
// bouncedx: explains why mail bounced, from the command line.
//
//   bouncedx [--json] [--summary] [--timing] [--offline | --dns IP[:PORT]] [FILE|DIR...]
//
// Each FILE is one input (a bounce, an SMTP reply or a header block); an
// mbox file is split into its messages; a DIR (a maildir, or any folder) is
// read file by file. Standard input is read when no input is named, or for
// "-". Output: a human-readable report per input, or one Report JSON object
// per line with --json; --summary prints counts per cause and provider.
// Exit status: 0 when every input was diagnosed, 1 when an input could not
// be read, 2 on bad usage.

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/cli/resolver.h"
#include "core/engine/diagnosis.h"
#include "core/report/report_json.h"
#include "core/report/report_text.h"

namespace {

constexpr const char kUsage[] =
    "usage: bouncedx [--json] [--summary] [--timing] [--offline | --dns IP[:PORT]] [FILE|DIR...]\n"
    "  Explains why an email bounced. Each FILE is one bounce, SMTP reply or\n"
    "  header block; an mbox file is split into messages; a DIR (maildir or any\n"
    "  folder) is read file by file; standard input when none is given, or \"-\".\n"
    "  --json        one Report JSON object per input, one per line\n"
    "  --summary     counts per cause and per provider (after the reports with --json)\n"
    "  --offline     no DNS checks\n"
    "  --dns IP[:PORT]  ask this DNS server instead of the system's resolvers\n"
    "                (IPv6 as 2001:db8::53 or [2001:db8::53]:5353)\n"
    "  --timing      print DNS phase figures to standard error\n"
    "  --jsonl       read JSON Lines: each line {\"id\": ..., \"text\": ...} or a JSON\n"
    "                string is one input (for streaming steps such as RDD.pipe)\n"
    "  --help        this text\n";

// Most messages taken from one mbox file, and files from one folder.
constexpr size_t kMaxMessagesPerFile = 1'000'000;
constexpr size_t kMaxFilesPerFolder = 1'000'000;

struct Input {
  std::string name;
  std::string text;
};

bool IsDirectory(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

// The regular files of `dir` in name order; a maildir's cur/ and new/.
std::vector<std::string> ListFolder(const std::string& dir) {
  std::vector<std::string> folders;
  if (IsDirectory(dir + "/cur") || IsDirectory(dir + "/new")) {
    folders = {dir + "/cur", dir + "/new"};
  } else {
    folders = {dir};
  }
  std::vector<std::string> files;
  for (const std::string& folder : folders) {
    DIR* handle = opendir(folder.c_str());
    if (handle == nullptr) continue;
    while (dirent* entry = readdir(handle)) {
      std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      std::string path = folder + "/" + name;
      struct stat info {};
      if (stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) files.push_back(path);
      if (files.size() >= kMaxFilesPerFolder) break;
    }
    closedir(handle);
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Summary {
  size_t inputs = 0;
  std::map<std::string, size_t> by_cause;
  std::map<std::string, size_t> by_class;
  std::map<std::string, size_t> by_provider;

  void Add(const bouncedx::Report& report) {
    ++inputs;
    ++by_cause[report.verdict.cause_id];
    ++by_class[report.verdict.cause_class.empty() ? "unknown" : report.verdict.cause_class];
    ++by_provider[report.verdict.provider_name.empty() ? "(unknown)" : report.verdict.provider_name];
  }

  static void PrintTable(const char* title, const std::map<std::string, size_t>& counts) {
    std::vector<std::pair<std::string, size_t>> rows(counts.begin(), counts.end());
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::printf("%s\n", title);
    for (const auto& [name, count] : rows) std::printf("  %8zu  %s\n", count, name.c_str());
  }

  void Print() const {
    std::printf("%zu inputs\n", inputs);
    PrintTable("by cause:", by_cause);
    PrintTable("by class:", by_class);
    PrintTable("by provider:", by_provider);
  }
};

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  bool summary_wanted = false;
  bool offline = false;
  bool timing = false;
  bool jsonl = false;
  bouncedx::cli::ResolverConfig resolver;
  std::vector<std::string> paths;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (!options_done && arg == "--") {
      options_done = true;
    } else if (!options_done && arg == "--json") {
      json = true;
    } else if (!options_done && arg == "--summary") {
      summary_wanted = true;
    } else if (!options_done && arg == "--jsonl") {
      jsonl = true;
    } else if (!options_done && arg == "--timing") {
      timing = true;
    } else if (!options_done && arg == "--offline") {
      offline = true;
    } else if (!options_done && (arg == "--dns" || arg.rfind("--dns=", 0) == 0)) {
      std::string value;
      if (arg == "--dns") {
        if (i + 1 >= argc) {
          std::fprintf(stderr, "bouncedx: --dns needs IP[:PORT]\n%s", kUsage);
          return 2;
        }
        value = argv[++i];
      } else {
        value = arg.substr(6);
      }
      std::string error;
      if (!bouncedx::cli::ParseServer(value, &resolver, &error)) {
        std::fprintf(stderr, "bouncedx: --dns: %s\n", error.c_str());
        return 2;
      }
    } else if (!options_done && (arg == "--help" || arg == "-h")) {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (!options_done && arg.size() > 1 && arg[0] == '-') {
      std::fprintf(stderr, "bouncedx: unknown option %s\n%s", arg.c_str(), kUsage);
      return 2;
    } else {
      paths.push_back(arg);
    }
  }
  if (offline && !resolver.server.empty()) {
    std::fprintf(stderr, "bouncedx: --offline and --dns exclude each other\n");
    return 2;
  }
  if (paths.empty()) paths.push_back("-");

  bouncedx::Options options;
  options.now_unix = static_cast<int64_t>(std::time(nullptr));
  options.dns_checks = !offline;

  int status = 0;
  bool first = true;
  Summary summary;
  bool per_input_text = !summary_wanted && !json;
  // One buffer for every --json line: it keeps its capacity from the
  // reports before, so writing a report allocates nothing.
  std::string json_line;

  auto diagnose = [&](const std::string& name, std::string_view text, const std::string& id = "") {
    bouncedx::Diagnosis diagnosis(text, options);
    if (!id.empty()) diagnosis.set_input_id(id);
    if (options.dns_checks) {
      auto start = std::chrono::steady_clock::now();
      bouncedx::cli::ResolveAll(diagnosis, resolver);
      if (timing) {
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                        .count();
        std::fprintf(stderr, "dns: %s: %zu questions, longest chain %d, %.1f ms\n", name.c_str(),
                     diagnosis.questions_asked(), diagnosis.question_depth(), ms);
      }
    }
    const bouncedx::Report& report = diagnosis.report();
    summary.Add(report);
    if (json) {
      json_line.clear();
      bouncedx::AppendReportJson(report, &json_line);
      json_line.push_back('\n');
      std::fwrite(json_line.data(), 1, json_line.size(), stdout);
    } else if (per_input_text) {
      if (!first) std::fputs("\n", stdout);
      if (paths.size() > 1 || name.find('#') != std::string::npos) {
        std::printf("== %s\n", name.c_str());
      }
      std::string out = bouncedx::ReportToText(report);
      std::fwrite(out.data(), 1, out.size(), stdout);
    }
    first = false;
  };

  // JSON Lines: one input per line; a line that is not JSON is an input
  // error and still gets a report, so that output lines stay aligned.
  auto diagnose_json_line = [&](const std::string& name, std::string_view line,
                                size_t line_number) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
    std::string id = std::to_string(line_number);
    std::string body;
    nlohmann::json value = nlohmann::json::parse(line, nullptr, false);
    if (value.is_string()) {
      body = value.get<std::string>();
    } else if (value.is_object() && value.contains("text") && value["text"].is_string()) {
      body = value["text"].get<std::string>();
      if (value.contains("id")) {
        const nlohmann::json& given = value["id"];
        id = given.is_string() ? given.get<std::string>() : given.dump();
      }
    } else {
      std::fprintf(stderr, "bouncedx: %s:%zu: not a JSON string or an object with \"text\"\n",
                   name.c_str(), line_number);
      status = 1;
    }
    diagnose(name + ":" + std::to_string(line_number), body, id);
  };

  // Streams `in`: JSON Lines line by line, an mbox message by message, and
  // anything else whole, so that memory stays flat in the number of messages.
  auto diagnose_stream = [&](const std::string& name, std::istream& in) {
    if (jsonl) {
      std::string line;
      size_t line_number = 0;
      while (std::getline(in, line)) diagnose_json_line(name, line, ++line_number);
      return;
    }
    std::string message;
    bool mbox = in.peek() == 'F';
    if (mbox) {
      char head[5] = {0, 0, 0, 0, 0};
      in.read(head, 5);
      message.assign(head, static_cast<size_t>(in.gcount()));
      mbox = message == "From ";
    }
    if (!mbox) {
      std::ostringstream rest;
      rest << in.rdbuf();
      message += rest.str();
      diagnose(name, message);
      return;
    }
    // Lines are cut out of large reads (std::getline costs about as much
    // per line as all the rest of the splitting); each line is used before
    // the next read can move the buffer. Same lines as std::getline: the
    // last one may lack its '\n'.
    constexpr size_t kReadBytes = 64 << 10;
    std::string buffer;
    size_t line_at = 0;
    size_t searched = 0;  // buffer[line_at, searched) holds no '\n'
    auto next_line = [&](std::string_view* next) {
      for (;;) {
        const size_t newline = buffer.find('\n', searched);
        if (newline != std::string::npos) {
          *next = std::string_view(buffer).substr(line_at, newline - line_at);
          line_at = searched = newline + 1;
          return true;
        }
        if (!in) {
          if (line_at == buffer.size()) return false;
          *next = std::string_view(buffer).substr(line_at);
          line_at = searched = buffer.size();
          return true;
        }
        buffer.erase(0, line_at);
        line_at = 0;
        searched = buffer.size();
        buffer.resize(searched + kReadBytes);
        in.read(&buffer[searched], static_cast<std::streamsize>(kReadBytes));
        buffer.resize(searched + static_cast<size_t>(in.gcount()));
      }
    };
    size_t count = 0;
    bool previous_blank = false;
    bool split = false;
    std::string_view line;
    while (next_line(&line)) {
      bool from_line = previous_blank && line.compare(0, 5, "From ") == 0;
      if (from_line && count + 1 < kMaxMessagesPerFile) {
        diagnose(name + "#" + std::to_string(++count), message);
        message.clear();
        split = true;
      }
      message += line;
      message.push_back('\n');
      previous_blank = line.empty() || line == "\r";
    }
    diagnose(split ? name + "#" + std::to_string(++count) : name, message);
  };

  auto diagnose_file = [&](const std::string& path) {
    std::string name = path == "-" ? "(stdin)" : path;
    if (path == "-") {
      diagnose_stream(name, std::cin);
      if (std::cin.bad()) {
        std::fprintf(stderr, "bouncedx: cannot read standard input\n");
        status = 1;
      }
      return;
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "bouncedx: cannot open %s: %s\n", path.c_str(), std::strerror(errno));
      status = 1;
      return;
    }
    diagnose_stream(name, file);
    if (file.bad()) {
      std::fprintf(stderr, "bouncedx: cannot read %s: %s\n", path.c_str(), std::strerror(errno));
      status = 1;
    }
  };

  for (const std::string& path : paths) {
    if (path != "-" && IsDirectory(path)) {
      for (const std::string& file : ListFolder(path)) diagnose_file(file);
    } else {
      diagnose_file(path);
    }
  }
  if (summary_wanted) {
    if (json) std::fflush(stdout);
    summary.Print();
  }
  return status;
}
