#include "arcflow/codec/crc32.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string_view>
#include <vector>

namespace arcflow::codec {
namespace {

std::span<const uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

TEST(Crc32Test, MatchesTheStandardCheckValue) {
  // The CRC-32/ISO-HDLC check value: the CRC of the ASCII digits 1 to 9.
  EXPECT_EQ(Crc32(AsBytes("123456789")), 0xCBF43926u);
  EXPECT_EQ(Crc32(AsBytes("The quick brown fox jumps over the lazy dog")), 0x414FA339u);
}

TEST(Crc32Test, EmptyInputReturnsSeed) {
  EXPECT_EQ(Crc32({}), 0u);
  EXPECT_EQ(Crc32({}, 0x12345678u), 0x12345678u);
}

TEST(Crc32Test, ContinuesAcrossPieces) {
  std::vector<uint8_t> bytes(100000);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 31 + i / 7);
  uint32_t whole = Crc32(bytes);
  std::span<const uint8_t> all(bytes);
  for (size_t split : {size_t{0}, size_t{1}, size_t{4096}, bytes.size() - 1, bytes.size()}) {
    EXPECT_EQ(Crc32(all.subspan(split), Crc32(all.subspan(0, split))), whole) << split;
  }
}

// The SIMD kernels fold 16 to 64 bytes at a time with scalar code for the ends; every length
// and start alignment around those block sizes must still give zlib's answer.
TEST(Crc32Test, MatchesZlibAtEveryLengthAndAlignment) {
  std::vector<uint8_t> bytes(4096 + 64);
  uint32_t state = 12345;
  for (uint8_t& byte : bytes) {
    state = state * 1103515245u + 12345u;
    byte = static_cast<uint8_t>(state >> 24);
  }
  for (size_t start = 0; start < 64; start += 7) {
    for (size_t length = 0; length <= 4096; length += (length < 300 ? 1 : 61)) {
      const uint8_t* data = bytes.data() + start;
      const auto expected = static_cast<uint32_t>(crc32_z(0x9E3779B9u, data, length));
      ASSERT_EQ(Crc32(std::span<const uint8_t>(data, length), 0x9E3779B9u), expected)
          << "start=" << start << " length=" << length;
    }
  }
}

TEST(Crc32Test, DetectsSingleBitChanges) {
  std::vector<uint8_t> bytes(64, 0xA5);
  uint32_t original = Crc32(bytes);
  for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
    bytes[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_NE(Crc32(bytes), original) << bit;
    bytes[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  }
}

}  // namespace
}  // namespace arcflow::codec
