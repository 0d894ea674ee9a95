#pragma once

#include <cstdint>
#include <span>

#include "arcflow/base/result.h"
#include "arcflow/base/status.h"

namespace arcflow::parquet {

// Decodes definition or repetition levels in the deprecated BIT_PACKED encoding (Parquet
// encoding 4), still found in files from old writers: every level packed back to back at a fixed
// bit width, most significant bit first, the last byte zero-padded. Unlike the RLE hybrid there is
// no length prefix; the page's value count fixes the length.
//
// The decoder does not own the bytes it reads; they must outlive it. Not thread-safe.
class BitPackedLevelDecoder {
 public:
  static constexpr int kMaxBitWidth = 16;

  BitPackedLevelDecoder() = default;

  // Starts decoding `num_values` levels of `bit_width` bits from the front of `data` and returns
  // the bytes they occupy, so the caller can find what follows. Invalid for a bit width outside
  // [0, 16] or a negative count; Corruption if `data` is too short.
  Result<int64_t> Init(std::span<const uint8_t> data, int bit_width, int64_t num_values);

  // Decodes up to `max_values` levels; returns how many (fewer once all are decoded).
  Result<int64_t> Decode(int16_t* out, int64_t max_values);

  Result<int64_t> Skip(int64_t count);

  int64_t values_remaining() const { return num_values_ - position_; }

 private:
  const uint8_t* data_ = nullptr;
  int bit_width_ = 0;
  int64_t num_values_ = 0;
  int64_t position_ = 0;  // Index of the next level.
};

}  // namespace arcflow::parquet
