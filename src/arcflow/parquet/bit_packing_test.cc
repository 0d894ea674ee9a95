#include "arcflow/parquet/bit_packing.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <vector>

#include "arcflow/base/bit_util.h"

namespace arcflow::parquet {
namespace {

// A bit-at-a-time reference for the LSB-first layout, independent of the word kernels.
uint64_t ReferenceExtract(const std::vector<uint8_t>& bytes, int64_t index, int bit_width) {
  uint64_t value = 0;
  for (int b = 0; b < bit_width; ++b) {
    const int64_t bit = index * bit_width + b;
    if (bit_util::GetBit(bytes.data(), bit)) value |= uint64_t{1} << b;
  }
  return value;
}

template <typename Out>
void CheckUnpackMatchesReference(int bit_width, int64_t count, std::mt19937_64& rng) {
  const int64_t bytes = bit_util::BytesForBits(count * bit_width);
  // Size the input exactly so that AddressSanitizer catches any read past the packed bits.
  std::vector<uint8_t> packed(static_cast<size_t>(bytes));
  for (auto& byte : packed) byte = static_cast<uint8_t>(rng());
  std::vector<Out> out(static_cast<size_t>(count) + 1, Out{0x5A});
  UnpackBits(packed.data(), bit_width, count, out.data());
  for (int64_t i = 0; i < count; ++i) {
    ASSERT_EQ(out[static_cast<size_t>(i)], static_cast<Out>(ReferenceExtract(packed, i, bit_width)))
        << "bit width " << bit_width << " count " << count << " index " << i;
  }
  EXPECT_EQ(out[static_cast<size_t>(count)], Out{0x5A}) << "wrote past the requested count";
}

TEST(BitPackingTest, UnpacksEveryWidthAndCountLikeTheReference) {
  std::mt19937_64 rng(42);
  for (int64_t count : {0, 1, 7, 8, 9, 31, 32, 33, 64, 95, 127, 128, 129, 1000}) {
    for (int width = 0; width <= 8; ++width)
      CheckUnpackMatchesReference<uint8_t>(width, count, rng);
    for (int width = 0; width <= 16; ++width) {
      CheckUnpackMatchesReference<uint16_t>(width, count, rng);
    }
    for (int width = 0; width <= 32; ++width) {
      CheckUnpackMatchesReference<uint32_t>(width, count, rng);
    }
    for (int width = 0; width <= 64; ++width) {
      CheckUnpackMatchesReference<uint64_t>(width, count, rng);
    }
  }
}

TEST(BitPackingTest, PackRoundTripsEveryWidth) {
  std::mt19937_64 rng(7);
  for (int64_t count : {0, 1, 5, 8, 32, 100, 1000}) {
    for (int width = 0; width <= 64; ++width) {
      const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
      std::vector<uint64_t> values(static_cast<size_t>(count));
      for (auto& value : values) value = rng() & mask;
      std::vector<uint8_t> packed(static_cast<size_t>(bit_util::BytesForBits(count * width)));
      EXPECT_EQ(PackBits(values.data(), count, width, packed.data()),
                static_cast<int64_t>(packed.size()));
      std::vector<uint64_t> unpacked(static_cast<size_t>(count));
      UnpackBits(packed.data(), width, count, unpacked.data());
      ASSERT_EQ(unpacked, values) << "bit width " << width << " count " << count;
      if (width <= 32) {
        std::vector<uint32_t> narrow(values.begin(), values.end());
        // Bits above the width are dropped, in whole blocks as in the rest.
        if (width < 32) {
          for (uint32_t& value : narrow) value |= static_cast<uint32_t>(rng()) << width;
        }
        std::vector<uint8_t> packed32(packed.size());
        PackBits(narrow.data(), count, width, packed32.data());
        EXPECT_EQ(packed32, packed);
      }
    }
  }
}

TEST(BitPackingTest, PackDropsBitsAboveTheWidth) {
  const uint32_t values[8] = {0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0xFA, 0xF9, 0xF8};
  uint8_t packed[1] = {0};
  EXPECT_EQ(PackBits(values, 8, 1, packed), 1);
  EXPECT_EQ(packed[0], 0b01010101);
}

TEST(BitPackingTest, MatchesTheSpecExampleForTheHybridEncoding) {
  // Encodings.md: 0..7 at bit width 3 pack LSB-first into 10001000 11000110 11111010.
  const uint32_t values[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  uint8_t packed[3] = {};
  EXPECT_EQ(PackBits(values, 8, 3, packed), 3);
  EXPECT_EQ(packed[0], 0b10001000);
  EXPECT_EQ(packed[1], 0b11000110);
  EXPECT_EQ(packed[2], 0b11111010);
  uint32_t unpacked[8];
  UnpackBits(packed, 3, 8, unpacked);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(unpacked[i], static_cast<uint32_t>(i));
}

TEST(BitPackingTest, UnpacksTheSpecExampleForDeprecatedBitPacking) {
  // Encodings.md: 0..7 at bit width 3 pack MSB-first into 00000101 00111001 01110111.
  const uint8_t packed[3] = {0b00000101, 0b00111001, 0b01110111};
  uint16_t values[8];
  UnpackBitsMsbFirst(packed, 3, 0, 8, values);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(values[i], i);
  // Starting in the middle of the sequence.
  UnpackBitsMsbFirst(packed, 3, 5, 3, values);
  EXPECT_EQ(values[0], 5);
  EXPECT_EQ(values[1], 6);
  EXPECT_EQ(values[2], 7);
}

TEST(BitPackingTest, MsbFirstMatchesABitAtATimeReference) {
  std::mt19937_64 rng(3);
  for (int width = 0; width <= 16; ++width) {
    for (int64_t count : {1, 3, 8, 30, 257}) {
      std::vector<uint8_t> packed(static_cast<size_t>(bit_util::BytesForBits(count * width)));
      for (auto& byte : packed) byte = static_cast<uint8_t>(rng());
      std::vector<uint16_t> values(static_cast<size_t>(count));
      UnpackBitsMsbFirst(packed.data(), width, 0, count, values.data());
      for (int64_t i = 0; i < count; ++i) {
        uint32_t expected = 0;
        for (int b = 0; b < width; ++b) {
          const int64_t bit = i * width + b;
          const int set = (packed[static_cast<size_t>(bit >> 3)] >> (7 - (bit & 7))) & 1;
          expected = (expected << 1) | static_cast<uint32_t>(set);
        }
        ASSERT_EQ(values[static_cast<size_t>(i)], expected) << "width " << width << " i " << i;
      }
    }
  }
}

TEST(BitPackingTest, FillBitsSetsExactlyTheRange) {
  for (int64_t offset : {0, 1, 7, 8, 13}) {
    for (int64_t length : {0, 1, 6, 8, 9, 64, 100}) {
      for (bool value : {false, true}) {
        std::vector<uint8_t> bitmap(32, value ? 0x00 : 0xFF);
        FillBits(bitmap.data(), offset, length, value);
        for (int64_t i = 0; i < 256; ++i) {
          const bool inside = i >= offset && i < offset + length;
          ASSERT_EQ(bit_util::GetBit(bitmap.data(), i), inside ? value : !value)
              << "offset " << offset << " length " << length << " bit " << i;
        }
      }
    }
  }
}

TEST(BitPackingTest, CopyBitmapMatchesBitwiseCopyAtAllAlignments) {
  std::mt19937_64 rng(11);
  for (int64_t source_offset = 0; source_offset < 9; ++source_offset) {
    for (int64_t dest_offset = 0; dest_offset < 9; ++dest_offset) {
      for (int64_t length : {0, 1, 7, 8, 63, 64, 65, 200}) {
        // Exactly sized source, so reading past the copied range would trip AddressSanitizer.
        std::vector<uint8_t> source(
            static_cast<size_t>(bit_util::BytesForBits(source_offset + length)));
        for (auto& byte : source) byte = static_cast<uint8_t>(rng());
        std::vector<uint8_t> dest(
            static_cast<size_t>(bit_util::BytesForBits(dest_offset + length)) + 2);
        for (auto& byte : dest) byte = static_cast<uint8_t>(rng());
        std::vector<uint8_t> expected = dest;
        for (int64_t i = 0; i < length; ++i) {
          bit_util::SetBitTo(expected.data(), dest_offset + i,
                             bit_util::GetBit(source.data(), source_offset + i));
        }
        CopyBitmap(source.data(), source_offset, length, dest.data(), dest_offset);
        ASSERT_EQ(dest, expected) << source_offset << " " << dest_offset << " " << length;
      }
    }
  }
}

TEST(BitPackingTest, Uleb128RoundTripsAndRejectsMalformedInput) {
  for (uint64_t value : {uint64_t{0}, uint64_t{1}, uint64_t{127}, uint64_t{128}, uint64_t{300},
                         uint64_t{1} << 35, ~uint64_t{0}}) {
    BufferBuilder builder;
    AppendUleb128(&builder, value);
    int64_t position = 0;
    uint64_t decoded = 0;
    ASSERT_TRUE(ReadUleb128(builder.data(), builder.size(), &position, &decoded));
    EXPECT_EQ(decoded, value);
    EXPECT_EQ(position, builder.size());
    // Every truncation fails and leaves the position alone.
    for (int64_t cut = 0; cut < builder.size(); ++cut) {
      position = 0;
      EXPECT_FALSE(ReadUleb128(builder.data(), cut, &position, &decoded));
      EXPECT_EQ(position, 0);
    }
  }
  // 300 is 0xAC 0x02.
  const uint8_t three_hundred[] = {0xAC, 0x02};
  int64_t position = 0;
  uint64_t decoded = 0;
  ASSERT_TRUE(ReadUleb128(three_hundred, 2, &position, &decoded));
  EXPECT_EQ(decoded, 300u);
  // Eleven bytes is too long, and a tenth byte above 1 overflows 64 bits.
  const uint8_t too_long[11] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  position = 0;
  EXPECT_FALSE(ReadUleb128(too_long, 11, &position, &decoded));
  const uint8_t overflow[10] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
  position = 0;
  EXPECT_FALSE(ReadUleb128(overflow, 10, &position, &decoded));
}

TEST(BitPackingTest, ZigZagMapsSmallMagnitudesToSmallCodes) {
  EXPECT_EQ(ZigZagEncode(0), 0u);
  EXPECT_EQ(ZigZagEncode(-1), 1u);
  EXPECT_EQ(ZigZagEncode(1), 2u);
  EXPECT_EQ(ZigZagEncode(-2), 3u);
  EXPECT_EQ(ZigZagEncode(std::numeric_limits<int64_t>::max()), ~uint64_t{0} - 1);
  EXPECT_EQ(ZigZagEncode(std::numeric_limits<int64_t>::min()), ~uint64_t{0});
  for (int64_t value : {int64_t{0}, int64_t{-1}, int64_t{5}, int64_t{-123456789},
                        std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
    EXPECT_EQ(ZigZagDecode(ZigZagEncode(value)), value);
  }
}

}  // namespace
}  // namespace arcflow::parquet
