#include "arcflow/parquet/delta_binary_packed_decoder.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <vector>

#include "arcflow/parquet/delta_binary_packed_encoder.h"

namespace arcflow::parquet {
namespace {

std::span<const uint8_t> Span(const std::vector<uint8_t>& bytes) {
  return {bytes.data(), bytes.size()};
}

template <typename T>
Result<std::vector<T>> DecodeAll(std::span<const uint8_t> bytes, int64_t batch = 1000) {
  DeltaBinaryPackedDecoder<T> decoder;
  ARCFLOW_RETURN_NOT_OK(decoder.Init(bytes));
  std::vector<T> values;
  while (true) {
    const size_t old_size = values.size();
    values.resize(old_size + static_cast<size_t>(batch));
    ARCFLOW_ASSIGN_OR_RETURN(int64_t count, decoder.Decode(values.data() + old_size, batch));
    values.resize(old_size + static_cast<size_t>(count));
    if (count == 0) return values;
  }
}

// The spec's examples use blocks of 8 values, which it calls invalid; these are the same
// examples with the smallest valid layout, 128-value blocks of 4 miniblocks.
TEST(DeltaBinaryPackedDecoderTest, DecodesSpecExampleOneWithValidBlocks) {
  // 1, 2, 3, 4, 5: every delta is 1, so the min delta is 1 and all bit widths are 0.
  const std::vector<uint8_t> bytes = {0x80, 0x01, 0x04, 0x05, 0x02,   // header: 128, 4, 5, zz(1)
                                      0x02, 0x00, 0x00, 0x00, 0x00};  // min delta zz(1), widths
  auto values = DecodeAll<int32_t>(Span(bytes));
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(*values, (std::vector<int32_t>{1, 2, 3, 4, 5}));
  auto size = DeltaBinaryPackedDecoder<int32_t>::EncodedSize(Span(bytes));
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, static_cast<int64_t>(bytes.size()));
}

TEST(DeltaBinaryPackedDecoderTest, DecodesSpecExampleTwoWithValidBlocks) {
  // 7, 5, 3, 1, 2, 3, 4, 5: deltas -2 -2 -2 1 1 1 1, min delta -2, offsets 0 0 0 3 3 3 3 at
  // 2 bits in a miniblock padded to 32 values (8 bytes).
  std::vector<uint8_t> bytes = {
      0x80,       0x01,      0x04, 0x08, 0x0E,  // header: 128, 4, 8, zz(7)
      0x03,       0x02,      0x00, 0x00, 0x00,  // min delta zz(-2), widths
      0b11000000, 0b00111111};
  bytes.resize(bytes.size() + 6, 0);
  auto values = DecodeAll<int64_t>(Span(bytes), 3);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(*values, (std::vector<int64_t>{7, 5, 3, 1, 2, 3, 4, 5}));
  // Trailing bytes after the stream are not part of it.
  bytes.push_back(0xAB);
  auto size = DeltaBinaryPackedDecoder<int64_t>::EncodedSize(Span(bytes));
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, static_cast<int64_t>(bytes.size()) - 1);
}

TEST(DeltaBinaryPackedDecoderTest, RejectsTheSpecExamplesEightValueBlocks) {
  const std::vector<uint8_t> bytes = {0x08, 0x01, 0x05, 0x02, 0x02, 0x00};
  EXPECT_TRUE(DecodeAll<int32_t>(Span(bytes)).status().IsCorruption());
}

TEST(DeltaBinaryPackedDecoderTest, AcceptsAMissingFinalMiniblockPadding) {
  // Example two without the six padding bytes: only the values present are needed.
  const std::vector<uint8_t> bytes = {0x80, 0x01, 0x04, 0x08, 0x0E,       0x03,
                                      0x02, 0x00, 0x00, 0x00, 0b11000000, 0b00111111};
  auto values = DecodeAll<int32_t>(Span(bytes));
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(*values, (std::vector<int32_t>{7, 5, 3, 1, 2, 3, 4, 5}));
}

TEST(DeltaBinaryPackedDecoderTest, HeaderOnlyStreams) {
  // One value needs no block; zero values may even omit the first value.
  const std::vector<uint8_t> one = {0x80, 0x01, 0x04, 0x01, 0x09};
  auto values = DecodeAll<int32_t>(Span(one));
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(*values, (std::vector<int32_t>{-5}));
  const std::vector<uint8_t> empty = {0x80, 0x01, 0x04, 0x00};
  auto none = DecodeAll<int64_t>(Span(empty));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(*DeltaBinaryPackedDecoder<int64_t>::EncodedSize(Span(empty)), 4);
}

TEST(DeltaBinaryPackedDecoderTest, ReportsMalformedHeadersAndBlocks) {
  struct Case {
    const char* what;
    std::vector<uint8_t> bytes;
  };
  const std::vector<Case> cases = {
      {"empty", {}},
      {"block size zero", {0x00, 0x04, 0x01, 0x00}},
      {"block size not a multiple of 128", {0x81, 0x01, 0x04, 0x01, 0x00}},
      {"block size absurd", {0x80, 0x80, 0x80, 0x80, 0x08, 0x04, 0x01, 0x00}},
      {"zero miniblocks", {0x80, 0x01, 0x00, 0x01, 0x00}},
      {"miniblock of 24 values", {0x80, 0x03, 0x10, 0x01, 0x00}},
      {"miniblocks not dividing the block", {0x80, 0x01, 0x03, 0x01, 0x00}},
      {"value count beyond 2^31-1", {0x80, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00}},
      {"first value missing", {0x80, 0x01, 0x04, 0x02}},
      {"first value beyond INT32", {0x80, 0x01, 0x04, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10}},
      {"block header missing", {0x80, 0x01, 0x04, 0x02, 0x00}},
      {"bit widths truncated", {0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x00}},
      {"bit width 33 for INT32", {0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 33, 0, 0, 0, 1, 2, 3, 4, 5}},
      {"miniblock data truncated", {0x80, 0x01, 0x04, 0x03, 0x00, 0x00, 8, 0, 0, 0, 1}},
  };
  for (const Case& test_case : cases) {
    EXPECT_TRUE(DecodeAll<int32_t>(Span(test_case.bytes)).status().IsCorruption())
        << test_case.what;
    EXPECT_TRUE(DeltaBinaryPackedDecoder<int32_t>::EncodedSize(Span(test_case.bytes))
                    .status()
                    .IsCorruption())
        << test_case.what;
  }
  // INT64 allows 64-bit widths but not 65.
  const std::vector<uint8_t> width_65 = {0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 65, 0, 0, 0};
  EXPECT_TRUE(DecodeAll<int64_t>(Span(width_65)).status().IsCorruption());
}

TEST(DeltaBinaryPackedDecoderTest, WrapsAroundInsteadOfOverflowing) {
  // INT32: first value INT32_MAX, min delta 1 and zero-width miniblocks: the values wrap to
  // INT32_MIN and upwards.
  const std::vector<uint8_t> bytes = {0x80, 0x01, 0x04, 0x03, 0xFE, 0xFF, 0xFF,
                                      0xFF, 0x0F, 0x02, 0x00, 0x00, 0x00, 0x00};
  auto values = DecodeAll<int32_t>(Span(bytes));
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(*values, (std::vector<int32_t>{std::numeric_limits<int32_t>::max(),
                                           std::numeric_limits<int32_t>::min(),
                                           std::numeric_limits<int32_t>::min() + 1}));
}

TEST(DeltaBinaryPackedDecoderTest, TruncationAtEveryLengthFailsOrYieldsAPrefix) {
  std::mt19937_64 rng(21);
  std::vector<int64_t> values;
  for (int i = 0; i < 700; ++i) values.push_back(static_cast<int64_t>(rng() % 100000) - 5000);
  DeltaBinaryPackedEncoder<int64_t> encoder;
  encoder.Put(values.data(), static_cast<int64_t>(values.size()));
  auto encoded = encoder.Finish();
  for (int64_t cut = 0; cut <= encoded->size(); ++cut) {
    std::vector<uint8_t> truncated(encoded->data(), encoded->data() + cut);
    auto decoded = DecodeAll<int64_t>(Span(truncated), 50);
    if (!decoded.ok()) {
      EXPECT_TRUE(decoded.status().IsCorruption());
      continue;
    }
    ASSERT_LE(decoded->size(), values.size());
    for (size_t i = 0; i < decoded->size(); ++i) ASSERT_EQ((*decoded)[i], values[i]);
  }
}

TEST(DeltaBinaryPackedDecoderTest, SurvivesRandomBitFlips) {
  std::mt19937_64 rng(22);
  std::vector<int32_t> values;
  for (int i = 0; i < 1000; ++i) values.push_back(static_cast<int32_t>(rng()));
  DeltaBinaryPackedEncoder<int32_t> encoder;
  encoder.Put(values.data(), static_cast<int64_t>(values.size()));
  auto encoded = encoder.Finish();
  for (int trial = 0; trial < 1000; ++trial) {
    std::vector<uint8_t> bytes(encoded->data(), encoded->data() + encoded->size());
    for (int f = 0; f < 1 + static_cast<int>(rng() % 3); ++f) {
      const size_t bit = rng() % (bytes.size() * 8);
      bytes[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    }
    // A flipped count can claim up to 2^31-1 values; decode a bounded number.
    DeltaBinaryPackedDecoder<int32_t> decoder;
    if (!decoder.Init(Span(bytes)).ok()) continue;
    std::vector<int32_t> out(4096);
    auto count = decoder.Decode(out.data(), static_cast<int64_t>(out.size()));
    if (!count.ok()) {
      EXPECT_TRUE(count.status().IsCorruption());
    }
    auto size = DeltaBinaryPackedDecoder<int32_t>::EncodedSize(Span(bytes));
    if (size.ok()) {
      EXPECT_LE(*size, static_cast<int64_t>(bytes.size()));
    }
  }
}

TEST(DeltaBinaryPackedDecoderTest, SkipKeepsTheRunningSum) {
  std::vector<int64_t> values;
  for (int i = 0; i < 1000; ++i) values.push_back(int64_t{i} * i - 7 * i);
  DeltaBinaryPackedEncoder<int64_t> encoder;
  encoder.Put(values.data(), static_cast<int64_t>(values.size()));
  auto encoded = encoder.Finish();
  DeltaBinaryPackedDecoder<int64_t> decoder;
  ASSERT_TRUE(decoder.Init(encoded->span()).ok());
  EXPECT_EQ(decoder.total_values(), 1000);
  ASSERT_EQ(*decoder.Skip(333), 333);
  int64_t out[10];
  ASSERT_EQ(*decoder.Decode(out, 10), 10);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(out[i], values[333 + i]);
  ASSERT_EQ(*decoder.Skip(1000), 657);
  EXPECT_EQ(decoder.values_remaining(), 0);
  EXPECT_EQ(*decoder.Decode(out, 10), 0);
}

}  // namespace
}  // namespace arcflow::parquet
