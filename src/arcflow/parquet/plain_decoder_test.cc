#include "arcflow/parquet/plain_decoder.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "arcflow/parquet/plain_encoder.h"

namespace arcflow::parquet {
namespace {

std::span<const uint8_t> Span(const std::vector<uint8_t>& bytes) {
  return {bytes.data(), bytes.size()};
}

TEST(PlainDecoderTest, DecodesHandBuiltByteArrays) {
  // "ab", "", "xyz", then two stray bytes too short to be a length.
  const std::vector<uint8_t> bytes = {2, 0, 0, 0, 'a', 'b', 0,   0,    0,   0,
                                      3, 0, 0, 0, 'x', 'y', 'z', 0x01, 0x02};
  PlainDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(bytes), PhysicalType::kByteArray).ok());
  ByteArraySink sink;
  auto count = decoder.DecodeByteArray(&sink, 10);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 3);
  EXPECT_EQ(sink.View().Value(0), "ab");
  EXPECT_EQ(sink.View().Value(1), "");
  EXPECT_EQ(sink.View().Value(2), "xyz");
  EXPECT_EQ(decoder.bytes_remaining(), 2);
  // Offsets start at zero and end at the data size, Arrow-style.
  const int32_t* offsets = sink.offsets.data_as<int32_t>();
  EXPECT_EQ(offsets[0], 0);
  EXPECT_EQ(offsets[3], 5);
}

TEST(PlainDecoderTest, AppendsToASinkThatAlreadyHoldsValues) {
  ByteArraySink sink;
  ASSERT_TRUE(sink.Append("hello").ok());
  const std::vector<uint8_t> bytes = {1, 0, 0, 0, 'z'};
  PlainDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(bytes), PhysicalType::kByteArray).ok());
  ASSERT_TRUE(decoder.DecodeByteArray(&sink, 1).ok());
  ASSERT_EQ(sink.length(), 2);
  EXPECT_EQ(sink.View().Value(0), "hello");
  EXPECT_EQ(sink.View().Value(1), "z");
}

TEST(PlainDecoderTest, RejectsByteArraysRunningPastTheData) {
  const std::vector<uint8_t> bytes = {1, 0, 0, 0, 'a', 5, 0, 0, 0, 'b', 'c'};
  PlainDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(bytes), PhysicalType::kByteArray).ok());
  ByteArraySink sink;
  EXPECT_TRUE(decoder.DecodeByteArray(&sink, 10).status().IsCorruption());
  // The failed batch appended nothing.
  EXPECT_EQ(sink.length(), 0);
  ASSERT_TRUE(decoder.Init(Span(bytes), PhysicalType::kByteArray).ok());
  auto one = decoder.DecodeByteArray(&sink, 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, 1);
  EXPECT_TRUE(decoder.Skip(1).status().IsCorruption());

  const std::vector<uint8_t> huge = {0xFF, 0xFF, 0xFF, 0xFF, 'a'};
  ASSERT_TRUE(decoder.Init(Span(huge), PhysicalType::kByteArray).ok());
  EXPECT_TRUE(decoder.DecodeByteArray(&sink, 1).status().IsCorruption());
}

TEST(PlainDecoderTest, ByteArraySinkRefusesDataBeyondInt32Offsets) {
  EXPECT_TRUE(ByteArraySink::CheckDataSize(0, ByteArraySink::kMaxDataSize).ok());
  EXPECT_TRUE(ByteArraySink::CheckDataSize(1, ByteArraySink::kMaxDataSize).IsInvalid());
  EXPECT_TRUE(ByteArraySink::CheckDataSize(ByteArraySink::kMaxDataSize, 1).IsInvalid());
  EXPECT_TRUE(ByteArraySink::CheckDataSize(ByteArraySink::kMaxDataSize, 0).ok());
}

TEST(PlainDecoderTest, StopsAtTheLastWholeValue) {
  const std::vector<uint8_t> bytes = {1, 0, 0, 0, 2, 0, 0, 0, 3, 0};
  PlainDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(bytes), PhysicalType::kInt32).ok());
  int32_t values[4] = {};
  auto count = decoder.Decode(values, 4);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2);
  EXPECT_EQ(values[0], 1);
  EXPECT_EQ(values[1], 2);
  EXPECT_EQ(decoder.bytes_remaining(), 2);
  auto more = decoder.Decode(values, 4);
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(*more, 0);
}

TEST(PlainDecoderTest, RejectsMismatchedTypesAndLengths) {
  const std::vector<uint8_t> bytes(16, 0);
  PlainDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(bytes), PhysicalType::kInt64).ok());
  int32_t ints[4];
  EXPECT_TRUE(decoder.Decode(ints, 4).status().IsInvalid());
  ByteArraySink sink;
  EXPECT_TRUE(decoder.DecodeByteArray(&sink, 1).status().IsInvalid());
  EXPECT_TRUE(decoder.Init(Span(bytes), PhysicalType::kFixedLenByteArray, 0).IsInvalid());
  EXPECT_TRUE(decoder.Init(Span(bytes), PhysicalType::kFixedLenByteArray, -3).IsInvalid());
  EXPECT_TRUE(decoder.Init(Span(bytes), static_cast<PhysicalType>(42)).IsInvalid());
}

TEST(PlainDecoderTest, SkipsEveryType) {
  const std::vector<uint8_t> bools = {0b10110100, 0b1};
  PlainDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(bools), PhysicalType::kBoolean).ok());
  auto skipped = decoder.Skip(2);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(*skipped, 2);
  uint8_t values[20];
  auto count = decoder.DecodeBooleans(values, 20);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 14);
  EXPECT_EQ(values[0], 1);
  EXPECT_EQ(values[1], 0);
  EXPECT_EQ(values[2], 1);
  EXPECT_EQ(values[6], 1);

  const std::vector<uint8_t> arrays = {1, 0, 0, 0, 'a', 2, 0, 0, 0, 'b', 'c'};
  ASSERT_TRUE(decoder.Init(Span(arrays), PhysicalType::kByteArray).ok());
  ASSERT_EQ(*decoder.Skip(1), 1);
  ByteArraySink sink;
  ASSERT_EQ(*decoder.DecodeByteArray(&sink, 5), 1);
  EXPECT_EQ(sink.View().Value(0), "bc");
  EXPECT_EQ(*decoder.Skip(5), 0);

  const std::vector<uint8_t> fixed(36, 7);
  ASSERT_TRUE(decoder.Init(Span(fixed), PhysicalType::kInt96).ok());
  EXPECT_EQ(*decoder.Skip(2), 2);
  EXPECT_EQ(*decoder.Skip(2), 1);
}

TEST(PlainDecoderTest, TruncatedByteArraysFailOrYieldAPrefix) {
  std::mt19937_64 rng(8);
  PlainEncoder encoder(PhysicalType::kByteArray);
  std::vector<std::string> values;
  for (int i = 0; i < 60; ++i) {
    values.emplace_back(rng() % 9, static_cast<char>('a' + i % 26));
    ASSERT_TRUE(encoder.PutByteArray(values.back()).ok());
  }
  auto encoded = encoder.Finish();
  for (int64_t cut = 0; cut <= encoded->size(); ++cut) {
    std::vector<uint8_t> truncated(encoded->data(), encoded->data() + cut);
    PlainDecoder decoder;
    ASSERT_TRUE(decoder.Init(Span(truncated), PhysicalType::kByteArray).ok());
    ByteArraySink sink;
    auto count = decoder.DecodeByteArray(&sink, 100);
    if (!count.ok()) {
      EXPECT_TRUE(count.status().IsCorruption());
      continue;
    }
    ASSERT_LE(*count, 60);
    for (int64_t i = 0; i < *count; ++i) ASSERT_EQ(sink.View().Value(i), values[i]);
  }
}

TEST(PlainDecoderTest, SurvivesRandomBytesAsByteArrays) {
  std::mt19937_64 rng(12);
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<uint8_t> bytes(rng() % 64);
    for (auto& byte : bytes) byte = static_cast<uint8_t>(rng() % 4 == 0 ? rng() : rng() % 8);
    PlainDecoder decoder;
    ASSERT_TRUE(decoder.Init(Span(bytes), PhysicalType::kByteArray).ok());
    ByteArraySink sink;
    auto count = decoder.DecodeByteArray(&sink, 1000);
    if (count.ok()) {
      EXPECT_EQ(sink.length(), *count);
    } else {
      EXPECT_TRUE(count.status().IsCorruption());
    }
  }
}

}  // namespace
}  // namespace arcflow::parquet
