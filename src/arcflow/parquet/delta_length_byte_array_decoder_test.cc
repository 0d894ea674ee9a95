#include "arcflow/parquet/delta_length_byte_array_decoder.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "arcflow/parquet/delta_binary_packed_encoder.h"
#include "arcflow/parquet/delta_length_byte_array_encoder.h"

namespace arcflow::parquet {
namespace {

std::span<const uint8_t> Span(const std::vector<uint8_t>& bytes) {
  return {bytes.data(), bytes.size()};
}

// Builds a page from explicit lengths and bytes, so tests can make them disagree.
std::vector<uint8_t> BuildPage(const std::vector<int32_t>& lengths, const std::string& bytes) {
  DeltaBinaryPackedEncoder<int32_t> encoder;
  encoder.Put(lengths.data(), static_cast<int64_t>(lengths.size()));
  auto encoded = encoder.Finish();
  std::vector<uint8_t> page(encoded->data(), encoded->data() + encoded->size());
  page.insert(page.end(), bytes.begin(), bytes.end());
  return page;
}

Result<std::vector<std::string>> DecodeAll(std::span<const uint8_t> bytes, int64_t batch = 100) {
  DeltaLengthByteArrayDecoder decoder;
  ARCFLOW_RETURN_NOT_OK(decoder.Init(bytes));
  ByteArraySink sink;
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(int64_t count, decoder.Decode(&sink, batch));
    if (count == 0) break;
  }
  std::vector<std::string> values;
  for (int64_t i = 0; i < sink.length(); ++i) values.emplace_back(sink.View().Value(i));
  return values;
}

TEST(DeltaLengthByteArrayDecoderTest, DecodesTheSpecExample) {
  // Encodings.md: "Hello", "World", "Foobar", "ABCDEF" are lengths 5 5 6 6, then the bytes.
  const auto page = BuildPage({5, 5, 6, 6}, "HelloWorldFoobarABCDEF");
  auto values = DecodeAll(Span(page), 3);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(*values, (std::vector<std::string>{"Hello", "World", "Foobar", "ABCDEF"}));
}

TEST(DeltaLengthByteArrayDecoderTest, OffersValuesWithoutCopying) {
  const auto page = BuildPage({2, 0, 3}, "abxyz");
  DeltaLengthByteArrayDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(page)).ok());
  EXPECT_EQ(decoder.total_values(), 3);
  int32_t lengths[3];
  const uint8_t* bytes = nullptr;
  auto count = decoder.DecodeLengths(lengths, &bytes, 3);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 3);
  // The bytes point into the page itself.
  EXPECT_EQ(bytes, page.data() + page.size() - 5);
  EXPECT_EQ(lengths[0], 2);
  EXPECT_EQ(lengths[1], 0);
  EXPECT_EQ(lengths[2], 3);
}

TEST(DeltaLengthByteArrayDecoderTest, RejectsLengthsThatDoNotMatchTheBytes) {
  EXPECT_TRUE(DecodeAll(Span(BuildPage({3, 4}, "abcdef"))).status().IsCorruption());
  EXPECT_TRUE(DecodeAll(Span(BuildPage({3, -1, 2}, "abcde"))).status().IsCorruption());
  // Extra bytes after the last value are tolerated (they are simply not read).
  auto values = DecodeAll(Span(BuildPage({1}, "ab")));
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(*values, (std::vector<std::string>{"a"}));
}

TEST(DeltaLengthByteArrayDecoderTest, SkipsValues) {
  const auto page = BuildPage({1, 2, 3, 4}, "abbcccdddd");
  DeltaLengthByteArrayDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(page)).ok());
  ASSERT_EQ(*decoder.Skip(2), 2);
  ByteArraySink sink;
  ASSERT_EQ(*decoder.Decode(&sink, 10), 2);
  EXPECT_EQ(sink.View().Value(0), "ccc");
  EXPECT_EQ(sink.View().Value(1), "dddd");
  EXPECT_EQ(decoder.values_remaining(), 0);
}

TEST(DeltaLengthByteArrayDecoderTest, TruncationAtEveryLengthFailsOrYieldsAPrefix) {
  std::mt19937_64 rng(31);
  DeltaLengthByteArrayEncoder encoder;
  std::vector<std::string> values;
  for (int i = 0; i < 300; ++i) {
    values.emplace_back(rng() % 12, static_cast<char>('A' + rng() % 26));
    ASSERT_TRUE(encoder.Put(values.back()).ok());
  }
  auto encoded = encoder.Finish();
  for (int64_t cut = 0; cut <= encoded->size(); ++cut) {
    std::vector<uint8_t> truncated(encoded->data(), encoded->data() + cut);
    auto decoded = DecodeAll(Span(truncated), 64);
    if (!decoded.ok()) {
      EXPECT_TRUE(decoded.status().IsCorruption());
      continue;
    }
    ASSERT_LE(decoded->size(), values.size());
    for (size_t i = 0; i < decoded->size(); ++i) ASSERT_EQ((*decoded)[i], values[i]);
  }
}

TEST(DeltaLengthByteArrayDecoderTest, SurvivesRandomBitFlips) {
  std::mt19937_64 rng(32);
  DeltaLengthByteArrayEncoder encoder;
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(encoder.Put(std::string(rng() % 30, 'x')).ok());
  }
  auto encoded = encoder.Finish();
  for (int trial = 0; trial < 1000; ++trial) {
    std::vector<uint8_t> bytes(encoded->data(), encoded->data() + encoded->size());
    for (int f = 0; f < 1 + static_cast<int>(rng() % 3); ++f) {
      const size_t bit = rng() % (bytes.size() * 8);
      bytes[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    }
    DeltaLengthByteArrayDecoder decoder;
    if (!decoder.Init(Span(bytes)).ok()) continue;
    ByteArraySink sink;
    auto count = decoder.Decode(&sink, 2000);
    if (!count.ok()) {
      EXPECT_TRUE(count.status().IsCorruption());
    } else {
      EXPECT_LE(sink.data.size(), static_cast<int64_t>(bytes.size()));
    }
  }
}

}  // namespace
}  // namespace arcflow::parquet
