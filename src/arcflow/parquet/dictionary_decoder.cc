#include "arcflow/parquet/dictionary_decoder.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace arcflow::parquet {
namespace {

// Checks every index in one branch-free pass (it vectorises), then finds the culprit only on
// failure.
Status CheckIndices(std::span<const int32_t> indices, int64_t dictionary_size) {
  // Negative indices become values of 2^31 and more when read unsigned, beyond any dictionary,
  // so one comparison rejects both kinds.
  const uint32_t size = static_cast<uint32_t>(std::min<int64_t>(dictionary_size, int64_t{1} << 31));
  uint32_t out_of_range = 0;
  for (const int32_t index : indices) {
    out_of_range |= static_cast<uint32_t>(static_cast<uint32_t>(index) >= size);
  }
  if (out_of_range == 0) return Status::OK();
  for (size_t i = 0; i < indices.size(); ++i) {
    if (indices[i] < 0 || indices[i] >= dictionary_size) {
      return Status::Corruption(
          "parquet: dictionary index {} at position {} is outside a dictionary of {} entries",
          indices[i], i, dictionary_size);
    }
  }
  return Status::OK();
}

template <typename T>
void GatherUnchecked(const T* dictionary, std::span<const int32_t> indices, T* out) {
  for (size_t i = 0; i < indices.size(); ++i) out[i] = dictionary[indices[i]];
}

void GatherFixedLenUnchecked(const uint8_t* dictionary, int32_t type_length,
                             std::span<const int32_t> indices, uint8_t* out) {
  const size_t width = static_cast<size_t>(type_length);
  for (size_t i = 0; i < indices.size(); ++i) {
    std::memcpy(out + i * width, dictionary + static_cast<size_t>(indices[i]) * width, width);
  }
}

Status GatherByteArraysUnchecked(const ByteArraySpan& dictionary, std::span<const int32_t> indices,
                                 ByteArraySink* sink) {
  int64_t total = 0;
  for (const int32_t index : indices) {
    total += dictionary.offsets[index + 1] - dictionary.offsets[index];
  }
  ARCFLOW_RETURN_NOT_OK(sink->CheckCapacity(total));
  sink->EnsureStarted();
  sink->offsets.Reserve(static_cast<int64_t>(indices.size() * sizeof(int32_t)));
  sink->data.Reserve(total);
  for (const int32_t index : indices) {
    const int32_t start = dictionary.offsets[index];
    sink->data.Append(dictionary.data + start, dictionary.offsets[index + 1] - start);
    sink->offsets.UnsafeAppendValue(static_cast<int32_t>(sink->data.size()));
  }
  return Status::OK();
}

}  // namespace

template <typename T>
Status GatherDictionaryValues(std::span<const T> dictionary, std::span<const int32_t> indices,
                              T* out) {
  ARCFLOW_RETURN_NOT_OK(CheckIndices(indices, static_cast<int64_t>(dictionary.size())));
  GatherUnchecked(dictionary.data(), indices, out);
  return Status::OK();
}

template Status GatherDictionaryValues<int32_t>(std::span<const int32_t>, std::span<const int32_t>,
                                                int32_t*);
template Status GatherDictionaryValues<int64_t>(std::span<const int64_t>, std::span<const int32_t>,
                                                int64_t*);
template Status GatherDictionaryValues<Int96>(std::span<const Int96>, std::span<const int32_t>,
                                              Int96*);
template Status GatherDictionaryValues<float>(std::span<const float>, std::span<const int32_t>,
                                              float*);
template Status GatherDictionaryValues<double>(std::span<const double>, std::span<const int32_t>,
                                               double*);

Status GatherFixedLenByteArrays(const uint8_t* dictionary, int64_t dictionary_size,
                                int32_t type_length, std::span<const int32_t> indices,
                                uint8_t* out) {
  if (type_length <= 0) {
    return Status::Invalid("parquet: FIXED_LEN_BYTE_ARRAY type length {} is not positive",
                           type_length);
  }
  ARCFLOW_RETURN_NOT_OK(CheckIndices(indices, dictionary_size));
  GatherFixedLenUnchecked(dictionary, type_length, indices, out);
  return Status::OK();
}

Status GatherByteArrays(const ByteArraySpan& dictionary, std::span<const int32_t> indices,
                        ByteArraySink* sink) {
  ARCFLOW_RETURN_NOT_OK(CheckIndices(indices, dictionary.length));
  return GatherByteArraysUnchecked(dictionary, indices, sink);
}

Status DictionaryIndexDecoder::Init(std::span<const uint8_t> data, int64_t dictionary_size) {
  if (dictionary_size < 0 || dictionary_size > std::numeric_limits<int32_t>::max()) {
    return Status::Invalid("parquet: dictionary size {} is outside [0, 2^31-1]", dictionary_size);
  }
  dictionary_size_ = dictionary_size;
  if (data.empty()) return indices_.Init(data, 0);
  const int bit_width = data[0];
  if (bit_width > RleBitPackedDecoder::kMaxBitWidth) {
    return Status::Corruption("parquet: dictionary index bit width {} exceeds {}", bit_width,
                              RleBitPackedDecoder::kMaxBitWidth);
  }
  return indices_.Init(data.subspan(1), bit_width);
}

Result<int64_t> DictionaryIndexDecoder::DecodeIndices(int32_t* out, int64_t max_values) {
  ARCFLOW_ASSIGN_OR_RETURN(int64_t count, indices_.Decode(out, max_values));
  ARCFLOW_RETURN_NOT_OK(
      CheckIndices(std::span<const int32_t>(out, static_cast<size_t>(count)), dictionary_size_));
  return count;
}

template <typename T>
Result<int64_t> DictionaryIndexDecoder::DecodeValues(const T* dictionary, T* out,
                                                     int64_t max_values) {
  int32_t indices[kBatchSize];
  int64_t decoded = 0;
  while (decoded < max_values) {
    ARCFLOW_ASSIGN_OR_RETURN(int64_t count,
                             DecodeIndices(indices, std::min(kBatchSize, max_values - decoded)));
    if (count == 0) break;
    GatherUnchecked(dictionary, std::span<const int32_t>(indices, static_cast<size_t>(count)),
                    out + decoded);
    decoded += count;
  }
  return decoded;
}

Result<int64_t> DictionaryIndexDecoder::Decode(const int32_t* dictionary, int32_t* out,
                                               int64_t max_values) {
  return DecodeValues(dictionary, out, max_values);
}
Result<int64_t> DictionaryIndexDecoder::Decode(const int64_t* dictionary, int64_t* out,
                                               int64_t max_values) {
  return DecodeValues(dictionary, out, max_values);
}
Result<int64_t> DictionaryIndexDecoder::Decode(const Int96* dictionary, Int96* out,
                                               int64_t max_values) {
  return DecodeValues(dictionary, out, max_values);
}
Result<int64_t> DictionaryIndexDecoder::Decode(const float* dictionary, float* out,
                                               int64_t max_values) {
  return DecodeValues(dictionary, out, max_values);
}
Result<int64_t> DictionaryIndexDecoder::Decode(const double* dictionary, double* out,
                                               int64_t max_values) {
  return DecodeValues(dictionary, out, max_values);
}

Result<int64_t> DictionaryIndexDecoder::DecodeFixedLenByteArray(const uint8_t* dictionary,
                                                                int32_t type_length, uint8_t* out,
                                                                int64_t max_values) {
  if (type_length <= 0) {
    return Status::Invalid("parquet: FIXED_LEN_BYTE_ARRAY type length {} is not positive",
                           type_length);
  }
  int32_t indices[kBatchSize];
  int64_t decoded = 0;
  while (decoded < max_values) {
    ARCFLOW_ASSIGN_OR_RETURN(int64_t count,
                             DecodeIndices(indices, std::min(kBatchSize, max_values - decoded)));
    if (count == 0) break;
    GatherFixedLenUnchecked(dictionary, type_length,
                            std::span<const int32_t>(indices, static_cast<size_t>(count)),
                            out + decoded * type_length);
    decoded += count;
  }
  return decoded;
}

Result<int64_t> DictionaryIndexDecoder::DecodeByteArray(const ByteArraySpan& dictionary,
                                                        ByteArraySink* sink, int64_t max_values) {
  if (dictionary.length != dictionary_size_) {
    return Status::Invalid("parquet: dictionary has {} entries but the decoder expects {}",
                           dictionary.length, dictionary_size_);
  }
  int32_t indices[kBatchSize];
  int64_t decoded = 0;
  while (decoded < max_values) {
    ARCFLOW_ASSIGN_OR_RETURN(int64_t count,
                             DecodeIndices(indices, std::min(kBatchSize, max_values - decoded)));
    if (count == 0) break;
    ARCFLOW_RETURN_NOT_OK(GatherByteArraysUnchecked(
        dictionary, std::span<const int32_t>(indices, static_cast<size_t>(count)), sink));
    decoded += count;
  }
  return decoded;
}

Result<int64_t> DictionaryIndexDecoder::Skip(int64_t count) {
  // Skipped indices are not checked: they select nothing.
  return indices_.Skip(count);
}

}  // namespace arcflow::parquet
