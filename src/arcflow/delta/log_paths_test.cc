#include "arcflow/delta/log_paths.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "arcflow/delta/snapshot.h"

namespace arcflow::delta {
namespace {

const std::string kDeltaCorpus = std::string(ARCFLOW_SHARED_DIR) + "/corpora/delta";

TEST(LogPathsTest, FormatsNames) {
  EXPECT_EQ(CommitFileName(0), "00000000000000000000.json");
  EXPECT_EQ(CommitFileName(1234), "00000000000000001234.json");
  EXPECT_EQ(CheckpointFileName(10), "00000000000000000010.checkpoint.parquet");
  EXPECT_EQ(MultiPartCheckpointFileName(10, 2, 3),
            "00000000000000000010.checkpoint.0000000002.0000000003.parquet");
  EXPECT_EQ(V2CheckpointFileName(2, "80a083e8-7026-4e79-81be-64bd76c43a11", true),
            "00000000000000000002.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json");
  EXPECT_EQ(V2CheckpointFileName(2, "u", false), "00000000000000000002.checkpoint.u.parquet");
  EXPECT_EQ(CompactionFileName(4, 6), "00000000000000000004.00000000000000000006.compacted.json");
  EXPECT_EQ(ChecksumFileName(3), "00000000000000000003.crc");
  EXPECT_EQ(LogDirectory("/t"), "/t/_delta_log");
  EXPECT_EQ(SidecarDirectory("/t/"), "/t/_delta_log/_sidecars");
}

TEST(LogPathsTest, ParsesEveryKindBack) {
  auto commit = ParseLogFileName(CommitFileName(17));
  ASSERT_TRUE(commit.has_value());
  EXPECT_EQ(commit->kind, LogFileKind::kCommit);
  EXPECT_EQ(commit->version, 17);
  EXPECT_FALSE(commit->is_checkpoint());

  auto classic = ParseLogFileName(CheckpointFileName(10));
  ASSERT_TRUE(classic.has_value());
  EXPECT_EQ(classic->kind, LogFileKind::kCheckpoint);
  EXPECT_EQ(classic->version, 10);
  EXPECT_TRUE(classic->is_checkpoint());

  auto part = ParseLogFileName(MultiPartCheckpointFileName(10, 2, 3));
  ASSERT_TRUE(part.has_value());
  EXPECT_EQ(part->kind, LogFileKind::kMultiPartCheckpoint);
  EXPECT_EQ(part->part, 2);
  EXPECT_EQ(part->num_parts, 3);

  auto v2 = ParseLogFileName(V2CheckpointFileName(5, "abc-def", true));
  ASSERT_TRUE(v2.has_value());
  EXPECT_EQ(v2->kind, LogFileKind::kV2Checkpoint);
  EXPECT_EQ(v2->uuid, "abc-def");
  EXPECT_TRUE(v2->is_json);
  auto v2_parquet = ParseLogFileName(V2CheckpointFileName(5, "abc-def", false));
  ASSERT_TRUE(v2_parquet.has_value());
  EXPECT_FALSE(v2_parquet->is_json);

  auto compaction = ParseLogFileName(CompactionFileName(4, 6));
  ASSERT_TRUE(compaction.has_value());
  EXPECT_EQ(compaction->kind, LogFileKind::kCompaction);
  EXPECT_EQ(compaction->version, 4);
  EXPECT_EQ(compaction->end_version, 6);

  auto crc = ParseLogFileName(ChecksumFileName(3));
  ASSERT_TRUE(crc.has_value());
  EXPECT_EQ(crc->kind, LogFileKind::kChecksum);

  auto last = ParseLogFileName("_last_checkpoint");
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->kind, LogFileKind::kLastCheckpoint);
}

TEST(LogPathsTest, RejectsNamesThatAreNotLogFiles) {
  for (const char* name :
       {"", "0.json", "000000000000000000001.json", "0000000000000000000a.json",
        ".00000000000000000000.json.crc", "00000000000000000000.json.tmp",
        "00000000000000000000.parquet",
        "00000000000000000000.checkpoint.0000000003.0000000002.parquet",
        "00000000000000000000.checkpoint.0000000000.0000000002.parquet",
        "00000000000000000006.00000000000000000004.compacted.json",
        "00000000000000000000.checkpoint..json", "_sidecars",
        "00000000000000000000.checkpoint.parquet.crc", "99999999999999999999.json"}) {
    EXPECT_FALSE(ParseLogFileName(name).has_value()) << name;
  }
}

TEST(LogPathsTest, DecodesPercentEscapes) {
  EXPECT_EQ(DecodePercentEscapes("a%20b"), "a b");
  EXPECT_EQ(DecodePercentEscapes("x=A%252FA"), "x=A%2FA");
  EXPECT_EQ(DecodePercentEscapes("p@%23h%2d"), "p@#h-");
  EXPECT_EQ(DecodePercentEscapes("100%"), "100%");
  EXPECT_EQ(DecodePercentEscapes("%zz%4"), "%zz%4");
  EXPECT_EQ(DecodePercentEscapes("a+b"), "a+b");
}

TEST(LogPathsTest, ResolvesDataFilePaths) {
  EXPECT_EQ(ResolveDataFilePath("/t", "part-0.parquet"), "/t/part-0.parquet");
  EXPECT_EQ(ResolveDataFilePath("/t/", "x=B%2520B/f.parquet"), "/t/x=B%20B/f.parquet");
  EXPECT_EQ(ResolveDataFilePath("/t", "/abs/with%20space/p@%23h"), "/abs/with space/p@#h");
  EXPECT_EQ(ResolveDataFilePath("/t", "file:/abs/a"), "/abs/a");
  EXPECT_EQ(ResolveDataFilePath("/t", "file:///abs/a%20b"), "/abs/a b");
  EXPECT_EQ(ResolveDataFilePath("/t", "file://localhost/abs/a"), "/abs/a");
  EXPECT_EQ(ResolveDataFilePath("/t", "s3://bucket/key%20x"), "s3://bucket/key x");
  // A colon after the first '/' is part of a relative path, not a scheme.
  EXPECT_EQ(ResolveDataFilePath("/t", "ts=10:00/f.parquet"), "/t/ts=10:00/f.parquet");
  EXPECT_EQ(ResolveDataFilePath("/t", "bar%2Dbar.snappy.parquet"), "/t/bar-bar.snappy.parquet");
}

TEST(LogPathsTest, ListsLogSortedAndSkipsOtherFiles) {
  auto fs = io::LocalFileSystem();
  std::string root = kDeltaCorpus + "/delta-kernel-rs/data/v2-checkpoints-json-with-sidecars";
  Result<std::vector<LogFile>> files = ListLog(*fs, root);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  // 7 commits, 6 V2 checkpoints, 7 checksums and _last_checkpoint; _sidecars is skipped.
  ASSERT_EQ(files->size(), 21u);
  EXPECT_EQ(files->front().name.kind, LogFileKind::kLastCheckpoint);
  EXPECT_EQ((*files)[1].name.kind, LogFileKind::kCommit);
  EXPECT_EQ((*files)[1].name.version, 0);
  EXPECT_EQ((*files)[2].name.kind, LogFileKind::kChecksum);
  EXPECT_EQ((*files)[4].name.kind, LogFileKind::kV2Checkpoint);
  EXPECT_EQ((*files)[4].name.version, 1);
  for (size_t i = 2; i < files->size(); ++i) {
    EXPECT_LE((*files)[i - 1].name.version, (*files)[i].name.version);
  }
  EXPECT_TRUE(ListLog(*fs, kDeltaCorpus + "/no-such-table").status().IsNotFound());
}

// The data files of these tables live under directories whose names are themselves
// percent-encoded, so the log paths are encoded twice.
TEST(LogPathsTest, ResolvedPathsOfSpecialCharacterTablesExist) {
  auto fs = io::LocalFileSystem();
  for (const char* table :
       {"delta-rs/delta-0.8.0-special-partition", "delta-spark/table-with-dv-special-char"}) {
    std::string root = kDeltaCorpus + "/" + table;
    Result<std::shared_ptr<const Snapshot>> snapshot = Snapshot::Load(fs, root);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    ASSERT_FALSE((*snapshot)->files().empty()) << table;
    for (const AddFile& add : (*snapshot)->files()) {
      std::string resolved = ResolveDataFilePath(root, add.path);
      EXPECT_TRUE(std::filesystem::exists(resolved)) << add.path << " -> " << resolved;
    }
  }
}

}  // namespace
}  // namespace arcflow::delta
