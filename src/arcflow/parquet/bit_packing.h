#pragma once

#include <cstdint>
#include <cstring>

#include "arcflow/base/buffer.h"

namespace arcflow::parquet {

// Integer packing primitives shared by the Parquet encodings: fixed-width bit packing (LSB-first,
// as in the RLE/bit-packing hybrid and DELTA_BINARY_PACKED; MSB-first, as in the deprecated
// BIT_PACKED level encoding), bitmap range operations, and ULEB128/zigzag varints.
//
// All functions are stateless and thread-safe. None of them checks its input against the end of a
// buffer: callers validate lengths once per run or miniblock and then call these on the hot path.

// Unpacks `count` values of `bit_width` bits each, packed back to back starting at bit 0 of
// `in` with the least significant bit of each byte first, into `out`. Whole groups of 32 values
// go through a kernel specialised for the bit width; only a final partial group takes the generic
// path. Reads exactly BytesForBits(count * bit_width) bytes.
// REQUIRES: 0 <= bit_width <= 8 * sizeof(*out); `in` holds the bytes read.
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint8_t* out);
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint16_t* out);
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint32_t* out);
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint64_t* out);

// Packs `count` values into `out` in the layout UnpackBits reads, zero-padding the final byte.
// Returns the number of bytes written, BytesForBits(count * bit_width). Bits of a value above
// `bit_width` are dropped.
// REQUIRES: 0 <= bit_width <= 8 * sizeof(*values); `out` has room for the bytes written.
int64_t PackBits(const uint32_t* values, int64_t count, int bit_width, uint8_t* out);
int64_t PackBits(const uint64_t* values, int64_t count, int bit_width, uint8_t* out);

// Unpacks `count` values of `bit_width` bits packed most significant bit first (the deprecated
// BIT_PACKED encoding), starting with the value at index `first_index` of the packed sequence.
// Reads only bytes that hold bits of the values unpacked.
// REQUIRES: 0 <= bit_width <= 16; `in` holds BytesForBits((first_index + count) * bit_width)
// bytes.
void UnpackBitsMsbFirst(const uint8_t* in, int bit_width, int64_t first_index, int64_t count,
                        uint16_t* out);

// Sets bits [offset, offset + length) of an LSB-first bitmap to `value`.
void FillBits(uint8_t* bitmap, int64_t offset, int64_t length, bool value);

// Copies `length` bits from bit `source_offset` of `source` to bit `dest_offset` of `dest`
// (LSB-first bitmaps), a word at a time. Bits of `dest` outside the range are preserved.
// REQUIRES: `source` holds BytesForBits(source_offset + length) bytes; `dest` holds
// BytesForBits(dest_offset + length) bytes.
void CopyBitmap(const uint8_t* source, int64_t source_offset, int64_t length, uint8_t* dest,
                int64_t dest_offset);

// The longest ULEB128 encoding of a 64-bit integer.
inline constexpr int kMaxUleb128Bytes = 10;

// Reads a ULEB128 integer from data[*pos, size) and advances *pos past it. Returns false (and
// leaves *pos unchanged) when the encoding is truncated, longer than kMaxUleb128Bytes, or does
// not fit in 64 bits.
inline bool ReadUleb128(const uint8_t* data, int64_t size, int64_t* pos, uint64_t* out) {
  uint64_t result = 0;
  int64_t position = *pos;
  for (int i = 0; i < kMaxUleb128Bytes; ++i) {
    if (position >= size) return false;
    const uint8_t byte = data[position++];
    const uint64_t payload = byte & 0x7F;
    // The tenth byte may only contribute the single remaining bit of a 64-bit value.
    if (i == kMaxUleb128Bytes - 1 && payload > 1) return false;
    result |= payload << (7 * i);
    if ((byte & 0x80) == 0) {
      *out = result;
      *pos = position;
      return true;
    }
  }
  return false;
}

// Appends the ULEB128 encoding of `value`.
inline void AppendUleb128(BufferBuilder* out, uint64_t value) {
  uint8_t bytes[kMaxUleb128Bytes];
  int length = 0;
  while (value >= 0x80) {
    bytes[length++] = static_cast<uint8_t>(value | 0x80);
    value >>= 7;
  }
  bytes[length++] = static_cast<uint8_t>(value);
  out->Append(bytes, length);
}

// Zigzag maps signed integers to unsigned ones so that small magnitudes stay small:
// 0, -1, 1, -2, ... become 0, 1, 2, 3, ... Computed in unsigned arithmetic to avoid overflow.
inline uint64_t ZigZagEncode(int64_t value) {
  const uint64_t bits = static_cast<uint64_t>(value);
  return (bits << 1) ^ (value < 0 ? ~uint64_t{0} : uint64_t{0});
}
inline int64_t ZigZagDecode(uint64_t value) {
  return static_cast<int64_t>((value >> 1) ^ (~(value & 1) + 1));
}

// Reads `byte_count` (<= 8) little-endian bytes as an unsigned integer.
inline uint64_t LoadLittleEndian(const uint8_t* bytes, int byte_count) {
  uint64_t value = 0;
  std::memcpy(&value, bytes, static_cast<size_t>(byte_count));
  return value;
}

}  // namespace arcflow::parquet
