// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_REPORT_JSON_WRITER_H_
#define BOUNCEDX_CORE_REPORT_JSON_WRITER_H_

// Writes compact JSON straight into a string, with no tree in between: the
// Report JSON is written once per diagnosis, and building a document tree of
// a hundred small nodes only to print it cost more than the diagnosis's
// parsing. The text is the same, byte for byte, as nlohmann::json's dump()
// with no indent, ensure_ascii false and error_handler_t::replace: keys and
// strings escaped the same way, integers in decimal. Callers give keys in
// the order they are to appear; nothing is sorted or de-duplicated.
//
//   std::string out;
//   JsonWriter json(&out);
//   json.BeginObject();
//   json.Key("schema"); json.Int(1);
//   json.Key("warnings"); json.BeginArray(); json.String("cut"); json.EndArray();
//   json.EndObject();   // out == R"({"schema":1,"warnings":["cut"]})"
//
// The writer checks nothing about nesting: a caller that closes what it did
// not open gets malformed JSON (our one caller is report_json.cc).

#include <cstdint>
#include <string>
#include <string_view>

namespace bouncedx {

class JsonWriter {
 public:
  // Appends to `*out`, which must outlive the writer.
  explicit JsonWriter(std::string* out) : out_(out) {}

  // Copying would let two writers append to one string unaware of each other.
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // An object member's name; its value follows.
  void Key(std::string_view key);
  // A JSON string. Valid UTF-8 is copied except for the characters JSON
  // requires escaped; invalid bytes become U+FFFD as nlohmann's replace
  // handler makes them.
  void String(std::string_view value);
  void Int(int64_t value);
  void Uint(uint64_t value);
  void Bool(bool value);

 private:
  void Separate();
  void AppendDigits(uint64_t value);

  std::string* out_;
  bool need_comma_ = false;
};

// Appends `value` as a JSON string literal (quotes included) to `*out`, as
// JsonWriter::String does.
void AppendJsonString(std::string* out, std::string_view value);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_REPORT_JSON_WRITER_H_
