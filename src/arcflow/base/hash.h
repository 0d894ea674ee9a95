#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

// Fast non-cryptographic hashes for in-memory hash tables (dictionary encoding, MERGE keys).
// Quality matters, resistance to adversarial collisions does not: a collision costs a
// comparison. Values are not stable across versions; never persist them.
namespace arcflow::hash {

// Folds the 128-bit product of two words into 64 bits; the multiply spreads every input bit
// over the whole result.
inline uint64_t MultiplyFold(uint64_t a, uint64_t b) {
  const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

namespace internal {

inline uint64_t Load64(const uint8_t* p) {
  uint64_t value;
  std::memcpy(&value, p, sizeof(value));
  return value;
}

inline uint64_t Load32(const uint8_t* p) {
  uint32_t value;
  std::memcpy(&value, p, sizeof(value));
  return value;
}

inline constexpr uint64_t kSeed0 = 0x9E3779B97F4A7C15ull;
inline constexpr uint64_t kSeed1 = 0xC2B2AE3D27D4EB4Full;
inline constexpr uint64_t kSeed2 = 0x165667B19E3779F9ull;

}  // namespace internal

// A hash of a byte string: 16 bytes per multiply, short strings with two overlapping loads.
inline uint64_t HashBytes(const void* bytes, size_t length) {
  using internal::kSeed0;
  using internal::kSeed1;
  using internal::kSeed2;
  using internal::Load32;
  using internal::Load64;
  const auto* p = static_cast<const uint8_t*>(bytes);
  uint64_t state = kSeed0 ^ length;
  size_t remaining = length;
  while (remaining > 16) {
    state = MultiplyFold(Load64(p) ^ kSeed1, Load64(p + 8) ^ state);
    p += 16;
    remaining -= 16;
  }
  uint64_t a = 0;
  uint64_t b = 0;
  if (remaining >= 8) {
    a = Load64(p);
    b = Load64(p + remaining - 8);
  } else if (remaining >= 4) {
    a = Load32(p);
    b = Load32(p + remaining - 4);
  } else if (remaining > 0) {
    a = (uint64_t{p[0]} << 16) | (uint64_t{p[remaining / 2]} << 8) | p[remaining - 1];
  }
  state = MultiplyFold(a ^ kSeed1, b ^ state ^ kSeed2);
  return MultiplyFold(state ^ kSeed2, length ^ kSeed0);
}

// A hash of a word: one multiply mixes it.
inline uint64_t HashWord(uint64_t word) {
  return MultiplyFold(word ^ internal::kSeed0, internal::kSeed1);
}

// The hash of a trivially copyable value's bytes.
template <typename T>
uint64_t HashValue(const T& value) {
  if constexpr (sizeof(T) <= sizeof(uint64_t)) {
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof(T));
    return HashWord(bits);
  } else {
    return HashBytes(&value, sizeof(T));
  }
}

// Mixes the hash of one more part (a column of a composite key) into `seed`; order matters.
inline uint64_t CombineHashes(uint64_t seed, uint64_t part) {
  return MultiplyFold(seed ^ internal::kSeed2, part ^ internal::kSeed1);
}

}  // namespace arcflow::hash
