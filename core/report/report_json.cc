// SPDX-License-Identifier: MIT
#include "core/report/report_json.h"

#include <nlohmann/json.hpp>

namespace bouncedx {

const char* InputKindName(InputKind kind) {
  switch (kind) {
    case InputKind::kEmpty: return "empty";
    case InputKind::kBinary: return "binary";
    case InputKind::kSmtpReply: return "smtp_reply";
    case InputKind::kBounce: return "bounce";
    case InputKind::kHeaders: return "headers";
    case InputKind::kText: return "text";
  }
  return "text";
}

const char* CheckStateName(CheckState state) {
  switch (state) {
    case CheckState::kPending: return "pending";
    case CheckState::kPass: return "pass";
    case CheckState::kWarn: return "warn";
    case CheckState::kFail: return "fail";
    case CheckState::kInfo: return "info";
    case CheckState::kError: return "error";
  }
  return "error";
}

namespace {

using Json = nlohmann::ordered_json;

Json LinksJson(const std::vector<Link>& links) {
  Json out = Json::array();
  for (const Link& link : links) out.push_back({{"label", link.label}, {"url", link.url}});
  return out;
}

Json StringsJson(const std::vector<std::string>& items) {
  Json out = Json::array();
  for (const std::string& item : items) out.push_back(item);
  return out;
}

}  // namespace

std::string ReportToJson(const Report& report) {
  Json root;
  root["schema"] = kReportSchema;
  root["input_id"] = report.input_id;
  root["input_kind"] = InputKindName(report.input_kind);
  root["input_bytes"] = report.input_bytes;
  root["analysed_bytes"] = report.analysed_bytes;
  root["warnings"] = StringsJson(report.warnings);

  Json recipients = Json::array();
  for (const Recipient& r : report.recipients) {
    Json meanings = Json::array();
    for (const CodeMeaning& m : r.meanings) {
      meanings.push_back({{"code", m.code}, {"meaning", m.meaning}, {"note", m.note}});
    }
    recipients.push_back({{"address", r.address},
                          {"action", r.action},
                          {"reply_code", r.reply_code},
                          {"enhanced_code", r.enhanced_code},
                          {"meanings", meanings},
                          {"remote_mta", r.remote_mta},
                          {"diagnostic", r.diagnostic},
                          {"last_command", r.last_command},
                          {"cause_id", r.cause_id}});
  }
  root["recipients"] = recipients;

  const Verdict& v = report.verdict;
  root["verdict"] = {{"cause_id", v.cause_id},
                     {"cause_class", v.cause_class},
                     {"severity", v.severity},
                     {"title", v.title},
                     {"confidence", v.confidence},
                     {"basis", v.basis},
                     {"provider_id", v.provider_id},
                     {"provider_name", v.provider_name},
                     {"rejecting_host", v.rejecting_host},
                     {"reporter_id", v.reporter_id},
                     {"reporter_name", v.reporter_name},
                     {"signature_id", v.signature_id},
                     {"generic", v.generic},
                     {"alternatives", StringsJson(v.alternatives)},
                     {"conflicts", StringsJson(v.conflicts)}};

  Json evidence = Json::array();
  for (const EvidenceSpan& e : report.evidence) {
    evidence.push_back({{"begin", e.begin},
                        {"end", e.end},
                        {"signal", e.signal},
                        {"text", e.text},
                        {"cause_id", e.cause_id}});
  }
  root["evidence"] = evidence;
  root["explanation"] = {{"summary", report.explanation.summary},
                         {"detail", report.explanation.detail}};

  Json fix = Json::array();
  for (const FixStep& step : report.fix) {
    fix.push_back({{"who", step.who},
                   {"who_label", step.who_label},
                   {"text", step.text},
                   {"links", LinksJson(step.links)}});
  }
  root["fix"] = fix;
  root["links"] = LinksJson(report.links);

  const Entities& en = report.entities;
  Json dkim = Json::array();
  for (const DkimSelector& d : en.dkim) dkim.push_back({{"domain", d.domain}, {"selector", d.selector}});
  root["entities"] = {{"sending_ip", en.sending_ip},
                      {"helo", en.helo},
                      {"envelope_sender_domain", en.envelope_sender_domain},
                      {"header_from_domain", en.header_from_domain},
                      {"recipient_domain", en.recipient_domain},
                      {"blocklist_zone", en.blocklist_zone},
                      {"dkim", dkim},
                      {"list_unsubscribe", en.list_unsubscribe},
                      {"one_click_unsubscribe", en.one_click_unsubscribe}};

  const OriginalMessage& o = report.original;
  root["original"] = {{"present", o.present},   {"from", o.from},
                      {"to", o.to},             {"subject", o.subject},
                      {"date", o.date},         {"message_id", o.message_id},
                      {"return_path", o.return_path}};

  Json hops = Json::array();
  for (const Hop& h : report.hops) {
    hops.push_back({{"from_helo", h.from_helo},
                    {"from_rdns", h.from_rdns},
                    {"from_ip", h.from_ip},
                    {"by", h.by},
                    {"with", h.with},
                    {"protocol", h.protocol},
                    {"tls", h.tls},
                    {"id", h.id},
                    {"time", h.time},
                    {"unix_time", h.unix_time},
                    {"delay_seconds", h.delay_seconds},
                    {"edge", h.edge}});
  }
  root["hops"] = hops;

  const Edge& e = report.edge;
  root["edge"] = {{"found", e.found}, {"guessed", e.guessed}, {"hop", e.hop},
                  {"ip", e.ip},       {"helo", e.helo},       {"rdns", e.rdns},
                  {"by", e.by},       {"reasoning", StringsJson(e.reasoning)}};

  Json auth = Json::array();
  for (const AuthResult& a : report.auth_results) {
    auth.push_back({{"method", a.method},
                    {"result", a.result},
                    {"detail", a.detail},
                    {"authserv_id", a.authserv_id},
                    {"header", a.header},
                    {"trusted", a.trusted},
                    {"domain", a.domain}});
  }
  root["auth_results"] = auth;

  Json findings = Json::array();
  for (const HeaderFinding& f : report.header_findings) {
    findings.push_back({{"header", f.header}, {"field", f.field}, {"value", f.value},
                        {"meaning", f.meaning}});
  }
  root["header_findings"] = findings;

  Json checks = Json::array();
  for (const Check& c : report.checks) {
    Json records = Json::array();
    for (const DnsRecord& r : c.records) {
      records.push_back({{"name", r.name}, {"type", r.type}, {"ttl", r.ttl}, {"data", r.data}});
    }
    checks.push_back({{"id", c.id},
                      {"subject", c.subject},
                      {"state", CheckStateName(c.state)},
                      {"summary", c.summary},
                      {"details", StringsJson(c.details)},
                      {"records", records},
                      {"cause_id", c.cause_id}});
  }
  root["checks"] = checks;
  // Invalid UTF-8 cannot reach here (fields pass through Printable), but
  // replace rather than abort if one ever does.
  return root.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace bouncedx
