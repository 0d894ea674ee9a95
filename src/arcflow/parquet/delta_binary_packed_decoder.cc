#include "arcflow/parquet/delta_binary_packed_decoder.h"

#include <algorithm>
#include <limits>

#include "arcflow/base/bit_util.h"
#include "arcflow/parquet/bit_packing.h"

namespace arcflow::parquet {
namespace {

// Bounds that keep every later product (values per miniblock times bit width, in bits) far from
// int64 overflow; real writers use blocks of 128 to a few thousand values.
constexpr uint64_t kMaxBlockSize = uint64_t{1} << 30;
constexpr uint64_t kMaxTotalValues = std::numeric_limits<int32_t>::max();

}  // namespace

template <typename T>
Status DeltaBinaryPackedDecoder<T>::ParseHeader(const uint8_t* data, int64_t size,
                                                int64_t* position, Header* header) {
  uint64_t block_size;
  uint64_t miniblocks;
  uint64_t total_values;
  if (!ReadUleb128(data, size, position, &block_size)) {
    return Status::Corruption("parquet: DELTA_BINARY_PACKED block size is malformed or truncated");
  }
  if (block_size == 0 || block_size % 128 != 0 || block_size > kMaxBlockSize) {
    return Status::Corruption(
        "parquet: DELTA_BINARY_PACKED block size {} is not a positive multiple of 128 up to {}",
        block_size, kMaxBlockSize);
  }
  if (!ReadUleb128(data, size, position, &miniblocks)) {
    return Status::Corruption(
        "parquet: DELTA_BINARY_PACKED miniblock count is malformed or truncated at offset {}",
        *position);
  }
  if (miniblocks == 0 || miniblocks > block_size || block_size % miniblocks != 0 ||
      (block_size / miniblocks) % 32 != 0) {
    return Status::Corruption(
        "parquet: DELTA_BINARY_PACKED block size {} does not split into {} miniblocks of a "
        "multiple of 32 values",
        block_size, miniblocks);
  }
  if (!ReadUleb128(data, size, position, &total_values)) {
    return Status::Corruption(
        "parquet: DELTA_BINARY_PACKED value count is malformed or truncated at offset {}",
        *position);
  }
  if (total_values > kMaxTotalValues) {
    return Status::Corruption("parquet: DELTA_BINARY_PACKED value count {} exceeds 2^31-1",
                              total_values);
  }
  uint64_t first_value = 0;
  // An empty stream has nothing to anchor, so tolerate a writer that omits its first value.
  if (!(total_values == 0 && *position == size) &&
      !ReadUleb128(data, size, position, &first_value)) {
    return Status::Corruption(
        "parquet: DELTA_BINARY_PACKED first value is malformed or truncated at offset {}",
        *position);
  }
  const int64_t first = ZigZagDecode(first_value);
  if constexpr (sizeof(T) < sizeof(int64_t)) {
    if (first < std::numeric_limits<T>::min() || first > std::numeric_limits<T>::max()) {
      return Status::Corruption(
          "parquet: DELTA_BINARY_PACKED first value {} does not fit in {} bits", first,
          sizeof(T) * 8);
    }
  }
  header->block_size = static_cast<int64_t>(block_size);
  header->miniblocks_per_block = static_cast<int64_t>(miniblocks);
  header->values_per_miniblock = static_cast<int64_t>(block_size / miniblocks);
  header->total_values = static_cast<int64_t>(total_values);
  header->first_value = static_cast<U>(first);
  return Status::OK();
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::Init(std::span<const uint8_t> data) {
  data_ = data.data();
  size_ = static_cast<int64_t>(data.size());
  position_ = 0;
  Header header;
  ARCFLOW_RETURN_NOT_OK(ParseHeader(data_, size_, &position_, &header));
  miniblocks_per_block_ = header.miniblocks_per_block;
  values_per_miniblock_ = header.values_per_miniblock;
  total_values_ = header.total_values;
  values_remaining_ = header.total_values;
  first_value_pending_ = header.total_values > 0;
  last_value_ = header.first_value;
  min_delta_ = 0;
  bit_widths_ = nullptr;
  miniblock_index_ = miniblocks_per_block_;
  miniblock_data_ = nullptr;
  bit_width_ = 0;
  miniblock_values_ = 0;
  miniblock_position_ = 0;
  cache_start_ = 0;
  cache_size_ = 0;
  return Status::OK();
}

template <typename T>
Result<int64_t> DeltaBinaryPackedDecoder<T>::EncodedSize(std::span<const uint8_t> data) {
  // Walk the stream with a decoder that locates every miniblock but never unpacks one.
  DeltaBinaryPackedDecoder decoder;
  ARCFLOW_RETURN_NOT_OK(decoder.Init(data));
  if (decoder.first_value_pending_) {
    decoder.first_value_pending_ = false;
    --decoder.values_remaining_;
  }
  while (decoder.values_remaining_ > 0) {
    ARCFLOW_RETURN_NOT_OK(decoder.StartMiniblock());
    decoder.values_remaining_ -= decoder.miniblock_values_;
  }
  return decoder.position_;
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::StartBlock() {
  const int64_t block_offset = position_;
  uint64_t min_delta;
  if (!ReadUleb128(data_, size_, &position_, &min_delta)) {
    return Status::Corruption(
        "parquet: DELTA_BINARY_PACKED block min delta is malformed or truncated at offset {}",
        block_offset);
  }
  if (miniblocks_per_block_ > size_ - position_) {
    return Status::Corruption(
        "parquet: DELTA_BINARY_PACKED block at offset {} needs {} bit widths but only {} bytes "
        "remain",
        block_offset, miniblocks_per_block_, size_ - position_);
  }
  // For INT32 the min delta is taken modulo 2^32, like every other step of the arithmetic.
  min_delta_ = static_cast<U>(static_cast<uint64_t>(ZigZagDecode(min_delta)));
  bit_widths_ = data_ + position_;
  position_ += miniblocks_per_block_;
  miniblock_index_ = 0;
  return Status::OK();
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::StartMiniblock() {
  if (miniblock_index_ == miniblocks_per_block_) ARCFLOW_RETURN_NOT_OK(StartBlock());
  const int bit_width = bit_widths_[miniblock_index_];
  if (bit_width > static_cast<int>(sizeof(T) * 8)) {
    return Status::Corruption(
        "parquet: DELTA_BINARY_PACKED miniblock bit width {} exceeds {} at offset {}", bit_width,
        sizeof(T) * 8, bit_widths_ - data_ + miniblock_index_);
  }
  ++miniblock_index_;
  // Only the values the stream still holds must be present; the padding of the final miniblock
  // is skipped if there, but a writer that left it out is tolerated.
  const int64_t count = std::min(values_per_miniblock_, values_remaining_);
  const int64_t needed = bit_util::BytesForBits(count * bit_width);
  if (needed > size_ - position_) {
    return Status::Corruption(
        "parquet: DELTA_BINARY_PACKED miniblock of {} values at {} bits needs {} bytes but only {} "
        "remain at offset {}",
        count, bit_width, needed, size_ - position_, position_);
  }
  const int64_t padded = values_per_miniblock_ * bit_width / 8;
  miniblock_data_ = data_ + position_;
  position_ += std::min(padded, size_ - position_);
  bit_width_ = bit_width;
  miniblock_values_ = count;
  miniblock_position_ = 0;
  cache_size_ = 0;
  return Status::OK();
}

template <typename T>
void DeltaBinaryPackedDecoder<T>::UnpackDeltas(U* out, int64_t count) {
  while (count > 0) {
    int64_t taken;
    const int64_t cache_end = cache_start_ + cache_size_;
    if (miniblock_position_ >= cache_start_ && miniblock_position_ < cache_end) {
      taken = std::min(count, cache_end - miniblock_position_);
      std::copy_n(cache_ + (miniblock_position_ - cache_start_), taken, out);
    } else if ((miniblock_position_ & 7) == 0 && count >= kCacheSize) {
      // Byte-aligned and at least a block wanted: unpack whole blocks straight into the output.
      taken = count & ~int64_t{kCacheSize - 1};
      UnpackBits(miniblock_data_ + miniblock_position_ / 8 * bit_width_, bit_width_, taken, out);
    } else {
      // Unpack the byte-aligned group holding the next delta into the cache. It ends at or before
      // the miniblock's last present value, so it reads only bytes checked in StartMiniblock.
      cache_start_ = miniblock_position_ & ~int64_t{7};
      cache_size_ = std::min<int64_t>(kCacheSize, miniblock_values_ - cache_start_);
      UnpackBits(miniblock_data_ + cache_start_ / 8 * bit_width_, bit_width_, cache_size_, cache_);
      continue;
    }
    out += taken;
    count -= taken;
    miniblock_position_ += taken;
  }
}

template <typename T>
Result<int64_t> DeltaBinaryPackedDecoder<T>::Decode(T* out, int64_t max_values) {
  int64_t decoded = 0;
  if (max_values <= 0 || values_remaining_ == 0) return decoded;
  if (first_value_pending_) {
    out[0] = static_cast<T>(last_value_);
    first_value_pending_ = false;
    --values_remaining_;
    decoded = 1;
  }
  while (decoded < max_values && values_remaining_ > 0) {
    if (miniblock_position_ == miniblock_values_) ARCFLOW_RETURN_NOT_OK(StartMiniblock());
    const int64_t count = std::min(miniblock_values_ - miniblock_position_, max_values - decoded);
    // Signed and unsigned variants of an integer type may alias: unpack the deltas in place, then
    // turn them into values with a running sum that wraps.
    U* values = reinterpret_cast<U*>(out + decoded);
    UnpackDeltas(values, count);
    U last = last_value_;
    const U min_delta = min_delta_;
    for (int64_t i = 0; i < count; ++i) {
      last += min_delta + values[i];
      values[i] = last;
    }
    last_value_ = last;
    decoded += count;
    values_remaining_ -= count;
  }
  return decoded;
}

template <typename T>
Result<int64_t> DeltaBinaryPackedDecoder<T>::Skip(int64_t count) {
  T scratch[256];
  int64_t skipped = 0;
  while (skipped < count) {
    ARCFLOW_ASSIGN_OR_RETURN(int64_t step,
                             Decode(scratch, std::min<int64_t>(256, count - skipped)));
    if (step == 0) break;
    skipped += step;
  }
  return skipped;
}

template class DeltaBinaryPackedDecoder<int32_t>;
template class DeltaBinaryPackedDecoder<int64_t>;

}  // namespace arcflow::parquet
