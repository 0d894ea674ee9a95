#include "arcflow/parquet/dictionary_encoder.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "arcflow/base/bit_util.h"
#include "arcflow/base/byte_compare.h"
#include "arcflow/base/hash.h"
#include "arcflow/base/logging.h"
#include "arcflow/parquet/bit_packing.h"
#include "arcflow/parquet/plain_encoder.h"
#include "arcflow/parquet/rle_bit_packed_encoder.h"

namespace arcflow::parquet {

using hash::HashBytes;
using hash::HashValue;

namespace internal {

int DictionaryIndexBitWidth(int64_t num_entries) {
  if (num_entries <= 1) return 1;
  return std::max(1, static_cast<int>(std::bit_width(static_cast<uint64_t>(num_entries - 1))));
}

int64_t DictionaryIndexBuffer::EstimatedSize(int64_t num_entries) const {
  // Per group of 8 indices the hybrid encoding spends at most the packed bytes plus a run
  // header, or, as part of a repeated run, a share of a header and a value of at most 5 bytes.
  const int bit_width = DictionaryIndexBitWidth(num_entries);
  const int64_t groups = (size() + 7) / 8;
  return 1 + groups * std::max(bit_width + 1, 5) + kMaxUleb128Bytes;
}

std::shared_ptr<Buffer> DictionaryIndexBuffer::Flush(int64_t num_entries) {
  const int bit_width = DictionaryIndexBitWidth(num_entries);
  RleBitPackedEncoder encoder(bit_width);
  encoder.Put(indices_.data(), static_cast<int64_t>(indices_.size()));
  BufferBuilder out;
  const uint8_t width_byte = static_cast<uint8_t>(bit_width);
  out.Append(&width_byte, 1);
  encoder.FinishInto(&out);
  indices_.clear();
  return out.Finish();
}

}  // namespace internal

template <typename T>
void DictionaryEncoder<T>::Put(const T* values, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    const T& value = values[i];
    const uint64_t hash = HashValue(value);
    size_t slot = 0;
    int32_t index = table_.Find(
        hash,
        [&](int32_t candidate) {
          return std::memcmp(&entries_[static_cast<size_t>(candidate)], &value, sizeof(T)) == 0;
        },
        &slot);
    if (index < 0) {
      index = static_cast<int32_t>(entries_.size());
      entries_.push_back(value);
      table_.Insert(slot, hash, index);
    }
    indices_.Append(index);
  }
}

template <typename T>
std::shared_ptr<Buffer> DictionaryEncoder<T>::EncodeDictionaryPage() const {
  PhysicalType type;
  if constexpr (std::is_same_v<T, int32_t>) {
    type = PhysicalType::kInt32;
  } else if constexpr (std::is_same_v<T, int64_t>) {
    type = PhysicalType::kInt64;
  } else if constexpr (std::is_same_v<T, Int96>) {
    type = PhysicalType::kInt96;
  } else if constexpr (std::is_same_v<T, float>) {
    type = PhysicalType::kFloat;
  } else {
    type = PhysicalType::kDouble;
  }
  PlainEncoder encoder(type);
  encoder.Put(entries_.data(), num_entries());
  return encoder.Finish();
}

template <typename T>
void DictionaryEncoder<T>::Reset() {
  entries_.clear();
  table_.Clear();
  indices_.Clear();
}

template class DictionaryEncoder<int32_t>;
template class DictionaryEncoder<int64_t>;
template class DictionaryEncoder<Int96>;
template class DictionaryEncoder<float>;
template class DictionaryEncoder<double>;

// Inline in both Puts: most values are found, and a call with a Status per value costs as
// much as the lookup.
[[gnu::always_inline]] inline Status ByteArrayDictionaryEncoder::PutOne(std::string_view value) {
  const int32_t* offsets = entries_.offsets.data_as<int32_t>();
  const uint8_t* data = entries_.data.data();
  const uint64_t hash = HashBytes(reinterpret_cast<const uint8_t*>(value.data()), value.size());
  size_t slot = 0;
  const int32_t index = table_.Find(
      hash,
      [&](int32_t candidate) {
        const int32_t start = offsets[candidate];
        const size_t length = static_cast<size_t>(offsets[candidate + 1] - start);
        return length == value.size() && BytesEqual(data + start, value.data(), length);
      },
      &slot);
  if (index < 0) return AddEntry(value, hash, slot);
  indices_.Append(index);
  return Status::OK();
}

Status ByteArrayDictionaryEncoder::AddEntry(std::string_view value, uint64_t hash, size_t slot) {
  const auto index = static_cast<int32_t>(entries_.length());
  // Append before touching the table, so a value that does not fit leaves the encoder intact.
  ARCFLOW_RETURN_NOT_OK(entries_.Append(value));
  table_.Insert(slot, hash, index);
  indices_.Append(index);
  return Status::OK();
}

Status ByteArrayDictionaryEncoder::Put(std::string_view value) { return PutOne(value); }

Status ByteArrayDictionaryEncoder::Put(const ByteArraySpan& values) {
  for (int64_t i = 0; i < values.length; ++i) ARCFLOW_RETURN_NOT_OK(PutOne(values.Value(i)));
  return Status::OK();
}

std::shared_ptr<Buffer> ByteArrayDictionaryEncoder::EncodeDictionaryPage() const {
  PlainEncoder encoder(PhysicalType::kByteArray);
  // The arena's values are below 2^31-1 bytes in total, so encoding cannot fail.
  Status status = encoder.PutByteArrays(entries_.View());
  ARCFLOW_CHECK(status.ok(), status.ToString());
  return encoder.Finish();
}

void ByteArrayDictionaryEncoder::Reset() {
  entries_.offsets.Clear();
  entries_.data.Clear();
  table_.Clear();
  indices_.Clear();
}

FixedLenByteArrayDictionaryEncoder::FixedLenByteArrayDictionaryEncoder(int32_t type_length)
    : type_length_(type_length) {
  ARCFLOW_DCHECK(type_length > 0);
}

void FixedLenByteArrayDictionaryEncoder::Put(const uint8_t* values, int64_t count) {
  const size_t width = static_cast<size_t>(type_length_);
  for (int64_t i = 0; i < count; ++i) {
    const uint8_t* value = values + static_cast<size_t>(i) * width;
    const uint64_t hash = HashBytes(value, width);
    size_t slot = 0;
    int32_t index = table_.Find(
        hash,
        [&](int32_t candidate) {
          return BytesEqual(entries_.data() + static_cast<size_t>(candidate) * width, value, width);
        },
        &slot);
    if (index < 0) {
      index = static_cast<int32_t>(num_entries());
      entries_.Append(value, type_length_);
      table_.Insert(slot, hash, index);
    }
    indices_.Append(index);
  }
}

std::shared_ptr<Buffer> FixedLenByteArrayDictionaryEncoder::EncodeDictionaryPage() const {
  PlainEncoder encoder(PhysicalType::kFixedLenByteArray, type_length_);
  encoder.PutFixedLenByteArray(entries_.data(), num_entries());
  return encoder.Finish();
}

void FixedLenByteArrayDictionaryEncoder::Reset() {
  entries_.Clear();
  table_.Clear();
  indices_.Clear();
}

}  // namespace arcflow::parquet
