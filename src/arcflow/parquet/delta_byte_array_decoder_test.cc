#include "arcflow/parquet/delta_byte_array_decoder.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "arcflow/parquet/delta_binary_packed_encoder.h"
#include "arcflow/parquet/delta_byte_array_encoder.h"
#include "arcflow/parquet/delta_length_byte_array_encoder.h"

namespace arcflow::parquet {
namespace {

std::span<const uint8_t> Span(const std::vector<uint8_t>& bytes) {
  return {bytes.data(), bytes.size()};
}

// Builds a page from explicit prefix lengths and suffixes, so tests can make them inconsistent.
std::vector<uint8_t> BuildPage(const std::vector<int32_t>& prefixes,
                               const std::vector<std::string>& suffixes) {
  DeltaBinaryPackedEncoder<int32_t> prefix_encoder;
  prefix_encoder.Put(prefixes.data(), static_cast<int64_t>(prefixes.size()));
  BufferBuilder page;
  prefix_encoder.FinishInto(&page);
  DeltaLengthByteArrayEncoder suffix_encoder;
  for (const auto& suffix : suffixes) EXPECT_TRUE(suffix_encoder.Put(suffix).ok());
  suffix_encoder.FinishInto(&page);
  return std::vector<uint8_t>(page.data(), page.data() + page.size());
}

Result<std::vector<std::string>> DecodeAll(std::span<const uint8_t> bytes, int64_t batch = 100) {
  DeltaByteArrayDecoder decoder;
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

TEST(DeltaByteArrayDecoderTest, DecodesTheSpecExample) {
  // Encodings.md: prefix lengths 0 2 0 3, suffixes "axis" "le" "babble" "yhood".
  const auto page = BuildPage({0, 2, 0, 3}, {"axis", "le", "babble", "yhood"});
  for (int64_t batch : {1, 2, 100}) {
    auto values = DecodeAll(Span(page), batch);
    ASSERT_TRUE(values.ok()) << values.status().ToString();
    EXPECT_EQ(*values, (std::vector<std::string>{"axis", "axle", "babble", "babyhood"}));
  }
}

TEST(DeltaByteArrayDecoderTest, RejectsPrefixesLongerThanThePreviousValue) {
  EXPECT_TRUE(DecodeAll(Span(BuildPage({1}, {"a"}))).status().IsCorruption());
  EXPECT_TRUE(DecodeAll(Span(BuildPage({0, 3}, {"ab", "c"}))).status().IsCorruption());
  EXPECT_TRUE(DecodeAll(Span(BuildPage({0, -1}, {"ab", "c"}))).status().IsCorruption());
  // The previous value is the rebuilt one, not the previous suffix: "ab" then "ab"+"c" then a
  // prefix of 3 is fine.
  auto values = DecodeAll(Span(BuildPage({0, 2, 3}, {"ab", "c", "d"})), 1);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(*values, (std::vector<std::string>{"ab", "abc", "abcd"}));
}

TEST(DeltaByteArrayDecoderTest, RejectsStreamsOfDifferentLengths) {
  EXPECT_TRUE(DecodeAll(Span(BuildPage({0, 0}, {"a"}))).status().IsCorruption());
  EXPECT_TRUE(DecodeAll(Span(BuildPage({0}, {"a", "b"}))).status().IsCorruption());
}

TEST(DeltaByteArrayDecoderTest, DecodesFixedLengthValues) {
  const auto page = BuildPage({0, 2, 4}, {"abcd", "xy", ""});
  DeltaByteArrayDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(page)).ok());
  uint8_t out[12];
  auto first = decoder.DecodeFixedLenByteArray(out, 4, 1);
  ASSERT_TRUE(first.ok());
  auto rest = decoder.DecodeFixedLenByteArray(out + 4, 4, 5);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(*first + *rest, 3);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(out), 12), "abcdabxyabxy");

  ASSERT_TRUE(decoder.Init(Span(page)).ok());
  EXPECT_TRUE(decoder.DecodeFixedLenByteArray(out, 3, 3).status().IsCorruption());
  EXPECT_TRUE(decoder.DecodeFixedLenByteArray(out, 0, 3).status().IsInvalid());
}

TEST(DeltaByteArrayDecoderTest, SkipStillTracksThePreviousValue) {
  const auto page = BuildPage({0, 3, 4, 1}, {"hello", "p", "er", "x"});
  DeltaByteArrayDecoder decoder;
  ASSERT_TRUE(decoder.Init(Span(page)).ok());
  ASSERT_EQ(*decoder.Skip(3), 3);
  ByteArraySink sink;
  ASSERT_EQ(*decoder.Decode(&sink, 5), 1);
  // Values: "hello", "hel" + "p", "help" + "er", then "h" + "x".
  EXPECT_EQ(sink.View().Value(0), "hx");
  EXPECT_EQ(decoder.values_remaining(), 0);
}

TEST(DeltaByteArrayDecoderTest, TruncationAtEveryLengthFailsOrYieldsAPrefix) {
  std::mt19937_64 rng(51);
  std::vector<std::string> values;
  DeltaByteArrayEncoder encoder;
  std::string current = "base";
  for (int i = 0; i < 200; ++i) {
    current.resize(rng() % (current.size() + 1));
    current += std::string(rng() % 5, static_cast<char>('a' + rng() % 26));
    values.push_back(current);
    ASSERT_TRUE(encoder.Put(current).ok());
  }
  auto encoded = encoder.Finish();
  for (int64_t cut = 0; cut <= encoded->size(); ++cut) {
    std::vector<uint8_t> truncated(encoded->data(), encoded->data() + cut);
    auto decoded = DecodeAll(Span(truncated), 37);
    if (!decoded.ok()) {
      EXPECT_TRUE(decoded.status().IsCorruption());
      continue;
    }
    ASSERT_LE(decoded->size(), values.size());
    for (size_t i = 0; i < decoded->size(); ++i) ASSERT_EQ((*decoded)[i], values[i]);
  }
}

TEST(DeltaByteArrayDecoderTest, SurvivesRandomBitFlips) {
  std::mt19937_64 rng(52);
  DeltaByteArrayEncoder encoder;
  for (int i = 0; i < 400; ++i) {
    ASSERT_TRUE(encoder.Put("prefix/" + std::to_string(i * 37 % 1000)).ok());
  }
  auto encoded = encoder.Finish();
  for (int trial = 0; trial < 1000; ++trial) {
    std::vector<uint8_t> bytes(encoded->data(), encoded->data() + encoded->size());
    for (int f = 0; f < 1 + static_cast<int>(rng() % 3); ++f) {
      const size_t bit = rng() % (bytes.size() * 8);
      bytes[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    }
    DeltaByteArrayDecoder decoder;
    if (!decoder.Init(Span(bytes)).ok()) continue;
    ByteArraySink sink;
    auto count = decoder.Decode(&sink, 1000);
    if (!count.ok()) {
      EXPECT_TRUE(count.status().IsCorruption() || count.status().IsInvalid())
          << count.status().ToString();
    }
  }
}

}  // namespace
}  // namespace arcflow::parquet
