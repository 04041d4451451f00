// SPDX-License-Identifier: MIT
#include "core/engine/bounce.h"

#include <iterator>

#include "core/base/caseless_finder.h"
#include "core/base/text.h"
#include "core/mail/encoded_words.h"
#include "core/mail/headers.h"
#include "core/mail/mime.h"

namespace bouncedx {

namespace {

// Lines after which plain-text bounces quote the original message.
constexpr std::string_view kOriginalMarkers[] = {
    "------ This is a copy of the message, including all the headers.",  // Exim
    "------ This is a copy of the message's headers.",                     // Exim
    "--- Below this line is a copy of the message.",                       // qmail
    "--- Enclosed is a copy of the message.",                              // qmail variants
    "----- Original message follows -----",                                // Sendmail (non-MIME)
    "------ Original message follows",
    "----- Unsent message follows -----",                                  // Sendmail
    "----- Message header follows -----",
    "------ Original message ------",
    "Original message headers:",                                           // Exchange text NDRs
};
// Not "-----Original Message-----" or "Forwarded message": a person who
// forwards a bounce puts the bounce itself below those lines.

void Blank(std::string* text, size_t begin, size_t end) {
  if (end > text->size()) end = text->size();
  for (size_t i = begin; i < end; ++i) {
    char& c = (*text)[i];
    if (c != '\n' && c != '\r') c = ' ';
  }
}

void FillOriginal(const mail::HeaderBlock& block, ReturnedOriginal* original) {
  original->present = true;
  auto value = [&](std::string_view name) -> std::string {
    const mail::HeaderField* field = block.Find(name);
    if (field == nullptr) return std::string();
    return Printable(mail::DecodeEncodedWords(field->value, nullptr), 500);
  };
  original->from = value("From");
  original->to = value("To");
  original->subject = value("Subject");
  original->date = value("Date");
  original->message_id = value("Message-ID");
  original->return_path = value("Return-Path");
}

}  // namespace

void BounceParts::MapToInput(size_t* begin, size_t* end) const {
  if (*begin < input_size) {
    if (*end > input_size) *end = input_size;
    return;
  }
  for (const Appended& part : appended) {
    if (*begin >= part.begin && *begin < part.end) {
      *begin = part.raw_begin;
      *end = part.raw_end;
      return;
    }
  }
  *begin = *end = input_size;
}

BounceParts DissectBounce(std::string_view input, const Limits& limits,
                          std::vector<std::string>* warnings) {
  BounceParts parts;
  parts.input_size = input.size();
  parts.analysis.assign(input.data(), input.size());

  std::vector<std::string> mime_warnings;
  mail::MimeMessage message = mail::ParseMime(input, limits, &mime_warnings);
  const mail::MimePart& top = message.parts.front();
  parts.mime = !top.content_type.defaulted || top.children.size() > 0;
  if (const mail::HeaderField* auto_submitted = top.headers.Find("Auto-Submitted")) {
    parts.auto_submitted = ToLower(Trim(auto_submitted->value));
  }
  for (const mail::HeaderField* field : top.headers.FindAll("X-Failed-Recipients")) {
    for (const mail::Address& address : mail::ParseAddressList(field->value, 100)) {
      if (!address.addr_spec.empty()) parts.failed_recipients.push_back(address.addr_spec);
    }
  }
  if (top.content_type.Is("multipart", "report")) {
    if (const std::string* type = top.content_type.Param("report-type")) parts.report_type = ToLower(*type);
  }
  // The bounce's own Subject often repeats the original subject.
  if (const mail::HeaderField* subject = top.headers.Find("Subject")) {
    if (subject->value_offset < subject->end) Blank(&parts.analysis, subject->value_offset, subject->end);
  }

  if (parts.mime) {
    for (const std::string& warning : mime_warnings) warnings->push_back(warning);
    // Which parts belong to a returned original.
    std::vector<bool> returned(message.parts.size(), false);
    for (size_t i = 0; i < message.parts.size(); ++i) {
      const mail::MimePart& part = message.parts[i];
      if (part.parent >= 0 && returned[static_cast<size_t>(part.parent)]) returned[i] = true;
      const mail::ContentType& type = part.content_type;
      bool original = type.Is("message", "rfc822") || type.Is("message", "global") ||
                      type.Is("text", "rfc822-headers") || type.Is("message", "global-headers");
      if (original && i > 0) {
        returned[i] = true;
        if (!parts.original.present) {
          // message/rfc822: the embedded message is the first child;
          // text/rfc822-headers: the body is a header block.
          if (!part.children.empty()) {
            const mail::MimePart& inner = message.parts[static_cast<size_t>(part.children.front())];
            FillOriginal(inner.headers, &parts.original);
            size_t end = inner.headers.end;
            size_t begin = inner.headers.begin;
            if (inner.in_input && end > begin && end <= input.size()) {
              parts.original.headers.assign(input.substr(begin, end - begin));
            }
          } else {
            std::vector<std::string> ignored;
            mail::HeaderBlock block = mail::ParseHeaders(part.body, 0, limits, &ignored);
            FillOriginal(block, &parts.original);
            parts.original.headers = part.body.substr(0, block.end);
          }
        }
        if (part.in_input) Blank(&parts.analysis, part.body_begin, part.end);
        continue;
      }
      if (returned[i]) continue;
      if ((type.Is("message", "delivery-status") || type.Is("message", "global-delivery-status")) &&
          !parts.has_dsn) {
        parts.dsn = mail::ParseDsn(part.body, limits, warnings);
        parts.has_dsn = true;
        continue;
      }
      // A text part whose bytes differ from the input (encoded or another
      // charset): append its decoded text for the classifier.
      if (type.type == "text" && part.children.empty() && !part.body_is_raw && !part.body.empty() &&
          part.in_input) {
        BounceParts::Appended appended;
        parts.analysis.push_back('\n');
        appended.begin = parts.analysis.size();
        parts.analysis.append(part.body, 0, limits.max_input_bytes);
        appended.end = parts.analysis.size();
        appended.raw_begin = part.body_begin;
        appended.raw_end = part.body_end;
        parts.appended.push_back(appended);
        // The encoded bytes themselves say nothing to a signature.
        Blank(&parts.analysis, part.body_begin, part.body_end);
      }
    }
    return parts;
  }

  // No MIME: cut a quoted original at the plain-text markers.
  // The earliest marker, found in one pass for all of them.
  static const CaselessFinder* const original_markers = new CaselessFinder(
      std::vector<std::string_view>(std::begin(kOriginalMarkers), std::end(kOriginalMarkers)));
  const size_t cut = original_markers->Find(input).position;
  if (cut != std::string_view::npos) {
    size_t headers_at = input.find('\n', cut);
    if (headers_at != std::string_view::npos) {
      ++headers_at;
      while (headers_at < input.size() && (input[headers_at] == '\n' || input[headers_at] == '\r')) {
        ++headers_at;
      }
      std::vector<std::string> ignored;
      mail::HeaderBlock block = mail::ParseHeaders(input, headers_at, limits, &ignored);
      if (block.fields.size() >= 2) {
        FillOriginal(block, &parts.original);
        parts.original.headers.assign(input.substr(block.begin, block.end - block.begin));
      }
    }
    Blank(&parts.analysis, cut, input.size());
  }
  return parts;
}

}  // namespace bouncedx
