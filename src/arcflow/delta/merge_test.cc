#include "arcflow/delta/merge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/schema_json.h"
#include "arcflow/delta/change_data_feed.h"
#include "arcflow/delta/checkpoint_writer.h"
#include "arcflow/delta/data_file_writer.h"
#include "arcflow/delta/data_skipping.h"
#include "arcflow/delta/deletion_vector.h"
#include "arcflow/delta/delta_table.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/maintenance_test_util.h"
#include "arcflow/delta/table_scan.h"
#include "arcflow/delta/transaction.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/io/open_recording_file_system.h"
#include "arcflow/parquet/bridge/stored_pages.h"

namespace arcflow::delta {
namespace {

using testing::Ddl;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Latest;
using testing::MakeRows;
using testing::TableRows;
using testing::TestStorage;
using ::testing::UnorderedElementsAre;

constexpr char kRoot[] = "/tables/people";

class MergeTest : public ::testing::Test {
 protected:
  // Creates the table and appends each batch as its own commit (one file each).
  void CreateTable(const std::vector<std::vector<testing::Row>>& appends,
                   std::vector<std::string> partition_columns = {}, StringMap configuration = {}) {
    CreateTableOptions create;
    create.schema = Ddl("id BIGINT, name STRING, part STRING");
    create.partition_columns = std::move(partition_columns);
    create.configuration = std::move(configuration);
    auto table = DeltaTable::Create(storage_.fs, kRoot, create, storage_.Options());
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    for (const auto& rows : appends) {
      ASSERT_TRUE((*table)->Append({MakeRows(create.schema, rows)}).ok());
    }
  }
  std::shared_ptr<const Snapshot> CurrentSnapshot() { return Latest(storage_.fs, kRoot); }

  TestStorage storage_;
};

SchemaPtr SourceSchema() { return Ddl("id BIGINT, name STRING, part STRING, op STRING"); }

TEST_F(MergeTest, UpdatesInsertsAndDeletesByKey) {
  CreateTable({{{"1", "one", "a"}, {"2", "two", "a"}, {"3", "three", "b"}},
               {{"4", "four", "b"}, {"5", "five", "c"}}});
  MergeOptions options;
  options.key_columns = {"id"};
  options.when_matched_delete_condition = {Predicate{"op", Predicate::Op::kEq, "D"}};
  auto source = MakeRows(SourceSchema(), {{"2", "two-new", "a", "U"},
                                          {"3", "three", "b", "D"},
                                          {"6", "six", "c", "I"},
                                          {"7", "seven", "c", "D"}});
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_source_rows, 4);
  EXPECT_EQ(result->num_rows_inserted, 1);
  EXPECT_EQ(result->num_rows_updated, 1);
  EXPECT_EQ(result->num_rows_deleted, 1);
  // The first file (ids 1-3) is rewritten, its row 1 copied; the second file is untouched.
  EXPECT_EQ(result->num_rows_copied, 1);
  EXPECT_EQ(result->num_files_removed, 1);
  ASSERT_TRUE(result->commit.has_value());
  EXPECT_EQ(result->commit->version, 3);

  auto snapshot = CurrentSnapshot();
  EXPECT_THAT(
      TableRows(snapshot),
      ElementsAre(R"({"id":1,"name":"one","part":"a"})", R"({"id":2,"name":"two-new","part":"a"})",
                  R"({"id":4,"name":"four","part":"b"})", R"({"id":5,"name":"five","part":"c"})",
                  R"({"id":6,"name":"six","part":"c"})"));
  // The control column `op` is not written to the table.
  EXPECT_EQ(snapshot->schema()->GetFieldIndex("op"), -1);
  std::string commit = testing::CommitText(*storage_.fs, kRoot, 3);
  EXPECT_THAT(commit, HasSubstr(R"("operation":"MERGE")"));
  EXPECT_THAT(commit, HasSubstr(R"("numTargetRowsInserted":"1")"));
  EXPECT_THAT(commit, HasSubstr(R"("numTargetRowsUpdated":"1")"));
  EXPECT_THAT(commit, HasSubstr(R"("numTargetRowsDeleted":"1")"));
  EXPECT_THAT(commit, HasSubstr(R"("numTargetRowsCopied":"1")"));
  EXPECT_THAT(commit, HasSubstr(R"("numSourceRows":"4")"));
  EXPECT_THAT(commit, HasSubstr(R"("numTargetFilesRemoved":"1")"));
}

TEST_F(MergeTest, DuplicateSourceKeysAreInvalidNamingTheKey) {
  CreateTable({{{"1", "one", "a"}}});
  MergeOptions options;
  options.key_columns = {"id", "part"};
  auto source = MakeRows(SourceSchema(), {{"2", "x", "a", "U"}, {"2", "y", "a", "U"}});
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalid());
  EXPECT_THAT(result.status().ToString(), HasSubstr("(id=2, part=\"a\")"));
  EXPECT_EQ(CurrentSnapshot()->version(), 1);  // Nothing committed.
}

TEST_F(MergeTest, DeduplicatesByGreatestOrderValue) {
  CreateTable({{{"1", "one", "a"}, {"2", "two", "a"}}});
  MergeOptions options;
  options.key_columns = {"id"};
  options.deduplicate_order_column = "seq";
  auto schema = Ddl("id BIGINT, name STRING, part STRING, seq BIGINT");
  auto source = MakeRows(schema, {{"2", "first", "a", "1"},
                                  {"2", "latest", "a", "3"},
                                  {"2", "middle", "a", "2"},
                                  {"2", "unordered", "a", std::nullopt},
                                  {"8", "eight-old", "a", "1"},
                                  {"8", "eight-new", "a", "5"}});
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_rows_updated, 1);
  EXPECT_EQ(result->num_rows_inserted, 1);
  EXPECT_THAT(
      TableRows(CurrentSnapshot()),
      ElementsAre(R"({"id":1,"name":"one","part":"a"})", R"({"id":2,"name":"latest","part":"a"})",
                  R"({"id":8,"name":"eight-new","part":"a"})"));
}

TEST_F(MergeTest, ReadsOnlyFilesHoldingASourceKeyNotTheWholeKeyRange) {
  std::vector<std::vector<testing::Row>> appends;
  for (int file = 0; file < 4; ++file) {
    std::vector<testing::Row> rows;
    for (int i = 0; i < 10; ++i) {
      int id = file * 10 + i;
      rows.push_back({std::to_string(id), "n" + std::to_string(id), "a"});
    }
    appends.push_back(rows);
  }
  CreateTable(appends);
  MergeOptions options;
  options.key_columns = {"id"};
  // Keys 3 (first file) and 100 (new) span every file, but only the first can hold a match.
  auto source = MakeRows(SourceSchema(), {{"3", "three", "a", "U"}, {"100", "new", "a", "I"}});
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_candidate_files, 1);
  EXPECT_EQ(result->num_rows_updated, 1);
  EXPECT_EQ(result->num_rows_inserted, 1);
  EXPECT_EQ(result->num_rows_copied, 9);
}

// Candidate selection by key type. Each table has one file per FileSpec; a merge runs with
// every file it should not read moved away (reading one fails the merge), and the test checks
// which files were rewritten and the rows after it.

// One data file: its rows, and its add.stats (collected as arcflow writes them, none, or a
// given JSON text, e.g. as another writer would have written them).
struct FileSpec {
  enum class Stats { kCollected, kNone, kGiven };
  FileSpec(std::vector<testing::Row> rows)  // NOLINT(google-explicit-constructor)
      : rows(std::move(rows)) {}

  std::vector<testing::Row> rows;
  Stats stats = Stats::kCollected;
  std::string given_stats;
};

FileSpec WithoutStats(std::vector<testing::Row> rows) {
  FileSpec spec(std::move(rows));
  spec.stats = FileSpec::Stats::kNone;
  return spec;
}

FileSpec WithGivenStats(std::vector<testing::Row> rows, std::string stats) {
  FileSpec spec(std::move(rows));
  spec.stats = FileSpec::Stats::kGiven;
  spec.given_stats = std::move(stats);
  return spec;
}

class MergeKeyTest : public MergeTest {
 protected:
  // Creates the table and commits each spec's rows as one file; returns the files' paths.
  std::vector<std::string> CreateFiles(const SchemaPtr& schema, const std::vector<FileSpec>& specs,
                                       std::vector<std::string> partition_columns = {}) {
    CreateTableOptions create;
    create.schema = schema;
    create.partition_columns = std::move(partition_columns);
    auto table = DeltaTable::Create(storage_.fs, kRoot, create, storage_.Options());
    EXPECT_TRUE(table.ok()) << table.status().ToString();
    std::vector<std::string> paths;
    for (const FileSpec& spec : specs) {
      auto snapshot = CurrentSnapshot();
      auto options = DataFileWriterOptions::FromMetadata(snapshot->metadata());
      EXPECT_TRUE(options.ok()) << options.status().ToString();
      options->collect_stats = spec.stats == FileSpec::Stats::kCollected;
      auto writer = DataFileWriter::Open(storage_.fs, kRoot, snapshot->schema(), *options);
      EXPECT_TRUE(writer.ok()) << writer.status().ToString();
      EXPECT_TRUE((*writer)->Write(*MakeRows(schema, spec.rows)).ok());
      auto adds = (*writer)->Finish();
      EXPECT_TRUE(adds.ok()) << adds.status().ToString();
      EXPECT_EQ(adds->size(), 1u);
      if (spec.stats == FileSpec::Stats::kGiven) (*adds)[0].stats = spec.given_stats;
      paths.push_back((*adds)[0].path);
      auto transaction = OptimisticTransaction::Start(snapshot, storage_.Options());
      EXPECT_TRUE(transaction.ok()) << transaction.status().ToString();
      (*transaction)->AddFiles(std::move(*adds));
      (*transaction)->SetOperation("WRITE");
      auto commit = (*transaction)->Commit();
      EXPECT_TRUE(commit.ok()) << commit.status().ToString();
    }
    return paths;
  }

  // Merges with every table file except `reads` moved away, then puts them back. The merge
  // fails if it reads a moved file; it must read exactly `reads`.
  MergeResult MergeReadingOnly(const std::set<std::string>& reads, const RecordBatchPtr& source,
                               const MergeOptions& options) {
    auto snapshot = CurrentSnapshot();
    std::vector<std::string> hidden;
    for (const AddFile& file : snapshot->files()) {
      if (reads.count(file.path) > 0) continue;
      std::string path = ResolveDataFilePath(kRoot, file.path);
      EXPECT_TRUE(storage_.fs->Rename(path, path + ".hidden").ok());
      hidden.push_back(std::move(path));
    }
    auto result = Merge(snapshot, {source}, options, storage_.Options());
    for (const std::string& path : hidden) {
      EXPECT_TRUE(storage_.fs->Rename(path + ".hidden", path).ok());
    }
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return {};
    EXPECT_EQ(result->num_candidate_files, static_cast<int64_t>(reads.size()));
    return *result;
  }

  // The files of `before` (paths) no longer in the table.
  std::set<std::string> RemovedFiles(const std::vector<std::string>& before) {
    std::set<std::string> now;
    auto snapshot = CurrentSnapshot();
    for (const AddFile& file : snapshot->files()) now.insert(file.path);
    std::set<std::string> removed;
    for (const std::string& path : before) {
      if (now.count(path) == 0) removed.insert(path);
    }
    return removed;
  }

  // How many rows of the table have `text` in their canonical JSON.
  int RowsContaining(const std::string& text) {
    int count = 0;
    for (const std::string& row : TableRows(CurrentSnapshot())) {
      count += row.find(text) != std::string::npos ? 1 : 0;
    }
    return count;
  }
};

struct KeyTypeCase {
  std::string name;
  std::string type;               // DDL type of the key column.
  std::vector<std::string> keys;  // Ten increasing values.
};

void PrintTo(const KeyTypeCase& key_type, std::ostream* out) { *out << key_type.name; }

class MergeKeyTypeTest : public MergeKeyTest, public ::testing::WithParamInterface<KeyTypeCase> {};

// Files (key ranges):  f0 [k0,k2]  f1 [k3,k5]  f2 [k4,k6] (overlaps f1)  f3 [k7,k8]
//                      f4 only null keys   f5 k6 without statistics.
// Source keys k1, k5, k9 and a null key. Every file but f4 meets the source range [k1,k9];
// only f0 (k1 in its range, not held), f1 (holds k5), f2 (k5 in its range) and f5 (no
// statistics) can hold one; only f1 is rewritten.
TEST_P(MergeKeyTypeTest, ReadsOnlyFilesWhoseRangesHoldASourceKey) {
  const KeyTypeCase& param = GetParam();
  const std::vector<std::string>& k = param.keys;
  ASSERT_EQ(k.size(), 10u);
  auto schema = Ddl("k " + param.type + ", v STRING");
  std::vector<std::string> files =
      CreateFiles(schema, {{{{k[0], "f0"}, {k[2], "f0"}}},
                           {{{k[3], "f1"}, {k[5], "old"}}},
                           {{{k[4], "f2"}, {k[6], "f2"}}},
                           {{{k[7], "f3"}, {k[8], "f3"}}},
                           {{{std::nullopt, "f4"}, {std::nullopt, "f4"}}},
                           WithoutStats({{k[6], "f5"}})});
  auto source = MakeRows(
      Ddl("k " + param.type + ", v STRING"),
      {{k[1], "inserted"}, {k[5], "updated"}, {k[9], "inserted"}, {std::nullopt, "null key"}});
  MergeOptions options;
  options.key_columns = {"k"};
  MergeResult result = MergeReadingOnly({files[0], files[1], files[2], files[5]}, source, options);
  EXPECT_EQ(result.num_rows_updated, 1);
  EXPECT_EQ(result.num_rows_inserted, 3);
  EXPECT_EQ(result.num_rows_copied, 1);
  EXPECT_THAT(RemovedFiles(files), ElementsAre(files[1]));
  EXPECT_EQ(TableRows(CurrentSnapshot()).size(), 14u);
  EXPECT_EQ(RowsContaining(R"("v":"updated")"), 1);
  EXPECT_EQ(RowsContaining(R"("v":"old")"), 0);
  EXPECT_EQ(RowsContaining(R"("v":"inserted")"), 2);
  EXPECT_EQ(RowsContaining(R"("k":null)"), 3);
}

INSTANTIATE_TEST_SUITE_P(
    KeyTypes, MergeKeyTypeTest,
    ::testing::Values(
        KeyTypeCase{
            "TinyInt", "TINYINT", {"-128", "-100", "-5", "0", "3", "7", "20", "50", "100", "127"}},
        KeyTypeCase{"SmallInt",
                    "SMALLINT",
                    {"-32768", "-1000", "-5", "0", "3", "7", "20", "500", "1000", "32767"}},
        KeyTypeCase{
            "Int",
            "INT",
            {"-2147483648", "-1000", "-5", "0", "3", "7", "20", "500", "100000", "2147483647"}},
        KeyTypeCase{"BigInt",
                    "BIGINT",
                    {"-9223372036854775808", "-1000", "-5", "0", "3", "7", "20", "500",
                     "10000000000", "9223372036854775807"}},
        KeyTypeCase{"Date",
                    "DATE",
                    {"1969-12-31", "2000-02-29", "2024-01-01", "2024-01-02", "2024-01-03",
                     "2024-02-29", "2024-03-01", "2024-12-31", "2025-01-01", "9999-12-31"}},
        // Microsecond keys at least a second apart: the statistics keep milliseconds.
        KeyTypeCase{
            "Timestamp",
            "TIMESTAMP",
            {"1969-12-31 23:59:58.999999", "2024-01-01 10:00:00.000001",
             "2024-01-01 10:00:01.123456", "2024-01-01 10:00:02.999999", "2024-01-01 10:00:04",
             "2024-01-01 10:00:05.000500", "2024-01-01 10:00:06.250001", "2024-01-01 10:00:08.999",
             "2024-06-01 00:00:00", "2038-01-19 03:14:08.000001"}},
        KeyTypeCase{
            "TimestampNtz",
            "TIMESTAMP_NTZ",
            {"1969-12-31 23:59:58.999999", "2024-01-01 10:00:00.000001",
             "2024-01-01 10:00:01.123456", "2024-01-01 10:00:02.999999", "2024-01-01 10:00:04",
             "2024-01-01 10:00:05.000500", "2024-01-01 10:00:06.250001", "2024-01-01 10:00:08.999",
             "2024-06-01 00:00:00", "2038-01-19 03:14:08.000001"}},
        KeyTypeCase{"Decimal",
                    "DECIMAL(12,3)",
                    {"-999999999.999", "-1.500", "0.000", "0.001", "1.000", "2.500", "10.000",
                     "99.999", "100.000", "999999999.999"}},
        // The empty string is a key; UTF-8 sorts by bytes ("é" after "z").
        KeyTypeCase{"String",
                    "STRING",
                    {"", "a", "apple", "apples", "banana", "cherry", "kiwi", "lemon", "zucchini",
                     "\xc3\xa9t\xc3\xa9"}},
        // Values a float cannot hold exactly (0.1, 1.1) must compare as the stored floats.
        KeyTypeCase{
            "Float",
            "FLOAT",
            {"-3.0E38", "-2.5", "-0.1", "0.0", "0.1", "1.1", "2.5", "3.75", "1.0E10", "3.0E38"}},
        KeyTypeCase{
            "Double",
            "DOUBLE",
            {"-1.0E300", "-2.5", "-0.1", "0.0", "0.1", "1.1", "2.5", "3.75", "1.0E10", "1.0E300"}}),
    [](const ::testing::TestParamInfo<KeyTypeCase>& info) { return info.param.name; });

// Statistics truncate timestamps to milliseconds (Spark) or round the max up (arcflow): a key
// within the millisecond after a file's max must still read the file.
TEST_F(MergeKeyTest, TimestampKeysKeepTheMillisecondRule) {
  auto schema = Ddl("k TIMESTAMP, v STRING");
  // f0 holds .000500 and .000700 with Spark's statistics: the max truncated to .000.
  std::vector<std::string> files = CreateFiles(
      schema,
      {WithGivenStats({{"2024-01-01 10:00:00.000500", "f0"}, {"2024-01-01 10:00:00.000700", "old"}},
                      R"({"numRecords":2,"minValues":{"k":"2024-01-01T10:00:00.000Z"},)"
                      R"("maxValues":{"k":"2024-01-01T10:00:00.000Z"},"nullCount":{"k":0}})"),
       {{{"2024-01-01 10:00:00.003000", "f1"}}}});
  // .000700 is held by f0; .000900 lies within f0's millisecond; .002500 in neither file.
  auto source = MakeRows(schema, {{"2024-01-01 10:00:00.000700", "updated"},
                                  {"2024-01-01 10:00:00.000900", "inserted"},
                                  {"2024-01-01 10:00:00.002500", "inserted"}});
  MergeOptions options;
  options.key_columns = {"k"};
  MergeResult result = MergeReadingOnly({files[0]}, source, options);
  EXPECT_EQ(result.num_rows_updated, 1);
  EXPECT_EQ(result.num_rows_inserted, 2);
  EXPECT_THAT(RemovedFiles(files), ElementsAre(files[0]));
  EXPECT_EQ(RowsContaining(R"("v":"old")"), 0);
  EXPECT_EQ(TableRows(CurrentSnapshot()).size(), 5u);
}

// Statistics keep 32 characters of strings: the min is a prefix and a longer max is no bound,
// so files of keys sharing a 32-character prefix cannot be told apart and are all read.
TEST_F(MergeKeyTest, LongStringKeysSharingAPrefix) {
  const std::string prefix = "customer-account-identifier-0000";
  ASSERT_EQ(prefix.size(), 32u);
  auto schema = Ddl("k STRING, v STRING");
  std::vector<std::string> files =
      CreateFiles(schema, {{{{"aardvark", "f0"}, {"abacus", "f0"}}},
                           {{{prefix + "-alpha", "f1"}, {prefix + "-beta", "f1"}}},
                           {{{prefix + "-gamma", "f2"}, {prefix + "-delta", "old"}}},
                           {{{"customer-account-identifier-00", "f3"}}},
                           {{{"zebra", "old"}}}});
  auto source = MakeRows(schema, {{prefix + "-delta", "updated"},
                                  {"abc", "inserted"},
                                  {"zebra", "updated"},
                                  {prefix + "-epsilon", "inserted"}});
  MergeOptions options;
  options.key_columns = {"k"};
  // f1 and f2 have the same statistics (min the prefix, no max); "zebra" and the prefixed keys
  // lie in their range. f0 ends before "abc"; f3 is below the prefix.
  MergeResult result = MergeReadingOnly({files[1], files[2], files[4]}, source, options);
  EXPECT_EQ(result.num_rows_updated, 2);
  EXPECT_EQ(result.num_rows_inserted, 2);
  EXPECT_THAT(RemovedFiles(files), UnorderedElementsAre(files[2], files[4]));
  EXPECT_EQ(RowsContaining(R"("v":"old")"), 0);
  EXPECT_EQ(RowsContaining(R"("v":"updated")"), 2);
  EXPECT_EQ(TableRows(CurrentSnapshot()).size(), 10u);
}

// NaN: statistics never bound it (a file with a NaN has max "NaN"), and data skipping never
// decides it, so a NaN source key reads every file; other keys still narrow.
TEST_F(MergeKeyTest, DoubleKeysWithNaN) {
  auto schema = Ddl("k DOUBLE, v STRING");
  std::vector<std::string> files = CreateFiles(schema, {{{{"1.0", "f0"}, {"NaN", "old"}}},
                                                        {{{"2.0", "f1"}, {"3.0", "f1"}}},
                                                        {{{"10.0", "f2"}, {"11.0", "f2"}}}});
  MergeOptions options;
  options.key_columns = {"k"};
  // f0's range is [1.0, unbounded) because of its NaN.
  MergeResult narrowed =
      MergeReadingOnly({files[0], files[1]}, MakeRows(schema, {{"2.5", "inserted"}}), options);
  EXPECT_EQ(narrowed.num_rows_inserted, 1);
  EXPECT_EQ(narrowed.num_files_removed, 0);

  std::set<std::string> every_file;
  auto snapshot = CurrentSnapshot();
  for (const AddFile& file : snapshot->files()) every_file.insert(file.path);
  ASSERT_EQ(every_file.size(), 4u);
  MergeResult with_nan = MergeReadingOnly(
      every_file, MakeRows(schema, {{"NaN", "updated"}, {"10.5", "inserted"}}), options);
  EXPECT_EQ(with_nan.num_rows_updated, 1);
  EXPECT_EQ(with_nan.num_rows_inserted, 1);
  EXPECT_THAT(RemovedFiles(files), ElementsAre(files[0]));
  EXPECT_EQ(RowsContaining(R"("v":"old")"), 0);
  EXPECT_EQ(TableRows(CurrentSnapshot()).size(), 8u);
}

// Several key columns: a file can hold a source key only when one key tuple lies within the
// file's range in every column; that each column has some value in range is not enough.
TEST_F(MergeKeyTest, CompositeKeysNarrowByWholeTuples) {
  auto schema = Ddl("region STRING, id INT, v STRING");
  std::vector<std::string> files =
      CreateFiles(schema, {{{{"eu", "1", "f0"}, {"eu", "5", "f0"}}},     // eu × [1,5]
                           {{{"us", "1", "f1"}, {"us", "5", "f1"}}},     // us × [1,5]
                           {{{"eu", "10", "f2"}, {"us", "20", "f2"}}},   // [eu,us] × [10,20]
                           {{{"asia", "3", "f3"}, {"eu", "3", "old"}}},  // [asia,eu] × 3
                           WithoutStats({{"us", "3", "f4"}}),            // unknown
                           {{{std::nullopt, "2", "f5"}, {std::nullopt, "3", "f5"}}},  // no region
                           {{{"us", std::nullopt, "f6"}}}});                          // no id
  auto source = MakeRows(schema, {{"eu", "3", "updated"},          // f0's range; held by f3
                                  {"us", "15", "inserted"},        // f2's range only
                                  {"asia", "5", "inserted"},       // no file's range
                                  {"us", std::nullopt, "null"}});  // a null key never matches
  MergeOptions options;
  options.key_columns = {"region", "id"};
  // Region "us" and ids 3 and 5 are each within f1's range, but neither (us, 3) nor (us, 5)
  // is a source key, so f1 is not read.
  MergeResult result = MergeReadingOnly({files[0], files[2], files[3], files[4]}, source, options);
  EXPECT_EQ(result.num_rows_updated, 1);
  EXPECT_EQ(result.num_rows_inserted, 3);
  EXPECT_THAT(RemovedFiles(files), ElementsAre(files[3]));
  EXPECT_EQ(RowsContaining(R"("v":"old")"), 0);
  EXPECT_EQ(RowsContaining(R"("v":"updated")"), 1);
  EXPECT_EQ(TableRows(CurrentSnapshot()).size(), 15u);
}

// A partition column's value is exact: with the key in the partition values, only the
// partitions equal to a source key are read, not every partition in the keys' range.
TEST_F(MergeKeyTest, PartitionKeyReadsOnlyMatchingPartitions) {
  auto schema = Ddl("v STRING, k INT");
  std::vector<std::string> files = CreateFiles(schema,
                                               {{{{"f0", "1"}}},
                                                {{{"f1", "3"}}},
                                                {{{"old", "5"}}},
                                                {{{"f3", "7"}}},
                                                {{{"f4", std::nullopt}}}},
                                               {"k"});
  MergeOptions options;
  options.key_columns = {"k"};
  MergeResult result = MergeReadingOnly(
      {files[2]}, MakeRows(schema, {{"inserted", "2"}, {"updated", "5"}, {"inserted", "9"}}),
      options);
  EXPECT_EQ(result.num_rows_updated, 1);
  EXPECT_EQ(result.num_rows_inserted, 2);
  EXPECT_THAT(RemovedFiles(files), ElementsAre(files[2]));
  EXPECT_EQ(TableRows(CurrentSnapshot()).size(), 7u);
}

// A partition column and a data column together: the partition value fixes one coordinate of
// the file's box, the statistics the other.
TEST_F(MergeKeyTest, CompositeKeyOfPartitionAndDataColumns) {
  auto schema = Ddl("id BIGINT, v STRING, flag BOOLEAN");
  std::vector<std::string> files = CreateFiles(schema,
                                               {{{{"1", "f0", "true"}, {"5", "f0", "true"}}},
                                                {{{"1", "f1", "false"}, {"5", "old", "false"}}},
                                                {{{"10", "f2", "false"}, {"20", "f2", "false"}}},
                                                {{{"1", "f3", std::nullopt}}}},
                                               {"flag"});
  auto source = MakeRows(schema, {{"5", "updated", "false"}, {"30", "inserted", "true"}});
  MergeOptions options;
  options.key_columns = {"flag", "id"};
  // Booleans have no ordering range to prune by, yet (false, 5) fits only f1 and (true, 30)
  // no file.
  MergeResult result = MergeReadingOnly({files[1]}, source, options);
  EXPECT_EQ(result.num_rows_updated, 1);
  EXPECT_EQ(result.num_rows_inserted, 1);
  EXPECT_THAT(RemovedFiles(files), ElementsAre(files[1]));
  EXPECT_EQ(RowsContaining(R"("v":"old")"), 0);
  EXPECT_EQ(TableRows(CurrentSnapshot()).size(), 8u);
}

// Statistics keep no min/max for booleans: a boolean data key column narrows only by null
// counts, while the other key columns still narrow.
TEST_F(MergeKeyTest, BooleanDataKeyColumn) {
  auto schema = Ddl("flag BOOLEAN, id INT, v STRING");
  std::vector<std::string> files =
      CreateFiles(schema, {{{{"true", "1", "f0"}, {"false", "2", "old"}}},
                           {{{std::nullopt, "1", "f1"}, {std::nullopt, "2", "f1"}}},
                           {{{"true", "10", "f2"}, {"true", "11", "f2"}}}});
  auto source = MakeRows(schema, {{"false", "2", "updated"}, {"true", "5", "inserted"}});
  MergeOptions options;
  options.key_columns = {"flag", "id"};
  MergeResult result = MergeReadingOnly({files[0]}, source, options);
  EXPECT_EQ(result.num_rows_updated, 1);
  EXPECT_EQ(result.num_rows_inserted, 1);
  EXPECT_THAT(RemovedFiles(files), ElementsAre(files[0]));
  EXPECT_EQ(TableRows(CurrentSnapshot()).size(), 7u);
}

// MERGE reads a candidate file's key columns first, and the whole rows only of files that keep
// some old rows: a file whose keys all match is replaced by source rows without being read
// again, and a file whose statistics admit a source key it does not hold is not rewritten.
TEST_F(MergeTest, ReadsWholeRowsOnlyOfFilesThatKeepSomeRows) {
  CreateTable({{{"1", "one", "a"}, {"2", "two", "a"}, {"3", "three", "a"}},
               {{"4", "four", "b"}, {"5", "five", "b"}},
               {{"6", "six", "c"}, {"7", "seven", "c"}},
               {{"10", "ten", "d"}, {"20", "twenty", "d"}}});
  auto counting = std::make_shared<io::OpenRecordingFileSystem>(storage_.fs);
  auto snapshot = Snapshot::Load(counting, kRoot);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  std::map<std::string, std::string> file_of_first_id;
  for (const AddFile& file : (*snapshot)->files()) {
    std::optional<FileStatistics> stats = FileStatistics::ParseForSkipping(file);
    ASSERT_TRUE(stats.has_value());
    file_of_first_id[stats->min_values.at("id")] = file.path;
  }
  ASSERT_EQ(file_of_first_id.size(), 4u);

  MergeOptions options;
  options.key_columns = {"id"};
  options.when_matched_delete_condition = {Predicate{"op", Predicate::Op::kEq, "D"}};
  auto source = MakeRows(SourceSchema(), {{"1", "ONE", "a", "U"},
                                          {"2", "TWO", "a", "U"},
                                          {"3", "three", "a", "D"},
                                          {"4", "four", "b", "D"},
                                          {"5", "five", "b", "D"},
                                          {"7", "SEVEN", "c", "U"},
                                          {"15", "fifteen", "d", "I"}});
  auto result = Merge(*snapshot, {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_candidate_files, 4);
  EXPECT_EQ(result->num_files_removed, 3);
  EXPECT_EQ(result->num_rows_updated, 3);
  EXPECT_EQ(result->num_rows_deleted, 3);
  EXPECT_EQ(result->num_rows_inserted, 1);
  EXPECT_EQ(result->num_rows_copied, 1);
  // Updated and deleted rows only: the key columns are read, not the rest.
  EXPECT_EQ(counting->opens(file_of_first_id.at("1")), 1);
  EXPECT_EQ(counting->opens(file_of_first_id.at("4")), 1);
  // Row 6 is copied, so its file is read again whole.
  EXPECT_EQ(counting->opens(file_of_first_id.at("6")), 2);
  // Ids 10 and 20 bound 15, which the file does not hold.
  EXPECT_EQ(counting->opens(file_of_first_id.at("10")), 1);
  EXPECT_THAT(
      TableRows(CurrentSnapshot()),
      ElementsAre(R"({"id":1,"name":"ONE","part":"a"})", R"({"id":10,"name":"ten","part":"d"})",
                  R"({"id":15,"name":"fifteen","part":"d"})", R"({"id":2,"name":"TWO","part":"a"})",
                  R"({"id":20,"name":"twenty","part":"d"})", R"({"id":6,"name":"six","part":"c"})",
                  R"({"id":7,"name":"SEVEN","part":"c"})"));
}

// A table whose file has a deletion vector (delta-rs/table-with-dv-small: values 0..9, with 0
// and 9 deleted; the table enables deletion vectors). The read of the file skips the deleted
// rows, so a deleted key is inserted anew. The file is not rewritten: the remove names it with
// its old vector, and the add gives it a new one hiding the old rows and the updated one.
TEST(MergeCorpusTest, MergesIntoAFileWithADeletionVector) {
  io::ScratchDirectory directory;
  std::filesystem::copy(
      std::string(ARCFLOW_SHARED_DIR) + "/corpora/delta/delta-rs/table-with-dv-small",
      directory.path(), std::filesystem::copy_options::recursive);
  auto fs = io::LocalFileSystem();
  auto snapshot = Snapshot::Load(fs, directory.path());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  ASSERT_EQ((*snapshot)->files().size(), 1u);
  ASSERT_TRUE((*snapshot)->files()[0].deletion_vector.has_value());
  MergeOptions options;
  options.key_columns = {"value"};
  auto source = MakeRows(Ddl("value INT"), {{"5"}, {"9"}, {"10"}});
  auto result = Merge(*snapshot, {source}, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_rows_updated, 1);
  EXPECT_EQ(result->num_rows_inserted, 2);
  EXPECT_EQ(result->num_rows_copied, 0);
  EXPECT_EQ(result->num_files_removed, 0);
  EXPECT_EQ(result->num_deletion_vectors_added, 1);
  EXPECT_EQ(result->num_deletion_vectors_removed, 1);
  auto merged = Latest(fs, directory.path());
  EXPECT_THAT(TableRows(merged),
              ElementsAre(R"({"value":10})", R"({"value":1})", R"({"value":2})", R"({"value":3})",
                          R"({"value":4})", R"({"value":5})", R"({"value":6})", R"({"value":7})",
                          R"({"value":8})", R"({"value":9})"));
  std::string commit = testing::CommitText(*fs, directory.path(), 2);
  EXPECT_THAT(commit, HasSubstr(R"("pathOrInlineDv":"vBn[lx{q8@P<9BNH/isA")"));
  const std::string& data_file = (*snapshot)->files()[0].path;
  const AddFile* kept = nullptr;
  for (const AddFile& file : merged->files()) {
    if (file.path == data_file) kept = &file;
  }
  ASSERT_NE(kept, nullptr);
  ASSERT_TRUE(kept->deletion_vector.has_value());
  auto hidden = ReadDeletionVector(*fs, directory.path(), *kept->deletion_vector);
  ASSERT_TRUE(hidden.ok()) << hidden.status().ToString();
  EXPECT_THAT(hidden->rows(), ElementsAre(0u, 5u, 9u));
}

// The same merges into a table that enables deletion vectors and into one that does not give
// the same rows after every round. In the first, files that keep rows are not rewritten but
// get a deletion vector (the union of the rows hidden so far), their statistics marked wide;
// a file left with no row is removed.
TEST_F(MergeTest, DeletionVectorsHideChangedRowsInsteadOfRewritingFiles) {
  constexpr char kVectorRoot[] = "/tables/people_with_vectors";
  const std::vector<std::vector<testing::Row>> appends = {{{"1", "one", "a"},
                                                           {"2", "two", "a"},
                                                           {"3", "three", "a"},
                                                           {"4", "four", "a"},
                                                           {"5", "five", "a"}},
                                                          {{"6", "six", "b"}, {"7", "seven", "b"}}};
  CreateTable(appends);
  {
    CreateTableOptions create;
    create.schema = Ddl("id BIGINT, name STRING, part STRING");
    create.configuration = {{"delta.enableDeletionVectors", "true"}};
    auto table = DeltaTable::Create(storage_.fs, kVectorRoot, create, storage_.Options());
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    for (const auto& rows : appends) {
      ASSERT_TRUE((*table)->Append({MakeRows(create.schema, rows)}).ok());
    }
  }
  const std::string first_file = [&] {
    auto snapshot = Latest(storage_.fs, kVectorRoot);
    for (const AddFile& file : snapshot->files()) {
      if (FileStatistics::ParseForSkipping(file)->min_values.at("id") == "1") return file.path;
    }
    return std::string();
  }();
  ASSERT_FALSE(first_file.empty());
  const auto vector_of_first_file = [&]() -> std::optional<AddFile> {
    auto snapshot = Latest(storage_.fs, kVectorRoot);
    for (const AddFile& file : snapshot->files()) {
      if (file.path == first_file) return file;
    }
    return std::nullopt;
  };
  MergeOptions options;
  options.key_columns = {"id"};
  options.when_matched_delete_condition = {Predicate{"op", Predicate::Op::kEq, "D"}};
  const auto merge_both = [&](const std::vector<testing::Row>& rows) {
    auto source = MakeRows(SourceSchema(), rows);
    auto copied = Merge(Latest(storage_.fs, kRoot), {source}, options, storage_.Options());
    auto hidden = Merge(Latest(storage_.fs, kVectorRoot), {source}, options, storage_.Options());
    EXPECT_TRUE(copied.ok()) << copied.status().ToString();
    EXPECT_TRUE(hidden.ok()) << hidden.status().ToString();
    EXPECT_EQ(TableRows(Latest(storage_.fs, kVectorRoot)), TableRows(Latest(storage_.fs, kRoot)));
    if (copied.ok() && hidden.ok()) {
      EXPECT_EQ(hidden->num_rows_updated, copied->num_rows_updated);
      EXPECT_EQ(hidden->num_rows_deleted, copied->num_rows_deleted);
      EXPECT_EQ(hidden->num_rows_inserted, copied->num_rows_inserted);
    }
    return hidden.ok() ? *hidden : MergeResult();
  };

  // Round 1: row 2 updated, row 4 deleted, 9 inserted; rows 1, 3, 5 stay where they are.
  MergeResult first =
      merge_both({{"2", "TWO", "a", "U"}, {"4", "four", "a", "D"}, {"9", "nine", "c", "I"}});
  EXPECT_EQ(first.num_files_removed, 0);
  EXPECT_EQ(first.num_rows_copied, 0);
  EXPECT_EQ(first.num_deletion_vectors_added, 1);
  EXPECT_EQ(first.num_deletion_vectors_removed, 0);
  std::optional<AddFile> file = vector_of_first_file();
  ASSERT_TRUE(file.has_value() && file->deletion_vector.has_value());
  EXPECT_EQ(file->deletion_vector->cardinality, 2);
  EXPECT_THAT(*file->stats, HasSubstr(R"("numRecords":5,)"));
  EXPECT_THAT(*file->stats, HasSubstr(R"("tightBounds":false)"));
  std::string commit = testing::CommitText(*storage_.fs, kVectorRoot, 3);
  EXPECT_THAT(commit, HasSubstr(R"("numTargetDeletionVectorsAdded":"1")"));
  EXPECT_THAT(commit, HasSubstr(R"("numTargetRowsCopied":"0")"));
  // The file is re-added, not written: it counts in neither the output nor the removed files.
  EXPECT_THAT(commit, HasSubstr(R"("numFiles":"1")"));
  EXPECT_THAT(commit, ::testing::Not(HasSubstr(R"("numRemovedFiles")")));

  // Round 2: rows 3 and 5 of the same file; its new vector holds the old rows too.
  const DeletionVectorDescriptor old_vector = *file->deletion_vector;
  MergeResult second = merge_both({{"3", "THREE", "a", "U"}, {"5", "five", "a", "D"}});
  EXPECT_EQ(second.num_deletion_vectors_added, 1);
  EXPECT_EQ(second.num_deletion_vectors_removed, 1);
  file = vector_of_first_file();
  ASSERT_TRUE(file.has_value() && file->deletion_vector.has_value());
  auto hidden = ReadDeletionVector(*storage_.fs, kVectorRoot, *file->deletion_vector);
  ASSERT_TRUE(hidden.ok()) << hidden.status().ToString();
  EXPECT_THAT(hidden->rows(), ElementsAre(1u, 2u, 3u, 4u));
  EXPECT_THAT(testing::CommitText(*storage_.fs, kVectorRoot, 4),
              HasSubstr(QuoteJsonString(old_vector.path_or_inline_dv)));

  // Round 3: the file's last row; the file is removed with its vector.
  MergeResult third = merge_both({{"1", "ONE", "a", "U"}});
  EXPECT_EQ(third.num_files_removed, 1);
  EXPECT_EQ(third.num_deletion_vectors_added, 0);
  EXPECT_EQ(third.num_deletion_vectors_removed, 1);
  EXPECT_FALSE(vector_of_first_file().has_value());

  // A checkpoint keeps the vectors: the table read from it is the same.
  auto before = Latest(storage_.fs, kVectorRoot);
  ASSERT_TRUE(WriteCheckpoint(*before).ok());
  EXPECT_EQ(TableRows(Latest(storage_.fs, kVectorRoot)), TableRows(before));
}

// With the change data feed, merging with deletion vectors records the same changes as
// rewriting the files.
TEST_F(MergeTest, DeletionVectorsRecordTheSameChangeDataAsRewriting) {
  const auto changes_of = [&](const std::string& root, bool vectors) {
    CreateTableOptions create;
    create.schema = Ddl("id BIGINT, name STRING, part STRING");
    create.configuration = {{"delta.enableChangeDataFeed", "true"}};
    if (vectors) create.configuration.emplace_back("delta.enableDeletionVectors", "true");
    auto table = DeltaTable::Create(storage_.fs, root, create, storage_.Options());
    EXPECT_TRUE(table.ok()) << table.status().ToString();
    if (!table.ok()) return std::vector<std::string>();
    EXPECT_TRUE(
        (*table)
            ->Append({MakeRows(
                create.schema,
                {{"1", "one", "a"}, {"2", "two", "a"}, {"3", "three", "a"}, {"4", "four", "a"}})})
            .ok());
    MergeOptions options;
    options.key_columns = {"id"};
    options.when_matched_delete_condition = {Predicate{"op", Predicate::Op::kEq, "D"}};
    auto source =
        MakeRows(SourceSchema(),
                 {{"1", "ONE", "a", "U"}, {"3", "three", "a", "D"}, {"5", "five", "a", "I"}});
    auto result = Merge(Latest(storage_.fs, root), {source}, options, storage_.Options());
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->num_deletion_vectors_added, vectors ? 1 : 0);
    ChangeDataFeedOptions feed;
    feed.start_version = 2;
    auto reader = ReadChangeDataFeed(storage_.fs, root, feed);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return std::vector<std::string>();
    std::vector<std::string> rows = testing::DrainSorted(**reader);
    for (std::string& row : rows) row = row.substr(0, row.find(",\"_commit_timestamp\""));
    std::sort(rows.begin(), rows.end());
    return rows;
  };
  std::vector<std::string> rewritten = changes_of("/tables/rewritten", false);
  EXPECT_EQ(rewritten.size(), 4u);
  EXPECT_EQ(changes_of("/tables/vectored", true), rewritten);
}

// A file of more rows than one batch: its second read (of the other columns) is spliced with
// the key columns of its first read batch by batch, so every row keeps its own key.
// Creates the table with one file of `num_rows` rows: ids 0 to num_rows - 1, named "n<id>".
void CreateNumberedTable(TestStorage& storage, int64_t num_rows, StringMap configuration = {}) {
  CreateTableOptions create;
  create.schema = Ddl("id BIGINT, name STRING, part STRING");
  create.configuration = std::move(configuration);
  auto table = DeltaTable::Create(storage.fs, kRoot, create, storage.Options());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  Int64Builder ids(types::Int64());
  StringBuilder names(types::String());
  StringBuilder parts(types::String());
  for (int64_t id = 0; id < num_rows; ++id) {
    ids.Append(id);
    names.Append("n" + std::to_string(id));
    parts.Append("a");
  }
  auto rows =
      RecordBatch::Make(create.schema, num_rows, {*ids.Finish(), *names.Finish(), *parts.Finish()});
  ASSERT_TRUE(rows.ok());
  ASSERT_TRUE((*table)->Append({*rows}).ok());
}

// The data pages of the snapshot's files, as stored.
std::multiset<std::string> StoredPageBytes(const std::shared_ptr<const Snapshot>& snapshot) {
  std::multiset<std::string> pages;
  for (const AddFile& file : snapshot->files()) {
    auto reader = parquet::ParquetFileReader::Open(
        snapshot->file_system(), ResolveDataFilePath(snapshot->table_root(), file.path));
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) continue;
    auto stored = parquet::StoredPages::Read(
        std::shared_ptr<const parquet::ParquetFileReader>(std::move(*reader)));
    EXPECT_TRUE(stored.ok()) << stored.status().ToString();
    if (!stored.ok()) continue;
    for (int leaf = 0; leaf < (*stored)->schema().num_columns(); ++leaf) {
      for (int group = 0; group < (*stored)->num_row_groups(); ++group) {
        for (const auto& page : (*stored)->chunk(leaf, group).pages) {
          pages.emplace(reinterpret_cast<const char*>(page.stored.bytes.data()),
                        page.stored.bytes.size());
        }
      }
    }
  }
  return pages;
}

// Checks that the add.stats of every file of a table made by CreateNumberedTable are exact for
// its rows: the count, and the bounds of id and name.
void ExpectStatisticsOfRows(const std::shared_ptr<const Snapshot>& snapshot) {
  auto scan = TableScan::Make(snapshot);
  ASSERT_TRUE(scan.ok());
  for (const AddFile& file : snapshot->files()) {
    SCOPED_TRACE(file.path);
    std::optional<FileStatistics> stats = FileStatistics::ParseForSkipping(file);
    ASSERT_TRUE(stats.has_value());
    auto reader = (*scan)->ReadFile(file);
    ASSERT_TRUE(reader.ok());
    int64_t rows = 0;
    int64_t min_id = std::numeric_limits<int64_t>::max();
    int64_t max_id = std::numeric_limits<int64_t>::min();
    std::string min_name;
    std::string max_name;
    while (true) {
      auto batch = (*reader)->Next();
      ASSERT_TRUE(batch.ok());
      if (*batch == nullptr) break;
      const auto& ids = static_cast<const Int64Array&>(*(*batch)->column(0));
      const auto& names = static_cast<const StringArray&>(*(*batch)->column(1));
      for (int64_t row = 0; row < (*batch)->num_rows(); ++row, ++rows) {
        min_id = std::min(min_id, ids.Value(row));
        max_id = std::max(max_id, ids.Value(row));
        const std::string name(names.Value(row));
        if (rows == 0 || name < min_name) min_name = name;
        if (rows == 0 || name > max_name) max_name = name;
      }
    }
    EXPECT_EQ(stats->num_records, rows);
    EXPECT_EQ(stats->min_values.at("id"), std::to_string(min_id));
    EXPECT_EQ(stats->max_values.at("id"), std::to_string(max_id));
    EXPECT_EQ(stats->min_values.at("name"), min_name);
    EXPECT_EQ(stats->max_values.at("name"), max_name);
  }
}

// Checks that the table holds every id in [0, num_rows) but `deleted` exactly once, each named
// expected_name(id).
void ExpectNumberedRows(const std::shared_ptr<const Snapshot>& snapshot, int64_t num_rows,
                        const std::set<int64_t>& deleted,
                        const std::function<std::string(int64_t)>& expected_name) {
  auto scan = TableScan::Make(snapshot);
  ASSERT_TRUE(scan.ok());
  auto reader = (*scan)->Execute();
  ASSERT_TRUE(reader.ok());
  std::vector<bool> seen(static_cast<size_t>(num_rows));
  int64_t num_seen = 0;
  while (true) {
    auto batch = (*reader)->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    if (*batch == nullptr) break;
    const auto& ids = static_cast<const Int64Array&>(*(*batch)->column(0));
    const auto& names = static_cast<const StringArray&>(*(*batch)->column(1));
    for (int64_t row = 0; row < (*batch)->num_rows(); ++row, ++num_seen) {
      const int64_t id = ids.Value(row);
      ASSERT_TRUE(id >= 0 && id < num_rows && deleted.count(id) == 0) << "id " << id;
      ASSERT_FALSE(seen[static_cast<size_t>(id)]) << "id " << id << " twice";
      seen[static_cast<size_t>(id)] = true;
      ASSERT_EQ(names.Value(row), expected_name(id)) << "id " << id;
    }
  }
  EXPECT_EQ(num_seen, num_rows - static_cast<int64_t>(deleted.size()));
}

TEST_F(MergeTest, FileOfSeveralBatchesKeepsEachRowsKey) {
  constexpr int64_t kRows = 2 * kDefaultBatchRows + 100;
  CreateNumberedTable(storage_, kRows);
  MergeOptions options;
  options.key_columns = {"id"};
  options.when_matched_delete_condition = {Predicate{"op", Predicate::Op::kEq, "D"}};
  const std::string last = std::to_string(kRows - 1);
  const std::string boundary = std::to_string(kDefaultBatchRows);
  auto source = MakeRows(SourceSchema(), {{"3", "updated", "a", "U"},
                                          {boundary, "b", "a", "D"},
                                          {last, "updated", "a", "U"},
                                          {std::to_string(kRows), "inserted", "a", "I"}});
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_rows_copied, kRows - 3);
  EXPECT_EQ(result->num_rows_deleted, 1);
  ExpectNumberedRows(CurrentSnapshot(), kRows + 1, {kDefaultBatchRows}, [&](int64_t id) {
    return id == 3 || id == kRows - 1 ? "updated"
           : id == kRows              ? "inserted"
                                      : "n" + std::to_string(id);
  });
}

// The ids of the snapshot's only file, in the order it stores them.
std::vector<int64_t> IdsInFileOrder(const std::shared_ptr<const Snapshot>& snapshot) {
  std::vector<int64_t> ids;
  EXPECT_EQ(snapshot->files().size(), 1u);
  auto scan = TableScan::Make(snapshot);
  EXPECT_TRUE(scan.ok());
  if (!scan.ok() || snapshot->files().empty()) return ids;
  auto reader = (*scan)->ReadFile(snapshot->files()[0]);
  EXPECT_TRUE(reader.ok());
  while (reader.ok()) {
    auto batch = (*reader)->Next();
    EXPECT_TRUE(batch.ok());
    if (!batch.ok() || *batch == nullptr) break;
    const auto& column = static_cast<const Int64Array&>(*(*batch)->column(0));
    for (int64_t row = 0; row < column.length(); ++row) ids.push_back(column.Value(row));
  }
  return ids;
}

// Copied rows between updates in one long range are written as slices of the batch read;
// between updates spread over the file they are gathered. Both keep every row once.
TEST_F(MergeTest, CopiedRowsSurviveClusteredAndScatteredUpdates) {
  constexpr int64_t kRows = kDefaultBatchRows + 5000;
  CreateNumberedTable(storage_, kRows);
  MergeOptions options;
  options.key_columns = {"id"};
  options.when_matched_delete_condition = {Predicate{"op", Predicate::Op::kEq, "D"}};
  std::vector<testing::Row> clustered;
  for (int64_t id = 1000; id < 3000; ++id) {
    clustered.push_back(
        {std::to_string(id), "c" + std::to_string(id), "a", id == 2000 ? "D" : "U"});
  }
  const std::multiset<std::string> pages_before = StoredPageBytes(CurrentSnapshot());
  auto result =
      Merge(CurrentSnapshot(), {MakeRows(SourceSchema(), clustered)}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_rows_copied, kRows - 2000);
  EXPECT_EQ(result->num_rows_updated, 1999);
  EXPECT_EQ(result->num_rows_deleted, 1);
  ExpectNumberedRows(CurrentSnapshot(), kRows, {2000}, [](int64_t id) {
    return id >= 1000 && id < 3000 ? "c" + std::to_string(id) : "n" + std::to_string(id);
  });
  // Pages of 20,000 rows: every page but the first of each of the 3 columns held only copied
  // rows, and went into the rewritten file as it was stored.
  const std::multiset<std::string> pages_after = StoredPageBytes(CurrentSnapshot());
  int64_t kept_pages = 0;
  for (const std::string& page : pages_after) kept_pages += pages_before.count(page) > 0;
  EXPECT_EQ(kept_pages, 3 * ((kRows + 19999) / 20000 - 1));
  ExpectStatisticsOfRows(CurrentSnapshot());
  // Updated in place: the file keeps its order.
  std::vector<int64_t> expected_ids;
  for (int64_t id = 0; id < kRows; ++id) {
    if (id != 2000) expected_ids.push_back(id);
  }
  EXPECT_EQ(IdsInFileOrder(CurrentSnapshot()), expected_ids);

  std::vector<testing::Row> scattered;
  for (int64_t id = 5; id < kRows; id += 7) {
    scattered.push_back({std::to_string(id), "s" + std::to_string(id), "a", "U"});
  }
  result =
      Merge(CurrentSnapshot(), {MakeRows(SourceSchema(), scattered)}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  // Id 2000, deleted by the first merge, is inserted again.
  EXPECT_EQ(result->num_rows_updated, static_cast<int64_t>(scattered.size()) - 1);
  EXPECT_EQ(result->num_rows_inserted, 1);
  ExpectNumberedRows(CurrentSnapshot(), kRows, {}, [](int64_t id) {
    if (id % 7 == 5) return "s" + std::to_string(id);
    return id >= 1000 && id < 3000 ? "c" + std::to_string(id) : "n" + std::to_string(id);
  });
  // Id 2000 is inserted after the file's rows, which keep their order.
  expected_ids.push_back(2000);
  EXPECT_EQ(IdsInFileOrder(CurrentSnapshot()), expected_ids);
  ExpectStatisticsOfRows(CurrentSnapshot());

  // Inserted source rows: two long runs (written as slices of the source) around an update,
  // then short runs between updates (gathered). Source row i updates id i or inserts
  // id kRows + i.
  const auto updates = [](int64_t i) {
    return i == 1500 || (i >= 3000 && i < 4000 && i % 50 == 0);
  };
  std::vector<testing::Row> inserts;
  std::set<int64_t> not_inserted;
  for (int64_t i = 0; i < 4000; ++i) {
    const int64_t id = updates(i) ? i : kRows + i;
    if (updates(i)) not_inserted.insert(kRows + i);
    inserts.push_back({std::to_string(id), "i" + std::to_string(id), "a", "U"});
  }
  result =
      Merge(CurrentSnapshot(), {MakeRows(SourceSchema(), inserts)}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_rows_updated, 21);
  EXPECT_EQ(result->num_rows_inserted, 4000 - 21);
  ExpectNumberedRows(CurrentSnapshot(), kRows + 4000, not_inserted, [&](int64_t id) {
    if (id >= kRows || updates(id)) return "i" + std::to_string(id);
    if (id % 7 == 5) return "s" + std::to_string(id);
    return id >= 1000 && id < 3000 ? "c" + std::to_string(id) : "n" + std::to_string(id);
  });
}

// A file whose rows are all updated is rewritten in place: its rows keep their order, and the
// pages of the key column are the old file's, as stored. With change data too.
TEST_F(MergeTest, FileWhoseRowsAreAllUpdatedKeepsItsKeyPages) {
  constexpr int64_t kRows = 45000;  // Pages of 20,000, 20,000 and 5,000 rows.
  for (const bool change_feed : {false, true}) {
    SCOPED_TRACE(change_feed ? "change feed" : "no change feed");
    storage_ = TestStorage();
    StringMap configuration;
    if (change_feed) configuration.emplace_back("delta.enableChangeDataFeed", "true");
    CreateNumberedTable(storage_, kRows, std::move(configuration));
    const std::multiset<std::string> pages_before = StoredPageBytes(CurrentSnapshot());
    MergeOptions options;
    options.key_columns = {"id"};
    // First in reverse order, so that the updated rows are gathered into the file's order,
    // then in the file's order (written as slices of the source); 10 inserts each time.
    for (const std::string prefix : {"r", "s"}) {
      SCOPED_TRACE(prefix);
      std::vector<testing::Row> source;
      for (int64_t i = 0; i < kRows + 10; ++i) {
        const int64_t id = prefix == "r" ? kRows + 9 - i : i;
        source.push_back({std::to_string(id), prefix + std::to_string(id), "b", "U"});
      }
      auto result =
          Merge(CurrentSnapshot(), {MakeRows(SourceSchema(), source)}, options, storage_.Options());
      ASSERT_TRUE(result.ok()) << result.status().ToString();
      EXPECT_EQ(result->num_rows_updated, prefix == "r" ? kRows : kRows + 10);
      EXPECT_EQ(result->num_rows_inserted, prefix == "r" ? 10 : 0);
      EXPECT_EQ(result->num_rows_copied, 0);
      EXPECT_EQ(result->num_files_removed, 1);
      ExpectNumberedRows(CurrentSnapshot(), kRows + 10, {},
                         [&](int64_t id) { return prefix + std::to_string(id); });
      ExpectStatisticsOfRows(CurrentSnapshot());
      const std::vector<int64_t> ids = IdsInFileOrder(CurrentSnapshot());
      ASSERT_EQ(ids.size(), static_cast<size_t>(kRows + 10));
      for (int64_t row = 0; row < kRows; ++row) {
        ASSERT_EQ(ids[static_cast<size_t>(row)], row) << "row " << row;
      }
      // The three pages of ids are the old ones; every name and part page is new.
      int64_t kept_pages = 0;
      for (const std::string& page : StoredPageBytes(CurrentSnapshot())) {
        kept_pages += pages_before.count(page) > 0;
      }
      EXPECT_EQ(kept_pages, 3);
    }
  }
}

// Equal floating-point keys may differ in their bits (-0.0 and 0.0): an updated row takes the
// source's key.
TEST_F(MergeTest, UpdatedRowsTakeTheSourcesFloatingPointKey) {
  CreateTableOptions create;
  create.schema = Ddl("k DOUBLE, v STRING");
  auto table = DeltaTable::Create(storage_.fs, kRoot, create, storage_.Options());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_TRUE((*table)->Append({MakeRows(create.schema, {{"-0.0", "old"}, {"1.5", "old"}})}).ok());
  MergeOptions options;
  options.key_columns = {"k"};
  auto result =
      Merge(CurrentSnapshot(), {MakeRows(create.schema, {{"0.0", "new"}, {"1.5", "new"}})}, options,
            storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_rows_updated, 2);
  EXPECT_THAT(TableRows(CurrentSnapshot()),
              ElementsAre(R"({"k":0,"v":"new"})", R"({"k":1.5,"v":"new"})"));
}

// Rows of a file that all move to another partition are written there, not in place.
TEST_F(MergeTest, UpdatedRowsOfAWholeFileMoveToTheirNewPartition) {
  CreateTable({{{"1", "one", "a"}, {"2", "two", "a"}}}, {"part"});
  MergeOptions options;
  options.key_columns = {"id"};
  auto source = MakeRows(SourceSchema(), {{"1", "ONE", "b", "U"}, {"2", "TWO", "c", "U"}});
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_rows_updated, 2);
  EXPECT_THAT(TableRows(CurrentSnapshot()), ElementsAre(R"({"id":1,"name":"ONE","part":"b"})",
                                                        R"({"id":2,"name":"TWO","part":"c"})"));
  std::set<std::string> partitions;
  const std::shared_ptr<const Snapshot> snapshot = CurrentSnapshot();
  for (const AddFile& file : snapshot->files()) {
    ASSERT_EQ(file.partition_values.size(), 1u);
    partitions.insert(file.partition_values[0].second.value_or("null"));
  }
  EXPECT_THAT(partitions, ElementsAre("b", "c"));
}

// Key columns are read by name, so names a column path would split are read whole.
TEST_F(MergeTest, KeyColumnNamesWithDotsAndBackticks) {
  CreateTableOptions create;
  create.schema = Ddl("`a.b` BIGINT, `c``d` STRING, v STRING");
  auto table = DeltaTable::Create(storage_.fs, kRoot, create, storage_.Options());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_TRUE(
      (*table)->Append({MakeRows(create.schema, {{"1", "x", "old"}, {"2", "y", "kept"}})}).ok());
  MergeOptions options;
  options.key_columns = {"a.b", "c`d"};
  auto source = MakeRows(create.schema, {{"1", "x", "new"}, {"2", "z", "inserted"}});
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_rows_updated, 1);
  EXPECT_EQ(result->num_rows_inserted, 1);
  EXPECT_THAT(TableRows(CurrentSnapshot()),
              ElementsAre(R"({"a.b":1,"c`d":"x","v":"new"})", R"({"a.b":2,"c`d":"y","v":"kept"})",
                          R"({"a.b":2,"c`d":"z","v":"inserted"})"));
}

TEST_F(MergeTest, RewritesOnlyCandidateFiles) {
  std::vector<std::vector<testing::Row>> appends;
  for (int file = 0; file < 4; ++file) {
    std::vector<testing::Row> rows;
    for (int i = 0; i < 10; ++i) {
      int id = file * 10 + i;
      rows.push_back({std::to_string(id), "n" + std::to_string(id), "a"});
    }
    appends.push_back(rows);
  }
  CreateTable(appends);
  auto before = CurrentSnapshot();
  ASSERT_EQ(before->files().size(), 4u);
  MergeOptions options;
  options.key_columns = {"id"};
  auto source = MakeRows(SourceSchema(), {{"12", "twelve", "a", "U"}, {"15", "fifteen", "a", "U"}});
  auto result = Merge(before, {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_candidate_files, 1);
  EXPECT_EQ(result->num_files_removed, 1);
  EXPECT_EQ(result->num_files_added, 1);
  EXPECT_EQ(result->num_rows_copied, 8);
  EXPECT_EQ(result->num_rows_updated, 2);
  auto after = CurrentSnapshot();
  ASSERT_EQ(after->files().size(), 4u);
  std::set<std::string> before_paths;
  for (const AddFile& file : before->files()) before_paths.insert(file.path);
  int kept = 0;
  for (const AddFile& file : after->files()) kept += before_paths.count(file.path) > 0 ? 1 : 0;
  EXPECT_EQ(kept, 3);
  std::vector<std::string> rows = TableRows(after);
  EXPECT_EQ(rows.size(), 40u);
  EXPECT_NE(std::find(rows.begin(), rows.end(), R"({"id":12,"name":"twelve","part":"a"})"),
            rows.end());
}

TEST_F(MergeTest, PrunesByPartitionValuesOfKeyColumns) {
  CreateTable({{{"1", "one", "a"}, {"2", "two", "a"}}, {{"1", "uno", "b"}, {"2", "dos", "b"}}},
              {"part"});
  MergeOptions options;
  options.key_columns = {"part", "id"};
  auto source = MakeRows(SourceSchema(), {{"2", "DOS", "b", "U"}});
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_candidate_files, 1);
  EXPECT_EQ(result->num_rows_updated, 1);
  EXPECT_THAT(
      TableRows(CurrentSnapshot()),
      ElementsAre(R"({"id":1,"name":"one","part":"a"})", R"({"id":1,"name":"uno","part":"b"})",
                  R"({"id":2,"name":"DOS","part":"b"})", R"({"id":2,"name":"two","part":"a"})"));
}

TEST_F(MergeTest, NullKeysNeverMatch) {
  CreateTable({{{std::nullopt, "nobody", "a"}, {"1", "one", "a"}}});
  MergeOptions options;
  options.key_columns = {"id"};
  auto source = MakeRows(SourceSchema(), {{std::nullopt, "somebody", "a", "I"}});
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_rows_inserted, 1);
  EXPECT_EQ(result->num_rows_updated, 0);
  EXPECT_EQ(result->num_candidate_files, 0);
  EXPECT_THAT(TableRows(CurrentSnapshot()),
              ElementsAre(R"({"id":1,"name":"one","part":"a"})",
                          R"({"id":null,"name":"nobody","part":"a"})",
                          R"({"id":null,"name":"somebody","part":"a"})"));
}

TEST_F(MergeTest, DeletesTargetRowsNotMatchedBySource) {
  CreateTable({{{"1", "one", "a"}, {"2", "two", "a"}}, {{"3", "three", "a"}}});
  MergeOptions options;
  options.key_columns = {"id"};
  options.when_not_matched_by_source_delete = true;
  options.when_not_matched_insert_all = false;
  auto source = MakeRows(SourceSchema(), {{"2", "two!", "a", "U"}, {"9", "nine", "a", "I"}});
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_rows_deleted, 2);
  EXPECT_EQ(result->num_rows_updated, 1);
  EXPECT_EQ(result->num_rows_inserted, 0);
  EXPECT_EQ(result->num_files_removed, 2);
  EXPECT_THAT(TableRows(CurrentSnapshot()), ElementsAre(R"({"id":2,"name":"two!","part":"a"})"));
}

TEST_F(MergeTest, NoChangeMeansNoCommit) {
  CreateTable({{{"1", "one", "a"}}});
  MergeOptions options;
  options.key_columns = {"id"};
  options.when_matched_update_all = false;
  options.when_not_matched_insert_all = false;
  auto source = MakeRows(SourceSchema(), {{"1", "x", "a", "U"}});
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_FALSE(result->commit.has_value());
  EXPECT_EQ(CurrentSnapshot()->version(), 1);
}

TEST_F(MergeTest, NewSourceColumnsNeedMergeSchema) {
  CreateTable({{{"1", "one", "a"}}});
  auto schema = Ddl("id BIGINT, name STRING, part STRING, score INT");
  auto source = MakeRows(schema, {{"1", "one", "a", "7"}, {"2", "two", "a", "8"}});
  MergeOptions options;
  options.key_columns = {"id"};
  // Without merge_schema the new column is ignored, as Spark's UPDATE SET * does.
  auto ignored = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_TRUE(ignored.ok()) << ignored.status().ToString();
  EXPECT_EQ(CurrentSnapshot()->schema()->GetFieldIndex("score"), -1);

  options.merge_schema = true;
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(TableRows(CurrentSnapshot()),
              ElementsAre(R"({"id":1,"name":"one","part":"a","score":7})",
                          R"({"id":2,"name":"two","part":"a","score":8})"));
}

TEST_F(MergeTest, SourceMissingATableColumnIsInvalid) {
  CreateTable({{{"1", "one", "a"}}});
  MergeOptions options;
  options.key_columns = {"id"};
  auto source = MakeRows(Ddl("id BIGINT, part STRING"), {{"1", "a"}});
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalid());
  EXPECT_THAT(result.status().ToString(), HasSubstr("name is missing from the data"));
}

TEST_F(MergeTest, UnknownKeyColumnIsInvalid) {
  CreateTable({{{"1", "one", "a"}}});
  MergeOptions options;
  options.key_columns = {"missing"};
  auto result = Merge(CurrentSnapshot(), {MakeRows(SourceSchema(), {{"1", "x", "a", "U"}})},
                      options, storage_.Options());
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().ToString(), HasSubstr("'missing'"));
}

TEST_F(MergeTest, CommitsAfterAConcurrentBlindAppend) {
  CreateTable({{{"1", "one", "a"}, {"2", "two", "a"}}});
  auto read = CurrentSnapshot();
  // Another writer appends after the merge read the table.
  auto other = DeltaTable::Open(storage_.fs, kRoot, storage_.Options());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(
      (*other)
          ->Append({MakeRows(Ddl("id BIGINT, name STRING, part STRING"), {{"10", "ten", "z"}})})
          .ok());
  MergeOptions options;
  options.key_columns = {"id"};
  auto result =
      Merge(read, {MakeRows(SourceSchema(), {{"2", "TWO", "a", "U"}, {"3", "three", "a", "I"}})},
            options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->commit->version, 3);
  EXPECT_EQ(result->commit->attempts, 2);
  EXPECT_THAT(
      TableRows(CurrentSnapshot()),
      ElementsAre(R"({"id":1,"name":"one","part":"a"})", R"({"id":10,"name":"ten","part":"z"})",
                  R"({"id":2,"name":"TWO","part":"a"})", R"({"id":3,"name":"three","part":"a"})"));
}

TEST_F(MergeTest, ConflictsWithAConcurrentOverwrite) {
  CreateTable({{{"1", "one", "a"}, {"2", "two", "a"}}});
  auto read = CurrentSnapshot();
  auto other = DeltaTable::Open(storage_.fs, kRoot, storage_.Options());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(
      (*other)
          ->Overwrite({MakeRows(Ddl("id BIGINT, name STRING, part STRING"), {{"5", "five", "a"}})})
          .ok());
  MergeOptions options;
  options.key_columns = {"id"};
  auto result = Merge(read, {MakeRows(SourceSchema(), {{"2", "TWO", "a", "U"}})}, options,
                      storage_.Options());
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsConflict()) << result.status().ToString();
  // The table is the overwrite's, with no trace of the merge.
  auto snapshot = CurrentSnapshot();
  EXPECT_EQ(snapshot->version(), 2);
  EXPECT_THAT(TableRows(snapshot), ElementsAre(R"({"id":5,"name":"five","part":"a"})"));
}

TEST_F(MergeTest, RacingAppendsAndMergesLoseNoRows) {
  CreateTable({{{"0", "zero", "a"}}});
  constexpr int kRounds = 6;
  std::thread appender([&] {
    auto table = DeltaTable::Open(storage_.fs, kRoot, storage_.Options());
    ASSERT_TRUE(table.ok());
    for (int i = 0; i < kRounds; ++i) {
      auto batch = MakeRows(Ddl("id BIGINT, name STRING, part STRING"),
                            {{std::to_string(1000 + i), "appended", "b"}});
      auto status = (*table)->Append({batch});
      EXPECT_TRUE(status.ok()) << status.status().ToString();
    }
  });
  for (int i = 0; i < kRounds; ++i) {
    MergeOptions options;
    options.key_columns = {"id"};
    auto source = MakeRows(SourceSchema(), {{"0", "merged" + std::to_string(i), "a", "U"},
                                            {std::to_string(100 + i), "inserted", "a", "I"}});
    auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
    EXPECT_TRUE(result.ok()) << result.status().ToString();
  }
  appender.join();
  std::vector<std::string> rows = TableRows(CurrentSnapshot());
  EXPECT_EQ(rows.size(), static_cast<size_t>(1 + 2 * kRounds));
  EXPECT_NE(
      std::find(rows.begin(), rows.end(),
                R"({"id":0,"name":"merged)" + std::to_string(kRounds - 1) + R"(","part":"a"})"),
      rows.end());
}

TEST_F(MergeTest, WritesChangeDataWhenTheFeedIsEnabled) {
  CreateTable({{{"1", "one", "a"}, {"2", "two", "a"}, {"3", "three", "a"}}}, {},
              {{"delta.enableChangeDataFeed", "true"}});
  MergeOptions options;
  options.key_columns = {"id"};
  options.when_matched_delete_condition = {Predicate{"op", Predicate::Op::kEq, "D"}};
  auto source = MakeRows(
      SourceSchema(), {{"1", "ONE", "a", "U"}, {"3", "three", "a", "D"}, {"4", "four", "a", "I"}});
  auto result = Merge(CurrentSnapshot(), {source}, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_GE(result->num_change_files_added, 1);
  EXPECT_THAT(testing::CommitText(*storage_.fs, kRoot, 2),
              HasSubstr(R"({"cdc":{"path":"_change_data/)"));
  ChangeDataFeedOptions feed;
  feed.start_version = 2;
  auto reader = ReadChangeDataFeed(storage_.fs, kRoot, feed);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<std::string> rows = testing::DrainSorted(**reader);
  ASSERT_EQ(rows.size(), 4u);
  for (std::string& row : rows) row = row.substr(0, row.find(",\"_commit_timestamp\""));
  std::sort(rows.begin(), rows.end());
  EXPECT_THAT(
      rows,
      ElementsAre(
          R"({"id":1,"name":"ONE","part":"a","_change_type":"update_postimage","_commit_version":2)",
          R"({"id":1,"name":"one","part":"a","_change_type":"update_preimage","_commit_version":2)",
          R"({"id":3,"name":"three","part":"a","_change_type":"delete","_commit_version":2)",
          R"({"id":4,"name":"four","part":"a","_change_type":"insert","_commit_version":2)"));
}

}  // namespace
}  // namespace arcflow::delta
