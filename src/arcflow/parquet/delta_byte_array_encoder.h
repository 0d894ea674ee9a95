#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "arcflow/base/buffer.h"
#include "arcflow/base/status.h"
#include "arcflow/parquet/byte_array_sink.h"
#include "arcflow/parquet/delta_binary_packed_encoder.h"
#include "arcflow/parquet/delta_length_byte_array_encoder.h"

namespace arcflow::parquet {

// Encodes byte arrays with DELTA_BYTE_ARRAY (Parquet encoding 7): for each value, the length of
// the prefix it shares with the previous value (DELTA_BINARY_PACKED) and the remaining suffix
// (DELTA_LENGTH_BYTE_ARRAY). Suits sorted or slowly varying strings. Also serves
// FIXED_LEN_BYTE_ARRAY.
//
// The encoder owns its output until Finish(). Not thread-safe.
class DeltaByteArrayEncoder {
 public:
  DeltaByteArrayEncoder() = default;

  // Appends values. Invalid if the suffix bytes would exceed 2^31-1.
  Status Put(std::string_view value);
  Status Put(const ByteArraySpan& values);
  Status PutFixedLenByteArray(const uint8_t* values, int32_t type_length, int64_t count);

  int64_t num_values() const { return prefix_lengths_.num_values(); }
  // An upper bound on the bytes Finish() would return now.
  int64_t EstimatedSize() const {
    return prefix_lengths_.EstimatedSize() + suffixes_.EstimatedSize();
  }

  // Returns the encoded values and resets the encoder for reuse.
  std::shared_ptr<Buffer> Finish();

 private:
  DeltaBinaryPackedEncoder<int32_t> prefix_lengths_;
  DeltaLengthByteArrayEncoder suffixes_;
  std::string previous_value_;
};

}  // namespace arcflow::parquet
