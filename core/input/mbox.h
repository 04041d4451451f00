// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_INPUT_MBOX_H_
#define BOUNCEDX_CORE_INPUT_MBOX_H_

// Splits an mbox file into its messages. A message starts at a line that
// begins with "From " at the start of the file or after an empty line (the
// mboxo/mboxrd convention); ">From " quoting inside bodies is left as is.

#include <cstddef>
#include <string_view>
#include <vector>

namespace bouncedx {

// True when `text` looks like an mbox: its first line starts with "From ".
bool LooksLikeMbox(std::string_view text);

// The messages of `text`, each a view into it starting at its "From " line.
// At most `max_messages`; a text that is no mbox comes back whole.
std::vector<std::string_view> SplitMbox(std::string_view text, size_t max_messages);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_INPUT_MBOX_H_
