#include "arcflow/parquet/rle_bit_packed_decoder.h"

#include <algorithm>
#include <limits>
#include <type_traits>

#include "arcflow/parquet/bit_packing.h"

namespace arcflow::parquet {
namespace {

// The format caps every run at 2^31 - 1 values so that readers can count in int32.
constexpr uint64_t kMaxRunLength = std::numeric_limits<int32_t>::max();

}  // namespace

Status RleBitPackedDecoder::Init(std::span<const uint8_t> data, int bit_width) {
  if (bit_width < 0 || bit_width > kMaxBitWidth) {
    return Status::Invalid("parquet: RLE bit width {} is outside [0, {}]", bit_width, kMaxBitWidth);
  }
  data_ = data.data();
  size_ = static_cast<int64_t>(data.size());
  position_ = 0;
  bit_width_ = bit_width;
  run_remaining_ = 0;
  run_is_literal_ = false;
  repeated_value_ = 0;
  literal_data_ = nullptr;
  literal_length_ = 0;
  literal_position_ = 0;
  cache_start_ = 0;
  cache_size_ = 0;
  return Status::OK();
}

Result<int64_t> RleBitPackedDecoder::InitWithLengthPrefix(std::span<const uint8_t> data,
                                                          int bit_width) {
  if (data.size() < 4) {
    return Status::Corruption(
        "parquet: RLE length prefix is truncated (need 4 bytes, {} available)", data.size());
  }
  const uint64_t length = LoadLittleEndian(data.data(), 4);
  if (length > data.size() - 4) {
    return Status::Corruption("parquet: RLE length prefix claims {} bytes but only {} follow it",
                              length, data.size() - 4);
  }
  ARCFLOW_RETURN_NOT_OK(Init(data.subspan(4, static_cast<size_t>(length)), bit_width));
  return static_cast<int64_t>(4 + length);
}

Status RleBitPackedDecoder::NextRun(bool* found) {
  // Zero-length runs are not allowed by the format but are harmless; skip them. Each header
  // consumes at least one byte, so this loop ends.
  while (position_ < size_) {
    const int64_t header_offset = position_;
    uint64_t header;
    if (!ReadUleb128(data_, size_, &position_, &header)) {
      return Status::Corruption("parquet: malformed or truncated RLE run header at offset {}",
                                header_offset);
    }
    if ((header & 1) != 0) {
      const uint64_t groups = header >> 1;
      if (groups > kMaxRunLength / 8) {
        return Status::Corruption(
            "parquet: bit-packed run of {} groups exceeds the 2^31-1 value limit at offset {}",
            groups, header_offset);
      }
      // groups * bit_width cannot overflow: both factors are small after the check above.
      const int64_t bytes = static_cast<int64_t>(groups) * bit_width_;
      if (bytes > size_ - position_) {
        return Status::Corruption(
            "parquet: bit-packed run of {} values needs {} bytes but only {} remain at offset {}",
            groups * 8, bytes, size_ - position_, header_offset);
      }
      if (groups == 0) continue;
      run_is_literal_ = true;
      literal_data_ = data_ + position_;
      literal_length_ = static_cast<int64_t>(groups) * 8;
      literal_position_ = 0;
      cache_size_ = 0;
      run_remaining_ = literal_length_;
      position_ += bytes;
    } else {
      const uint64_t count = header >> 1;
      if (count > kMaxRunLength) {
        return Status::Corruption(
            "parquet: RLE run of {} values exceeds the 2^31-1 limit at offset {}", count,
            header_offset);
      }
      const int value_bytes = (bit_width_ + 7) / 8;
      if (value_bytes > size_ - position_) {
        return Status::Corruption(
            "parquet: RLE run value needs {} bytes but only {} remain at offset {}", value_bytes,
            size_ - position_, header_offset);
      }
      const uint64_t value = LoadLittleEndian(data_ + position_, value_bytes);
      position_ += value_bytes;
      if (bit_width_ < 32 && (value >> bit_width_) != 0) {
        return Status::Corruption(
            "parquet: RLE run value {} does not fit in bit width {} at offset {}", value,
            bit_width_, header_offset);
      }
      if (count == 0) continue;
      run_is_literal_ = false;
      repeated_value_ = static_cast<uint32_t>(value);
      run_remaining_ = static_cast<int64_t>(count);
    }
    *found = true;
    return Status::OK();
  }
  *found = false;
  return Status::OK();
}

template <typename U>
void RleBitPackedDecoder::UnpackLiteral(U* out, int64_t count) {
  while (count > 0) {
    int64_t taken;
    const int64_t cache_end = cache_start_ + cache_size_;
    if (literal_position_ >= cache_start_ && literal_position_ < cache_end) {
      taken = std::min(count, cache_end - literal_position_);
      const uint32_t* source = cache_ + (literal_position_ - cache_start_);
      for (int64_t i = 0; i < taken; ++i) out[i] = static_cast<U>(source[i]);
    } else if ((literal_position_ & 7) == 0 && count >= kCacheSize) {
      // Byte-aligned and at least a block wanted: unpack whole blocks straight into the output.
      taken = count & ~int64_t{kCacheSize - 1};
      UnpackBits(literal_data_ + literal_position_ / 8 * bit_width_, bit_width_, taken, out);
    } else {
      // Unpack the byte-aligned block holding the next value into the cache, then copy from it
      // on the next iteration. Runs are multiples of 8 values, so the block is too.
      cache_start_ = literal_position_ & ~int64_t{7};
      cache_size_ = std::min<int64_t>(kCacheSize, literal_length_ - cache_start_);
      UnpackBits(literal_data_ + cache_start_ / 8 * bit_width_, bit_width_, cache_size_, cache_);
      continue;
    }
    out += taken;
    count -= taken;
    literal_position_ += taken;
  }
}

template <typename T>
Result<int64_t> RleBitPackedDecoder::DecodeValues(T* out, int64_t max_values) {
  using U = std::make_unsigned_t<T>;
  if (bit_width_ > static_cast<int>(sizeof(T) * 8)) {
    return Status::Invalid("parquet: cannot decode RLE values of bit width {} into {}-bit integers",
                           bit_width_, sizeof(T) * 8);
  }
  int64_t decoded = 0;
  while (decoded < max_values) {
    if (run_remaining_ == 0) {
      bool found;
      ARCFLOW_RETURN_NOT_OK(NextRun(&found));
      if (!found) break;
    }
    const int64_t count = std::min(run_remaining_, max_values - decoded);
    if (run_is_literal_) {
      // Signed and unsigned variants of an integer type may alias.
      UnpackLiteral(reinterpret_cast<U*>(out + decoded), count);
    } else {
      std::fill_n(out + decoded, count, static_cast<T>(static_cast<U>(repeated_value_)));
    }
    run_remaining_ -= count;
    decoded += count;
  }
  return decoded;
}

Result<int64_t> RleBitPackedDecoder::Decode(int16_t* out, int64_t max_values) {
  return DecodeValues(out, max_values);
}

Result<int64_t> RleBitPackedDecoder::Decode(int32_t* out, int64_t max_values) {
  return DecodeValues(out, max_values);
}

Result<int64_t> RleBitPackedDecoder::Decode(uint8_t* out, int64_t max_values) {
  return DecodeValues(out, max_values);
}

Result<int64_t> RleBitPackedDecoder::DecodeBitmap(uint8_t* bitmap, int64_t bit_offset,
                                                  int64_t max_values) {
  if (bit_width_ != 1) {
    return Status::Invalid("parquet: cannot decode RLE values of bit width {} into a bitmap",
                           bit_width_);
  }
  int64_t decoded = 0;
  while (decoded < max_values) {
    if (run_remaining_ == 0) {
      bool found;
      ARCFLOW_RETURN_NOT_OK(NextRun(&found));
      if (!found) break;
    }
    const int64_t count = std::min(run_remaining_, max_values - decoded);
    if (run_is_literal_) {
      // With one bit per value the packed run already is an LSB-first bitmap.
      CopyBitmap(literal_data_, literal_position_, count, bitmap, bit_offset + decoded);
      literal_position_ += count;
    } else {
      FillBits(bitmap, bit_offset + decoded, count, repeated_value_ != 0);
    }
    run_remaining_ -= count;
    decoded += count;
  }
  return decoded;
}

Result<int64_t> RleBitPackedDecoder::Skip(int64_t count) {
  int64_t skipped = 0;
  while (skipped < count) {
    if (run_remaining_ == 0) {
      bool found;
      ARCFLOW_RETURN_NOT_OK(NextRun(&found));
      if (!found) break;
    }
    const int64_t step = std::min(run_remaining_, count - skipped);
    if (run_is_literal_) literal_position_ += step;
    run_remaining_ -= step;
    skipped += step;
  }
  return skipped;
}

}  // namespace arcflow::parquet
