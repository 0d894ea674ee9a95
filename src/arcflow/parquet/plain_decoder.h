#pragma once

#include <cstdint>
#include <span>

#include "arcflow/base/result.h"
#include "arcflow/base/status.h"
#include "arcflow/parquet/byte_array_sink.h"
#include "arcflow/parquet/physical_type.h"

namespace arcflow::parquet {

// Decodes PLAIN-encoded values (Parquet encoding PLAIN = 0) of one physical type: fixed-width
// little-endian values back to back, booleans bit-packed LSB-first, byte arrays as a 4-byte
// length followed by the bytes. Also decodes dictionary pages, which are PLAIN.
//
// PLAIN data does not record its value count; each Decode call returns how many values it
// produced, fewer than asked only when the data runs out. A byte array whose length runs past
// the data is Corruption.
//
// The decoder does not own the bytes it reads; they must outlive it. Not thread-safe.
class PlainDecoder {
 public:
  PlainDecoder() = default;

  // Starts decoding `data` as values of `type`. `type_length` is the width of a
  // FIXED_LEN_BYTE_ARRAY value (Invalid unless positive) and is ignored for other types.
  Status Init(std::span<const uint8_t> data, PhysicalType type, int32_t type_length = 0);

  // Decodes up to `max_values` values into `out`, returning how many were decoded. Invalid if
  // the overload does not match the physical type given to Init.
  Result<int64_t> Decode(int32_t* out, int64_t max_values);
  Result<int64_t> Decode(int64_t* out, int64_t max_values);
  Result<int64_t> Decode(Int96* out, int64_t max_values);
  Result<int64_t> Decode(float* out, int64_t max_values);
  Result<int64_t> Decode(double* out, int64_t max_values);

  // BOOLEAN: one byte (0 or 1) per value.
  Result<int64_t> DecodeBooleans(uint8_t* out, int64_t max_values);
  // BOOLEAN: bits of an LSB-first bitmap starting at `bit_offset`; other bits are preserved.
  Result<int64_t> DecodeBooleanBitmap(uint8_t* bitmap, int64_t bit_offset, int64_t max_values);

  // FIXED_LEN_BYTE_ARRAY: `type_length` bytes per value, contiguous in `out`.
  Result<int64_t> DecodeFixedLenByteArray(uint8_t* out, int64_t max_values);

  // BYTE_ARRAY: appends offsets and bytes to `sink`. Invalid if the sink's data would exceed
  // 2^31-1 bytes.
  Result<int64_t> DecodeByteArray(ByteArraySink* sink, int64_t max_values);

  // Skips up to `count` values; returns how many were skipped.
  Result<int64_t> Skip(int64_t count);

  PhysicalType type() const { return type_; }
  // Bytes not yet consumed (for booleans, including a partly consumed byte).
  int64_t bytes_remaining() const { return size_ - position_; }

 private:
  template <typename T>
  Result<int64_t> DecodeFixed(T* out, int64_t max_values, PhysicalType expected);
  Status CheckType(PhysicalType expected) const;
  // Finds how many of the next (at most `max_values`) byte arrays are complete and how many data
  // bytes they hold, without consuming them.
  Status ScanByteArrays(int64_t max_values, int64_t* count, int64_t* data_bytes) const;

  const uint8_t* data_ = nullptr;
  int64_t size_ = 0;
  int64_t position_ = 0;      // Byte offset of the next value.
  int64_t bit_position_ = 0;  // For BOOLEAN: bit offset of the next value.
  PhysicalType type_ = PhysicalType::kInt32;
  int32_t type_length_ = 0;  // Bytes per value for fixed-width types.
};

}  // namespace arcflow::parquet
