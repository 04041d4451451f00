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

// An input's name in messages: a file, or a message or a line inside one
// ("box.mbox#12", "events.jsonl:3"). Spelled out only when printed, which
// --json without --timing never does.
struct InputName {
  std::string_view file;
  char separator = 0;  // '#' or ':' before `number`; 0 for a whole file
  size_t number = 0;

  std::string Text() const {
    std::string text(file);
    if (separator != 0) {
      text += separator;
      text += std::to_string(number);
    }
    return text;
  }
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

  auto diagnose = [&](const InputName& name, std::string_view text, const std::string& id = "") {
    bouncedx::Diagnosis diagnosis(text, options);
    if (!id.empty()) diagnosis.set_input_id(id);
    if (options.dns_checks) {
      auto start = std::chrono::steady_clock::now();
      bouncedx::cli::ResolveAll(diagnosis, resolver);
      if (timing) {
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                        .count();
        std::fprintf(stderr, "dns: %s: %zu questions, longest chain %d, %.1f ms\n", name.Text().c_str(),
                     diagnosis.questions_asked(), diagnosis.question_depth(), ms);
      }
    }
    const bouncedx::Report& report = diagnosis.report();
    if (summary_wanted) summary.Add(report);
    if (json) {
      json_line.clear();
      bouncedx::AppendReportJson(report, &json_line);
      json_line.push_back('\n');
      std::fwrite(json_line.data(), 1, json_line.size(), stdout);
    } else if (per_input_text) {
      if (!first) std::fputs("\n", stdout);
      const std::string text_name = name.Text();
      if (paths.size() > 1 || text_name.find('#') != std::string::npos) {
        std::printf("== %s\n", text_name.c_str());
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
    diagnose(InputName{name, ':', line_number}, body, id);
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
      diagnose(InputName{name}, message);
      return;
    }
    // The mbox is read in large blocks into `buffer`, and each message is
    // handed on as the bytes it spans there: copying it out line by line
    // (or std::getline) cost as much as all the rest of the splitting.
    // A message ends where a line starting "From " follows a blank line
    // (empty, or just "\r"). Rather than visit every line, the search goes
    // from one 'F' to the next (a tenth as many) and looks around each.
    // The current message is buffer[message_at, filled); no split starts
    // before `searched`. Each line of a message ends with '\n': a last line
    // without one gets one.
    constexpr size_t kReadBytes = 64 << 10;
    const size_t head = message.size();  // the "From " read already
    std::string buffer = message;
    buffer.resize(2 * kReadBytes);  // resized again only for a longer message
    size_t filled = head;
    size_t message_at = 0;
    size_t searched = head;
    bool shifted = false;  // bytes before buffer[0] were dropped
    bool at_end = false;
    auto read_more = [&] {
      if (buffer.size() - filled < kReadBytes) {
        // Only the current message is kept; its bytes move to the front.
        if (message_at > 0) {
          std::memmove(&buffer[0], &buffer[message_at], filled - message_at);
          filled -= message_at;
          searched -= message_at;
          message_at = 0;
          shifted = true;
        }
        if (buffer.size() - filled < kReadBytes) buffer.resize(filled + kReadBytes);
      }
      in.read(&buffer[filled], static_cast<std::streamsize>(kReadBytes));
      filled += static_cast<size_t>(in.gcount());
      at_end = !in;
    };
    // Whether the line that ends at the '\n' at `newline` is blank. The
    // first line of the file is what follows its "From ", as when lines
    // were read after those five bytes.
    auto blank_before = [&](size_t newline) {
      if (buffer[newline - 1] == '\n' || (buffer[newline - 1] == '\r' && buffer[newline - 2] == '\n')) {
        return true;
      }
      return !shifted && (newline == head || (newline == head + 1 && buffer[head] == '\r'));
    };
    size_t count = 0;
    bool split = false;
    for (;;) {
      const void* found = std::memchr(&buffer[searched], 'F', filled - searched);
      if (found == nullptr) {
        searched = filled;
        if (at_end) break;
        read_more();
        continue;
      }
      const size_t at = static_cast<size_t>(static_cast<const char*>(found) - buffer.data());
      if (at + 5 > filled && !at_end) {
        searched = at;  // "From " may go on in the next read
        read_more();
        continue;
      }
      searched = at + 1;
      // `at` is past the head, and a '\n' there is past the message's own
      // "From " line, so the bytes looked at are the message's.
      if (at + 5 <= filled && buffer[at - 1] == '\n' && buffer.compare(at, 5, "From ") == 0 &&
          blank_before(at - 1) && count + 1 < kMaxMessagesPerFile) {
        diagnose(InputName{name, '#', ++count},
                 std::string_view(buffer).substr(message_at, at - message_at));
        message_at = at;
        split = true;
      }
    }
    // (An mbox that is "From " and nothing more has no line to end. The
    // last read came back short, so there is room.)
    if (buffer[filled - 1] != '\n' && (shifted || filled > head)) buffer[filled++] = '\n';
    diagnose(split ? InputName{name, '#', ++count} : InputName{name},
             std::string_view(buffer).substr(message_at, filled - message_at));
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
