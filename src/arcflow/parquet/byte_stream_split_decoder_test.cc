#include "arcflow/parquet/byte_stream_split_decoder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace arcflow::parquet {
namespace {

std::span<const uint8_t> Span(const std::vector<uint8_t>& bytes) {
  return {bytes.data(), bytes.size()};
}

TEST(ByteStreamSplitDecoderTest, DecodesTheSpecExample) {
  // Encodings.md: three floats AA BB CC DD / 00 11 22 33 / A3 B4 C5 D6 are stored as
  // AA 00 A3 BB 11 B4 CC 22 C5 DD 33 D6.
  const std::vector<uint8_t> page = {0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4,
                                     0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6};
  ByteStreamSplitDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(page), 4).ok());
  EXPECT_EQ(decoder.num_values(), 3);
  float values[3];
  auto count = decoder.Decode(values, 3);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 3);
  const std::vector<uint8_t> expected = {0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11,
                                         0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6};
  EXPECT_EQ(std::memcmp(values, expected.data(), expected.size()), 0);
}

TEST(ByteStreamSplitDecoderTest, DecodesInBatchesAndSkips) {
  // Two streams of width 2: values 0x0100, 0x0302, 0x0504 as little-endian int16 pairs.
  const std::vector<uint8_t> page = {0x00, 0x02, 0x04, 0x01, 0x03, 0x05};
  ByteStreamSplitDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(page), 2).ok());
  ASSERT_EQ(*decoder.Skip(1), 1);
  uint8_t out[6] = {};
  ASSERT_EQ(*decoder.DecodeBytes(out, 1), 1);
  ASSERT_EQ(*decoder.DecodeBytes(out + 2, 5), 1);
  EXPECT_EQ(out[0], 0x02);
  EXPECT_EQ(out[1], 0x03);
  EXPECT_EQ(out[2], 0x04);
  EXPECT_EQ(out[3], 0x05);
  EXPECT_EQ(decoder.values_remaining(), 0);
  EXPECT_EQ(*decoder.DecodeBytes(out, 5), 0);
}

TEST(ByteStreamSplitDecoderTest, RejectsPartialValuesAndMismatchedWidths) {
  const std::vector<uint8_t> page(10, 0);
  ByteStreamSplitDecoder decoder;
  EXPECT_TRUE(decoder.Init(Span(page), 4).IsCorruption());
  EXPECT_TRUE(decoder.Init(Span(page), 0).IsInvalid());
  EXPECT_TRUE(decoder.Init(Span(page), -8).IsInvalid());
  ASSERT_TRUE(decoder.Init(Span(page), 5).ok());
  double doubles[2];
  EXPECT_TRUE(decoder.Decode(doubles, 2).status().IsInvalid());
  ASSERT_TRUE(decoder.Init({}, 8).ok());
  EXPECT_EQ(*decoder.Decode(doubles, 2), 0);
}

}  // namespace
}  // namespace arcflow::parquet
