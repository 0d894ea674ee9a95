#include "arcflow/delta/restore.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arcflow/delta/delta_table.h"
#include "arcflow/delta/log_paths.h"
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

constexpr char kRoot[] = "/tables/events";

// Versions: 0 create, 1 append {1}, 2 append {2}, 3 overwrite {3}; a second apart.
class RestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CreateTableOptions create;
    create.schema = Ddl("id BIGINT");
    auto table = DeltaTable::Create(storage_.fs, kRoot, create, storage_.Options());
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    for (const char* id : {"1", "2"}) {
      storage_.AdvanceMs(1000);
      ASSERT_TRUE((*table)->Append({MakeRows(create.schema, {{id}})}).ok());
    }
    storage_.AdvanceMs(1000);
    ASSERT_TRUE((*table)->Overwrite({MakeRows(create.schema, {{"3"}})}).ok());
    ASSERT_EQ((*table)->snapshot()->version(), 3);
  }
  std::shared_ptr<const Snapshot> Current() { return Latest(storage_.fs, kRoot); }

  TestStorage storage_;
};

TEST_F(RestoreTest, BringsBackTheRowsOfAVersion) {
  RestoreOptions options;
  options.version = 2;
  auto result = Restore(Current(), options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->commit.version, 4);
  EXPECT_EQ(result->restored_version, 2);
  EXPECT_EQ(result->num_restored_files, 2);
  EXPECT_EQ(result->num_removed_files, 1);
  EXPECT_EQ(result->num_files_after_restore, 2);
  auto snapshot = Current();
  EXPECT_THAT(TableRows(snapshot), ElementsAre(R"({"id":1})", R"({"id":2})"));
  std::string commit = testing::CommitText(*storage_.fs, kRoot, 4);
  EXPECT_THAT(commit, HasSubstr(R"("operation":"RESTORE")"));
  EXPECT_THAT(commit, HasSubstr(R"("numRestoredFiles":"2")"));
  EXPECT_THAT(commit, HasSubstr(R"("numRemovedFiles":"1")"));
  EXPECT_EQ(commit.find(R"("dataChange":false)"), std::string::npos);
}

TEST_F(RestoreTest, RestoresByTimestamp) {
  auto history = ReadHistory(storage_.fs, kRoot);
  ASSERT_TRUE(history.ok());
  int64_t version_one_time = -1;
  for (const HistoryEntry& entry : *history) {
    if (entry.version == 1) version_one_time = entry.timestamp_ms;
  }
  ASSERT_GT(version_one_time, 0);
  RestoreOptions options;
  options.timestamp_ms = version_one_time + 500;  // Between versions 1 and 2.
  auto result = Restore(Current(), options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->restored_version, 1);
  EXPECT_THAT(TableRows(Current()), ElementsAre(R"({"id":1})"));
}

TEST_F(RestoreTest, FailsNamingAFileVacuumDeleted) {
  SnapshotOptions at_one;
  at_one.version = 1;
  auto version_one = Snapshot::Load(storage_.fs, kRoot, at_one);
  ASSERT_TRUE(version_one.ok());
  const std::string& path = (*version_one)->files()[0].path;
  ASSERT_TRUE(storage_.fs->DeleteFile(ResolveDataFilePath(kRoot, path)).ok());
  RestoreOptions options;
  options.version = 1;
  auto result = Restore(Current(), options, storage_.Options());
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsNotFound());
  EXPECT_THAT(result.status().ToString(), HasSubstr(path));
  EXPECT_EQ(Current()->version(), 3);  // Nothing committed.
}

TEST_F(RestoreTest, RestoresMetadataWithoutDowngradingTheProtocol) {
  // Version 4 enables the change data feed, which raises the writer version to 4.
  auto snapshot = Current();
  Metadata metadata = snapshot->metadata();
  metadata.configuration.emplace_back("delta.enableChangeDataFeed", "true");
  auto transaction = OptimisticTransaction::Start(snapshot, storage_.Options());
  ASSERT_TRUE(transaction.ok());
  ASSERT_TRUE((*transaction)->UpdateMetadata(metadata).ok());
  ASSERT_TRUE((*transaction)->Commit().ok());
  ASSERT_EQ(Current()->protocol().min_writer_version, 4);

  RestoreOptions options;
  options.version = 2;
  auto result = Restore(Current(), options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  auto restored = Current();
  EXPECT_FALSE(restored->metadata().Configuration("delta.enableChangeDataFeed").has_value());
  EXPECT_EQ(restored->protocol().min_writer_version, 4);
  EXPECT_EQ(restored->protocol().min_reader_version, 1);
  EXPECT_THAT(TableRows(restored), ElementsAre(R"({"id":1})", R"({"id":2})"));
}

TEST_F(RestoreTest, RejectsBadTargets) {
  RestoreOptions both;
  both.version = 1;
  both.timestamp_ms = 1;
  EXPECT_TRUE(Restore(Current(), both, storage_.Options()).status().IsInvalid());
  EXPECT_TRUE(Restore(Current(), RestoreOptions{}, storage_.Options()).status().IsInvalid());
  RestoreOptions future;
  future.version = 9;
  EXPECT_FALSE(Restore(Current(), future, storage_.Options()).ok());
  EXPECT_EQ(Current()->version(), 3);
}

}  // namespace
}  // namespace arcflow::delta
