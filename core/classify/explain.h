// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_CLASSIFY_EXPLAIN_H_
#define BOUNCEDX_CORE_CLASSIFY_EXPLAIN_H_

// Writes a cause's words into a report: title, explanation, fix steps and
// links, with placeholders such as {ip} or {zone} filled from what the
// diagnosis found. The words themselves are data (core/knowledge/causes.json).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/knowledge/knowledge.h"
#include "core/report/report.h"

namespace bouncedx {

// The values placeholders are filled with, by name ("ip" is
// "203.0.113.5"). A diagnosis sets a dozen or so, once: a flat list
// searched in order costs less than a map's node and key string per value.
// Copyable.
class PlaceholderValues {
 public:
  // Sets `name` to `value`, replacing any earlier value. `name` is kept as
  // a view: it must outlive this object (the callers give literals).
  void Set(std::string_view name, std::string value);
  // The value set for `name`, or nullptr when none was.
  const std::string* Find(std::string_view name) const;

 private:
  std::vector<std::pair<std::string_view, std::string>> entries_;
};

// Replaces every {name} in `text` with values[name], or with the knowledge's
// generic phrase for it when the value is missing or empty. An unknown
// {name} is left as written. Braces without a name are kept.
std::string FillPlaceholders(const Knowledge& knowledge, std::string_view text,
                             const PlaceholderValues& values);

// Sets the verdict's title, class and default severity, the explanation,
// the fix steps (who, who_label, text, links) and the report links from
// `cause`. Replaces whatever explanation and fix the report had.
void ApplyCause(const Knowledge& knowledge, const Cause& cause, const PlaceholderValues& values,
                Report* report);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_CLASSIFY_EXPLAIN_H_
