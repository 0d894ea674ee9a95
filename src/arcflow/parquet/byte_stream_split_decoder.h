#pragma once

#include <cstdint>
#include <span>

#include "arcflow/base/result.h"
#include "arcflow/base/status.h"

namespace arcflow::parquet {

// Decodes BYTE_STREAM_SPLIT (Parquet encoding 9) for FLOAT, DOUBLE, INT32, INT64 and
// FIXED_LEN_BYTE_ARRAY: for values K bytes wide, the page holds K streams, stream k holding byte
// k of every value. The page length must be a multiple of K; it determines the value count.
//
// The decoder does not own the bytes it reads; they must outlive it. Not thread-safe.
class ByteStreamSplitDecoder {
 public:
  ByteStreamSplitDecoder() = default;

  // Starts decoding `data` as values of `value_width` bytes (4 or 8 for the numeric types, the
  // type length for FIXED_LEN_BYTE_ARRAY). Invalid if the width is not positive; Corruption if the
  // data is not a whole number of values.
  Status Init(std::span<const uint8_t> data, int32_t value_width);

  // Decodes up to `max_values` values and returns how many. Invalid if sizeof(*out) differs
  // from the value width.
  Result<int64_t> Decode(float* out, int64_t max_values);
  Result<int64_t> Decode(double* out, int64_t max_values);
  Result<int64_t> Decode(int32_t* out, int64_t max_values);
  Result<int64_t> Decode(int64_t* out, int64_t max_values);
  // Any width: `value_width` bytes per value, contiguous in `out`.
  Result<int64_t> DecodeBytes(uint8_t* out, int64_t max_values);

  Result<int64_t> Skip(int64_t count);

  int64_t num_values() const { return num_values_; }
  int64_t values_remaining() const { return num_values_ - position_; }

 private:
  Result<int64_t> DecodeWidth(void* out, int64_t max_values, int32_t width);

  const uint8_t* data_ = nullptr;
  int32_t value_width_ = 0;
  int64_t num_values_ = 0;  // Also the length of each stream.
  int64_t position_ = 0;    // Index of the next value.
};

}  // namespace arcflow::parquet
