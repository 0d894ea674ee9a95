#include "arcflow/codec/crc32.h"

#include <gtest/gtest.h>

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
