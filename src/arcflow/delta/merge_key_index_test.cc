#include "arcflow/delta/merge_key_index.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/columnar/schema_json.h"
#include "arcflow/delta/row_filter.h"

namespace arcflow::delta {
namespace {

SchemaPtr Schema3() {
  auto schema = ParseDdlSchema("a INT, b STRING, c BIGINT, flag BOOLEAN, part STRING, x DOUBLE");
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return *schema;
}

TypedValue Int(int64_t value) { return TypedValue{types::Int32(), value}; }
TypedValue Long(int64_t value) { return TypedValue{types::Int64(), value}; }
TypedValue Str(std::string value) { return TypedValue{types::String(), std::move(value)}; }
TypedValue Dbl(double value) { return TypedValue{types::Float64(), value}; }

// An array of `type` holding `values`.
ArrayPtr Column(const DataTypePtr& type, const std::vector<TypedValue>& values) {
  std::unique_ptr<ArrayBuilder> builder = MakeBuilder(type);
  for (const TypedValue& value : values) {
    AppendArrayValue(**MakeConstantArray(value, 1), 0, builder.get());
  }
  return *builder->Finish();
}

// Key columns as MergeKeyIndex::Make takes them, each typed as its first value.
std::vector<ArrayPtr> Keys(const std::vector<std::vector<TypedValue>>& columns) {
  std::vector<ArrayPtr> arrays;
  for (const std::vector<TypedValue>& values : columns) {
    arrays.push_back(Column(values.at(0).type, values));
  }
  return arrays;
}

AddFile File(std::optional<std::string> stats, PartitionValues partition = {}) {
  AddFile add;
  add.path = "f.parquet";
  add.stats = std::move(stats);
  add.partition_values = std::move(partition);
  return add;
}

bool MayHold(const MergeKeyIndex& index, const AddFile& file) {
  std::optional<FileStatistics> stats = FileStatistics::ParseForSkipping(file);
  return index.MayHoldAny(file, stats ? &*stats : nullptr);
}

TEST(MergeKeyIndexTest, OneIntegerColumnIsABinarySearch) {
  auto index = MergeKeyIndex::Make(*Schema3(), {}, ColumnMappingMode::kNone, {"a"},
                                   Keys({{Int(3), Int(10), Int(-7), Int(100)}}));
  EXPECT_EQ(index.num_dimensions(), 1);
  EXPECT_TRUE(index.uses_stats());
  auto range = [](int lo, int hi) {
    return File(fmt::format(R"({{"numRecords":2,"minValues":{{"a":{}}},"maxValues":{{"a":{}}},)"
                            R"("nullCount":{{"a":0}}}})",
                            lo, hi));
  };
  EXPECT_TRUE(MayHold(index, range(3, 3)));
  EXPECT_TRUE(MayHold(index, range(-10, -7)));
  EXPECT_FALSE(MayHold(index, range(4, 9)));
  EXPECT_FALSE(MayHold(index, range(11, 99)));
  EXPECT_FALSE(MayHold(index, range(101, 200)));
  EXPECT_TRUE(MayHold(index, range(-1000, 1000)));
  // Missing statistics, a missing bound, and a null count below numRecords keep the file.
  EXPECT_TRUE(MayHold(index, File(std::nullopt)));
  EXPECT_TRUE(MayHold(index, File("{broken")));
  EXPECT_TRUE(MayHold(index, File(R"({"numRecords":2,"minValues":{"a":11}})")));
  EXPECT_FALSE(MayHold(index, File(R"({"numRecords":2,"maxValues":{"a":-8}})")));
  // Only nulls: null keys never match.
  EXPECT_FALSE(MayHold(index, File(R"({"numRecords":2,"nullCount":{"a":2}})")));
  EXPECT_TRUE(MayHold(index, File(R"({"numRecords":2,"tightBounds":false,"nullCount":{"a":2}})")));
}

TEST(MergeKeyIndexTest, DatesAndTimestampsCompareWithTheirStatistics) {
  auto schema = ParseDdlSchema("day DATE, at TIMESTAMP, small TINYINT");
  ASSERT_TRUE(schema.ok());
  // 2024-01-02 is day 19724; 2024-01-02T03:04:05Z is 1704164645000000 microseconds.
  auto index = MergeKeyIndex::Make(
      **schema, {}, ColumnMappingMode::kNone, {"day", "at", "small"},
      {Column(types::Date32(), {TypedValue{types::Date32(), int64_t{19724}}}),
       Column(types::Timestamp(), {TypedValue{types::Timestamp(), int64_t{1704164645000000}}}),
       Column(types::Int8(), {TypedValue{types::Int8(), int64_t{-3}}})});
  EXPECT_EQ(index.num_dimensions(), 3);
  const auto file = [](std::string_view day_min, std::string_view day_max, std::string_view at_min,
                       std::string_view at_max, int small_min, int small_max) {
    return File(fmt::format(R"({{"numRecords":5,"minValues":{{"day":"{}","at":"{}","small":{}}},)"
                            R"("maxValues":{{"day":"{}","at":"{}","small":{}}}}})",
                            day_min, at_min, small_min, day_max, at_max, small_max));
  };
  EXPECT_TRUE(MayHold(index, file("2024-01-02", "2024-01-02", "2024-01-02T03:04:05.000Z",
                                  "2024-01-02T03:04:05.000Z", -3, -3)));
  EXPECT_FALSE(MayHold(index, file("2024-01-03", "2024-02-01", "2024-01-01T00:00:00.000Z",
                                   "2024-01-03T00:00:00.000Z", -10, 10)));
  EXPECT_FALSE(MayHold(index, file("2024-01-01", "2024-01-03", "2024-01-02T03:04:05.001Z",
                                   "2024-01-03T00:00:00.000Z", -10, 10)));
  EXPECT_FALSE(MayHold(index, file("2024-01-01", "2024-01-03", "2024-01-02T00:00:00.000Z",
                                   "2024-01-03T00:00:00.000Z", -2, 10)));
}

TEST(MergeKeyIndexTest, NoKeysMeansNoFileCanHoldOne) {
  auto index = MergeKeyIndex::Make(*Schema3(), {}, ColumnMappingMode::kNone, {"a"},
                                   {Column(types::Int32(), {})});
  EXPECT_FALSE(MayHold(index, File(std::nullopt)));
}

TEST(MergeKeyIndexTest, PartitionValuesAreExact) {
  auto index = MergeKeyIndex::Make(
      *Schema3(), {"part", "flag"}, ColumnMappingMode::kNone, {"part", "flag", "a"},
      Keys({{Str("x"), Str("z")},
            {TypedValue{types::Boolean(), true}, TypedValue{types::Boolean(), false}},
            {Int(1), Int(2)}}));
  EXPECT_EQ(index.num_dimensions(), 3);
  const std::string stats = R"({"numRecords":1,"minValues":{"a":1},"maxValues":{"a":2}})";
  EXPECT_TRUE(MayHold(index, File(stats, {{"part", "x"}, {"flag", "true"}})));
  EXPECT_TRUE(MayHold(index, File(stats, {{"part", "z"}, {"flag", "false"}})));
  // (x, false) and (z, true) are not source keys, though each value is.
  EXPECT_FALSE(MayHold(index, File(stats, {{"part", "x"}, {"flag", "false"}})));
  EXPECT_FALSE(MayHold(index, File(stats, {{"part", "z"}, {"flag", "true"}})));
  EXPECT_FALSE(MayHold(index, File(stats, {{"part", "y"}, {"flag", "true"}})));
  EXPECT_FALSE(MayHold(index, File(stats, {{"part", std::nullopt}, {"flag", "true"}})));
  // (x, true) needs a = 1.
  EXPECT_FALSE(MayHold(index, File(R"({"numRecords":1,"minValues":{"a":2},"maxValues":{"a":2}})",
                                   {{"part", "x"}, {"flag", "true"}})));
  // A partition value that does not parse narrows nothing.
  EXPECT_TRUE(MayHold(index, File(stats, {{"part", "x"}, {"flag", "maybe"}})));
}

TEST(MergeKeyIndexTest, NaNSourceKeysLeaveTheColumnOut) {
  auto with_nan = MergeKeyIndex::Make(*Schema3(), {}, ColumnMappingMode::kNone, {"x"},
                                      Keys({{Dbl(1.0), Dbl(std::nan(""))}}));
  EXPECT_EQ(with_nan.num_dimensions(), 0);
  EXPECT_TRUE(
      MayHold(with_nan, File(R"({"numRecords":1,"minValues":{"x":5},"maxValues":{"x":6}})")));
  // Null counts still narrow.
  EXPECT_FALSE(MayHold(with_nan, File(R"({"numRecords":1,"nullCount":{"x":1}})")));
  auto numbers = MergeKeyIndex::Make(*Schema3(), {}, ColumnMappingMode::kNone, {"x"},
                                     Keys({{Dbl(1.0), Dbl(-0.0)}}));
  EXPECT_EQ(numbers.num_dimensions(), 1);
  EXPECT_FALSE(
      MayHold(numbers, File(R"({"numRecords":1,"minValues":{"x":5},"maxValues":{"x":6}})")));
  EXPECT_TRUE(
      MayHold(numbers, File(R"({"numRecords":1,"minValues":{"x":0.0},"maxValues":{"x":0.5}})")));
  // A file with a NaN has max "NaN": no upper bound.
  EXPECT_TRUE(
      MayHold(numbers, File(R"({"numRecords":1,"minValues":{"x":0.5},"maxValues":{"x":"NaN"}})")));
}

TEST(MergeKeyIndexTest, SourceTypesUnlikeTheTablesNarrowNothing) {
  // A decimal key of another scale would not compare as the table's; integers of any width do.
  auto index =
      MergeKeyIndex::Make(*Schema3(), {}, ColumnMappingMode::kNone, {"a", "c"},
                          Keys({{TypedValue{types::Decimal(10, 2), int128_t{100}}}, {Int(5)}}));
  EXPECT_EQ(index.num_dimensions(), 1);
  EXPECT_FALSE(MayHold(index, File(R"({"numRecords":1,"minValues":{"c":6},"maxValues":{"c":9}})")));
}

TEST(MergeKeyIndexTest, UsesPhysicalNamesUnderColumnMapping) {
  auto schema = ParseStructTypeJson(
      R"({"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-a"}}]})");
  ASSERT_TRUE(schema.ok());
  auto index = MergeKeyIndex::Make(**schema, {}, ColumnMappingMode::kName, {"A"}, Keys({{Int(5)}}));
  EXPECT_FALSE(
      MayHold(index, File(R"({"numRecords":1,"minValues":{"col-a":6},"maxValues":{"col-a":9}})")));
  EXPECT_TRUE(MayHold(index, File(R"({"numRecords":1,"minValues":{"a":6},"maxValues":{"a":9}})")));
}

// String keys are sorted by the bytes after their shared prefix; ties there (zero bytes, which
// also pad short strings) must still order bytewise.
TEST(MergeKeyIndexTest, StringKeysWithASharedPrefixAgreeWithAScan) {
  std::mt19937 random(20261123);
  auto next_string = [&](const std::string& prefix) {
    std::string text = prefix;
    // Few letters, so that many keys tie in their first 8 bytes after the prefix.
    const size_t length = random() % 14;
    for (size_t i = 0; i < length; ++i) text.push_back("\0\1a"[random() % 3]);
    return text;
  };
  auto json = [](const std::string& text) {
    std::string quoted = "\"";
    for (char c : text) {
      quoted += c == '\0' ? "\\u0000" : (c == '\1' ? "\\u0001" : std::string(1, c));
    }
    return quoted + "\"";
  };
  for (const std::string prefix : {"", "a", "customer-"}) {
    std::vector<std::string> keys;
    std::vector<TypedValue> values;
    for (int i = 0; i < 300; ++i) {
      keys.push_back(next_string(prefix));
      values.push_back(Str(keys.back()));
    }
    auto index =
        MergeKeyIndex::Make(*Schema3(), {}, ColumnMappingMode::kNone, {"b"}, Keys({values}));
    for (int file = 0; file < 300; ++file) {
      // Narrow ranges, which hold a key or not depending on the exact order.
      std::string low = next_string(prefix);
      std::string high = low;
      if (random() % 2 == 0) high.push_back("\0\1a"[random() % 3]);
      bool expected = false;
      for (const std::string& key : keys) expected = expected || (low <= key && key <= high);
      AddFile add =
          File(fmt::format(R"({{"numRecords":1,"minValues":{{"b":{}}},"maxValues":{{"b":{}}}}})",
                           json(low), json(high)));
      ASSERT_EQ(MayHold(index, add), expected) << "prefix=" << prefix << " stats=" << *add.stats;
    }
  }
}

// The tree against a scan of every key, on random keys and random file ranges with missing
// bounds, in one to three columns (one of them strings, with many equal values).
TEST(MergeKeyIndexTest, AgreesWithAScanOfEveryKey) {
  std::mt19937 random(20240601);
  for (int columns = 1; columns <= 3; ++columns) {
    for (int round = 0; round < 8; ++round) {
      const int num_keys = 1 + static_cast<int>(random() % 400);
      std::vector<std::vector<TypedValue>> keys(3);
      std::vector<std::array<int64_t, 3>> raw;
      for (int i = 0; i < num_keys; ++i) {
        std::array<int64_t, 3> key = {static_cast<int64_t>(random() % 1000) - 500,
                                      static_cast<int64_t>(random() % 20),
                                      static_cast<int64_t>(random() % 100000)};
        raw.push_back(key);
        keys[0].push_back(Int(key[0]));
        keys[1].push_back(Str(fmt::format("s{:03}", key[1])));
        keys[2].push_back(Long(key[2]));
      }
      std::vector<std::string> names = {"a", "b", "c"};
      names.resize(static_cast<size_t>(columns));
      keys.resize(static_cast<size_t>(columns));
      // Slices scanned (the default), every undecided query sent to the tree, and a few keys
      // scanned before most queries go on to the tree.
      auto scanning =
          MergeKeyIndex::Make(*Schema3(), {}, ColumnMappingMode::kNone, names, Keys(keys));
      auto searching = MergeKeyIndex::Make(*Schema3(), {}, ColumnMappingMode::kNone, names,
                                           Keys(keys), /*scan_limit=*/0);
      auto scanning_a_few = MergeKeyIndex::Make(*Schema3(), {}, ColumnMappingMode::kNone, names,
                                                Keys(keys), /*scan_limit=*/3);
      ASSERT_EQ(scanning.num_dimensions(), columns);
      for (int file = 0; file < 200; ++file) {
        std::array<std::optional<int64_t>, 3> low;
        std::array<std::optional<int64_t>, 3> high;
        std::string min_json;
        std::string max_json;
        const int64_t spans[3] = {1000, 20, 100000};
        const int64_t offsets[3] = {-500, 0, 0};
        for (int c = 0; c < columns; ++c) {
          int64_t a = static_cast<int64_t>(random() % static_cast<uint64_t>(spans[c])) + offsets[c];
          int64_t width = static_cast<int64_t>(random() % static_cast<uint64_t>(spans[c] / 4 + 1));
          auto text = [&](int64_t value) {
            return c == 1 ? fmt::format("\"s{:03}\"", value) : std::to_string(value);
          };
          const char* name = c == 0 ? "a" : (c == 1 ? "b" : "c");
          if (random() % 8 != 0) {
            low[c] = a;
            min_json += fmt::format("{}\"{}\":{}", min_json.empty() ? "" : ",", name, text(a));
          }
          if (random() % 8 != 0) {
            high[c] = a + width;
            max_json +=
                fmt::format("{}\"{}\":{}", max_json.empty() ? "" : ",", name, text(a + width));
          }
        }
        bool expected = false;
        for (const auto& key : raw) {
          bool inside = true;
          for (int c = 0; c < columns; ++c) {
            inside = inside && (!low[c] || key[c] >= *low[c]) && (!high[c] || key[c] <= *high[c]);
          }
          expected = expected || inside;
        }
        AddFile add = File(fmt::format(
            R"({{"numRecords":1,"minValues":{{{}}},"maxValues":{{{}}}}})", min_json, max_json));
        ASSERT_EQ(MayHold(scanning, add), expected)
            << "columns=" << columns << " round=" << round << " stats=" << *add.stats;
        ASSERT_EQ(MayHold(searching, add), expected)
            << "columns=" << columns << " round=" << round << " stats=" << *add.stats;
        ASSERT_EQ(MayHold(scanning_a_few, add), expected)
            << "columns=" << columns << " round=" << round << " stats=" << *add.stats;
      }
    }
  }
}

}  // namespace
}  // namespace arcflow::delta
