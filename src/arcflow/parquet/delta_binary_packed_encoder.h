#pragma once

#include <cstdint>
#include <memory>
#include <type_traits>

#include "arcflow/base/buffer.h"

namespace arcflow::parquet {

// Encodes INT32 (T = int32_t) or INT64 (T = int64_t) values with DELTA_BINARY_PACKED (Parquet
// encoding 5), in blocks of 128 values split into 4 miniblocks of 32, each miniblock packed at
// the narrowest bit width that holds its deltas minus the block's min delta. Deltas wrap modulo
// 2^32 or 2^64 (computed unsigned), as the format specifies.
//
// Values are buffered a block at a time; the header, which records the total count, is written
// by Finish(). The encoder owns its output. Not thread-safe.
template <typename T>
class DeltaBinaryPackedEncoder {
  static_assert(std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>,
                "DELTA_BINARY_PACKED holds INT32 or INT64 values");

 public:
  static constexpr int kBlockSize = 128;
  static constexpr int kMiniblocksPerBlock = 4;
  static constexpr int kValuesPerMiniblock = kBlockSize / kMiniblocksPerBlock;

  DeltaBinaryPackedEncoder() = default;

  void Put(const T* values, int64_t count);
  void Put(T value) { Put(&value, 1); }

  int64_t num_values() const { return total_values_; }
  // An upper bound on the bytes Finish() would return now.
  int64_t EstimatedSize() const;

  // Returns the encoded stream and resets the encoder for reuse.
  std::shared_ptr<Buffer> Finish();
  // Appends the encoded stream to `out` and resets the encoder.
  void FinishInto(BufferBuilder* out);

 private:
  using U = std::make_unsigned_t<T>;

  // Encodes the buffered deltas (at most a block) into `blocks_`.
  void FlushBlock();

  int64_t total_values_ = 0;
  U first_value_ = 0;
  U last_value_ = 0;
  U deltas_[kBlockSize];
  int num_deltas_ = 0;
  BufferBuilder blocks_;
};

extern template class DeltaBinaryPackedEncoder<int32_t>;
extern template class DeltaBinaryPackedEncoder<int64_t>;

}  // namespace arcflow::parquet
