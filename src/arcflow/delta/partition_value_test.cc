#include "arcflow/delta/partition_value.h"

#include <gtest/gtest.h>

#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/value_parse.h"

namespace arcflow::delta {
namespace {

TypedValue ParseOrDie(std::optional<std::string> text, const DataTypePtr& type) {
  auto result = ParsePartitionValue(text, type, "c");
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? *result : TypedValue::Null(type);
}

TEST(PartitionValueTest, ParsesEachPrimitiveType) {
  EXPECT_EQ(std::get<bool>(ParseOrDie("true", types::Boolean()).value), true);
  EXPECT_EQ(std::get<int64_t>(ParseOrDie("-12", types::Int8()).value), -12);
  EXPECT_EQ(std::get<int64_t>(ParseOrDie("32000", types::Int16()).value), 32000);
  EXPECT_EQ(std::get<int64_t>(ParseOrDie("-2147483648", types::Int32()).value), -2147483648LL);
  EXPECT_EQ(std::get<int64_t>(ParseOrDie("9223372036854775807", types::Int64()).value), INT64_MAX);
  EXPECT_EQ(std::get<double>(ParseOrDie("1.5", types::Float64()).value), 1.5);
  EXPECT_EQ(std::get<double>(ParseOrDie("1.0E10", types::Float64()).value), 1e10);
  EXPECT_EQ(std::get<double>(ParseOrDie("0.25", types::Float32()).value), 0.25);
  EXPECT_EQ(std::get<int128_t>(ParseOrDie("12.30", types::Decimal(5, 2)).value), 1230);
  EXPECT_EQ(std::get<std::string>(ParseOrDie("a b/c", types::String()).value), "a b/c");
  EXPECT_EQ(std::get<std::string>(ParseOrDie(std::string("\x01\x02", 2), types::Binary()).value),
            std::string("\x01\x02", 2));
  EXPECT_EQ(std::get<int64_t>(ParseOrDie("1970-01-02", types::Date32()).value), 1);
}

TEST(PartitionValueTest, ParsesTimestampForms) {
  // 2021-01-01 12:00:00.123456 UTC.
  int64_t expected =
      int64_t{DaysFromCivil(2021, 1, 1)} * 86400000000LL + 12LL * 3600000000LL + 123456;
  EXPECT_EQ(std::get<int64_t>(ParseOrDie("2021-01-01 12:00:00.123456", types::Timestamp()).value),
            expected);
  EXPECT_EQ(std::get<int64_t>(ParseOrDie("2021-01-01T12:00:00.123456Z", types::Timestamp()).value),
            expected);
  EXPECT_EQ(
      std::get<int64_t>(ParseOrDie("2021-01-01T13:00:00.123456+01:00", types::Timestamp()).value),
      expected);
  EXPECT_EQ(
      std::get<int64_t>(ParseOrDie("2021-01-01 12:00:00.123456", types::TimestampNtz()).value),
      expected);
  EXPECT_EQ(std::get<int64_t>(ParseOrDie("2021-01-01 12:00:00", types::Timestamp()).value),
            expected - 123456);
}

TEST(PartitionValueTest, NullAndEmptyAreNull) {
  EXPECT_TRUE(ParseOrDie(std::nullopt, types::Int32()).is_null());
  EXPECT_TRUE(ParseOrDie("", types::Int32()).is_null());
  EXPECT_TRUE(ParseOrDie("", types::String()).is_null());
}

TEST(PartitionValueTest, RejectsTextThatIsNotOfTheType) {
  auto result = ParsePartitionValue(std::string("abc"), types::Int32(), "year");
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalid());
  EXPECT_NE(result.status().message().find("year"), std::string::npos);
  EXPECT_NE(result.status().message().find("abc"), std::string::npos);
  EXPECT_FALSE(ParsePartitionValue(std::string("300"), types::Int8(), "c").ok());
  EXPECT_FALSE(ParsePartitionValue(std::string("2021-13-01"), types::Date32(), "c").ok());
  EXPECT_FALSE(ParsePartitionValue(std::string("12.345"), types::Decimal(3, 2), "c").ok());
  EXPECT_FALSE(ParsePartitionValue(std::string("maybe"), types::Boolean(), "c").ok());
  EXPECT_TRUE(ParsePartitionValue(std::string("x"), types::List(types::Int32()), "c")
                  .status()
                  .IsNotImplemented());
}

TEST(PartitionValueTest, FormatsAsSparkWrites) {
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::Int32(), int64_t{-7}}), "-7");
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::Boolean(), false}), "false");
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::Float64(), 1.0}), "1.0");
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::Float64(), 1e10}), "1.0E10");
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::Float64(), 1.25e-5}), "1.25E-5");
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::Float64(), 0.001}), "0.001");
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::Float64(), 123.5}), "123.5");
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::Float64(), 1234567.0}), "1234567.0");
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::Float32(), 0.1}), "0.1");
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::Float64(), -0.0}), "-0.0");
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::Decimal(5, 2), int128_t{-5}}), "-0.05");
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::Date32(), int64_t{0}}), "1970-01-01");
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::Timestamp(), int64_t{1500000}}),
            "1970-01-01 00:00:01.5");
  EXPECT_EQ(FormatPartitionValue(TypedValue{types::TimestampNtz(), int64_t{0}}),
            "1970-01-01 00:00:00");
  EXPECT_EQ(FormatPartitionValue(TypedValue::Null(types::String())), std::nullopt);
}

TEST(PartitionValueTest, FormatThenParseRoundTrips) {
  std::vector<TypedValue> values = {
      {types::Int64(), int64_t{INT64_MIN}},
      {types::Float64(), 3.141592653589793},
      {types::Float64(), 1e-300},
      {types::Float32(), static_cast<double>(3.4e38f)},
      {types::Decimal(38, 10), int128_t{-1} << 100},
      {types::Date32(), int64_t{-719162}},
      {types::Timestamp(), int64_t{-1}},
      {types::TimestampNtz(), int64_t{253402300799999999}},
      {types::String(), std::string("x=y/%z")},
      {types::Boolean(), true},
  };
  for (const auto& value : values) {
    auto text = FormatPartitionValue(value);
    ASSERT_TRUE(text.has_value()) << value.type->ToString();
    TypedValue back = ParseOrDie(text, value.type);
    EXPECT_EQ(back.value, value.value) << value.type->ToString() << " text=" << *text;
  }
}

TEST(PartitionValueTest, EscapesPathNamesLikeSpark) {
  EXPECT_EQ(EscapePartitionPathName("a b"), "a b");
  EXPECT_EQ(EscapePartitionPathName("a/b=c:d%e"), "a%2Fb%3Dc%3Ad%25e");
  EXPECT_EQ(EscapePartitionPathName("\"#'*?\\{[]^"), "%22%23%27%2A%3F%5C%7B%5B%5D%5E");
  EXPECT_EQ(EscapePartitionPathName(std::string("\x01\n\x7f", 3)), "%01%0A%7F");
  EXPECT_EQ(EscapePartitionPathName("é}"), "é}");
  EXPECT_EQ(UnescapePartitionPathName("a%2Fb%3dc"), "a/b=c");
  EXPECT_EQ(UnescapePartitionPathName("100%"), "100%");
  EXPECT_EQ(UnescapePartitionPathName("%zz%4"), "%zz%4");
  for (std::string text : {"", "plain", "a/b=c%d", "\x01\x1f\x7f", "%%%", "[x]^{y}"}) {
    EXPECT_EQ(UnescapePartitionPathName(EscapePartitionPathName(text)), text);
  }
}

TEST(PartitionValueTest, BuildsAndParsesDirectories) {
  std::vector<std::pair<std::string, std::optional<std::string>>> values = {
      {"year", "2024"}, {"name", "a/b"}, {"empty", std::nullopt}};
  std::string directory = PartitionDirectory(values);
  EXPECT_EQ(directory, "year=2024/name=a%2Fb/empty=__HIVE_DEFAULT_PARTITION__");
  EXPECT_EQ(ParsePartitionDirectory(directory + "/part-0000.parquet"), values);
  EXPECT_EQ(PartitionDirectoryName("c=1", std::string("")), "c%3D1=__HIVE_DEFAULT_PARTITION__");
  EXPECT_TRUE(ParsePartitionDirectory("part-0000.parquet").empty());
}

TEST(PartitionValueTest, MakesConstantColumns) {
  auto ints = MakeConstantArray(TypedValue{types::Int16(), int64_t{42}}, 3);
  ASSERT_TRUE(ints.ok());
  ASSERT_EQ((*ints)->length(), 3);
  EXPECT_EQ((*ints)->null_count(), 0);
  EXPECT_EQ(std::static_pointer_cast<const Int16Array>(MakeArray((*ints)->data()))->Value(2), 42);

  auto strings = MakeConstantArray(TypedValue{types::String(), std::string("hi")}, 2);
  ASSERT_TRUE(strings.ok());
  EXPECT_EQ(BinaryArray((*strings)->data()).Value(1), "hi");
  EXPECT_TRUE(ValidateArrayData(*(*strings)->data()).ok());

  auto nulls = MakeConstantArray(TypedValue::Null(types::Date32()), 4);
  ASSERT_TRUE(nulls.ok());
  EXPECT_EQ((*nulls)->null_count(), 4);
  EXPECT_EQ((*nulls)->type()->id(), TypeId::kDate32);

  auto decimals = MakeConstantArray(TypedValue{types::Decimal(10, 2), int128_t{-123}}, 2);
  ASSERT_TRUE(decimals.ok());
  EXPECT_EQ(TypedValueAt(**decimals, 1).value, TypedValue::Storage(int128_t{-123}));

  auto booleans = MakeConstantArray(TypedValue{types::Boolean(), true}, 9);
  ASSERT_TRUE(booleans.ok());
  EXPECT_EQ(TypedValueAt(**booleans, 8).value, TypedValue::Storage(true));

  auto empty = MakeConstantArray(TypedValue{types::Float64(), 1.0}, 0);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)->length(), 0);
}

TEST(PartitionValueTest, ReadsTypedValuesFromArrays) {
  StringBuilder builder(types::String());
  builder.Append("x");
  builder.AppendNull();
  auto array = builder.Finish();
  ASSERT_TRUE(array.ok());
  EXPECT_EQ(TypedValueAt(**array, 0).value, TypedValue::Storage(std::string("x")));
  EXPECT_TRUE(TypedValueAt(**array, 1).is_null());
}

}  // namespace
}  // namespace arcflow::delta
