#include "arcflow/delta/checkpoint_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arcflow/columnar/builder.h"
#include "arcflow/delta/delta_table.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/io/memory_file_system.h"
#include "arcflow/parquet/bridge/parquet_reader.h"

namespace arcflow::delta {
namespace {

using ::testing::HasSubstr;

constexpr char kRoot[] = "/tables/c";
constexpr int64_t kDayMs = 24 * 3600 * 1000;

RecordBatchPtr Rows(int64_t id, const std::string& part) {
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("id", types::Int64()), Field("part", types::String())});
  Int64Builder ids(types::Int64());
  ids.Append(id);
  BinaryBuilder parts(types::String());
  parts.Append(part);
  return *RecordBatch::Make(schema, 1, {*ids.Finish(), *parts.Finish()});
}

std::unique_ptr<DeltaTable> Create(const std::shared_ptr<io::FileSystem>& fs,
                                   StringMap configuration, TransactionOptions options = {}) {
  CreateTableOptions create;
  create.schema = Rows(0, "")->schema();
  create.partition_columns = {"part"};
  create.configuration = std::move(configuration);
  auto table = DeltaTable::Create(fs, kRoot, create, std::move(options));
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return table.ok() ? std::move(*table) : nullptr;
}

std::string ReadText(io::FileSystem& fs, const std::string& path) {
  auto contents = fs.ReadFile(path);
  EXPECT_TRUE(contents.ok()) << contents.status().ToString();
  if (!contents.ok()) return "";
  return std::string(reinterpret_cast<const char*>((*contents)->data()),
                     static_cast<size_t>((*contents)->size()));
}

// The files of a snapshot with dataChange cleared: checkpoints store adds without it.
std::vector<AddFile> Files(const Snapshot& snapshot) {
  std::vector<AddFile> files = snapshot.files();
  for (AddFile& file : files) file.data_change = false;
  return files;
}

TEST(CheckpointWriterTest, WrittenAtIntervalAndLoadsLikeTheCommits) {
  auto fs = io::MemoryFileSystem::Make();
  auto table = Create(fs, {{"delta.checkpointInterval", "3"}});
  ASSERT_TRUE(table);
  WriteOptions options;
  for (int64_t i = 1; i <= 7; ++i) {
    options.txn = WriteTxn{"app", i};
    auto written = table->Append({Rows(i, i % 2 ? "odd" : "even")}, options);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    EXPECT_TRUE(written->commit->post_commit_status.ok())
        << written->commit->post_commit_status.ToString();
  }
  // One overwrite leaves tombstones for the next checkpoint.
  auto overwritten = table->Overwrite({Rows(100, "odd")});
  ASSERT_TRUE(overwritten.ok());
  ASSERT_EQ(overwritten->commit->version, 8);
  ASSERT_TRUE(table->Append({Rows(101, "even")}).ok());  // Version 9.
  const std::string log = LogDirectory(kRoot);
  EXPECT_TRUE(fs->Exists(io::JoinPath(log, CheckpointFileName(3))));
  EXPECT_TRUE(fs->Exists(io::JoinPath(log, CheckpointFileName(6))));
  EXPECT_TRUE(fs->Exists(io::JoinPath(log, CheckpointFileName(9))));
  EXPECT_FALSE(fs->Exists(io::JoinPath(log, CheckpointFileName(4))));
  std::string last = ReadText(*fs, io::JoinPath(log, "_last_checkpoint"));
  // protocol + metaData + 1 txn + 2 adds + 7 tombstones.
  EXPECT_THAT(last, HasSubstr("{\"version\":9,\"size\":12,\"sizeInBytes\":"));
  EXPECT_THAT(last, HasSubstr("\"numOfAddFiles\":2}"));

  auto from_checkpoint = Snapshot::Load(fs, kRoot);
  ASSERT_TRUE(from_checkpoint.ok()) << from_checkpoint.status().ToString();
  EXPECT_EQ((*from_checkpoint)->log_segment().checkpoint_version, 9);
  // Removing the checkpoints makes the reader replay every commit.
  for (int64_t version : {3, 6, 9}) {
    ASSERT_TRUE(fs->DeleteFile(io::JoinPath(log, CheckpointFileName(version))).ok());
  }
  ASSERT_TRUE(fs->DeleteFile(io::JoinPath(log, "_last_checkpoint")).ok());
  auto from_commits = Snapshot::Load(fs, kRoot);
  ASSERT_TRUE(from_commits.ok()) << from_commits.status().ToString();
  EXPECT_FALSE((*from_commits)->log_segment().checkpoint_version.has_value());
  EXPECT_EQ((*from_checkpoint)->version(), (*from_commits)->version());
  EXPECT_EQ((*from_checkpoint)->protocol(), (*from_commits)->protocol());
  EXPECT_EQ((*from_checkpoint)->metadata(), (*from_commits)->metadata());
  EXPECT_EQ((*from_checkpoint)->transactions(), (*from_commits)->transactions());
  EXPECT_EQ(Files(**from_checkpoint), Files(**from_commits));
  EXPECT_EQ((*from_checkpoint)->tombstones().size(), (*from_commits)->tombstones().size());
}

TEST(CheckpointWriterTest, HasSparkCheckpointSchema) {
  auto fs = io::MemoryFileSystem::Make();
  auto table = Create(fs, {});
  ASSERT_TRUE(table);
  ASSERT_TRUE(table->Append({Rows(1, "x")}).ok());
  auto info = WriteCheckpoint(*table->snapshot());
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->version, 1);
  EXPECT_EQ(info->size, 3);
  EXPECT_EQ(info->num_of_add_files, 1);
  std::string path = io::JoinPath(LogDirectory(kRoot), "00000000000000000001.checkpoint.parquet");
  auto reader = parquet::ParquetFileReader::Open(fs, path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->num_rows(), 3);
  std::vector<std::string> names;
  for (const Field& field : (*reader)->schema()->fields()) names.push_back(field.name);
  EXPECT_THAT(names, ::testing::ElementsAre("txn", "add", "remove", "metaData", "protocol",
                                            "domainMetadata"));
  const DataType& add = *(*reader)->schema()->field(1).type;
  EXPECT_EQ(add.field(add.GetFieldIndex("stats")).type->id(), TypeId::kString);
  EXPECT_EQ(add.field(add.GetFieldIndex("partitionValues")).type->id(), TypeId::kMap);
  // A second writer of the same checkpoint does not move _last_checkpoint backwards.
  ASSERT_TRUE(table->Append({Rows(2, "x")}).ok());
  ASSERT_TRUE(WriteCheckpoint(*table->snapshot()).ok());
  ASSERT_TRUE(WriteCheckpoint(**Snapshot::Load(fs, kRoot, SnapshotOptions{1, std::nullopt})).ok());
  EXPECT_THAT(ReadText(*fs, io::JoinPath(LogDirectory(kRoot), "_last_checkpoint")),
              HasSubstr("\"version\":2,"));
}

TEST(CheckpointWriterTest, CleansUpExpiredLogsBeforeTheNewestExpiredCheckpoint) {
  auto fs = io::MemoryFileSystem::Make();
  const int64_t start = 1700000000000;
  // The file system's clock and the writer's clock move together.
  auto now = std::make_shared<int64_t>(start);
  auto set_time = [&](int64_t time_ms) {
    *now = time_ms;
    fs->SetTimeMs(time_ms);
  };
  set_time(start);
  TransactionOptions options;
  options.clock = [now] { return *now; };
  auto table = Create(
      fs, {{"delta.checkpointInterval", "2"}, {"delta.logRetentionDuration", "interval 1 day"}},
      options);
  ASSERT_TRUE(table);
  for (int64_t i = 1; i <= 4; ++i) ASSERT_TRUE(table->Append({Rows(i, "a")}).ok());
  // Two days later: versions 0..4 and checkpoints 2 and 4 have expired.
  set_time(start + 2 * kDayMs);
  for (int64_t i = 5; i <= 6; ++i) ASSERT_TRUE(table->Append({Rows(i, "a")}).ok());
  const std::string log = LogDirectory(kRoot);
  // The commit of version 6 wrote checkpoint 6 and cleaned up before checkpoint 4.
  for (int64_t version : {0, 1, 2, 3}) {
    EXPECT_FALSE(fs->Exists(io::JoinPath(log, CommitFileName(version)))) << version;
  }
  EXPECT_FALSE(fs->Exists(io::JoinPath(log, CheckpointFileName(2))));
  EXPECT_TRUE(fs->Exists(io::JoinPath(log, CheckpointFileName(4))));
  EXPECT_TRUE(fs->Exists(io::JoinPath(log, CommitFileName(4))));
  EXPECT_TRUE(fs->Exists(io::JoinPath(log, CommitFileName(5))));
  auto snapshot = Snapshot::Load(fs, kRoot);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)->version(), 6);
  EXPECT_EQ((*snapshot)->files().size(), 6u);
  // Version 4 can still be loaded from its checkpoint.
  auto old = Snapshot::Load(fs, kRoot, SnapshotOptions{4, std::nullopt});
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ((*old)->files().size(), 4u);
  // Nothing expired: nothing deleted.
  auto deleted = CleanUpExpiredLogs(**snapshot, start + 2 * kDayMs);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 0);
}

}  // namespace
}  // namespace arcflow::delta
