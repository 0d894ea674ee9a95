#include "arcflow/parquet/bit_packed_level_decoder.h"

#include <gtest/gtest.h>

#include <vector>

namespace arcflow::parquet {
namespace {

std::span<const uint8_t> Span(const std::vector<uint8_t>& bytes) {
  return {bytes.data(), bytes.size()};
}

TEST(BitPackedLevelDecoderTest, DecodesTheSpecExample) {
  // Encodings.md: 0..7 at bit width 3, MSB-first: 00000101 00111001 01110111; then page data.
  const std::vector<uint8_t> page = {0b00000101, 0b00111001, 0b01110111, 0xEE};
  BitPackedLevelDecoder decoder;
  auto consumed = decoder.Init(Span(page), 3, 8);
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(*consumed, 3);
  int16_t levels[10];
  ASSERT_EQ(*decoder.Decode(levels, 3), 3);
  ASSERT_EQ(*decoder.Decode(levels + 3, 10), 5);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(levels[i], i);
  EXPECT_EQ(*decoder.Decode(levels, 10), 0);
}

TEST(BitPackedLevelDecoderTest, PacksThirtyTwoBitLevelsIntoEightBytes) {
  // Thirty 2-bit levels take 60 bits, i.e. 8 bytes.
  const std::vector<uint8_t> page(8, 0b01101100);
  BitPackedLevelDecoder decoder;
  auto consumed = decoder.Init(Span(page), 2, 30);
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(*consumed, 8);
  ASSERT_EQ(*decoder.Skip(1), 1);
  int16_t levels[29];
  ASSERT_EQ(*decoder.Decode(levels, 29), 29);
  // Each byte holds 1, 2, 3, 0 from its most significant bits down.
  EXPECT_EQ(levels[0], 2);
  EXPECT_EQ(levels[1], 3);
  EXPECT_EQ(levels[2], 0);
  EXPECT_EQ(levels[3], 1);
}

TEST(BitPackedLevelDecoderTest, RejectsShortDataAndBadParameters) {
  const std::vector<uint8_t> page(3, 0);
  BitPackedLevelDecoder decoder;
  EXPECT_TRUE(decoder.Init(Span(page), 3, 9).status().IsCorruption());
  EXPECT_TRUE(decoder.Init(Span(page), 17, 1).status().IsInvalid());
  EXPECT_TRUE(decoder.Init(Span(page), -1, 1).status().IsInvalid());
  EXPECT_TRUE(decoder.Init(Span(page), 1, -1).status().IsInvalid());
  EXPECT_TRUE(decoder.Init(Span(page), 16, int64_t{1} << 62).status().IsInvalid());
  auto zero_width = decoder.Init({}, 0, 1000);
  ASSERT_TRUE(zero_width.ok());
  EXPECT_EQ(*zero_width, 0);
  int16_t levels[4] = {9, 9, 9, 9};
  ASSERT_EQ(*decoder.Decode(levels, 4), 4);
  EXPECT_EQ(levels[3], 0);
}

}  // namespace
}  // namespace arcflow::parquet
