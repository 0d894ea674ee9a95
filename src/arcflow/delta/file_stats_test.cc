#include "arcflow/delta/file_stats.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "arcflow/base/utf8.h"
#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/random_batch_generator.h"
#include "arcflow/columnar/random_schema_generator.h"
#include "arcflow/columnar/value_format.h"
#include "arcflow/io/memory_file_system.h"
#include "arcflow/parquet/bridge/parquet_writer.h"

namespace arcflow::delta {
namespace {

template <typename Builder, typename T>
ArrayPtr MakeColumn(DataTypePtr type, const std::vector<std::optional<T>>& values) {
  Builder builder(std::move(type));
  for (const auto& value : values) {
    if (value) {
      builder.Append(*value);
    } else {
      builder.AppendNull();
    }
  }
  return *builder.Finish();
}

ArrayPtr Int64s(const std::vector<std::optional<int64_t>>& values) {
  return MakeColumn<Int64Builder>(types::Int64(), values);
}
ArrayPtr Doubles(const std::vector<std::optional<double>>& values) {
  return MakeColumn<Float64Builder>(types::Float64(), values);
}
ArrayPtr Booleans(const std::vector<std::optional<bool>>& values) {
  BooleanBuilder builder;
  for (const auto& value : values) {
    if (value) {
      builder.Append(*value);
    } else {
      builder.AppendNull();
    }
  }
  return *builder.Finish();
}
ArrayPtr Strings(const std::vector<std::optional<std::string>>& values) {
  std::vector<std::optional<std::string_view>> views;
  for (const auto& value : values) {
    views.push_back(value ? std::optional<std::string_view>(*value) : std::nullopt);
  }
  return MakeColumn<BinaryBuilder>(types::String(), views);
}
ArrayPtr Timestamps(const std::vector<std::optional<int64_t>>& values, bool utc = true) {
  return MakeColumn<TimestampBuilder>(utc ? types::Timestamp() : types::TimestampNtz(), values);
}

RecordBatchPtr MakeBatch(std::vector<Field> fields, std::vector<ArrayPtr> columns) {
  auto schema = std::make_shared<const Schema>(std::move(fields));
  int64_t rows = columns.empty() ? 0 : columns[0]->length();
  return *RecordBatch::Make(schema, rows, std::move(columns));
}

std::string StatsOf(const RecordBatch& batch, FileStatsOptions options = {}) {
  auto collector = FileStatsCollector::Make(batch.schema(), options);
  EXPECT_TRUE(collector.ok()) << collector.status().ToString();
  EXPECT_TRUE(collector->Update(batch).ok());
  return collector->ToJson();
}

TEST(FileStatsCollectorTest, FlatColumnsAsSparkWritesThem) {
  auto batch = MakeBatch(
      {Field("id", types::Int64()), Field("name", types::String()), Field("flag", types::Boolean()),
       Field("price", types::Decimal(10, 2)), Field("day", types::Date32())},
      {Int64s({3, std::nullopt, -7}), Strings({"b", "a", std::nullopt}),
       Booleans({true, std::nullopt, false}),
       MakeColumn<Decimal128Builder, int128_t>(types::Decimal(10, 2), {1230, -5, std::nullopt}),
       MakeColumn<Date32Builder, int32_t>(types::Date32(), {0, 19753, 1})});
  EXPECT_EQ(StatsOf(*batch),
            "{\"numRecords\":3,"
            "\"minValues\":{\"id\":-7,\"name\":\"a\",\"price\":-0.05,\"day\":\"1970-01-01\"},"
            "\"maxValues\":{\"id\":3,\"name\":\"b\",\"price\":12.30,\"day\":\"2024-01-31\"},"
            "\"nullCount\":{\"id\":1,\"name\":1,\"flag\":1,\"price\":1,\"day\":0}}");
}

TEST(FileStatsCollectorTest, AllNullColumnHasOnlyNullCount) {
  auto batch = MakeBatch({Field("x", types::Int64())}, {Int64s({std::nullopt, std::nullopt})});
  EXPECT_EQ(StatsOf(*batch),
            "{\"numRecords\":2,\"minValues\":{},\"maxValues\":{},\"nullCount\":{\"x\":2}}");
}

TEST(FileStatsCollectorTest, TimestampsInMillisecondsWithMaxRoundedUp) {
  // 2024-01-31T10:00:00.123456Z and 2024-01-31T10:00:00.100000Z.
  int64_t base = 1706695200000000;
  auto batch = MakeBatch({Field("ts", types::Timestamp()), Field("ntz", types::TimestampNtz())},
                         {Timestamps({base + 123456, base + 100000}),
                          Timestamps({base + 100000, base + 2000}, /*utc=*/false)});
  EXPECT_EQ(
      StatsOf(*batch),
      "{\"numRecords\":2,"
      "\"minValues\":{\"ts\":\"2024-01-31T10:00:00.100Z\",\"ntz\":\"2024-01-31T10:00:00.002\"},"
      "\"maxValues\":{\"ts\":\"2024-01-31T10:00:00.124Z\",\"ntz\":\"2024-01-31T10:00:00.100\"},"
      "\"nullCount\":{\"ts\":0,\"ntz\":0}}");
}

TEST(FileStatsCollectorTest, NegativeTimestampsRoundTowardTheBounds) {
  // -1 µs is 1969-12-31T23:59:59.999999: min floors to .999, max rounds up to 1970-01-01.
  auto batch = MakeBatch({Field("ts", types::Timestamp())}, {Timestamps({-1})});
  EXPECT_EQ(StatsOf(*batch),
            "{\"numRecords\":1,\"minValues\":{\"ts\":\"1969-12-31T23:59:59.999Z\"},"
            "\"maxValues\":{\"ts\":\"1970-01-01T00:00:00.000Z\"},\"nullCount\":{\"ts\":0}}");
}

TEST(FileStatsCollectorTest, NaNSortsAboveNumbersAsInSpark) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  double inf = std::numeric_limits<double>::infinity();
  auto batch = MakeBatch(
      {Field("a", types::Float64()), Field("b", types::Float64()), Field("c", types::Float64())},
      {Doubles({1.5, nan, -2.0}), Doubles({nan, nan, std::nullopt}),
       Doubles({-inf, 0.25, std::nullopt})});
  EXPECT_EQ(StatsOf(*batch),
            "{\"numRecords\":3,"
            "\"minValues\":{\"a\":-2,\"b\":\"NaN\",\"c\":\"-Infinity\"},"
            "\"maxValues\":{\"a\":\"NaN\",\"b\":\"NaN\",\"c\":0.25},"
            "\"nullCount\":{\"a\":0,\"b\":1,\"c\":1}}");
}

// Three rows of s STRUCT<inner: STRUCT<x: BIGINT, tags: ARRAY<STRING>>, label: STRING> and
// n BIGINT: a whole row, a null struct, and a null inner struct.
RecordBatchPtr NestedStructBatch() {
  auto inner =
      types::Struct({Field("x", types::Int64()), Field("tags", types::List(types::String()))});
  auto outer_type = types::Struct({Field("inner", inner), Field("label", types::String())});
  auto builder = MakeBuilder(outer_type);
  auto* outer = static_cast<StructBuilder*>(builder.get());
  auto* inner_builder = static_cast<StructBuilder*>(outer->field_builder(0));
  auto* x = static_cast<Int64Builder*>(inner_builder->field_builder(0));
  auto* tags = static_cast<ListBuilder*>(inner_builder->field_builder(1));
  auto* label = static_cast<BinaryBuilder*>(outer->field_builder(1));
  // Row 0: {inner: {x: 5, tags: ["a"]}, label: "p"}.
  x->Append(5);
  static_cast<BinaryBuilder*>(tags->value_builder())->Append("a");
  tags->Append();
  inner_builder->Append();
  label->Append("p");
  outer->Append();
  // Row 1: null struct: every leaf under it counts as null.
  outer->AppendNull();
  // Row 2: {inner: null, label: "q"}.
  inner_builder->AppendNull();
  label->Append("q");
  outer->Append();
  return MakeBatch({Field("s", outer_type), Field("n", types::Int64())},
                   {*builder->Finish(), Int64s({1, 2, 3})});
}

constexpr std::string_view kNestedStructStats =
    "{\"numRecords\":3,"
    "\"minValues\":{\"s\":{\"inner\":{\"x\":5},\"label\":\"p\"},\"n\":1},"
    "\"maxValues\":{\"s\":{\"inner\":{\"x\":5},\"label\":\"q\"},\"n\":3},"
    "\"nullCount\":{\"s\":{\"inner\":{\"x\":2,\"tags\":2},\"label\":1},\"n\":0}}";

TEST(FileStatsCollectorTest, NestedStructsGiveNestedObjectsAndNullParentsCount) {
  EXPECT_EQ(StatsOf(*NestedStructBatch()), kNestedStructStats);
}

TEST(FileStatsCollectorTest, OnlyTheFirstIndexedLeafColumns) {
  auto struct_type = types::Struct({Field("x", types::Int64()), Field("y", types::Int64())});
  auto builder = MakeBuilder(struct_type);
  auto* structs = static_cast<StructBuilder*>(builder.get());
  static_cast<Int64Builder*>(structs->field_builder(0))->Append(1);
  static_cast<Int64Builder*>(structs->field_builder(1))->Append(2);
  structs->Append();
  auto batch =
      MakeBatch({Field("a", types::Int64()), Field("s", struct_type), Field("b", types::Int64())},
                {Int64s({0}), *builder->Finish(), Int64s({9})});
  FileStatsOptions options;
  options.num_indexed_columns = 2;  // a and s.x
  EXPECT_EQ(StatsOf(*batch, options),
            "{\"numRecords\":1,\"minValues\":{\"a\":0,\"s\":{\"x\":1}},"
            "\"maxValues\":{\"a\":0,\"s\":{\"x\":1}},\"nullCount\":{\"a\":0,\"s\":{\"x\":0}}}");
  options.num_indexed_columns = 0;
  EXPECT_EQ(StatsOf(*batch, options),
            "{\"numRecords\":1,\"minValues\":{},\"maxValues\":{},\"nullCount\":{}}");
  options.num_indexed_columns = -1;
  EXPECT_NE(StatsOf(*batch, options).find("\"b\":9"), std::string::npos);
}

TEST(FileStatsCollectorTest, StatsColumnsSelectByPathIgnoringCase) {
  auto struct_type = types::Struct({Field("x", types::Int64()), Field("y", types::Int64())});
  auto builder = MakeBuilder(struct_type);
  auto* structs = static_cast<StructBuilder*>(builder.get());
  static_cast<Int64Builder*>(structs->field_builder(0))->Append(1);
  static_cast<Int64Builder*>(structs->field_builder(1))->Append(2);
  structs->Append();
  auto batch =
      MakeBatch({Field("a", types::Int64()), Field("s", struct_type), Field("b", types::Int64())},
                {Int64s({0}), *builder->Finish(), Int64s({9})});
  auto options = FileStatsOptions::FromConfiguration(
      {{"delta.dataSkippingStatsColumns", "B, S.y"}, {"delta.dataSkippingNumIndexedCols", "1"}});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(StatsOf(*batch, *options),
            "{\"numRecords\":1,\"minValues\":{\"s\":{\"y\":2},\"b\":9},"
            "\"maxValues\":{\"s\":{\"y\":2},\"b\":9},\"nullCount\":{\"s\":{\"y\":0},\"b\":0}}");
}

TEST(FileStatsCollectorTest, PhysicalNamesUnderColumnMapping) {
  Field field(
      "logical", types::Int64(), true,
      {{"delta.columnMapping.id", "1"}, {"delta.columnMapping.physicalName", "\"col-5f2b\""}});
  auto batch = MakeBatch({field}, {Int64s({4})});
  auto options = FileStatsOptions::FromConfiguration({{"delta.columnMapping.mode", "name"}});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(StatsOf(*batch, *options),
            "{\"numRecords\":1,\"minValues\":{\"col-5f2b\":4},\"maxValues\":{\"col-5f2b\":4},"
            "\"nullCount\":{\"col-5f2b\":0}}");
  EXPECT_NE(StatsOf(*batch).find("\"logical\":4"), std::string::npos);
}

TEST(FileStatsOptionsTest, RejectsBadConfiguration) {
  EXPECT_TRUE(FileStatsOptions::FromConfiguration({{"delta.dataSkippingNumIndexedCols", "x"}})
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(FileStatsOptions::FromConfiguration({{"delta.dataSkippingNumIndexedCols", "-2"}})
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(FileStatsOptions::FromConfiguration({{"delta.dataSkippingStatsColumns", "a,,b"}})
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(FileStatsOptions::FromConfiguration({{"delta.dataSkippingStatsColumns", "`a"}})
                  .status()
                  .IsInvalid());
}

TEST(ParseStatsColumnListTest, BackticksAndNesting) {
  auto columns = ParseStatsColumnList("a, `b.c`.d ,`x``y`");
  ASSERT_TRUE(columns.ok()) << columns.status().ToString();
  ASSERT_EQ(columns->size(), 3u);
  EXPECT_EQ((*columns)[0], std::vector<std::string>{"a"});
  EXPECT_EQ((*columns)[1], (std::vector<std::string>{"b.c", "d"}));
  EXPECT_EQ((*columns)[2], std::vector<std::string>{"x`y"});
}

TEST(TruncateStringTest, MinIsAPrefixMaxIsAnUpperBound) {
  std::string long_text(40, 'a');
  EXPECT_EQ(TruncateMinString(long_text, 32), std::string(32, 'a'));
  std::string max_bound = TruncateMaxString(long_text, 32);
  std::string expected = std::string(32, 'a');
  utf8::Append(0x10FFFF, &expected);
  EXPECT_EQ(max_bound, expected);
  EXPECT_GT(max_bound, long_text);
  // Short strings are kept whole.
  EXPECT_EQ(TruncateMaxString("short", 32), "short");
  // Multi-byte characters count as one.
  std::string accents;
  for (int i = 0; i < 33; ++i) accents += "\xC3\xA9";  // é
  EXPECT_EQ(TruncateMinString(accents, 32).size(), 64u);
  // A U+10FFFF at the cut cannot be followed by the tie-breaker: the prefix extends past it.
  std::string with_max(32, 'z');
  utf8::Append(0x10FFFF, &with_max);
  with_max += "b";
  std::string bound = TruncateMaxString(with_max, 32);
  EXPECT_GE(bound, with_max);
  EXPECT_EQ(bound.size(), 32u + 4u + 4u);
}

TEST(FileStatsCollectorTest, LongStringsTruncated) {
  std::string small = "m" + std::string(40, 'a');
  std::string large = "m" + std::string(40, 'z');
  auto batch = MakeBatch({Field("s", types::String())}, {Strings({large, small})});
  std::string json = StatsOf(*batch);
  EXPECT_NE(json.find("\"minValues\":{\"s\":\"m" + std::string(31, 'a') + "\"}"), std::string::npos)
      << json;
  std::string max_bound = "m" + std::string(31, 'z');
  utf8::Append(0x10FFFF, &max_bound);
  EXPECT_NE(json.find("\"maxValues\":{\"s\":\"" + max_bound + "\"}"), std::string::npos) << json;
}

TEST(FileStatsCollectorTest, RejectsBatchOfAnotherSchema) {
  auto schema = std::make_shared<const Schema>(std::vector<Field>{Field("a", types::Int64())});
  auto collector = FileStatsCollector::Make(schema);
  ASSERT_TRUE(collector.ok());
  auto other = MakeBatch({Field("a", types::String())}, {Strings({"x"})});
  EXPECT_TRUE(collector->Update(*other).IsInvalid());
  auto wider = MakeBatch({Field("a", types::Int64()), Field("b", types::Int64())},
                         {Int64s({1}), Int64s({2})});
  EXPECT_TRUE(collector->Update(*wider).IsInvalid());
}

// Stats built batch by batch must equal the truth recomputed over all rows.
TEST(FileStatsCollectorTest, IncrementalStatsMatchRecomputedTruth) {
  std::mt19937_64 random(42);
  auto schema = std::make_shared<const Schema>(std::vector<Field>{
      Field("i", types::Int64()), Field("d", types::Float64()), Field("s", types::String())});
  auto collector = FileStatsCollector::Make(schema);
  ASSERT_TRUE(collector.ok());
  std::vector<std::optional<int64_t>> all_ints;
  std::vector<std::optional<double>> all_doubles;
  std::vector<std::optional<std::string>> all_strings;
  for (int batch_index = 0; batch_index < 7; ++batch_index) {
    std::vector<std::optional<int64_t>> ints;
    std::vector<std::optional<double>> doubles;
    std::vector<std::optional<std::string>> strings;
    int64_t rows = static_cast<int64_t>(random() % 50);
    // Every other batch has no nulls at all (the collector's loops without null tests).
    const bool nulls = batch_index % 2 == 1;
    for (int64_t r = 0; r < rows; ++r) {
      bool null = nulls && random() % 5 == 0;
      ints.push_back(null ? std::nullopt
                          : std::optional<int64_t>(static_cast<int64_t>(random() % 2001) - 1000));
      doubles.push_back(nulls && random() % 4 == 0
                            ? std::nullopt
                            : std::optional<double>(static_cast<double>(random() % 1000) / 8.0));
      strings.push_back(nulls && random() % 3 == 0
                            ? std::nullopt
                            : std::optional<std::string>(std::string(
                                  1 + random() % 5, static_cast<char>('a' + random() % 26))));
    }
    all_ints.insert(all_ints.end(), ints.begin(), ints.end());
    all_doubles.insert(all_doubles.end(), doubles.begin(), doubles.end());
    all_strings.insert(all_strings.end(), strings.begin(), strings.end());
    auto batch =
        *RecordBatch::Make(schema, rows, {Int64s(ints), Doubles(doubles), Strings(strings)});
    ASSERT_TRUE(collector->Update(*batch).ok());
  }
  std::string json = collector->ToJson();
  simdjson::dom::parser parser;
  simdjson::dom::element stats = parser.parse(json);
  EXPECT_EQ(int64_t(stats["numRecords"]), static_cast<int64_t>(all_ints.size()));
  auto count_nulls = [](const auto& values) {
    int64_t nulls = 0;
    for (const auto& value : values) nulls += !value.has_value();
    return nulls;
  };
  EXPECT_EQ(int64_t(stats["nullCount"]["i"]), count_nulls(all_ints));
  EXPECT_EQ(int64_t(stats["nullCount"]["d"]), count_nulls(all_doubles));
  EXPECT_EQ(int64_t(stats["nullCount"]["s"]), count_nulls(all_strings));
  int64_t min_int = std::numeric_limits<int64_t>::max();
  int64_t max_int = std::numeric_limits<int64_t>::min();
  for (const auto& value : all_ints) {
    if (value) min_int = std::min(min_int, *value), max_int = std::max(max_int, *value);
  }
  EXPECT_EQ(int64_t(stats["minValues"]["i"]), min_int);
  EXPECT_EQ(int64_t(stats["maxValues"]["i"]), max_int);
  double min_double = 1e300;
  double max_double = -1e300;
  for (const auto& value : all_doubles) {
    if (value) min_double = std::min(min_double, *value), max_double = std::max(max_double, *value);
  }
  EXPECT_EQ(double(stats["minValues"]["d"]), min_double);
  EXPECT_EQ(double(stats["maxValues"]["d"]), max_double);
  std::optional<std::string> min_string;
  std::optional<std::string> max_string;
  for (const auto& value : all_strings) {
    if (!value) continue;
    if (!min_string || *value < *min_string) min_string = *value;
    if (!max_string || *value > *max_string) max_string = *value;
  }
  EXPECT_EQ(std::string_view(stats["minValues"]["s"]), *min_string);
  EXPECT_EQ(std::string_view(stats["maxValues"]["s"]), *max_string);
}

// The statistics of `batches` written to a Parquet file, taken from the writer where it can
// give them (MakeForParquetFile) and from the batches for the rest.
std::string StatsThroughParquet(const SchemaPtr& schema, const std::vector<RecordBatchPtr>& batches,
                                const FileStatsOptions& options, int64_t row_group_bytes) {
  auto fs = io::MemoryFileSystem::Make();
  parquet::ParquetWriteOptions write_options;
  write_options.row_group_bytes = row_group_bytes;
  auto writer =
      parquet::ParquetFileWriter::Open(*fs->OpenWritable("/file.parquet"), schema, write_options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  auto collector = FileStatsCollector::MakeForParquetFile(schema, options);
  EXPECT_TRUE(collector.ok()) << collector.status().ToString();
  EXPECT_EQ(collector->num_parquet_leaves(), (*writer)->num_leaves());
  for (const RecordBatchPtr& batch : batches) {
    EXPECT_TRUE((*writer)->Write(*batch).ok());
    EXPECT_TRUE(collector->Update(*batch).ok());
  }
  EXPECT_TRUE((*writer)->Close().ok());
  Status set = collector->SetParquetLeafStatistics((*writer)->LeafStatistics());
  EXPECT_TRUE(set.ok()) << set.ToString();
  return collector->ToJson();
}

// Random nested schemas and data (nulls at every level, strings past Parquet's 64-byte
// statistics truncation, several row groups): statistics taken from the Parquet writer where
// it can give them are exactly those computed from the batches.
TEST(FileStatsCollectorTest, StatsFromParquetEqualStatsFromBatches) {
  for (int seed = 0; seed < 60; ++seed) {
    arcflow::testing::RandomSchemaGenerator schemas(static_cast<uint64_t>(seed) * 17 + 3,
                                                    {.max_depth = 3, .max_fields = 6});
    const SchemaPtr schema = schemas.NextParquetSchema();
    arcflow::testing::RandomDataGenerator data(static_cast<uint64_t>(seed) * 131 + 7);
    std::vector<RecordBatchPtr> batches;
    for (int b = 0; b < 3; ++b) batches.push_back(data.Batch(schema, 60)->Slice(b, 50));
    FileStatsOptions options;
    if (seed % 3 == 1) options.num_indexed_columns = 3;
    if (seed % 3 == 2) options.string_prefix_length = 5;
    SCOPED_TRACE("seed " + std::to_string(seed) + ", schema " + schema->ToString());
    auto from_batches = FileStatsCollector::Make(schema, options);
    ASSERT_TRUE(from_batches.ok());
    for (const RecordBatchPtr& batch : batches) ASSERT_TRUE(from_batches->Update(*batch).ok());
    EXPECT_EQ(StatsThroughParquet(schema, batches, options, seed % 2 == 0 ? 1000 : 1 << 20),
              from_batches->ToJson());
  }
}

// Float bounds through Parquet, whose footer widens a zero min to -0.0 and a zero max to +0.0
// and leaves NaN out: the statistics keep each zero's sign as the values had it and NaN as
// Delta sorts it (above every number), as computed from the batches.
TEST(FileStatsCollectorTest, StatsFromParquetOfFloatZerosAndNaN) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  using Doubles = std::vector<std::optional<double>>;
  auto batch =
      MakeBatch({Field("zero_min", types::Float64()), Field("negative_zero_max", types::Float64()),
                 Field("with_nan", types::Float64()), Field("only_nan", types::Float64()),
                 Field("f", types::Float32())},
                {MakeColumn<Float64Builder>(types::Float64(), Doubles{0.0, 2.5, std::nullopt}),
                 MakeColumn<Float64Builder>(types::Float64(), Doubles{-0.0, -3.0, 0.0}),
                 MakeColumn<Float64Builder>(types::Float64(), Doubles{1.5, nan, -2.0}),
                 MakeColumn<Float64Builder>(types::Float64(), Doubles{nan, std::nullopt, nan}),
                 MakeColumn<Float32Builder>(types::Float32(),
                                            std::vector<std::optional<float>>{0.1f, -0.0f, 0.0f})});
  // Two row groups, so that chunks' bounds and NaN counts merge too.
  const std::vector<RecordBatchPtr> batches = {batch->Slice(0, 2), batch->Slice(2, 1)};
  auto from_batches = FileStatsCollector::Make(batch->schema());
  ASSERT_TRUE(from_batches.ok());
  for (const RecordBatchPtr& part : batches) ASSERT_TRUE(from_batches->Update(*part).ok());
  const std::string json = StatsThroughParquet(batch->schema(), batches, {}, 1);
  EXPECT_EQ(json, from_batches->ToJson());
  EXPECT_NE(
      json.find(
          R"("minValues":{"zero_min":0,"negative_zero_max":-3,"with_nan":-2,"only_nan":"NaN","f":-0})"),
      std::string::npos)
      << json;
  EXPECT_NE(
      json.find(
          R"("maxValues":{"zero_min":2.5,"negative_zero_max":-0,"with_nan":"NaN","only_nan":"NaN","f":0.1})"),
      std::string::npos)
      << json;
}

TEST(FileStatsCollectorTest, StatsFromParquetOfNullStructsAndLongStrings) {
  // Leaves under null structs count as null in Parquet's null counts too.
  const RecordBatchPtr nested = NestedStructBatch();
  EXPECT_EQ(StatsThroughParquet(nested->schema(), {nested}, {}, 1 << 20), kNestedStructStats);
  // Bounds whose first 32 characters take more than Parquet's 64-byte statistics truncation
  // (three-byte characters; the max starting with U+10FFFF, which its Delta bound extends
  // past), timestamps with sub-millisecond digits, 32-bit integers; two row groups.
  std::string low = "a";
  std::string high = "\xF4\x8F\xBF\xBF\xF4\x8F\xBF\xBF";
  for (int i = 0; i < 40; ++i) {
    low += "\xE6\x97\xA5";
    high += "\xE6\x97\xA5";
  }
  auto batch = MakeBatch(
      {Field("s", types::String()), Field("t", types::Timestamp()), Field("i", types::Int32())},
      {Strings({high, std::nullopt, low}), Timestamps({1, std::nullopt, -1500}),
       MakeColumn<Int32Builder>(types::Int32(),
                                std::vector<std::optional<int32_t>>{-7, std::nullopt, 12})});
  const std::vector<RecordBatchPtr> batches = {batch->Slice(0, 1), batch->Slice(1, 2)};
  auto from_batches = FileStatsCollector::Make(batch->schema());
  ASSERT_TRUE(from_batches.ok());
  for (const RecordBatchPtr& part : batches) ASSERT_TRUE(from_batches->Update(*part).ok());
  EXPECT_EQ(StatsThroughParquet(batch->schema(), batches, {}, 1), from_batches->ToJson());
}

TEST(FileStatsCollectorTest, ParquetLeafStatisticsMustFitTheSchema) {
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("i", types::Int64()), Field("s", types::String())});
  auto collector = FileStatsCollector::MakeForParquetFile(schema);
  ASSERT_TRUE(collector.ok());
  EXPECT_EQ(collector->num_parquet_leaves(), 2);
  std::vector<parquet::Statistics> leaves(1);
  EXPECT_EQ(collector->SetParquetLeafStatistics(leaves).code(), StatusCode::kInternal);
  leaves.resize(2);
  leaves[0].null_count = 0;
  leaves[1].null_count = 0;
  leaves[0].min_value = std::string(4, '\0');  // An INT64 bound has 8 bytes.
  leaves[0].max_value = std::string(4, '\0');
  EXPECT_EQ(collector->SetParquetLeafStatistics(leaves).code(), StatusCode::kInternal);
}

TEST(StatsWithWideBoundsTest, MarksBoundsWideAndKeepsEveryMemberAsWritten) {
  // A decimal bound wider than a double, nested objects, an escaped key (kept as the same
  // string, quoted anew) and spacing.
  EXPECT_EQ(
      StatsWithWideBounds(
          R"({"numRecords":10, "minValues":{"d":12345678901234567890123.45,"s":{"x":"a\"b"}},)"
          R"("maxValues":{"d":99999999999999999999999.99} ,"nullCount":{"d":0,"s":{"x":3}},)"
          R"("a\u0062":[1, 2]})"),
      R"({"numRecords":10,"minValues":{"d":12345678901234567890123.45,"s":{"x":"a\"b"}},)"
      R"("maxValues":{"d":99999999999999999999999.99},"nullCount":{"d":0,"s":{"x":3}},)"
      R"("ab":[1, 2],"tightBounds":false})");
  // An existing tightBounds is replaced, not repeated.
  EXPECT_EQ(StatsWithWideBounds(R"({"numRecords":3,"tightBounds":true,"nullCount":{}})"),
            R"({"numRecords":3,"nullCount":{},"tightBounds":false})");
  EXPECT_EQ(StatsWithWideBounds("{}"), R"({"tightBounds":false})");
  EXPECT_EQ(StatsWithWideBounds("[1]"), std::nullopt);
  EXPECT_EQ(StatsWithWideBounds(R"({"numRecords":)"), std::nullopt);
  EXPECT_EQ(StatsWithWideBounds(R"({"numRecords":1} x)"), std::nullopt);
}

}  // namespace
}  // namespace arcflow::delta
