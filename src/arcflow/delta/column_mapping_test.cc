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

TEST(ColumnMappingTest, MatchesStructMembersByIdOrName) {
  auto logical = ParseStructTypeJson(kMappedSchema);
  ASSERT_TRUE(logical.ok());
  const Field& x = (*logical)->field(1).type->field(0);  // Id 3, physical name col-3.
  std::vector<Field> file_types = {Field("other", types::String()),
                                   Field("col-3", types::String())};
  std::vector<parquet::FieldNode> nodes(2);
  nodes[0].field_id = 3;
  nodes[1].field_id = 9;
  EXPECT_EQ(*MatchFileMember(x, file_types, &nodes, ColumnMappingMode::kId), 0);
  EXPECT_EQ(*MatchFileMember(x, file_types, &nodes, ColumnMappingMode::kName), 1);
  // Ids that do not match leave the member missing, even when a name would.
  nodes[0].field_id = 4;
  EXPECT_EQ(*MatchFileMember(x, file_types, &nodes, ColumnMappingMode::kId), -1);
  // Without ids in the file (or without the file's nodes), physical names decide.
  nodes[0].field_id.reset();
  nodes[1].field_id.reset();
  EXPECT_EQ(*MatchFileMember(x, file_types, &nodes, ColumnMappingMode::kId), 1);
  EXPECT_EQ(*MatchFileMember(x, file_types, nullptr, ColumnMappingMode::kId), 1);
}

// Spark's nested ids (IcebergCompatV2), keyed from the field's physical name.
constexpr std::string_view kNestedIdsSchema = R"({"type":"struct","fields":[
 {"name":"mm","type":{"type":"map","keyType":"long","valueType":{"type":"array","elementType":"integer","containsNull":true},"valueContainsNull":true},
  "nullable":true,"metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-m",
  "delta.columnMapping.nested.ids":{"col-m.key":2,"col-m.value":3,"col-m.value.element":4}}},
 {"name":"ll","type":{"type":"array","elementType":{"type":"struct","fields":[
   {"name":"q","type":"long","nullable":true,"metadata":{"delta.columnMapping.id":7,"delta.columnMapping.physicalName":"col-q"}}]},"containsNull":true},
  "nullable":true,"metadata":{"delta.columnMapping.id":5,"delta.columnMapping.physicalName":"col-l",
  "delta.columnMapping.nested.ids":{"col-l.element":6}}}]})";

TEST(ColumnMappingTest, PhysicalSchemaCarriesParquetFieldIds) {
  auto logical = ParseStructTypeJson(kNestedIdsSchema);
  ASSERT_TRUE(logical.ok()) << logical.status().ToString();
  auto ids = NestedColumnIds((*logical)->field(0));
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  EXPECT_EQ(*ids, (std::vector<std::pair<std::string, int32_t>>{
                      {"col-m.key", 2}, {"col-m.value", 3}, {"col-m.value.element", 4}}));
  EXPECT_EQ(MaxColumnId(**logical), 7);

  for (ColumnMappingMode mode : {ColumnMappingMode::kName, ColumnMappingMode::kId}) {
    auto physical = MakePhysicalSchema(*logical, mode);
    ASSERT_TRUE(physical.ok()) << physical.status().ToString();
    const Field& map = (*physical)->field(0);
    EXPECT_EQ(map.GetMetadata("parquet.field.id"), "1");
    EXPECT_EQ(map.type->key_field().GetMetadata("parquet.field.id"), "2");
    EXPECT_EQ(map.type->value_field().GetMetadata("parquet.field.id"), "3");
    EXPECT_EQ(map.type->value_field().type->element_field().GetMetadata("parquet.field.id"), "4");
    const Field& list = (*physical)->field(1);
    EXPECT_EQ(list.name, "col-l");
    EXPECT_EQ(list.type->element_field().GetMetadata("parquet.field.id"), "6");
    const Field& q = list.type->element_field().type->field(0);
    EXPECT_EQ(q.name, "col-q");
    EXPECT_EQ(q.GetMetadata("parquet.field.id"), "7");
  }
  // Mode none writes logical names and no ids.
  auto unmapped = MakePhysicalSchema(*logical, ColumnMappingMode::kNone);
  ASSERT_TRUE(unmapped.ok());
  EXPECT_FALSE((*unmapped)->field(0).GetMetadata("parquet.field.id").has_value());

  Field bad("b", types::List(types::Int32()));
  bad.metadata = {{std::string(kNestedIdsKey), "[1,2]"}};
  EXPECT_TRUE(NestedColumnIds(bad).status().IsCorruption());
}

TEST(ColumnMappingTest, AssignsIdsAndPhysicalNamesToFieldsThatLackThem) {
  // x keeps its id 3 and name; the others get 4, 5, ... in schema order, depth first.
  auto schema = ParseStructTypeJson(R"({"type":"struct","fields":[
   {"name":"a","type":"integer","nullable":true,"metadata":{}},
   {"name":"s","type":{"type":"struct","fields":[
     {"name":"x","type":"string","nullable":true,"metadata":{"delta.columnMapping.id":3,"delta.columnMapping.physicalName":"col-3"}},
     {"name":"y","type":"string","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},
   {"name":"l","type":{"type":"array","elementType":{"type":"map","keyType":"string","valueType":{"type":"struct","fields":[
     {"name":"z","type":"long","nullable":true,"metadata":{}}]},"valueContainsNull":true},"containsNull":true},"nullable":true,"metadata":{}}]})");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  int64_t max_id = 0;
  auto assigned = AssignColumnMapping(**schema, &max_id);
  ASSERT_TRUE(assigned.ok()) << assigned.status().ToString();
  const Schema& out = **assigned;
  EXPECT_EQ(max_id, 8);
  EXPECT_EQ(ColumnId(out.field(0)), 4);
  EXPECT_EQ(ColumnId(out.field(1)), 5);
  EXPECT_EQ(ColumnId(out.field(1).type->field(0)), 3);
  EXPECT_EQ(*PhysicalName(out.field(1).type->field(0), ColumnMappingMode::kName), "col-3");
  EXPECT_EQ(ColumnId(out.field(1).type->field(1)), 6);
  EXPECT_EQ(ColumnId(out.field(2)), 7);
  const Field& z = out.field(2).type->element_field().type->value_field().type->field(0);
  EXPECT_EQ(ColumnId(z), 8);
  EXPECT_EQ(PhysicalName(z, ColumnMappingMode::kName)->rfind("col-", 0), 0u);
  EXPECT_NE(*PhysicalName(z, ColumnMappingMode::kName),
            *PhysicalName(out.field(0), ColumnMappingMode::kName));
  EXPECT_FALSE(out.field(2).GetMetadata(kNestedIdsKey).has_value());
  // Assigning again changes nothing.
  int64_t again_max = 0;
  auto again = AssignColumnMapping(out, &again_max);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)->Equals(out));
  EXPECT_EQ(again_max, 8);

  // Ids continue after the given maximum, and with nested ids lists and maps get theirs.
  max_id = 20;
  ColumnMappingAssignment options;
  options.nested_ids = true;
  options.physical_names_from_names = true;
  assigned = AssignColumnMapping(**schema, &max_id, options);
  ASSERT_TRUE(assigned.ok()) << assigned.status().ToString();
  EXPECT_EQ(ColumnId((*assigned)->field(0)), 21);
  EXPECT_EQ(*PhysicalName((*assigned)->field(0), ColumnMappingMode::kName), "a");
  auto nested = NestedColumnIds((*assigned)->field(2));
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(*nested, (std::vector<std::pair<std::string, int32_t>>{
                         {"l.element", 25}, {"l.element.key", 26}, {"l.element.value", 27}}));
  EXPECT_EQ(max_id, 28);  // z comes last.
}

TEST(ColumnMappingTest, RejectsDuplicateIdsAndPhysicalNames) {
  auto duplicate_ids = ParseStructTypeJson(R"({"type":"struct","fields":[
   {"name":"a","type":"integer","nullable":true,"metadata":{"delta.columnMapping.id":1}},
   {"name":"b","type":"integer","nullable":true,"metadata":{"delta.columnMapping.id":1}}]})");
  ASSERT_TRUE(duplicate_ids.ok());
  int64_t max_id = 0;
  auto result = AssignColumnMapping(**duplicate_ids, &max_id);
  ASSERT_TRUE(result.status().IsInvalid());
  EXPECT_NE(result.status().message().find("same column id 1"), std::string::npos);
  auto duplicate_names = ParseStructTypeJson(R"({"type":"struct","fields":[
   {"name":"a","type":"integer","nullable":true,"metadata":{"delta.columnMapping.physicalName":"p"}},
   {"name":"b","type":"integer","nullable":true,"metadata":{"delta.columnMapping.physicalName":"p"}}]})");
  ASSERT_TRUE(duplicate_names.ok());
  EXPECT_TRUE(AssignColumnMapping(**duplicate_names, &max_id).status().IsInvalid());
}

TEST(ColumnMappingTest, AssignsMetadataForCommits) {
  Metadata metadata = WithMode("name");
  metadata.schema_string =
      R"({"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}}]})";
  // The stated maximum and the previous one are never gone below.
  metadata.configuration.emplace_back(std::string(kMaxColumnIdKey), "4");
  Metadata previous = WithMode("name");
  previous.configuration.emplace_back(std::string(kMaxColumnIdKey), "9");
  ASSERT_TRUE(AssignColumnMappingMetadata(&metadata, &previous).ok());
  auto schema = ParseStructTypeJson(metadata.schema_string);
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(ColumnId((*schema)->field(0)), 10);
  EXPECT_EQ(metadata.Configuration(kMaxColumnIdKey), "10");

  // Without column mapping nothing changes.
  Metadata plain;
  plain.schema_string = metadata.schema_string;
  Metadata unchanged = plain;
  ASSERT_TRUE(AssignColumnMappingMetadata(&plain, nullptr).ok());
  EXPECT_EQ(plain, unchanged);

  Metadata bad = WithMode("id");
  bad.schema_string = plain.schema_string;
  bad.configuration.emplace_back(std::string(kMaxColumnIdKey), "many");
  EXPECT_TRUE(AssignColumnMappingMetadata(&bad, nullptr).IsInvalid());
}

}  // namespace
}  // namespace arcflow::delta
