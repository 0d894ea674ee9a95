#include "arcflow/parquet/rle_bit_packed_decoder.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "arcflow/base/bit_util.h"
#include "arcflow/parquet/rle_bit_packed_encoder.h"

namespace arcflow::parquet {
namespace {

std::span<const uint8_t> Span(const std::vector<uint8_t>& bytes) {
  return {bytes.data(), bytes.size()};
}

// Decodes everything in `bytes` in batches of `batch` values, stopping at the first error or
// after `limit` values (a corrupted header may legitimately claim billions).
Result<std::vector<int32_t>> DecodeAll(std::span<const uint8_t> bytes, int bit_width,
                                       int64_t batch = 1000, size_t limit = size_t{1} << 20) {
  RleBitPackedDecoder decoder;
  ARCFLOW_RETURN_NOT_OK(decoder.Init(bytes, bit_width));
  std::vector<int32_t> values;
  while (true) {
    const size_t old_size = values.size();
    values.resize(old_size + static_cast<size_t>(batch));
    ARCFLOW_ASSIGN_OR_RETURN(int64_t count, decoder.Decode(values.data() + old_size, batch));
    values.resize(old_size + static_cast<size_t>(count));
    if (count == 0 || values.size() >= limit) return values;
  }
}

TEST(RleBitPackedDecoderTest, DecodesTheSpecBitPackedExample) {
  // One bit-packed group of 8 (header (1 << 1) | 1), values 0..7 at bit width 3.
  const std::vector<uint8_t> bytes = {0x03, 0b10001000, 0b11000110, 0b11111010};
  auto values = DecodeAll(Span(bytes), 3);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(*values, (std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(RleBitPackedDecoderTest, DecodesMixedRuns) {
  // RLE: 100 times 5 (header 200 = 0xC8 0x01); bit-packed: 8 values; RLE: 3 times 7.
  const std::vector<uint8_t> bytes = {0xC8,       0x01,       0x05, 0x03, 0b10001000,
                                      0b11000110, 0b11111010, 0x06, 0x07};
  auto values = DecodeAll(Span(bytes), 3, 7);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  std::vector<int32_t> expected(100, 5);
  for (int i = 0; i < 8; ++i) expected.push_back(i);
  expected.insert(expected.end(), 3, 7);
  EXPECT_EQ(*values, expected);
}

TEST(RleBitPackedDecoderTest, DecodesWideRepeatedValuesLittleEndian) {
  // Bit width 20 stores the repeated value in 3 bytes.
  const std::vector<uint8_t> bytes = {0x04, 0x56, 0x34, 0x0C};
  auto values = DecodeAll(Span(bytes), 20);
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(*values, (std::vector<int32_t>{0x0C3456, 0x0C3456}));
}

TEST(RleBitPackedDecoderTest, BitWidthZeroDecodesZerosWithoutValueBytes) {
  // An RLE run of 10 and a bit-packed run of 16, neither carrying any value bytes.
  const std::vector<uint8_t> bytes = {0x14, 0x05};
  auto values = DecodeAll(Span(bytes), 0);
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(*values, std::vector<int32_t>(26, 0));
}

TEST(RleBitPackedDecoderTest, SkipsZeroLengthRuns) {
  const std::vector<uint8_t> bytes = {0x00, 0x01, 0x01, 0x04, 0x01};
  auto values = DecodeAll(Span(bytes), 1);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(*values, (std::vector<int32_t>{1, 1}));
}

TEST(RleBitPackedDecoderTest, RejectsBitWidthsAboveThirtyTwo) {
  RleBitPackedDecoder decoder;
  EXPECT_TRUE(decoder.Init({}, 33).IsInvalid());
  EXPECT_TRUE(decoder.Init({}, -1).IsInvalid());
  EXPECT_TRUE(decoder.Init({}, 32).ok());
}

TEST(RleBitPackedDecoderTest, RejectsOutputTypesNarrowerThanTheBitWidth) {
  const std::vector<uint8_t> bytes = {0x02, 0x01, 0x00, 0x00};
  RleBitPackedDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(bytes), 17).ok());
  int16_t levels[1];
  EXPECT_TRUE(decoder.Decode(levels, 1).status().IsInvalid());
  uint8_t booleans[1];
  EXPECT_TRUE(decoder.Decode(booleans, 1).status().IsInvalid());
  uint8_t bitmap[1];
  EXPECT_TRUE(decoder.DecodeBitmap(bitmap, 0, 1).status().IsInvalid());
  int32_t indices[1];
  auto count = decoder.Decode(indices, 1);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(indices[0], 1);
}

TEST(RleBitPackedDecoderTest, ReportsCorruptRuns) {
  struct Case {
    const char* what;
    std::vector<uint8_t> bytes;
    int bit_width;
  };
  const std::vector<Case> cases = {
      {"bit-packed run longer than the data", {0x05, 0xFF, 0xFF, 0xFF}, 2},
      {"repeated value missing", {0x08}, 3},
      {"repeated value wider than the bit width", {0x08, 0x08}, 3},
      {"truncated header varint", {0x80}, 3},
      {"RLE run beyond 2^31-1 values", {0x80, 0x80, 0x80, 0x80, 0x10, 0x01}, 1},
      {"bit-packed run beyond 2^31-1 values", {0x81, 0x80, 0x80, 0x80, 0x02}, 1},
      {"header varint overflowing 64 bits",
       {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F},
       1},
  };
  for (const Case& test_case : cases) {
    auto values = DecodeAll(Span(test_case.bytes), test_case.bit_width);
    EXPECT_TRUE(values.status().IsCorruption()) << test_case.what;
  }
}

TEST(RleBitPackedDecoderTest, ReadsTheLengthPrefixedForm) {
  // Length 2, then an RLE run of 4 ones, then bytes that belong to the caller.
  const std::vector<uint8_t> bytes = {0x02, 0x00, 0x00, 0x00, 0x08, 0x01, 0xAA, 0xBB};
  RleBitPackedDecoder decoder;
  auto consumed = decoder.InitWithLengthPrefix(Span(bytes), 1);
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(*consumed, 6);
  int16_t levels[8];
  auto count = decoder.Decode(levels, 8);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 4);

  const std::vector<uint8_t> short_prefix = {0x02, 0x00};
  EXPECT_TRUE(decoder.InitWithLengthPrefix(Span(short_prefix), 1).status().IsCorruption());
  const std::vector<uint8_t> long_length = {0x09, 0x00, 0x00, 0x00, 0x08, 0x01};
  EXPECT_TRUE(decoder.InitWithLengthPrefix(Span(long_length), 1).status().IsCorruption());
  const std::vector<uint8_t> huge_length = {0xFF, 0xFF, 0xFF, 0xFF, 0x08, 0x01};
  EXPECT_TRUE(decoder.InitWithLengthPrefix(Span(huge_length), 1).status().IsCorruption());
}

TEST(RleBitPackedDecoderTest, DecodesBooleansIntoABitmapAtAnOffset) {
  std::mt19937_64 rng(5);
  std::vector<uint8_t> expected_bits;
  RleBitPackedEncoder encoder(1);
  for (int i = 0; i < 3000; ++i) {
    // Alternate stretches of random bits and long repeats so both run kinds occur.
    const bool bit = (i / 100) % 2 == 0 ? (rng() & 1) : ((i / 200) % 2 == 0);
    expected_bits.push_back(bit);
    encoder.Put(bit);
  }
  auto encoded = encoder.Finish();
  for (int64_t offset : {0, 3, 8, 13}) {
    RleBitPackedDecoder decoder;
    ASSERT_TRUE(decoder.Init(encoded->span(), 1).ok());
    std::vector<uint8_t> bitmap(static_cast<size_t>(bit_util::BytesForBits(offset + 3000)), 0xFF);
    int64_t done = 0;
    for (int64_t batch : {1, 7, 64, 100, 5000}) {
      auto count = decoder.DecodeBitmap(bitmap.data(), offset + done, batch);
      ASSERT_TRUE(count.ok());
      done += *count;
    }
    ASSERT_EQ(done, 3000);
    for (int64_t i = 0; i < offset; ++i) EXPECT_TRUE(bit_util::GetBit(bitmap.data(), i));
    for (int64_t i = 0; i < 3000; ++i) {
      ASSERT_EQ(bit_util::GetBit(bitmap.data(), offset + i), expected_bits[static_cast<size_t>(i)])
          << "offset " << offset << " bit " << i;
    }
  }
}

TEST(RleBitPackedDecoderTest, SkipAndDecodeInterleave) {
  std::mt19937_64 rng(9);
  std::vector<int32_t> values;
  for (int i = 0; i < 5000; ++i) {
    values.push_back((i / 300) % 2 == 0 ? static_cast<int32_t>(rng() % 100) : 42);
  }
  RleBitPackedEncoder encoder(7);
  encoder.Put(values.data(), static_cast<int64_t>(values.size()));
  auto encoded = encoder.Finish();
  RleBitPackedDecoder decoder;
  ASSERT_TRUE(decoder.Init(encoded->span(), 7).ok());
  size_t position = 0;
  while (position < values.size()) {
    const int64_t skip = static_cast<int64_t>(rng() % 50);
    auto skipped = decoder.Skip(skip);
    ASSERT_TRUE(skipped.ok());
    position += static_cast<size_t>(*skipped);
    int32_t out[40];
    const int64_t want = static_cast<int64_t>(rng() % 40);
    auto count = decoder.Decode(out, want);
    ASSERT_TRUE(count.ok());
    for (int64_t i = 0; i < *count; ++i) {
      // The final bit-packed group may carry padding beyond the values put.
      if (position + static_cast<size_t>(i) < values.size()) {
        ASSERT_EQ(out[i], values[position + static_cast<size_t>(i)]);
      }
    }
    position += static_cast<size_t>(*count);
    if (*skipped == 0 && *count == 0 && (skip > 0 || want > 0)) break;
  }
  EXPECT_GE(position, values.size());
}

TEST(RleBitPackedDecoderTest, TruncationAtEveryLengthFailsOrYieldsAPrefix) {
  std::mt19937_64 rng(13);
  for (int bit_width : {1, 3, 8, 13, 32}) {
    std::vector<int32_t> values;
    for (int i = 0; i < 400; ++i) {
      const uint32_t mask = bit_width == 32 ? ~0u : (1u << bit_width) - 1;
      values.push_back((i / 40) % 2 == 0 ? static_cast<int32_t>(rng() & mask) : 1);
    }
    RleBitPackedEncoder encoder(bit_width);
    encoder.Put(values.data(), static_cast<int64_t>(values.size()));
    auto encoded = encoder.Finish();
    for (int64_t cut = 0; cut <= encoded->size(); ++cut) {
      // A fresh exactly-sized copy, so AddressSanitizer flags any read past the cut.
      std::vector<uint8_t> truncated(encoded->data(), encoded->data() + cut);
      auto decoded = DecodeAll(Span(truncated), bit_width, 33);
      if (!decoded.ok()) {
        EXPECT_TRUE(decoded.status().IsCorruption());
        continue;
      }
      ASSERT_LE(decoded->size(), values.size() + 7);
      for (size_t i = 0; i < std::min(decoded->size(), values.size()); ++i) {
        ASSERT_EQ((*decoded)[i], values[i]) << "cut " << cut << " index " << i;
      }
    }
  }
}

TEST(RleBitPackedDecoderTest, SurvivesRandomBitFlips) {
  std::mt19937_64 rng(17);
  std::vector<int32_t> values;
  for (int i = 0; i < 2000; ++i)
    values.push_back((i / 50) % 3 == 0 ? 3 : static_cast<int32_t>(rng() % 1000));
  RleBitPackedEncoder encoder(10);
  encoder.Put(values.data(), static_cast<int64_t>(values.size()));
  auto encoded = encoder.Finish();
  for (int trial = 0; trial < 1000; ++trial) {
    std::vector<uint8_t> bytes(encoded->data(), encoded->data() + encoded->size());
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      const size_t bit = rng() % (bytes.size() * 8);
      bytes[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    }
    for (int bit_width : {10, 0, 32}) {
      auto decoded = DecodeAll(Span(bytes), bit_width, 100, size_t{1} << 14);
      // Any outcome but a crash or sanitizer report is acceptable; a failure must say
      // Corruption, never anything that blames the caller.
      if (!decoded.ok()) {
        EXPECT_TRUE(decoded.status().IsCorruption());
      }
    }
  }
}

}  // namespace
}  // namespace arcflow::parquet
