#include "arcflow/parquet/delta_length_byte_array_encoder.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "arcflow/parquet/delta_binary_packed_decoder.h"
#include "arcflow/parquet/delta_length_byte_array_decoder.h"

namespace arcflow::parquet {
namespace {

constexpr int64_t kSizes[] = {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000};

TEST(DeltaLengthByteArrayEncoderTest, RoundTripsRandomStrings) {
  std::mt19937_64 rng(41);
  for (int64_t count : kSizes) {
    for (int max_length : {1, 8, 100}) {
      std::vector<std::string> values;
      DeltaLengthByteArrayEncoder encoder;
      ByteArraySink batch;
      for (int64_t i = 0; i < count; ++i) {
        std::string value(rng() % static_cast<uint64_t>(max_length), '\0');
        for (auto& c : value) c = static_cast<char>(rng());
        values.push_back(value);
        // Alternate the single-value and batch forms of Put.
        if (i % 2 == 0) {
          ASSERT_TRUE(encoder.Put(value).ok());
        } else {
          batch.offsets.Clear();
          batch.data.Clear();
          ASSERT_TRUE(batch.Append(value).ok());
          ASSERT_TRUE(encoder.Put(batch.View()).ok());
        }
      }
      EXPECT_EQ(encoder.num_values(), count);
      const int64_t estimate = encoder.EstimatedSize();
      auto encoded = encoder.Finish();
      EXPECT_LE(encoded->size(), estimate);

      DeltaLengthByteArrayDecoder decoder;
      ASSERT_TRUE(decoder.Init(encoded->span()).ok());
      ByteArraySink sink;
      int64_t decoded = 0;
      while (true) {
        auto step = decoder.Decode(&sink, 1 + static_cast<int64_t>(rng() % 2000));
        ASSERT_TRUE(step.ok()) << step.status().ToString();
        if (*step == 0) break;
        decoded += *step;
      }
      ASSERT_EQ(decoded, count);
      for (int64_t i = 0; i < count; ++i) {
        ASSERT_EQ(sink.View().Value(i), values[static_cast<size_t>(i)]);
      }
    }
  }
}

TEST(DeltaLengthByteArrayEncoderTest, WritesLengthsThenConcatenatedBytes) {
  DeltaLengthByteArrayEncoder encoder;
  for (const char* value : {"Hello", "World", "Foobar", "ABCDEF"}) {
    ASSERT_TRUE(encoder.Put(value).ok());
  }
  auto encoded = encoder.Finish();
  const std::string text(encoded->view());
  ASSERT_GE(text.size(), 22u);
  EXPECT_EQ(text.substr(text.size() - 22), "HelloWorldFoobarABCDEF");
  // The prefix is a DELTA_BINARY_PACKED stream of the lengths, ending where the bytes begin.
  auto lengths_size = DeltaBinaryPackedDecoder<int32_t>::EncodedSize(encoded->span());
  ASSERT_TRUE(lengths_size.ok());
  EXPECT_EQ(*lengths_size, encoded->size() - 22);
  DeltaBinaryPackedDecoder<int32_t> lengths;
  ASSERT_TRUE(lengths.Init(encoded->span()).ok());
  int32_t out[4];
  ASSERT_EQ(*lengths.Decode(out, 4), 4);
  EXPECT_EQ(out[0], 5);
  EXPECT_EQ(out[1], 5);
  EXPECT_EQ(out[2], 6);
  EXPECT_EQ(out[3], 6);
}

}  // namespace
}  // namespace arcflow::parquet
