#include "arcflow/parquet/delta_byte_array_decoder.h"

#include <algorithm>
#include <cstring>

namespace arcflow::parquet {

Status DeltaByteArrayDecoder::Init(std::span<const uint8_t> data) {
  ARCFLOW_ASSIGN_OR_RETURN(int64_t prefixes_size,
                           DeltaBinaryPackedDecoder<int32_t>::EncodedSize(data));
  ARCFLOW_RETURN_NOT_OK(prefix_lengths_.Init(data.first(static_cast<size_t>(prefixes_size))));
  ARCFLOW_RETURN_NOT_OK(suffixes_.Init(data.subspan(static_cast<size_t>(prefixes_size))));
  if (prefix_lengths_.total_values() != suffixes_.total_values()) {
    return Status::Corruption("parquet: DELTA_BYTE_ARRAY has {} prefix lengths but {} suffixes",
                              prefix_lengths_.total_values(), suffixes_.total_values());
  }
  previous_value_.clear();
  return Status::OK();
}

Result<int64_t> DeltaByteArrayDecoder::DecodeBatch(ByteArraySink* sink, int64_t max_values) {
  int32_t prefixes[kBatchSize];
  int32_t suffix_lengths[kBatchSize];
  const int64_t wanted = std::min(kBatchSize, max_values);
  ARCFLOW_ASSIGN_OR_RETURN(int64_t count, prefix_lengths_.Decode(prefixes, wanted));
  if (count == 0) return count;
  const uint8_t* suffix_bytes;
  ARCFLOW_ASSIGN_OR_RETURN(int64_t suffix_count,
                           suffixes_.DecodeLengths(suffix_lengths, &suffix_bytes, count));
  if (suffix_count != count) {
    return Status::Corruption("parquet: DELTA_BYTE_ARRAY suffix stream ended after {} of {} values",
                              suffix_count, count);
  }
  // Validate every prefix against the length of the value before it and size the output once.
  int64_t previous_length = static_cast<int64_t>(previous_value_.size());
  int64_t total = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (prefixes[i] < 0 || prefixes[i] > previous_length) {
      return Status::Corruption(
          "parquet: DELTA_BYTE_ARRAY prefix length {} is outside [0, {}], the previous value's "
          "length",
          prefixes[i], previous_length);
    }
    previous_length = int64_t{prefixes[i]} + suffix_lengths[i];
    total += previous_length;
    // Check as we go: chained prefixes can grow the output far beyond the page.
    ARCFLOW_RETURN_NOT_OK(sink->CheckCapacity(total));
  }
  sink->EnsureStarted();
  sink->offsets.Reserve(count * static_cast<int64_t>(sizeof(int32_t)));
  sink->data.Reserve(total);
  // The first prefix comes from the previous batch; later ones from the value just written, which
  // stays put because the data was reserved above.
  const uint8_t* previous = reinterpret_cast<const uint8_t*>(previous_value_.data());
  for (int64_t i = 0; i < count; ++i) {
    const int64_t start = sink->data.size();
    sink->data.Append(previous, prefixes[i]);
    sink->data.Append(suffix_bytes, suffix_lengths[i]);
    suffix_bytes += suffix_lengths[i];
    sink->offsets.UnsafeAppendValue(static_cast<int32_t>(sink->data.size()));
    previous = sink->data.data() + start;
  }
  previous_value_.assign(reinterpret_cast<const char*>(previous),
                         static_cast<size_t>(previous_length));
  return count;
}

Result<int64_t> DeltaByteArrayDecoder::Decode(ByteArraySink* sink, int64_t max_values) {
  int64_t decoded = 0;
  while (decoded < max_values) {
    ARCFLOW_ASSIGN_OR_RETURN(int64_t count, DecodeBatch(sink, max_values - decoded));
    if (count == 0) break;
    decoded += count;
  }
  return decoded;
}

Result<int64_t> DeltaByteArrayDecoder::DecodeFixedLenByteArray(uint8_t* out, int32_t type_length,
                                                               int64_t max_values) {
  if (type_length <= 0) {
    return Status::Invalid("parquet: FIXED_LEN_BYTE_ARRAY type length {} is not positive",
                           type_length);
  }
  int64_t decoded = 0;
  while (decoded < max_values) {
    scratch_.offsets.Clear();
    scratch_.data.Clear();
    ARCFLOW_ASSIGN_OR_RETURN(int64_t count, DecodeBatch(&scratch_, max_values - decoded));
    if (count == 0) break;
    const int32_t* offsets = scratch_.offsets.data_as<int32_t>();
    for (int64_t i = 0; i < count; ++i) {
      if (offsets[i + 1] - offsets[i] != type_length) {
        return Status::Corruption(
            "parquet: DELTA_BYTE_ARRAY value {} has {} bytes, not the column's fixed length {}",
            decoded + i, offsets[i + 1] - offsets[i], type_length);
      }
    }
    // All values have the fixed length, so they are already laid out back to back.
    std::memcpy(out + decoded * type_length, scratch_.data.data(),
                static_cast<size_t>(scratch_.data.size()));
    decoded += count;
  }
  return decoded;
}

Result<int64_t> DeltaByteArrayDecoder::Skip(int64_t count) {
  int64_t skipped = 0;
  while (skipped < count) {
    scratch_.offsets.Clear();
    scratch_.data.Clear();
    ARCFLOW_ASSIGN_OR_RETURN(int64_t step, DecodeBatch(&scratch_, count - skipped));
    if (step == 0) break;
    skipped += step;
  }
  return skipped;
}

}  // namespace arcflow::parquet
