#include "arcflow/delta/vacuum.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arcflow/delta/deletion_vector.h"
#include "arcflow/delta/delta_table.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/maintenance_test_util.h"

namespace arcflow::delta {
namespace {

using testing::Ddl;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using testing::Latest;
using testing::MakeRows;
using testing::TableRows;
using testing::TestStorage;

constexpr char kRoot[] = "/tables/events";
constexpr int64_t kDayMs = int64_t{24} * 60 * 60 * 1000;

class VacuumTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CreateTableOptions create;
    create.schema = Ddl("id BIGINT, part STRING");
    create.partition_columns = {"part"};
    auto table = DeltaTable::Create(storage_.fs, kRoot, create, storage_.Options());
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    ASSERT_TRUE((*table)->Append({MakeRows(create.schema, {{"1", "a"}})}).ok());
    ASSERT_TRUE((*table)->Append({MakeRows(create.schema, {{"2", "b"}})}).ok());
    for (const AddFile& file : (*table)->snapshot()->files()) {
      replaced_.push_back(ResolveDataFilePath(kRoot, file.path));
    }
    // Replaces both files, leaving them as tombstones.
    ASSERT_TRUE((*table)->Overwrite({MakeRows(create.schema, {{"3", "a"}})}).ok());
    ASSERT_EQ((*table)->snapshot()->files().size(), 1u);
    live_ = ResolveDataFilePath(kRoot, (*table)->snapshot()->files()[0].path);
    // Files no commit references, and hidden files VACUUM must not touch.
    WriteFile("orphan.parquet");
    WriteFile("part=b/orphan-in-partition.parquet");
    WriteFile("_change_data/cdc-old.parquet");
    WriteFile("_hidden/x.parquet");
    WriteFile(".staging.tmp");
    WriteFile("_delta_log/ignored.txt");
  }

  void WriteFile(const std::string& relative) {
    std::string path = io::JoinPath(kRoot, relative);
    ASSERT_TRUE(storage_.fs->CreateDirectories(std::string(io::ParentPath(path))).ok());
    auto file = storage_.fs->OpenWritable(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Append(std::string_view("0123456789")).ok());
    ASSERT_TRUE((*file)->Close().ok());
  }

  VacuumOptions Options() const {
    VacuumOptions options;
    auto now = storage_.now;
    options.clock = [now] { return now->load(); };
    return options;
  }
  std::shared_ptr<const Snapshot> Current() { return Latest(storage_.fs, kRoot); }

  TestStorage storage_;
  std::vector<std::string> replaced_;
  std::string live_;
};

TEST_F(VacuumTest, KeepsEverythingWithinTheRetention) {
  storage_.AdvanceMs(kDayMs);
  VacuumOptions options = Options();
  options.dry_run = true;
  auto result = Vacuum(Current(), options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->files.empty());
}

TEST_F(VacuumTest, DryRunListsExactlyTheUnreferencedFiles) {
  storage_.AdvanceMs(8 * kDayMs);
  int64_t version = Current()->version();
  VacuumOptions options = Options();
  options.dry_run = true;
  auto result = Vacuum(Current(), options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<std::string> expected = replaced_;
  expected.push_back(std::string(kRoot) + "/orphan.parquet");
  expected.push_back(std::string(kRoot) + "/part=b/orphan-in-partition.parquet");
  expected.push_back(std::string(kRoot) + "/_change_data/cdc-old.parquet");
  std::sort(expected.begin(), expected.end());
  EXPECT_THAT(result->files, ElementsAreArray(expected));
  EXPECT_TRUE(result->dry_run);
  int64_t bytes = 30;  // The three unreferenced files of ten bytes.
  for (const std::string& path : replaced_) bytes += storage_.fs->GetFileInfo(path)->size;
  EXPECT_EQ(result->num_bytes, bytes);
  // Nothing was deleted or committed.
  for (const std::string& path : expected) EXPECT_TRUE(storage_.fs->Exists(path)) << path;
  EXPECT_EQ(Current()->version(), version);
}

TEST_F(VacuumTest, DeletesAndRecordsStartAndEnd) {
  storage_.AdvanceMs(8 * kDayMs);
  WriteFile("young-orphan.parquet");  // Could belong to a write that has not committed yet.
  auto before = Current();
  std::vector<std::string> rows = TableRows(before);
  auto result = Vacuum(before, Options(), storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->files.size(), 5u);
  for (const std::string& path : result->files) EXPECT_FALSE(storage_.fs->Exists(path)) << path;
  EXPECT_TRUE(storage_.fs->Exists(live_));
  EXPECT_TRUE(storage_.fs->Exists(std::string(kRoot) + "/young-orphan.parquet"));
  EXPECT_TRUE(storage_.fs->Exists(std::string(kRoot) + "/_hidden/x.parquet"));
  EXPECT_TRUE(storage_.fs->Exists(std::string(kRoot) + "/.staging.tmp"));
  EXPECT_TRUE(storage_.fs->Exists(std::string(kRoot) + "/_delta_log/ignored.txt"));
  auto after = Current();
  EXPECT_EQ(after->version(), before->version() + 2);
  EXPECT_THAT(testing::CommitText(*storage_.fs, kRoot, before->version() + 1),
              HasSubstr(R"("operation":"VACUUM START")"));
  EXPECT_THAT(testing::CommitText(*storage_.fs, kRoot, before->version() + 1),
              HasSubstr(R"("numFilesToDelete":"5")"));
  EXPECT_THAT(testing::CommitText(*storage_.fs, kRoot, after->version()),
              HasSubstr(R"("operation":"VACUUM END")"));
  EXPECT_EQ(TableRows(after), rows);
}

TEST_F(VacuumTest, RefusesAShortRetentionUnlessTheCheckIsDisabled) {
  storage_.AdvanceMs(2 * 60 * 60 * 1000);
  VacuumOptions options = Options();
  options.retention_ms = 60 * 60 * 1000;
  options.dry_run = true;
  auto refused = Vacuum(Current(), options, storage_.Options());
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().IsInvalid());
  EXPECT_THAT(refused.status().ToString(), HasSubstr("delta.deletedFileRetentionDuration"));

  options.disable_retention_check = true;
  auto result = Vacuum(Current(), options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->files.size(), 5u);
}

TEST_F(VacuumTest, FollowsTheTableRetentionProperty) {
  // The tombstones of a table keeping removed files one day expire after a day.
  auto snapshot = Current();
  Metadata metadata = snapshot->metadata();
  metadata.configuration.emplace_back("delta.deletedFileRetentionDuration", "interval 1 day");
  auto transaction = OptimisticTransaction::Start(snapshot, storage_.Options());
  ASSERT_TRUE(transaction.ok());
  ASSERT_TRUE((*transaction)->UpdateMetadata(metadata).ok());
  ASSERT_TRUE((*transaction)->Commit().ok());
  storage_.AdvanceMs(2 * kDayMs);
  VacuumOptions options = Options();
  options.dry_run = true;
  auto result = Vacuum(Current(), options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->files.size(), 5u);
  // A retention longer than the table's needs no override.
  options.retention_ms = 3 * kDayMs;
  auto longer = Vacuum(Current(), options, storage_.Options());
  ASSERT_TRUE(longer.ok()) << longer.status().ToString();
  EXPECT_TRUE(longer->files.empty());
}

TEST_F(VacuumTest, KeepsReferencedDeletionVectorsAndDeletesOthers) {
  auto snapshot = Current();
  std::vector<uint64_t> rows = {0};
  auto kept_vector = WriteDeletionVectorFile(storage_.fs, kRoot, rows);
  ASSERT_TRUE(kept_vector.ok()) << kept_vector.status().ToString();
  auto dropped_vector = WriteDeletionVectorFile(storage_.fs, kRoot, rows);
  ASSERT_TRUE(dropped_vector.ok());
  Protocol protocol;
  protocol.min_reader_version = 3;
  protocol.min_writer_version = 7;
  protocol.reader_features = std::vector<std::string>{"deletionVectors"};
  protocol.writer_features = std::vector<std::string>{"deletionVectors"};
  AddFile file = snapshot->files()[0];
  AddFile with_vector = file;
  with_vector.deletion_vector = *kept_vector;
  auto transaction = OptimisticTransaction::Start(snapshot, storage_.Options());
  ASSERT_TRUE(transaction.ok());
  (*transaction)->SetProtocol(protocol);
  (*transaction)->Remove(file);
  (*transaction)->AddFiles({with_vector});
  ASSERT_TRUE((*transaction)->Commit().ok());
  storage_.AdvanceMs(8 * kDayMs);
  VacuumOptions options = Options();
  options.dry_run = true;
  auto result = Vacuum(Current(), options, storage_.Options());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::string kept = *DeletionVectorFilePath(kRoot, *kept_vector);
  std::string dropped = *DeletionVectorFilePath(kRoot, *dropped_vector);
  EXPECT_EQ(std::count(result->files.begin(), result->files.end(), kept), 0);
  EXPECT_EQ(std::count(result->files.begin(), result->files.end(), dropped), 1);
  // The data file is still live, with its vector.
  EXPECT_EQ(std::count(result->files.begin(), result->files.end(), live_), 0);
}

}  // namespace
}  // namespace arcflow::delta
