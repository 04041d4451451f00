// SPDX-License-Identifier: MIT
#include "core/mail/auth_results.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/byte_reader.h"
#include "core/base/limits.h"
#include "core/base/text.h"
#include "core/mail/received.h"

namespace bouncedx::mail {
namespace {

// A value with its comments taken out: `clean` has each comment (and the
// text of quoted strings' escapes) replaced so that the pair reader below
// never meets a parenthesis.
struct Decommented {
  std::string clean;
  std::string comments;  // joined by "; "
};

// Removes comments outside quoted strings; nested comments are part of the
// outer one. An unclosed comment or quote runs to the end.
Decommented RemoveComments(std::string_view text) {
  Decommented out;
  ByteReader reader(text);
  int depth = 0;
  bool quoted = false;
  std::string comment;
  char c = 0;
  while (reader.Peek(&c)) {
    reader.Skip(1);
    if (depth > 0) {
      if (c == '\\') {
        char escaped = 0;
        if (reader.Peek(&escaped)) {
          reader.Skip(1);
          comment.push_back(escaped);
        }
        continue;
      }
      if (c == '(') ++depth;
      if (c == ')' && --depth == 0) {
        std::string_view trimmed = Trim(comment);
        if (!trimmed.empty()) {
          if (!out.comments.empty()) out.comments += "; ";
          out.comments += std::string(trimmed);
        }
        comment.clear();
        out.clean.push_back(' ');
        continue;
      }
      comment.push_back(IsSpace(c) ? ' ' : c);
      continue;
    }
    if (quoted) {
      out.clean.push_back(c);
      if (c == '\\') {
        char escaped = 0;
        if (reader.Peek(&escaped)) {
          reader.Skip(1);
          out.clean.push_back(escaped);
        }
      } else if (c == '"') {
        quoted = false;
      }
      continue;
    }
    if (c == '"') quoted = true;
    if (c == '(') {
      depth = 1;
      continue;
    }
    out.clean.push_back(c);
  }
  if (depth > 0 && !Trim(comment).empty()) {
    if (!out.comments.empty()) out.comments += "; ";
    out.comments += std::string(Trim(comment));
  }
  return out;
}

// Splits at ";" outside comments and quoted strings.
std::vector<std::string_view> SplitTopLevel(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && (quoted || depth > 0)) {
      ++i;
    } else if (quoted) {
      if (c == '"') quoted = false;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && depth > 0) {
      --depth;
    } else if (depth == 0 && c == '"') {
      quoted = true;
    } else if (depth == 0 && c == ';') {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

// "key = value", "key=\"quoted\"", or a bare "word".
struct Item {
  std::string key;
  std::string value;
  bool has_value = false;
};

std::string Unquote(std::string_view text) {
  std::string out;
  ByteReader reader(text);
  char c = 0;
  while (reader.Peek(&c)) {
    reader.Skip(1);
    if (c == '\\') {
      if (reader.Peek(&c)) {
        reader.Skip(1);
        out.push_back(c);
      }
    } else if (c != '"') {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<Item> ReadItems(std::string_view text) {
  std::vector<Item> items;
  ByteReader reader(text);
  auto skip_space = [&reader]() { reader.ReadWhile([](char c) { return IsSpace(c); }); };
  for (;;) {
    skip_space();
    if (reader.AtEnd()) break;
    Item item;
    item.key = std::string(reader.ReadWhile([](char c) { return !IsSpace(c) && c != '='; }));
    ByteReader ahead = reader;
    ahead.ReadWhile([](char c) { return IsSpace(c); });
    if (ahead.Consume('=')) {
      reader = ahead;
      skip_space();
      item.has_value = true;
      if (reader.PeekIs('"')) {
        item.value = ReadQuotedString(&reader);
      } else {
        item.value = std::string(reader.ReadWhile([](char c) { return !IsSpace(c); }));
      }
    } else if (item.key.empty()) {
      reader.Skip(1);  // a lone "=" with nothing before it
      continue;
    }
    items.push_back(std::move(item));
  }
  return items;
}

bool IsKnownMethod(std::string_view lower) {
  static constexpr std::string_view kMethods[] = {
      "spf",       "dkim",      "dmarc", "arc",   "iprev", "auth", "sender-id", "domainkeys",
      "dkim-adsp", "dkim-atps", "rrvs",  "smime", "vbr",   "bimi", "compauth",  "dnswl"};
  return std::find(std::begin(kMethods), std::end(kMethods), lower) != std::end(kMethods);
}

bool LooksLikeMethod(const Item& item) {
  // "method" or "method/version", with a method name before any "/".
  return item.has_value && item.key.find('.') == std::string::npos && !item.key.empty() &&
         item.key.front() != '/' && !EqualsCaseless(item.key, "reason");
}

void StartResult(const Item& item, std::vector<AuthMethodResult>* results) {
  AuthMethodResult result;
  std::string method = ToLower(item.key);
  const size_t slash = method.find('/');
  if (slash != std::string::npos) {
    result.version = method.substr(slash + 1);
    method.resize(slash);
  }
  result.method = method;
  result.result = ToLower(item.value);
  results->push_back(std::move(result));
}

void AddProperty(const Item& item, AuthMethodResult* result) {
  if (EqualsCaseless(item.key, "reason")) {
    result->reason = item.value;
    return;
  }
  AuthProperty property;
  std::string key = ToLower(item.key);
  const size_t dot = key.find('.');
  if (dot != std::string::npos) {
    property.ptype = key.substr(0, dot);
    property.property = key.substr(dot + 1);
  } else {
    property.property = key;
  }
  property.value = item.value;
  result->properties.push_back(std::move(property));
}

void Warn(std::vector<std::string>* warnings, std::string text) {
  if (warnings != nullptr) warnings->push_back("auth-results: " + std::move(text));
}

bool ReadSmallNumber(std::string_view text, int max_digits, int64_t* out) {
  text = Trim(text);
  if (text.empty() || text.size() > static_cast<size_t>(max_digits)) return false;
  int64_t value = 0;
  for (char c : text) {
    if (!IsDigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

std::string_view TrimFws(std::string_view text) {
  while (!text.empty() && IsTagListSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsTagListSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string RemoveFws(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (!IsTagListSpace(c)) out.push_back(c);
  }
  return out;
}

std::string TagValue(const std::vector<Tag>& tags, std::string_view name) {
  const Tag* tag = FindTag(tags, name);
  return tag == nullptr ? std::string() : tag->value;
}

std::string_view Capped(std::string_view value) {
  return value.substr(0, std::min(value.size(), Limits().max_header_bytes));
}

}  // namespace

std::string_view AuthMethodResult::Property(std::string_view ptype,
                                            std::string_view property) const {
  for (const AuthProperty& p : properties) {
    if (EqualsCaseless(p.ptype, ptype) && EqualsCaseless(p.property, property)) return p.value;
  }
  return {};
}

const AuthMethodResult* AuthenticationResults::FindMethod(std::string_view method) const {
  for (const AuthMethodResult& result : results) {
    if (EqualsCaseless(result.method, method)) return &result;
  }
  return nullptr;
}

AuthenticationResults ParseAuthenticationResults(std::string_view value, bool arc,
                                                 std::vector<std::string>* warnings) {
  AuthenticationResults out;
  // Each ";"-separated segment with its comments taken out.
  std::vector<Decommented> segments;
  for (std::string_view segment : SplitTopLevel(Capped(value))) {
    segments.push_back(RemoveComments(segment));
  }

  size_t index = 0;
  if (arc && index < segments.size()) {
    std::vector<Item> items = ReadItems(segments[index].clean);
    int64_t instance = 0;
    if (items.size() == 1 && EqualsCaseless(items[0].key, "i") &&
        ReadSmallNumber(items[0].value, 2, &instance)) {
      out.arc_instance = static_cast<int>(instance);
      ++index;
    } else {
      Warn(warnings, "arc-authentication-results: no i= instance first");
    }
  }
  bool id_read = false;
  for (; index < segments.size(); ++index) {
    std::vector<Item> items = ReadItems(segments[index].clean);
    if (items.empty()) continue;
    const std::string& comments = segments[index].comments;
    size_t start = 0;
    if (!id_read) {
      id_read = true;
      if (!LooksLikeMethod(items[0])) {
        out.authserv_id = ToLower(Unquote(items[0].key));
        start = 1;  // a version ("1") may follow; it is skipped below
        if (items.size() > 1 && !items[1].has_value) start = 2;
        if (start >= items.size()) continue;
      }
    }
    if (items.size() - start == 1 && !items[start].has_value &&
        EqualsCaseless(items[start].key, "none")) {
      out.no_result = true;
      continue;
    }
    const size_t first_result = out.results.size();
    for (size_t i = start; i < items.size(); ++i) {
      const Item& item = items[i];
      const bool opens = i == start ? LooksLikeMethod(item)
                                    : (LooksLikeMethod(item) && IsKnownMethod(ToLower(item.key)));
      if (opens) {
        StartResult(item, &out.results);
      } else if (out.results.size() > first_result && item.has_value) {
        AddProperty(item, &out.results.back());
      } else {
        Warn(warnings, "\"" + Printable(item.key, 40) + "\" is not a method=result pair: skipped");
        break;
      }
    }
    if (out.results.size() > first_result) out.results[first_result].comment = comments;
  }
  return out;
}

ReceivedSpf ParseReceivedSpf(std::string_view value) {
  ReceivedSpf out;
  Decommented text = RemoveComments(Capped(value));
  out.comment = text.comments;
  std::string flat = text.clean;
  std::replace(flat.begin(), flat.end(), ';', ' ');
  std::vector<Item> items = ReadItems(flat);
  if (items.empty()) return out;
  size_t start = 0;
  if (!items[0].has_value) {
    out.result = ToLower(items[0].key);
    start = 1;
  }
  for (size_t i = start; i < items.size(); ++i) {
    const Item& item = items[i];
    if (!item.has_value) continue;
    std::string key = ToLower(item.key);
    if (key == "client-ip") out.client_ip = item.value;
    if (key == "envelope-from") out.envelope_from = item.value;
    if (key == "helo") out.helo = item.value;
    if (key == "receiver") out.receiver = item.value;
    if (key == "identity") out.identity = ToLower(item.value);
    if (key == "mechanism") out.mechanism = item.value;
    if (key == "problem") out.problem = item.value;
  }
  return out;
}

Result<std::vector<Tag>> ParseTagList(std::string_view text) {
  TagList list = ReadTagList(Capped(text));
  const std::string subject = Printable(list.subject, 40);
  switch (list.problem) {
    case TagListProblem::kNone:
      return std::move(list.tags);
    case TagListProblem::kEmptyTag:
      return Status(StatusCode::kMalformed, "tag list: empty tag");
    case TagListProblem::kNoEquals:
      return Status(StatusCode::kMalformed, "tag list: \"" + subject + "\" has no \"=\"");
    case TagListProblem::kBadName:
      return Status(StatusCode::kMalformed,
                    "tag list: bad tag name \"" + Printable(list.subject, 20) + "\"");
    case TagListProblem::kBadValueByte:
      return Status(StatusCode::kMalformed,
                    "tag list: " + list.subject + "= holds a byte outside printable ASCII");
    case TagListProblem::kDuplicate:
      return Status(StatusCode::kMalformed, "tag list: duplicate tag " + list.subject + "=");
  }
  return Status(StatusCode::kMalformed, "tag list: unreadable");
}

DkimSignature ParseDkimSignature(std::string_view value) {
  DkimSignature out;
  Result<std::vector<Tag>> parsed = ParseTagList(value);
  if (!parsed.ok()) {
    out.error = "dkim-signature: " + parsed.status().message();
    return out;
  }
  const std::vector<Tag>& tags = parsed.value();
  out.version = TagValue(tags, "v");
  out.algorithm = ToLower(TagValue(tags, "a"));
  const Tag* b = FindTag(tags, "b");
  out.signature_present = b != nullptr;
  out.signature_empty = b == nullptr || RemoveFws(b->value).empty();
  out.body_hash = RemoveFws(TagValue(tags, "bh"));
  out.canonicalization = ToLower(TagValue(tags, "c"));
  out.domain = ToLower(TagValue(tags, "d"));
  std::string signed_headers = TagValue(tags, "h");
  size_t start = 0;
  while (!signed_headers.empty() && start <= signed_headers.size()) {
    size_t colon = signed_headers.find(':', start);
    if (colon == std::string::npos) colon = signed_headers.size();
    std::string_view name = TrimFws(std::string_view(signed_headers).substr(start, colon - start));
    if (!name.empty()) out.signed_headers.push_back(ToLower(name));
    start = colon + 1;
  }
  out.identity = TagValue(tags, "i");
  out.query = TagValue(tags, "q");
  out.selector = ToLower(TagValue(tags, "s"));
  if (const Tag* l = FindTag(tags, "l")) ReadSmallNumber(l->value, 18, &out.body_length);
  if (const Tag* t = FindTag(tags, "t")) ReadSmallNumber(t->value, 18, &out.timestamp);
  if (const Tag* x = FindTag(tags, "x")) ReadSmallNumber(x->value, 18, &out.expiration);

  for (std::string_view required : {"v", "a", "b", "bh", "d", "h", "s"}) {
    if (FindTag(tags, required) == nullptr) {
      out.error = "dkim-signature: no " + std::string(required) + "= tag";
      return out;
    }
  }
  out.valid = true;
  if (out.version != "1") out.problems.push_back("dkim-signature: v= is not 1");
  if (out.signature_empty) out.problems.push_back("dkim-signature: b= is empty");
  if (std::find(out.signed_headers.begin(), out.signed_headers.end(), "from") ==
      out.signed_headers.end())
    out.problems.push_back("dkim-signature: h= does not sign From");
  if (!out.identity.empty()) {
    std::string identity_domain = ToLower(DomainOf(out.identity));
    const bool inside = identity_domain == out.domain ||
                        (identity_domain.size() > out.domain.size() &&
                         identity_domain.compare(identity_domain.size() - out.domain.size() - 1,
                                                 std::string::npos, "." + out.domain) == 0);
    if (!inside) out.problems.push_back("dkim-signature: i= is not in the d= domain");
  }
  if (out.timestamp >= 0 && out.expiration >= 0 && out.expiration < out.timestamp)
    out.problems.push_back("dkim-signature: x= is before t=");
  return out;
}

namespace {

// ARC's i= (RFC 8617 §4.2.1): true when it is a number from 1 to 50.
// *instance receives the number as written, or 0 when there is none.
bool ReadArcInstance(const std::vector<Tag>& tags, int* instance) {
  int64_t value = 0;
  const bool has_value = ReadSmallNumber(TagValue(tags, "i"), 2, &value);
  *instance = has_value ? static_cast<int>(value) : 0;
  return has_value && value >= 1 && value <= 50;
}

}  // namespace

ArcSeal ParseArcSeal(std::string_view value) {
  ArcSeal out;
  Result<std::vector<Tag>> parsed = ParseTagList(value);
  if (!parsed.ok()) return out;
  const std::vector<Tag>& tags = parsed.value();
  const bool instance_ok = ReadArcInstance(tags, &out.instance);
  out.chain_validation = ToLower(TagValue(tags, "cv"));
  out.algorithm = ToLower(TagValue(tags, "a"));
  out.domain = ToLower(TagValue(tags, "d"));
  out.selector = ToLower(TagValue(tags, "s"));
  out.valid = instance_ok && !out.chain_validation.empty();
  return out;
}

ArcMessageSignature ParseArcMessageSignature(std::string_view value) {
  ArcMessageSignature out;
  Result<std::vector<Tag>> parsed = ParseTagList(value);
  if (!parsed.ok()) return out;
  const std::vector<Tag>& tags = parsed.value();
  const bool instance_ok = ReadArcInstance(tags, &out.instance);
  out.domain = ToLower(TagValue(tags, "d"));
  out.selector = ToLower(TagValue(tags, "s"));
  out.valid = instance_ok;
  return out;
}

AuthFacts ReadAuthFacts(const HeaderBlock& block, std::vector<std::string>* warnings) {
  AuthFacts facts;
  bool from_seen = false;
  bool sender_seen = false;
  for (const HeaderField& field : block.fields) {
    std::string_view name = field.name;
    if (EqualsCaseless(name, "Authentication-Results")) {
      AuthenticationResults results = ParseAuthenticationResults(field.value, false, warnings);
      results.field_offset = field.offset;
      facts.authentication_results.push_back(std::move(results));
    } else if (EqualsCaseless(name, "ARC-Authentication-Results")) {
      AuthenticationResults results = ParseAuthenticationResults(field.value, true, warnings);
      results.field_offset = field.offset;
      facts.arc_authentication_results.push_back(std::move(results));
    } else if (EqualsCaseless(name, "ARC-Seal")) {
      ArcSeal seal = ParseArcSeal(field.value);
      seal.field_offset = field.offset;
      if (!seal.valid) Warn(warnings, "arc-seal: unreadable tag list or instance");
      facts.arc_seals.push_back(std::move(seal));
    } else if (EqualsCaseless(name, "ARC-Message-Signature")) {
      ArcMessageSignature signature = ParseArcMessageSignature(field.value);
      signature.field_offset = field.offset;
      facts.arc_message_signatures.push_back(std::move(signature));
    } else if (EqualsCaseless(name, "Received-SPF")) {
      ReceivedSpf spf = ParseReceivedSpf(field.value);
      spf.field_offset = field.offset;
      facts.received_spf.push_back(std::move(spf));
    } else if (EqualsCaseless(name, "DKIM-Signature")) {
      DkimSignature signature = ParseDkimSignature(field.value);
      signature.field_offset = field.offset;
      if (!signature.valid) Warn(warnings, signature.error);
      facts.dkim_signatures.push_back(std::move(signature));
    } else if (EqualsCaseless(name, "Return-Path") && !facts.has_return_path) {
      std::vector<Address> addresses = ParseAddressList(field.value, 1);
      facts.has_return_path = true;
      if (!addresses.empty()) {
        facts.return_path = addresses[0].addr_spec;
        facts.return_path_domain = ToLower(DomainOf(facts.return_path));
      }
    } else if (EqualsCaseless(name, "From") && !from_seen) {
      from_seen = true;
      std::vector<Address> addresses = ParseAddressList(field.value, 1);
      if (!addresses.empty()) {
        facts.from_address = addresses[0].addr_spec;
        facts.from_domain = ToLower(DomainOf(facts.from_address));
      }
    } else if (EqualsCaseless(name, "Sender") && !sender_seen) {
      sender_seen = true;
      std::vector<Address> addresses = ParseAddressList(field.value, 1);
      if (!addresses.empty()) {
        facts.sender_address = addresses[0].addr_spec;
        facts.sender_domain = ToLower(DomainOf(facts.sender_address));
      }
    } else if (EqualsCaseless(name, "List-Unsubscribe")) {
      facts.list_unsubscribe = true;
      if (FindCaseless(field.value, "<https:") != std::string::npos)
        facts.list_unsubscribe_https = true;
      if (FindCaseless(field.value, "<mailto:") != std::string::npos)
        facts.list_unsubscribe_mailto = true;
    } else if (EqualsCaseless(name, "List-Unsubscribe-Post")) {
      facts.list_unsubscribe_post =
          facts.list_unsubscribe_post ||
          EqualsCaseless(RemoveFws(field.value), "List-Unsubscribe=One-Click");
    }
  }
  facts.one_click_unsubscribe = facts.list_unsubscribe_post && facts.list_unsubscribe_https;
  return facts;
}

TrustContext TrustContextFor(const ReceivedChain& chain, std::string_view recipient_domain) {
  TrustContext context;
  context.recipient_domain = recipient_domain;
  if (!chain.edge.found) return context;
  context.edge_by = chain.edge.by;
  const size_t below = chain.edge.hop_index + 1;
  if (below < chain.hops.size()) context.outside_offset = chain.hops[below].field_offset;
  return context;
}

void ApplyTrust(const TrustContext& context, AuthFacts* facts) {
  facts->trusted_authserv_ids.clear();
  const bool microsoft_edge = KnownProviderOf(context.edge_by) == "Microsoft";
  auto judge = [&](AuthenticationResults& results) {
    results.trusted = false;
    if (context.outside_offset != kNoOffset && results.field_offset >= context.outside_offset)
      return;
    const std::string& id = results.authserv_id;
    if (id.empty()) {
      results.trusted = microsoft_edge;
    } else {
      results.trusted =
          SameOrganisation(id, context.edge_by) || SameOrganisation(id, context.recipient_domain) ||
          (!context.recipient_domain.empty() && EqualsCaseless(id, context.recipient_domain));
    }
    if (results.trusted &&
        std::find(facts->trusted_authserv_ids.begin(), facts->trusted_authserv_ids.end(), id) ==
            facts->trusted_authserv_ids.end())
      facts->trusted_authserv_ids.push_back(id);
  };
  for (AuthenticationResults& results : facts->authentication_results) judge(results);
  for (AuthenticationResults& results : facts->arc_authentication_results) judge(results);
}

}  // namespace bouncedx::mail
