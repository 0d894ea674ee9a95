#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "arcflow/base/buffer.h"
#include "arcflow/base/status.h"
#include "arcflow/parquet/byte_array_sink.h"
#include "arcflow/parquet/physical_type.h"

namespace arcflow::parquet {

// Encodes values of one physical type with PLAIN (Parquet encoding PLAIN = 0), the layout
// PlainDecoder reads: fixed-width values little-endian back to back, booleans bit-packed
// LSB-first, byte arrays as a 4-byte length and the bytes. Also produces dictionary pages.
//
// The encoder owns its output until Finish(). Not thread-safe.
class PlainEncoder {
 public:
  // `type_length` is the width of a FIXED_LEN_BYTE_ARRAY value and is ignored otherwise.
  // REQUIRES: type_length > 0 for FIXED_LEN_BYTE_ARRAY.
  explicit PlainEncoder(PhysicalType type, int32_t type_length = 0);

  // Appends values. REQUIRES: the overload matches the physical type.
  void Put(const int32_t* values, int64_t count);
  void Put(const int64_t* values, int64_t count);
  void Put(const Int96* values, int64_t count);
  void Put(const float* values, int64_t count);
  void Put(const double* values, int64_t count);

  // BOOLEAN from one byte per value (non-zero is true).
  void PutBooleans(const uint8_t* values, int64_t count);
  // BOOLEAN from bits [bit_offset, bit_offset + count) of an LSB-first bitmap.
  void PutBooleanBitmap(const uint8_t* bitmap, int64_t bit_offset, int64_t count);

  // FIXED_LEN_BYTE_ARRAY: `count` contiguous values of type_length bytes each.
  void PutFixedLenByteArray(const uint8_t* values, int64_t count);

  // BYTE_ARRAY. Invalid if a value is longer than 2^31-1 bytes.
  Status PutByteArray(std::string_view value);
  Status PutByteArrays(const ByteArraySpan& values);

  PhysicalType type() const { return type_; }
  int64_t num_values() const { return num_values_; }
  // The bytes Finish() would return now.
  int64_t EstimatedSize() const;

  // Returns the encoded values and resets the encoder for reuse.
  std::shared_ptr<Buffer> Finish();

  // The values encoded since the last Finish() or Clear(), in the encoder's memory: valid until
  // the next call that changes the encoder.
  std::span<const uint8_t> view() const {
    return {output_.data(), static_cast<size_t>(output_.size())};
  }
  // Forgets the values but keeps the memory, so the next page of about the same size is encoded
  // without growing (and copying) the buffer again.
  void Clear();

 private:
  template <typename T>
  void PutFixed(const T* values, int64_t count, PhysicalType expected);

  PhysicalType type_;
  int32_t type_length_;
  int64_t num_values_ = 0;
  int64_t num_bits_ = 0;  // For BOOLEAN: bits written to `output_`.
  BufferBuilder output_;
};

}  // namespace arcflow::parquet
