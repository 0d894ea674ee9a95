#include "arcflow/delta/optimize.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arcflow/delta/deletion_vector.h"
#include "arcflow/delta/delta_table.h"
#include "arcflow/delta/maintenance_test_util.h"

namespace arcflow::delta {
namespace {

using testing::Ddl;
using ::testing::HasSubstr;
using testing::Latest;
using testing::MakeRows;
using testing::TableRows;
using testing::TestStorage;

constexpr char kRoot[] = "/tables/events";

class OptimizeTest : public ::testing::Test {
 protected:
  // Appends `num_files` single-file commits of `rows_per_file` rows to each of `parts`.
  void CreateTable(const std::vector<std::string>& parts, int num_files, int rows_per_file,
                   StringMap configuration = {}) {
    CreateTableOptions create;
    create.schema = Ddl("id BIGINT, part STRING");
    create.partition_columns = {"part"};
    create.configuration = std::move(configuration);
    auto table = DeltaTable::Create(storage_.fs, kRoot, create, storage_.Options());
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    int next_id = 0;
    for (const std::string& part : parts) {
      for (int file = 0; file < num_files; ++file) {
        std::vector<testing::Row> rows;
        for (int i = 0; i < rows_per_file; ++i) rows.push_back({std::to_string(next_id++), part});
        ASSERT_TRUE((*table)->Append({MakeRows(create.schema, rows)}).ok());
      }
    }
  }
  std::shared_ptr<const Snapshot> Current() { return Latest(storage_.fs, kRoot); }
  size_t FilesIn(const std::shared_ptr<const Snapshot>& snapshot, const std::string& part) {
    size_t count = 0;
    for (const AddFile& file : snapshot->files()) {
      count += file.partition_values.at(0).second == part ? 1 : 0;
    }
    return count;
  }

  TestStorage storage_;
};

TEST_F(OptimizeTest, CompactsSmallFilesPerPartitionKeepingRows) {
  CreateTable({"a", "b"}, 4, 5);
  auto before = Current();
  ASSERT_EQ(before->files().size(), 8u);
  std::vector<std::string> rows = TableRows(before);
  auto result = Optimize(before, {}, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_TRUE(result->commit.has_value());
  EXPECT_EQ(result->num_files_removed, 8);
  EXPECT_EQ(result->num_files_added, 2);
  EXPECT_EQ(result->num_partitions_optimized, 2);
  auto after = Current();
  EXPECT_EQ(after->files().size(), 2u);
  EXPECT_EQ(FilesIn(after, "a"), 1u);
  EXPECT_EQ(TableRows(after), rows);
  for (const AddFile& file : after->files()) EXPECT_FALSE(file.data_change);
  std::string commit = testing::CommitText(*storage_.fs, kRoot, after->version());
  EXPECT_THAT(commit, HasSubstr(R"("operation":"OPTIMIZE")"));
  EXPECT_THAT(commit, HasSubstr(R"("numAddedFiles":"2")"));
  EXPECT_THAT(commit, HasSubstr(R"("numRemovedFiles":"8")"));
  EXPECT_THAT(commit, HasSubstr(R"("dataChange":false)"));
  EXPECT_EQ(commit.find(R"("dataChange":true)"), std::string::npos);
}

TEST_F(OptimizeTest, DoesNothingWhenNothingIsSmallOrAlone) {
  CreateTable({"a", "b"}, 1, 5);
  auto result = Optimize(Current(), {}, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_FALSE(result->commit.has_value());
  EXPECT_EQ(Current()->version(), 2);
  EXPECT_EQ(result->num_files_considered, 2);
}

TEST_F(OptimizeTest, RespectsTheTargetSize) {
  CreateTable({"a"}, 6, 5);
  auto before = Current();
  int64_t file_size = before->files()[0].size;
  OptimizeOptions options;
  // Room for about three files per bin.
  options.target_file_size = file_size * 3 + file_size / 2;
  auto result = Optimize(before, options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_files_removed, 6);
  EXPECT_EQ(TableRows(Current()), TableRows(before));
  // A target below every file's size leaves nothing to compact.
  options.target_file_size = 1;
  auto none = Optimize(Current(), options, storage_.Options());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->commit.has_value());
}

TEST_F(OptimizeTest, FiltersPartitions) {
  CreateTable({"a", "b"}, 3, 5);
  OptimizeOptions options;
  options.partition_filter = {Predicate{"part", Predicate::Op::kEq, "b"}};
  auto result = Optimize(Current(), options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_files_removed, 3);
  auto after = Current();
  EXPECT_EQ(FilesIn(after, "a"), 3u);
  EXPECT_EQ(FilesIn(after, "b"), 1u);

  options.partition_filter = {Predicate{"id", Predicate::Op::kEq, "1"}};
  auto refused = Optimize(after, options, storage_.Options());
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().IsInvalid());
  EXPECT_THAT(refused.status().ToString(), HasSubstr("not a partition column"));
}

TEST_F(OptimizeTest, PurgesRowsDeletedByDeletionVectors) {
  CreateTable({"a"}, 1, 10, {{"delta.enableDeletionVectors", "true"}});
  auto snapshot = Current();
  ASSERT_EQ(snapshot->files().size(), 1u);
  // Marks rows 0 and 9 deleted through a deletion vector, as a DELETE would.
  AddFile file = snapshot->files()[0];
  std::vector<uint64_t> deleted = {0, 9};
  AddFile with_vector = file;
  with_vector.deletion_vector = MakeInlineDeletionVector(deleted);
  with_vector.data_change = true;
  auto transaction = OptimisticTransaction::Start(snapshot, storage_.Options());
  ASSERT_TRUE(transaction.ok()) << transaction.status().ToString();
  (*transaction)->Remove(file);
  (*transaction)->AddFiles({with_vector});
  (*transaction)->SetOperation("DELETE");
  ASSERT_TRUE((*transaction)->Commit().ok());
  auto before = Current();
  std::vector<std::string> rows = TableRows(before);
  ASSERT_EQ(rows.size(), 8u);

  auto result = Optimize(before, {}, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_TRUE(result->commit.has_value());
  EXPECT_EQ(result->num_deleted_rows_purged, 2);
  auto after = Current();
  ASSERT_EQ(after->files().size(), 1u);
  EXPECT_FALSE(after->files()[0].deletion_vector.has_value());
  EXPECT_EQ(TableRows(after), rows);
}

TEST_F(OptimizeTest, ConflictsWhenACompactedFileIsDeletedConcurrently) {
  CreateTable({"a"}, 3, 2);
  auto read = Current();
  auto other = DeltaTable::Open(storage_.fs, kRoot, storage_.Options());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->Overwrite({MakeRows(Ddl("id BIGINT, part STRING"), {{"7", "a"}})}).ok());
  auto result = Optimize(read, {}, storage_.Options());
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsConflict()) << result.status().ToString();
  EXPECT_EQ(TableRows(Current()), std::vector<std::string>{R"({"id":7,"part":"a"})"});
}

}  // namespace
}  // namespace arcflow::delta
