#include "arcflow/parquet/delta_length_byte_array_decoder.h"

#include <algorithm>

namespace arcflow::parquet {

Status DeltaLengthByteArrayDecoder::Init(std::span<const uint8_t> data) {
  ARCFLOW_ASSIGN_OR_RETURN(int64_t lengths_size,
                           DeltaBinaryPackedDecoder<int32_t>::EncodedSize(data));
  ARCFLOW_RETURN_NOT_OK(lengths_.Init(data.first(static_cast<size_t>(lengths_size))));
  bytes_ = data.data() + lengths_size;
  bytes_size_ = static_cast<int64_t>(data.size()) - lengths_size;
  bytes_position_ = 0;
  return Status::OK();
}

Result<int64_t> DeltaLengthByteArrayDecoder::DecodeLengths(int32_t* lengths, const uint8_t** bytes,
                                                           int64_t max_values) {
  ARCFLOW_ASSIGN_OR_RETURN(int64_t count, lengths_.Decode(lengths, max_values));
  int64_t total = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (lengths[i] < 0) {
      return Status::Corruption("parquet: DELTA_LENGTH_BYTE_ARRAY length {} is negative",
                                lengths[i]);
    }
    total += lengths[i];
  }
  // `total` cannot overflow: at most 2^31 values of at most 2^31-1 bytes each.
  if (total > bytes_size_ - bytes_position_) {
    return Status::Corruption(
        "parquet: DELTA_LENGTH_BYTE_ARRAY values need {} bytes but only {} remain at offset {}",
        total, bytes_size_ - bytes_position_, bytes_position_);
  }
  *bytes = bytes_ + bytes_position_;
  bytes_position_ += total;
  return count;
}

Result<int64_t> DeltaLengthByteArrayDecoder::Decode(ByteArraySink* sink, int64_t max_values) {
  int32_t lengths[kBatchSize];
  int64_t decoded = 0;
  while (decoded < max_values) {
    const uint8_t* bytes;
    ARCFLOW_ASSIGN_OR_RETURN(
        int64_t count, DecodeLengths(lengths, &bytes, std::min(kBatchSize, max_values - decoded)));
    if (count == 0) break;
    int64_t total = 0;
    for (int64_t i = 0; i < count; ++i) total += lengths[i];
    ARCFLOW_RETURN_NOT_OK(sink->CheckCapacity(total));
    sink->EnsureStarted();
    sink->offsets.Reserve(count * static_cast<int64_t>(sizeof(int32_t)));
    int32_t offset = static_cast<int32_t>(sink->data.size());
    for (int64_t i = 0; i < count; ++i) {
      offset += lengths[i];
      sink->offsets.UnsafeAppendValue(offset);
    }
    sink->data.Append(bytes, total);
    decoded += count;
  }
  return decoded;
}

Result<int64_t> DeltaLengthByteArrayDecoder::Skip(int64_t count) {
  int32_t lengths[kBatchSize];
  int64_t skipped = 0;
  while (skipped < count) {
    const uint8_t* bytes;
    ARCFLOW_ASSIGN_OR_RETURN(int64_t step,
                             DecodeLengths(lengths, &bytes, std::min(kBatchSize, count - skipped)));
    if (step == 0) break;
    skipped += step;
  }
  return skipped;
}

}  // namespace arcflow::parquet
