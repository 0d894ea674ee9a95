#include "arcflow/parquet/bridge/level_builder.h"

#include <optional>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "arcflow/base/bit_util.h"
#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/random_batch_generator.h"
#include "arcflow/columnar/random_schema_generator.h"

namespace arcflow::parquet {
namespace {

using ::testing::ElementsAre;

struct Shredded {
  std::vector<int16_t> definition;
  std::vector<int16_t> repetition;
  std::vector<std::pair<int64_t, int64_t>> runs;
};

Shredded Collect(const LeafShredder& shredder) {
  Shredded result;
  const int64_t n = shredder.num_levels();
  if (shredder.levels_in_bitmap()) {
    EXPECT_EQ(shredder.definition_levels(), nullptr);
    for (int64_t i = 0; i < n; ++i) {
      const uint8_t* bits = shredder.validity_bits();
      result.definition.push_back(
          bits == nullptr ? 1 : bit_util::GetBit(bits, shredder.validity_offset() + i));
    }
  } else if (shredder.definition_levels() != nullptr) {
    result.definition.assign(shredder.definition_levels(), shredder.definition_levels() + n);
  }
  if (shredder.repetition_levels() != nullptr) {
    result.repetition.assign(shredder.repetition_levels(), shredder.repetition_levels() + n);
  }
  for (const ValueRun& run : shredder.runs()) result.runs.emplace_back(run.offset, run.length);
  return result;
}

// Shreds leaf `leaf_index` of a column of `field` holding `array`.
Shredded Shred(const Field& field, const ArrayPtr& array, size_t leaf_index = 0) {
  std::vector<LeafPath> paths = LeafPathsOf(field);
  EXPECT_LT(leaf_index, paths.size());
  LeafShredder shredder(paths[leaf_index]);
  Status status = shredder.Shred(*array->data());
  EXPECT_TRUE(status.ok()) << status.ToString();
  Shredded result = Collect(shredder);
  int64_t values = 0;
  for (const auto& run : result.runs) values += run.second;
  EXPECT_EQ(values, shredder.num_values());
  return result;
}

ArrayPtr Int32Column(const std::vector<std::optional<int32_t>>& values) {
  Int32Builder builder(types::Int32());
  for (const auto& value : values) {
    if (value) {
      builder.Append(*value);
    } else {
      builder.AppendNull();
    }
  }
  return *builder.Finish();
}

TEST(LevelBuilderTest, LeafPathsFollowParquetColumnOrder) {
  const Field field(
      "s",
      types::Struct({Field("a", types::Int32()),
                     Field("m", types::Map(types::String(), types::List(types::Int64(), false))),
                     Field("b", types::Boolean(), false)}));
  const std::vector<LeafPath> paths = LeafPathsOf(field);
  ASSERT_EQ(paths.size(), 4u);
  EXPECT_EQ(paths[0].back().name, "a");
  EXPECT_EQ(paths[1].size(), 3u);  // s, m (key), key
  EXPECT_EQ(paths[1][1].kind, LevelStep::Kind::kMap);
  EXPECT_EQ(paths[1][1].child, 0);
  EXPECT_FALSE(paths[1][2].nullable);  // Map keys are required.
  EXPECT_EQ(paths[2].size(), 4u);      // s, m (value), value (list), element
  EXPECT_EQ(paths[2][1].child, 1);
  EXPECT_FALSE(paths[2][3].nullable);
  EXPECT_EQ(paths[3].back().name, "b");

  LeafShredder value_shredder(paths[2]);
  // s?, m?, key_value, value?, list, element (required).
  EXPECT_EQ(value_shredder.max_definition_level(), 5);
  EXPECT_EQ(value_shredder.max_repetition_level(), 2);
}

TEST(LevelBuilderTest, RequiredFlatColumnHasNoLevels) {
  const ArrayPtr array = Int32Column({1, 2, 3, 4});
  const Shredded shredded = Shred(Field("x", types::Int32(), false), array);
  EXPECT_TRUE(shredded.definition.empty());
  EXPECT_TRUE(shredded.repetition.empty());
  EXPECT_THAT(shredded.runs, ElementsAre(std::make_pair(0, 4)));
}

TEST(LevelBuilderTest, NullInRequiredColumnIsInvalid) {
  const ArrayPtr array = Int32Column({1, std::nullopt});
  LeafShredder shredder(LeafPathsOf(Field("x", types::Int32(), false))[0]);
  EXPECT_TRUE(shredder.Shred(*array->data()).IsInvalid());
}

TEST(LevelBuilderTest, OptionalFlatColumnUsesTheValidityBitmap) {
  const ArrayPtr array =
      Int32Column({1, std::nullopt, 3, 4, std::nullopt, std::nullopt, 7, 8, 9, std::nullopt, 11});
  const Field field("x", types::Int32());
  const Shredded shredded = Shred(field, array);
  EXPECT_THAT(shredded.definition, ElementsAre(1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1));
  EXPECT_THAT(shredded.runs, ElementsAre(std::make_pair(0, 1), std::make_pair(2, 2),
                                         std::make_pair(6, 3), std::make_pair(10, 1)));
  // A slice reads the bitmap at its offset and numbers runs from its start.
  const Shredded sliced = Shred(field, array->Slice(3, 6));
  EXPECT_THAT(sliced.definition, ElementsAre(1, 0, 0, 1, 1, 1));
  EXPECT_THAT(sliced.runs, ElementsAre(std::make_pair(0, 1), std::make_pair(3, 3)));
  // Without nulls the levels are all 1 and one run covers everything.
  const Shredded dense = Shred(field, array->Slice(6, 3));
  EXPECT_THAT(dense.definition, ElementsAre(1, 1, 1));
  EXPECT_THAT(dense.runs, ElementsAre(std::make_pair(0, 3)));
}

TEST(LevelBuilderTest, FlatRunsSpanWholeWords) {
  // Long stretches of values and of nulls, at every alignment, exercise the word-wise scan.
  std::vector<std::optional<int32_t>> values;
  for (int i = 0; i < 1000; ++i) {
    const bool valid = (i / 70) % 3 != 1 && i % 97 != 5;
    values.push_back(valid ? std::optional<int32_t>(i) : std::nullopt);
  }
  const ArrayPtr array = Int32Column(values);
  const Field field("x", types::Int32());
  for (int64_t offset : {0, 1, 7, 63, 64, 65}) {
    const Shredded shredded = Shred(field, array->Slice(offset, 1000 - offset));
    std::vector<std::pair<int64_t, int64_t>> expected_runs;
    for (int64_t i = offset; i < 1000; ++i) {
      ASSERT_EQ(shredded.definition[static_cast<size_t>(i - offset)], values[i] ? 1 : 0);
      if (!values[i]) continue;
      if (!expected_runs.empty() &&
          expected_runs.back().first + expected_runs.back().second == i - offset) {
        ++expected_runs.back().second;
      } else {
        expected_runs.emplace_back(i - offset, 1);
      }
    }
    EXPECT_EQ(shredded.runs, expected_runs) << offset;
  }
}

TEST(LevelBuilderTest, StructNullsEndThePathAboveTheMember) {
  const DataTypePtr type =
      types::Struct({Field("a", types::Int32()), Field("b", types::Int32(), false)});
  auto builder = MakeBuilder(type);
  auto& structs = static_cast<StructBuilder&>(*builder);
  auto& a = static_cast<Int32Builder&>(*structs.field_builder(0));
  auto& b = static_cast<Int32Builder&>(*structs.field_builder(1));
  a.Append(1);  // {1, 10}
  b.Append(10);
  structs.Append();
  structs.AppendNull();  // null
  a.AppendNull();        // {null, 30}
  b.Append(30);
  structs.Append();
  a.Append(4);  // {4, 40}
  b.Append(40);
  structs.Append();
  const ArrayPtr array = *builder->Finish();
  const Field field("s", type);
  const Shredded first = Shred(field, array, 0);
  EXPECT_THAT(first.definition, ElementsAre(2, 0, 1, 2));
  EXPECT_THAT(first.runs, ElementsAre(std::make_pair(0, 1), std::make_pair(3, 1)));
  // The required member b is only defined where s is; its placeholder under the null struct
  // is not a value, even though it is null in a non-nullable field.
  const Shredded second = Shred(field, array, 1);
  EXPECT_THAT(second.definition, ElementsAre(1, 0, 1, 1));
  EXPECT_THAT(second.runs, ElementsAre(std::make_pair(0, 1), std::make_pair(2, 2)));
  // Sliced struct: members are read at the struct's offset.
  const Shredded sliced = Shred(field, array->Slice(1, 3), 1);
  EXPECT_THAT(sliced.definition, ElementsAre(0, 1, 1));
  EXPECT_THAT(sliced.runs, ElementsAre(std::make_pair(2, 2)));
}

ArrayPtr ListOfInts(const std::vector<std::optional<std::vector<std::optional<int32_t>>>>& rows,
                    bool contains_null = true) {
  const DataTypePtr type = types::List(types::Int32(), contains_null);
  auto builder = MakeBuilder(type);
  auto& lists = static_cast<ListBuilder&>(*builder);
  auto& values = static_cast<Int32Builder&>(*lists.value_builder());
  for (const auto& row : rows) {
    if (!row) {
      lists.AppendNull();
      continue;
    }
    for (const auto& value : *row) {
      if (value) {
        values.Append(*value);
      } else {
        values.AppendNull();
      }
    }
    lists.Append();
  }
  return *builder->Finish();
}

TEST(LevelBuilderTest, ListsFollowTheDremelEncoding) {
  const ArrayPtr array = ListOfInts({std::nullopt, std::vector<std::optional<int32_t>>{},
                                     std::vector<std::optional<int32_t>>{1, std::nullopt, 3},
                                     std::vector<std::optional<int32_t>>{4}});
  const Field field("l", array->type());
  const Shredded shredded = Shred(field, array);
  // null list: 0; empty list: 1; null element: 2; element: 3.
  EXPECT_THAT(shredded.definition, ElementsAre(0, 1, 3, 2, 3, 3));
  EXPECT_THAT(shredded.repetition, ElementsAre(0, 0, 0, 1, 1, 0));
  EXPECT_THAT(shredded.runs, ElementsAre(std::make_pair(0, 1), std::make_pair(2, 2)));

  const Shredded sliced = Shred(field, array->Slice(2, 2));
  EXPECT_THAT(sliced.definition, ElementsAre(3, 2, 3, 3));
  EXPECT_THAT(sliced.repetition, ElementsAre(0, 1, 1, 0));
  EXPECT_THAT(sliced.runs, ElementsAre(std::make_pair(0, 1), std::make_pair(2, 2)));
}

TEST(LevelBuilderTest, RequiredListAndElementsDropTheirLevels) {
  const ArrayPtr array =
      ListOfInts({std::vector<std::optional<int32_t>>{5, 6}, std::vector<std::optional<int32_t>>{}},
                 /*contains_null=*/false);
  const Shredded shredded = Shred(Field("l", array->type(), false), array);
  // Only the repeated group adds a definition level.
  EXPECT_THAT(shredded.definition, ElementsAre(1, 1, 0));
  EXPECT_THAT(shredded.repetition, ElementsAre(0, 1, 0));
  EXPECT_THAT(shredded.runs, ElementsAre(std::make_pair(0, 2)));
}

TEST(LevelBuilderTest, NestedListsRepeatAtTheirDepth) {
  const DataTypePtr type = types::List(types::List(types::Int32()));
  auto builder = MakeBuilder(type);
  auto& outer = static_cast<ListBuilder&>(*builder);
  auto& inner = static_cast<ListBuilder&>(*outer.value_builder());
  auto& values = static_cast<Int32Builder&>(*inner.value_builder());
  // [[1, 2], [3]], [[], null], [[4]]
  values.Append(1);
  values.Append(2);
  inner.Append();
  values.Append(3);
  inner.Append();
  outer.Append();
  inner.Append();
  inner.AppendNull();
  outer.Append();
  values.Append(4);
  inner.Append();
  outer.Append();
  const ArrayPtr array = *builder->Finish();
  const Shredded shredded = Shred(Field("ll", type), array);
  // Levels: outer? 1, outer list 2, inner? 3, inner list 4, element? 5.
  EXPECT_THAT(shredded.definition, ElementsAre(5, 5, 5, 3, 2, 5));
  EXPECT_THAT(shredded.repetition, ElementsAre(0, 2, 1, 0, 1, 0));
  EXPECT_THAT(shredded.runs, ElementsAre(std::make_pair(0, 4)));
}

TEST(LevelBuilderTest, MapsShredKeysAndValues) {
  const DataTypePtr type = types::Map(types::String(), types::Int32());
  auto builder = MakeBuilder(type);
  auto& maps = static_cast<ListBuilder&>(*builder);
  auto& keys = static_cast<StringBuilder&>(*MapKeyBuilder(maps));
  auto& values = static_cast<Int32Builder&>(*MapValueBuilder(maps));
  keys.Append("a");  // {a: 1, b: null}
  values.Append(1);
  AppendMapEntry(maps);
  keys.Append("b");
  values.AppendNull();
  AppendMapEntry(maps);
  maps.Append();
  maps.AppendNull();  // null
  maps.Append();      // {}
  const ArrayPtr array = *builder->Finish();
  const Field field("m", type);
  const Shredded key_levels = Shred(field, array, 0);
  EXPECT_THAT(key_levels.definition, ElementsAre(2, 2, 0, 1));
  EXPECT_THAT(key_levels.repetition, ElementsAre(0, 1, 0, 0));
  EXPECT_THAT(key_levels.runs, ElementsAre(std::make_pair(0, 2)));
  const Shredded value_levels = Shred(field, array, 1);
  EXPECT_THAT(value_levels.definition, ElementsAre(3, 2, 0, 1));
  EXPECT_THAT(value_levels.runs, ElementsAre(std::make_pair(0, 1)));
}

TEST(LevelBuilderTest, NullMapKeyIsInvalid) {
  const DataTypePtr type = types::Map(types::String(), types::Int32());
  auto builder = MakeBuilder(type);
  auto& maps = static_cast<ListBuilder&>(*builder);
  MapKeyBuilder(maps)->AppendNull();
  static_cast<Int32Builder&>(*MapValueBuilder(maps)).Append(1);
  AppendMapEntry(maps);
  maps.Append();
  const ArrayPtr array = *builder->Finish();
  LeafShredder shredder(LeafPathsOf(Field("m", type))[0]);
  EXPECT_TRUE(shredder.Shred(*array->data()).IsInvalid());
}

TEST(LevelBuilderTest, NullListWithElementsSkipsThem) {
  // Arrow allows a null list to span elements; they are not part of the data.
  const ArrayPtr values = Int32Column({1, 2, 3});
  auto data = std::make_shared<ArrayData>();
  data->type = types::List(types::Int32());
  data->length = 2;
  data->null_count = 1;
  const uint8_t validity = 0b10;
  const int32_t offsets[] = {0, 2, 3};
  data->buffers = {Buffer::CopyOf(std::span<const uint8_t>(&validity, 1)),
                   Buffer::CopyOf(std::span<const uint8_t>(
                       reinterpret_cast<const uint8_t*>(offsets), sizeof(offsets)))};
  data->children = {values->data()};
  LeafShredder shredder(LeafPathsOf(Field("l", data->type))[0]);
  ASSERT_TRUE(shredder.Shred(*data).ok());
  const Shredded shredded = Collect(shredder);
  EXPECT_THAT(shredded.definition, ElementsAre(0, 3));
  EXPECT_THAT(shredded.runs, ElementsAre(std::make_pair(2, 1)));
}

TEST(LevelBuilderTest, ListOffsetsOutsideTheChildAreInvalid) {
  const ArrayPtr values = Int32Column({1, 2});
  auto data = std::make_shared<ArrayData>();
  data->type = types::List(types::Int32());
  data->length = 1;
  const int32_t offsets[] = {0, 5};
  data->buffers = {nullptr, Buffer::CopyOf(std::span<const uint8_t>(
                                reinterpret_cast<const uint8_t*>(offsets), sizeof(offsets)))};
  data->children = {values->data()};
  LeafShredder shredder(LeafPathsOf(Field("l", data->type))[0]);
  EXPECT_TRUE(shredder.Shred(*data).IsInvalid());
}

// The leaves of a column shredded one after another with one cache (each list expanded once,
// by the first leaf below it) give exactly what each gives shredded alone: random nested schemas
// and data with nulls at every level, as windows whose offsets are pushed into the children.
TEST(LevelBuilderTest, LeavesSharingACacheShredAsAlone) {
  for (int seed = 0; seed < 60; ++seed) {
    arcflow::testing::RandomSchemaGenerator schemas(static_cast<uint64_t>(seed) * 31 + 5,
                                                    {.max_depth = 4, .max_fields = 4});
    const SchemaPtr schema = schemas.NextParquetSchema();
    arcflow::testing::RandomDataGenerator data(static_cast<uint64_t>(seed) * 977 + 1);
    const RecordBatchPtr batch = data.Batch(schema, 90)->Slice(7, 80);
    SCOPED_TRACE("seed " + std::to_string(seed) + ", schema " + schema->ToString());
    ShreddingCache cache;
    for (int c = 0; c < schema->num_fields(); ++c) {
      std::shared_ptr<const ArrayData> column = batch->column(c)->data();
      if (seed % 2 == 1) column = arcflow::testing::PushOffsetsDown(column);
      cache.Clear();
      for (const LeafPath& path : LeafPathsOf(schema->field(c))) {
        LeafShredder shared(path);
        LeafShredder alone(path);
        ASSERT_TRUE(shared.Shred(*column, &cache).ok());
        ASSERT_TRUE(alone.Shred(*column).ok());
        const Shredded expected = Collect(alone);
        const Shredded actual = Collect(shared);
        EXPECT_EQ(actual.definition, expected.definition) << path.back().name;
        EXPECT_EQ(actual.repetition, expected.repetition) << path.back().name;
        EXPECT_EQ(actual.runs, expected.runs) << path.back().name;
        EXPECT_EQ(&shared.leaf(), &alone.leaf());
      }
    }
  }
}

}  // namespace
}  // namespace arcflow::parquet
