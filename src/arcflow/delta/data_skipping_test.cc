#include "arcflow/delta/data_skipping.h"

#include <gtest/gtest.h>

#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/columnar/schema_json.h"

namespace arcflow::delta {
namespace {

using Op = Predicate::Op;

SchemaPtr TestSchema() {
  auto schema = ParseDdlSchema(
      "id BIGINT, name STRING, price DECIMAL(10,2), ts TIMESTAMP, d DATE, f DOUBLE, "
      "s STRUCT<x: INT>, part INT");
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return *schema;
}

AddFile FileWithStats(std::string stats, PartitionValues partition = {{"part", "5"}}) {
  AddFile add;
  add.path = "f.parquet";
  add.stats = std::move(stats);
  add.partition_values = std::move(partition);
  return add;
}

const char* kStats = R"({"numRecords":10,
  "minValues":{"id":5,"name":"apple","price":1.50,"ts":"2024-01-01T00:00:00.123Z","d":"2024-01-01","f":-1.5,"s":{"x":3}},
  "maxValues":{"id":20,"name":"melon","price":99.99,"ts":"2024-01-01T00:00:00.456Z","d":"2024-02-01","f":2.5,"s":{"x":9}},
  "nullCount":{"id":0,"name":2,"price":0,"ts":0,"d":10,"f":0,"s":{"x":0}}})";

bool Skips(std::vector<Predicate> predicates, const AddFile& add) {
  auto skipper =
      FileSkipper::Make(TestSchema(), {"part"}, ColumnMappingMode::kNone, std::move(predicates));
  EXPECT_TRUE(skipper.ok()) << skipper.status().ToString();
  if (!skipper.ok()) return false;
  auto skip = skipper->CanSkip(add);
  EXPECT_TRUE(skip.ok()) << skip.status().ToString();
  return skip.ok() && *skip;
}

TEST(DataSkippingTest, ParsesStatistics) {
  auto stats = FileStatistics::Parse(kStats, "test");
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->num_records, 10);
  EXPECT_TRUE(stats->tight_bounds);
  EXPECT_EQ(stats->min_values.at("id"), "5");
  EXPECT_EQ(stats->min_values.at("price"), "1.50");
  EXPECT_EQ(stats->max_values.at(FileStatistics::PathKey({"s", "x"})), "9");
  EXPECT_EQ(stats->null_counts.at("d"), 10);
  EXPECT_TRUE(FileStatistics::Parse("{\"numRecords\":", "t").status().IsCorruption());
  EXPECT_TRUE(FileStatistics::Parse("[1]", "t").status().IsCorruption());
  auto loose = FileStatistics::Parse(R"({"numRecords":3,"tightBounds":false})", "t");
  ASSERT_TRUE(loose.ok());
  EXPECT_FALSE(loose->tight_bounds);
}

TEST(DataSkippingTest, SkipsByMinMax) {
  AddFile add = FileWithStats(kStats);
  EXPECT_FALSE(Skips({{"id", Op::kEq, "5"}}, add));
  EXPECT_TRUE(Skips({{"id", Op::kEq, "4"}}, add));
  EXPECT_TRUE(Skips({{"id", Op::kEq, "21"}}, add));
  EXPECT_TRUE(Skips({{"id", Op::kLt, "5"}}, add));
  EXPECT_FALSE(Skips({{"id", Op::kLe, "5"}}, add));
  EXPECT_TRUE(Skips({{"id", Op::kGt, "20"}}, add));
  EXPECT_FALSE(Skips({{"id", Op::kGe, "20"}}, add));
  EXPECT_TRUE(Skips({{"price", Op::kGt, "99.99"}}, add));
  EXPECT_FALSE(Skips({{"price", Op::kGt, "99.98"}}, add));
  EXPECT_TRUE(Skips({{"d", Op::kEq, "2024-01-15"}}, add));  // All null.
  EXPECT_TRUE(Skips({{"f", Op::kLt, "-1.5"}}, add));
  EXPECT_FALSE(Skips({{"f", Op::kLt, "-1.4"}}, add));
  EXPECT_TRUE(Skips({{"s.x", Op::kGt, "9"}}, add));
  EXPECT_FALSE(Skips({{"S.X", Op::kGt, "8"}}, add));
  // A conjunction skips when any member proves the file empty.
  EXPECT_TRUE(Skips({{"id", Op::kGe, "1"}, {"id", Op::kGt, "100"}}, add));
}

TEST(DataSkippingTest, NullCounts) {
  AddFile add = FileWithStats(kStats);
  EXPECT_TRUE(Skips({{"id", Op::kIsNull, ""}}, add));
  EXPECT_FALSE(Skips({{"name", Op::kIsNull, ""}}, add));
  EXPECT_TRUE(Skips({{"d", Op::kIsNotNull, ""}}, add));
  EXPECT_FALSE(Skips({{"id", Op::kIsNotNull, ""}}, add));
  // Wide bounds (files with deletion vectors) keep null counts from deciding.
  AddFile loose = FileWithStats(R"({"numRecords":10,"tightBounds":false,"nullCount":{"id":0}})");
  EXPECT_FALSE(Skips({{"id", Op::kIsNull, ""}}, loose));
}

TEST(DataSkippingTest, TimestampsAreMillisecondTruncated) {
  AddFile add = FileWithStats(kStats);
  // The max in stats is .456 but a row may hold .456999.
  EXPECT_FALSE(Skips({{"ts", Op::kEq, "2024-01-01T00:00:00.456789Z"}}, add));
  EXPECT_TRUE(Skips({{"ts", Op::kGt, "2024-01-01T00:00:00.457000Z"}}, add));
  EXPECT_TRUE(Skips({{"ts", Op::kLt, "2024-01-01T00:00:00.123000Z"}}, add));
  EXPECT_FALSE(Skips({{"ts", Op::kLe, "2024-01-01T00:00:00.123000Z"}}, add));
}

TEST(DataSkippingTest, TruncatedStringMaxIsNotABound) {
  std::string long_max(32, 'm');
  AddFile add = FileWithStats(R"({"numRecords":2,"minValues":{"name":"a"},"maxValues":{"name":")" +
                              long_max + R"("},"nullCount":{"name":0}})");
  EXPECT_FALSE(Skips({{"name", Op::kGt, long_max + "zzz"}}, add));
  EXPECT_TRUE(Skips({{"name", Op::kLt, "a"}}, add));
  AddFile short_max = FileWithStats(kStats);
  EXPECT_TRUE(Skips({{"name", Op::kGt, "melon"}}, short_max));
  EXPECT_FALSE(Skips({{"name", Op::kEq, "banana"}}, short_max));
}

TEST(DataSkippingTest, MissingStatsNeverSkip) {
  AddFile add;
  add.path = "f.parquet";
  add.partition_values = {{"part", "5"}};
  EXPECT_FALSE(Skips({{"id", Op::kEq, "-100"}}, add));
  AddFile garbage = FileWithStats("{not json");
  EXPECT_FALSE(Skips({{"id", Op::kEq, "-100"}}, garbage));
  AddFile partial = FileWithStats(R"({"numRecords":1})");
  EXPECT_FALSE(Skips({{"id", Op::kEq, "-100"}, {"name", Op::kIsNull, ""}}, partial));
}

TEST(DataSkippingTest, CanSkipWithParsedStatsDecidesAsCanSkip) {
  const std::vector<std::vector<Predicate>> cases = {
      {{"id", Op::kEq, "4"}},
      {{"id", Op::kEq, "5"}},
      {{"name", Op::kGt, "melon"}},
      {{"ts", Op::kGt, "2024-01-01T00:00:00.457000Z"}},
      {{"d", Op::kIsNotNull, ""}},
      {{"part", Op::kEq, "6"}},
      {{"part", Op::kEq, "5"}, {"id", Op::kGt, "20"}}};
  AddFile add = FileWithStats(kStats);
  std::optional<FileStatistics> stats = FileStatistics::ParseForSkipping(add);
  ASSERT_TRUE(stats.has_value());
  for (const auto& predicates : cases) {
    auto skipper = FileSkipper::Make(TestSchema(), {"part"}, ColumnMappingMode::kNone, predicates);
    ASSERT_TRUE(skipper.ok()) << skipper.status().ToString();
    auto parsed = skipper->CanSkip(add, &*stats);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, Skips(predicates, add)) << predicates[0].column;
    // Without statistics only partition values decide.
    auto without = skipper->CanSkip(add, nullptr);
    ASSERT_TRUE(without.ok());
    EXPECT_EQ(*without, predicates[0].column == "part" && predicates[0].value == "6");
  }
  auto partition_only =
      FileSkipper::Make(TestSchema(), {"part"}, ColumnMappingMode::kNone, {{"part", Op::kEq, "5"}});
  ASSERT_TRUE(partition_only.ok());
  EXPECT_FALSE(partition_only->uses_stats());
  auto data = FileSkipper::Make(TestSchema(), {"part"}, ColumnMappingMode::kNone,
                                {{"part", Op::kEq, "5"}, {"id", Op::kEq, "1"}});
  ASSERT_TRUE(data.ok());
  EXPECT_TRUE(data->uses_stats());
  EXPECT_FALSE(FileStatistics::ParseForSkipping(FileWithStats("{not json")).has_value());
  AddFile none;
  EXPECT_FALSE(FileStatistics::ParseForSkipping(none).has_value());
}

ColumnBounds BoundsOf(std::string_view stats_json, const std::string& column,
                      const std::string& type_ddl, FieldMetadata metadata = {}) {
  auto stats = FileStatistics::Parse(stats_json, "test");
  EXPECT_TRUE(stats.ok()) << stats.status().ToString();
  auto schema = ParseDdlSchema(column + " " + type_ddl);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  Field field = (*schema)->field(0);
  field.metadata = std::move(metadata);
  return GetColumnBounds(*stats, column, field);
}

TEST(DataSkippingTest, ColumnBoundsPerType) {
  ColumnBounds id = BoundsOf(kStats, "id", "BIGINT");
  ASSERT_TRUE(id.min && id.max);
  EXPECT_EQ(std::get<int64_t>(id.min->value), 5);
  EXPECT_EQ(std::get<int64_t>(id.max->value), 20);
  EXPECT_TRUE(id.no_null);
  EXPECT_FALSE(id.all_null);

  ColumnBounds price = BoundsOf(kStats, "price", "DECIMAL(10,2)");
  ASSERT_TRUE(price.min && price.max);
  EXPECT_TRUE(std::get<int128_t>(price.min->value) == 150);
  EXPECT_TRUE(std::get<int128_t>(price.max->value) == 9999);

  ColumnBounds date = BoundsOf(kStats, "d", "DATE");
  EXPECT_TRUE(date.all_null);

  // The timestamp max is a millisecond above the statistics' .456.
  ColumnBounds ts = BoundsOf(kStats, "ts", "TIMESTAMP");
  ASSERT_TRUE(ts.min && ts.max);
  EXPECT_EQ(std::get<int64_t>(ts.max->value) - std::get<int64_t>(ts.min->value),
            456000 - 123000 + 1000);
  ColumnBounds ntz = BoundsOf(kStats, "ts", "TIMESTAMP_NTZ");
  ASSERT_TRUE(ntz.min && ntz.max);
  EXPECT_EQ(std::get<int64_t>(ntz.max->value), std::get<int64_t>(ts.max->value));

  ColumnBounds name = BoundsOf(kStats, "name", "STRING");
  ASSERT_TRUE(name.min && name.max);
  EXPECT_EQ(std::get<std::string>(name.max->value), "melon");
  EXPECT_FALSE(name.no_null);
  EXPECT_FALSE(name.all_null);

  ColumnBounds f = BoundsOf(kStats, "f", "DOUBLE");
  ASSERT_TRUE(f.min && f.max);
  EXPECT_EQ(std::get<double>(f.max->value), 2.5);
}

TEST(DataSkippingTest, ColumnBoundsLeaveOutWhatIsNotABound) {
  // A max of 32 bytes may be truncated; the min is a prefix and stays a lower bound.
  std::string long_value(32, 'm');
  ColumnBounds truncated =
      BoundsOf(R"({"numRecords":2,"minValues":{"s":")" + long_value + R"("},"maxValues":{"s":")" +
                   long_value + "\xf4\x8f\xbf\xbf" + R"("},"nullCount":{"s":0}})",
               "s", "STRING");
  ASSERT_TRUE(truncated.min.has_value());
  EXPECT_EQ(std::get<std::string>(truncated.min->value), long_value);
  EXPECT_FALSE(truncated.max.has_value());
  // A NaN max (a file holding NaN) bounds nothing; the min still does.
  ColumnBounds nan =
      BoundsOf(R"({"numRecords":2,"minValues":{"f":1.5},"maxValues":{"f":"NaN"}})", "f", "DOUBLE");
  ASSERT_TRUE(nan.min.has_value());
  EXPECT_FALSE(nan.max.has_value());
  // Float statistics of files written before float → double widening do not bound doubles.
  ColumnBounds widened =
      BoundsOf(R"({"numRecords":1,"minValues":{"f":1.1},"maxValues":{"f":1.1}})", "f", "DOUBLE",
               {{"delta.typeChanges", R"([{"toType":"double","fromType":"float"}])"}});
  EXPECT_FALSE(widened.min.has_value());
  EXPECT_FALSE(widened.max.has_value());
  // Booleans have no min/max, only null counts.
  ColumnBounds flag = BoundsOf(
      R"({"numRecords":2,"minValues":{"b":false},"maxValues":{"b":true},"nullCount":{"b":2}})", "b",
      "BOOLEAN");
  EXPECT_FALSE(flag.min || flag.max);
  EXPECT_TRUE(flag.all_null);
  // A null in the statistics, a missing column and a value of another type are unknown.
  ColumnBounds null_stats = BoundsOf(
      R"({"numRecords":3,"minValues":{"k":null},"maxValues":{"k":"x"},"nullCount":{"k":1}})", "k",
      "INT");
  EXPECT_FALSE(null_stats.min || null_stats.max || null_stats.all_null || null_stats.no_null);
  ColumnBounds all_null = BoundsOf(
      R"({"numRecords":3,"minValues":{"k":null},"maxValues":{"k":null},"nullCount":{"k":3}})", "k",
      "INT");
  EXPECT_TRUE(all_null.all_null);
  ColumnBounds missing = BoundsOf(R"({"numRecords":3})", "k", "INT");
  EXPECT_FALSE(missing.min || missing.max || missing.all_null || missing.no_null);
  // Wide bounds (deletion vectors) keep their min/max but not their null counts.
  ColumnBounds wide = BoundsOf(
      R"({"numRecords":3,"tightBounds":false,"minValues":{"k":1},"maxValues":{"k":2},"nullCount":{"k":3}})",
      "k", "INT");
  EXPECT_TRUE(wide.min && wide.max);
  EXPECT_FALSE(wide.all_null);
}

TEST(DataSkippingTest, PartitionValuesDecideExactly) {
  AddFile add = FileWithStats(kStats, {{"part", "5"}});
  EXPECT_FALSE(Skips({{"part", Op::kEq, "5"}}, add));
  EXPECT_TRUE(Skips({{"part", Op::kEq, "6"}}, add));
  EXPECT_TRUE(Skips({{"part", Op::kIsNull, ""}}, add));
  AddFile null_part = FileWithStats(kStats, {{"part", std::nullopt}});
  EXPECT_FALSE(Skips({{"part", Op::kIsNull, ""}}, null_part));
  EXPECT_TRUE(Skips({{"part", Op::kGe, "0"}}, null_part));
  AddFile bad = FileWithStats(kStats, {{"part", "x"}});
  auto skipper =
      FileSkipper::Make(TestSchema(), {"part"}, ColumnMappingMode::kNone, {{"part", Op::kEq, "1"}});
  ASSERT_TRUE(skipper.ok());
  EXPECT_TRUE(skipper->CanSkip(bad).status().IsCorruption());
}

TEST(DataSkippingTest, RejectsBadPredicates) {
  EXPECT_TRUE(
      FileSkipper::Make(TestSchema(), {}, ColumnMappingMode::kNone, {{"nope", Op::kEq, "1"}})
          .status()
          .IsInvalid());
  EXPECT_TRUE(
      FileSkipper::Make(TestSchema(), {}, ColumnMappingMode::kNone, {{"id", Op::kEq, "abc"}})
          .status()
          .IsInvalid());
  EXPECT_TRUE(FileSkipper::Make(TestSchema(), {}, ColumnMappingMode::kNone, {{"s", Op::kEq, "1"}})
                  .status()
                  .IsInvalid());
}

TEST(DataSkippingTest, UsesPhysicalNamesUnderColumnMapping) {
  auto schema = ParseStructTypeJson(
      R"({"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-a"}}]})");
  ASSERT_TRUE(schema.ok());
  auto skipper = FileSkipper::Make(*schema, {}, ColumnMappingMode::kName, {{"a", Op::kGt, "10"}});
  ASSERT_TRUE(skipper.ok()) << skipper.status().ToString();
  ASSERT_EQ(skipper->physical_data_predicates().size(), 1u);
  EXPECT_EQ(skipper->physical_data_predicates()[0].column, "col-a");
  AddFile add =
      FileWithStats(R"({"numRecords":1,"minValues":{"col-a":1},"maxValues":{"col-a":10}})", {});
  auto skip = skipper->CanSkip(add);
  ASSERT_TRUE(skip.ok());
  EXPECT_TRUE(*skip);
}

TEST(DataSkippingTest, EvaluatesWithSqlNullSemantics) {
  TypedValue five{types::Int32(), int64_t{5}};
  TypedValue null = TypedValue::Null(types::Int32());
  EXPECT_TRUE(EvaluatePredicate(five, Op::kLe, five));
  EXPECT_FALSE(EvaluatePredicate(null, Op::kEq, five));
  EXPECT_TRUE(EvaluatePredicate(null, Op::kIsNull, null));
  TypedValue nan{types::Float64(), std::nan("")};
  TypedValue one{types::Float64(), 1.0};
  EXPECT_TRUE(EvaluatePredicate(nan, Op::kGt, one));
  EXPECT_TRUE(EvaluatePredicate(nan, Op::kEq, nan));
}

}  // namespace
}  // namespace arcflow::delta
