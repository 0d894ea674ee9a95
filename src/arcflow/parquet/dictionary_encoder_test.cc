#include "arcflow/parquet/dictionary_encoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "arcflow/parquet/dictionary_decoder.h"
#include "arcflow/parquet/plain_decoder.h"

namespace arcflow::parquet {
namespace {

constexpr int64_t kSizes[] = {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000};

template <typename T>
PhysicalType TypeOf() {
  if constexpr (std::is_same_v<T, int32_t>) return PhysicalType::kInt32;
  if constexpr (std::is_same_v<T, int64_t>) return PhysicalType::kInt64;
  if constexpr (std::is_same_v<T, Int96>) return PhysicalType::kInt96;
  if constexpr (std::is_same_v<T, float>) return PhysicalType::kFloat;
  return PhysicalType::kDouble;
}

// Values drawn from `distinct` random bit patterns.
template <typename T>
std::vector<T> ValuesFromPool(int64_t count, int64_t distinct, std::mt19937_64& rng) {
  std::vector<T> pool(static_cast<size_t>(distinct));
  for (auto& value : pool) {
    uint8_t bytes[sizeof(T)];
    for (auto& byte : bytes) byte = static_cast<uint8_t>(rng());
    std::memcpy(&value, bytes, sizeof(T));
  }
  std::vector<T> values(static_cast<size_t>(count));
  for (auto& value : values) value = pool[rng() % pool.size()];
  return values;
}

template <typename T>
void ExpectRoundTrip(const std::vector<T>& values, std::mt19937_64& rng) {
  DictionaryEncoder<T> encoder;
  // Two data pages sharing one dictionary.
  const int64_t half = static_cast<int64_t>(values.size()) / 2;
  encoder.Put(values.data(), half);
  EXPECT_EQ(encoder.num_buffered_indices(), half);
  const int64_t estimate = encoder.EstimatedIndicesSize();
  auto page1 = encoder.FlushIndices();
  EXPECT_LE(page1->size(), estimate);
  encoder.Put(values.data() + half, static_cast<int64_t>(values.size()) - half);
  auto page2 = encoder.FlushIndices();
  EXPECT_EQ(encoder.num_buffered_indices(), 0);
  auto dictionary_page = encoder.EncodeDictionaryPage();
  ASSERT_EQ(dictionary_page->size(), encoder.dictionary_size_bytes());

  PlainDecoder plain;
  ASSERT_TRUE(plain.Init(dictionary_page->span(), TypeOf<T>()).ok());
  std::vector<T> dictionary(static_cast<size_t>(encoder.num_entries()));
  ASSERT_EQ(*plain.Decode(dictionary.data(), encoder.num_entries()), encoder.num_entries());

  std::vector<T> decoded(values.size());
  int64_t position = 0;
  for (int page_number = 0; page_number < 2; ++page_number) {
    const auto& page = page_number == 0 ? page1 : page2;
    DictionaryIndexDecoder decoder;
    ASSERT_TRUE(decoder.Init(page->span(), encoder.num_entries()).ok());
    const int64_t page_values =
        page_number == 0 ? half : static_cast<int64_t>(values.size()) - half;
    int64_t done = 0;
    while (done < page_values) {
      const int64_t batch = std::min<int64_t>(page_values - done, 1 + rng() % 3000);
      auto count = decoder.Decode(dictionary.data(), decoded.data() + position + done, batch);
      ASSERT_TRUE(count.ok()) << count.status().ToString();
      ASSERT_EQ(*count, batch);
      done += batch;
    }
    position += page_values;
  }
  for (size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(std::memcmp(&decoded[i], &values[i], sizeof(T)), 0)
        << "count " << values.size() << " entries " << encoder.num_entries() << " index " << i;
  }
}

template <typename T>
void RoundTripSizesAndCardinalities(int seed) {
  std::mt19937_64 rng(seed);
  for (int64_t count : kSizes) {
    for (int64_t distinct : {1, 2, 7, 300, 70000}) {
      ExpectRoundTrip(ValuesFromPool<T>(count, distinct, rng), rng);
    }
  }
}

TEST(DictionaryEncoderTest, RoundTripsInt32) { RoundTripSizesAndCardinalities<int32_t>(1); }
TEST(DictionaryEncoderTest, RoundTripsInt64) { RoundTripSizesAndCardinalities<int64_t>(2); }
TEST(DictionaryEncoderTest, RoundTripsInt96) { RoundTripSizesAndCardinalities<Int96>(3); }
TEST(DictionaryEncoderTest, RoundTripsFloat) { RoundTripSizesAndCardinalities<float>(4); }
TEST(DictionaryEncoderTest, RoundTripsDouble) { RoundTripSizesAndCardinalities<double>(5); }

TEST(DictionaryEncoderTest, AssignsIndicesInFirstSeenOrderAndWritesTheWidthByte) {
  DictionaryEncoder<int32_t> encoder;
  const int32_t values[] = {30, 10, 30, 20, 10, 10};
  encoder.Put(values, 6);
  EXPECT_EQ(encoder.entries(), (std::vector<int32_t>{30, 10, 20}));
  EXPECT_EQ(encoder.dictionary_size_bytes(), 12);
  auto page = encoder.FlushIndices();
  // Three entries need 2 bits per index.
  ASSERT_GE(page->size(), 1);
  EXPECT_EQ(page->data()[0], 2);
  DictionaryIndexDecoder decoder;
  ASSERT_TRUE(decoder.Init(page->span(), 3).ok());
  int32_t indices[6];
  ASSERT_EQ(*decoder.DecodeIndices(indices, 6), 6);
  EXPECT_EQ(std::vector<int32_t>(indices, indices + 6), (std::vector<int32_t>{0, 1, 0, 2, 1, 1}));
}

TEST(DictionaryEncoderTest, DistinguishesFloatsByBits) {
  DictionaryEncoder<double> encoder;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  double other_nan;
  const uint64_t other_nan_bits = 0x7FF8000000000123ull;
  std::memcpy(&other_nan, &other_nan_bits, sizeof(other_nan));
  const double values[] = {0.0, -0.0, nan, nan, other_nan, 0.0};
  encoder.Put(values, 6);
  EXPECT_EQ(encoder.num_entries(), 4);
}

TEST(DictionaryEncoderTest, RoundTripsByteArrays) {
  std::mt19937_64 rng(6);
  for (int64_t count : kSizes) {
    for (int64_t distinct : {1, 3, 500, 50000}) {
      std::vector<std::string> pool;
      for (int64_t i = 0; i < distinct; ++i) {
        std::string value(rng() % 24, '\0');
        for (auto& c : value) c = static_cast<char>(rng());
        pool.push_back(value + std::to_string(i));  // Distinct by construction.
      }
      std::vector<std::string> values;
      ByteArraySink input;
      for (int64_t i = 0; i < count; ++i) {
        values.push_back(pool[rng() % pool.size()]);
        ASSERT_TRUE(input.Append(values.back()).ok());
      }
      ByteArrayDictionaryEncoder encoder;
      ASSERT_TRUE(encoder.Put(input.View()).ok());
      EXPECT_LE(encoder.num_entries(), distinct);
      auto indices_page = encoder.FlushIndices();
      auto dictionary_page = encoder.EncodeDictionaryPage();
      ASSERT_EQ(dictionary_page->size(), encoder.dictionary_size_bytes());

      PlainDecoder plain;
      ASSERT_TRUE(plain.Init(dictionary_page->span(), PhysicalType::kByteArray).ok());
      ByteArraySink dictionary;
      ASSERT_EQ(*plain.DecodeByteArray(&dictionary, encoder.num_entries()), encoder.num_entries());

      DictionaryIndexDecoder decoder;
      ASSERT_TRUE(decoder.Init(indices_page->span(), encoder.num_entries()).ok());
      ByteArraySink output;
      auto decoded = decoder.DecodeByteArray(dictionary.View(), &output, count);
      ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
      ASSERT_EQ(*decoded, count);
      for (int64_t i = 0; i < count; ++i) {
        ASSERT_EQ(output.View().Value(i), values[static_cast<size_t>(i)]);
      }
    }
  }
}

TEST(DictionaryEncoderTest, RoundTripsFixedLenByteArrays) {
  std::mt19937_64 rng(7);
  const int32_t type_length = 5;
  std::vector<uint8_t> pool(20 * type_length);
  for (auto& byte : pool) byte = static_cast<uint8_t>(rng());
  std::vector<uint8_t> values;
  for (int i = 0; i < 5000; ++i) {
    const size_t entry = rng() % 20;
    values.insert(values.end(), pool.begin() + static_cast<std::ptrdiff_t>(entry * type_length),
                  pool.begin() + static_cast<std::ptrdiff_t>((entry + 1) * type_length));
  }
  FixedLenByteArrayDictionaryEncoder encoder(type_length);
  encoder.Put(values.data(), 5000);
  EXPECT_LE(encoder.num_entries(), 20);
  auto indices_page = encoder.FlushIndices();
  auto dictionary_page = encoder.EncodeDictionaryPage();
  EXPECT_EQ(dictionary_page->size(), encoder.num_entries() * type_length);
  DictionaryIndexDecoder decoder;
  ASSERT_TRUE(decoder.Init(indices_page->span(), encoder.num_entries()).ok());
  std::vector<uint8_t> decoded(values.size());
  ASSERT_EQ(
      *decoder.DecodeFixedLenByteArray(dictionary_page->data(), type_length, decoded.data(), 5000),
      5000);
  EXPECT_EQ(decoded, values);
}

TEST(DictionaryEncoderTest, ReportsSizeForTheFallbackDecisionAndResets) {
  ByteArrayDictionaryEncoder encoder;
  constexpr int64_t kLimit = 1 << 20;
  int64_t i = 0;
  // A writer keeps dictionary-encoding until the dictionary page would pass its limit.
  while (encoder.dictionary_size_bytes() < kLimit) {
    ASSERT_TRUE(encoder.Put("value number " + std::to_string(i++)).ok());
  }
  EXPECT_GE(encoder.dictionary_size_bytes(), kLimit);
  EXPECT_EQ(encoder.num_entries(), i);
  EXPECT_EQ(encoder.EncodeDictionaryPage()->size(), encoder.dictionary_size_bytes());
  encoder.Reset();
  EXPECT_EQ(encoder.num_entries(), 0);
  EXPECT_EQ(encoder.num_buffered_indices(), 0);
  ASSERT_TRUE(encoder.Put("again").ok());
  EXPECT_EQ(encoder.num_entries(), 1);
}

}  // namespace
}  // namespace arcflow::parquet
