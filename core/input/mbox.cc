// SPDX-License-Identifier: MIT
#include "core/input/mbox.h"

namespace bouncedx {

bool LooksLikeMbox(std::string_view text) { return text.substr(0, 5) == "From "; }

std::vector<std::string_view> SplitMbox(std::string_view text, size_t max_messages) {
  std::vector<std::string_view> messages;
  if (!LooksLikeMbox(text) || max_messages == 0) {
    if (!text.empty()) messages.push_back(text);
    return messages;
  }
  size_t start = 0;
  size_t pos = 0;
  while (messages.size() + 1 < max_messages) {
    // The next "\n\nFrom " (or "\r\n\r\nFrom ") after the current start.
    size_t found = text.find("\nFrom ", pos + 1);
    if (found == std::string_view::npos) break;
    pos = found;
    bool after_blank = found >= 1 && (text[found - 1] == '\n' ||
                                      (found >= 2 && text[found - 1] == '\r' && text[found - 2] == '\n'));
    if (!after_blank) continue;
    messages.push_back(text.substr(start, found + 1 - start));
    start = found + 1;
  }
  messages.push_back(text.substr(start));
  return messages;
}

}  // namespace bouncedx
