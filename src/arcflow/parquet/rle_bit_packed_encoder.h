#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "arcflow/base/buffer.h"

namespace arcflow::parquet {

// Encodes integers with the RLE/bit-packing hybrid (Parquet encoding RLE = 3): runs of at least
// 8 equal values become RLE runs, everything else is bit-packed in groups of 8. Used for levels,
// dictionary indices and RLE booleans.
//
// Values are buffered until Finish(); the encoder owns its output. Not thread-safe.
class RleBitPackedEncoder {
 public:
  // A repeat must be at least this long to be worth an RLE run rather than bit-packing.
  static constexpr int64_t kMinRepeatRun = 8;

  // REQUIRES: 0 <= bit_width <= 32.
  explicit RleBitPackedEncoder(int bit_width);

  // Appends values. REQUIRES: every value fits in bit_width bits (and is non-negative).
  void Put(uint32_t value);
  void Put(const int16_t* values, int64_t count);
  void Put(const int32_t* values, int64_t count);
  void Put(const uint8_t* values, int64_t count);

  // Appends `count` booleans read from an LSB-first bitmap at `bit_offset`.
  // REQUIRES: bit_width == 1.
  void PutBitmap(const uint8_t* bitmap, int64_t bit_offset, int64_t count);

  int64_t num_values() const { return num_values_; }
  int bit_width() const { return bit_width_; }

  // An upper bound on the bytes Finish() would return for the values put so far.
  int64_t EstimatedSize() const;

  // Returns the encoded runs (no length prefix) and resets the encoder for reuse. A final
  // partial group of bit-packed values is padded with zeros, as readers stop at the page's value
  // count.
  std::shared_ptr<Buffer> Finish();
  // Returns the 4-byte little-endian length followed by the runs: the form data page v1 uses for
  // levels and RLE booleans use everywhere.
  std::shared_ptr<Buffer> FinishWithLengthPrefix();
  // Appends the encoded runs to `out` and resets the encoder.
  void FinishInto(BufferBuilder* out);

 private:
  // Moves the current repeat into either an RLE run or the literal buffer.
  void CommitRepeat(bool final);
  // 63 groups of 8 keep a bit-packed run header to a single byte.
  static constexpr size_t kMaxLiteralRun = 63 * 8;

  template <typename T>
  void PutValues(const T* values, int64_t count);
  // Adds values to the literals, writing a run whenever kMaxLiteralRun are buffered.
  template <typename T>
  void AppendLiterals(const T* values, int64_t count);
  // Writes the buffered literal values as bit-packed runs, all but fewer than 8.
  void FlushLiterals();
  // Writes `count` values, a multiple of 8 and at most kMaxLiteralRun, as one bit-packed run.
  void WriteLiteralRun(const uint32_t* values, size_t count);
  void WriteRepeatRun(uint32_t value, int64_t count);

  int bit_width_;
  int64_t num_values_ = 0;
  BufferBuilder output_;
  // Values waiting to be bit-packed; flushed whenever a full run's worth is ready.
  std::vector<uint32_t> literals_;
  // The trailing repeat of equal values not yet committed.
  uint32_t repeat_value_ = 0;
  int64_t repeat_count_ = 0;
};

}  // namespace arcflow::parquet
