// SPDX-License-Identifier: MIT
#include "core/report/report_json.h"

#include <cstdint>
#include <string_view>

#include "core/report/json_writer.h"

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

// Report fields as JSON members; the order of calls is the order of keys in
// SCHEMA.md.
class ReportWriter {
 public:
  explicit ReportWriter(std::string* out) : json_(out) {}

  void Field(std::string_view key, std::string_view value) { json_.PlainKeyString(key, value); }
  void Field(std::string_view key, const char* value) { Field(key, std::string_view(value)); }
  void Field(std::string_view key, const std::string& value) { Field(key, std::string_view(value)); }
  void Field(std::string_view key, bool value) {
    json_.PlainKey(key);
    json_.Bool(value);
  }
  void Field(std::string_view key, int value) {
    json_.PlainKey(key);
    json_.Int(value);
  }
  void Field(std::string_view key, int64_t value) {
    json_.PlainKey(key);
    json_.Int(value);
  }
  void Field(std::string_view key, uint32_t value) {
    json_.PlainKey(key);
    json_.Uint(value);
  }
  void Field(std::string_view key, size_t value) {
    json_.PlainKey(key);
    json_.Uint(value);
  }
  void Strings(std::string_view key, const std::vector<std::string>& items) {
    json_.PlainKey(key);
    json_.BeginArray();
    for (const std::string& item : items) json_.String(item);
    json_.EndArray();
  }
  void Links(std::string_view key, const std::vector<Link>& links) {
    json_.PlainKey(key);
    json_.BeginArray();
    for (const Link& link : links) {
      json_.BeginObject();
      Field("label", link.label);
      Field("url", link.url);
      json_.EndObject();
    }
    json_.EndArray();
  }
  // Opens an object or array member.
  void Object(std::string_view key) {
    json_.PlainKey(key);
    json_.BeginObject();
  }
  void Array(std::string_view key) {
    json_.PlainKey(key);
    json_.BeginArray();
  }
  JsonWriter& json() { return json_; }

 private:
  JsonWriter json_;
};

}  // namespace

std::string ReportToJson(const Report& report) {
  std::string out;
  out.reserve(4096);
  AppendReportJson(report, &out);
  return out;
}

void AppendReportJson(const Report& report, std::string* out) {
  ReportWriter w(out);
  JsonWriter& json = w.json();
  json.BeginObject();
  w.Field("schema", kReportSchema);
  w.Field("input_id", report.input_id);
  w.Field("input_kind", InputKindName(report.input_kind));
  w.Field("input_bytes", report.input_bytes);
  w.Field("analysed_bytes", report.analysed_bytes);
  w.Strings("warnings", report.warnings);

  w.Array("recipients");
  for (const Recipient& r : report.recipients) {
    json.BeginObject();
    w.Field("address", r.address);
    w.Field("action", r.action);
    w.Field("reply_code", r.reply_code);
    w.Field("enhanced_code", r.enhanced_code);
    w.Array("meanings");
    for (const CodeMeaning& m : r.meanings) {
      json.BeginObject();
      w.Field("code", m.code);
      w.Field("meaning", m.meaning);
      w.Field("note", m.note);
      json.EndObject();
    }
    json.EndArray();
    w.Field("remote_mta", r.remote_mta);
    w.Field("diagnostic", r.diagnostic);
    w.Field("last_command", r.last_command);
    w.Field("cause_id", r.cause_id);
    json.EndObject();
  }
  json.EndArray();

  const Verdict& v = report.verdict;
  w.Object("verdict");
  w.Field("cause_id", v.cause_id);
  w.Field("cause_class", v.cause_class);
  w.Field("severity", v.severity);
  w.Field("title", v.title);
  w.Field("confidence", v.confidence);
  w.Field("basis", v.basis);
  w.Field("provider_id", v.provider_id);
  w.Field("provider_name", v.provider_name);
  w.Field("rejecting_host", v.rejecting_host);
  w.Field("reporter_id", v.reporter_id);
  w.Field("reporter_name", v.reporter_name);
  w.Field("signature_id", v.signature_id);
  w.Field("generic", v.generic);
  w.Strings("alternatives", v.alternatives);
  w.Strings("conflicts", v.conflicts);
  json.EndObject();

  w.Array("evidence");
  for (const EvidenceSpan& e : report.evidence) {
    json.BeginObject();
    w.Field("begin", e.begin);
    w.Field("end", e.end);
    w.Field("signal", e.signal);
    w.Field("text", e.text);
    w.Field("cause_id", e.cause_id);
    json.EndObject();
  }
  json.EndArray();
  w.Object("explanation");
  w.Field("summary", report.explanation.summary);
  w.Field("detail", report.explanation.detail);
  json.EndObject();

  w.Array("fix");
  for (const FixStep& step : report.fix) {
    json.BeginObject();
    w.Field("who", step.who);
    w.Field("who_label", step.who_label);
    w.Field("text", step.text);
    w.Links("links", step.links);
    json.EndObject();
  }
  json.EndArray();
  w.Links("links", report.links);

  const Entities& en = report.entities;
  w.Object("entities");
  w.Field("sending_ip", en.sending_ip);
  w.Field("helo", en.helo);
  w.Field("envelope_sender_domain", en.envelope_sender_domain);
  w.Field("header_from_domain", en.header_from_domain);
  w.Field("recipient_domain", en.recipient_domain);
  w.Field("blocklist_zone", en.blocklist_zone);
  w.Array("dkim");
  for (const DkimSelector& d : en.dkim) {
    json.BeginObject();
    w.Field("domain", d.domain);
    w.Field("selector", d.selector);
    json.EndObject();
  }
  json.EndArray();
  w.Field("list_unsubscribe", en.list_unsubscribe);
  w.Field("one_click_unsubscribe", en.one_click_unsubscribe);
  json.EndObject();

  const OriginalMessage& o = report.original;
  w.Object("original");
  w.Field("present", o.present);
  w.Field("from", o.from);
  w.Field("to", o.to);
  w.Field("subject", o.subject);
  w.Field("date", o.date);
  w.Field("message_id", o.message_id);
  w.Field("return_path", o.return_path);
  json.EndObject();

  w.Array("hops");
  for (const Hop& h : report.hops) {
    json.BeginObject();
    w.Field("from_helo", h.from_helo);
    w.Field("from_rdns", h.from_rdns);
    w.Field("from_ip", h.from_ip);
    w.Field("by", h.by);
    w.Field("with", h.with);
    w.Field("protocol", h.protocol);
    w.Field("tls", h.tls);
    w.Field("id", h.id);
    w.Field("time", h.time);
    w.Field("unix_time", h.unix_time);
    w.Field("delay_seconds", h.delay_seconds);
    w.Field("edge", h.edge);
    json.EndObject();
  }
  json.EndArray();

  const Edge& e = report.edge;
  w.Object("edge");
  w.Field("found", e.found);
  w.Field("guessed", e.guessed);
  w.Field("hop", e.hop);
  w.Field("ip", e.ip);
  w.Field("helo", e.helo);
  w.Field("rdns", e.rdns);
  w.Field("by", e.by);
  w.Strings("reasoning", e.reasoning);
  json.EndObject();

  w.Array("auth_results");
  for (const AuthResult& a : report.auth_results) {
    json.BeginObject();
    w.Field("method", a.method);
    w.Field("result", a.result);
    w.Field("detail", a.detail);
    w.Field("authserv_id", a.authserv_id);
    w.Field("header", a.header);
    w.Field("trusted", a.trusted);
    w.Field("domain", a.domain);
    json.EndObject();
  }
  json.EndArray();

  w.Array("header_findings");
  for (const HeaderFinding& f : report.header_findings) {
    json.BeginObject();
    w.Field("header", f.header);
    w.Field("field", f.field);
    w.Field("value", f.value);
    w.Field("meaning", f.meaning);
    json.EndObject();
  }
  json.EndArray();

  w.Array("checks");
  for (const Check& c : report.checks) {
    json.BeginObject();
    w.Field("id", c.id);
    w.Field("subject", c.subject);
    w.Field("state", CheckStateName(c.state));
    w.Field("summary", c.summary);
    w.Strings("details", c.details);
    w.Array("records");
    for (const DnsRecord& r : c.records) {
      json.BeginObject();
      w.Field("name", r.name);
      w.Field("type", r.type);
      w.Field("ttl", r.ttl);
      w.Field("data", r.data);
      json.EndObject();
    }
    json.EndArray();
    w.Field("cause_id", c.cause_id);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
}

}  // namespace bouncedx
