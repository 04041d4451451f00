// SPDX-License-Identifier: MIT
// bouncedx: explains why mail bounced, from the command line.
//
//   bouncedx [--json] [FILE...]
//
// Reads each FILE (standard input when none is given, or for "-") as one
// input and prints its report: human-readable by default, one JSON object
// per line with --json. Exit status: 0 when every input was diagnosed, 1
// when an input could not be read, 2 on bad usage.

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "core/engine/diagnosis.h"
#include "core/report/report_json.h"
#include "core/report/report_text.h"

namespace {

constexpr const char kUsage[] =
    "usage: bouncedx [--json] [FILE...]\n"
    "  Explains why an email bounced. Reads each FILE (standard input when\n"
    "  none is given, or for \"-\") as one bounce, SMTP reply or header block.\n"
    "  --json   one Report JSON object per input, one per line\n"
    "  --help   this text\n";

bool ReadAll(std::istream& in, std::string* out) {
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return false;
  *out = buffer.str();
  return true;
}

bool ReadInput(const std::string& path, std::string* out, std::string* error) {
  if (path == "-") {
    if (!ReadAll(std::cin, out)) {
      *error = "cannot read standard input";
      return false;
    }
    return true;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    *error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  if (!ReadAll(file, out)) {
    *error = "cannot read " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  std::vector<std::string> paths;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (!options_done && arg == "--") {
      options_done = true;
    } else if (!options_done && arg == "--json") {
      json = true;
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
  if (paths.empty()) paths.push_back("-");

  bouncedx::Options options;
  options.now_unix = static_cast<int64_t>(std::time(nullptr));
  options.dns_checks = false;  // the system resolver host arrives with the DNS checks

  int status = 0;
  bool first = true;
  for (const std::string& path : paths) {
    std::string input;
    std::string error;
    if (!ReadInput(path, &input, &error)) {
      std::fprintf(stderr, "bouncedx: %s\n", error.c_str());
      status = 1;
      continue;
    }
    bouncedx::Diagnosis diagnosis(input, options);
    if (json) {
      std::string line = bouncedx::ReportToJson(diagnosis.report());
      line.push_back('\n');
      std::fwrite(line.data(), 1, line.size(), stdout);
    } else {
      if (!first) std::fputs("\n", stdout);
      if (paths.size() > 1) std::printf("== %s\n", path == "-" ? "(stdin)" : path.c_str());
      std::string text = bouncedx::ReportToText(diagnosis.report());
      std::fwrite(text.data(), 1, text.size(), stdout);
    }
    first = false;
  }
  return status;
}
