#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "arcflow/base/buffer.h"
#include "arcflow/base/status.h"
#include "arcflow/parquet/byte_array_sink.h"
#include "arcflow/parquet/delta_binary_packed_encoder.h"

namespace arcflow::parquet {

// Encodes byte arrays with DELTA_LENGTH_BYTE_ARRAY (Parquet encoding 6): the lengths as one
// DELTA_BINARY_PACKED stream, then the bytes of all values back to back.
//
// The encoder owns its output until Finish(). Not thread-safe.
class DeltaLengthByteArrayEncoder {
 public:
  DeltaLengthByteArrayEncoder() = default;

  // Appends values. Invalid if the encoded bytes would exceed 2^31-1, the most a page can hold.
  Status Put(std::string_view value);
  Status Put(const ByteArraySpan& values);

  int64_t num_values() const { return lengths_.num_values(); }
  // An upper bound on the bytes Finish() would return now.
  int64_t EstimatedSize() const { return lengths_.EstimatedSize() + data_.size(); }

  // Returns the encoded values and resets the encoder for reuse.
  std::shared_ptr<Buffer> Finish();
  // Appends the encoded values to `out` and resets the encoder.
  void FinishInto(BufferBuilder* out);

 private:
  DeltaBinaryPackedEncoder<int32_t> lengths_;
  BufferBuilder data_;
};

}  // namespace arcflow::parquet
