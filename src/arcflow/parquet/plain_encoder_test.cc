#include "arcflow/parquet/plain_encoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "arcflow/base/bit_util.h"
#include "arcflow/parquet/plain_decoder.h"

namespace arcflow::parquet {
namespace {

constexpr int64_t kSizes[] = {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000};

template <typename T>
std::vector<T> RandomValues(int64_t count, std::mt19937_64& rng) {
  std::vector<T> values(static_cast<size_t>(count));
  for (auto& value : values) {
    uint8_t bytes[sizeof(T)];
    for (auto& byte : bytes) byte = static_cast<uint8_t>(rng());
    std::memcpy(&value, bytes, sizeof(T));
  }
  return values;
}

template <typename T>
void ExpectFixedRoundTrip(PhysicalType type, std::mt19937_64& rng) {
  for (int64_t count : kSizes) {
    const auto values = RandomValues<T>(count, rng);
    PlainEncoder encoder(type);
    // Put in two pieces to exercise appending.
    const int64_t half = count / 2;
    encoder.Put(values.data(), half);
    encoder.Put(values.data() + half, count - half);
    EXPECT_EQ(encoder.num_values(), count);
    EXPECT_EQ(encoder.EstimatedSize(), count * static_cast<int64_t>(sizeof(T)));
    auto encoded = encoder.Finish();
    ASSERT_EQ(encoded->size(), count * static_cast<int64_t>(sizeof(T)));

    PlainDecoder decoder;
    ASSERT_TRUE(decoder.Init(encoded->span(), type).ok());
    std::vector<T> decoded(values.size() + 1);
    auto first = decoder.Decode(decoded.data(), 5);
    ASSERT_TRUE(first.ok());
    auto rest = decoder.Decode(decoded.data() + *first, count + 10);
    ASSERT_TRUE(rest.ok());
    ASSERT_EQ(*first + *rest, count);
    // Compare bit patterns: NaNs must survive exactly. memcmp may not be given the null data of
    // an empty vector.
    if (count > 0) {
      EXPECT_EQ(std::memcmp(decoded.data(), values.data(), values.size() * sizeof(T)), 0)
          << PhysicalTypeName(type) << " count " << count;
    }
    EXPECT_EQ(decoder.bytes_remaining(), 0);
  }
}

TEST(PlainEncoderTest, RoundTripsFixedWidthTypes) {
  std::mt19937_64 rng(1);
  ExpectFixedRoundTrip<int32_t>(PhysicalType::kInt32, rng);
  ExpectFixedRoundTrip<int64_t>(PhysicalType::kInt64, rng);
  ExpectFixedRoundTrip<Int96>(PhysicalType::kInt96, rng);
  ExpectFixedRoundTrip<float>(PhysicalType::kFloat, rng);
  ExpectFixedRoundTrip<double>(PhysicalType::kDouble, rng);
}

TEST(PlainEncoderTest, WritesLittleEndianValues) {
  PlainEncoder encoder(PhysicalType::kInt32);
  const int32_t values[] = {1, -2};
  encoder.Put(values, 2);
  auto encoded = encoder.Finish();
  EXPECT_EQ(std::vector<uint8_t>(encoded->data(), encoded->data() + encoded->size()),
            (std::vector<uint8_t>{0x01, 0x00, 0x00, 0x00, 0xFE, 0xFF, 0xFF, 0xFF}));
}

TEST(PlainEncoderTest, RoundTripsBooleansThroughBytesAndBitmaps) {
  std::mt19937_64 rng(2);
  for (int64_t count : kSizes) {
    std::vector<uint8_t> values(static_cast<size_t>(count));
    for (auto& value : values) value = static_cast<uint8_t>(rng() % 3 == 0);
    std::vector<uint8_t> bitmap(static_cast<size_t>(bit_util::BytesForBits(count + 5)), 0);
    for (int64_t i = 0; i < count; ++i) {
      bit_util::SetBitTo(bitmap.data(), i + 5, values[static_cast<size_t>(i)] != 0);
    }
    // Mix the two input forms at unaligned boundaries.
    PlainEncoder encoder(PhysicalType::kBoolean);
    const int64_t split = count / 3;
    encoder.PutBooleans(values.data(), split);
    encoder.PutBooleanBitmap(bitmap.data(), 5 + split, count - split);
    auto encoded = encoder.Finish();
    ASSERT_EQ(encoded->size(), bit_util::BytesForBits(count));

    PlainDecoder decoder;
    ASSERT_TRUE(decoder.Init(encoded->span(), PhysicalType::kBoolean).ok());
    std::vector<uint8_t> decoded(static_cast<size_t>(count));
    const int64_t first_part = count / 2;
    auto first = decoder.DecodeBooleans(decoded.data(), first_part);
    ASSERT_TRUE(first.ok());
    ASSERT_EQ(*first, first_part);
    std::vector<uint8_t> out_bitmap(static_cast<size_t>(bit_util::BytesForBits(count + 3)), 0xFF);
    auto second = decoder.DecodeBooleanBitmap(out_bitmap.data(), 3, count - first_part);
    ASSERT_TRUE(second.ok());
    ASSERT_EQ(*second, count - first_part);
    for (int64_t i = 0; i < first_part; ++i) {
      ASSERT_EQ(decoded[static_cast<size_t>(i)], values[static_cast<size_t>(i)]);
    }
    for (int64_t i = first_part; i < count; ++i) {
      ASSERT_EQ(bit_util::GetBit(out_bitmap.data(), 3 + i - first_part),
                values[static_cast<size_t>(i)] != 0)
          << "count " << count << " index " << i;
    }
    EXPECT_TRUE(bit_util::GetBit(out_bitmap.data(), 0));
  }
}

TEST(PlainEncoderTest, RoundTripsByteArrays) {
  std::mt19937_64 rng(3);
  for (int64_t count : kSizes) {
    std::vector<std::string> values;
    ByteArraySink source;
    for (int64_t i = 0; i < count; ++i) {
      std::string value(rng() % 40, '\0');
      for (auto& c : value) c = static_cast<char>(rng());
      values.push_back(value);
      ASSERT_TRUE(source.Append(value).ok());
    }
    PlainEncoder encoder(PhysicalType::kByteArray);
    const int64_t half = count / 2;
    for (int64_t i = 0; i < half; ++i) ASSERT_TRUE(encoder.PutByteArray(values[i]).ok());
    ByteArraySpan rest = source.View();
    // The second half through the batch form, as a view starting at value `half`.
    rest.offsets += half;
    rest.length -= half;
    ASSERT_TRUE(encoder.PutByteArrays(rest).ok());
    EXPECT_EQ(encoder.num_values(), count);
    auto encoded = encoder.Finish();

    PlainDecoder decoder;
    ASSERT_TRUE(decoder.Init(encoded->span(), PhysicalType::kByteArray).ok());
    ByteArraySink sink;
    auto first = decoder.DecodeByteArray(&sink, 3);
    ASSERT_TRUE(first.ok());
    auto second = decoder.DecodeByteArray(&sink, count);
    ASSERT_TRUE(second.ok());
    ASSERT_EQ(*first + *second, count);
    ASSERT_EQ(sink.length(), count);
    const ByteArraySpan view = sink.View();
    for (int64_t i = 0; i < count; ++i) ASSERT_EQ(view.Value(i), values[static_cast<size_t>(i)]);
  }
}

TEST(PlainEncoderTest, RoundTripsFixedLenByteArrays) {
  std::mt19937_64 rng(4);
  for (int32_t type_length : {1, 3, 16}) {
    for (int64_t count : {0, 1, 9, 1000}) {
      std::vector<uint8_t> values(static_cast<size_t>(count * type_length));
      for (auto& byte : values) byte = static_cast<uint8_t>(rng());
      PlainEncoder encoder(PhysicalType::kFixedLenByteArray, type_length);
      encoder.PutFixedLenByteArray(values.data(), count);
      auto encoded = encoder.Finish();
      PlainDecoder decoder;
      ASSERT_TRUE(
          decoder.Init(encoded->span(), PhysicalType::kFixedLenByteArray, type_length).ok());
      std::vector<uint8_t> decoded(values.size());
      auto decoded_count = decoder.DecodeFixedLenByteArray(decoded.data(), count + 1);
      ASSERT_TRUE(decoded_count.ok());
      EXPECT_EQ(*decoded_count, count);
      EXPECT_EQ(decoded, values);
    }
  }
}

TEST(PlainEncoderTest, KeepsSpecialFloatBitPatterns) {
  const double values[] = {0.0, -0.0, std::numeric_limits<double>::quiet_NaN(),
                           -std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::denorm_min()};
  PlainEncoder encoder(PhysicalType::kDouble);
  encoder.Put(values, 5);
  auto encoded = encoder.Finish();
  PlainDecoder decoder;
  ASSERT_TRUE(decoder.Init(encoded->span(), PhysicalType::kDouble).ok());
  double decoded[5];
  ASSERT_TRUE(decoder.Decode(decoded, 5).ok());
  EXPECT_EQ(std::memcmp(decoded, values, sizeof(values)), 0);
  EXPECT_TRUE(std::signbit(decoded[1]));
  EXPECT_TRUE(std::isnan(decoded[2]));
}

}  // namespace
}  // namespace arcflow::parquet
