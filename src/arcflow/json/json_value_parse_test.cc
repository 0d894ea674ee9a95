#include "arcflow/json/json_value_parse.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "arcflow/columnar/value_parse.h"
#include "arcflow/json/json_token.h"

namespace arcflow::json {
namespace {

// Random text built from the pieces the fast paths look at, often well-formed, often not.
class TextGenerator {
 public:
  explicit TextGenerator(uint64_t seed) : random_(seed) {}

  std::string Number() {
    std::string text;
    if (Pick(3) == 0) text += '-';
    text += Digits(Pick(4) == 0 ? 0 : 1 + Pick(20));
    if (Pick(2) == 0) text += "." + Digits(Pick(22));
    if (Pick(10) == 0) text += "e" + Digits(1 + Pick(2));
    return Mutate(text);
  }

  std::string Timestamp() {
    std::string text = Digits(4) + "-" + Field(13) + "-" + Field(32);
    if (Pick(6) != 0) {
      text += Pick(4) == 0 ? " " : "T";
      text += Field(25) + ":" + Field(61) + ":" + Field(61);
      if (Pick(2) == 0) text += "." + Digits(Pick(10));
      switch (Pick(5)) {
        case 0:
          text += "Z";
          break;
        case 1:
          text += (Pick(2) == 0 ? "+" : "-") + Field(20) + ":" + Field(61);
          break;
        case 2:
          text += "+0530";
          break;
        default:
          break;
      }
    }
    return Mutate(text);
  }

 private:
  uint64_t Pick(uint64_t n) { return random_() % n; }

  std::string Digits(uint64_t count) {
    std::string digits;
    for (uint64_t i = 0; i < count; ++i) {
      // Favour the digits that sit at range limits (months, days, hours).
      static constexpr std::string_view kDigits = "0123456789001122339";
      digits += kDigits[Pick(kDigits.size())];
    }
    return digits;
  }

  // Two digits below `limit` (often at the edges of a field's range).
  std::string Field(uint64_t limit) {
    uint64_t value = Pick(limit);
    return std::string(1, static_cast<char>('0' + value / 10)) +
           static_cast<char>('0' + value % 10);
  }

  std::string Mutate(std::string text) {
    if (text.empty() || Pick(4) != 0) return text;
    static constexpr std::string_view kNoise = "0-.:T Ze+x";
    size_t at = Pick(text.size());
    switch (Pick(3)) {
      case 0:
        text[at] = kNoise[Pick(kNoise.size())];
        break;
      case 1:
        text.erase(at, 1);
        break;
      default:
        text.insert(at, 1, kNoise[Pick(kNoise.size())]);
        break;
    }
    return text;
  }

  std::mt19937_64 random_;
};

TEST(JsonValueParseTest, DecimalsMatchTheGeneralParser) {
  TextGenerator generator(1);
  std::mt19937_64 random(2);
  int fast = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string text = generator.Number();
    auto precision = static_cast<int32_t>(1 + random() % kMaxDecimalPrecision);
    auto scale = static_cast<int32_t>(random() % (static_cast<uint64_t>(precision) + 1));
    int128_t value = 0;
    FastParse outcome = ParseJsonDecimal(text, precision, scale, &value);
    std::optional<int128_t> expected = ParseDecimal(text, precision, scale);
    switch (outcome) {
      case FastParse::kValue:
        ++fast;
        ASSERT_TRUE(IsJsonNumber(text)) << text;
        ASSERT_TRUE(expected.has_value()) << text << " " << precision << "," << scale;
        ASSERT_TRUE(*expected == value) << text << " " << precision << "," << scale;
        break;
      case FastParse::kNoFit:
        ASSERT_TRUE(IsJsonNumber(text)) << text;
        ASSERT_FALSE(expected.has_value()) << text << " " << precision << "," << scale;
        break;
      case FastParse::kInvalid:
        ASSERT_FALSE(IsJsonNumber(text)) << text;
        break;
      case FastParse::kNotHandled:
        break;
    }
  }
  EXPECT_GT(fast, 10000);
}

TEST(JsonValueParseTest, HandlesDecimalEdges) {
  int128_t value = 0;
  EXPECT_EQ(ParseJsonDecimal("-0.005", 3, 2, &value), FastParse::kValue);
  EXPECT_TRUE(value == -1);
  EXPECT_EQ(ParseJsonDecimal("999.995", 5, 2, &value), FastParse::kNoFit);
  EXPECT_EQ(ParseJsonDecimal("01", 5, 0, &value), FastParse::kInvalid);
  EXPECT_EQ(ParseJsonDecimal("1.", 5, 0, &value), FastParse::kInvalid);
  EXPECT_EQ(ParseJsonDecimal("1e2", 5, 0, &value), FastParse::kNotHandled);
  EXPECT_EQ(ParseJsonDecimal("1234567890123456789", 38, 0, &value), FastParse::kNotHandled);
  EXPECT_EQ(ParseJsonDecimal("123456789012345678", 38, 20, &value), FastParse::kValue);
  EXPECT_TRUE(value ==
              static_cast<int128_t>(123456789012345678) * static_cast<int128_t>(1e15) * 100000);
}

TEST(JsonValueParseTest, DatesAndTimestampsMatchTheGeneralParser) {
  TextGenerator generator(3);
  int fast = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string text = generator.Timestamp();
    int32_t days = 0;
    if (ParseIsoDate(text, &days) == FastParse::kValue) {
      std::optional<int32_t> expected = ParseDate(text);
      ASSERT_TRUE(expected.has_value()) << text;
      ASSERT_EQ(*expected, days) << text;
    }
    for (bool utc_adjusted : {true, false}) {
      int64_t micros = 0;
      if (ParseIsoTimestamp(text, utc_adjusted, &micros) == FastParse::kValue) {
        ++fast;
        std::optional<int64_t> expected = ParseTimestamp(text, utc_adjusted);
        ASSERT_TRUE(expected.has_value()) << text;
        ASSERT_EQ(*expected, micros) << text;
      }
    }
  }
  EXPECT_GT(fast, 10000) << "fast path taken";
}

}  // namespace
}  // namespace arcflow::json
