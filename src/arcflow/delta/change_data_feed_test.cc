#include "arcflow/delta/change_data_feed.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arcflow/columnar/row_printer.h"
#include "arcflow/delta/delta_table.h"
#include "arcflow/delta/maintenance_test_util.h"

namespace arcflow::delta {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

std::string KernelTable(const std::string& name) {
  return std::string(ARCFLOW_SHARED_DIR) + "/corpora/delta/delta-kernel-rs/data/" + name;
}
std::string DeltaRsTable(const std::string& name) {
  return std::string(ARCFLOW_SHARED_DIR) + "/corpora/delta/delta-rs/" + name;
}

// The change rows as "value|value|..." of the named columns (cells as CSV shows them), sorted.
std::vector<std::string> Changes(const std::string& root, int64_t start, std::optional<int64_t> end,
                                 const std::vector<std::string>& columns) {
  ChangeDataFeedOptions options;
  options.start_version = start;
  options.end_version = end;
  auto reader = ReadChangeDataFeed(io::LocalFileSystem(), root, options);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  const SchemaPtr& schema = (*reader)->schema();
  std::vector<int> indices;
  for (const std::string& column : columns) {
    indices.push_back(schema->GetFieldIndex(column));
    EXPECT_GE(indices.back(), 0) << column << " not in " << schema->ToString();
  }
  std::vector<std::string> rows;
  while (true) {
    auto batch = (*reader)->Next();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok() || *batch == nullptr) break;
    for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
      std::string text;
      for (size_t i = 0; i < indices.size(); ++i) {
        if (i > 0) text += "|";
        if (indices[i] >= 0) AppendCellText(*(*batch)->column(indices[i]), row, &text);
      }
      rows.push_back(std::move(text));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::string> Sorted(std::vector<std::string> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

const std::vector<std::string> kIdColumns = {"id", "_change_type", "_commit_version"};

TEST(ChangeDataFeedTest, ReadsKernelBasicCdfFromChangeFiles) {
  EXPECT_THAT(Changes(KernelTable("cdf-table"), 0, std::nullopt,
                      {"id", "name", "birthday", "_change_type", "_commit_version"}),
              ElementsAreArray(Sorted({
                  "1|Steve|2023-12-22|insert|0",
                  "2|Bob|2023-12-23|insert|0",
                  "3|Dave|2023-12-23|insert|0",
                  "4|Kate|2023-12-23|insert|0",
                  "5|Emily|2023-12-24|insert|0",
                  "6|Carl|2023-12-24|insert|0",
                  "7|Dennis|2023-12-24|insert|0",
                  "8|Claire|2023-12-25|insert|0",
                  "9|Ada|2023-12-25|insert|0",
                  "10|Borb|2023-12-25|insert|0",
                  "3|Dave|2023-12-22|update_postimage|1",
                  "3|Dave|2023-12-23|update_preimage|1",
                  "4|Kate|2023-12-22|update_postimage|1",
                  "4|Kate|2023-12-23|update_preimage|1",
                  "2|Bob|2023-12-22|update_postimage|1",
                  "2|Bob|2023-12-23|update_preimage|1",
                  "7|Dennis|2023-12-24|update_preimage|2",
                  "7|Dennis|2023-12-29|update_postimage|2",
                  "5|Emily|2023-12-24|update_preimage|2",
                  "5|Emily|2023-12-29|update_postimage|2",
                  "6|Carl|2023-12-24|update_preimage|2",
                  "6|Carl|2023-12-29|update_postimage|2",
                  "7|Dennis|2023-12-29|delete|3",
              })));
}

TEST(ChangeDataFeedTest, DerivesChangesFromDeletionVectorPairs) {
  EXPECT_THAT(
      Changes(KernelTable("cdf-table-with-dv"), 0, std::nullopt,
              {"value", "_change_type", "_commit_version"}),
      ElementsAreArray(Sorted({"0|insert|0", "1|insert|0", "2|insert|0", "3|insert|0", "4|insert|0",
                               "5|insert|0", "6|insert|0", "7|insert|0", "8|insert|0", "9|insert|0",
                               "0|delete|1", "9|delete|1", "0|insert|2", "9|insert|2", "0|delete|3",
                               "1|delete|3", "4|delete|3", "5|delete|3", "1|insert|4", "4|insert|4",
                               "3|delete|5", "0|insert|5", "5|insert|5", "3|insert|6"})));
}

TEST(ChangeDataFeedTest, ReadsCdcFilesAndDeletionVectorsTogether) {
  EXPECT_THAT(Changes(KernelTable("cdf-table-with-cdc-and-dvs"), 0, std::nullopt,
                      {"id", "comment", "_change_type", "_commit_version"}),
              ElementsAreArray(Sorted({
                  "1|initial|insert|0",
                  "2|insert1|insert|1",
                  "3|insert1-delete1|insert|1",
                  "4|insert1-delete2|insert|1",
                  "5|insert1-delete2|insert|1",
                  "3|insert1-delete1|delete|2",
                  "3|insert1-delete1|insert|4",
                  "4|insert1-delete2|delete|5",
                  "5|insert1-delete2|delete|5",
                  "4|insert1-delete2|insert|7",
                  "5|insert2|insert|8",
                  "1|initial|update_preimage|9",
                  "1|update1|update_postimage|9",
                  "2|insert1|update_preimage|9",
                  "2|update1|update_postimage|9",
                  "3|insert1-delete1|update_preimage|9",
                  "3|update1|update_postimage|9",
                  "1|update1|delete|10",
                  "2|update1|update_preimage|12",
                  "2|update2|update_postimage|12",
                  "6|insert3|insert|14",
                  "7|insert3|insert|14",
                  "8|insert4|insert|15",
                  "9|insert4|insert|15",
                  "8|insert4|delete|16",
                  "7|insert3|delete|16",
                  "10|merge1-insert|insert|18",
                  "11|merge1-insert|insert|18",
                  "9|merge1-update|update_postimage|18",
                  "9|insert4|update_preimage|18",
                  "11|merge1-insert|update_preimage|20",
                  "11||update_postimage|20",
                  "12|merge2-insert|insert|22",
                  "11||delete|22",
                  "3|update1|delete|24",
                  "4|insert1-delete2|delete|24",
                  "5|insert2|delete|24",
                  "2|update2|delete|24",
                  "6|insert3|delete|24",
                  "9|merge1-update|delete|24",
                  "0|new|insert|25",
                  "1|after-large-delete|insert|25",
                  "2||insert|25",
              })));
}

TEST(ChangeDataFeedTest, ReadsVersionRanges) {
  std::string root = KernelTable("cdf-table-simple");
  std::vector<std::string> inserts;
  std::vector<std::string> deletes;
  for (int id = 0; id < 10; ++id) {
    inserts.push_back(std::to_string(id) + "|insert|0");
    deletes.push_back(std::to_string(id) + "|delete|1");
  }
  std::vector<std::string> later = {"20|insert|2", "21|insert|2", "22|insert|2", "23|insert|2",
                                    "24|insert|2"};
  EXPECT_THAT(Changes(root, 0, 0, kIdColumns), ElementsAreArray(Sorted(inserts)));
  EXPECT_THAT(Changes(root, 1, 1, kIdColumns), ElementsAreArray(Sorted(deletes)));
  EXPECT_THAT(Changes(root, 2, 2, kIdColumns), ElementsAreArray(Sorted(later)));
  std::vector<std::string> all = inserts;
  all.insert(all.end(), deletes.begin(), deletes.end());
  all.insert(all.end(), later.begin(), later.end());
  EXPECT_THAT(Changes(root, 0, 2, kIdColumns), ElementsAreArray(Sorted(all)));
}

TEST(ChangeDataFeedTest, PassesChangeTypesOfChangeFilesThrough) {
  std::vector<std::string> expected;
  for (int id = 0; id < 10; ++id) expected.push_back(std::to_string(id) + "|insert|0");
  for (int id = 20; id < 25; ++id) expected.push_back(std::to_string(id) + "|update_pre|1");
  for (int id = 30; id < 35; ++id) expected.push_back(std::to_string(id) + "|update_post|2");
  EXPECT_THAT(Changes(KernelTable("cdf-table-update-ops"), 0, 2, kIdColumns),
              ElementsAreArray(Sorted(expected)));
}

TEST(ChangeDataFeedTest, IgnoresActionsWithoutDataChange) {
  std::vector<std::string> expected;
  for (int id = 0; id < 10; ++id) expected.push_back(std::to_string(id) + "|insert|0");
  EXPECT_THAT(Changes(KernelTable("cdf-table-data-change"), 0, 1, kIdColumns),
              ElementsAreArray(Sorted(expected)));
}

TEST(ChangeDataFeedTest, FillsPartitionColumns) {
  EXPECT_THAT(Changes(KernelTable("cdf-table-partitioned"), 0, 2,
                      {"id", "text", "part", "_change_type", "_commit_version"}),
              ElementsAreArray(Sorted({"0|old|0|insert|0", "1|old|1|insert|0", "2|old|0|insert|0",
                                       "3|old|1|insert|0", "4|old|0|insert|0", "5|old|1|insert|0",
                                       "3|old|1|delete|1", "1|old|1|update_preimage|1",
                                       "1|new|1|update_postimage|1", "0|old|0|delete|2",
                                       "2|old|0|delete|2", "4|old|0|delete|2"})));
}

TEST(ChangeDataFeedTest, ResolvesColumnMapping) {
  std::vector<std::string> columns = {"id", "name", "value", "_change_type", "_commit_version"};
  std::vector<std::string> name_mode =
      Sorted({"1|Alice|100|delete|4", "2|Bob|200|update_preimage|2", "2|Bob|250|update_postimage|2",
              "4|David|400|insert|3"});
  EXPECT_THAT(Changes(KernelTable("cdf-column-mapping-name-mode"), 1, std::nullopt, columns),
              ElementsAreArray(name_mode));
  EXPECT_THAT(Changes(KernelTable("cdf-column-mapping-name-mode-3-7"), 1, std::nullopt, columns),
              ElementsAreArray(name_mode));
  EXPECT_THAT(
      Changes(KernelTable("cdf-column-mapping-id-mode"), 1, std::nullopt, columns),
      ElementsAreArray(Sorted({"2|Frank|250|update_preimage|2", "2|Frank|275|update_postimage|2",
                               "3|Grace|350|delete|4", "4|Henry|450|insert|3"})));
}

TEST(ChangeDataFeedTest, ReadsDeltaRsTables) {
  EXPECT_THAT(Changes(DeltaRsTable("simple_table_with_cdc"), 0, std::nullopt,
                      {"id", "name", "_change_type", "_commit_version"}),
              ElementsAreArray(Sorted(
                  {"0|Mario|insert|1", "0|Mario|update_preimage|2", "0|Mino|update_postimage|2"})));
  // The same table as the kernel's, read through delta-rs's copy.
  EXPECT_EQ(Changes(DeltaRsTable("cdf-table"), 0, std::nullopt,
                    {"id", "name", "birthday", "_change_type", "_commit_version"}),
            Changes(KernelTable("cdf-table"), 0, std::nullopt,
                    {"id", "name", "birthday", "_change_type", "_commit_version"}));
}

TEST(ChangeDataFeedTest, UsesInCommitTimestamps) {
  EXPECT_THAT(Changes(DeltaRsTable("cdc_ict_table"), 2, std::nullopt,
                      {"name", "age", "_change_type", "_commit_version", "_commit_timestamp"}),
              ElementsAreArray(Sorted({
                  "Dan|14|delete|2|2026-07-12T16:36:52.175000Z",
                  "Dave|22|delete|2|2026-07-12T16:36:52.175000Z",
                  "Kate|36|update_preimage|3|2026-07-12T16:36:53.881000Z",
                  "Kate|37|update_postimage|3|2026-07-12T16:36:53.881000Z",
                  "Steve|40|update_preimage|3|2026-07-12T16:36:53.881000Z",
                  "Steve|41|update_postimage|3|2026-07-12T16:36:53.881000Z",
              })));
}

TEST(ChangeDataFeedTest, RejectsBadRanges) {
  ChangeDataFeedOptions options;
  options.start_version = 3;
  options.end_version = 1;
  auto reversed = ReadChangeDataFeed(io::LocalFileSystem(), KernelTable("cdf-table"), options);
  ASSERT_FALSE(reversed.ok());
  EXPECT_TRUE(reversed.status().IsInvalid());
  options.start_version = -1;
  options.end_version.reset();
  EXPECT_FALSE(ReadChangeDataFeed(io::LocalFileSystem(), KernelTable("cdf-table"), options).ok());
  options.start_version = 0;
  options.end_version = 99;
  EXPECT_FALSE(ReadChangeDataFeed(io::LocalFileSystem(), KernelTable("cdf-table"), options).ok());
}

TEST(ChangeDataFeedTest, RequiresTheFeedOverTheWholeRange) {
  testing::TestStorage storage;
  CreateTableOptions create;
  create.schema = testing::Ddl("id BIGINT");
  auto table = DeltaTable::Create(storage.fs, "/t", create, storage.Options());
  ASSERT_TRUE(table.ok());
  ASSERT_TRUE((*table)->Append({testing::MakeRows(create.schema, {{"1"}})}).ok());
  auto refused = ReadChangeDataFeed(storage.fs, "/t", ChangeDataFeedOptions{});
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().IsInvalid());
  EXPECT_THAT(refused.status().ToString(), HasSubstr("not enabled at version 0"));
}

TEST(ChangeDataFeedTest, DerivesChangesOfArcflowWrites) {
  testing::TestStorage storage;
  CreateTableOptions create;
  create.schema = testing::Ddl("id BIGINT, part STRING");
  create.partition_columns = {"part"};
  create.configuration = {{"delta.enableChangeDataFeed", "true"}};
  auto table = DeltaTable::Create(storage.fs, "/t", create, storage.Options());
  ASSERT_TRUE(table.ok());
  ASSERT_TRUE((*table)->Append({testing::MakeRows(create.schema, {{"1", "a"}, {"2", "b"}})}).ok());
  WriteOptions replace;
  replace.replace_where = {Predicate{"part", Predicate::Op::kEq, "a"}};
  ASSERT_TRUE((*table)->Overwrite({testing::MakeRows(create.schema, {{"3", "a"}})}, replace).ok());
  ChangeDataFeedOptions options;
  auto reader = ReadChangeDataFeed(storage.fs, "/t", options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<std::string> rows = testing::DrainSorted(**reader);
  std::string stamp = "\"_commit_timestamp\":\"2023-11-14T22:13:20.000000Z\"";
  EXPECT_THAT(
      rows, ElementsAreArray(Sorted({
                R"({"id":1,"part":"a","_change_type":"insert","_commit_version":1,)" + stamp + "}",
                R"({"id":2,"part":"b","_change_type":"insert","_commit_version":1,)" + stamp + "}",
                R"({"id":1,"part":"a","_change_type":"delete","_commit_version":2,)" + stamp + "}",
                R"({"id":3,"part":"a","_change_type":"insert","_commit_version":2,)" + stamp + "}",
            })));
}

}  // namespace
}  // namespace arcflow::delta
