#include "arcflow/parquet/bitmap_level_encoder.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "arcflow/base/bit_util.h"
#include "arcflow/parquet/rle_bit_packed_decoder.h"

namespace arcflow::parquet {
namespace {

std::vector<int16_t> Decode(const BufferBuilder& encoded, int64_t count, bool length_prefixed) {
  RleBitPackedDecoder decoder;
  const std::span<const uint8_t> bytes(encoded.data(), static_cast<size_t>(encoded.size()));
  if (length_prefixed) {
    Result<int64_t> consumed = decoder.InitWithLengthPrefix(bytes, 1);
    EXPECT_TRUE(consumed.ok());
    EXPECT_EQ(*consumed, encoded.size());
  } else {
    EXPECT_TRUE(decoder.Init(bytes, 1).ok());
  }
  std::vector<int16_t> levels(static_cast<size_t>(count));
  Result<int64_t> decoded = decoder.Decode(levels.data(), count);
  EXPECT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, count);
  return levels;
}

TEST(BitmapLevelEncoderTest, LoadsWordsAtAnyOffset) {
  std::vector<uint8_t> bits(24);
  for (size_t i = 0; i < bits.size(); ++i) bits[i] = static_cast<uint8_t>(i * 37 + 11);
  for (int64_t offset = 0; offset < 64; ++offset) {
    const uint64_t word = LoadBitmapWord(bits.data(), offset);
    for (int k = 0; k < 64; ++k) {
      ASSERT_EQ((word >> k) & 1, bit_util::GetBit(bits.data(), offset + k) ? 1u : 0u) << offset;
    }
  }
}

TEST(BitmapLevelEncoderTest, LoadsBytesAtAnyOffset) {
  const uint8_t bits[] = {0b10110010, 0b01101101};
  for (int64_t offset = 0; offset <= 8; ++offset) {
    const uint8_t byte = LoadBitmapByte(bits, offset);
    for (int k = 0; k < 8; ++k) {
      ASSERT_EQ((byte >> k) & 1, bit_util::GetBit(bits, offset + k) ? 1 : 0) << offset;
    }
  }
}

TEST(BitmapLevelEncoderTest, RoundTripsRandomBitmapsInPieces) {
  std::mt19937_64 random(7);
  for (int trial = 0; trial < 200; ++trial) {
    const int64_t length = static_cast<int64_t>(random() % 3000);
    const int64_t offset = static_cast<int64_t>(random() % 70);
    // Exactly the bytes the bits need, so that the sanitizers catch any read past them.
    std::vector<uint8_t> bits(static_cast<size_t>(bit_util::BytesForBits(offset + length)));
    // Mixes long runs of either value with noisy stretches.
    const int density = static_cast<int>(random() % 4);
    bool state = random() % 2 == 0;
    std::vector<int16_t> expected;
    for (int64_t i = 0; i < length; ++i) {
      if (random() % 50 == 0) state = !state;
      bool level = state;
      if (density == 1) level = random() % 2 == 0;
      if (density == 2 && random() % 20 == 0) level = !level;
      if (level) bit_util::SetBit(bits.data(), offset + i);
      expected.push_back(level ? 1 : 0);
    }
    BitmapLevelEncoder encoder;
    int64_t position = 0;
    while (position < length) {
      const int64_t piece = std::min<int64_t>(length - position, 1 + random() % 300);
      if (random() % 5 == 0) {
        for (int64_t i = 0; i < piece; ++i) encoder.Append(expected[position + i] != 0);
      } else {
        encoder.Append(bits.data(), offset + position, piece);
      }
      position += piece;
    }
    EXPECT_EQ(encoder.num_values(), length);
    const int64_t estimate = encoder.EstimatedSize();
    BufferBuilder out;
    const bool prefixed = trial % 2 == 0;
    encoder.FinishInto(&out, prefixed);
    EXPECT_LE(out.size() - (prefixed ? 4 : 0), estimate);
    EXPECT_EQ(Decode(out, length, prefixed), expected) << "trial " << trial;
    EXPECT_EQ(encoder.num_values(), 0);
  }
}

TEST(BitmapLevelEncoderTest, RunsOfOnesBecomeOneRleRun) {
  BitmapLevelEncoder encoder;
  encoder.Append(nullptr, 0, 100000);
  BufferBuilder out;
  encoder.FinishInto(&out, false);
  // One run header (ULEB128 of 200000) and the value byte.
  EXPECT_EQ(out.size(), 4);
  EXPECT_EQ(Decode(out, 100000, false), std::vector<int16_t>(100000, 1));

  // After a null-free bitmap of all ones, the repeat continues.
  std::vector<uint8_t> ones(40, 0xFF);
  encoder.Append(ones.data(), 5, 300);
  encoder.Append(nullptr, 0, 13);
  BufferBuilder more;
  encoder.FinishInto(&more, true);
  EXPECT_EQ(more.size(), 4 + 3);
  EXPECT_EQ(Decode(more, 313, true), std::vector<int16_t>(313, 1));
}

TEST(BitmapLevelEncoderTest, EmptyStreamHasNoRuns) {
  BitmapLevelEncoder encoder;
  BufferBuilder out;
  encoder.FinishInto(&out, true);
  EXPECT_EQ(out.size(), 4);
  EXPECT_EQ(out.data()[0], 0);
}

}  // namespace
}  // namespace arcflow::parquet
