#include "arcflow/parquet/bridge/column_reader.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "arcflow/columnar/row_printer.h"
#include "arcflow/io/file_system.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/parquet/bridge/parquet_reader.h"
#include "arcflow/parquet/bridge/test_file_builder.h"

namespace arcflow::parquet {
namespace {

using testing::Chunk;
using testing::DictionaryIndices;
using testing::Group;
using testing::kOptional;
using testing::kRepeated;
using testing::kRequired;
using testing::Leaf;
using testing::Plain;
using testing::PlainBooleans;
using testing::PlainByteArrays;
using testing::Root;
using testing::TestFileBuilder;
using testing::TestPage;

// Reads every row of the file `builder` makes as canonical JSON, in batches of `batch_rows`.
Result<std::vector<std::string>> ReadRows(TestFileBuilder& builder, int64_t batch_rows = 1024) {
  io::ScratchDirectory scratch;
  const std::string path = scratch.Join("test.parquet");
  builder.WriteTo(path);
  ParquetReadOptions options;
  options.batch_rows = batch_rows;
  ARCFLOW_ASSIGN_OR_RETURN(auto reader,
                           ParquetFileReader::Open(io::LocalFileSystem(), path, options));
  ARCFLOW_ASSIGN_OR_RETURN(auto batches, reader->GetRecordBatchReader());
  std::vector<std::string> rows;
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(auto batch, batches->Next());
    if (batch == nullptr) break;
    ARCFLOW_RETURN_NOT_OK(batch->Validate());
    if (batch->num_rows() > batch_rows) return Status::Internal("batch too large");
    AppendCanonicalRows(*batch, &rows);
  }
  return rows;
}

SchemaNode OptionalListOfOptionalInt(const std::string& name) {
  return Group(name, kOptional,
               {Group("list", kRepeated, {Leaf("element", kOptional, PhysicalType::kInt32)})},
               ListType{});
}

TEST(ColumnReaderTest, DistinguishesNullListsEmptyListsAndNullElements) {
  TestFileBuilder builder(Root({OptionalListOfOptionalInt("l")}));
  TestPage page;
  // null, [], [null], [1, null, 2], [3]
  page.definition_levels = {0, 1, 2, 3, 2, 3, 3};
  page.repetition_levels = {0, 0, 0, 0, 1, 1, 0};
  page.values = Plain<int32_t>({1, 2, 3});
  builder.AddRowGroup(5, {Chunk({page})});
  auto rows = ReadRows(builder);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{R"({"l":null})", R"({"l":[]})", R"({"l":[null]})",
                                             R"({"l":[1,null,2]})", R"({"l":[3]})"}));
}

TEST(ColumnReaderTest, AssemblesStructsInsideListsInsideStructs) {
  // optional group s { optional group items (LIST) { repeated group list {
  //   optional group element { optional int32 a; required binary b (STRING); } } } }
  SchemaNode element = Group("element", kOptional,
                             {Leaf("a", kOptional, PhysicalType::kInt32),
                              Leaf("b", kRequired, PhysicalType::kByteArray, StringType{})});
  SchemaNode items = Group("items", kOptional, {Group("list", kRepeated, {element})}, ListType{});
  TestFileBuilder builder(Root({Group("s", kOptional, {items})}));
  // Levels: s (def 1), items (2), list (3, rep 1), element (4), a (5) / b (4).
  // Rows: null; {items: null}; {items: []}; {items: [null, {a: 7, b: "x"}, {a: null, b: "y"}]}
  TestPage a;
  a.definition_levels = {0, 1, 2, 3, 5, 4};
  a.repetition_levels = {0, 0, 0, 0, 1, 1};
  a.values = Plain<int32_t>({7});
  TestPage b;
  b.definition_levels = {0, 1, 2, 3, 4, 4};
  b.repetition_levels = {0, 0, 0, 0, 1, 1};
  b.values = PlainByteArrays({"x", "y"});
  builder.AddRowGroup(4, {Chunk({a}), Chunk({b})});
  auto rows = ReadRows(builder);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{
                       R"({"s":null})",
                       R"({"s":{"items":null}})",
                       R"({"s":{"items":[]}})",
                       R"({"s":{"items":[null,{"a":7,"b":"x"},{"a":null,"b":"y"}]}})",
                   }));
}

TEST(ColumnReaderTest, ReadsMapsWithNullValues) {
  SchemaNode map = Group("m", kOptional,
                         {Group("key_value", kRepeated,
                                {Leaf("key", kRequired, PhysicalType::kByteArray, StringType{}),
                                 Leaf("value", kOptional, PhysicalType::kInt64)})},
                         MapType{});
  TestFileBuilder builder(Root({map}));
  // {"a": 1, "b": null}, null, {}
  TestPage keys;
  keys.definition_levels = {2, 2, 0, 1};
  keys.repetition_levels = {0, 1, 0, 0};
  keys.values = PlainByteArrays({"a", "b"});
  TestPage values;
  values.definition_levels = {3, 2, 0, 1};
  values.repetition_levels = {0, 1, 0, 0};
  values.values = Plain<int64_t>({1});
  builder.AddRowGroup(3, {Chunk({keys}), Chunk({values})});
  auto rows = ReadRows(builder);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows,
            (std::vector<std::string>{R"({"m":[{"key":"a","value":1},{"key":"b","value":null}]})",
                                      R"({"m":null})", R"({"m":[]})"}));
}

TEST(ColumnReaderTest, RecordsSpanningPagesStayWholeInEveryBatchSize) {
  TestFileBuilder builder(Root({OptionalListOfOptionalInt("l")}));
  // Rows [1, 2, 3], [4], [5, 6] with the first and last rows split across v1 pages.
  TestPage first;
  first.definition_levels = {3, 3};
  first.repetition_levels = {0, 1};
  first.values = Plain<int32_t>({1, 2});
  TestPage second;
  second.definition_levels = {3, 3, 3};
  second.repetition_levels = {1, 0, 0};
  second.values = Plain<int32_t>({3, 4, 5});
  TestPage third;
  third.definition_levels = {3};
  third.repetition_levels = {1};
  third.values = Plain<int32_t>({6});
  builder.AddRowGroup(3, {Chunk({first, second, third})});
  const std::vector<std::string> expected = {R"({"l":[1,2,3]})", R"({"l":[4]})", R"({"l":[5,6]})"};
  for (int64_t batch_rows : {1, 2, 3, 100}) {
    auto rows = ReadRows(builder, batch_rows);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(*rows, expected) << "batch_rows=" << batch_rows;
  }
}

TEST(ColumnReaderTest, SpreadsFlatValuesAroundNulls) {
  TestFileBuilder builder(Root({Leaf("i", kOptional, PhysicalType::kInt32),
                                Leaf("b", kOptional, PhysicalType::kBoolean),
                                Leaf("s", kOptional, PhysicalType::kByteArray, StringType{}),
                                Leaf("r", kRequired, PhysicalType::kDouble)}));
  TestPage ints;
  ints.definition_levels = {1, 0, 1, 0, 0, 1, 1, 1, 0, 1};
  ints.values = Plain<int32_t>({1, 2, 3, 4, 5, 6});
  TestPage bools;
  bools.definition_levels = {0, 1, 1, 0, 1, 1, 0, 1, 1, 1};
  bools.values = PlainBooleans({true, false, true, true, false, true, true});
  TestPage dictionary;
  dictionary.type = PageType::kDictionaryPage;
  dictionary.value_count = 2;
  dictionary.values = PlainByteArrays({"red", "green"});
  TestPage strings;
  strings.encoding = Encoding::kRleDictionary;
  strings.definition_levels = {1, 1, 0, 1, 1, 1, 1, 1, 1, 0};
  strings.values = DictionaryIndices(1, {0, 1, 1, 0, 0, 1, 1, 0});
  TestPage doubles;
  doubles.value_count = 10;
  doubles.values = Plain<double>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9.5});
  builder.AddRowGroup(
      10, {Chunk({ints}), Chunk({bools}), Chunk({dictionary, strings}), Chunk({doubles})});
  auto rows = ReadRows(builder, 4);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 10u);
  EXPECT_EQ((*rows)[0], R"({"i":1,"b":null,"s":"red","r":0})");
  EXPECT_EQ((*rows)[1], R"({"i":null,"b":true,"s":"green","r":1})");
  EXPECT_EQ((*rows)[2], R"({"i":2,"b":false,"s":null,"r":2})");
  EXPECT_EQ((*rows)[3], R"({"i":null,"b":null,"s":"green","r":3})");
  EXPECT_EQ((*rows)[8], R"({"i":null,"b":true,"s":"red","r":8})");
  EXPECT_EQ((*rows)[9], R"({"i":6,"b":true,"s":null,"r":9.5})");
}

// Flat optional columns keep validity bits only once a null shows up in a batch; batches that
// start in a page without nulls and end in one with nulls, or the other way round, must still
// line every value up with its row.
TEST(ColumnReaderTest, SpreadsValuesWhenNullsStartMidBatch) {
  TestFileBuilder builder(Root({Leaf("i", kOptional, PhysicalType::kInt64),
                                Leaf("s", kOptional, PhysicalType::kByteArray, StringType{})}));
  // Rows 0-5 have no nulls, rows 6-11 some, rows 12-17 none again.
  const std::vector<std::vector<int16_t>> levels = {
      {1, 1, 1, 1, 1, 1}, {1, 0, 0, 1, 1, 0}, {1, 1, 1, 1, 1, 1}};
  std::vector<TestPage> int_pages;
  std::vector<TestPage> string_pages;
  std::vector<std::string> expected;
  int64_t row = 0;
  for (const auto& page_levels : levels) {
    TestPage ints;
    TestPage strings;
    ints.definition_levels = page_levels;
    strings.definition_levels = page_levels;
    std::string int_values;
    std::string string_values;
    for (int16_t level : page_levels) {
      if (level == 1) {
        const int64_t value = row * 10;
        int_values.append(reinterpret_cast<const char*>(&value), sizeof(value));
        const std::string text = "v" + std::to_string(row);
        const auto length = static_cast<uint32_t>(text.size());
        string_values.append(reinterpret_cast<const char*>(&length), 4);
        string_values.append(text);
        expected.push_back(fmt::format(R"({{"i":{},"s":"v{}"}})", row * 10, row));
      } else {
        expected.push_back(R"({"i":null,"s":null})");
      }
      ++row;
    }
    ints.values = int_values;
    strings.values = string_values;
    int_pages.push_back(ints);
    string_pages.push_back(strings);
  }
  builder.AddRowGroup(row, {Chunk(int_pages), Chunk(string_pages)});
  for (int64_t batch_rows : {1, 4, 5, 7, 12, 100}) {
    auto rows = ReadRows(builder, batch_rows);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(*rows, expected) << "batch_rows=" << batch_rows;
  }
}

TEST(ColumnReaderTest, ReadsLegacyListForms) {
  // A two-level list of a primitive, a list whose repeated group is named "array", and a
  // repeated field outside any LIST annotation.
  SchemaNode two_level =
      Group("two", kOptional, {Leaf("item", kRepeated, PhysicalType::kInt32)}, ListType{});
  SchemaNode array_named =
      Group("arr", kRequired,
            {Group("array", kRepeated, {Leaf("x", kRequired, PhysicalType::kInt32)})}, ListType{});
  SchemaNode bare = Leaf("bare", kRepeated, PhysicalType::kInt64);
  TestFileBuilder builder(Root({two_level, array_named, bare}));
  EXPECT_EQ(builder.schema().num_columns(), 3);
  TestPage two;  // [1, 2], null
  two.definition_levels = {2, 2, 0};
  two.repetition_levels = {0, 1, 0};
  two.values = Plain<int32_t>({1, 2});
  TestPage arr;  // [{x: 5}], []
  arr.definition_levels = {1, 0};
  arr.repetition_levels = {0, 0};
  arr.values = Plain<int32_t>({5});
  TestPage bare_page;  // [], [7, 8]
  bare_page.definition_levels = {0, 1, 1};
  bare_page.repetition_levels = {0, 0, 1};
  bare_page.values = Plain<int64_t>({7, 8});
  builder.AddRowGroup(2, {Chunk({two}), Chunk({arr}), Chunk({bare_page})});
  auto rows = ReadRows(builder);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{R"({"two":[1,2],"arr":[{"x":5}],"bare":[]})",
                                             R"({"two":null,"arr":[],"bare":[7,8]})"}));
}

TEST(ColumnReaderTest, RejectsRecordsStartingWithARepeatedLevel) {
  TestFileBuilder builder(Root({OptionalListOfOptionalInt("l")}));
  TestPage page;
  page.definition_levels = {3, 3};
  page.repetition_levels = {1, 0};
  page.values = Plain<int32_t>({1, 2});
  builder.AddRowGroup(1, {Chunk({page})});
  auto rows = ReadRows(builder);
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(rows.status().IsCorruption()) << rows.status().ToString();
}

TEST(ColumnReaderTest, RejectsPagesWithTooFewValues) {
  TestFileBuilder builder(Root({Leaf("i", kOptional, PhysicalType::kInt32)}));
  TestPage page;
  page.definition_levels = {1, 1, 1};
  page.values = Plain<int32_t>({1, 2});
  builder.AddRowGroup(3, {Chunk({page})});
  auto rows = ReadRows(builder);
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(rows.status().IsCorruption()) << rows.status().ToString();
  EXPECT_NE(rows.status().message().find("column=i"), std::string::npos);
}

TEST(ColumnReaderTest, RejectsChunksWhoseRowCountDisagreesWithTheRowGroup) {
  for (int64_t declared : {2, 4}) {
    TestFileBuilder builder(Root({Leaf("i", kRequired, PhysicalType::kInt32)}));
    TestPage page;
    page.value_count = 3;
    page.values = Plain<int32_t>({1, 2, 3});
    builder.AddRowGroup(declared, {Chunk({page})});
    auto rows = ReadRows(builder);
    ASSERT_FALSE(rows.ok()) << declared;
    EXPECT_TRUE(rows.status().IsCorruption()) << rows.status().ToString();
  }
}

TEST(ColumnReaderTest, RejectsNullMapKeys) {
  // Old Presto wrote optional map keys; a null key cannot be represented.
  SchemaNode map = Group("m", kOptional,
                         {Group("key_value", kRepeated,
                                {Leaf("key", kOptional, PhysicalType::kInt32),
                                 Leaf("value", kOptional, PhysicalType::kInt32)})},
                         MapType{});
  TestFileBuilder builder(Root({map}));
  TestPage keys;
  keys.definition_levels = {3, 2};
  keys.repetition_levels = {0, 1};
  keys.values = Plain<int32_t>({1});
  TestPage values;
  values.definition_levels = {3, 3};
  values.repetition_levels = {0, 1};
  values.values = Plain<int32_t>({10, 20});
  builder.AddRowGroup(1, {Chunk({keys}), Chunk({values})});
  auto rows = ReadRows(builder);
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(rows.status().IsCorruption()) << rows.status().ToString();
}

TEST(ColumnReaderTest, ConvertsBigEndianDecimalsAndHalfFloats) {
  int128_t value = 0;
  const uint8_t minus_two[] = {0xff, 0xfe};
  ASSERT_TRUE(BigEndianToInt128(minus_two, 2, &value).ok());
  EXPECT_TRUE(value == -2);
  uint8_t wide[20] = {};
  wide[19] = 7;
  ASSERT_TRUE(BigEndianToInt128(wide, 20, &value).ok());
  EXPECT_TRUE(value == 7);
  wide[0] = 1;
  EXPECT_TRUE(BigEndianToInt128(wide, 20, &value).IsInvalid());
  EXPECT_TRUE(BigEndianToInt128(wide, 0, &value).IsCorruption());
  const uint8_t one[] = {0x00, 0x3c};
  EXPECT_EQ(HalfToFloat(one), 1.0f);
  const uint8_t minus_two_half[] = {0x00, 0xc0};
  EXPECT_EQ(HalfToFloat(minus_two_half), -2.0f);
  const uint8_t smallest[] = {0x01, 0x00};
  EXPECT_EQ(HalfToFloat(smallest), 5.9604645e-08f);
}

}  // namespace
}  // namespace arcflow::parquet
