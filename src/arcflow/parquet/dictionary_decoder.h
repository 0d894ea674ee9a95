#pragma once

#include <cstdint>
#include <span>

#include "arcflow/base/result.h"
#include "arcflow/base/status.h"
#include "arcflow/parquet/byte_array_sink.h"
#include "arcflow/parquet/physical_type.h"
#include "arcflow/parquet/rle_bit_packed_decoder.h"

namespace arcflow::parquet {

// Copies dictionary[indices[i]] to out[i] for every i. Corruption, naming the first offending
// position, if any index is negative or not below the dictionary size; nothing is guaranteed
// about `out` then.
template <typename T>
Status GatherDictionaryValues(std::span<const T> dictionary, std::span<const int32_t> indices,
                              T* out);
// The same for FIXED_LEN_BYTE_ARRAY: `dictionary_size` entries of `type_length` bytes each,
// gathered contiguously into `out`.
Status GatherFixedLenByteArrays(const uint8_t* dictionary, int64_t dictionary_size,
                                int32_t type_length, std::span<const int32_t> indices,
                                uint8_t* out);
// The same for BYTE_ARRAY, appending to `sink`. Invalid if the sink's data would exceed 2^31-1
// bytes. REQUIRES: `dictionary` has well-formed offsets (as produced by PlainDecoder).
Status GatherByteArrays(const ByteArraySpan& dictionary, std::span<const int32_t> indices,
                        ByteArraySink* sink);

// Decodes the values of a dictionary-encoded data page (RLE_DICTIONARY, or the deprecated
// PLAIN_DICTIONARY): one byte holding the index bit width (at most 32), then the indices in the
// RLE/bit-packing hybrid without a length prefix. Every index is checked against the dictionary
// size before it is returned or used; an out-of-range index is Corruption.
//
// The dictionary itself (a PLAIN dictionary page) is decoded by PlainDecoder; the decoding
// methods here take it as typed values, fixed-length bytes, or a ByteArraySpan. The bridge may
// also keep the indices (DecodeIndices) to build dictionary arrays.
//
// The decoder does not own the page or the dictionary; they must outlive it. Not thread-safe.
class DictionaryIndexDecoder {
 public:
  DictionaryIndexDecoder() = default;

  // Starts decoding the page values in `data` against a dictionary of `dictionary_size`
  // entries. Empty data is accepted as a page without values (all nulls).
  Status Init(std::span<const uint8_t> data, int64_t dictionary_size);

  // Decodes up to `max_values` indices, each validated against the dictionary size.
  Result<int64_t> DecodeIndices(int32_t* out, int64_t max_values);

  // Decodes up to `max_values` values by looking their indices up in `dictionary`, which holds
  // the dictionary_size entries given to Init.
  Result<int64_t> Decode(const int32_t* dictionary, int32_t* out, int64_t max_values);
  Result<int64_t> Decode(const int64_t* dictionary, int64_t* out, int64_t max_values);
  Result<int64_t> Decode(const Int96* dictionary, Int96* out, int64_t max_values);
  Result<int64_t> Decode(const float* dictionary, float* out, int64_t max_values);
  Result<int64_t> Decode(const double* dictionary, double* out, int64_t max_values);
  Result<int64_t> DecodeFixedLenByteArray(const uint8_t* dictionary, int32_t type_length,
                                          uint8_t* out, int64_t max_values);
  Result<int64_t> DecodeByteArray(const ByteArraySpan& dictionary, ByteArraySink* sink,
                                  int64_t max_values);

  Result<int64_t> Skip(int64_t count);

  int bit_width() const { return indices_.bit_width(); }

 private:
  static constexpr int64_t kBatchSize = 1024;

  template <typename T>
  Result<int64_t> DecodeValues(const T* dictionary, T* out, int64_t max_values);

  RleBitPackedDecoder indices_;
  int64_t dictionary_size_ = 0;
};

}  // namespace arcflow::parquet
