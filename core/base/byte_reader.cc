// SPDX-License-Identifier: MIT
#include "core/base/byte_reader.h"

#include "core/base/text.h"

namespace bouncedx {

bool ByteReader::Seek(size_t position) {
  if (position > data_.size()) return false;
  pos_ = position;
  return true;
}

bool ByteReader::Skip(size_t count) {
  if (count > remaining()) return false;
  pos_ += count;
  return true;
}

bool ByteReader::Peek(char* out) const {
  if (AtEnd()) return false;
  *out = data_[pos_];
  return true;
}

bool ByteReader::PeekIs(char c) const { return !AtEnd() && data_[pos_] == c; }

bool ByteReader::ReadU8(uint8_t* out) {
  if (remaining() < 1) return false;
  *out = static_cast<uint8_t>(data_[pos_]);
  pos_ += 1;
  return true;
}

bool ByteReader::ReadU16(uint16_t* out) {
  if (remaining() < 2) return false;
  *out = static_cast<uint16_t>((static_cast<uint8_t>(data_[pos_]) << 8) |
                               static_cast<uint8_t>(data_[pos_ + 1]));
  pos_ += 2;
  return true;
}

bool ByteReader::ReadU32(uint32_t* out) {
  if (remaining() < 4) return false;
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    value = (value << 8) | static_cast<uint8_t>(data_[pos_ + i]);
  }
  *out = value;
  pos_ += 4;
  return true;
}

bool ByteReader::ReadBytes(size_t count, std::string_view* out) {
  if (count > remaining()) return false;
  *out = data_.substr(pos_, count);
  pos_ += count;
  return true;
}

bool ByteReader::Consume(char c) {
  if (!PeekIs(c)) return false;
  ++pos_;
  return true;
}

bool ByteReader::ConsumeCaseless(std::string_view word) {
  if (word.size() > remaining()) return false;
  if (!EqualsCaseless(data_.substr(pos_, word.size()), word)) return false;
  pos_ += word.size();
  return true;
}

bool ByteReader::ReadDigitIn(std::string_view allowed, int* out) {
  char c = 0;
  if (!Peek(&c) || !IsDigit(c) || allowed.find(c) == std::string_view::npos) {
    return false;
  }
  *out = c - '0';
  ++pos_;
  return true;
}

bool ByteReader::ReadNumber(int max_digits, int* out) {
  if (max_digits < 1 || max_digits > 9) return false;
  size_t end = pos_;
  int value = 0;
  while (end < data_.size() && IsDigit(data_[end])) {
    if (static_cast<int>(end - pos_) == max_digits) return false;
    value = value * 10 + (data_[end] - '0');
    ++end;
  }
  if (end == pos_) return false;
  *out = value;
  pos_ = end;
  return true;
}

size_t ByteReader::SkipBlanks() {
  size_t start = pos_;
  while (pos_ < data_.size() && (data_[pos_] == ' ' || data_[pos_] == '\t')) ++pos_;
  return pos_ - start;
}

}  // namespace bouncedx
