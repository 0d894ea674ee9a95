#pragma once

#include <cstdint>

namespace arcflow::bit_util {

// Bitmaps are LSB-first within each byte, as in Arrow and Parquet.

inline bool GetBit(const uint8_t* bits, int64_t i) { return (bits[i >> 3] >> (i & 7)) & 1; }
inline void SetBit(uint8_t* bits, int64_t i) {
  bits[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
}
inline void ClearBit(uint8_t* bits, int64_t i) {
  bits[i >> 3] &= static_cast<uint8_t>(~(1u << (i & 7)));
}
inline void SetBitTo(uint8_t* bits, int64_t i, bool value) {
  bits[i >> 3] = static_cast<uint8_t>((bits[i >> 3] & ~(1u << (i & 7))) |
                                      (static_cast<unsigned>(value) << (i & 7)));
}
inline int64_t BytesForBits(int64_t bits) { return (bits + 7) >> 3; }
inline int64_t RoundUp(int64_t value, int64_t factor) {
  return (value + factor - 1) / factor * factor;
}

// Number of set bits in bits [offset, offset + length).
int64_t CountSetBits(const uint8_t* bits, int64_t offset, int64_t length);

// Copies `length` bits starting at bit `source_offset` of `source` to bit `dest_offset` of
// `dest`.
void CopyBits(const uint8_t* source, int64_t source_offset, int64_t length, uint8_t* dest,
              int64_t dest_offset);

}  // namespace arcflow::bit_util
