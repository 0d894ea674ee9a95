#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "arcflow/base/result.h"
#include "arcflow/base/status.h"
#include "arcflow/parquet/byte_array_sink.h"
#include "arcflow/parquet/delta_binary_packed_decoder.h"
#include "arcflow/parquet/delta_length_byte_array_decoder.h"

namespace arcflow::parquet {

// Decodes DELTA_BYTE_ARRAY (Parquet encoding 7), front coding: each value is a prefix of the
// previous value plus a suffix. The page holds the prefix lengths as DELTA_BINARY_PACKED, then the
// suffixes as DELTA_LENGTH_BYTE_ARRAY. Serves BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY columns.
//
// A prefix longer than the previous value, a negative prefix length, or prefix and suffix
// streams of different lengths is Corruption. Values are rebuilt in the output, copying each
// prefix from the value before it, so output memory is bounded by the sink's 2^31-1 byte limit
// rather than by anything the page claims.
//
// The decoder does not own the bytes it reads; they must outlive it. Not thread-safe.
class DeltaByteArrayDecoder {
 public:
  DeltaByteArrayDecoder() = default;

  Status Init(std::span<const uint8_t> data);

  // Appends up to `max_values` values to `sink`; returns how many. Invalid if the sink's data
  // would exceed 2^31-1 bytes.
  Result<int64_t> Decode(ByteArraySink* sink, int64_t max_values);

  // Decodes up to `max_values` values of exactly `type_length` bytes each into `out`
  // (contiguous). Corruption if a value has another length.
  Result<int64_t> DecodeFixedLenByteArray(uint8_t* out, int32_t type_length, int64_t max_values);

  // Skips up to `count` values (they are still rebuilt, as later values may share their
  // prefix); returns how many were skipped.
  Result<int64_t> Skip(int64_t count);

  int64_t values_remaining() const { return prefix_lengths_.values_remaining(); }

 private:
  static constexpr int64_t kBatchSize = 1024;

  // Rebuilds up to kBatchSize values into `sink`; returns how many.
  Result<int64_t> DecodeBatch(ByteArraySink* sink, int64_t max_values);

  DeltaBinaryPackedDecoder<int32_t> prefix_lengths_;
  DeltaLengthByteArrayDecoder suffixes_;
  // The last value rebuilt: the prefix source for the next one.
  std::string previous_value_;
  // Holds values on their way to a fixed-length destination or being skipped.
  ByteArraySink scratch_;
};

}  // namespace arcflow::parquet
