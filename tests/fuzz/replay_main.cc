// SPDX-License-Identifier: MIT
// Runs a fuzz target over files instead of fuzzing: every regular file named
// on the command line, and every regular file directly inside each directory
// named, goes through LLVMFuzzerTestOneInput() once, in name order. This is
// how a corpus (and every crash turned into a corpus file) replays as a plain
// test in every build, WebAssembly included, without libFuzzer.
//
//   bouncedx_fuzz_dns_message_replay tests/fuzz/corpus/dns_message
//
// Exits 1 when an argument cannot be read or no file was found (an empty run
// must not look like a pass); a bug in the target crashes it as usual.

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool IsDirectory(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

bool IsRegularFile(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool ReadFile(const std::string& path, std::string* out) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return false;
  char buffer[65536];
  size_t got = 0;
  out->clear();
  while ((got = std::fread(buffer, 1, sizeof(buffer), file)) > 0) out->append(buffer, got);
  const bool ok = std::ferror(file) == 0;
  std::fclose(file);
  return ok;
}

// Appends the regular files directly inside `dir`, sorted by name.
bool ListDirectory(const std::string& dir, std::vector<std::string>* files) {
  DIR* handle = opendir(dir.c_str());
  if (handle == nullptr) return false;
  std::vector<std::string> found;
  while (const dirent* entry = readdir(handle)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    const std::string path = dir + "/" + name;
    if (IsRegularFile(path)) found.push_back(path);
  }
  closedir(handle);
  std::sort(found.begin(), found.end());
  files->insert(files->end(), found.begin(), found.end());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (IsDirectory(arg)) {
      if (!ListDirectory(arg, &files)) {
        std::fprintf(stderr, "replay: cannot list %s\n", arg.c_str());
        return 1;
      }
    } else if (IsRegularFile(arg)) {
      files.push_back(arg);
    } else {
      std::fprintf(stderr, "replay: no such file or directory: %s\n", arg.c_str());
      return 1;
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "replay: no input files (usage: %s <file|dir>...)\n",
                 argc > 0 ? argv[0] : "replay");
    return 1;
  }
  std::string data;
  for (const std::string& path : files) {
    if (!ReadFile(path, &data)) {
      std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
      return 1;
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  }
  std::printf("replay: %zu inputs ran\n", files.size());
  return 0;
}
