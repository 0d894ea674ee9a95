#include "arcflow/parquet/statistics_builder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "arcflow/base/utf8.h"

namespace arcflow::parquet {
namespace {

template <typename T>
T Decode(const std::string& bytes) {
  T value;
  EXPECT_EQ(bytes.size(), sizeof(T));
  std::memcpy(&value, bytes.data(), sizeof(T));
  return value;
}

// Byte strings laid out as a BYTE_ARRAY column holds them: data back to back, with offsets.
struct PackedStrings {
  explicit PackedStrings(const std::vector<std::string>& values) {
    for (const std::string& value : values) {
      data += value;
      offsets.push_back(static_cast<int32_t>(data.size()));
    }
  }
  ByteArraySpan span() const {
    return ByteArraySpan{offsets.data(), reinterpret_cast<const uint8_t*>(data.data()),
                         static_cast<int64_t>(offsets.size() - 1)};
  }

  std::vector<int32_t> offsets = {0};
  std::string data;
};

TEST(StatisticsBuilderTest, IntegersCompareSigned) {
  NumericStatistics<int32_t> statistics;
  EXPECT_FALSE(statistics.has_min_max());
  const std::vector<int32_t> values = {5, -7, 100, 0, std::numeric_limits<int32_t>::min()};
  statistics.Update(values.data(), 3);
  EXPECT_EQ(statistics.min(), -7);
  EXPECT_EQ(statistics.max(), 100);
  NumericStatistics<int32_t> other;
  other.Update(values.data() + 3, 2);
  statistics.Merge(other);
  EXPECT_EQ(statistics.min(), std::numeric_limits<int32_t>::min());
  Statistics encoded;
  statistics.EncodeTo(&encoded);
  EXPECT_EQ(Decode<int32_t>(*encoded.min_value), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(Decode<int32_t>(*encoded.max_value), 100);
  // Signed order is what old readers assume, so the legacy fields are written too.
  EXPECT_EQ(encoded.min, encoded.min_value);
  EXPECT_EQ(encoded.max, encoded.max_value);
}

TEST(StatisticsBuilderTest, EmptyBuilderWritesNoBounds) {
  NumericStatistics<int64_t> statistics;
  Statistics encoded;
  statistics.EncodeTo(&encoded);
  EXPECT_FALSE(encoded.min_value.has_value());
  EXPECT_FALSE(encoded.max.has_value());
}

TEST(StatisticsBuilderTest, FloatsIgnoreNan) {
  NumericStatistics<double> statistics;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> only_nan = {nan, nan};
  statistics.Update(only_nan.data(), 2);
  EXPECT_FALSE(statistics.has_min_max());
  const std::vector<double> values = {nan, 2.5, -1.0, nan, 7.0};
  statistics.Update(values.data(), 5);
  ASSERT_TRUE(statistics.has_min_max());
  EXPECT_EQ(statistics.min(), -1.0);
  EXPECT_EQ(statistics.max(), 7.0);
}

TEST(StatisticsBuilderTest, InfinitiesAreValues) {
  NumericStatistics<float> statistics;
  const float infinity = std::numeric_limits<float>::infinity();
  statistics.Update(&infinity, 1);
  ASSERT_TRUE(statistics.has_min_max());
  EXPECT_EQ(statistics.min(), infinity);
  EXPECT_EQ(statistics.max(), infinity);
}

TEST(StatisticsBuilderTest, ZeroBoundsAreWrittenWithTheWidestSign) {
  NumericStatistics<double> statistics;
  const std::vector<double> zeros = {0.0, 0.0};
  statistics.Update(zeros.data(), 2);
  Statistics encoded;
  statistics.EncodeTo(&encoded);
  const double min = Decode<double>(*encoded.min_value);
  const double max = Decode<double>(*encoded.max_value);
  EXPECT_EQ(min, 0.0);
  EXPECT_TRUE(std::signbit(min));
  EXPECT_EQ(max, 0.0);
  EXPECT_FALSE(std::signbit(max));

  NumericStatistics<float> negative;
  const std::vector<float> values = {-0.0f, -3.0f};
  negative.Update(values.data(), 2);
  Statistics encoded_negative;
  negative.EncodeTo(&encoded_negative);
  EXPECT_EQ(Decode<float>(*encoded_negative.min_value), -3.0f);
  const float max_negative = Decode<float>(*encoded_negative.max_value);
  EXPECT_EQ(max_negative, 0.0f);
  EXPECT_FALSE(std::signbit(max_negative));
}

// The exact encoding keeps a zero's sign and adds the NaN count, which merges and resets with
// the bounds; the footer's encoding writes no NaN count.
TEST(StatisticsBuilderTest, ExactEncodingKeepsZerosAndCountsNan) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  NumericStatistics<double> page;
  const std::vector<double> first = {nan, 0.0, 4.0, nan};
  page.Update(first.data(), 4);
  EXPECT_EQ(page.nan_count(), 2);
  NumericStatistics<double> chunk;
  chunk.Merge(page);
  page.Reset();
  EXPECT_EQ(page.nan_count(), 0);
  const std::vector<double> second = {nan, -0.0};
  page.Update(second.data(), 2);
  chunk.Merge(page);
  EXPECT_EQ(chunk.nan_count(), 3);

  Statistics exact;
  chunk.EncodeExactTo(&exact);
  EXPECT_EQ(exact.nan_count, 3);
  const double min = Decode<double>(*exact.min_value);
  EXPECT_EQ(min, 0.0);
  EXPECT_FALSE(std::signbit(min));  // The first zero seen, +0.0, not widened to -0.0.
  EXPECT_EQ(Decode<double>(*exact.max_value), 4.0);
  Statistics footer;
  chunk.EncodeTo(&footer);
  EXPECT_FALSE(footer.nan_count.has_value());
  EXPECT_TRUE(std::signbit(Decode<double>(*footer.min_value)));

  // Only NaN: a count and no bounds. Integers: no count.
  NumericStatistics<float> only_nan;
  const std::vector<float> nans = {std::numeric_limits<float>::quiet_NaN()};
  only_nan.Update(nans.data(), 1);
  Statistics only_nan_exact;
  only_nan.EncodeExactTo(&only_nan_exact);
  EXPECT_EQ(only_nan_exact.nan_count, 1);
  EXPECT_FALSE(only_nan_exact.min_value.has_value());
  NumericStatistics<int64_t> integers;
  const std::vector<int64_t> values = {3, -1};
  integers.Update(values.data(), 2);
  Statistics integers_exact;
  integers.EncodeExactTo(&integers_exact);
  EXPECT_FALSE(integers_exact.nan_count.has_value());
  EXPECT_EQ(Decode<int64_t>(*integers_exact.min_value), -1);
}

TEST(StatisticsBuilderTest, BooleansFromBitmap) {
  BooleanStatistics statistics;
  const uint8_t bits[] = {0b11110000};
  statistics.UpdateBits(bits, 4, 4);  // Only trues.
  Statistics encoded;
  statistics.EncodeTo(&encoded);
  EXPECT_EQ(*encoded.min_value, std::string(1, '\1'));
  EXPECT_EQ(*encoded.max_value, std::string(1, '\1'));
  statistics.UpdateBits(bits, 2, 3);  // A false and a true.
  Statistics mixed;
  statistics.EncodeTo(&mixed);
  EXPECT_EQ(*mixed.min_value, std::string(1, '\0'));
  EXPECT_EQ(*mixed.max_value, std::string(1, '\1'));
}

TEST(StatisticsBuilderTest, StringsCompareAsUnsignedBytes) {
  ByteStringStatistics statistics(ByteStringOrder::kUnsigned);
  statistics.Update("b");
  statistics.Update("\xC3\xA9");  // é sorts after ASCII as unsigned bytes.
  statistics.Update("a");
  statistics.Update("");
  EXPECT_EQ(statistics.min(), "");
  EXPECT_EQ(statistics.max(), "\xC3\xA9");
  Statistics encoded;
  statistics.EncodeTo(&encoded, 64, true);
  EXPECT_EQ(*encoded.min_value, "");
  EXPECT_EQ(*encoded.max_value, "\xC3\xA9");
  EXPECT_TRUE(*encoded.is_min_value_exact);
  EXPECT_TRUE(*encoded.is_max_value_exact);
  // Old readers compared signed bytes, so the legacy fields stay empty for strings.
  EXPECT_FALSE(encoded.min.has_value());
  EXPECT_FALSE(encoded.max.has_value());
}

TEST(StatisticsBuilderTest, LongStringsCompareByteByByte) {
  // Differences past the first eight bytes, in high bytes, and in length.
  const std::string base = "0123456789ab";
  const std::vector<std::string> values = {base + "\x7F", base + "\x80", base, base + "\x80\x00",
                                           "0123456789ab\xFF" + std::string(20, 'z')};
  const PackedStrings packed(values);
  const ByteArraySpan span = packed.span();
  ByteStringStatistics statistics(ByteStringOrder::kUnsigned);
  statistics.Update(span, 0, span.length);
  EXPECT_EQ(statistics.min(), base);
  EXPECT_EQ(statistics.max(), values[4]);
  ByteStringStatistics first_three(ByteStringOrder::kUnsigned);
  first_three.Update(span, 0, 2);
  EXPECT_EQ(first_three.min(), values[0]);
  EXPECT_EQ(first_three.max(), values[1]);
}

// Values that share long prefixes with the running bounds, differ from them only past the
// first eight bytes, end inside the compared word or hold zero bytes must still find the same
// bounds as a plain comparison of every value.
TEST(StatisticsBuilderTest, SpansFindTheBoundsOfRandomPrefixedStrings) {
  std::mt19937_64 random(3);
  const std::vector<std::string> prefixes = {"", "customer-", "0123456789abcdef", "a",
                                             std::string(3, '\0')};
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> values;
    const int count = 1 + static_cast<int>(random() % 60);
    for (int i = 0; i < count; ++i) {
      std::string value = prefixes[random() % prefixes.size()];
      const int extra = static_cast<int>(random() % 20);
      for (int k = 0; k < extra; ++k) {
        // Few distinct bytes, so that values often tie for many bytes.
        static const char kBytes[] = {'\0', '1', '2', '\x7F', '\x80', '\xFF'};
        value += kBytes[random() % sizeof(kBytes)];
      }
      values.push_back(std::move(value));
    }
    const PackedStrings packed(values);
    const ByteArraySpan span = packed.span();
    ByteStringStatistics statistics(ByteStringOrder::kUnsigned);
    statistics.Update(span, 0, span.length);
    // std::string compares char_traits<char>, which orders as unsigned bytes.
    EXPECT_EQ(statistics.min(), *std::min_element(values.begin(), values.end())) << round;
    EXPECT_EQ(statistics.max(), *std::max_element(values.begin(), values.end())) << round;
  }
}

TEST(StatisticsBuilderTest, EqualStringBoundsFillLegacyFields) {
  ByteStringStatistics statistics(ByteStringOrder::kUnsigned);
  statistics.Update("same");
  statistics.Update("same");
  Statistics encoded;
  statistics.EncodeTo(&encoded, 64, true);
  EXPECT_EQ(encoded.min, "same");
  EXPECT_EQ(encoded.max, "same");
}

TEST(StatisticsBuilderTest, SpansUpdateFromOffsets) {
  const std::string data = "pearapplezebrafig";
  const std::vector<int32_t> offsets = {0, 4, 9, 14, 17};
  const ByteArraySpan span{offsets.data(), reinterpret_cast<const uint8_t*>(data.data()), 4};
  ByteStringStatistics statistics(ByteStringOrder::kUnsigned);
  statistics.Update(span, 1, 2);  // apple, zebra
  EXPECT_EQ(statistics.min(), "apple");
  EXPECT_EQ(statistics.max(), "zebra");
}

TEST(StatisticsBuilderTest, DecimalBytesCompareSigned) {
  ByteStringStatistics statistics(ByteStringOrder::kSignedBigEndian);
  // -1, 1, -256, 255 as 2-byte big-endian two's complement.
  const uint8_t values[] = {0xFF, 0xFF, 0x00, 0x01, 0xFF, 0x00, 0x00, 0xFF};
  statistics.UpdateFixed(values, 2, 4);
  EXPECT_EQ(statistics.min(), std::string("\xFF\x00", 2));
  EXPECT_EQ(statistics.max(), std::string("\x00\xFF", 2));
}

TEST(StatisticsBuilderTest, TruncatesLongBinaryBounds) {
  ByteStringStatistics statistics(ByteStringOrder::kUnsigned);
  const std::string low(100, 'a');
  std::string high(100, 'x');
  high[9] = '\xFF';
  statistics.Update(low);
  statistics.Update(high);
  Statistics encoded;
  statistics.EncodeTo(&encoded, 10, false);
  EXPECT_EQ(*encoded.min_value, std::string(10, 'a'));
  EXPECT_FALSE(*encoded.is_min_value_exact);
  // The last byte is 0xFF, so the one before it is incremented and the rest dropped.
  EXPECT_EQ(*encoded.max_value, std::string(8, 'x') + "y");
  EXPECT_FALSE(*encoded.is_max_value_exact);
  EXPECT_GT(*encoded.max_value, high);
  EXPECT_LE(*encoded.min_value, low);
}

TEST(StatisticsBuilderTest, KeepsMaxWholeWhenItCannotBeRounded) {
  EXPECT_FALSE(TruncateMaxBound(std::string(20, '\xFF'), 10, false).has_value());
  ByteStringStatistics statistics(ByteStringOrder::kUnsigned);
  statistics.Update(std::string(20, '\xFF'));
  Statistics encoded;
  statistics.EncodeTo(&encoded, 10, false);
  EXPECT_EQ(*encoded.max_value, std::string(20, '\xFF'));
  EXPECT_TRUE(*encoded.is_max_value_exact);
}

TEST(StatisticsBuilderTest, Utf8BoundsStayValidText) {
  // "é" is two bytes: a 3-byte limit must not split the second one.
  const std::string text = "a\xC3\xA9\xC3\xA9z";
  EXPECT_EQ(TruncateMinBound(text, 4, true), "a\xC3\xA9");
  const std::optional<std::string> max = TruncateMaxBound(text, 4, true);
  ASSERT_TRUE(max.has_value());
  EXPECT_EQ(*max, "a\xC3\xAA");  // é (U+00E9) + 1 = ê (U+00EA).
  EXPECT_EQ(utf8::FindInvalid(*max), std::string_view::npos);
  EXPECT_GT(*max, text);

  // U+10FFFF has no successor, so the character before it is incremented instead.
  const std::string top = "b\xF4\x8F\xBF\xBF" + std::string(10, 'q');
  const std::optional<std::string> top_max = TruncateMaxBound(top, 5, true);
  ASSERT_TRUE(top_max.has_value());
  EXPECT_EQ(*top_max, "c");

  // Incrementing U+D7FF would give a surrogate; the bound skips to U+E000.
  const std::string before_surrogates = "\xED\x9F\xBF" + std::string(10, 'q');
  const std::optional<std::string> skipped = TruncateMaxBound(before_surrogates, 3, true);
  ASSERT_TRUE(skipped.has_value());
  EXPECT_EQ(*skipped, "\xEE\x80\x80");
}

TEST(StatisticsBuilderTest, InvalidUtf8FallsBackToBytes) {
  const std::string text = "ab\xFF\xFE" + std::string(10, 'c');
  EXPECT_EQ(TruncateMinBound(text, 3, true), "ab\xFF");
  const std::optional<std::string> max = TruncateMaxBound(text, 3, true);
  ASSERT_TRUE(max.has_value());
  EXPECT_EQ(*max, "ac");
}

}  // namespace
}  // namespace arcflow::parquet
