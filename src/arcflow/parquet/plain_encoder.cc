#include "arcflow/parquet/plain_encoder.h"

#include <limits>

#include "arcflow/base/bit_util.h"
#include "arcflow/base/logging.h"
#include "arcflow/parquet/bit_packing.h"

namespace arcflow::parquet {

PlainEncoder::PlainEncoder(PhysicalType type, int32_t type_length)
    : type_(type), type_length_(type_length) {
  ARCFLOW_DCHECK(type != PhysicalType::kFixedLenByteArray || type_length > 0);
}

template <typename T>
void PlainEncoder::PutFixed(const T* values, int64_t count, PhysicalType expected) {
  ARCFLOW_DCHECK(type_ == expected);
  output_.Append(values, count * static_cast<int64_t>(sizeof(T)));
  num_values_ += count;
}

void PlainEncoder::Put(const int32_t* values, int64_t count) {
  PutFixed(values, count, PhysicalType::kInt32);
}
void PlainEncoder::Put(const int64_t* values, int64_t count) {
  PutFixed(values, count, PhysicalType::kInt64);
}
void PlainEncoder::Put(const Int96* values, int64_t count) {
  PutFixed(values, count, PhysicalType::kInt96);
}
void PlainEncoder::Put(const float* values, int64_t count) {
  PutFixed(values, count, PhysicalType::kFloat);
}
void PlainEncoder::Put(const double* values, int64_t count) {
  PutFixed(values, count, PhysicalType::kDouble);
}

void PlainEncoder::PutBooleans(const uint8_t* values, int64_t count) {
  ARCFLOW_DCHECK(type_ == PhysicalType::kBoolean);
  output_.Resize(bit_util::BytesForBits(num_bits_ + count));
  uint8_t* bits = output_.data();
  int64_t i = 0;
  // Finish the partly written byte, then assemble whole bytes eight values at a time.
  for (; i < count && ((num_bits_ + i) & 7) != 0; ++i) {
    bit_util::SetBitTo(bits, num_bits_ + i, values[i] != 0);
  }
  for (; i + 8 <= count; i += 8) {
    uint8_t byte = 0;
    for (int j = 0; j < 8; ++j) byte |= static_cast<uint8_t>((values[i + j] != 0) << j);
    bits[(num_bits_ + i) >> 3] = byte;
  }
  for (; i < count; ++i) bit_util::SetBitTo(bits, num_bits_ + i, values[i] != 0);
  num_bits_ += count;
  num_values_ += count;
}

void PlainEncoder::PutBooleanBitmap(const uint8_t* bitmap, int64_t bit_offset, int64_t count) {
  ARCFLOW_DCHECK(type_ == PhysicalType::kBoolean);
  output_.Resize(bit_util::BytesForBits(num_bits_ + count));
  CopyBitmap(bitmap, bit_offset, count, output_.data(), num_bits_);
  num_bits_ += count;
  num_values_ += count;
}

void PlainEncoder::PutFixedLenByteArray(const uint8_t* values, int64_t count) {
  ARCFLOW_DCHECK(type_ == PhysicalType::kFixedLenByteArray);
  output_.Append(values, count * type_length_);
  num_values_ += count;
}

Status PlainEncoder::PutByteArray(std::string_view value) {
  ARCFLOW_DCHECK(type_ == PhysicalType::kByteArray);
  if (value.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return Status::Invalid("parquet: byte array value of {} bytes exceeds the 2^31-1 byte limit",
                           value.size());
  }
  output_.Reserve(4 + static_cast<int64_t>(value.size()));
  output_.UnsafeAppendValue(static_cast<uint32_t>(value.size()));
  output_.Append(value);
  ++num_values_;
  return Status::OK();
}

Status PlainEncoder::PutByteArrays(const ByteArraySpan& values) {
  ARCFLOW_DCHECK(type_ == PhysicalType::kByteArray);
  if (values.length == 0) return Status::OK();
  // Offsets are int32, so no single value can exceed the limit; size the output once.
  const int64_t data_bytes = values.offsets[values.length] - values.offsets[0];
  output_.Reserve(4 * values.length + data_bytes);
  for (int64_t i = 0; i < values.length; ++i) {
    const std::string_view value = values.Value(i);
    output_.UnsafeAppendValue(static_cast<uint32_t>(value.size()));
    output_.Append(value);
  }
  num_values_ += values.length;
  return Status::OK();
}

int64_t PlainEncoder::EstimatedSize() const { return output_.size(); }

std::shared_ptr<Buffer> PlainEncoder::Finish() {
  num_values_ = 0;
  num_bits_ = 0;
  return output_.Finish();
}

void PlainEncoder::Clear() {
  num_values_ = 0;
  num_bits_ = 0;
  output_.Clear();
}

}  // namespace arcflow::parquet
