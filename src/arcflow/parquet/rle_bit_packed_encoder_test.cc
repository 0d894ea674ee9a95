#include "arcflow/parquet/rle_bit_packed_encoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "arcflow/parquet/rle_bit_packed_decoder.h"

namespace arcflow::parquet {
namespace {

enum class Pattern { kRandom, kSorted, kConstant, kAlternating, kRuns };

std::vector<int32_t> MakeValues(Pattern pattern, int64_t count, int bit_width,
                                std::mt19937_64& rng) {
  const uint32_t mask = bit_width == 32 ? ~0u : (1u << bit_width) - 1;
  std::vector<int32_t> values(static_cast<size_t>(count));
  for (size_t i = 0; i < values.size(); ++i) {
    uint32_t value = 0;
    switch (pattern) {
      case Pattern::kRandom:
        value = static_cast<uint32_t>(rng());
        break;
      case Pattern::kSorted:
        value = static_cast<uint32_t>(i * 7 / 3);
        break;
      case Pattern::kConstant:
        value = 0xDEADBEEF;
        break;
      case Pattern::kAlternating:
        value = i % 2 == 0 ? 0 : ~0u;
        break;
      case Pattern::kRuns:
        // Runs of random length 1..20 of a random value.
        if (i > 0 && rng() % 8 != 0) {
          value = static_cast<uint32_t>(values[i - 1]);
        } else {
          value = static_cast<uint32_t>(rng());
        }
        break;
    }
    values[i] = static_cast<int32_t>(value & mask);
  }
  return values;
}

void ExpectRoundTrip(const std::vector<int32_t>& values, int bit_width, std::mt19937_64& rng,
                     const std::string& label) {
  RleBitPackedEncoder encoder(bit_width);
  encoder.Put(values.data(), static_cast<int64_t>(values.size()));
  EXPECT_EQ(encoder.num_values(), static_cast<int64_t>(values.size()));
  const int64_t estimate = encoder.EstimatedSize();
  auto encoded = encoder.Finish();
  EXPECT_LE(encoded->size(), estimate) << label;

  RleBitPackedDecoder decoder;
  ASSERT_TRUE(decoder.Init(encoded->span(), bit_width).ok());
  std::vector<int32_t> decoded(values.size() + 8);
  size_t position = 0;
  while (position < values.size()) {
    const int64_t batch = 1 + static_cast<int64_t>(rng() % 300);
    auto count =
        decoder.Decode(decoded.data() + position,
                       std::min<int64_t>(batch, static_cast<int64_t>(values.size() - position)));
    ASSERT_TRUE(count.ok()) << label << ": " << count.status().ToString();
    ASSERT_GT(*count, 0) << label << ": ran out at " << position;
    position += static_cast<size_t>(*count);
  }
  decoded.resize(values.size());
  ASSERT_EQ(decoded, values) << label;
  // Only padding (fewer than 8 values) may follow.
  int32_t padding[16];
  auto rest = decoder.Decode(padding, 16);
  ASSERT_TRUE(rest.ok());
  EXPECT_LT(*rest, 8) << label;
}

TEST(RleBitPackedEncoderTest, RoundTripsEveryWidthSizeAndPattern) {
  std::mt19937_64 rng(20240601);
  for (int64_t count : {0, 1, 7, 8, 9, 127, 128, 129, 1000}) {
    for (int bit_width = 0; bit_width <= 32; ++bit_width) {
      for (Pattern pattern : {Pattern::kRandom, Pattern::kSorted, Pattern::kConstant,
                              Pattern::kAlternating, Pattern::kRuns}) {
        const auto values = MakeValues(pattern, count, bit_width, rng);
        ExpectRoundTrip(values, bit_width, rng,
                        "count " + std::to_string(count) + " width " + std::to_string(bit_width) +
                            " pattern " + std::to_string(static_cast<int>(pattern)));
      }
    }
  }
}

// Putting an array works a run at a time; its output must be byte for byte what putting the
// values one by one gives, however the values are split between calls.
TEST(RleBitPackedEncoderTest, BulkPutEncodesExactlyAsSingleValues) {
  std::mt19937_64 rng(7);
  for (int bit_width : {1, 3, 8, 13}) {
    for (Pattern pattern : {Pattern::kRandom, Pattern::kSorted, Pattern::kConstant,
                            Pattern::kAlternating, Pattern::kRuns}) {
      for (int64_t count : {0, 1, 7, 8, 9, 100, 503, 504, 505, 1500, 5000}) {
        std::vector<int32_t> values = MakeValues(pattern, count, bit_width, rng);
        RleBitPackedEncoder single(bit_width);
        for (int32_t value : values) single.Put(static_cast<uint32_t>(value));
        const std::string expected(single.Finish()->view());

        RleBitPackedEncoder bulk32(bit_width);
        RleBitPackedEncoder bulk16(bit_width);
        RleBitPackedEncoder bulk8(bit_width);
        std::vector<int16_t> values16(values.begin(), values.end());
        std::vector<uint8_t> values8(values.begin(), values.end());
        int64_t start = 0;
        while (start < count) {
          const int64_t step =
              std::min<int64_t>(count - start, 1 + static_cast<int64_t>(rng() % 700));
          bulk32.Put(values.data() + start, step);
          bulk16.Put(values16.data() + start, step);
          bulk8.Put(values8.data() + start, step);
          start += step;
        }
        const std::string context = "width=" + std::to_string(bit_width) +
                                    " pattern=" + std::to_string(static_cast<int>(pattern)) +
                                    " count=" + std::to_string(count);
        EXPECT_EQ(bulk32.num_values(), count);
        EXPECT_EQ(std::string(bulk32.Finish()->view()), expected) << context;
        if (bit_width <= 16) {
          EXPECT_EQ(std::string(bulk16.Finish()->view()), expected) << context;
        }
        if (bit_width <= 8) {
          EXPECT_EQ(std::string(bulk8.Finish()->view()), expected) << context;
        }
      }
    }
  }
}

TEST(RleBitPackedEncoderTest, RoundTripsLargeInputs) {
  std::mt19937_64 rng(99);
  for (int bit_width : {1, 5, 17, 32}) {
    for (Pattern pattern : {Pattern::kRandom, Pattern::kRuns, Pattern::kConstant}) {
      const auto values = MakeValues(pattern, 100000, bit_width, rng);
      ExpectRoundTrip(values, bit_width, rng, "large width " + std::to_string(bit_width));
    }
  }
}

TEST(RleBitPackedEncoderTest, WritesRepeatsOfEightOrMoreAsRleRuns) {
  // Eight fives at bit width 3: header 8 << 1, one value byte.
  RleBitPackedEncoder encoder(3);
  for (int i = 0; i < 8; ++i) encoder.Put(5);
  auto encoded = encoder.Finish();
  EXPECT_EQ(std::vector<uint8_t>(encoded->data(), encoded->data() + encoded->size()),
            (std::vector<uint8_t>{0x10, 0x05}));
}

TEST(RleBitPackedEncoderTest, BitPacksShortRepeatsAndPadsTheLastGroup) {
  // Three values: one bit-packed group (header 0x03), padded with zeros.
  RleBitPackedEncoder encoder(3);
  encoder.Put(1);
  encoder.Put(2);
  encoder.Put(3);
  auto encoded = encoder.Finish();
  EXPECT_EQ(std::vector<uint8_t>(encoded->data(), encoded->data() + encoded->size()),
            (std::vector<uint8_t>{0x03, 0b11010001, 0x00, 0x00}));
}

TEST(RleBitPackedEncoderTest, LendsRepeatValuesToCompleteAGroup) {
  // Three literals then twenty sevens: the group of eight is completed from the repeat, which
  // still leaves fifteen for an RLE run.
  RleBitPackedEncoder encoder(4);
  encoder.Put(1);
  encoder.Put(2);
  encoder.Put(3);
  for (int i = 0; i < 20; ++i) encoder.Put(7);
  auto encoded = encoder.Finish();
  // Bit-packed header, 4 bytes of 8 values at 4 bits, RLE header 15 << 1, value.
  ASSERT_EQ(encoded->size(), 1 + 4 + 1 + 1);
  EXPECT_EQ(encoded->data()[0], 0x03);
  EXPECT_EQ(encoded->data()[5], 30);
  EXPECT_EQ(encoded->data()[6], 7);
}

TEST(RleBitPackedEncoderTest, CompressesConstantAndRunHeavyData) {
  RleBitPackedEncoder constant(20);
  for (int i = 0; i < 100000; ++i) constant.Put(123456);
  EXPECT_LE(constant.Finish()->size(), 8);

  RleBitPackedEncoder alternating(1);
  for (int i = 0; i < 8000; ++i) alternating.Put(i % 2);
  // Pure bit-packing: 1000 bytes plus a header per 504 values.
  EXPECT_LE(alternating.Finish()->size(), 1000 + 8000 / 504 + 1);
}

TEST(RleBitPackedEncoderTest, LengthPrefixedFormRoundTrips) {
  std::vector<int16_t> levels;
  for (int i = 0; i < 777; ++i) levels.push_back(static_cast<int16_t>(i % 13 < 10 ? 2 : i % 3));
  RleBitPackedEncoder encoder(2);
  encoder.Put(levels.data(), static_cast<int64_t>(levels.size()));
  auto encoded = encoder.FinishWithLengthPrefix();
  // The prefix counts the bytes after it.
  uint32_t length;
  std::memcpy(&length, encoded->data(), 4);
  EXPECT_EQ(static_cast<int64_t>(length) + 4, encoded->size());

  RleBitPackedDecoder decoder;
  auto consumed = decoder.InitWithLengthPrefix(encoded->span(), 2);
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(*consumed, encoded->size());
  std::vector<int16_t> decoded(levels.size());
  auto count = decoder.Decode(decoded.data(), static_cast<int64_t>(decoded.size()));
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, static_cast<int64_t>(levels.size()));
  EXPECT_EQ(decoded, levels);
}

TEST(RleBitPackedEncoderTest, EncoderIsReusableAfterFinish) {
  RleBitPackedEncoder encoder(8);
  const uint8_t first[] = {1, 2, 3};
  encoder.Put(first, 3);
  auto a = encoder.Finish();
  const uint8_t second[] = {9, 9, 9, 9, 9, 9, 9, 9, 9};
  encoder.Put(second, 9);
  auto b = encoder.Finish();
  EXPECT_EQ(encoder.num_values(), 0);
  RleBitPackedDecoder decoder;
  ASSERT_TRUE(decoder.Init(b->span(), 8).ok());
  uint8_t out[9];
  auto count = decoder.Decode(out, 9);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 9);
  for (uint8_t value : out) EXPECT_EQ(value, 9);
}

}  // namespace
}  // namespace arcflow::parquet
