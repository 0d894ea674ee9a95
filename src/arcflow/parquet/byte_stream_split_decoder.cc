#include "arcflow/parquet/byte_stream_split_decoder.h"

#include <algorithm>
#include <cstring>

namespace arcflow::parquet {
namespace {

// Gathers byte k of each value from stream k. With the width a compile-time constant the inner
// loop unrolls into K loads and one K-byte store per value.
template <int kWidth>
void GatherFixedWidth(const uint8_t* streams, int64_t stream_length, int64_t first, int64_t count,
                      uint8_t* out) {
  const uint8_t* sources[kWidth];
  for (int k = 0; k < kWidth; ++k) sources[k] = streams + k * stream_length + first;
  for (int64_t i = 0; i < count; ++i) {
    uint8_t value[kWidth];
    for (int k = 0; k < kWidth; ++k) value[k] = sources[k][i];
    std::memcpy(out + i * kWidth, value, kWidth);
  }
}

void GatherAnyWidth(const uint8_t* streams, int64_t stream_length, int32_t width, int64_t first,
                    int64_t count, uint8_t* out) {
  // Walk one stream at a time so reads stay sequential; writes stride by the width.
  for (int32_t k = 0; k < width; ++k) {
    const uint8_t* source = streams + k * stream_length + first;
    for (int64_t i = 0; i < count; ++i) out[i * width + k] = source[i];
  }
}

}  // namespace

Status ByteStreamSplitDecoder::Init(std::span<const uint8_t> data, int32_t value_width) {
  if (value_width <= 0) {
    return Status::Invalid("parquet: BYTE_STREAM_SPLIT value width {} is not positive",
                           value_width);
  }
  if (data.size() % static_cast<size_t>(value_width) != 0) {
    return Status::Corruption(
        "parquet: BYTE_STREAM_SPLIT data of {} bytes is not a whole number of {}-byte values",
        data.size(), value_width);
  }
  data_ = data.data();
  value_width_ = value_width;
  num_values_ = static_cast<int64_t>(data.size()) / value_width;
  position_ = 0;
  return Status::OK();
}

Result<int64_t> ByteStreamSplitDecoder::DecodeWidth(void* out, int64_t max_values, int32_t width) {
  if (width != value_width_) {
    return Status::Invalid("parquet: BYTE_STREAM_SPLIT values are {} bytes wide, not {}",
                           value_width_, width);
  }
  return DecodeBytes(static_cast<uint8_t*>(out), max_values);
}

Result<int64_t> ByteStreamSplitDecoder::Decode(float* out, int64_t max_values) {
  return DecodeWidth(out, max_values, sizeof(float));
}
Result<int64_t> ByteStreamSplitDecoder::Decode(double* out, int64_t max_values) {
  return DecodeWidth(out, max_values, sizeof(double));
}
Result<int64_t> ByteStreamSplitDecoder::Decode(int32_t* out, int64_t max_values) {
  return DecodeWidth(out, max_values, sizeof(int32_t));
}
Result<int64_t> ByteStreamSplitDecoder::Decode(int64_t* out, int64_t max_values) {
  return DecodeWidth(out, max_values, sizeof(int64_t));
}

Result<int64_t> ByteStreamSplitDecoder::DecodeBytes(uint8_t* out, int64_t max_values) {
  const int64_t count = std::max<int64_t>(0, std::min(max_values, num_values_ - position_));
  if (count == 0) return count;
  switch (value_width_) {
    case 2:
      GatherFixedWidth<2>(data_, num_values_, position_, count, out);
      break;
    case 4:
      GatherFixedWidth<4>(data_, num_values_, position_, count, out);
      break;
    case 8:
      GatherFixedWidth<8>(data_, num_values_, position_, count, out);
      break;
    case 16:
      GatherFixedWidth<16>(data_, num_values_, position_, count, out);
      break;
    default:
      GatherAnyWidth(data_, num_values_, value_width_, position_, count, out);
      break;
  }
  position_ += count;
  return count;
}

Result<int64_t> ByteStreamSplitDecoder::Skip(int64_t count) {
  const int64_t skipped = std::max<int64_t>(0, std::min(count, num_values_ - position_));
  position_ += skipped;
  return skipped;
}

}  // namespace arcflow::parquet
