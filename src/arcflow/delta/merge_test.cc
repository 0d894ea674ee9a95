#include "arcflow/delta/merge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "arcflow/delta/change_data_feed.h"
#include "arcflow/delta/delta_table.h"
#include "arcflow/delta/maintenance_test_util.h"

namespace arcflow::delta {
namespace {

using testing::Ddl;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Latest;
using testing::MakeRows;
using testing::TableRows;
using testing::TestStorage;

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
