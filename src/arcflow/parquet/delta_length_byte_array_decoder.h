#pragma once

#include <cstdint>
#include <span>

#include "arcflow/base/result.h"
#include "arcflow/base/status.h"
#include "arcflow/parquet/byte_array_sink.h"
#include "arcflow/parquet/delta_binary_packed_decoder.h"

namespace arcflow::parquet {

// Decodes DELTA_LENGTH_BYTE_ARRAY (Parquet encoding 6): the lengths of all values as one
// DELTA_BINARY_PACKED stream, then all value bytes concatenated. Because the bytes of a batch are
// contiguous in the page, a batch lands in a ByteArraySink with a single copy, and
// DecodeLengths() offers them with no copy at all.
//
// Lengths are decoded lazily, a batch at a time, so memory never depends on the declared value
// count. A negative length, or lengths that run past the end of the bytes, is Corruption.
//
// The decoder does not own the bytes it reads; they must outlive it. Not thread-safe.
class DeltaLengthByteArrayDecoder {
 public:
  DeltaLengthByteArrayDecoder() = default;

  // Locates the length stream and the value bytes that follow it.
  Status Init(std::span<const uint8_t> data);

  // Appends up to `max_values` values to `sink`; returns how many. Invalid if the sink's data
  // would exceed 2^31-1 bytes.
  Result<int64_t> Decode(ByteArraySink* sink, int64_t max_values);

  // Decodes the lengths of up to `max_values` values into `lengths`, sets `*bytes` to where their
  // bytes start (contiguous, inside the page) and consumes them. Returns how many.
  Result<int64_t> DecodeLengths(int32_t* lengths, const uint8_t** bytes, int64_t max_values);

  // Skips up to `count` values; returns how many were skipped.
  Result<int64_t> Skip(int64_t count);

  // The value count the length stream declares. Untrusted: do not size allocations by it.
  int64_t total_values() const { return lengths_.total_values(); }
  int64_t values_remaining() const { return lengths_.values_remaining(); }

 private:
  // Values decoded per internal batch, bounding stack use.
  static constexpr int64_t kBatchSize = 1024;

  DeltaBinaryPackedDecoder<int32_t> lengths_;
  const uint8_t* bytes_ = nullptr;  // The concatenated value bytes.
  int64_t bytes_size_ = 0;
  int64_t bytes_position_ = 0;
};

}  // namespace arcflow::parquet
