#include "arcflow/parquet/schema_descriptor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace arcflow::parquet {
namespace {

using R = FieldRepetitionType;

SchemaElement Leaf(std::string name, PhysicalType type, std::optional<R> repetition) {
  SchemaElement element;
  element.name = std::move(name);
  element.type = type;
  element.repetition_type = repetition;
  return element;
}

SchemaElement Group(std::string name, int32_t num_children, std::optional<R> repetition) {
  SchemaElement element;
  element.name = std::move(name);
  element.num_children = num_children;
  element.repetition_type = repetition;
  return element;
}

// message m {
//   required int64 id;
//   optional group tags (LIST) { repeated group list { optional binary element (STRING); } }
//   optional group props (MAP) {
//     repeated group key_value { required binary key; optional group value { optional int32 x;
//     required fixed_len_byte_array(16) y; } }
//   }
//   repeated int32 legacy;
// }
std::vector<SchemaElement> NestedSchema() {
  std::vector<SchemaElement> schema;
  schema.push_back(Group("m", 4, std::nullopt));
  schema.push_back(Leaf("id", PhysicalType::kInt64, R::kRequired));
  SchemaElement tags = Group("tags", 1, R::kOptional);
  tags.converted_type = ConvertedType::kList;
  tags.logical_type = ListType{};
  schema.push_back(tags);
  schema.push_back(Group("list", 1, R::kRepeated));
  SchemaElement element = Leaf("element", PhysicalType::kByteArray, R::kOptional);
  element.logical_type = StringType{};
  element.converted_type = ConvertedType::kUtf8;
  element.field_id = 7;
  schema.push_back(element);
  schema.push_back(Group("props", 1, R::kOptional));
  schema.push_back(Group("key_value", 2, R::kRepeated));
  schema.push_back(Leaf("key", PhysicalType::kByteArray, R::kRequired));
  schema.push_back(Group("value", 2, R::kOptional));
  schema.push_back(Leaf("x", PhysicalType::kInt32, R::kOptional));
  SchemaElement y = Leaf("y", PhysicalType::kFixedLenByteArray, R::kRequired);
  y.type_length = 16;
  schema.push_back(y);
  schema.push_back(Leaf("legacy", PhysicalType::kInt32, R::kRepeated));
  return schema;
}

TEST(SchemaDescriptorTest, ComputesPathsAndLevels) {
  Result<SchemaDescriptor> schema = SchemaDescriptor::FromElements(NestedSchema());
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  ASSERT_EQ(schema->num_columns(), 6);

  struct Expected {
    std::string dotted_path;
    int16_t max_definition_level;
    int16_t max_repetition_level;
    PhysicalType type;
  };
  std::vector<Expected> expected = {
      {"id", 0, 0, PhysicalType::kInt64},
      {"tags.list.element", 3, 1, PhysicalType::kByteArray},
      {"props.key_value.key", 2, 1, PhysicalType::kByteArray},
      {"props.key_value.value.x", 4, 1, PhysicalType::kInt32},
      {"props.key_value.value.y", 3, 1, PhysicalType::kFixedLenByteArray},
      {"legacy", 1, 1, PhysicalType::kInt32},
  };
  for (int i = 0; i < schema->num_columns(); ++i) {
    const ColumnDescriptor& column = schema->column(i);
    EXPECT_EQ(column.column_index, i);
    EXPECT_EQ(column.dotted_path, expected[i].dotted_path);
    EXPECT_EQ(column.max_definition_level, expected[i].max_definition_level) << column.dotted_path;
    EXPECT_EQ(column.max_repetition_level, expected[i].max_repetition_level) << column.dotted_path;
    EXPECT_EQ(column.physical_type, expected[i].type);
    EXPECT_EQ(column.leaf->name, column.path.back());
  }
  EXPECT_EQ(schema->column(2).path, (std::vector<std::string>{"props", "key_value", "key"}));
  EXPECT_EQ(schema->column(4).type_length, 16);
  EXPECT_EQ(schema->column(0).type_length, 0);
  EXPECT_EQ(schema->column(1).leaf->field_id, 7);
  EXPECT_TRUE(schema->column(1).leaf->logical_type->Is<StringType>());
}

TEST(SchemaDescriptorTest, RecordsAncestorsWithTheirLevels) {
  Result<SchemaDescriptor> schema = SchemaDescriptor::FromElements(NestedSchema());
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  const ColumnDescriptor& x = schema->column(3);
  ASSERT_EQ(x.ancestors.size(), 4u);
  EXPECT_EQ(x.ancestors[0].node, &schema->root());
  EXPECT_EQ(x.ancestors[0].definition_level, 0);
  EXPECT_EQ(x.ancestors[1].node->name, "props");
  EXPECT_EQ(x.ancestors[1].definition_level, 1);
  EXPECT_EQ(x.ancestors[1].repetition_level, 0);
  EXPECT_EQ(x.ancestors[2].node->name, "key_value");
  EXPECT_EQ(x.ancestors[2].definition_level, 2);
  EXPECT_EQ(x.ancestors[2].repetition_level, 1);
  EXPECT_EQ(x.ancestors[3].node->name, "value");
  EXPECT_EQ(x.ancestors[3].definition_level, 3);
  EXPECT_EQ(x.ancestors[3].repetition_level, 1);
  EXPECT_EQ(schema->column(0).ancestors.size(), 1u);
}

TEST(SchemaDescriptorTest, CopiesShareTheTree) {
  Result<SchemaDescriptor> schema = SchemaDescriptor::FromElements(NestedSchema());
  ASSERT_TRUE(schema.ok());
  SchemaDescriptor copy = *schema;
  // The pointers in a copy still point into a live tree after the original is gone.
  schema = Status::Invalid("dropped");
  EXPECT_EQ(copy.column(5).leaf->name, "legacy");
  EXPECT_EQ(copy.column(3).ancestors[0].node, &copy.root());
}

TEST(SchemaDescriptorTest, FindsColumnsByPath) {
  Result<SchemaDescriptor> schema = SchemaDescriptor::FromElements(NestedSchema());
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(schema->FindColumn("props.key_value.value.y"), 4);
  std::vector<std::string> path = {"tags", "list", "element"};
  EXPECT_EQ(schema->FindColumn(path), 1);
  EXPECT_FALSE(schema->FindColumn("props").has_value());
  EXPECT_FALSE(schema->FindColumn("nope").has_value());
}

TEST(SchemaDescriptorTest, FlattensBackToTheSameElements) {
  std::vector<SchemaElement> elements = NestedSchema();
  Result<SchemaDescriptor> schema = SchemaDescriptor::FromElements(elements);
  ASSERT_TRUE(schema.ok());
  Result<std::vector<SchemaElement>> flattened = FlattenSchema(schema->root());
  ASSERT_TRUE(flattened.ok()) << flattened.status().ToString();
  EXPECT_EQ(*flattened, elements);
}

TEST(SchemaDescriptorTest, BuildsFromAWriterTree) {
  SchemaNode root;
  root.name = "schema";
  SchemaNode id;
  id.name = "id";
  id.repetition = R::kRequired;
  id.physical_type = PhysicalType::kInt64;
  SchemaNode point;
  point.name = "point";
  point.repetition = R::kOptional;
  for (const char* axis : {"x", "y"}) {
    SchemaNode coordinate;
    coordinate.name = axis;
    coordinate.repetition = R::kRequired;
    coordinate.physical_type = PhysicalType::kDouble;
    point.children.push_back(coordinate);
  }
  root.children = {id, point};

  Result<SchemaDescriptor> schema = SchemaDescriptor::FromRoot(root);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  ASSERT_EQ(schema->num_columns(), 3);
  EXPECT_EQ(schema->column(2).dotted_path, "point.y");
  EXPECT_EQ(schema->column(2).max_definition_level, 1);

  Result<std::vector<SchemaElement>> elements = FlattenSchema(root);
  ASSERT_TRUE(elements.ok()) << elements.status().ToString();
  ASSERT_EQ(elements->size(), 5u);
  EXPECT_EQ((*elements)[0].num_children, 2);
  EXPECT_FALSE((*elements)[0].repetition_type.has_value());
  EXPECT_EQ((*elements)[2].name, "point");
  EXPECT_EQ((*elements)[2].num_children, 2);
  EXPECT_FALSE((*elements)[2].type.has_value());
  EXPECT_EQ((*elements)[4].type, PhysicalType::kDouble);
  EXPECT_FALSE((*elements)[4].num_children.has_value());

  Result<SchemaDescriptor> reread = SchemaDescriptor::FromElements(*elements);
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread->root(), schema->root());
}

TEST(SchemaDescriptorTest, RejectsInvalidWriterTrees) {
  SchemaNode root;
  root.name = "schema";
  SchemaNode leaf;
  leaf.name = "x";
  leaf.physical_type = PhysicalType::kFixedLenByteArray;
  leaf.repetition = R::kRequired;
  root.children.push_back(leaf);
  // FIXED_LEN_BYTE_ARRAY needs a length; the writer's mistake is Invalid, not Corruption.
  EXPECT_TRUE(SchemaDescriptor::FromRoot(root).status().IsInvalid());
  root.children[0].type_length = 4;
  EXPECT_TRUE(SchemaDescriptor::FromRoot(root).ok());
  root.children[0].repetition.reset();
  EXPECT_TRUE(FlattenSchema(root).status().IsInvalid());

  SchemaNode leaf_root;
  leaf_root.name = "r";
  leaf_root.physical_type = PhysicalType::kInt32;
  EXPECT_TRUE(SchemaDescriptor::FromRoot(leaf_root).status().IsInvalid());
  EXPECT_TRUE(FlattenSchema(leaf_root).status().IsInvalid());
}

TEST(SchemaDescriptorTest, TreatsMissingRepetitionAsRequired) {
  std::vector<SchemaElement> elements = {Group("m", 1, std::nullopt),
                                         Leaf("a", PhysicalType::kInt32, std::nullopt)};
  Result<SchemaDescriptor> schema = SchemaDescriptor::FromElements(elements);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->column(0).max_definition_level, 0);
}

TEST(SchemaDescriptorTest, AcceptsLeafWithZeroChildrenAndEmptyGroup) {
  SchemaElement leaf = Leaf("a", PhysicalType::kInt32, R::kOptional);
  leaf.num_children = 0;
  std::vector<SchemaElement> elements = {Group("m", 2, std::nullopt), leaf,
                                         Group("empty", 0, R::kOptional)};
  Result<SchemaDescriptor> schema = SchemaDescriptor::FromElements(elements);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->num_columns(), 1);
  EXPECT_EQ(schema->root().children.size(), 2u);
  EXPECT_TRUE(schema->root().children[1].is_group());
}

void ExpectCorruption(const std::vector<SchemaElement>& elements, const std::string& fragment) {
  Result<SchemaDescriptor> schema = SchemaDescriptor::FromElements(elements);
  ASSERT_FALSE(schema.ok());
  EXPECT_TRUE(schema.status().IsCorruption()) << schema.status().ToString();
  EXPECT_NE(schema.status().message().find(fragment), std::string::npos)
      << schema.status().ToString();
}

TEST(SchemaDescriptorTest, RejectsHostileElementLists) {
  ExpectCorruption({}, "no elements");
  // num_children past the end.
  ExpectCorruption({Group("m", 3, std::nullopt), Leaf("a", PhysicalType::kInt32, R::kRequired)},
                   "runs past the end");
  // A nested group whose count, added to what its parent still expects, is too many.
  ExpectCorruption({Group("m", 2, std::nullopt), Group("g", 1, R::kOptional),
                    Leaf("a", PhysicalType::kInt32, R::kRequired)},
                   "runs past the end");
  ExpectCorruption({Group("m", std::numeric_limits<int32_t>::max(), std::nullopt)},
                   "runs past the end");
  ExpectCorruption({Group("m", -1, std::nullopt)}, "negative num_children");
  // Elements left over after the root's tree.
  ExpectCorruption({Group("m", 1, std::nullopt), Leaf("a", PhysicalType::kInt32, R::kRequired),
                    Leaf("b", PhysicalType::kInt32, R::kRequired)},
                   "covers only 2");
  // Root is a leaf.
  ExpectCorruption({Leaf("m", PhysicalType::kInt32, std::nullopt)}, "not a group");
  // A group with a type.
  SchemaElement typed_group = Group("g", 1, R::kOptional);
  typed_group.type = PhysicalType::kInt32;
  ExpectCorruption(
      {Group("m", 1, std::nullopt), typed_group, Leaf("a", PhysicalType::kInt32, R::kRequired)},
      "has physical type");
  // A leaf without a type.
  SchemaElement untyped = Leaf("a", PhysicalType::kInt32, R::kRequired);
  untyped.type.reset();
  ExpectCorruption({Group("m", 1, std::nullopt), untyped}, "without a physical type");
  // Unknown physical type and repetition.
  ExpectCorruption(
      {Group("m", 1, std::nullopt), Leaf("a", static_cast<PhysicalType>(-7), R::kRequired)},
      "unknown physical type -7");
  ExpectCorruption(
      {Group("m", 1, std::nullopt), Leaf("a", PhysicalType::kInt32, static_cast<R>(9))},
      "unknown repetition type 9");
  // FIXED_LEN_BYTE_ARRAY without a positive length.
  ExpectCorruption(
      {Group("m", 1, std::nullopt), Leaf("a", PhysicalType::kFixedLenByteArray, R::kRequired)},
      "type_length");
}

TEST(SchemaDescriptorTest, RefusesVectorRepetition) {
  std::vector<SchemaElement> elements = {Group("m", 1, std::nullopt),
                                         Leaf("v", PhysicalType::kFloat, R::kVector)};
  EXPECT_TRUE(SchemaDescriptor::FromElements(elements).status().IsNotImplemented());
}

TEST(SchemaDescriptorTest, LimitsNestingDepth) {
  // A chain of single-child groups deeper than the limit, with enough elements for every
  // declared child, so only the depth is wrong.
  auto chain = [](int groups) {
    std::vector<SchemaElement> elements = {Group("m", 1, std::nullopt)};
    for (int i = 1; i < groups; ++i) elements.push_back(Group("g", 1, R::kOptional));
    elements.push_back(Leaf("leaf", PhysicalType::kInt32, R::kOptional));
    return elements;
  };
  ExpectCorruption(chain(SchemaDescriptor::kMaxDepth + 1), "nests deeper");
  ExpectCorruption(chain(10000), "nests deeper");
  Result<SchemaDescriptor> deepest =
      SchemaDescriptor::FromElements(chain(SchemaDescriptor::kMaxDepth));
  ASSERT_TRUE(deepest.ok()) << deepest.status().ToString();
  EXPECT_EQ(deepest->column(0).max_definition_level, SchemaDescriptor::kMaxDepth);
}

TEST(SchemaDescriptorTest, HandlesWideSchemas) {
  std::vector<SchemaElement> elements = {Group("m", 5000, std::nullopt)};
  for (int i = 0; i < 5000; ++i) {
    elements.push_back(Leaf("c" + std::to_string(i), PhysicalType::kInt32, R::kOptional));
  }
  Result<SchemaDescriptor> schema = SchemaDescriptor::FromElements(elements);
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(schema->num_columns(), 5000);
  EXPECT_EQ(schema->column(4999).dotted_path, "c4999");
}

}  // namespace
}  // namespace arcflow::parquet
