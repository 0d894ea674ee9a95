#include "arcflow/parquet/delta_byte_array_encoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "arcflow/parquet/delta_binary_packed_decoder.h"
#include "arcflow/parquet/delta_byte_array_decoder.h"
#include "arcflow/parquet/delta_length_byte_array_decoder.h"

namespace arcflow::parquet {
namespace {

constexpr int64_t kSizes[] = {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000};

std::vector<std::string> MakeStrings(int pattern, int64_t count, std::mt19937_64& rng) {
  std::vector<std::string> values;
  for (int64_t i = 0; i < count; ++i) {
    std::string value;
    switch (pattern) {
      case 0:  // Random bytes, including zeros.
        value.resize(rng() % 20);
        for (auto& c : value) c = static_cast<char>(rng());
        break;
      case 1:  // Shared prefixes, later sorted.
        value = "customer/" + std::to_string(rng() % 100000);
        break;
      case 2:  // Constant.
        value = "same value";
        break;
      case 3:  // Alternating between a string and its extension, and the empty string.
        value = i % 3 == 0 ? "" : (i % 3 == 1 ? "abc" : "abcdef");
        break;
    }
    values.push_back(value);
  }
  if (pattern == 1) std::sort(values.begin(), values.end());
  return values;
}

TEST(DeltaByteArrayEncoderTest, RoundTripsEverySizeAndPattern) {
  std::mt19937_64 rng(61);
  for (int64_t count : kSizes) {
    for (int pattern = 0; pattern < 4; ++pattern) {
      const auto values = MakeStrings(pattern, count, rng);
      DeltaByteArrayEncoder encoder;
      for (const auto& value : values) ASSERT_TRUE(encoder.Put(value).ok());
      EXPECT_EQ(encoder.num_values(), count);
      const int64_t estimate = encoder.EstimatedSize();
      auto encoded = encoder.Finish();
      EXPECT_LE(encoded->size(), estimate);

      DeltaByteArrayDecoder decoder;
      ASSERT_TRUE(decoder.Init(encoded->span()).ok());
      ByteArraySink sink;
      while (true) {
        auto step = decoder.Decode(&sink, 1 + static_cast<int64_t>(rng() % 3000));
        ASSERT_TRUE(step.ok()) << step.status().ToString();
        if (*step == 0) break;
      }
      ASSERT_EQ(sink.length(), count) << "pattern " << pattern;
      for (int64_t i = 0; i < count; ++i) {
        ASSERT_EQ(sink.View().Value(i), values[static_cast<size_t>(i)])
            << "pattern " << pattern << " index " << i;
      }
    }
  }
}

TEST(DeltaByteArrayEncoderTest, ProducesTheSpecExampleSegments) {
  DeltaByteArrayEncoder encoder;
  ByteArraySink input;
  for (const char* value : {"axis", "axle", "babble", "babyhood"}) {
    ASSERT_TRUE(input.Append(value).ok());
  }
  ASSERT_TRUE(encoder.Put(input.View()).ok());
  auto encoded = encoder.Finish();

  auto prefixes_size = DeltaBinaryPackedDecoder<int32_t>::EncodedSize(encoded->span());
  ASSERT_TRUE(prefixes_size.ok());
  DeltaBinaryPackedDecoder<int32_t> prefixes;
  ASSERT_TRUE(prefixes.Init(encoded->span()).ok());
  int32_t prefix_lengths[4];
  ASSERT_EQ(*prefixes.Decode(prefix_lengths, 4), 4);
  EXPECT_EQ(std::vector<int32_t>(prefix_lengths, prefix_lengths + 4),
            (std::vector<int32_t>{0, 2, 0, 3}));

  DeltaLengthByteArrayDecoder suffixes;
  ASSERT_TRUE(suffixes.Init(encoded->span().subspan(static_cast<size_t>(*prefixes_size))).ok());
  int32_t suffix_lengths[4];
  const uint8_t* bytes;
  ASSERT_EQ(*suffixes.DecodeLengths(suffix_lengths, &bytes, 4), 4);
  EXPECT_EQ(std::vector<int32_t>(suffix_lengths, suffix_lengths + 4),
            (std::vector<int32_t>{4, 2, 6, 5}));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes), 17), "axislebabbleyhood");
}

TEST(DeltaByteArrayEncoderTest, RoundTripsFixedLengthValues) {
  std::mt19937_64 rng(62);
  const int32_t type_length = 16;
  std::vector<uint8_t> values(static_cast<size_t>(1000 * type_length));
  for (size_t i = 0; i < values.size(); ++i) {
    // Mostly shared leading bytes, like sorted UUIDs or decimals.
    values[i] = i % type_length < 10 ? static_cast<uint8_t>(i / (type_length * 100))
                                     : static_cast<uint8_t>(rng());
  }
  DeltaByteArrayEncoder encoder;
  ASSERT_TRUE(encoder.PutFixedLenByteArray(values.data(), type_length, 1000).ok());
  auto encoded = encoder.Finish();
  DeltaByteArrayDecoder decoder;
  ASSERT_TRUE(decoder.Init(encoded->span()).ok());
  std::vector<uint8_t> decoded(values.size());
  auto count = decoder.DecodeFixedLenByteArray(decoded.data(), type_length, 1000);
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, 1000);
  EXPECT_EQ(decoded, values);
}

}  // namespace
}  // namespace arcflow::parquet
