#include "arcflow/base/bit_util.h"

#include <bit>
#include <cstring>

namespace arcflow::bit_util {

// The baseline x86-64 target has no POPCNT instruction, so std::popcount compiles to a library
// call; validity bitmaps are counted on every slice and page, so a second version for CPUs with
// the instruction (all since about 2008) is chosen when the program loads.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ARCFLOW_POPCNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define ARCFLOW_POPCNT_CLONES
#endif

ARCFLOW_POPCNT_CLONES
int64_t CountSetBits(const uint8_t* bits, int64_t offset, int64_t length) {
  int64_t count = 0;
  int64_t i = offset;
  const int64_t end = offset + length;
  // Walk single bits up to a byte boundary, then whole 64-bit words, then the tail.
  while (i < end && (i & 7) != 0) count += GetBit(bits, i++);
  while (i + 64 <= end) {
    uint64_t word;
    std::memcpy(&word, bits + (i >> 3), sizeof(word));
    count += std::popcount(word);
    i += 64;
  }
  while (i < end) count += GetBit(bits, i++);
  return count;
}

void CopyBits(const uint8_t* source, int64_t source_offset, int64_t length, uint8_t* dest,
              int64_t dest_offset) {
  if ((source_offset & 7) == 0 && (dest_offset & 7) == 0) {
    int64_t whole_bytes = length >> 3;
    std::memcpy(dest + (dest_offset >> 3), source + (source_offset >> 3),
                static_cast<size_t>(whole_bytes));
    for (int64_t i = whole_bytes * 8; i < length; ++i) {
      SetBitTo(dest, dest_offset + i, GetBit(source, source_offset + i));
    }
    return;
  }
  for (int64_t i = 0; i < length; ++i) {
    SetBitTo(dest, dest_offset + i, GetBit(source, source_offset + i));
  }
}

}  // namespace arcflow::bit_util
