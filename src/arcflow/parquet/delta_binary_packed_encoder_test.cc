#include "arcflow/parquet/delta_binary_packed_encoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "arcflow/parquet/delta_binary_packed_decoder.h"

namespace arcflow::parquet {
namespace {

constexpr int64_t kSizes[] = {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000};

template <typename T>
void ExpectRoundTrip(const std::vector<T>& values, std::mt19937_64& rng, const std::string& label) {
  DeltaBinaryPackedEncoder<T> encoder;
  // Put in uneven pieces so block boundaries fall inside calls.
  size_t position = 0;
  while (position < values.size()) {
    const size_t piece = std::min<size_t>(values.size() - position, 1 + rng() % 200);
    encoder.Put(values.data() + position, static_cast<int64_t>(piece));
    position += piece;
  }
  EXPECT_EQ(encoder.num_values(), static_cast<int64_t>(values.size()));
  const int64_t estimate = encoder.EstimatedSize();
  auto encoded = encoder.Finish();
  EXPECT_LE(encoded->size(), estimate) << label;

  auto size = DeltaBinaryPackedDecoder<T>::EncodedSize(encoded->span());
  ASSERT_TRUE(size.ok()) << label << ": " << size.status().ToString();
  EXPECT_EQ(*size, encoded->size()) << label;

  DeltaBinaryPackedDecoder<T> decoder;
  ASSERT_TRUE(decoder.Init(encoded->span()).ok()) << label;
  EXPECT_EQ(decoder.total_values(), static_cast<int64_t>(values.size()));
  std::vector<T> decoded(values.size() + 1);
  position = 0;
  while (true) {
    const int64_t batch = 1 + static_cast<int64_t>(rng() % 150);
    auto count =
        decoder.Decode(decoded.data() + position,
                       std::min<int64_t>(batch, static_cast<int64_t>(decoded.size() - position)));
    ASSERT_TRUE(count.ok()) << label << ": " << count.status().ToString();
    if (*count == 0) break;
    position += static_cast<size_t>(*count);
  }
  ASSERT_EQ(position, values.size()) << label;
  decoded.resize(values.size());
  ASSERT_EQ(decoded, values) << label;
}

// Values whose consecutive differences (modulo 2^bits) are random numbers of `bit_width` bits,
// so every miniblock is packed at about that width.
template <typename T>
std::vector<T> ValuesWithDeltaWidth(int64_t count, int bit_width, std::mt19937_64& rng) {
  using U = std::make_unsigned_t<T>;
  const uint64_t mask = bit_width >= 64 ? ~uint64_t{0} : (uint64_t{1} << bit_width) - 1;
  std::vector<T> values(static_cast<size_t>(count));
  U current = static_cast<U>(rng());
  for (auto& value : values) {
    current += static_cast<U>(rng() & mask);
    value = static_cast<T>(current);
  }
  return values;
}

template <typename T>
void RoundTripEveryWidthAndPattern(int seed) {
  std::mt19937_64 rng(seed);
  constexpr int kMaxWidth = sizeof(T) * 8;
  for (int64_t count : kSizes) {
    const int width_step = count >= 100000 ? 7 : 1;
    for (int width = 0; width <= kMaxWidth; width += width_step) {
      ExpectRoundTrip(ValuesWithDeltaWidth<T>(count, width, rng), rng,
                      "count " + std::to_string(count) + " width " + std::to_string(width));
    }
    std::vector<T> sorted(static_cast<size_t>(count));
    std::vector<T> constant(static_cast<size_t>(count), std::numeric_limits<T>::min() + 3);
    std::vector<T> alternating(static_cast<size_t>(count));
    std::vector<T> random(static_cast<size_t>(count));
    for (size_t i = 0; i < sorted.size(); ++i) {
      sorted[i] = static_cast<T>(i * 3);
      alternating[i] = i % 2 == 0 ? std::numeric_limits<T>::min() : std::numeric_limits<T>::max();
      random[i] = static_cast<T>(rng());
    }
    ExpectRoundTrip(sorted, rng, "sorted " + std::to_string(count));
    ExpectRoundTrip(constant, rng, "constant " + std::to_string(count));
    ExpectRoundTrip(alternating, rng, "alternating " + std::to_string(count));
    ExpectRoundTrip(random, rng, "random " + std::to_string(count));
  }
}

TEST(DeltaBinaryPackedEncoderTest, RoundTripsInt32AtEveryWidth) {
  RoundTripEveryWidthAndPattern<int32_t>(31);
}

TEST(DeltaBinaryPackedEncoderTest, RoundTripsInt64AtEveryWidth) {
  RoundTripEveryWidthAndPattern<int64_t>(64);
}

TEST(DeltaBinaryPackedEncoderTest, UsesNarrowWidthsForSmoothData) {
  // A constant step packs every miniblock at width 0: just headers.
  std::vector<int64_t> values;
  for (int i = 0; i < 1280; ++i) values.push_back(1000000 + 17 * int64_t{i});
  DeltaBinaryPackedEncoder<int64_t> encoder;
  encoder.Put(values.data(), static_cast<int64_t>(values.size()));
  // Header (~8 bytes) plus ten blocks of min delta and four width bytes.
  EXPECT_LE(encoder.Finish()->size(), 8 + 10 * (1 + 4));
}

TEST(DeltaBinaryPackedEncoderTest, WritesTheDocumentedHeader) {
  DeltaBinaryPackedEncoder<int32_t> encoder;
  const int32_t values[] = {1, 2, 3, 4, 5};
  encoder.Put(values, 5);
  auto encoded = encoder.Finish();
  // Block 128 (0x80 0x01), 4 miniblocks, 5 values, zigzag(1); block: zigzag(1), widths 0.
  EXPECT_EQ(std::vector<uint8_t>(encoded->data(), encoded->data() + encoded->size()),
            (std::vector<uint8_t>{0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00}));
}

TEST(DeltaBinaryPackedEncoderTest, EncoderIsReusableAfterFinish) {
  DeltaBinaryPackedEncoder<int32_t> encoder;
  const int32_t first[] = {9, 8, 7};
  encoder.Put(first, 3);
  encoder.Finish();
  const int32_t second[] = {-1, 100};
  encoder.Put(second, 2);
  auto encoded = encoder.Finish();
  DeltaBinaryPackedDecoder<int32_t> decoder;
  ASSERT_TRUE(decoder.Init(encoded->span()).ok());
  int32_t out[4];
  ASSERT_EQ(*decoder.Decode(out, 4), 2);
  EXPECT_EQ(out[0], -1);
  EXPECT_EQ(out[1], 100);
}

}  // namespace
}  // namespace arcflow::parquet
