#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace arcflow::csv {

// A small set of byte values (up to kMaxBytes) with a fast search for the first occurrence of
// any of them. The tokenizer spends most of its time here, so the search compares 16 bytes per
// step with SSE2 where the target has it (every x86-64 does) and falls back to a table lookup
// per byte elsewhere. A value type; immutable after construction, so thread-safe.
class ByteSet {
 public:
  static constexpr int kMaxBytes = 8;

  ByteSet() = default;
  // Bytes equal to '\0' are ignored: a '\0' option means "none" throughout the CSV options.
  // REQUIRES: at most kMaxBytes distinct non-zero bytes.
  explicit ByteSet(std::initializer_list<char> bytes) {
    for (char byte : bytes) Add(byte);
  }

  void Add(char byte) {
    if (byte == '\0' || Contains(byte) || count_ == kMaxBytes) return;
    members_[static_cast<size_t>(count_++)] = byte;
    table_[static_cast<uint8_t>(byte)] = true;
  }

  bool Contains(char byte) const { return table_[static_cast<uint8_t>(byte)]; }

  // Returns the first position in [begin, end) holding a member, or `end`.
  const char* FindFirst(const char* begin, const char* end) const {
    const char* p = begin;
#if defined(__SSE2__)
    if (count_ > 0) {
      while (end - p >= 16) {
        __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        __m128i hits = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(members_[0]));
        for (int i = 1; i < count_; ++i) {
          hits = _mm_or_si128(
              hits, _mm_cmpeq_epi8(chunk, _mm_set1_epi8(members_[static_cast<size_t>(i)])));
        }
        unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
        if (mask != 0) return p + __builtin_ctz(mask);
        p += 16;
      }
    }
#endif
    while (p < end && !table_[static_cast<uint8_t>(*p)]) ++p;
    return p;
  }

 private:
  std::array<char, kMaxBytes> members_{};
  int count_ = 0;
  std::array<bool, 256> table_{};
};

}  // namespace arcflow::csv
