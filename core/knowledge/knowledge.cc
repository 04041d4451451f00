// SPDX-License-Identifier: MIT
#include "core/knowledge/knowledge.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "core/base/text.h"

namespace bouncedx {

namespace {

using Json = nlohmann::json;

constexpr std::string_view kCausesFile = "causes.json";
constexpr std::string_view kCodesFile = "codes.json";
constexpr std::string_view kProvidersFile = "providers.json";
constexpr std::string_view kSignaturesFile = "signatures.json";
constexpr std::string_view kBlocklistsFile = "blocklists.json";

// Reads up to `max_digits` decimal digits at `*pos`; false when there are
// none or too many.
bool ReadSmallNumber(std::string_view text, size_t* pos, size_t max_digits, int* out) {
  size_t start = *pos;
  int value = 0;
  while (*pos < text.size() && IsDigit(text[*pos])) {
    if (*pos - start >= max_digits) return false;
    value = value * 10 + (text[*pos] - '0');
    ++*pos;
  }
  if (*pos == start) return false;
  *out = value;
  return true;
}

// Parses "5.7.1", "#5.7.1" or "X.7.1" (the whole text) into subject and
// detail. False for anything else.
bool ParseEnhanced(std::string_view code, int* subject, int* detail) {
  code = Trim(code);
  if (!code.empty() && code.front() == '#') code.remove_prefix(1);
  if (code.size() < 5) return false;
  char class_char = code[0];
  if (class_char != '2' && class_char != '4' && class_char != '5' && class_char != 'X' &&
      class_char != 'x') {
    return false;
  }
  if (code[1] != '.') return false;
  size_t pos = 2;
  if (!ReadSmallNumber(code, &pos, 3, subject)) return false;
  if (pos >= code.size() || code[pos] != '.') return false;
  ++pos;
  if (!ReadSmallNumber(code, &pos, 3, detail)) return false;
  return pos == code.size();
}

std::string EnhancedKey(int subject, int detail) {
  return "X." + std::to_string(subject) + "." + std::to_string(detail);
}

std::string SubjectKey(int subject) { return "X." + std::to_string(subject) + ".x"; }

// An enhanced code whose detail may be a range: "5.7.606-649" or "X.7.1".
struct EnhancedRange {
  char class_char = 'X';  // '2', '4', '5' or 'X'
  int subject = 0;
  int low = 0;
  int high = 0;
};

bool ParseEnhancedRange(std::string_view code, EnhancedRange* out) {
  code = Trim(code);
  if (!code.empty() && code.front() == '#') code.remove_prefix(1);
  size_t dash = code.find('-');
  std::string_view single = dash == std::string_view::npos ? code : code.substr(0, dash);
  int subject = 0;
  int low = 0;
  if (!ParseEnhanced(single, &subject, &low)) return false;
  int high = low;
  if (dash != std::string_view::npos) {
    std::string_view rest = code.substr(dash + 1);
    size_t pos = 0;
    if (!ReadSmallNumber(rest, &pos, 3, &high) || pos != rest.size() || high < low) return false;
  }
  out->class_char = (single[0] == 'x') ? 'X' : single[0];
  out->subject = subject;
  out->low = low;
  out->high = high;
  return true;
}

// A provider code in comparable form: enhanced codes as "X.s.d", anything
// else lower-cased without surrounding brackets, parentheses or blanks.
std::string NormalizeProviderCode(std::string_view code) {
  code = Trim(code);
  while (!code.empty() && (code.front() == '[' || code.front() == '(')) code.remove_prefix(1);
  while (!code.empty() && (code.back() == ']' || code.back() == ')')) code.remove_suffix(1);
  code = Trim(code);
  int subject = 0;
  int detail = 0;
  if (ParseEnhanced(code, &subject, &detail)) return EnhancedKey(subject, detail);
  return ToLower(code);
}

std::string_view TrimTrailingDot(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return name;
}

}  // namespace

// Reads the five files into a Knowledge. Every accessor checks the JSON type
// first: with JSON_NOEXCEPTION a mistyped read would abort the program.
class KnowledgeParser {
 public:
  explicit KnowledgeParser(Knowledge* knowledge) : k_(knowledge) {}

  Status Run(const std::vector<EmbeddedFile>& files) {
    const std::string_view names[] = {kCausesFile, kCodesFile, kProvidersFile, kSignaturesFile,
                                      kBlocklistsFile};
    for (std::string_view name : names) {
      const EmbeddedFile* found = nullptr;
      for (const EmbeddedFile& file : files) {
        if (file.name == name) found = &file;
      }
      if (found == nullptr) {
        return Status(StatusCode::kNotFound, "knowledge: " + std::string(name) + ": file missing");
      }
      file_ = std::string(name);
      Json root = Json::parse(found->data.begin(), found->data.end(), nullptr,
                              /*allow_exceptions=*/false);
      if (root.is_discarded()) return Error("", "not valid JSON");
      if (!root.is_object()) return Error("", "expected an object at the top");
      Status status;
      if (name == kCausesFile) status = ReadCauses(root);
      if (name == kCodesFile) status = ReadCodes(root);
      if (name == kProvidersFile) status = ReadProviders(root);
      if (name == kSignaturesFile) status = ReadSignatures(root);
      if (name == kBlocklistsFile) status = ReadBlocklists(root);
      if (!status.ok()) return status;
    }
    return Status::Ok();
  }

 private:
  Status Error(const std::string& path, const std::string& what) const {
    std::string message = "knowledge: " + file_ + ": ";
    if (!path.empty()) message += path + ": ";
    return Status(StatusCode::kMalformed, message + what);
  }

  // Reads obj[key] as a string into *out. A missing key is an error only
  // when `required`; a present key of another type always is.
  Status String(const Json& obj, const char* key, const std::string& path, bool required,
                std::string* out) const {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) return Error(path + "." + key, "missing");
      return Status::Ok();
    }
    if (!it->is_string()) return Error(path + "." + key, "expected a string");
    *out = it->get_ref<const std::string&>();
    if (required && out->empty()) return Error(path + "." + key, "empty");
    return Status::Ok();
  }

  Status Bool(const Json& obj, const char* key, const std::string& path, bool* out) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Status::Ok();
    if (!it->is_boolean()) return Error(path + "." + key, "expected true or false");
    *out = it->get<bool>();
    return Status::Ok();
  }

  Status StringList(const Json& obj, const char* key, const std::string& path,
                    std::vector<std::string>* out) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Status::Ok();
    if (!it->is_array()) return Error(path + "." + key, "expected an array");
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& item = (*it)[i];
      if (!item.is_string()) {
        return Error(path + "." + key + "[" + std::to_string(i) + "]", "expected a string");
      }
      out->push_back(item.get_ref<const std::string&>());
    }
    return Status::Ok();
  }

  // Reads an object of string values (ids -> text).
  Status StringMap(const Json& root, const char* key, bool required,
                   std::map<std::string, std::string>* out) const {
    auto it = root.find(key);
    if (it == root.end()) {
      if (required) return Error(key, "missing");
      return Status::Ok();
    }
    if (!it->is_object()) return Error(key, "expected an object");
    for (const auto& item : it->items()) {
      if (!item.value().is_string())
        return Error(std::string(key) + "." + item.key(), "expected a string");
      (*out)[item.key()] = item.value().get_ref<const std::string&>();
    }
    return Status::Ok();
  }

  // Reads an object keyed by three-digit reply codes.
  Status ReplyMap(const Json& root, const char* key, std::map<int, std::string>* out) const {
    auto it = root.find(key);
    if (it == root.end()) return Error(key, "missing");
    if (!it->is_object()) return Error(key, "expected an object");
    for (const auto& item : it->items()) {
      std::string path = std::string(key) + "." + item.key();
      if (!item.value().is_string()) return Error(path, "expected a string");
      const std::string& name = item.key();
      size_t pos = 0;
      int code = 0;
      if (name.size() != 3 || !ReadSmallNumber(name, &pos, 3, &code) || pos != 3) {
        return Error(path, "expected a three-digit reply code as key");
      }
      (*out)[code] = item.value().get_ref<const std::string&>();
    }
    return Status::Ok();
  }

  Status Links(const Json& obj, const std::string& path, std::vector<KnowledgeLink>* out) const {
    auto it = obj.find("links");
    if (it == obj.end()) return Status::Ok();
    std::string here = path + ".links";
    if (!it->is_array()) return Error(here, "expected an array");
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& item = (*it)[i];
      std::string item_path = here + "[" + std::to_string(i) + "]";
      if (!item.is_object()) return Error(item_path, "expected an object");
      KnowledgeLink link;
      Status status = String(item, "label", item_path, true, &link.label);
      if (!status.ok()) return status;
      status = String(item, "url", item_path, true, &link.url);
      if (!status.ok()) return status;
      out->push_back(std::move(link));
    }
    return Status::Ok();
  }

  // Finds root[key] and checks that it is an array.
  Status Array(const Json& root, const char* key, const Json** out) const {
    auto it = root.find(key);
    if (it == root.end()) return Error(key, "missing");
    if (!it->is_array()) return Error(key, "expected an array");
    *out = &*it;
    return Status::Ok();
  }

  Status ReadCauses(const Json& root) {
    Status status = StringMap(root, "roles", true, &k_->roles_);
    if (!status.ok()) return status;
    status = StringMap(root, "placeholders", true, &k_->placeholders_);
    if (!status.ok()) return status;
    const Json* causes = nullptr;
    status = Array(root, "causes", &causes);
    if (!status.ok()) return status;
    std::set<std::string> ids;
    for (size_t i = 0; i < causes->size(); ++i) {
      const Json& item = (*causes)[i];
      std::string path = "causes[" + std::to_string(i) + "]";
      if (!item.is_object()) return Error(path, "expected an object");
      Cause cause;
      const std::pair<const char*, std::string*> fields[] = {
          {"id", &cause.id},       {"class", &cause.cause_class}, {"severity", &cause.severity},
          {"title", &cause.title}, {"summary", &cause.summary},   {"detail", &cause.detail}};
      for (const auto& field : fields) {
        status = String(item, field.first, path, true, field.second);
        if (!status.ok()) return status;
      }
      if (!ids.insert(cause.id).second) return Error(path + ".id", "duplicate id " + cause.id);
      const Json* fix = nullptr;
      status = Array(item, "fix", &fix);
      if (!status.ok()) return Error(path + ".fix", "expected an array");
      for (size_t j = 0; j < fix->size(); ++j) {
        const Json& step_json = (*fix)[j];
        std::string step_path = path + ".fix[" + std::to_string(j) + "]";
        if (!step_json.is_object()) return Error(step_path, "expected an object");
        CauseFixStep step;
        status = String(step_json, "who", step_path, true, &step.who);
        if (!status.ok()) return status;
        status = String(step_json, "text", step_path, true, &step.text);
        if (!status.ok()) return status;
        status = Links(step_json, step_path, &step.links);
        if (!status.ok()) return status;
        cause.fix.push_back(std::move(step));
      }
      status = Links(item, path, &cause.links);
      if (!status.ok()) return status;
      status = StringList(item, "refined_by", path, &cause.refined_by);
      if (!status.ok()) return status;
      k_->causes_.push_back(std::move(cause));
    }
    return Status::Ok();
  }

  Status ReadCodes(const Json& root) {
    Status status = ReplyMap(root, "reply_codes", &k_->reply_codes_);
    if (!status.ok()) return status;
    status = StringMap(root, "enhanced_codes", true, &k_->enhanced_codes_);
    if (!status.ok()) return status;
    status = StringMap(root, "enhanced_causes", true, &k_->enhanced_causes_);
    if (!status.ok()) return status;
    status = StringMap(root, "reply_causes", true, &k_->reply_causes_);
    if (!status.ok()) return status;
    const Json* codes = nullptr;
    status = Array(root, "provider_codes", &codes);
    if (!status.ok()) return status;
    for (size_t i = 0; i < codes->size(); ++i) {
      const Json& item = (*codes)[i];
      std::string path = "provider_codes[" + std::to_string(i) + "]";
      if (!item.is_object()) return Error(path, "expected an object");
      ProviderCode code;
      status = String(item, "provider", path, true, &code.provider);
      if (!status.ok()) return status;
      status = String(item, "code", path, true, &code.code);
      if (!status.ok()) return status;
      status = String(item, "meaning", path, true, &code.meaning);
      if (!status.ok()) return status;
      code.key = NormalizeProviderCode(code.code);
      k_->provider_codes_.push_back(std::move(code));
    }
    return Status::Ok();
  }

  Status ReadProviders(const Json& root) {
    const Json* providers = nullptr;
    Status status = Array(root, "providers", &providers);
    if (!status.ok()) return status;
    std::set<std::string> ids;
    for (size_t i = 0; i < providers->size(); ++i) {
      const Json& item = (*providers)[i];
      std::string path = "providers[" + std::to_string(i) + "]";
      if (!item.is_object()) return Error(path, "expected an object");
      Provider provider;
      if (!(status = String(item, "id", path, true, &provider.id)).ok()) return status;
      if (!(status = String(item, "name", path, true, &provider.name)).ok()) return status;
      if (!(status = String(item, "kind", path, true, &provider.kind)).ok()) return status;
      if (!(status = StringList(item, "match", path, &provider.match)).ok()) return status;
      if (!(status = StringList(item, "mx", path, &provider.mx)).ok()) return status;
      if (!(status = Links(item, path, &provider.links)).ok()) return status;
      if (!(status = String(item, "postmaster", path, false, &provider.postmaster)).ok()) {
        return status;
      }
      if (!(status = String(item, "delist", path, false, &provider.delist)).ok()) return status;
      if (!ids.insert(provider.id).second) {
        return Error(path + ".id", "duplicate id " + provider.id);
      }
      k_->providers_.push_back(std::move(provider));
    }
    return Status::Ok();
  }

  Status ReadSignatures(const Json& root) {
    const Json* signatures = nullptr;
    Status status = Array(root, "signatures", &signatures);
    if (!status.ok()) return status;
    std::set<std::string> ids;
    for (size_t i = 0; i < signatures->size(); ++i) {
      const Json& item = (*signatures)[i];
      std::string path = "signatures[" + std::to_string(i) + "]";
      if (!item.is_object()) return Error(path, "expected an object");
      Signature signature;
      if (!(status = String(item, "id", path, true, &signature.id)).ok()) return status;
      if (!(status = String(item, "pattern", path, true, &signature.pattern)).ok()) return status;
      if (!(status = String(item, "cause", path, true, &signature.cause)).ok()) return status;
      if (!(status = String(item, "provider", path, false, &signature.provider)).ok()) {
        return status;
      }
      if (!(status = String(item, "note", path, false, &signature.note)).ok()) return status;
      auto it = item.find("specificity");
      if (it == item.end() || !it->is_number_integer()) {
        return Error(path + ".specificity", "expected an integer");
      }
      int64_t specificity = it->get<int64_t>();
      if (specificity < 1 || specificity > 100) {
        return Error(path + ".specificity", "expected 1 to 100");
      }
      signature.specificity = static_cast<int>(specificity);
      if (!ids.insert(signature.id).second) {
        return Error(path + ".id", "duplicate id " + signature.id);
      }
      k_->signatures_.push_back(std::move(signature));
    }
    return Status::Ok();
  }

  Status BlocklistCodes(const Json& obj, const char* key, const std::string& path,
                        std::vector<BlocklistCode>* out) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Status::Ok();
    std::string here = path + "." + key;
    if (!it->is_array()) return Error(here, "expected an array");
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& item = (*it)[i];
      std::string item_path = here + "[" + std::to_string(i) + "]";
      if (!item.is_object()) return Error(item_path, "expected an object");
      BlocklistCode code;
      Status status = String(item, "value", item_path, true, &code.value);
      if (!status.ok()) return status;
      if (!(status = String(item, "meaning", item_path, true, &code.meaning)).ok()) return status;
      if (!(status = String(item, "cause", item_path, false, &code.cause)).ok()) return status;
      out->push_back(std::move(code));
    }
    return Status::Ok();
  }

  Status ReadBlocklists(const Json& root) {
    Status status = String(root, "public_resolver_note", "", false, &k_->public_resolver_note_);
    if (!status.ok()) return status;
    const Json* blocklists = nullptr;
    if (!(status = Array(root, "blocklists", &blocklists)).ok()) return status;
    std::set<std::string> ids;
    for (size_t i = 0; i < blocklists->size(); ++i) {
      const Json& item = (*blocklists)[i];
      std::string path = "blocklists[" + std::to_string(i) + "]";
      if (!item.is_object()) return Error(path, "expected an object");
      Blocklist list;
      const std::pair<const char*, std::string*> required[] = {
          {"id", &list.id}, {"name", &list.name}, {"zone", &list.zone}, {"kind", &list.kind}};
      for (const auto& field : required) {
        if (!(status = String(item, field.first, path, true, field.second)).ok()) return status;
      }
      if (list.kind != "ip" && list.kind != "domain") {
        return Error(path + ".kind", "expected \"ip\" or \"domain\"");
      }
      const std::pair<const char*, std::string*> optional[] = {{"lookup_url", &list.lookup_url},
                                                               {"delist_url", &list.delist_url},
                                                               {"test_point", &list.test_point}};
      for (const auto& field : optional) {
        if (!(status = String(item, field.first, path, false, field.second)).ok()) return status;
      }
      if (!(status = Bool(item, "refuses_public_resolvers", path, &list.refuses_public_resolvers))
               .ok()) {
        return status;
      }
      if (!(status = Bool(item, "default", path, &list.queried_by_default)).ok()) return status;
      if (!(status = Bool(item, "bitmask", path, &list.bitmask)).ok()) return status;
      if (!(status = Bool(item, "requires_key", path, &list.requires_key)).ok()) return status;
      if (!(status = BlocklistCodes(item, "codes", path, &list.codes)).ok()) return status;
      if (!(status = BlocklistCodes(item, "refusal_codes", path, &list.refusal_codes)).ok()) {
        return status;
      }
      if (!ids.insert(list.id).second) return Error(path + ".id", "duplicate id " + list.id);
      k_->blocklists_.push_back(std::move(list));
    }
    return Status::Ok();
  }

  Knowledge* k_;
  std::string file_;
};

const Knowledge& Knowledge::Get() {
  static const Knowledge* const knowledge = Parse(EmbeddedKnowledgeFiles()).release();
  return *knowledge;
}

std::unique_ptr<Knowledge> Knowledge::Parse(const std::vector<EmbeddedFile>& files) {
  std::unique_ptr<Knowledge> knowledge(new Knowledge());
  KnowledgeParser parser(knowledge.get());
  Status status = parser.Run(files);
  if (!status.ok()) knowledge->Clear();
  knowledge->status_ = std::move(status);
  return knowledge;
}

void Knowledge::Clear() {
  causes_.clear();
  providers_.clear();
  signatures_.clear();
  blocklists_.clear();
  provider_codes_.clear();
  roles_.clear();
  placeholders_.clear();
  reply_codes_.clear();
  enhanced_codes_.clear();
  enhanced_causes_.clear();
  reply_causes_.clear();
  public_resolver_note_.clear();
}

const Cause* Knowledge::FindCause(std::string_view id) const {
  for (const Cause& cause : causes_) {
    if (cause.id == id) return &cause;
  }
  return nullptr;
}

const Provider* Knowledge::FindProvider(std::string_view id) const {
  for (const Provider& provider : providers_) {
    if (provider.id == id) return &provider;
  }
  return nullptr;
}

const Blocklist* Knowledge::FindBlocklist(std::string_view id_or_zone) const {
  std::string_view zone = TrimTrailingDot(id_or_zone);
  for (const Blocklist& list : blocklists_) {
    if (list.id == id_or_zone || EqualsCaseless(list.zone, zone)) return &list;
  }
  return nullptr;
}

std::string Knowledge::RoleLabel(std::string_view who) const {
  auto it = roles_.find(std::string(who));
  return it == roles_.end() ? std::string() : it->second;
}

std::string Knowledge::PlaceholderDefault(std::string_view name) const {
  auto it = placeholders_.find(std::string(name));
  return it == placeholders_.end() ? std::string() : it->second;
}

std::string Knowledge::ReplyCodeMeaning(int code) const {
  auto it = reply_codes_.find(code);
  return it == reply_codes_.end() ? std::string() : it->second;
}

std::string Knowledge::EnhancedCodeMeaning(std::string_view code) const {
  int subject = 0;
  int detail = 0;
  if (!ParseEnhanced(code, &subject, &detail)) return std::string();
  auto it = enhanced_codes_.find(EnhancedKey(subject, detail));
  if (it != enhanced_codes_.end()) return it->second;
  it = enhanced_codes_.find(SubjectKey(subject));
  return it == enhanced_codes_.end() ? std::string() : it->second;
}

std::string Knowledge::ProviderCodeMeaning(std::string_view provider_id,
                                           std::string_view code) const {
  // Every entry names its provider (the loader requires it): without one
  // there is nothing to find.
  if (provider_id.empty()) return std::string();
  std::string wanted = NormalizeProviderCode(code);
  if (wanted.empty()) return std::string();
  // Exact entries first, so "X.7.606" beats a range that contains it.
  for (const ProviderCode& entry : provider_codes_) {
    if (entry.provider == provider_id && entry.key == wanted) {
      return entry.meaning;
    }
  }
  EnhancedRange query;
  if (!ParseEnhancedRange(code, &query) || query.low != query.high) return std::string();
  for (const ProviderCode& entry : provider_codes_) {
    EnhancedRange range;
    if (entry.provider != provider_id || !ParseEnhancedRange(entry.code, &range)) continue;
    if (range.low == range.high) continue;  // exact entries were tried above
    bool class_ok =
        range.class_char == 'X' || query.class_char == 'X' || range.class_char == query.class_char;
    if (class_ok && range.subject == query.subject && range.low <= query.low &&
        query.low <= range.high) {
      return entry.meaning;
    }
  }
  return std::string();
}

std::string Knowledge::FallbackCauseForEnhanced(std::string_view code) const {
  int subject = 0;
  int detail = 0;
  if (!ParseEnhanced(code, &subject, &detail)) return std::string();
  auto it = enhanced_causes_.find(EnhancedKey(subject, detail));
  if (it != enhanced_causes_.end()) return it->second;
  it = enhanced_causes_.find(SubjectKey(subject));
  return it == enhanced_causes_.end() ? std::string() : it->second;
}

std::string Knowledge::FallbackCauseForReply(int code) const {
  if (code < 100 || code > 999) return std::string();
  auto it = reply_causes_.find(std::to_string(code));
  if (it != reply_causes_.end()) return it->second;
  it = reply_causes_.find(std::to_string(code / 100) + "xx");
  return it == reply_causes_.end() ? std::string() : it->second;
}

}  // namespace bouncedx
