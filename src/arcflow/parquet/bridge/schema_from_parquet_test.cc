#include "arcflow/parquet/bridge/schema_from_parquet.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "arcflow/parquet/bridge/test_file_builder.h"

namespace arcflow::parquet {
namespace {

using testing::Group;
using testing::kOptional;
using testing::kRepeated;
using testing::kRequired;
using testing::Leaf;
using testing::Root;

Result<ParquetSchemaMapping> Map(std::vector<SchemaNode> fields,
                                 SchemaConversionOptions options = {}) {
  ARCFLOW_ASSIGN_OR_RETURN(auto schema, SchemaDescriptor::FromRoot(Root(std::move(fields))));
  return MapParquetSchema(schema, options);
}

std::string MappedType(SchemaNode field, SchemaConversionOptions options = {}) {
  auto mapping = Map({std::move(field)}, options);
  if (!mapping.ok()) return mapping.status().ToString();
  return mapping->schema->field(0).type->ToString();
}

SchemaNode WithConverted(SchemaNode node, ConvertedType converted) {
  node.converted_type = converted;
  return node;
}

TEST(SchemaFromParquetTest, MapsPrimitiveTypesAsSpark) {
  using P = PhysicalType;
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kBoolean)), "boolean");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt32)), "int");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt32, IntType{8, true})), "tinyint");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt32, IntType{16, true})), "smallint");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt32, IntType{8, false})), "smallint");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt32, IntType{16, false})), "int");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt32, IntType{32, false})), "bigint");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt64, IntType{64, false})), "decimal(20,0)");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt64)), "bigint");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt96)), "timestamp");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kFloat)), "float");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kDouble)), "double");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kByteArray)), "binary");
  SchemaConversionOptions as_string;
  as_string.binary_as_string = true;
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kByteArray), as_string), "string");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kByteArray, StringType{})), "string");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kByteArray, JsonType{})), "string");
  EXPECT_EQ(MappedType(WithConverted(Leaf("a", kOptional, P::kByteArray), ConvertedType::kEnum)),
            "string");
  SchemaNode fixed = Leaf("a", kOptional, P::kFixedLenByteArray);
  fixed.type_length = 16;
  EXPECT_EQ(MappedType(fixed), "binary");
  fixed.logical_type = UuidType{};
  EXPECT_EQ(MappedType(fixed), "string");
  fixed.type_length = 2;
  fixed.logical_type = Float16Type{};
  EXPECT_EQ(MappedType(fixed), "float");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt32, DateType{})), "date");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt64, TimestampType{true, TimeUnit::kMillis})),
            "timestamp");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt64, TimestampType{false, TimeUnit::kNanos})),
            "timestamp_ntz");
  EXPECT_EQ(
      MappedType(WithConverted(Leaf("a", kOptional, P::kInt64), ConvertedType::kTimestampMicros)),
      "timestamp");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt32, TimeType{true, TimeUnit::kMillis})),
            "bigint");
  // An annotation that does not fit the physical type is ignored.
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt32, StringType{})), "int");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kByteArray, UndefinedLogicalType{99})), "binary");
}

TEST(SchemaFromParquetTest, MapsDecimalsAndRejectsTooWideOnes) {
  using P = PhysicalType;
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt32, DecimalType{2, 9})), "decimal(9,2)");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kInt64, DecimalType{0, 18})), "decimal(18,0)");
  EXPECT_EQ(MappedType(Leaf("a", kOptional, P::kByteArray, DecimalType{3, 38})), "decimal(38,3)");
  SchemaNode legacy =
      WithConverted(Leaf("a", kOptional, P::kFixedLenByteArray), ConvertedType::kDecimal);
  legacy.type_length = 6;
  legacy.precision = 13;
  legacy.scale = 2;
  EXPECT_EQ(MappedType(legacy), "decimal(13,2)");
  auto wide = Map({Leaf("wide", kOptional, P::kByteArray, DecimalType{0, 40})});
  ASSERT_FALSE(wide.ok());
  EXPECT_TRUE(wide.status().IsNotImplemented());
  EXPECT_NE(wide.status().message().find("wide"), std::string::npos);
  EXPECT_TRUE(Map({Leaf("bad", kOptional, P::kInt32, DecimalType{5, 3})}).status().IsCorruption());
}

TEST(SchemaFromParquetTest, MapsListFormsOfLogicalTypesMd) {
  using P = PhysicalType;
  // Standard three-level list.
  EXPECT_EQ(MappedType(Group("l", kOptional,
                             {Group("list", kRepeated, {Leaf("element", kOptional, P::kInt32)})},
                             ListType{})),
            "array<int>");
  // Two-level list of a primitive.
  EXPECT_EQ(MappedType(Group("l", kOptional, {Leaf("e", kRepeated, P::kInt32)}, ListType{})),
            "array<int>");
  // The repeated group is the element when it has several fields, is named "array" or
  // "<list>_tuple", or holds a repeated field.
  EXPECT_EQ(
      MappedType(Group("l", kOptional,
                       {Group("e", kRepeated,
                              {Leaf("a", kRequired, P::kInt32), Leaf("b", kOptional, P::kDouble)})},
                       ListType{})),
      "array<struct<a:int,b:double>>");
  EXPECT_EQ(
      MappedType(Group("l", kOptional,
                       {Group("array", kRepeated, {Leaf("a", kRequired, P::kInt32)})}, ListType{})),
      "array<struct<a:int>>");
  EXPECT_EQ(MappedType(Group("l", kOptional,
                             {Group("l_tuple", kRepeated, {Leaf("a", kRequired, P::kInt32)})},
                             ListType{})),
            "array<struct<a:int>>");
  // Unannotated repeated fields are lists of non-null elements, never null themselves.
  auto bare = Map({Leaf("r", kRepeated, P::kInt32)});
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->schema->ToString(), "r array<int> not null");
  EXPECT_FALSE(bare->schema->field(0).type->element_field().nullable);
  // A LIST group must hold one repeated field.
  EXPECT_TRUE(Map({Group("l", kOptional, {Leaf("e", kOptional, P::kInt32)}, ListType{})})
                  .status()
                  .IsCorruption());
}

TEST(SchemaFromParquetTest, MapsMapsAndTheirLevels) {
  using P = PhysicalType;
  SchemaNode map = Group("m", kOptional,
                         {Group("key_value", kRepeated,
                                {Leaf("key", kRequired, P::kByteArray, StringType{}),
                                 Leaf("value", kOptional, P::kInt32)})},
                         MapType{});
  auto mapping = Map({map});
  ASSERT_TRUE(mapping.ok()) << mapping.status().ToString();
  EXPECT_EQ(mapping->schema->ToString(), "m map<string,int>");
  const FieldNode& node = mapping->fields[0];
  EXPECT_EQ(node.kind, FieldNode::Kind::kList);
  EXPECT_EQ(node.definition_level, 1);
  EXPECT_EQ(node.element_definition_level, 2);
  EXPECT_EQ(node.repetition_level, 1);
  const FieldNode& entries = node.children[0];
  EXPECT_EQ(entries.depth, 1);
  EXPECT_EQ(entries.children[0].column_index, 0);
  EXPECT_EQ(entries.children[1].column_index, 1);
  EXPECT_EQ(entries.children[1].definition_level, 3);
  // The legacy MAP_KEY_VALUE annotation, and a map without values (a list of its keys).
  SchemaNode legacy = map;
  legacy.logical_type.reset();
  legacy.converted_type = ConvertedType::kMapKeyValue;
  EXPECT_EQ(MappedType(legacy), "map<string,int>");
  SchemaNode keys_only =
      Group("k", kRequired, {Group("key_value", kRepeated, {Leaf("key", kRequired, P::kInt32)})},
            MapType{});
  EXPECT_EQ(MappedType(keys_only), "array<int>");
}

TEST(SchemaFromParquetTest, MapsGroupsToStructsWithNullability) {
  using P = PhysicalType;
  auto mapping = Map(
      {Group("s", kRequired, {Leaf("a", kOptional, P::kInt32), Leaf("b", kRequired, P::kDouble)}),
       Leaf("c", kOptional, P::kInt64)});
  ASSERT_TRUE(mapping.ok());
  EXPECT_EQ(mapping->schema->ToString(), "s struct<a:int,b:double> not null, c bigint");
  EXPECT_EQ(mapping->fields[0].first_column, 0);
  EXPECT_EQ(mapping->fields[1].column_index, 2);
  EXPECT_EQ(mapping->fields[1].definition_level, 1);
}

}  // namespace
}  // namespace arcflow::parquet
