#include "arcflow/parquet/bit_packing.h"

#include <algorithm>
#include <array>
#include <bit>
#include <utility>

#include "arcflow/base/bit_util.h"

namespace arcflow::parquet {

// Parquet stores integers little-endian; the unpack kernels load them with memcpy and rely on
// the host agreeing.
static_assert(std::endian::native == std::endian::little,
              "arcflow's Parquet bit unpacking assumes a little-endian host");

namespace {

constexpr int kBlockValues = 32;

// Extracts value `kIndex` of a 32-value block whose packed bits are held in `words` (32-bit
// little-endian words). Every shift and word index is a compile-time constant, so after
// inlining a block unpacks as straight-line shifts and masks.
template <typename Out, int kWidth, int kIndex>
inline __attribute__((always_inline)) void ExtractValue(const uint32_t* words, Out* out) {
  constexpr int kStart = kIndex * kWidth;
  constexpr int kWord = kStart / 32;
  constexpr int kShift = kStart % 32;
  uint64_t value = static_cast<uint64_t>(words[kWord]) >> kShift;
  if constexpr (kShift + kWidth > 32) {
    value |= static_cast<uint64_t>(words[kWord + 1]) << (32 - kShift);
  }
  if constexpr (kShift + kWidth > 64) {
    value |= static_cast<uint64_t>(words[kWord + 2]) << (64 - kShift);
  }
  if constexpr (kWidth < 64) value &= (uint64_t{1} << kWidth) - 1;
  out[kIndex] = static_cast<Out>(value);
}

template <typename Out, int kWidth, size_t... kIndices>
inline __attribute__((always_inline)) void ExtractBlock(const uint32_t* words, Out* out,
                                                        std::index_sequence<kIndices...>) {
  (ExtractValue<Out, kWidth, static_cast<int>(kIndices)>(words, out), ...);
}

// Unpacks `num_blocks` blocks of 32 values; each block occupies exactly kWidth 32-bit words.
template <typename Out, int kWidth>
void UnpackBlocks(const uint8_t* in, Out* out, int64_t num_blocks) {
  if constexpr (kWidth == 0) {
    std::fill_n(out, num_blocks * kBlockValues, Out{0});
  } else {
    for (int64_t block = 0; block < num_blocks; ++block) {
      uint32_t words[kWidth];
      std::memcpy(words, in, sizeof(words));
      ExtractBlock<Out, kWidth>(words, out, std::make_index_sequence<kBlockValues>());
      in += sizeof(words);
      out += kBlockValues;
    }
  }
}

template <typename Out>
using BlockKernel = void (*)(const uint8_t*, Out*, int64_t);

template <typename Out, size_t... kWidths>
constexpr std::array<BlockKernel<Out>, sizeof...(kWidths)> MakeKernelTable(
    std::index_sequence<kWidths...>) {
  return {&UnpackBlocks<Out, static_cast<int>(kWidths)>...};
}

// One kernel per bit width 0..8*sizeof(Out), chosen once per call rather than per value.
template <typename Out>
constexpr auto kKernels = MakeKernelTable<Out>(std::make_index_sequence<sizeof(Out) * 8 + 1>());

// Unpacks fewer than a block of values, reading only the bytes that hold them.
template <typename Out>
void UnpackTail(const uint8_t* in, int bit_width, int64_t count, Out* out) {
  if (bit_width == 0) {
    std::fill_n(out, count, Out{0});
    return;
  }
  const int64_t total_bytes = (count * bit_width + 7) / 8;
  const uint64_t mask = bit_width == 64 ? ~uint64_t{0} : (uint64_t{1} << bit_width) - 1;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t start = i * bit_width;
    const int64_t byte = start >> 3;
    const int shift = static_cast<int>(start & 7);
    const int available = static_cast<int>(std::min<int64_t>(8, total_bytes - byte));
    uint64_t value = LoadLittleEndian(in + byte, available) >> shift;
    if (shift + bit_width > 64) value |= static_cast<uint64_t>(in[byte + 8]) << (64 - shift);
    out[i] = static_cast<Out>(value & mask);
  }
}

template <typename Out>
void UnpackBitsImpl(const uint8_t* in, int bit_width, int64_t count, Out* out) {
  const int64_t num_blocks = count / kBlockValues;
  if (num_blocks > 0) {
    kKernels<Out>[bit_width](in, out, num_blocks);
    in += num_blocks * kBlockValues / 8 * bit_width;
    out += num_blocks * kBlockValues;
  }
  const int64_t tail = count % kBlockValues;
  if (tail > 0) UnpackTail(in, bit_width, tail, out);
}

// Packs value `kIndex` of a 32-value block into `words` (kWidth 32-bit words, zeroed), the
// mirror of ExtractValue.
template <int kWidth, int kIndex>
inline __attribute__((always_inline)) void DepositValue(const uint32_t* values, uint32_t* words) {
  constexpr int kStart = kIndex * kWidth;
  constexpr int kWord = kStart / 32;
  constexpr int kShift = kStart % 32;
  constexpr uint64_t kMask = kWidth == 32 ? 0xFFFFFFFFull : (uint64_t{1} << kWidth) - 1;
  const uint64_t value = values[kIndex] & kMask;
  words[kWord] |= static_cast<uint32_t>(value << kShift);
  if constexpr (kShift + kWidth > 32)
    words[kWord + 1] |= static_cast<uint32_t>(value >> (32 - kShift));
}

template <int kWidth, size_t... kIndices>
inline __attribute__((always_inline)) void DepositBlock(const uint32_t* values, uint32_t* words,
                                                        std::index_sequence<kIndices...>) {
  (DepositValue<kWidth, static_cast<int>(kIndices)>(values, words), ...);
}

// Packs `num_blocks` blocks of 32 values, kWidth 32-bit words each.
template <int kWidth>
void PackBlocks(const uint32_t* values, uint8_t* out, int64_t num_blocks) {
  if constexpr (kWidth > 0) {
    for (int64_t block = 0; block < num_blocks; ++block) {
      uint32_t words[kWidth] = {};
      DepositBlock<kWidth>(values, words, std::make_index_sequence<kBlockValues>());
      std::memcpy(out, words, sizeof(words));
      values += kBlockValues;
      out += sizeof(words);
    }
  }
}

using PackKernel = void (*)(const uint32_t*, uint8_t*, int64_t);

template <size_t... kWidths>
constexpr std::array<PackKernel, sizeof...(kWidths)> MakePackTable(
    std::index_sequence<kWidths...>) {
  return {&PackBlocks<static_cast<int>(kWidths)>...};
}

constexpr auto kPackKernels = MakePackTable(std::make_index_sequence<33>());

template <typename In>
int64_t PackBitsImpl(const In* values, int64_t count, int bit_width, uint8_t* out) {
  if (bit_width == 0 || count == 0) return 0;
  const uint64_t mask = bit_width == 64 ? ~uint64_t{0} : (uint64_t{1} << bit_width) - 1;
  uint8_t* cursor = out;
  // `pending` holds `pending_bits` (< 64) bits not yet written, lowest first.
  uint64_t pending = 0;
  int pending_bits = 0;
  for (int64_t i = 0; i < count; ++i) {
    const uint64_t value = static_cast<uint64_t>(values[i]) & mask;
    pending |= value << pending_bits;
    const int total_bits = pending_bits + bit_width;
    if (total_bits >= 64) {
      std::memcpy(cursor, &pending, sizeof(pending));
      cursor += sizeof(pending);
      // The bits of `value` that did not fit; none when it started on a word boundary.
      pending = pending_bits == 0 ? 0 : value >> (64 - pending_bits);
      pending_bits = total_bits - 64;
    } else {
      pending_bits = total_bits;
    }
  }
  const int tail_bytes = (pending_bits + 7) / 8;
  std::memcpy(cursor, &pending, static_cast<size_t>(tail_bytes));
  cursor += tail_bytes;
  return cursor - out;
}

}  // namespace

void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint8_t* out) {
  UnpackBitsImpl(in, bit_width, count, out);
}
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint16_t* out) {
  UnpackBitsImpl(in, bit_width, count, out);
}
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint32_t* out) {
  UnpackBitsImpl(in, bit_width, count, out);
}
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint64_t* out) {
  UnpackBitsImpl(in, bit_width, count, out);
}

int64_t PackBits(const uint32_t* values, int64_t count, int bit_width, uint8_t* out) {
  // Whole blocks of 32 values through a kernel specialised for the width, which end on a byte
  // boundary; the rest value by value.
  const int64_t num_blocks = bit_width == 0 ? 0 : count / kBlockValues;
  int64_t written = 0;
  if (num_blocks > 0) {
    kPackKernels[bit_width](values, out, num_blocks);
    written = num_blocks * kBlockValues / 8 * bit_width;
  }
  const int64_t done = num_blocks * kBlockValues;
  return written + PackBitsImpl(values + done, count - done, bit_width, out + written);
}
int64_t PackBits(const uint64_t* values, int64_t count, int bit_width, uint8_t* out) {
  return PackBitsImpl(values, count, bit_width, out);
}

void UnpackBitsMsbFirst(const uint8_t* in, int bit_width, int64_t first_index, int64_t count,
                        uint16_t* out) {
  if (bit_width == 0) {
    std::fill_n(out, count, uint16_t{0});
    return;
  }
  const int64_t end_byte = ((first_index + count) * bit_width + 7) / 8;
  const uint32_t mask = (uint32_t{1} << bit_width) - 1;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t start = (first_index + i) * bit_width;
    const int64_t byte = start >> 3;
    // A value of at most 16 bits spans at most three bytes; gather them big-endian into the top
    // of a 32-bit window and shift the value down to the bottom.
    uint32_t window = static_cast<uint32_t>(in[byte]) << 24;
    if (byte + 1 < end_byte) window |= static_cast<uint32_t>(in[byte + 1]) << 16;
    if (byte + 2 < end_byte) window |= static_cast<uint32_t>(in[byte + 2]) << 8;
    const int shift = 32 - static_cast<int>(start & 7) - bit_width;
    out[i] = static_cast<uint16_t>((window >> shift) & mask);
  }
}

void FillBits(uint8_t* bitmap, int64_t offset, int64_t length, bool value) {
  if (length <= 0) return;
  int64_t i = offset;
  const int64_t end = offset + length;
  // Head bits up to a byte boundary, whole bytes with memset, then tail bits.
  while (i < end && (i & 7) != 0) {
    bit_util::SetBitTo(bitmap, i, value);
    ++i;
  }
  const int64_t whole_bytes = (end - i) >> 3;
  if (whole_bytes > 0) {
    std::memset(bitmap + (i >> 3), value ? 0xFF : 0x00, static_cast<size_t>(whole_bytes));
    i += whole_bytes * 8;
  }
  while (i < end) {
    bit_util::SetBitTo(bitmap, i, value);
    ++i;
  }
}

void CopyBitmap(const uint8_t* source, int64_t source_offset, int64_t length, uint8_t* dest,
                int64_t dest_offset) {
  if (length <= 0) return;
  const int64_t source_end_byte = (source_offset + length + 7) / 8;
  int64_t copied = 0;
  // Bring the destination to a byte boundary bit by bit.
  while (copied < length && ((dest_offset + copied) & 7) != 0) {
    bit_util::SetBitTo(dest, dest_offset + copied,
                       bit_util::GetBit(source, source_offset + copied));
    ++copied;
  }
  // Whole 64-bit destination words: each needs 64 source bits starting at an arbitrary bit,
  // i.e. up to nine source bytes, all of which must lie inside the source range.
  while (length - copied >= 64) {
    const int64_t bit = source_offset + copied;
    const int64_t byte = bit >> 3;
    const int shift = static_cast<int>(bit & 7);
    uint64_t word;
    std::memcpy(&word, source + byte, sizeof(word));
    word >>= shift;
    if (shift != 0) word |= static_cast<uint64_t>(source[byte + 8]) << (64 - shift);
    std::memcpy(dest + ((dest_offset + copied) >> 3), &word, sizeof(word));
    copied += 64;
  }
  // Whole destination bytes, reading only the source bytes that are in range.
  while (length - copied >= 8) {
    const int64_t bit = source_offset + copied;
    const int64_t byte = bit >> 3;
    const int shift = static_cast<int>(bit & 7);
    uint32_t window = source[byte];
    if (shift != 0 && byte + 1 < source_end_byte)
      window |= static_cast<uint32_t>(source[byte + 1]) << 8;
    dest[(dest_offset + copied) >> 3] = static_cast<uint8_t>(window >> shift);
    copied += 8;
  }
  while (copied < length) {
    bit_util::SetBitTo(dest, dest_offset + copied,
                       bit_util::GetBit(source, source_offset + copied));
    ++copied;
  }
}

}  // namespace arcflow::parquet
