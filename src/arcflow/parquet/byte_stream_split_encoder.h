#pragma once

#include <cstdint>
#include <memory>

#include "arcflow/base/buffer.h"

namespace arcflow::parquet {

// Encodes values with BYTE_STREAM_SPLIT (Parquet encoding 9): byte k of every value goes to
// stream k, and the streams are written one after another. Serves FLOAT, DOUBLE, INT32, INT64 and
// FIXED_LEN_BYTE_ARRAY. Values are buffered until Finish(), which scatters them.
//
// The encoder owns its output. Not thread-safe.
class ByteStreamSplitEncoder {
 public:
  // REQUIRES: value_width > 0.
  explicit ByteStreamSplitEncoder(int32_t value_width);

  // Appends values. REQUIRES: sizeof(*values) == value_width.
  void Put(const float* values, int64_t count);
  void Put(const double* values, int64_t count);
  void Put(const int32_t* values, int64_t count);
  void Put(const int64_t* values, int64_t count);
  // Appends `count` values of value_width bytes each.
  void PutBytes(const uint8_t* values, int64_t count);

  int64_t num_values() const { return values_.size() / value_width_; }
  int64_t EstimatedSize() const { return values_.size(); }

  // Returns the streams and resets the encoder for reuse.
  std::shared_ptr<Buffer> Finish();

 private:
  int32_t value_width_;
  BufferBuilder values_;  // The values as given, not yet split.
};

}  // namespace arcflow::parquet
