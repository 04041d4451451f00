// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_KNOWLEDGE_EMBEDDED_H_
#define BOUNCEDX_CORE_KNOWLEDGE_EMBEDDED_H_

// The knowledge JSON files, embedded into the binary by embed.py at build
// time. Only knowledge.cc reads these; everything else asks Knowledge.

#include <string_view>
#include <vector>

namespace bouncedx {

struct EmbeddedFile {
  std::string_view name;  // "causes.json"
  std::string_view data;  // the file's bytes
};

// All embedded files, sorted by name. Never empty in a correct build.
const std::vector<EmbeddedFile>& EmbeddedKnowledgeFiles();

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_KNOWLEDGE_EMBEDDED_H_
