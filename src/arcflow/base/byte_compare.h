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

}  // namespace arcflow
