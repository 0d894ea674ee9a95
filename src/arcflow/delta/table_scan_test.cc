#include "arcflow/delta/table_scan.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "arcflow/columnar/row_printer.h"

namespace arcflow::delta {
namespace {

using Op = Predicate::Op;

const std::string kDeltaCorpus = std::string(ARCFLOW_SHARED_DIR) + "/corpora/delta";

std::shared_ptr<const Snapshot> LoadTable(const std::string& relative) {
  auto snapshot = Snapshot::Load(io::LocalFileSystem(), kDeltaCorpus + "/" + relative);
  EXPECT_TRUE(snapshot.ok()) << relative << ": " << snapshot.status().ToString();
  return snapshot.ok() ? *snapshot : nullptr;
}

// Reads the whole scan into canonical rows, sorted.
std::vector<std::string> ReadRows(const TableScan& scan) {
  auto reader = scan.Execute();
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<std::string> rows;
  if (!reader.ok()) return rows;
  while (true) {
    auto batch = (*reader)->Next();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok() || *batch == nullptr) break;
    EXPECT_TRUE((*batch)->schema()->Equals(*scan.schema(), false));
    EXPECT_TRUE((*batch)->Validate().ok());
    for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
      std::string text;
      AppendCanonicalRow(**batch, row, &text);
      rows.push_back(std::move(text));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::string> Scan(const std::string& table, TableScanOptions options = {}) {
  auto snapshot = LoadTable(table);
  if (snapshot == nullptr) return {};
  auto scan = TableScan::Make(snapshot, std::move(options));
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  return scan.ok() ? ReadRows(**scan) : std::vector<std::string>{};
}

template <typename T>
ArrayPtr MakeNumeric(const DataTypePtr& type, std::vector<std::optional<T>> values) {
  NumericBuilder<T> builder(type);
  for (const auto& value : values) {
    if (value) {
      builder.Append(*value);
    } else {
      builder.AppendNull();
    }
  }
  return *builder.Finish();
}

std::string Cell(const ArrayPtr& array, int64_t row) {
  std::string text;
  AppendCanonicalJson(*array, row, &text);
  return text;
}

TEST(TableScanTest, ConformWidensPrimitives) {
  ArrayPtr bytes = MakeNumeric<int8_t>(types::Int8(), {1, std::nullopt, -3});
  auto widened = ConformArray(bytes, types::Int64(), ColumnMappingMode::kNone, "c");
  ASSERT_TRUE(widened.ok()) << widened.status().ToString();
  EXPECT_EQ((*widened)->type_id(), TypeId::kInt64);
  EXPECT_EQ(Cell(*widened, 2), "-3");
  EXPECT_TRUE((*widened)->IsNull(1));

  ArrayPtr floats = MakeNumeric<float>(types::Float32(), {1.5f});
  auto doubles = ConformArray(floats, types::Float64(), ColumnMappingMode::kNone, "c");
  ASSERT_TRUE(doubles.ok());
  EXPECT_EQ(Cell(*doubles, 0), "1.5");

  ArrayPtr dates = MakeNumeric<int32_t>(types::Date32(), {1});
  auto timestamps = ConformArray(dates, types::TimestampNtz(), ColumnMappingMode::kNone, "c");
  ASSERT_TRUE(timestamps.ok());
  EXPECT_EQ(Cell(*timestamps, 0), "\"1970-01-02T00:00:00.000000\"");

  ArrayPtr decimals = MakeNumeric<int128_t>(types::Decimal(5, 2), {int128_t{1234}});
  auto wider = ConformArray(decimals, types::Decimal(10, 4), ColumnMappingMode::kNone, "c");
  ASSERT_TRUE(wider.ok());
  EXPECT_EQ(Cell(*wider, 0), "\"12.3400\"");

  auto narrowing = ConformArray(*widened, types::Int8(), ColumnMappingMode::kNone, "col");
  ASSERT_TRUE(narrowing.status().IsInvalid());
  EXPECT_NE(narrowing.status().message().find("col"), std::string::npos);
  EXPECT_TRUE(
      ConformArray(bytes, types::String(), ColumnMappingMode::kNone, "c").status().IsInvalid());
}

TEST(TableScanTest, ConformStructsByNameFillingMissingMembers) {
  auto file_type = types::Struct({Field("b", types::Int32()), Field("a", types::String())});
  auto builder = MakeBuilder(file_type);
  auto* struct_builder = static_cast<StructBuilder*>(builder.get());
  static_cast<Int32Builder*>(struct_builder->field_builder(0))->Append(7);
  static_cast<StringBuilder*>(struct_builder->field_builder(1))->Append("x");
  struct_builder->Append();
  struct_builder->AppendNull();
  ArrayPtr file_array = *builder->Finish();
  auto logical = types::Struct(
      {Field("a", types::String()), Field("b", types::Int64()), Field("c", types::Boolean())});
  auto conformed = ConformArray(file_array->Slice(0, 2), logical, ColumnMappingMode::kNone, "s");
  ASSERT_TRUE(conformed.ok()) << conformed.status().ToString();
  EXPECT_TRUE(ValidateArrayData(*(*conformed)->data()).ok());
  EXPECT_EQ(Cell(*conformed, 0), "{\"a\":\"x\",\"b\":7,\"c\":null}");
  EXPECT_EQ(Cell(*conformed, 1), "null");
}

TEST(TableScanTest, RemovesDeletedRows) {
  // kernel-rs: table-with-dv-small reads as values 1..8 (rows 0 and 9 deleted).
  auto rows = Scan("delta-rs/table-with-dv-small");
  std::vector<std::string> expected;
  for (int i = 1; i <= 8; ++i) expected.push_back("{\"value\":" + std::to_string(i) + "}");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(rows, expected);
}

TEST(TableScanTest, ShortDvMatchesKernelExpectation) {
  TableScanOptions options;
  options.columns = {"id"};
  auto rows = Scan("delta-kernel-rs/data/with-short-dv", options);
  std::vector<std::string> expected;
  for (int i = 3; i <= 9; ++i) expected.push_back("{\"id\":" + std::to_string(i) + "}");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(rows, expected);
}

TEST(TableScanTest, PredicatesSkipFilesAndFilterRowsWhenAsked) {
  auto snapshot = LoadTable("delta-rs/table-with-dv-small");
  ASSERT_NE(snapshot, nullptr);
  TableScanOptions options;
  options.predicates = {{"value", Op::kGt, "100"}};
  auto scan = TableScan::Make(snapshot, options);
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ((*scan)->files().size(), 0u);
  EXPECT_EQ((*scan)->num_skipped_files(), 1);
  EXPECT_TRUE(ReadRows(**scan).empty());

  // kernel-rs with_predicate_and_removes: value > 3 keeps the file; rows are not filtered.
  options.predicates = {{"value", Op::kGt, "3"}};
  auto kept = TableScan::Make(snapshot, options);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(ReadRows(**kept).size(), 8u);
  options.filter_rows = true;
  auto filtered = TableScan::Make(snapshot, options);
  ASSERT_TRUE(filtered.ok());
  EXPECT_EQ(ReadRows(**filtered).size(), 5u);  // 4..8.

  options.predicates = {{"missing", Op::kGt, "3"}};
  EXPECT_TRUE(TableScan::Make(snapshot, options).status().IsInvalid());
}

TEST(TableScanTest, ProjectsColumnsInRequestedOrder) {
  TableScanOptions options;
  options.columns = {"value", "ID"};
  options.batch_rows = 2;
  auto rows = Scan("delta-kernel-rs/data/with-short-dv", options);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0], "{\"value\":\"3\",\"id\":3}");
}

TEST(TableScanTest, ProjectsNestedStructMembers) {
  TableScanOptions options;
  options.columns = {"b", "a.ac.aca", "a.aa"};
  auto rows = Scan("delta-kernel-rs/golden/data-reader-nested-struct/delta", options);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], R"({"b":0,"aca":0,"aa":"0"})");
  options.columns = {"a.nope"};
  auto snapshot = LoadTable("delta-kernel-rs/golden/data-reader-nested-struct/delta");
  ASSERT_NE(snapshot, nullptr);
  EXPECT_FALSE(TableScan::Make(snapshot, options).ok());
}

TEST(TableScanTest, AppendsTypedPartitionColumns) {
  auto snapshot = LoadTable("delta-kernel-rs/data/basic_partitioned");
  ASSERT_NE(snapshot, nullptr);
  auto scan = TableScan::Make(snapshot);
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_TRUE((*scan)->schema()->Equals(*snapshot->schema(), false));
  auto rows = ReadRows(**scan);
  EXPECT_FALSE(rows.empty());
  // Partition pruning: only files of one partition value remain.
  TableScanOptions options;
  options.predicates = {{snapshot->metadata().partition_columns.at(0), Op::kIsNull, ""}};
  auto pruned = TableScan::Make(snapshot, options);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_LT((*pruned)->files().size(), snapshot->files().size());
}

TEST(TableScanTest, TimestampStatsAreWidenedByAMillisecond) {
  // kernel-rs timestamp_truncation_real_table_*: the file holding 00:00:04.000500 has a max
  // statistic of 00:00:04.000, truncated to the millisecond; it must not be skipped.
  auto ids = [](std::vector<Predicate> predicates, bool filter_rows) {
    TableScanOptions options;
    options.columns = {"id"};
    options.predicates = std::move(predicates);
    options.filter_rows = filter_rows;
    return Scan("delta-kernel-rs/data/timestamp-truncation-stats", options);
  };
  auto id_rows = [](std::vector<int> values) {
    std::vector<std::string> rows;
    for (int value : values) rows.push_back("{\"id\":" + std::to_string(value) + "}");
    std::sort(rows.begin(), rows.end());
    return rows;
  };
  EXPECT_EQ(ids({{"ts_col", Op::kGt, "1970-01-01T00:00:04Z"}}, false), id_rows({3, 4, 5, 6}));
  EXPECT_EQ(ids({{"ts_col", Op::kGe, "1970-01-01T00:00:04.000200Z"}}, false),
            id_rows({3, 4, 5, 6}));
  EXPECT_EQ(ids({{"ts_col", Op::kGt, "1970-01-01T00:00:04Z"}}, true), id_rows({4, 5, 6}));
  EXPECT_EQ(ids({{"ts_col", Op::kLt, "1970-01-01T00:00:03.000001Z"}}, false),
            id_rows({1, 2, 3, 4}));
  EXPECT_EQ(ids({{"ts_col", Op::kGt, "1970-01-01T00:00:08.001Z"}}, false), id_rows({}));
}

TEST(TableScanTest, ReadsColumnMappingAndDeletionVectorsTogether) {
  // dv-with-columnmapping: name mode, physical column names in the files, DVs on some files.
  auto snapshot = LoadTable("delta-kernel-rs/golden/dv-with-columnmapping/delta");
  ASSERT_NE(snapshot, nullptr);
  auto mode = GetColumnMappingMode(snapshot->metadata());
  ASSERT_TRUE(mode.ok());
  EXPECT_NE(*mode, ColumnMappingMode::kNone);
  auto scan = TableScan::Make(snapshot);
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  auto rows = ReadRows(**scan);
  int64_t deleted = 0;
  int64_t records = 0;
  for (const AddFile& add : snapshot->files()) {
    if (add.deletion_vector) deleted += add.deletion_vector->cardinality;
    auto stats = FileStatistics::Parse(add.stats.value_or("{}"), add.path);
    ASSERT_TRUE(stats.ok());
    records += stats->num_records.value_or(0);
  }
  EXPECT_GT(deleted, 0);
  EXPECT_EQ(static_cast<int64_t>(rows.size()), records - deleted);
  // Every value comes from a file column found by its physical name: none is null.
  for (const auto& row : rows) EXPECT_EQ(row.find("null"), std::string::npos) << row;
}

}  // namespace
}  // namespace arcflow::delta
