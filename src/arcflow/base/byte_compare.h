#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace arcflow {

// Whether `a` sorts before `b` as strings of unsigned bytes: the order of std::string_view,
// compared eight bytes at a time in registers. Statistics compare every value of a column with
// its running min and max, and most values are short; there a call to memcmp costs more than
// the comparison.
inline bool BytesLess(std::string_view a, std::string_view b) {
  static_assert(std::endian::native == std::endian::little,
                "byte-swapping a little-endian load gives the bytes' order");
  const size_t common = std::min(a.size(), b.size());
  size_t i = 0;
  const auto words_differ = [&](size_t offset, bool* less) {
    uint64_t x;
    uint64_t y;
    std::memcpy(&x, a.data() + offset, sizeof(x));
    std::memcpy(&y, b.data() + offset, sizeof(y));
    if (x == y) return false;
    *less = __builtin_bswap64(x) < __builtin_bswap64(y);
    return true;
  };
  bool less = false;
  for (; i + 8 <= common; i += 8) {
    if (words_differ(i, &less)) return less;
  }
  if (i < common && common >= 8) {
    // The last word of the common part overlaps bytes already found equal, so only its new
    // bytes can differ.
    if (words_differ(common - 8, &less)) return less;
    i = common;
  }
  for (; i < common; ++i) {
    if (a[i] != b[i]) return static_cast<uint8_t>(a[i]) < static_cast<uint8_t>(b[i]);
  }
  return a.size() < b.size();
}

// Whether the `length` bytes at `a` and at `b` are equal. Dictionary encoders check every value
// that hashes like an entry against it; values are mostly a few bytes long, and comparing them
// with at most two overlapping loads each costs less than a call to memcmp. Reads no byte
// outside either range.
inline bool BytesEqual(const void* a, const void* b, size_t length) {
  const auto* x = static_cast<const uint8_t*>(a);
  const auto* y = static_cast<const uint8_t*>(b);
  const auto load64 = [](const uint8_t* p) {
    uint64_t word;
    std::memcpy(&word, p, sizeof(word));
    return word;
  };
  const auto load32 = [](const uint8_t* p) {
    uint32_t word;
    std::memcpy(&word, p, sizeof(word));
    return word;
  };
  if (length >= 8) {
    if (length > 16) return std::memcmp(x, y, length) == 0;
    return load64(x) == load64(y) && load64(x + length - 8) == load64(y + length - 8);
  }
  if (length >= 4)
    return load32(x) == load32(y) && load32(x + length - 4) == load32(y + length - 4);
  for (size_t i = 0; i < length; ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

}  // namespace arcflow
