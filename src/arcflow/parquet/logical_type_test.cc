#include "arcflow/parquet/logical_type.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "arcflow/parquet/thrift_compact_reader.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Encoded(const LogicalType& type) {
  BufferBuilder builder;
  EncodeThriftMessage(type, &builder);
  return Bytes(builder.data(), builder.data() + builder.size());
}

Result<LogicalType> Decoded(const Bytes& bytes) { return DecodeThriftMessage<LogicalType>(bytes); }

std::vector<LogicalType> EveryLogicalType() {
  VariantType variant;
  variant.specification_version = 1;
  GeometryType geometry;
  geometry.crs = "OGC:CRS84";
  GeographyType geography;
  geography.crs = "srid:4326";
  geography.algorithm = EdgeInterpolationAlgorithm::kVincenty;
  return {StringType{},
          MapType{},
          ListType{},
          EnumType{},
          DecimalType{3, 18},
          DateType{},
          TimeType{true, TimeUnit::kMillis},
          TimeType{false, TimeUnit::kMicros},
          TimeType{true, TimeUnit::kNanos},
          TimestampType{true, TimeUnit::kMillis},
          TimestampType{false, TimeUnit::kMicros},
          TimestampType{false, TimeUnit::kNanos},
          IntType{8, true},
          IntType{16, false},
          IntType{32, true},
          IntType{64, false},
          NullType{},
          JsonType{},
          BsonType{},
          UuidType{},
          Float16Type{},
          VariantType{},
          variant,
          GeometryType{},
          geometry,
          GeographyType{},
          geography,
          VectorType{}};
}

TEST(LogicalTypeTest, RoundTripsEveryMember) {
  for (const LogicalType& type : EveryLogicalType()) {
    Result<LogicalType> decoded = Decoded(Encoded(type));
    ASSERT_TRUE(decoded.ok()) << type.Name() << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, type) << type.Name();
    EXPECT_TRUE(decoded->IsDefined());
  }
}

TEST(LogicalTypeTest, NamesMembersAsTheFormatDoes) {
  EXPECT_EQ(LogicalType(StringType{}).Name(), "STRING");
  EXPECT_EQ(LogicalType(NullType{}).Name(), "UNKNOWN");
  EXPECT_EQ(LogicalType(TimestampType{}).Name(), "TIMESTAMP");
  EXPECT_EQ(LogicalType(IntType{}).Name(), "INTEGER");
  EXPECT_EQ(LogicalType(UndefinedLogicalType{}).Name(), "UNDEFINED");
  EXPECT_EQ(TimeUnitName(TimeUnit::kNanos), "NANOS");
}

TEST(LogicalTypeTest, EncodesTimestampAsTheSpecLaysItOut) {
  // LogicalType{8: TimestampType{1: true, 2: TimeUnit{2: MicroSeconds{}}}}.
  Bytes expected = {0x8C, 0x11, 0x1C, 0x2C, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(Encoded(TimestampType{true, TimeUnit::kMicros}), expected);
}

TEST(LogicalTypeTest, DecodesUnknownMemberAsUndefined) {
  // Member 2555 (as written by a newer writer) holding an empty struct.
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.BeginStruct();
  writer.WriteFieldHeader(2555, ThriftWireType::kStruct);
  writer.BeginStruct();
  writer.WriteField(1, int32_t{7});
  writer.EndStruct();
  writer.EndStruct();
  Result<LogicalType> decoded = Decoded(Bytes(builder.data(), builder.data() + builder.size()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_FALSE(decoded->IsDefined());
  EXPECT_EQ(decoded->As<UndefinedLogicalType>()->field_id, 2555);
}

TEST(LogicalTypeTest, PrefersKnownMemberOverUnknownOne) {
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.BeginStruct();
  writer.WriteFieldHeader(1, ThriftWireType::kStruct);
  writer.BeginStruct();
  writer.EndStruct();
  writer.WriteFieldHeader(40, ThriftWireType::kStruct);
  writer.BeginStruct();
  writer.EndStruct();
  writer.EndStruct();
  Result<LogicalType> decoded = Decoded(Bytes(builder.data(), builder.data() + builder.size()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_TRUE(decoded->Is<StringType>());
}

TEST(LogicalTypeTest, RejectsTwoKnownMembers) {
  Bytes string_then_date = {0x1C, 0x00, 0x5C, 0x00, 0x00};
  EXPECT_TRUE(Decoded(string_then_date).status().IsCorruption());
}

TEST(LogicalTypeTest, RejectsMissingRequiredMemberFields) {
  // DECIMAL with only a scale.
  Bytes decimal = {0x5C, 0x15, 0x04, 0x00, 0x00};
  Result<LogicalType> decoded = Decoded(decimal);
  ASSERT_TRUE(decoded.status().IsCorruption());
  EXPECT_NE(decoded.status().message().find("precision"), std::string::npos);
  // TIMESTAMP without a unit.
  Bytes timestamp = {0x8C, 0x11, 0x00, 0x00};
  EXPECT_TRUE(Decoded(timestamp).status().IsCorruption());
  // INTEGER without isSigned.
  Bytes integer = {0xAC, 0x13, 0x08, 0x00, 0x00};
  EXPECT_TRUE(Decoded(integer).status().IsCorruption());
}

TEST(LogicalTypeTest, DecodesUnknownTimeUnitAsUnknown) {
  // TIME{isAdjustedToUTC=false, unit=TimeUnit{7: {}}}.
  Bytes time = {0x7C, 0x12, 0x1C, 0x7C, 0x00, 0x00, 0x00, 0x00};
  Result<LogicalType> decoded = Decoded(time);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_TRUE(decoded->Is<TimeType>());
  EXPECT_EQ(decoded->As<TimeType>()->unit, TimeUnit::kUnknown);
  EXPECT_FALSE(decoded->As<TimeType>()->is_adjusted_to_utc);
}

TEST(LogicalTypeTest, SkipsFieldsAddedToEmptyMembers) {
  // STRING{5: "future"}.
  Bytes bytes = {0x1C, 0x58, 0x06, 'f', 'u', 't', 'u', 'r', 'e', 0x00, 0x00};
  Result<LogicalType> decoded = Decoded(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_TRUE(decoded->Is<StringType>());
}

TEST(LogicalTypeTest, EmptyUnionIsUndefined) {
  Bytes bytes = {0x00};
  Result<LogicalType> decoded = Decoded(bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded->IsDefined());
  EXPECT_EQ(decoded->As<UndefinedLogicalType>()->field_id, 0);
}

}  // namespace
}  // namespace arcflow::parquet
