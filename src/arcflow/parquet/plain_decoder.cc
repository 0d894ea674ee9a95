#include "arcflow/parquet/plain_decoder.h"

#include <algorithm>
#include <cstring>

#include "arcflow/base/bit_util.h"
#include "arcflow/parquet/bit_packing.h"

namespace arcflow::parquet {

Status PlainDecoder::Init(std::span<const uint8_t> data, PhysicalType type, int32_t type_length) {
  switch (type) {
    case PhysicalType::kBoolean:
    case PhysicalType::kByteArray:
      type_length_ = 0;
      break;
    case PhysicalType::kInt32:
    case PhysicalType::kFloat:
      type_length_ = 4;
      break;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble:
      type_length_ = 8;
      break;
    case PhysicalType::kInt96:
      type_length_ = 12;
      break;
    case PhysicalType::kFixedLenByteArray:
      if (type_length <= 0) {
        return Status::Invalid("parquet: FIXED_LEN_BYTE_ARRAY type length {} is not positive",
                               type_length);
      }
      type_length_ = type_length;
      break;
    default:
      return Status::Invalid("parquet: unknown physical type {}", static_cast<int>(type));
  }
  type_ = type;
  data_ = data.data();
  size_ = static_cast<int64_t>(data.size());
  position_ = 0;
  bit_position_ = 0;
  return Status::OK();
}

Status PlainDecoder::CheckType(PhysicalType expected) const {
  if (type_ != expected) {
    return Status::Invalid("parquet: PLAIN decoder for {} asked to decode {}",
                           PhysicalTypeName(type_), PhysicalTypeName(expected));
  }
  return Status::OK();
}

template <typename T>
Result<int64_t> PlainDecoder::DecodeFixed(T* out, int64_t max_values, PhysicalType expected) {
  ARCFLOW_RETURN_NOT_OK(CheckType(expected));
  const int64_t count = std::min<int64_t>(max_values, (size_ - position_) / sizeof(T));
  if (count <= 0) return int64_t{0};
  std::memcpy(out, data_ + position_, static_cast<size_t>(count) * sizeof(T));
  position_ += count * static_cast<int64_t>(sizeof(T));
  return count;
}

Result<int64_t> PlainDecoder::Decode(int32_t* out, int64_t max_values) {
  return DecodeFixed(out, max_values, PhysicalType::kInt32);
}
Result<int64_t> PlainDecoder::Decode(int64_t* out, int64_t max_values) {
  return DecodeFixed(out, max_values, PhysicalType::kInt64);
}
Result<int64_t> PlainDecoder::Decode(Int96* out, int64_t max_values) {
  return DecodeFixed(out, max_values, PhysicalType::kInt96);
}
Result<int64_t> PlainDecoder::Decode(float* out, int64_t max_values) {
  return DecodeFixed(out, max_values, PhysicalType::kFloat);
}
Result<int64_t> PlainDecoder::Decode(double* out, int64_t max_values) {
  return DecodeFixed(out, max_values, PhysicalType::kDouble);
}

Result<int64_t> PlainDecoder::DecodeBooleans(uint8_t* out, int64_t max_values) {
  ARCFLOW_RETURN_NOT_OK(CheckType(PhysicalType::kBoolean));
  const int64_t count = std::max<int64_t>(0, std::min(max_values, size_ * 8 - bit_position_));
  int64_t i = 0;
  // Single bits up to a byte boundary, then the 1-bit unpack kernel for the rest.
  for (; i < count && ((bit_position_ + i) & 7) != 0; ++i) {
    out[i] = bit_util::GetBit(data_, bit_position_ + i) ? 1 : 0;
  }
  if (i < count) UnpackBits(data_ + ((bit_position_ + i) >> 3), 1, count - i, out + i);
  bit_position_ += count;
  position_ = bit_position_ >> 3;
  return count;
}

Result<int64_t> PlainDecoder::DecodeBooleanBitmap(uint8_t* bitmap, int64_t bit_offset,
                                                  int64_t max_values) {
  ARCFLOW_RETURN_NOT_OK(CheckType(PhysicalType::kBoolean));
  const int64_t count = std::max<int64_t>(0, std::min(max_values, size_ * 8 - bit_position_));
  CopyBitmap(data_, bit_position_, count, bitmap, bit_offset);
  bit_position_ += count;
  position_ = bit_position_ >> 3;
  return count;
}

Result<int64_t> PlainDecoder::DecodeFixedLenByteArray(uint8_t* out, int64_t max_values) {
  ARCFLOW_RETURN_NOT_OK(CheckType(PhysicalType::kFixedLenByteArray));
  const int64_t count =
      std::max<int64_t>(0, std::min(max_values, (size_ - position_) / type_length_));
  if (count == 0) return int64_t{0};
  const int64_t bytes = count * type_length_;
  std::memcpy(out, data_ + position_, static_cast<size_t>(bytes));
  position_ += bytes;
  return count;
}

Status PlainDecoder::ScanByteArrays(int64_t max_values, int64_t* count, int64_t* data_bytes) const {
  int64_t position = position_;
  int64_t values = 0;
  int64_t bytes = 0;
  // A trailing fragment shorter than a length prefix holds no value; stop before it.
  while (values < max_values && size_ - position >= 4) {
    const uint64_t length = LoadLittleEndian(data_ + position, 4);
    if (length > static_cast<uint64_t>(size_ - position - 4)) {
      return Status::Corruption(
          "parquet: PLAIN byte array of {} bytes at offset {} runs past the end of the data ({} "
          "bytes remain)",
          length, position, size_ - position - 4);
    }
    position += 4 + static_cast<int64_t>(length);
    bytes += static_cast<int64_t>(length);
    ++values;
  }
  *count = values;
  *data_bytes = bytes;
  return Status::OK();
}

Result<int64_t> PlainDecoder::DecodeByteArray(ByteArraySink* sink, int64_t max_values) {
  ARCFLOW_RETURN_NOT_OK(CheckType(PhysicalType::kByteArray));
  // Validate the whole batch first so the sink can be sized once and the copy loop below needs
  // no checks.
  int64_t count;
  int64_t data_bytes;
  ARCFLOW_RETURN_NOT_OK(ScanByteArrays(max_values, &count, &data_bytes));
  ARCFLOW_RETURN_NOT_OK(sink->CheckCapacity(data_bytes));
  sink->EnsureStarted();
  // Short values are copied as one fixed-size block, which compiles to a few vector moves
  // instead of a memcpy call; the block may run past the value, into the room reserved here
  // (later values overwrite it) and, on the reading side, only into the page's own bytes.
  constexpr int64_t kBlock = 32;
  sink->offsets.Reserve(count * static_cast<int64_t>(sizeof(int32_t)));
  sink->data.Reserve(data_bytes + kBlock);
  const int64_t data_start = sink->data.size();
  const int64_t offsets_start = sink->offsets.size();
  uint8_t* out = sink->data.data() + data_start;
  auto* offsets = reinterpret_cast<int32_t*>(sink->offsets.data() + offsets_start);
  const uint8_t* in = data_ + position_;
  const uint8_t* const in_end = data_ + size_;
  int64_t written = 0;
  for (int64_t i = 0; i < count; ++i) {
    // ScanByteArrays has checked every length against the page.
    const auto length = static_cast<int64_t>(LoadLittleEndian(in, 4));
    in += 4;
    if (length <= kBlock && in_end - in >= kBlock) {
      std::memcpy(out + written, in, kBlock);
    } else {
      std::memcpy(out + written, in, static_cast<size_t>(length));
    }
    in += length;
    written += length;
    offsets[i] = static_cast<int32_t>(data_start + written);
  }
  sink->data.ResizeUninitialized(data_start + written);
  sink->offsets.ResizeUninitialized(offsets_start + count * static_cast<int64_t>(sizeof(int32_t)));
  position_ = in - data_;
  return count;
}

Result<int64_t> PlainDecoder::Skip(int64_t count) {
  if (count <= 0) return int64_t{0};
  switch (type_) {
    case PhysicalType::kBoolean: {
      const int64_t skipped = std::min(count, size_ * 8 - bit_position_);
      bit_position_ += skipped;
      position_ = bit_position_ >> 3;
      return skipped;
    }
    case PhysicalType::kByteArray: {
      int64_t skipped;
      int64_t data_bytes;
      ARCFLOW_RETURN_NOT_OK(ScanByteArrays(count, &skipped, &data_bytes));
      position_ += skipped * 4 + data_bytes;
      return skipped;
    }
    default: {
      const int64_t skipped = std::min(count, (size_ - position_) / type_length_);
      position_ += skipped * type_length_;
      return skipped;
    }
  }
}

}  // namespace arcflow::parquet
