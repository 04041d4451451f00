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
// While a container is open the writer owns the end of `out`: it grows the
// string ahead of what it writes and writes through a cursor (one bounds
// check per value instead of one per byte appended), so `out` may hold
// spare bytes at its end. Whenever no container is open, `out` holds
// exactly what was written, as when the outermost one closes above.
//
// The writer checks nothing about nesting: a caller that closes what it did
// not open gets malformed JSON (our one caller is report_json.cc).

#include <cstdint>
#include <string>
#include <string_view>

namespace bouncedx {

class JsonWriter {
 public:
  // Appends to `*out`, which must outlive the writer and must not be
  // touched by anyone else while a container is open.
  explicit JsonWriter(std::string* out);
  // Trims spare bytes if a container was left open.
  ~JsonWriter();

  // Copying would let two writers append to one string unaware of each other.
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // An object member's name; its value follows.
  void Key(std::string_view key);
  // An object member's name that is copied between quotes as it is, without
  // the escaping scan: for names fixed in the program, such as every key of
  // the Report. `key` must be printable ASCII other than '"' and '\\'
  // (IsPlainJsonKey); debug builds check, and a test walks every key the
  // Report writer uses.
  void PlainKey(std::string_view key);
  // PlainKey(key) then String(value), with one check for room: the Report's
  // most common member.
  void PlainKeyString(std::string_view key, std::string_view value);
  // A JSON string. Valid UTF-8 is copied except for the characters JSON
  // requires escaped; invalid bytes become U+FFFD as nlohmann's replace
  // handler makes them.
  void String(std::string_view value);
  void Int(int64_t value);
  void Uint(uint64_t value);
  void Bool(bool value);

 private:
  // Room for `bytes` more bytes at the cursor; returns the cursor.
  char* Room(size_t bytes) {
    if (static_cast<size_t>(end_ - pos_) < bytes) Grow(bytes);
    return pos_;
  }
  void Grow(size_t bytes);
  // Ends a value: sets the string's size to what was written when no
  // container is open.
  void Finish() {
    need_comma_ = true;
    if (depth_ == 0) Trim();
  }
  void Trim();
  void Open(char bracket);
  void Close(char bracket);
  void AppendDigits(uint64_t value);

  std::string* out_;
  char* pos_;  // where the next byte goes, inside *out_
  char* end_;  // end of the bytes of *out_ the cursor may fill
  int depth_ = 0;
  bool need_comma_ = false;
};

// True when `key` can be written with JsonWriter::PlainKey(): printable
// ASCII with no '"' or '\\', so its JSON form is its bytes between quotes.
constexpr bool IsPlainJsonKey(std::string_view key) {
  for (char c : key) {
    if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') return false;
  }
  return true;
}

// Appends `value` as a JSON string literal (quotes included) to `*out`, as
// JsonWriter::String does.
void AppendJsonString(std::string* out, std::string_view value);

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_REPORT_JSON_WRITER_H_
