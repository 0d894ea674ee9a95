#include "arcflow/delta/column_mapping.h"

#include <gtest/gtest.h>

#include "arcflow/columnar/schema_json.h"

namespace arcflow::delta {
namespace {

// A logical schema with physical names and ids at every level: a top-level int, a struct with a
// member, a list of structs and a map of struct values.
constexpr std::string_view kMappedSchema = R"({"type":"struct","fields":[
 {"name":"Id","type":"integer","nullable":true,"metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-1"}},
 {"name":"s","type":{"type":"struct","fields":[
   {"name":"x","type":"string","nullable":true,"metadata":{"delta.columnMapping.id":3,"delta.columnMapping.physicalName":"col-3"}}]},
  "nullable":true,"metadata":{"delta.columnMapping.id":2,"delta.columnMapping.physicalName":"col-2"}},
 {"name":"l","type":{"type":"array","elementType":{"type":"struct","fields":[
   {"name":"y","type":"long","nullable":true,"metadata":{"delta.columnMapping.id":5,"delta.columnMapping.physicalName":"col-5"}}]},"containsNull":true},
  "nullable":true,"metadata":{"delta.columnMapping.id":4,"delta.columnMapping.physicalName":"col-4"}},
 {"name":"m","type":{"type":"map","keyType":"string","valueType":{"type":"struct","fields":[
   {"name":"z","type":"double","nullable":true,"metadata":{"delta.columnMapping.id":7,"delta.columnMapping.physicalName":"col-7"}}]},"valueContainsNull":true},
  "nullable":true,"metadata":{"delta.columnMapping.id":6,"delta.columnMapping.physicalName":"col-6"}}]})";

Metadata WithMode(std::optional<std::string> mode) {
  Metadata metadata;
  if (mode) metadata.configuration.emplace_back(std::string(kColumnMappingModeKey), *mode);
  return metadata;
}

TEST(ColumnMappingTest, ReadsTheMode) {
  EXPECT_EQ(*GetColumnMappingMode(WithMode(std::nullopt)), ColumnMappingMode::kNone);
  EXPECT_EQ(*GetColumnMappingMode(WithMode("none")), ColumnMappingMode::kNone);
  EXPECT_EQ(*GetColumnMappingMode(WithMode("name")), ColumnMappingMode::kName);
  EXPECT_EQ(*GetColumnMappingMode(WithMode("id")), ColumnMappingMode::kId);
  auto bad = GetColumnMappingMode(WithMode("fancy"));
  ASSERT_TRUE(bad.status().IsInvalid());
  EXPECT_NE(bad.status().message().find("fancy"), std::string::npos);
}

TEST(ColumnMappingTest, BuildsNestedPhysicalSchema) {
  auto logical = ParseStructTypeJson(kMappedSchema);
  ASSERT_TRUE(logical.ok()) << logical.status().ToString();
  auto physical = MakePhysicalSchema(*logical, ColumnMappingMode::kName);
  ASSERT_TRUE(physical.ok()) << physical.status().ToString();
  const Schema& schema = **physical;
  ASSERT_EQ(schema.num_fields(), 4);
  EXPECT_EQ(schema.field(0).name, "col-1");
  EXPECT_EQ(schema.field(1).name, "col-2");
  EXPECT_EQ(schema.field(1).type->field(0).name, "col-3");
  EXPECT_EQ(schema.field(2).type->element_field().type->field(0).name, "col-5");
  EXPECT_EQ(schema.field(3).type->value_field().type->field(0).name, "col-7");
  EXPECT_EQ(ColumnId(schema.field(3)), 6);
  // Mode none keeps the logical names.
  auto unmapped = MakePhysicalSchema(*logical, ColumnMappingMode::kNone);
  ASSERT_TRUE(unmapped.ok());
  EXPECT_EQ((*unmapped)->field(0).name, "Id");
}

TEST(ColumnMappingTest, MissingPhysicalNameIsCorruption) {
  auto logical = ParseStructTypeJson(
      R"({"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}}]})");
  ASSERT_TRUE(logical.ok());
  auto physical = MakePhysicalSchema(*logical, ColumnMappingMode::kId);
  ASSERT_TRUE(physical.status().IsCorruption());
  EXPECT_NE(physical.status().message().find("\"a\""), std::string::npos);
}

TEST(ColumnMappingTest, FindsPartitionValuesByPhysicalName) {
  auto logical = ParseStructTypeJson(kMappedSchema);
  ASSERT_TRUE(logical.ok());
  const Field& id = (*logical)->field(0);
  PartitionValues values = {{"col-1", "7"}, {"other", std::nullopt}};
  auto found = FindPartitionValue(values, id, ColumnMappingMode::kName);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::optional<std::string>("7"));
  EXPECT_TRUE(FindPartitionValue(values, id, ColumnMappingMode::kNone).status().IsNotFound());
  PartitionValues by_name = {{"id", std::nullopt}};
  auto null_value = FindPartitionValue(by_name, id, ColumnMappingMode::kNone);
  ASSERT_TRUE(null_value.ok());  // Matched ignoring case.
  EXPECT_EQ(*null_value, std::nullopt);
}

TEST(ColumnMappingTest, MatchesFileColumnsByIdOrName) {
  auto logical = ParseStructTypeJson(kMappedSchema);
  ASSERT_TRUE(logical.ok());
  auto physical = MakePhysicalSchema(*logical, ColumnMappingMode::kId);
  ASSERT_TRUE(physical.ok());
  parquet::SchemaNode root;
  root.name = "schema";
  parquet::SchemaNode a;
  a.name = "renamed";
  a.field_id = 6;
  parquet::SchemaNode b;
  b.name = "col-1";
  b.field_id = 1;
  root.children = {a, b};
  EXPECT_EQ(MatchFileColumns(**physical, root, ColumnMappingMode::kId),
            (std::vector<int>{1, -1, -1, 0}));
  // Without field ids, or in name mode, names decide.
  EXPECT_EQ(MatchFileColumns(**physical, root, ColumnMappingMode::kName),
            (std::vector<int>{1, -1, -1, -1}));
  root.children[0].field_id.reset();
  root.children[1].field_id.reset();
  root.children[1].name = "COL-1";
  EXPECT_EQ(MatchFileColumns(**physical, root, ColumnMappingMode::kId),
            (std::vector<int>{1, -1, -1, -1}));
}

}  // namespace
}  // namespace arcflow::delta
