#include "arcflow/parquet/byte_stream_split_encoder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "arcflow/parquet/byte_stream_split_decoder.h"

namespace arcflow::parquet {
namespace {

constexpr int64_t kSizes[] = {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000};

template <typename T>
void ExpectTypedRoundTrip(std::mt19937_64& rng) {
  for (int64_t count : kSizes) {
    std::vector<T> values(static_cast<size_t>(count));
    for (auto& value : values) {
      const uint64_t bits = rng();
      std::memcpy(&value, &bits, sizeof(T));
    }
    ByteStreamSplitEncoder encoder(sizeof(T));
    const int64_t half = count / 2;
    encoder.Put(values.data(), half);
    encoder.Put(values.data() + half, count - half);
    EXPECT_EQ(encoder.num_values(), count);
    auto encoded = encoder.Finish();
    ASSERT_EQ(encoded->size(), count * static_cast<int64_t>(sizeof(T)));
    // Stream 0 holds the lowest byte of every value.
    for (int64_t i = 0; i < std::min<int64_t>(count, 10); ++i) {
      uint8_t low;
      std::memcpy(&low, &values[static_cast<size_t>(i)], 1);
      EXPECT_EQ(encoded->data()[i], low);
    }

    ByteStreamSplitDecoder decoder;
    ASSERT_TRUE(decoder.Init(encoded->span(), sizeof(T)).ok());
    std::vector<T> decoded(values.size());
    const int64_t first = std::min<int64_t>(count, 3);
    ASSERT_EQ(*decoder.Decode(decoded.data(), first), first);
    ASSERT_EQ(*decoder.Decode(decoded.data() + first, count), count - first);
    // Compare bit patterns (NaNs included); memcmp may not be given the null data of an empty
    // vector.
    if (count > 0) {
      EXPECT_EQ(std::memcmp(decoded.data(), values.data(), values.size() * sizeof(T)), 0);
    }
  }
}

TEST(ByteStreamSplitEncoderTest, RoundTripsEveryNumericType) {
  std::mt19937_64 rng(71);
  ExpectTypedRoundTrip<float>(rng);
  ExpectTypedRoundTrip<double>(rng);
  ExpectTypedRoundTrip<int32_t>(rng);
  ExpectTypedRoundTrip<int64_t>(rng);
}

TEST(ByteStreamSplitEncoderTest, RoundTripsFixedLenByteArraysOfAnyWidth) {
  std::mt19937_64 rng(72);
  for (int32_t width : {1, 2, 3, 7, 16, 33}) {
    for (int64_t count : {0, 1, 9, 1000}) {
      std::vector<uint8_t> values(static_cast<size_t>(count * width));
      for (auto& byte : values) byte = static_cast<uint8_t>(rng());
      ByteStreamSplitEncoder encoder(width);
      encoder.PutBytes(values.data(), count);
      auto encoded = encoder.Finish();
      ByteStreamSplitDecoder decoder;
      ASSERT_TRUE(decoder.Init(encoded->span(), width).ok());
      std::vector<uint8_t> decoded(values.size());
      ASSERT_EQ(*decoder.DecodeBytes(decoded.data(), count), count);
      EXPECT_EQ(decoded, values) << "width " << width << " count " << count;
    }
  }
}

}  // namespace
}  // namespace arcflow::parquet
