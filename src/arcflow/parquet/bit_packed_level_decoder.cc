#include "arcflow/parquet/bit_packed_level_decoder.h"

#include <algorithm>
#include <limits>

#include "arcflow/base/bit_util.h"
#include "arcflow/parquet/bit_packing.h"

namespace arcflow::parquet {

Result<int64_t> BitPackedLevelDecoder::Init(std::span<const uint8_t> data, int bit_width,
                                            int64_t num_values) {
  if (bit_width < 0 || bit_width > kMaxBitWidth) {
    return Status::Invalid("parquet: BIT_PACKED level bit width {} is outside [0, {}]", bit_width,
                           kMaxBitWidth);
  }
  if (num_values < 0 || num_values > std::numeric_limits<int64_t>::max() / kMaxBitWidth) {
    return Status::Invalid("parquet: BIT_PACKED level count {} is out of range", num_values);
  }
  const int64_t bytes = bit_util::BytesForBits(num_values * bit_width);
  if (bytes > static_cast<int64_t>(data.size())) {
    return Status::Corruption(
        "parquet: BIT_PACKED levels need {} bytes for {} values but only {} are present", bytes,
        num_values, data.size());
  }
  data_ = data.data();
  bit_width_ = bit_width;
  num_values_ = num_values;
  position_ = 0;
  return bytes;
}

Result<int64_t> BitPackedLevelDecoder::Decode(int16_t* out, int64_t max_values) {
  const int64_t count = std::max<int64_t>(0, std::min(max_values, num_values_ - position_));
  // Signed and unsigned variants of an integer type may alias.
  UnpackBitsMsbFirst(data_, bit_width_, position_, count, reinterpret_cast<uint16_t*>(out));
  position_ += count;
  return count;
}

Result<int64_t> BitPackedLevelDecoder::Skip(int64_t count) {
  const int64_t skipped = std::max<int64_t>(0, std::min(count, num_values_ - position_));
  position_ += skipped;
  return skipped;
}

}  // namespace arcflow::parquet
