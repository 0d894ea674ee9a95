#include "arcflow/parquet/delta_binary_packed_encoder.h"

#include <algorithm>
#include <bit>

#include "arcflow/parquet/bit_packing.h"

namespace arcflow::parquet {

template <typename T>
void DeltaBinaryPackedEncoder<T>::Put(const T* values, int64_t count) {
  if (count <= 0) return;
  int64_t i = 0;
  if (total_values_ == 0) {
    // The header carries the first value; deltas start from it.
    first_value_ = last_value_ = static_cast<U>(values[0]);
    i = 1;
  }
  for (; i < count; ++i) {
    const U value = static_cast<U>(values[i]);
    deltas_[num_deltas_++] = value - last_value_;
    last_value_ = value;
    if (num_deltas_ == kBlockSize) FlushBlock();
  }
  total_values_ += count;
}

template <typename T>
void DeltaBinaryPackedEncoder<T>::FlushBlock() {
  if (num_deltas_ == 0) return;
  // The frame of reference is the smallest delta read as a signed number.
  T min_delta = static_cast<T>(deltas_[0]);
  for (int i = 1; i < num_deltas_; ++i) min_delta = std::min(min_delta, static_cast<T>(deltas_[i]));
  const U base = static_cast<U>(min_delta);
  // Pad the block to a whole miniblock with zero offsets, which decode as min_delta and are
  // never read back.
  const int used_miniblocks = (num_deltas_ + kValuesPerMiniblock - 1) / kValuesPerMiniblock;
  U offsets[kBlockSize] = {};
  for (int i = 0; i < num_deltas_; ++i) offsets[i] = deltas_[i] - base;

  uint8_t bit_widths[kMiniblocksPerBlock] = {};
  for (int m = 0; m < used_miniblocks; ++m) {
    U combined = 0;
    for (int i = 0; i < kValuesPerMiniblock; ++i) combined |= offsets[m * kValuesPerMiniblock + i];
    bit_widths[m] = static_cast<uint8_t>(std::bit_width(combined));
  }

  AppendUleb128(&blocks_, ZigZagEncode(static_cast<int64_t>(min_delta)));
  // Widths of miniblocks past the last value stay present (as zero) but carry no data.
  blocks_.Append(bit_widths, kMiniblocksPerBlock);
  for (int m = 0; m < used_miniblocks; ++m) {
    const int64_t bytes = int64_t{kValuesPerMiniblock} * bit_widths[m] / 8;
    const int64_t offset = blocks_.size();
    blocks_.Resize(offset + bytes);
    PackBits(offsets + m * kValuesPerMiniblock, kValuesPerMiniblock, bit_widths[m],
             blocks_.data() + offset);
  }
  num_deltas_ = 0;
}

template <typename T>
int64_t DeltaBinaryPackedEncoder<T>::EstimatedSize() const {
  // Header, written blocks, and the pending block at full width.
  return 4 * kMaxUleb128Bytes + blocks_.size() + kMaxUleb128Bytes + kMiniblocksPerBlock +
         int64_t{kBlockSize} * static_cast<int64_t>(sizeof(T));
}

template <typename T>
void DeltaBinaryPackedEncoder<T>::FinishInto(BufferBuilder* out) {
  FlushBlock();
  AppendUleb128(out, kBlockSize);
  AppendUleb128(out, kMiniblocksPerBlock);
  AppendUleb128(out, static_cast<uint64_t>(total_values_));
  AppendUleb128(out, ZigZagEncode(static_cast<int64_t>(static_cast<T>(first_value_))));
  out->Append(blocks_.data(), blocks_.size());
  blocks_.Clear();
  total_values_ = 0;
  first_value_ = last_value_ = 0;
}

template <typename T>
std::shared_ptr<Buffer> DeltaBinaryPackedEncoder<T>::Finish() {
  BufferBuilder out;
  FinishInto(&out);
  return out.Finish();
}

template class DeltaBinaryPackedEncoder<int32_t>;
template class DeltaBinaryPackedEncoder<int64_t>;

}  // namespace arcflow::parquet
