// SPDX-License-Identifier: MIT
#ifndef BOUNCEDX_CORE_BASE_BYTE_READER_H_
#define BOUNCEDX_CORE_BASE_BYTE_READER_H_

// A cursor over untrusted bytes that checks every length before it moves.
// Every parser in the core reads input through a ByteReader; none does
// pointer arithmetic of its own. A failed read leaves the position unchanged
// and returns false, so callers can try alternatives.
//
//   ByteReader reader(wire);
//   uint16_t id = 0;
//   if (!reader.ReadU16(&id)) return Status(StatusCode::kTruncated, "header");

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace bouncedx {

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}

  // Copyable: a copy is an independent cursor over the same bytes, which is
  // how callers look ahead and backtrack.
  ByteReader(const ByteReader&) = default;
  ByteReader& operator=(const ByteReader&) = default;

  size_t position() const { return pos_; }
  size_t size() const { return data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }
  bool AtEnd() const { return pos_ >= data_.size(); }
  std::string_view data() const { return data_; }
  std::string_view Rest() const { return data_.substr(pos_); }

  // Moves to `position`; returns false (and stays) when past the end.
  bool Seek(size_t position);
  // Skips `count` bytes; returns false (and stays) when fewer remain.
  bool Skip(size_t count);

  // Sets *out to the next byte without consuming it; false at the end.
  bool Peek(char* out) const;
  bool PeekIs(char c) const;

  bool ReadU8(uint8_t* out);
  // Big-endian (network order) integers, as DNS writes them.
  bool ReadU16(uint16_t* out);
  bool ReadU32(uint32_t* out);
  // Sets *out to the next `count` bytes (a view into the input).
  bool ReadBytes(size_t count, std::string_view* out);

  // Consumes `c` if it is next.
  bool Consume(char c);
  // Consumes `word` if it is next, ASCII case-insensitively.
  bool ConsumeCaseless(std::string_view word);
  // Consumes one digit that is among `allowed` ("245") and stores its value.
  bool ReadDigitIn(std::string_view allowed, int* out);
  // Reads 1..max_digits decimal digits (max_digits <= 9) and stores the value.
  // Fails, without moving, when no digit is next or more than max_digits are.
  bool ReadNumber(int max_digits, int* out);
  // Consumes spaces and tabs; returns how many.
  size_t SkipBlanks();
  // Consumes bytes while `pred` holds and returns them.
  template <typename Pred>
  std::string_view ReadWhile(Pred pred) {
    size_t start = pos_;
    while (pos_ < data_.size() && pred(data_[pos_])) ++pos_;
    return data_.substr(start, pos_ - start);
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace bouncedx

#endif  // BOUNCEDX_CORE_BASE_BYTE_READER_H_
