#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "arcflow/base/buffer.h"

namespace arcflow::parquet {

// Returns bits [bit_offset, bit_offset + 64) of an LSB-first bitmap as a word, bit 0 first.
// Reads only bytes that hold some of those bits.
inline uint64_t LoadBitmapWord(const uint8_t* bits, int64_t bit_offset) {
  const uint8_t* start = bits + (bit_offset >> 3);
  const int shift = static_cast<int>(bit_offset & 7);
  uint64_t word;
  std::memcpy(&word, start, sizeof(word));
  if (shift == 0) return word;
  return (word >> shift) | (static_cast<uint64_t>(start[8]) << (64 - shift));
}

// Returns bits [bit_offset, bit_offset + 8) of an LSB-first bitmap as a byte, bit 0 first.
// Reads only bytes that hold some of those bits.
inline uint8_t LoadBitmapByte(const uint8_t* bits, int64_t bit_offset) {
  const uint8_t* start = bits + (bit_offset >> 3);
  const int shift = static_cast<int>(bit_offset & 7);
  if (shift == 0) return start[0];
  return static_cast<uint8_t>((start[0] >> shift) | (start[1] << (8 - shift)));
}

// Encodes levels of bit width 1, the definition levels of a flat optional column, in the
// RLE/bit-packing hybrid (Parquet encoding RLE) straight from a validity bitmap, whose bits
// are those levels. Eight levels are one bitmap byte and one bit-packed group, so the encoder
// works a byte at a time, and a word at a time through long runs of equal levels; it produces
// the same stream RleBitPackedEncoder would up to the choice of runs.
//
// Levels are buffered until FinishInto(). Not thread-safe.
class BitmapLevelEncoder {
 public:
  // Appends bits [offset, offset + count) of `bits` as levels; null `bits` appends ones.
  void Append(const uint8_t* bits, int64_t offset, int64_t count);
  // Appends one level. REQUIRES: level is 0 or 1.
  void Append(bool level);

  int64_t num_values() const { return num_values_; }
  // An upper bound on the bytes FinishInto() would append (without the length prefix).
  int64_t EstimatedSize() const;

  // Appends the encoded runs, preceded by their 4-byte little-endian length when
  // `length_prefix` (the data page v1 form), to `out` and resets the encoder. A final partial
  // group is padded with zeros, which readers never reach: they stop at the page's count.
  void FinishInto(BufferBuilder* out, bool length_prefix);

 private:
  // Groups a bit-packed run holds before it is written; its header then takes 2 bytes.
  static constexpr size_t kMaxLiteralGroups = 8191;

  void PutGroup(uint8_t group);
  // Ends the current repeat: as an RLE run when long enough (or not a whole number of
  // groups), else as a literal group.
  void EndRepeat();
  void FlushLiterals();

  BufferBuilder output_;
  std::vector<uint8_t> literals_;  // Bit-packed groups waiting for their run header.
  int64_t repeat_count_ = 0;       // Levels in the current repeat (0: none).
  bool repeat_value_ = false;
  uint8_t partial_ = 0;  // Levels of an incomplete group, bit 0 first.
  int partial_count_ = 0;
  int64_t num_values_ = 0;
};

}  // namespace arcflow::parquet
