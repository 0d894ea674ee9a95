#include "arcflow/parquet/bridge/schema_to_parquet.h"

#include <gtest/gtest.h>

namespace arcflow::parquet {
namespace {

SchemaNode Convert(DataTypePtr type, bool nullable = true) {
  Result<SchemaNode> node = FieldToParquet(Field("f", std::move(type), nullable));
  EXPECT_TRUE(node.ok()) << node.status().ToString();
  return node.ok() ? *node : SchemaNode();
}

TEST(SchemaToParquetTest, MapsPrimitivesAsSparkDoes) {
  SchemaNode node = Convert(types::Boolean());
  EXPECT_EQ(node.physical_type, PhysicalType::kBoolean);
  EXPECT_EQ(node.repetition, FieldRepetitionType::kOptional);
  EXPECT_FALSE(node.logical_type.has_value());

  node = Convert(types::Int8(), false);
  EXPECT_EQ(node.physical_type, PhysicalType::kInt32);
  EXPECT_EQ(node.repetition, FieldRepetitionType::kRequired);
  EXPECT_EQ(node.logical_type, LogicalType(IntType{8, true}));
  EXPECT_EQ(node.converted_type, ConvertedType::kInt8);

  node = Convert(types::Int16());
  EXPECT_EQ(node.logical_type, LogicalType(IntType{16, true}));
  EXPECT_EQ(node.converted_type, ConvertedType::kInt16);

  node = Convert(types::Int32());
  EXPECT_EQ(node.physical_type, PhysicalType::kInt32);
  EXPECT_FALSE(node.converted_type.has_value());
  EXPECT_EQ(Convert(types::Int64()).physical_type, PhysicalType::kInt64);
  EXPECT_EQ(Convert(types::Float32()).physical_type, PhysicalType::kFloat);
  EXPECT_EQ(Convert(types::Float64()).physical_type, PhysicalType::kDouble);

  node = Convert(types::String());
  EXPECT_EQ(node.physical_type, PhysicalType::kByteArray);
  EXPECT_EQ(node.logical_type, LogicalType(StringType{}));
  EXPECT_EQ(node.converted_type, ConvertedType::kUtf8);

  node = Convert(types::Binary());
  EXPECT_EQ(node.physical_type, PhysicalType::kByteArray);
  EXPECT_FALSE(node.logical_type.has_value());
  EXPECT_FALSE(node.converted_type.has_value());

  node = Convert(types::Date32());
  EXPECT_EQ(node.physical_type, PhysicalType::kInt32);
  EXPECT_EQ(node.logical_type, LogicalType(DateType{}));
  EXPECT_EQ(node.converted_type, ConvertedType::kDate);

  node = Convert(types::Timestamp());
  EXPECT_EQ(node.physical_type, PhysicalType::kInt64);
  EXPECT_EQ(node.logical_type, LogicalType(TimestampType{true, TimeUnit::kMicros}));
  EXPECT_EQ(node.converted_type, ConvertedType::kTimestampMicros);

  node = Convert(types::TimestampNtz());
  EXPECT_EQ(node.logical_type, LogicalType(TimestampType{false, TimeUnit::kMicros}));
  EXPECT_FALSE(node.converted_type.has_value());
}

TEST(SchemaToParquetTest, DecimalsTakeTheNarrowestStorage) {
  struct Case {
    int32_t precision;
    PhysicalType physical;
    int32_t type_length;
  };
  for (const Case& c : {Case{1, PhysicalType::kInt32, 0}, Case{9, PhysicalType::kInt32, 0},
                        Case{10, PhysicalType::kInt64, 0}, Case{18, PhysicalType::kInt64, 0},
                        Case{19, PhysicalType::kFixedLenByteArray, 9},
                        Case{20, PhysicalType::kFixedLenByteArray, 9},
                        Case{21, PhysicalType::kFixedLenByteArray, 9},
                        Case{22, PhysicalType::kFixedLenByteArray, 10},
                        Case{38, PhysicalType::kFixedLenByteArray, 16}}) {
    const SchemaNode node = Convert(types::Decimal(c.precision, 2 < c.precision ? 2 : 0));
    EXPECT_EQ(node.physical_type, c.physical) << c.precision;
    if (c.type_length > 0) {
      EXPECT_EQ(node.type_length, c.type_length) << c.precision;
    }
    EXPECT_EQ(node.converted_type, ConvertedType::kDecimal);
    EXPECT_EQ(node.precision, c.precision);
    const auto* decimal = node.logical_type->As<DecimalType>();
    ASSERT_NE(decimal, nullptr);
    EXPECT_EQ(decimal->precision, c.precision);
    EXPECT_EQ(decimal->scale, *node.scale);
  }
  // Spark's minBytesForPrecision.
  EXPECT_EQ(DecimalByteWidth(1), 1);
  EXPECT_EQ(DecimalByteWidth(2), 1);
  EXPECT_EQ(DecimalByteWidth(3), 2);
  EXPECT_EQ(DecimalByteWidth(9), 4);
  EXPECT_EQ(DecimalByteWidth(10), 5);
  EXPECT_EQ(DecimalByteWidth(18), 8);
  EXPECT_EQ(DecimalByteWidth(28), 12);
  EXPECT_EQ(DecimalByteWidth(29), 13);
}

TEST(SchemaToParquetTest, ListsUseTheThreeLevelForm) {
  SchemaNode node = Convert(types::List(types::String(), /*contains_null=*/false), false);
  EXPECT_EQ(node.repetition, FieldRepetitionType::kRequired);
  EXPECT_EQ(node.logical_type, LogicalType(ListType{}));
  EXPECT_EQ(node.converted_type, ConvertedType::kList);
  ASSERT_EQ(node.children.size(), 1u);
  const SchemaNode& repeated = node.children[0];
  EXPECT_EQ(repeated.name, "list");
  EXPECT_EQ(repeated.repetition, FieldRepetitionType::kRepeated);
  EXPECT_FALSE(repeated.logical_type.has_value());
  ASSERT_EQ(repeated.children.size(), 1u);
  EXPECT_EQ(repeated.children[0].name, "element");
  EXPECT_EQ(repeated.children[0].repetition, FieldRepetitionType::kRequired);
  EXPECT_EQ(repeated.children[0].converted_type, ConvertedType::kUtf8);

  node = Convert(types::List(types::Int32()));
  EXPECT_EQ(node.children[0].children[0].repetition, FieldRepetitionType::kOptional);
}

TEST(SchemaToParquetTest, MapsUseKeyValueGroups) {
  const SchemaNode node = Convert(types::Map(types::String(), types::Int64(), false));
  EXPECT_EQ(node.logical_type, LogicalType(MapType{}));
  EXPECT_EQ(node.converted_type, ConvertedType::kMap);
  ASSERT_EQ(node.children.size(), 1u);
  const SchemaNode& key_value = node.children[0];
  EXPECT_EQ(key_value.name, "key_value");
  EXPECT_EQ(key_value.repetition, FieldRepetitionType::kRepeated);
  EXPECT_FALSE(key_value.converted_type.has_value());
  ASSERT_EQ(key_value.children.size(), 2u);
  EXPECT_EQ(key_value.children[0].name, "key");
  EXPECT_EQ(key_value.children[0].repetition, FieldRepetitionType::kRequired);
  EXPECT_EQ(key_value.children[1].name, "value");
  EXPECT_EQ(key_value.children[1].repetition, FieldRepetitionType::kRequired);
}

TEST(SchemaToParquetTest, StructsBecomeGroups) {
  const Schema schema({Field("id", types::Int64(), false),
                       Field("s", types::Struct({Field("a", types::Int32()),
                                                 Field("b", types::List(types::Float64()))}))});
  Result<SchemaNode> root = SchemaToParquet(schema);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(root->name, "spark_schema");
  EXPECT_FALSE(root->repetition.has_value());
  ASSERT_EQ(root->children.size(), 2u);
  const SchemaNode& group = root->children[1];
  EXPECT_TRUE(group.is_group());
  EXPECT_FALSE(group.logical_type.has_value());
  EXPECT_EQ(group.children.size(), 2u);

  Result<SchemaDescriptor> descriptor = SchemaDescriptor::FromRoot(*root);
  ASSERT_TRUE(descriptor.ok()) << descriptor.status().ToString();
  ASSERT_EQ(descriptor->num_columns(), 3);
  EXPECT_EQ(descriptor->column(2).dotted_path, "s.b.list.element");
  EXPECT_EQ(descriptor->column(2).max_definition_level, 4);
  EXPECT_EQ(descriptor->column(2).max_repetition_level, 1);
}

Field WithFieldId(Field field, int32_t id) {
  field.metadata.emplace_back(std::string(kParquetFieldIdKey), std::to_string(id));
  return field;
}

TEST(SchemaToParquetTest, WritesFieldIdsFromFieldMetadata) {
  const Schema schema({
      WithFieldId(Field("id", types::Int64(), false), 1),
      WithFieldId(Field("s", types::Struct({WithFieldId(Field("a", types::Int32()), 3),
                                            Field("b", types::Int32())})),
                  2),
      WithFieldId(Field("l", types::ListOf(WithFieldId(Field("element", types::String()), 5))), 4),
      WithFieldId(Field("m", types::MapOf(WithFieldId(Field("key", types::String()), 7),
                                          WithFieldId(Field("value", types::Int64()), 8))),
                  6),
      Field("plain", types::Int32()),
  });
  Result<SchemaNode> root = SchemaToParquet(schema);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_FALSE(root->field_id.has_value());
  const auto& columns = root->children;
  ASSERT_EQ(columns.size(), 5u);
  EXPECT_EQ(columns[0].field_id, 1);
  EXPECT_EQ(columns[1].field_id, 2);
  EXPECT_EQ(columns[1].children[0].field_id, 3);
  EXPECT_FALSE(columns[1].children[1].field_id.has_value());
  EXPECT_EQ(columns[2].field_id, 4);
  // The repeated group between a list or map and its children has no id of its own.
  EXPECT_FALSE(columns[2].children[0].field_id.has_value());
  EXPECT_EQ(columns[2].children[0].children[0].field_id, 5);
  EXPECT_EQ(columns[3].field_id, 6);
  EXPECT_FALSE(columns[3].children[0].field_id.has_value());
  EXPECT_EQ(columns[3].children[0].children[0].field_id, 7);
  EXPECT_EQ(columns[3].children[0].children[1].field_id, 8);
  EXPECT_FALSE(columns[4].field_id.has_value());

  // The flattened footer elements carry them.
  Result<std::vector<SchemaElement>> elements = FlattenSchema(*root);
  ASSERT_TRUE(elements.ok());
  EXPECT_EQ((*elements)[1].field_id, 1);
  EXPECT_EQ((*elements)[2].field_id, 2);
  EXPECT_EQ((*elements)[3].field_id, 3);

  Field bad("x", types::Int32());
  bad.metadata.emplace_back(std::string(kParquetFieldIdKey), "\"seven\"");
  Result<SchemaNode> rejected = FieldToParquet(bad);
  ASSERT_TRUE(rejected.status().IsInvalid());
  EXPECT_NE(rejected.status().message().find("seven"), std::string::npos);
  bad.metadata = {{std::string(kParquetFieldIdKey), "4294967296"}};
  EXPECT_TRUE(FieldToParquet(bad).status().IsInvalid());
}

TEST(SchemaToParquetTest, RejectsWhatParquetCannotHold) {
  EXPECT_TRUE(SchemaToParquet(Schema({})).status().IsInvalid());
  EXPECT_TRUE(FieldToParquet(Field("e", types::Struct({}))).status().IsInvalid());
  EXPECT_TRUE(FieldToParquet(Field("l", types::List(types::Struct({})))).status().IsInvalid());
}

}  // namespace
}  // namespace arcflow::parquet
