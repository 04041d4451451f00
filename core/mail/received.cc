// SPDX-License-Identifier: MIT
#include "core/mail/received.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/byte_reader.h"
#include "core/base/limits.h"
#include "core/base/text.h"
#include "core/mail/date_time.h"

namespace bouncedx::mail {
namespace {

// ---------------------------------------------------------------------------
// Tokens of a Received value: words, and comments (their inner text, nested
// comments kept as written).

struct Token {
  bool comment = false;
  std::string_view text;
};

// Reads a comment whose "(" was just consumed; stores its inner text. An
// unclosed comment runs to the end. Backslash escapes are kept as written.
std::string_view ReadComment(ByteReader& reader) {
  const size_t start = reader.position();
  const std::string_view rest = reader.Rest();
  int depth = 1;
  size_t end = reader.size();
  size_t i = 0;  // bytes of `rest` read
  while (i < rest.size()) {
    const char c = rest[i++];
    if (c == '\\') {
      if (i < rest.size()) ++i;  // the escaped byte, when there is one
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      end = start + i - 1;
      break;
    }
  }
  reader.Skip(i);
  return reader.data().substr(start, end - start);
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  tokens.reserve(16);  // a usual Received field has a dozen
  ByteReader reader(text);
  char c = 0;
  while (reader.Peek(&c)) {
    if (IsSpace(c)) {
      reader.Skip(1);
    } else if (c == '(') {
      reader.Skip(1);
      tokens.push_back({true, ReadComment(reader)});
    } else if (c == ')') {
      reader.Skip(1);  // a stray ")" is noise
    } else {
      std::string_view word =
          reader.ReadWhile([](char w) { return !IsSpace(w) && w != '(' && w != ')'; });
      tokens.push_back({false, word});
    }
  }
  return tokens;
}

// Position of the last ";" outside comments, or npos.
size_t LastTopLevelSemicolon(std::string_view text) {
  size_t found = std::string_view::npos;
  int depth = 0;
  for (size_t at = 0; at < text.size(); ++at) {
    const char c = text[at];
    if (c == '\\' && depth > 0) {
      ++at;  // the escaped byte (none at the end)
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && depth > 0) {
      --depth;
    } else if (c == ';' && depth == 0) {
      found = at;
    }
  }
  return found;
}

std::string_view StripTrailingDot(std::string_view name) {
  while (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return name;
}

std::string_view StripAngles(std::string_view text) {
  if (!text.empty() && text.front() == '<') text.remove_prefix(1);
  while (!text.empty() && (text.back() == '>' || text.back() == ',' || text.back() == ';'))
    text.remove_suffix(1);
  return text;
}

// "[192.0.2.1]", "[192.0.2.1]:25", "[IPv6:2001:db8::1]", "192.0.2.1",
// "2001:db8::1". Sets *ip to the address.
bool ParseAddressWord(std::string_view word, dns::IpAddress* ip) {
  if (!word.empty() && word.front() == '[') {
    size_t close = word.find(']');
    if (close == std::string_view::npos) return false;
    std::string_view rest = word.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return false;
    std::string_view inner = word.substr(1, close - 1);
    if (StartsWithCaseless(inner, "IPv6:")) inner.remove_prefix(5);
    return dns::ParseIp(inner, ip);
  }
  return dns::ParseIp(word, ip);
}

bool IsAddressWord(std::string_view word) {
  dns::IpAddress ignored;
  return ParseAddressWord(word, &ignored);
}

bool LooksLikeHostName(std::string_view word) {
  if (word.empty() || word.size() > 255) return false;
  for (char c : word) {
    if (!IsAlnum(c) && c != '.' && c != '-' && c != '_' && c != '@' && c != ':') return false;
  }
  return word.find('.') != std::string_view::npos || EqualsCaseless(word, "localhost");
}

enum class Clause { kNone, kFrom, kBy, kVia, kWith, kId, kFor };

Clause KeywordOf(std::string_view word) {
  if (word.size() < 2 || word.size() > 4) return Clause::kNone;  // no call for most words
  if (EqualsCaseless(word, "from")) return Clause::kFrom;
  if (EqualsCaseless(word, "by")) return Clause::kBy;
  if (EqualsCaseless(word, "via")) return Clause::kVia;
  if (EqualsCaseless(word, "with")) return Clause::kWith;
  if (EqualsCaseless(word, "id")) return Clause::kId;
  if (EqualsCaseless(word, "for")) return Clause::kFor;
  return Clause::kNone;
}

void AppendJoined(std::string* out, std::string_view text, std::string_view separator) {
  if (text.empty()) return;
  if (!out->empty()) out->append(separator);
  out->append(text);
}

// What the from-comments told.
struct FromComments {
  std::string helo;        // from "helo=x", "(HELO x)", "(EHLO x)"
  std::string rdns;        // the name before an address in "(name [ip])"
  bool rdns_seen = false;  // a name slot was there ("unknown" counts)
  dns::IpAddress ip;
};

// A comment that is about TLS, authentication or the envelope, wherever it
// stands. Returns true when it was one of those.
bool ReadSpecialComment(std::string_view content, ReceivedHop* hop) {
  std::string_view trimmed = Trim(content);
  if (StartsWithCaseless(trimmed, "using ") ||
      (FindCaseless(trimmed, "cipher=") != std::string_view::npos) ||
      (StartsWithCaseless(trimmed, "TLS") && trimmed.size() < 40 &&
       trimmed.find(' ') == std::string_view::npos)) {
    std::string flat;
    for (char c : trimmed) flat.push_back(IsSpace(c) ? ' ' : c);
    AppendJoined(&hop->tls, Trim(flat), "; ");
    return true;
  }
  if (FindCaseless(trimmed, "client certificate") != std::string_view::npos ||
      FindCaseless(trimmed, "Transport Security") != std::string_view::npos) {
    return true;
  }
  if (StartsWithCaseless(trimmed, "authenticated") ||
      FindCaseless(trimmed, "authenticated sender") != std::string_view::npos) {
    hop->authenticated = true;
    return true;
  }
  if (StartsWithCaseless(trimmed, "envelope-from") ||
      StartsWithCaseless(trimmed, "envelope-sender")) {
    std::vector<Token> words = Tokenize(trimmed);
    if (words.size() >= 2 && !words[1].comment)
      hop->envelope_from = std::string(StripAngles(words[1].text));
    return true;
  }
  return false;
}

void ReadFromComment(std::string_view content, FromComments* from, ReceivedHop* hop) {
  std::vector<Token> tokens = Tokenize(content);
  std::string_view name_candidate;
  bool name_slot = false;
  bool ip_here = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    if (token.comment) {
      if (FindCaseless(token.text, "may be forged") != std::string_view::npos)
        hop->may_be_forged = true;
      continue;
    }
    std::string_view word = token.text;
    if (StartsWithCaseless(word, "helo=") || StartsWithCaseless(word, "ehlo=")) {
      from->helo = std::string(word.substr(5));
      continue;
    }
    if ((EqualsCaseless(word, "helo") || EqualsCaseless(word, "ehlo")) && i + 1 < tokens.size() &&
        !tokens[i + 1].comment) {
      from->helo = std::string(tokens[++i].text);
      continue;
    }
    if (word.find('=') != std::string_view::npos) continue;  // port=, ident=, ...
    dns::IpAddress ip;
    if (ParseAddressWord(word, &ip)) {
      if (from->ip.family == dns::IpFamily::kNone) from->ip = ip;
      ip_here = true;
      continue;
    }
    if (!ip_here && !name_slot && (EqualsCaseless(word, "unknown") || LooksLikeHostName(word))) {
      name_candidate = word;
      name_slot = true;
    }
  }
  if (ip_here && name_slot && !from->rdns_seen) {
    from->rdns_seen = true;
    std::string_view name = name_candidate;
    // Sendmail's identd user ("IDENT:user@host", "user@host").
    size_t at = name.rfind('@');
    if (at != std::string_view::npos) name.remove_prefix(at + 1);
    if (!EqualsCaseless(name, "unknown")) from->rdns = std::string(StripTrailingDot(name));
  }
}

bool IsKnownProtocol(std::string_view upper) {
  static constexpr std::string_view kProtocols[] = {
      "SMTP",      "ESMTP",     "ESMTPA",     "ESMTPS",    "ESMTPSA",   "LMTP",       "LMTPA",
      "LMTPS",     "LMTPSA",    "UTF8SMTP",   "UTF8SMTPA", "UTF8SMTPS", "UTF8SMTPSA", "UTF8LMTP",
      "UTF8LMTPA", "UTF8LMTPS", "UTF8LMTPSA", "HTTP",      "HTTPS",     "IMAP",       "LOCAL",
      "MAPI",      "SMTPS",     "SMTPSA",     "ASMTP"};
  return std::find(std::begin(kProtocols), std::end(kProtocols), upper) != std::end(kProtocols);
}

std::string ToUpperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return out;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

ReceivedHop ParseReceived(std::string_view value) {
  ReceivedHop hop;
  value = value.substr(0, std::min(value.size(), Limits().max_header_bytes));
  std::string_view clauses = value;
  const size_t semicolon = LastTopLevelSemicolon(value);
  if (semicolon != std::string_view::npos) {
    clauses = value.substr(0, semicolon);
    hop.date = std::string(Trim(value.substr(semicolon + 1)));
    hop.unix_time = DateTimeToUnix(hop.date);
  }

  FromComments from;
  Clause clause = Clause::kNone;
  bool want_value = false;
  bool tls_word_next = false;
  for (const Token& token : Tokenize(clauses)) {
    if (token.comment) {
      if (ReadSpecialComment(token.text, &hop)) continue;
      if (clause == Clause::kFrom) {
        ReadFromComment(token.text, &from, &hop);
      } else if (clause == Clause::kBy || StartsWithCaseless(Trim(token.text), "Exim")) {
        dns::IpAddress ip;
        if (clause == Clause::kBy && ParseAddressWord(Trim(token.text), &ip)) {
          hop.by_ip = dns::FormatIp(ip);
        } else if (hop.by_software.empty()) {
          hop.by_software = std::string(Trim(token.text));
        }
      }
      continue;
    }
    std::string_view word = token.text;
    Clause keyword = KeywordOf(word);
    if (keyword != Clause::kNone) {
      clause = keyword;
      want_value = true;
      continue;
    }
    switch (clause) {
      case Clause::kFrom:
        if (want_value) hop.from_word = std::string(word);
        break;
      case Clause::kBy:
        if (want_value) hop.by = std::string(StripTrailingDot(word));
        break;
      case Clause::kVia:
        AppendJoined(&hop.via, word, " ");
        break;
      case Clause::kWith:
        if (tls_word_next) {
          AppendJoined(&hop.tls, word, "; ");
          tls_word_next = false;
        } else if (EqualsCaseless(word, "tls")) {
          tls_word_next = true;
        } else {
          AppendJoined(&hop.with, word, " ");
        }
        break;
      case Clause::kId:
        if (want_value) hop.id = std::string(StripAngles(word));
        break;
      case Clause::kFor:
        if (want_value) hop.for_address = std::string(StripAngles(word));
        break;
      case Clause::kNone:
        break;
    }
    want_value = false;
  }

  // Sort the from clause's names out (see the header comment).
  std::string_view word = hop.from_word;
  dns::IpAddress word_ip;
  const bool word_is_address = ParseAddressWord(word, &word_ip);
  const bool word_is_literal = !word.empty() && word.front() == '[';
  const bool word_unknown = EqualsCaseless(word, "unknown");
  if (!from.helo.empty()) {
    hop.helo = from.helo;
    hop.rdns = from.rdns;
    if (hop.rdns.empty() && !word_is_address && !word_unknown)
      hop.rdns = std::string(StripTrailingDot(word));
  } else {
    if (!word_unknown && (!word_is_address || word_is_literal)) hop.helo = std::string(word);
    hop.rdns = from.rdns;
    if (hop.rdns.empty() && !from.rdns_seen && !word_is_address && !word_unknown &&
        StartsWithCaseless(hop.by_software, "Exim"))
      hop.rdns = std::string(StripTrailingDot(word));
  }
  dns::IpAddress ip = from.ip;
  if (ip.family == dns::IpFamily::kNone && word_is_address) ip = word_ip;
  hop.address = ip;
  hop.ip = dns::FormatIp(ip);

  // Protocol, encryption, authentication.
  if (!hop.with.empty()) {
    std::string first = ToUpperAscii(hop.with.substr(0, hop.with.find(' ')));
    if (IsKnownProtocol(first)) {
      hop.protocol = first;
    } else if (FindCaseless(hop.with, "SMTP") != std::string::npos) {
      hop.protocol = "SMTP";
    }
  }
  const std::string& p = hop.protocol;
  if (EndsWith(p, "SMTPS") || EndsWith(p, "SMTPSA") || EndsWith(p, "LMTPS") ||
      EndsWith(p, "LMTPSA") || p == "HTTPS" || !hop.tls.empty())
    hop.encrypted = true;
  if (EndsWith(p, "SMTPA") || EndsWith(p, "SMTPSA") || EndsWith(p, "LMTPA") ||
      EndsWith(p, "LMTPSA") || p == "ASMTP")
    hop.authenticated = true;
  return hop;
}

// ---------------------------------------------------------------------------
// Organisations.

namespace {

// Input text as it may appear in a sentence for people.
std::string Shown(std::string_view text) { return Printable(text, 120); }

struct ProviderDomains {
  std::string_view provider;
  std::string_view domains[8];
};

// Registrable domains of the big mailbox providers and filtering services:
// the hosts that receive, filter and store mail for their customers.
constexpr ProviderDomains kProviders[] = {
    {"Google", {"google.com", "gmail.com", "googlemail.com", "1e100.net"}},
    {"Microsoft",
     {"outlook.com", "office365.com", "exchangelabs.com", "hotmail.com", "live.com", "msn.com",
      "microsoft.com", "outlook.de"}},
    {"Yahoo", {"yahoo.com", "yahoodns.net", "yahoo.net", "aol.com", "ymail.com", "rocketmail.com"}},
    {"Apple", {"icloud.com", "me.com", "mac.com", "apple.com"}},
    {"Zoho", {"zoho.com", "zoho.eu", "zoho.in", "zohomail.com"}},
    {"Proton", {"protonmail.ch", "protonmail.com", "proton.me"}},
    {"Fastmail", {"messagingengine.com", "fastmail.com", "fastmail.fm"}},
    {"GMX/WEB.DE", {"gmx.net", "gmx.de", "gmx.com", "web.de", "mail.com"}},
    {"Yandex", {"yandex.net", "yandex.ru", "yandex.com"}},
    {"Mimecast", {"mimecast.com"}},
    {"Proofpoint", {"pphosted.com", "ppe-hosted.com", "proofpoint.com"}},
    {"Barracuda", {"barracudanetworks.com", "barracuda.com"}},
};

std::string_view ProviderOfRegistrable(std::string_view registrable) {
  if (registrable.empty()) return {};
  for (const ProviderDomains& provider : kProviders) {
    for (std::string_view domain : provider.domains) {
      if (!domain.empty() && domain == registrable) return provider.provider;
    }
  }
  return {};
}

// The recipient's organisation: registrable domains and provider names.
struct Organisation {
  std::vector<std::string> domains;
  std::vector<std::string_view> providers;

  void AddHost(std::string_view host) {
    std::string registrable = RegistrableDomain(host);
    if (registrable.empty()) return;
    if (std::find(domains.begin(), domains.end(), registrable) == domains.end())
      domains.push_back(registrable);
    AddProvider(ProviderOfRegistrable(registrable));
  }
  void AddProvider(std::string_view provider) {
    if (!provider.empty() &&
        std::find(providers.begin(), providers.end(), provider) == providers.end())
      providers.push_back(provider);
  }
  bool Contains(std::string_view host) const {
    std::string registrable = RegistrableDomain(host);
    if (registrable.empty()) return false;
    if (std::find(domains.begin(), domains.end(), registrable) != domains.end()) return true;
    std::string_view provider = ProviderOfRegistrable(registrable);
    return !provider.empty() &&
           std::find(providers.begin(), providers.end(), provider) != providers.end();
  }
  bool empty() const { return domains.empty() && providers.empty(); }
  // "google.com" style label for texts: the provider when the host is one of
  // its, else its registrable domain.
  std::string Label(std::string_view host) const {
    std::string registrable = RegistrableDomain(host);
    if (!registrable.empty()) return Shown(registrable);
    return domains.empty() ? std::string("the recipient's servers") : Shown(domains.front());
  }
  std::string Judge(std::string_view host) const {
    std::string_view provider = KnownProviderOf(host);
    if (!provider.empty()) return std::string(provider);
    return Label(host) + "'s servers";
  }
};

// A by-name that names no organisation of its own: an address, a bare
// word, nothing (Gmail's "by 2002:a05:...", Exchange's internal names).
bool IsInternalName(std::string_view host) {
  return host.empty() || IsAddressWord(host) || host.find('.') == std::string_view::npos;
}

bool IsPublic(const ReceivedHop& hop) {
  return hop.address.family != dns::IpFamily::kNone &&
         (dns::ClassifyIp(hop.address) == dns::IpScope::kPublic ||
          dns::ClassifyIp(hop.address) == dns::IpScope::kDocumentation);
}

// The name that says who the client is: the reverse name when the receiver
// found one (the HELO name is the client's own claim), else the HELO name.
std::string_view ClientName(const ReceivedHop& hop) {
  if (!hop.rdns.empty()) return hop.rdns;
  if (!hop.helo.empty() && hop.helo.front() != '[') return hop.helo;
  return {};
}

// "mail.example.org [192.0.2.1]", "[192.0.2.1]", "mail.example.org".
std::string DescribeClient(const ReceivedHop& hop) {
  std::string name(ClientName(hop));
  if (name.empty()) name = hop.helo;
  std::string out = Shown(name);
  if (!hop.ip.empty()) AppendJoined(&out, "[" + hop.ip + "]", " ");
  return out.empty() ? std::string("an unnamed client") : out;
}

std::string HopLabel(size_t index) { return "hop " + std::to_string(index + 1); }

std::string ByName(const ReceivedHop& hop) {
  return hop.by.empty() ? std::string("an unnamed server") : Shown(hop.by);
}

void FillEdge(const ReceivedHop& hop, size_t index, bool guessed, ReceivedEdge* edge) {
  edge->found = true;
  edge->guessed = guessed;
  edge->hop_index = index;
  edge->ip = hop.ip;
  edge->helo = hop.helo;
  edge->rdns = hop.rdns;
  edge->by = hop.by;
}

void ExplainForwarding(const std::vector<ReceivedHop>& hops, size_t edge_index,
                       ReceivedEdge* edge) {
  if (edge_index + 1 >= hops.size()) return;
  const ReceivedHop& edge_hop = hops[edge_index];
  const ReceivedHop& below = hops[edge_index + 1];
  std::string_view client = ClientName(edge_hop);
  if (client.empty() || below.by.empty() || !SameOrganisation(client, below.by)) return;
  std::string_view origin = ClientName(below);
  // A login is the author's client submitting, not a server passing mail on.
  if (below.authenticated || !IsPublic(below) ||
      (!origin.empty() && SameOrganisation(origin, below.by)))
    return;
  edge->reasoning.push_back(
      HopLabel(edge_index + 1) + ": before that, " + ByName(below) + " received the message from " +
      DescribeClient(below) + ": " + Shown(RegistrableDomain(below.by)) +
      " relayed or forwarded it, so the recipient judged " + Shown(RegistrableDomain(below.by)) +
      "'s address, not the original sender's");
}

// The best-guess rule: the topmost hop with a public client address whose
// receiving host is in another organisation than the client.
void GuessEdge(const std::vector<ReceivedHop>& hops, ReceivedEdge* edge) {
  for (size_t i = 0; i < hops.size(); ++i) {
    const ReceivedHop& hop = hops[i];
    if (!IsPublic(hop)) continue;
    std::string_view client = ClientName(hop);
    if (!client.empty() && !hop.by.empty() && SameOrganisation(client, hop.by)) continue;
    FillEdge(hop, i, /*guessed=*/true, edge);
    edge->reasoning.push_back(HopLabel(i) + ": " + ByName(hop) + " received from " +
                              DescribeClient(hop) +
                              ": the topmost hop from a public address in another organisation, "
                              "a best guess at the address the recipient saw");
    ExplainForwarding(hops, i, edge);
    return;
  }
  edge->reasoning.push_back(
      "no hop came from a public address in another organisation: no sending edge found");
}

void ComputeDelays(std::vector<ReceivedHop>* hops, std::vector<std::string>* warnings) {
  for (size_t i = 0; i + 1 < hops->size(); ++i) {
    ReceivedHop& newer = (*hops)[i];
    const ReceivedHop& older = (*hops)[i + 1];
    if (newer.unix_time == 0 || older.unix_time == 0) continue;
    const int64_t delay = newer.unix_time - older.unix_time;
    if (delay >= 0) {
      newer.delay_seconds = delay;
    } else {
      newer.delay_seconds = 0;
      newer.clock_skew_seconds = -delay;
      if (warnings != nullptr) {
        warnings->push_back("received: " + HopLabel(i) + " is dated " + std::to_string(-delay) +
                            " s before " + HopLabel(i + 1) + ": the servers' clocks disagree");
      }
    }
  }
}

}  // namespace

std::string RegistrableDomain(std::string_view host) {
  host = StripTrailingDot(Trim(host));
  if (host.empty() || host.front() == '[' || IsAddressWord(host)) return {};
  std::vector<std::string_view> labels;
  labels.reserve(8);  // host names have a handful
  size_t start = 0;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    if (dot == std::string_view::npos) dot = host.size();
    labels.push_back(host.substr(start, dot - start));
    start = dot + 1;
    if (labels.size() > 127) return {};
  }
  if (labels.size() < 2) return {};
  for (std::string_view label : labels) {
    if (label.empty()) return {};
  }
  size_t keep = 2;
  if (labels.size() >= 3 && labels.back().size() == 2) {
    static constexpr std::string_view kSecondLevel[] = {
        "co", "com", "net", "org", "ac",  "gov", "edu", "ne",   "or", "go",
        "gv", "mil", "nom", "sch", "ltd", "plc", "gob", "gouv", "nic"};
    std::string second = ToLower(labels[labels.size() - 2]);
    if (std::find(std::begin(kSecondLevel), std::end(kSecondLevel), second) !=
        std::end(kSecondLevel))
      keep = 3;
  }
  // The kept labels, lower-cased as they are joined.
  std::string out;
  for (size_t i = labels.size() - keep; i < labels.size(); ++i) {
    if (!out.empty()) out.push_back('.');
    for (char c : labels[i]) out.push_back(ToLowerAscii(c));
  }
  return out;
}

std::string_view KnownProviderOf(std::string_view host) {
  return ProviderOfRegistrable(RegistrableDomain(host));
}

bool SameOrganisation(std::string_view a, std::string_view b) {
  std::string left = RegistrableDomain(a);
  std::string right = RegistrableDomain(b);
  if (left.empty() || right.empty()) return false;
  if (left == right) return true;
  std::string_view provider = ProviderOfRegistrable(left);
  return !provider.empty() && provider == ProviderOfRegistrable(right);
}

ReceivedChain AnalyseReceived(const HeaderBlock& block, std::string_view recipient_domain,
                              const std::vector<std::string>& recipient_mx_hosts,
                              std::vector<std::string>* warnings) {
  ReceivedChain chain;
  for (const HeaderField* field : block.FindAll("Received")) {
    ReceivedHop hop = ParseReceived(field->value);
    hop.field_offset = field->offset;
    if (hop.empty() && warnings != nullptr) {
      warnings->push_back("received: field at offset " + std::to_string(field->offset) +
                          ": nothing readable in \"" + Printable(field->value, 60) + "\"");
    }
    chain.hops.push_back(std::move(hop));
  }
  ComputeDelays(&chain.hops, warnings);
  ReceivedEdge& edge = chain.edge;
  if (chain.hops.empty()) {
    edge.reasoning.push_back("no Received header: the sending edge cannot be read from headers");
    return chain;
  }

  recipient_domain = StripTrailingDot(Trim(recipient_domain));
  if (recipient_domain.empty()) {
    edge.reasoning.push_back("the recipient domain is not known: the edge below is a best guess");
    GuessEdge(chain.hops, &edge);
    return chain;
  }

  Organisation organisation;
  organisation.AddHost(recipient_domain);
  for (const std::string& mx : recipient_mx_hosts) organisation.AddHost(mx);
  if (recipient_mx_hosts.empty()) {
    for (const ReceivedHop& hop : chain.hops) {
      if (IsInternalName(hop.by)) continue;
      organisation.AddProvider(KnownProviderOf(hop.by));
      break;
    }
  }
  std::string description = "recipient's servers: " + Shown(recipient_domain);
  for (const std::string& domain : organisation.domains) {
    if (domain != RegistrableDomain(recipient_domain)) description += ", " + Shown(domain);
  }
  for (std::string_view provider : organisation.providers) {
    description += ", " + std::string(provider) + "'s hosts";
  }
  edge.reasoning.push_back(description);

  bool seen_inside = false;
  for (size_t i = 0; i < chain.hops.size(); ++i) {
    const ReceivedHop& hop = chain.hops[i];
    const bool by_inside = organisation.Contains(hop.by) || (seen_inside && IsInternalName(hop.by));
    if (!by_inside) {
      if (!seen_inside) {
        edge.reasoning.push_back(HopLabel(i) + ": written by " + ByName(hop) +
                                 ", not one of the recipient's servers: skipped");
        continue;
      }
      edge.reasoning.push_back(HopLabel(i) + ": written by " + ByName(hop) +
                               ", outside the recipient's servers, yet every hop above came "
                               "from inside: no sending edge found");
      return chain;
    }
    seen_inside = true;
    const std::string head =
        HopLabel(i) + ": " + ByName(hop) + " received from " + DescribeClient(hop) + ": ";
    if (hop.address.family != dns::IpFamily::kNone && !IsPublic(hop)) {
      std::string scope = dns::IpScopeName(dns::ClassifyIp(hop.address));
      std::replace(scope.begin(), scope.end(), '_', ' ');
      edge.reasoning.push_back(head + hop.ip + " is not a public address (" + scope +
                               "), an internal step");
      continue;
    }
    std::string_view client = ClientName(hop);
    if (client.empty() && hop.ip.empty()) {
      edge.reasoning.push_back(head + "no client named, an internal step");
      continue;
    }
    if (!client.empty() && organisation.Contains(client)) {
      edge.reasoning.push_back(head + "inside " + organisation.Label(client) +
                               ", an internal step");
      continue;
    }
    FillEdge(hop, i, /*guessed=*/false, &edge);
    std::string line = head + "the first server outside " + organisation.Label(hop.by) +
                       ", so this is the address " + organisation.Judge(hop.by) + " judged";
    if (hop.ip.empty()) line += " (the header gives no address for it)";
    edge.reasoning.push_back(line);
    ExplainForwarding(chain.hops, i, &edge);
    return chain;
  }

  if (!seen_inside) {
    edge.reasoning.push_back(
        "no hop was written by the recipient's servers (these may be the headers a bounce "
        "returns, written before the message left the sender): the edge below is a best guess");
    GuessEdge(chain.hops, &edge);
    return chain;
  }
  edge.reasoning.push_back(
      "every hop came from inside the recipient's servers: no sending edge found");
  return chain;
}

}  // namespace bouncedx::mail
