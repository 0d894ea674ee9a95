#include "arcflow/delta/checkpoint_reader.h"

#include <gtest/gtest.h>

#include <fstream>

#include "arcflow/columnar/record_batch.h"
#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/parquet/bridge/parquet_writer.h"

namespace arcflow::delta {
namespace {

const std::string kDeltaCorpus = std::string(ARCFLOW_SHARED_DIR) + "/corpora/delta";

template <typename T>
int Count(const std::vector<Action>& actions) {
  int count = 0;
  for (const Action& action : actions) count += std::holds_alternative<T>(action) ? 1 : 0;
  return count;
}

TEST(CheckpointReaderTest, ReadsClassicParquetCheckpoint) {
  std::string path = kDeltaCorpus +
                     "/delta-kernel-rs/golden/basic-with-inserts-deletes-checkpoint/delta/"
                     "_delta_log/" +
                     CheckpointFileName(10);
  std::vector<Action> actions;
  Status status = ReadCheckpointFile(io::LocalFileSystem(), path, &actions);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(Count<Protocol>(actions), 1);
  EXPECT_EQ(Count<Metadata>(actions), 1);
  EXPECT_GT(Count<AddFile>(actions), 0);
  // Protocol and metadata come before the files.
  EXPECT_TRUE(std::holds_alternative<Protocol>(actions[0]));
  EXPECT_TRUE(std::holds_alternative<Metadata>(actions[1]));
  const auto& metadata = std::get<Metadata>(actions[1]);
  EXPECT_NE(metadata.schema_string.find("\"id\""), std::string::npos) << metadata.schema_string;
  EXPECT_EQ(metadata.format.provider, "parquet");
  for (const Action& action : actions) {
    if (const auto* add = std::get_if<AddFile>(&action)) {
      EXPECT_FALSE(add->path.empty());
      EXPECT_GT(add->size, 0);
      EXPECT_TRUE(add->stats.has_value());
    }
  }
}

TEST(CheckpointReaderTest, ReadsPartitionValuesAndDeletionVectors) {
  std::string root =
      kDeltaCorpus + "/delta-kernel-rs/data/v1-multi-part-partitioned-struct-stats-only";
  std::vector<std::string> parts;
  for (int32_t part = 1; part <= 3; ++part) {
    parts.push_back(io::JoinPath(LogDirectory(root), MultiPartCheckpointFileName(5, part, 3)));
  }
  std::vector<Action> actions;
  Status status = ReadCheckpoint(io::LocalFileSystem(), root, parts, &actions);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(Count<Protocol>(actions), 1);
  EXPECT_EQ(Count<AddFile>(actions), 5);
  for (const Action& action : actions) {
    if (const auto* add = std::get_if<AddFile>(&action)) {
      ASSERT_EQ(add->partition_values.size(), 1u);
      EXPECT_EQ(add->partition_values[0].first, "part");
      // Written with stats as a struct only: there is no JSON stats string.
      EXPECT_FALSE(add->stats.has_value());
    }
  }
}

TEST(CheckpointReaderTest, ExpandsV2Sidecars) {
  std::string root = kDeltaCorpus + "/delta-kernel-rs/data/v2-checkpoints-parquet-with-sidecars";
  auto fs = io::LocalFileSystem();
  Result<std::vector<LogFile>> files = ListLog(*fs, root);
  ASSERT_TRUE(files.ok());
  std::string manifest;
  for (const LogFile& file : *files) {
    if (file.name.kind == LogFileKind::kV2Checkpoint && file.name.version == 6) {
      manifest = file.info.path;
    }
  }
  ASSERT_FALSE(manifest.empty());
  std::vector<Action> manifest_only;
  ASSERT_TRUE(ReadCheckpointFile(fs, manifest, &manifest_only).ok());
  EXPECT_EQ(Count<Sidecar>(manifest_only), 2);
  EXPECT_EQ(Count<CheckpointMetadata>(manifest_only), 1);
  EXPECT_EQ(Count<AddFile>(manifest_only), 0);

  std::vector<Action> all;
  Status status = ReadCheckpoint(fs, root, {manifest}, &all);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(Count<Sidecar>(all), 2);
  EXPECT_EQ(Count<AddFile>(all), 101);
}

// Writes a one-row Parquet file with the DDL schema, every column null but the first, which
// holds `value` when it is a string column.
std::string WriteParquet(const io::ScratchDirectory& scratch, const std::string& ddl) {
  std::string path = scratch.Join("checkpoint.parquet");
  Result<SchemaPtr> schema = ParseDdlSchema(ddl);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  RecordBatchBuilder builder(*schema);
  for (int i = 0; i < (*schema)->num_fields(); ++i) builder.column_builder(i)->AppendNull();
  Result<RecordBatchPtr> batch = builder.Finish();
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  auto fs = io::LocalFileSystem();
  auto file = fs->OpenWritable(path);
  EXPECT_TRUE(file.ok());
  auto writer =
      parquet::ParquetFileWriter::Open(std::move(*file), *schema, parquet::ParquetWriteOptions{});
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  EXPECT_TRUE((*writer)->Write(**batch).ok());
  EXPECT_TRUE((*writer)->Close().ok());
  return path;
}

TEST(CheckpointReaderTest, RejectsWrongColumnTypes) {
  io::ScratchDirectory scratch;
  struct Case {
    const char* ddl;
    const char* mentions;
  };
  const Case cases[] = {
      {"add STRING", "'add' must be a struct"},
      {"add STRUCT<path: INT, size: BIGINT>", "add.path"},
      {"add STRUCT<path: STRING, size: STRING>", "add.size"},
      {"add STRUCT<path: STRING, partitionValues: MAP<STRING, INT>>", "partitionValues"},
      {"protocol STRUCT<minReaderVersion: INT, readerFeatures: ARRAY<INT>>", "readerFeatures"},
      {"id BIGINT", "none of the action columns"},
  };
  for (const Case& test_case : cases) {
    std::string path = WriteParquet(scratch, test_case.ddl);
    std::vector<Action> actions;
    Status status = ReadCheckpointFile(io::LocalFileSystem(), path, &actions);
    ASSERT_FALSE(status.ok()) << test_case.ddl;
    EXPECT_TRUE(status.IsCorruption()) << status.ToString();
    EXPECT_NE(status.message().find(test_case.mentions), std::string::npos) << status.message();
    EXPECT_NE(status.message().find("checkpoint.parquet"), std::string::npos) << status.message();
  }
}

TEST(CheckpointReaderTest, NullActionRowsAreSkipped) {
  io::ScratchDirectory scratch;
  std::string path =
      WriteParquet(scratch, "add STRUCT<path: STRING>, remove STRUCT<path: STRING>, extra INT");
  std::vector<Action> actions;
  Status status = ReadCheckpointFile(io::LocalFileSystem(), path, &actions);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(actions.empty());
}

TEST(CheckpointReaderTest, GarbageAndMissingFilesFail) {
  io::ScratchDirectory scratch;
  std::string garbage = scratch.Join("00000000000000000001.checkpoint.parquet");
  std::ofstream(garbage) << "PAR1 not really PAR1";
  std::vector<Action> actions;
  EXPECT_FALSE(ReadCheckpointFile(io::LocalFileSystem(), garbage, &actions).ok());
  EXPECT_FALSE(
      ReadCheckpointFile(io::LocalFileSystem(), scratch.Join("missing.parquet"), &actions).ok());
  std::string bad_json = scratch.Join("00000000000000000001.checkpoint.u.json");
  std::ofstream(bad_json) << "{\"add\":{\"path\":\"a\"}}\n{oops\n";
  Status status = ReadCheckpointFile(io::LocalFileSystem(), bad_json, &actions);
  ASSERT_TRUE(status.IsCorruption()) << status.ToString();
  EXPECT_NE(status.message().find("line=2"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace arcflow::delta
