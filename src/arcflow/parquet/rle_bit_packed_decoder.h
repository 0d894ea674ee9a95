#pragma once

#include <cstdint>
#include <span>

#include "arcflow/base/result.h"
#include "arcflow/base/status.h"

namespace arcflow::parquet {

// Decodes the RLE/bit-packing hybrid encoding (Parquet encoding RLE = 3): a sequence of runs,
// each either one value repeated (an RLE run) or a multiple of 8 values bit-packed LSB-first.
// Used for definition and repetition levels, dictionary indices and RLE-encoded booleans.
//
// The stream does not record how many values it holds; the caller asks for as many as the page
// header promises and treats a shorter answer as a short page. A final bit-packed run may hold up
// to 7 padding values beyond the page's count, which the caller simply never asks for.
//
// Every run header is validated before its values are touched: a run longer than 2^31 - 1
// values, a bit-packed run whose bytes extend past the buffer, or a repeated value that does
// not fit in the bit width is Corruption. Inner loops then work a whole run at a time.
//
// The decoder does not own the bytes it reads; they must outlive it. Not thread-safe.
class RleBitPackedDecoder {
 public:
  static constexpr int kMaxBitWidth = 32;

  RleBitPackedDecoder() = default;

  // Starts decoding `data`, which holds runs only (no length prefix). Invalid if `bit_width` is
  // outside [0, 32].
  Status Init(std::span<const uint8_t> data, int bit_width);

  // Reads the 4-byte little-endian length that precedes the runs in data page v1 levels and in
  // RLE-encoded booleans, then starts decoding the runs it covers. Returns the bytes the whole
  // form occupies (4 + length), so the caller can find what follows. Corruption if the length
  // runs past `data`.
  Result<int64_t> InitWithLengthPrefix(std::span<const uint8_t> data, int bit_width);

  // Decodes up to `max_values` values into `out` and returns how many were decoded: fewer than
  // `max_values` only when the runs are exhausted. The int16_t form (levels) requires a bit
  // width of at most 16 and the uint8_t form (booleans one byte per value) at most 8; a wider
  // stream is Invalid. Values are not compared against any maximum; that is the caller's job.
  Result<int64_t> Decode(int16_t* out, int64_t max_values);
  Result<int64_t> Decode(int32_t* out, int64_t max_values);
  Result<int64_t> Decode(uint8_t* out, int64_t max_values);

  // Decodes up to `max_values` booleans (bit width 1) into an LSB-first bitmap starting at bit
  // `bit_offset`. Other bits of the bitmap are preserved. Invalid unless the bit width is 1.
  Result<int64_t> DecodeBitmap(uint8_t* bitmap, int64_t bit_offset, int64_t max_values);

  // Skips up to `count` values without unpacking them; returns how many were skipped.
  Result<int64_t> Skip(int64_t count);

  int bit_width() const { return bit_width_; }

 private:
  // Reads the next non-empty run header. Sets *found to false at the end of the data.
  Status NextRun(bool* found);
  // Unpacks `count` values of the current bit-packed run into `out`, advancing within the run.
  // REQUIRES: count <= values left in the run.
  template <typename U>
  void UnpackLiteral(U* out, int64_t count);
  template <typename T>
  Result<int64_t> DecodeValues(T* out, int64_t max_values);

  const uint8_t* data_ = nullptr;
  int64_t size_ = 0;
  int64_t position_ = 0;  // Offset of the next run header.
  int bit_width_ = 0;

  // The current run: `run_remaining_` values are left. For an RLE run they all equal
  // `repeated_value_`; for a bit-packed run of `literal_length_` values they start at value
  // index `literal_position_` of the packed bytes at `literal_data_`.
  int64_t run_remaining_ = 0;
  bool run_is_literal_ = false;
  uint32_t repeated_value_ = 0;
  const uint8_t* literal_data_ = nullptr;
  int64_t literal_length_ = 0;
  int64_t literal_position_ = 0;

  // Values [cache_start_, cache_start_ + cache_size_) of the current bit-packed run, unpacked
  // when a batch starts or ends in the middle of a 32-value block.
  static constexpr int kCacheSize = 32;
  uint32_t cache_[kCacheSize];
  int64_t cache_start_ = 0;
  int64_t cache_size_ = 0;
};

}  // namespace arcflow::parquet
