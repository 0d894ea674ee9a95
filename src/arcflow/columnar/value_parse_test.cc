#include "arcflow/columnar/value_parse.h"

#include <gtest/gtest.h>

#include <cmath>

#include "arcflow/columnar/value_format.h"

namespace arcflow {
namespace {

std::string DecimalText(std::optional<int128_t> value, int32_t scale) {
  if (!value) return "<none>";
  std::string out;
  AppendDecimal(*value, scale, &out);
  return out;
}

std::string TimestampText(std::optional<int64_t> micros, bool utc = true) {
  if (!micros) return "<none>";
  std::string out;
  AppendTimestamp(*micros, utc, &out);
  return out;
}

TEST(ValueParseTest, IntegersCheckRange) {
  EXPECT_EQ(ParseInt64("-9223372036854775808"), INT64_MIN);
  EXPECT_EQ(ParseInt64("9223372036854775807"), INT64_MAX);
  EXPECT_FALSE(ParseInt64("9223372036854775808"));
  EXPECT_EQ(ParseInt32("+17"), 17);
  EXPECT_FALSE(ParseInt32("2147483648"));
  EXPECT_FALSE(ParseInt8("128"));
  EXPECT_EQ(ParseInt16("-32768"), -32768);
  EXPECT_FALSE(ParseInt64(""));
  EXPECT_FALSE(ParseInt64("1.0"));
  EXPECT_FALSE(ParseInt64(" 1"));
  EXPECT_FALSE(ParseInt64("+-1"));
}

TEST(ValueParseTest, DoublesIncludeSparkSpecialValues) {
  EXPECT_EQ(ParseDouble("1.5e3"), 1500.0);
  EXPECT_EQ(ParseDouble("+2"), 2.0);
  EXPECT_EQ(ParseDouble(".5"), 0.5);
  EXPECT_TRUE(std::isnan(*ParseDouble("NaN")));
  EXPECT_EQ(ParseDouble("-Infinity"), -INFINITY);
  EXPECT_EQ(ParseDouble("Inf"), INFINITY);
  EXPECT_EQ(ParseDouble("1e999"), INFINITY);
  EXPECT_FALSE(ParseDouble("abc"));
  EXPECT_FALSE(ParseDouble("1.0x"));
  EXPECT_EQ(ParseFloat("0.1"), 0.1f);
}

TEST(ValueParseTest, BooleansIgnoreCase) {
  EXPECT_EQ(ParseBoolean("TRUE"), true);
  EXPECT_EQ(ParseBoolean("false"), false);
  EXPECT_FALSE(ParseBoolean("yes"));
}

TEST(ValueParseTest, DecimalsRoundHalfUpAndCheckPrecision) {
  EXPECT_EQ(DecimalText(ParseDecimal("12.3", 10, 2), 2), "12.30");
  EXPECT_EQ(DecimalText(ParseDecimal("-0.125", 10, 2), 2), "-0.13");
  EXPECT_EQ(DecimalText(ParseDecimal("0.124", 10, 2), 2), "0.12");
  EXPECT_EQ(DecimalText(ParseDecimal("1.5e2", 5, 0), 0), "150");
  EXPECT_EQ(DecimalText(ParseDecimal("1e-3", 5, 2), 2), "0.00");
  EXPECT_EQ(DecimalText(ParseDecimal("0.005", 5, 2), 2), "0.01");
  EXPECT_EQ(DecimalText(ParseDecimal("99.995", 4, 2), 2), "<none>");  // Rounds past precision.
  EXPECT_EQ(DecimalText(ParseDecimal("123.4", 4, 2), 2), "<none>");
  EXPECT_EQ(DecimalText(ParseDecimal("00012.00", 4, 2), 2), "12.00");
  EXPECT_EQ(DecimalText(ParseDecimal("99999999999999999999999999999999999999", 38, 0), 0),
            "99999999999999999999999999999999999999");
  EXPECT_EQ(DecimalText(ParseDecimal("1", 38, 38), 38), "<none>");
  EXPECT_EQ(DecimalText(ParseDecimal(".", 5, 2), 2), "<none>");
  EXPECT_EQ(DecimalText(ParseDecimal("1e", 5, 2), 2), "<none>");
}

TEST(ValueParseTest, DatesAcceptSparkForms) {
  EXPECT_EQ(ParseDate("1970-01-01"), 0);
  EXPECT_EQ(ParseDate("2024-02-29"), 19782);
  EXPECT_FALSE(ParseDate("2023-02-29"));
  EXPECT_EQ(ParseDate("2024-3-5"), ParseDate("2024-03-05"));
  EXPECT_EQ(ParseDate("2024"), ParseDate("2024-01-01"));
  EXPECT_EQ(ParseDate("2024-01-02T10:00:00"), ParseDate("2024-01-02"));
  EXPECT_FALSE(ParseDate("24-01-01"));
  EXPECT_FALSE(ParseDate("2024-13-01"));
  EXPECT_FALSE(ParseDate("2024/01/01"));
}

TEST(ValueParseTest, TimestampsWithZonesAndFractions) {
  EXPECT_EQ(TimestampText(ParseTimestamp("2024-01-02T03:04:05Z", true)),
            "2024-01-02T03:04:05.000000Z");
  EXPECT_EQ(TimestampText(ParseTimestamp("2024-01-02 03:04:05.123456789+02:00", true)),
            "2024-01-02T01:04:05.123456Z");
  EXPECT_EQ(TimestampText(ParseTimestamp("2024-01-02T03:04:05.5-0130", true)),
            "2024-01-02T04:34:05.500000Z");
  EXPECT_EQ(TimestampText(ParseTimestamp("2024-01-02", true)), "2024-01-02T00:00:00.000000Z");
  EXPECT_EQ(TimestampText(ParseTimestamp("2024-01-02T03:04", true)), "2024-01-02T03:04:00.000000Z");
  EXPECT_EQ(TimestampText(ParseTimestamp("2024-01-02T03:04:05 UTC", true)),
            "2024-01-02T03:04:05.000000Z");
  EXPECT_EQ(TimestampText(ParseTimestamp("1969-12-31T23:59:59.999999Z", true)),
            "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(TimestampText(ParseTimestamp("2024-01-02T03:04:05", false), false),
            "2024-01-02T03:04:05.000000");
  EXPECT_FALSE(ParseTimestamp("2024-01-02T03:04:05Z", false));  // NTZ rejects a zone.
  EXPECT_FALSE(ParseTimestamp("2024-01-02T25:00:00", true));
  EXPECT_FALSE(ParseTimestamp("2024-01-02T03:04:05+25:00", true));
  EXPECT_FALSE(ParseTimestamp("2024-01-02Tx", true));
  EXPECT_FALSE(ParseTimestamp("yesterday", true));
  // Regression: years past the int64-microsecond range overflowed instead of failing.
  EXPECT_FALSE(ParseTimestamp("2022222-01-01", true));
  EXPECT_FALSE(ParseTimestamp("9999999-01-01", true));
  EXPECT_EQ(ParseDate("9999999-01-01"), std::nullopt);
  EXPECT_TRUE(ParseDate("+200000-01-01"));
}

TEST(DateTimePatternTest, ParsesAndFormatsCustomPatterns) {
  auto pattern = DateTimePattern::Compile("dd/MM/yyyy HH:mm:ss.SSS").ValueOrDie();
  EXPECT_EQ(TimestampText(pattern.ParseTimestamp("02/01/2024 03:04:05.120", true)),
            "2024-01-02T03:04:05.120000Z");
  EXPECT_FALSE(pattern.ParseTimestamp("2024-01-02 03:04:05", true));
  EXPECT_EQ(pattern.FormatTimestamp(*ParseTimestamp("2024-01-02T03:04:05.12Z", true), true),
            "02/01/2024 03:04:05.120");

  auto compact = DateTimePattern::Compile("yyyyMMdd").ValueOrDie();
  EXPECT_EQ(compact.ParseDate("20240229"), ParseDate("2024-02-29"));
  EXPECT_FALSE(compact.ParseDate("20230229"));

  auto zoned = DateTimePattern::Compile("yyyy-MM-dd'T'HH:mm:ssXXX").ValueOrDie();
  EXPECT_EQ(TimestampText(zoned.ParseTimestamp("2024-01-02T03:04:05+01:00", true)),
            "2024-01-02T02:04:05.000000Z");
  EXPECT_EQ(TimestampText(zoned.ParseTimestamp("2024-01-02T03:04:05Z", true)),
            "2024-01-02T03:04:05.000000Z");

  auto named = DateTimePattern::Compile("EEE, d MMM yyyy hh:mm a").ValueOrDie();
  EXPECT_EQ(TimestampText(named.ParseTimestamp("Tue, 2 Jan 2024 03:15 PM", true)),
            "2024-01-02T15:15:00.000000Z");
  EXPECT_EQ(named.FormatTimestamp(*ParseTimestamp("2024-01-02T15:15:00Z", true), true),
            "Tue, 2 Jan 2024 03:15 PM");

  EXPECT_FALSE(DateTimePattern::Compile("yyyy-'MM").ok());
  EXPECT_FALSE(DateTimePattern::Compile("yyyy-qq").ok());
}

TEST(ValueFormatTest, DoublesAreShortestRoundTrip) {
  std::string out;
  AppendDouble(0.1, &out);
  out += ' ';
  AppendDouble(1e20, &out);
  out += ' ';
  AppendDouble(NAN, &out);
  out += ' ';
  AppendDouble(-INFINITY, &out);
  out += ' ';
  AppendFloat(0.1f, &out);
  out += ' ';
  AppendDouble(3.0, &out);
  EXPECT_EQ(out, "0.1 1e+20 NaN -Infinity 0.1 3");
}

TEST(ValueFormatTest, DecimalsDatesTimestamps) {
  std::string out;
  AppendDecimal(1230, 2, &out);
  out += ' ';
  AppendDecimal(-5, 3, &out);
  out += ' ';
  AppendDecimal(42, 0, &out);
  out += ' ';
  AppendDate(-1, &out);
  out += ' ';
  AppendTimestamp(-1, true, &out);
  out += ' ';
  AppendTimestamp(1700000000123456, false, &out);
  EXPECT_EQ(out,
            "12.30 -0.005 42 1969-12-31 1969-12-31T23:59:59.999999Z 2023-11-14T22:13:20.123456");
}

TEST(ValueFormatTest, Base64AndJsonStrings) {
  std::string out;
  AppendBase64("", &out);
  out += '|';
  AppendBase64("f", &out);
  out += '|';
  AppendBase64("fo", &out);
  out += '|';
  AppendBase64("foobar", &out);
  EXPECT_EQ(out, "|Zg==|Zm8=|Zm9vYmFy");
  out.clear();
  AppendJsonString(std::string_view("a\"b\\c\n\x01\xc3\xa9\xff", 10), &out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\xEF\xBF\xBD\"");
}

TEST(CivilCalendarTest, RoundTripsAcrossEras) {
  for (int64_t days = -800000; days <= 800000; days += 997) {
    int64_t year;
    unsigned month;
    unsigned day;
    CivilFromDays(days, &year, &month, &day);
    EXPECT_EQ(DaysFromCivil(year, month, day), days);
  }
}

}  // namespace
}  // namespace arcflow
