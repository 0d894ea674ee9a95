#include "arcflow/parquet/byte_stream_split_encoder.h"

#include "arcflow/base/logging.h"

namespace arcflow::parquet {
namespace {

template <int kWidth>
void ScatterFixedWidth(const uint8_t* values, int64_t count, uint8_t* streams) {
  uint8_t* targets[kWidth];
  for (int k = 0; k < kWidth; ++k) targets[k] = streams + k * count;
  for (int64_t i = 0; i < count; ++i) {
    for (int k = 0; k < kWidth; ++k) targets[k][i] = values[i * kWidth + k];
  }
}

void ScatterAnyWidth(const uint8_t* values, int64_t count, int32_t width, uint8_t* streams) {
  for (int32_t k = 0; k < width; ++k) {
    uint8_t* target = streams + k * count;
    for (int64_t i = 0; i < count; ++i) target[i] = values[i * width + k];
  }
}

}  // namespace

ByteStreamSplitEncoder::ByteStreamSplitEncoder(int32_t value_width) : value_width_(value_width) {
  ARCFLOW_DCHECK(value_width > 0);
}

void ByteStreamSplitEncoder::Put(const float* values, int64_t count) {
  ARCFLOW_DCHECK(value_width_ == sizeof(float));
  PutBytes(reinterpret_cast<const uint8_t*>(values), count);
}
void ByteStreamSplitEncoder::Put(const double* values, int64_t count) {
  ARCFLOW_DCHECK(value_width_ == sizeof(double));
  PutBytes(reinterpret_cast<const uint8_t*>(values), count);
}
void ByteStreamSplitEncoder::Put(const int32_t* values, int64_t count) {
  ARCFLOW_DCHECK(value_width_ == sizeof(int32_t));
  PutBytes(reinterpret_cast<const uint8_t*>(values), count);
}
void ByteStreamSplitEncoder::Put(const int64_t* values, int64_t count) {
  ARCFLOW_DCHECK(value_width_ == sizeof(int64_t));
  PutBytes(reinterpret_cast<const uint8_t*>(values), count);
}

void ByteStreamSplitEncoder::PutBytes(const uint8_t* values, int64_t count) {
  values_.Append(values, count * value_width_);
}

std::shared_ptr<Buffer> ByteStreamSplitEncoder::Finish() {
  const int64_t count = num_values();
  BufferBuilder streams;
  streams.Resize(values_.size());
  switch (value_width_) {
    case 2:
      ScatterFixedWidth<2>(values_.data(), count, streams.data());
      break;
    case 4:
      ScatterFixedWidth<4>(values_.data(), count, streams.data());
      break;
    case 8:
      ScatterFixedWidth<8>(values_.data(), count, streams.data());
      break;
    case 16:
      ScatterFixedWidth<16>(values_.data(), count, streams.data());
      break;
    default:
      ScatterAnyWidth(values_.data(), count, value_width_, streams.data());
      break;
  }
  values_.Clear();
  return streams.Finish();
}

}  // namespace arcflow::parquet
