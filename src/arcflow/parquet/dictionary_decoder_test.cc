#include "arcflow/parquet/dictionary_decoder.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "arcflow/parquet/rle_bit_packed_encoder.h"

namespace arcflow::parquet {
namespace {

std::span<const uint8_t> Span(const std::vector<uint8_t>& bytes) {
  return {bytes.data(), bytes.size()};
}

// A data page holding `indices` at `bit_width`.
std::vector<uint8_t> IndexPage(const std::vector<int32_t>& indices, int bit_width) {
  RleBitPackedEncoder encoder(bit_width);
  encoder.Put(indices.data(), static_cast<int64_t>(indices.size()));
  auto runs = encoder.Finish();
  std::vector<uint8_t> page = {static_cast<uint8_t>(bit_width)};
  page.insert(page.end(), runs->data(), runs->data() + runs->size());
  return page;
}

TEST(DictionaryDecoderTest, GathersTypedValues) {
  const std::vector<int64_t> dictionary = {100, 200, 300};
  const auto page = IndexPage({2, 0, 1, 1, 2}, 2);
  DictionaryIndexDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(page), 3).ok());
  EXPECT_EQ(decoder.bit_width(), 2);
  int64_t out[5];
  ASSERT_EQ(*decoder.Decode(dictionary.data(), out, 5), 5);
  EXPECT_EQ(std::vector<int64_t>(out, out + 5), (std::vector<int64_t>{300, 100, 200, 200, 300}));
}

TEST(DictionaryDecoderTest, RejectsIndicesOutsideTheDictionary) {
  const std::vector<float> dictionary = {1.5f, 2.5f};
  // Index 2 is within the bit width but past the dictionary, in a bit-packed run and in a
  // repeated run.
  for (const auto& indices : {std::vector<int32_t>{0, 1, 2, 0}, std::vector<int32_t>(20, 2)}) {
    const auto page = IndexPage(indices, 2);
    DictionaryIndexDecoder decoder;
    ASSERT_TRUE(decoder.Init(Span(page), 2).ok());
    float out[20];
    EXPECT_TRUE(decoder.Decode(dictionary.data(), out, 20).status().IsCorruption());
  }
  // Any index into an empty dictionary is out of range.
  const auto page = IndexPage({0}, 1);
  DictionaryIndexDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(page), 0).ok());
  int32_t indices[1];
  EXPECT_TRUE(decoder.DecodeIndices(indices, 1).status().IsCorruption());
}

TEST(DictionaryDecoderTest, RejectsNegativeIndicesFromThirtyTwoBitWidths) {
  // A 32-bit index with the top bit set reads as negative.
  const auto page = IndexPage({0, static_cast<int32_t>(0x80000001u)}, 32);
  DictionaryIndexDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(page), 5).ok());
  int32_t indices[2];
  EXPECT_TRUE(decoder.DecodeIndices(indices, 2).status().IsCorruption());
}

TEST(DictionaryDecoderTest, RejectsBadBitWidthsAndSizes) {
  const std::vector<uint8_t> page = {33, 0x02, 0x00};
  DictionaryIndexDecoder decoder;
  EXPECT_TRUE(decoder.Init(Span(page), 10).IsCorruption());
  EXPECT_TRUE(decoder.Init({}, -1).IsInvalid());
  EXPECT_TRUE(decoder.Init({}, int64_t{1} << 31).IsInvalid());
  // An empty page decodes no values.
  ASSERT_TRUE(decoder.Init({}, 10).ok());
  int32_t indices[4];
  EXPECT_EQ(*decoder.DecodeIndices(indices, 4), 0);
}

TEST(DictionaryDecoderTest, GatherHelpersValidateEveryIndex) {
  const std::vector<double> dictionary = {0.5, 1.5, 2.5};
  const std::vector<int32_t> good = {2, 2, 0};
  double out[3];
  ASSERT_TRUE(GatherDictionaryValues<double>(dictionary, good, out).ok());
  EXPECT_EQ(out[0], 2.5);
  EXPECT_EQ(out[2], 0.5);
  const std::vector<int32_t> bad = {0, 3};
  EXPECT_TRUE(GatherDictionaryValues<double>(dictionary, bad, out).IsCorruption());
  const std::vector<int32_t> negative = {-1};
  EXPECT_TRUE(GatherDictionaryValues<double>(dictionary, negative, out).IsCorruption());

  const std::vector<uint8_t> fixed = {'a', 'b', 'c', 'd'};
  uint8_t fixed_out[4];
  const std::vector<int32_t> fixed_indices = {1, 0};
  ASSERT_TRUE(GatherFixedLenByteArrays(fixed.data(), 2, 2, fixed_indices, fixed_out).ok());
  EXPECT_EQ(std::string(reinterpret_cast<char*>(fixed_out), 4), "cdab");
  EXPECT_TRUE(GatherFixedLenByteArrays(fixed.data(), 2, 2, bad, fixed_out).IsCorruption());

  ByteArraySink strings;
  ASSERT_TRUE(strings.Append("zero").ok());
  ASSERT_TRUE(strings.Append("").ok());
  ASSERT_TRUE(strings.Append("two").ok());
  ByteArraySink gathered;
  ASSERT_TRUE(GatherByteArrays(strings.View(), good, &gathered).ok());
  ASSERT_EQ(gathered.length(), 3);
  EXPECT_EQ(gathered.View().Value(0), "two");
  EXPECT_EQ(gathered.View().Value(2), "zero");
  EXPECT_TRUE(GatherByteArrays(strings.View(), bad, &gathered).IsCorruption());
  EXPECT_EQ(gathered.length(), 3);
}

TEST(DictionaryDecoderTest, SurvivesRandomPages) {
  std::mt19937_64 rng(81);
  const std::vector<int32_t> dictionary(37, 7);
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<uint8_t> page(rng() % 40);
    for (auto& byte : page) byte = static_cast<uint8_t>(rng());
    if (!page.empty()) page[0] = static_cast<uint8_t>(rng() % 8);
    DictionaryIndexDecoder decoder;
    if (!decoder.Init(Span(page), 37).ok()) continue;
    std::vector<int32_t> out(4096);
    auto count = decoder.Decode(dictionary.data(), out.data(), static_cast<int64_t>(out.size()));
    if (count.ok()) {
      for (int64_t i = 0; i < *count; ++i) ASSERT_EQ(out[static_cast<size_t>(i)], 7);
    } else {
      EXPECT_TRUE(count.status().IsCorruption());
    }
  }
}

}  // namespace
}  // namespace arcflow::parquet
