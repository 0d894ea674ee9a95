#pragma once

#include <cstdint>
#include <span>
#include <type_traits>

#include "arcflow/base/result.h"
#include "arcflow/base/status.h"

namespace arcflow::parquet {

// Decodes DELTA_BINARY_PACKED (Parquet encoding 5) into INT32 (T = int32_t) or INT64
// (T = int64_t) values. The stream is a header (block size, miniblocks per block, value count,
// first value) followed by blocks, each a zigzag min delta, one bit width byte per miniblock,
// and the miniblocks' bit-packed deltas.
//
// Arithmetic wraps modulo 2^32 or 2^64 as the format requires, so it is done unsigned. The
// header is validated on Init (block size a positive multiple of 128, values per miniblock a
// multiple of 32, value count at most 2^31-1); each block and miniblock is validated before its
// values are touched (bit width at most 8 * sizeof(T), bytes present). The value count is never
// used to size an allocation.
//
// The decoder does not own the bytes it reads; they must outlive it. Not thread-safe.
template <typename T>
class DeltaBinaryPackedDecoder {
  static_assert(std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>,
                "DELTA_BINARY_PACKED holds INT32 or INT64 values");

 public:
  DeltaBinaryPackedDecoder() = default;

  // Parses the header of the stream starting at `data`. Bytes after the stream are ignored.
  Status Init(std::span<const uint8_t> data);

  // Walks the stream starting at `data` block by block, without unpacking any value, and returns
  // its length in bytes: where the next section of a DELTA_LENGTH_BYTE_ARRAY or DELTA_BYTE_ARRAY
  // page begins. Corruption if the stream is malformed or truncated.
  static Result<int64_t> EncodedSize(std::span<const uint8_t> data);

  // Decodes up to `max_values` values and returns how many were decoded; fewer only when the
  // stream's value count is reached.
  Result<int64_t> Decode(T* out, int64_t max_values);

  // Skips up to `count` values (they must still be unpacked to keep the running sum); returns
  // how many were skipped.
  Result<int64_t> Skip(int64_t count);

  // The value count the header declares. Untrusted: do not size allocations by it.
  int64_t total_values() const { return total_values_; }
  int64_t values_remaining() const { return values_remaining_; }

 private:
  using U = std::make_unsigned_t<T>;

  struct Header {
    int64_t block_size = 0;
    int64_t miniblocks_per_block = 0;
    int64_t values_per_miniblock = 0;
    int64_t total_values = 0;
    U first_value = 0;
  };
  static Status ParseHeader(const uint8_t* data, int64_t size, int64_t* position, Header* header);
  // Reads a block's min delta and locates its bit widths.
  Status StartBlock();
  // Locates the next miniblock's packed deltas, starting a new block when needed.
  Status StartMiniblock();
  // Unpacks `count` deltas of the current miniblock into `out`. REQUIRES: count is at most
  // what is left of the miniblock.
  void UnpackDeltas(U* out, int64_t count);

  const uint8_t* data_ = nullptr;
  int64_t size_ = 0;
  int64_t position_ = 0;  // Offset of the next unread byte.

  int64_t miniblocks_per_block_ = 0;
  int64_t values_per_miniblock_ = 0;
  int64_t total_values_ = 0;
  int64_t values_remaining_ = 0;  // Values not yet returned, including a pending first value.
  bool first_value_pending_ = false;
  U last_value_ = 0;

  // The current block: its min delta and bit widths, and how many of its miniblocks are used.
  U min_delta_ = 0;
  const uint8_t* bit_widths_ = nullptr;
  int64_t miniblock_index_ = 0;

  // The current miniblock: `miniblock_values_` deltas of `bit_width_` bits at `miniblock_data_`,
  // of which `miniblock_position_` have been consumed.
  const uint8_t* miniblock_data_ = nullptr;
  int bit_width_ = 0;
  int64_t miniblock_values_ = 0;
  int64_t miniblock_position_ = 0;

  // Deltas [cache_start_, cache_start_ + cache_size_) of the current miniblock, unpacked when a
  // batch starts or ends inside a 32-value group.
  static constexpr int kCacheSize = 32;
  U cache_[kCacheSize];
  int64_t cache_start_ = 0;
  int64_t cache_size_ = 0;
};

extern template class DeltaBinaryPackedDecoder<int32_t>;
extern template class DeltaBinaryPackedDecoder<int64_t>;

}  // namespace arcflow::parquet
