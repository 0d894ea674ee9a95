#include "arcflow/formats/multi_file_reader.h"

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/io/open_recording_file_system.h"

namespace arcflow::formats {
namespace {

using ::testing::HasSubstr;

class MultiFileReaderTest : public ::testing::Test {
 protected:
  void SetUp() override { schema_ = *ParseDdlSchema("file INT, row INT"); }

  // Writes `files` JSON files of `rows` rows each: {"file": f, "row": r}.
  std::vector<std::string> WriteJsonFiles(int files, int rows) {
    std::vector<std::string> paths;
    for (int f = 0; f < files; ++f) {
      paths.push_back(directory_.Join("part-" + std::to_string(f) + ".json"));
      std::ofstream out(paths.back());
      for (int r = 0; r < rows; ++r) out << "{\"file\": " << f << ", \"row\": " << r << "}\n";
    }
    return paths;
  }

  // Converts JSON files into Parquet files with one row group per `rows_per_group` rows, so that
  // each file yields several batches.
  std::vector<std::string> WriteParquetFiles(int files, int rows, int rows_per_group) {
    std::vector<std::string> paths;
    for (int f = 0; f < files; ++f) {
      paths.push_back(directory_.Join("part-" + std::to_string(f) + ".parquet"));
      io::FormatOptions options;
      options.Set("parquet.block.size", "1");
      auto writer = *OpenFileWriter(fs_, paths.back(), FileFormat::kParquet, schema_, options);
      for (int group = 0; group * rows_per_group < rows; ++group) {
        const std::string json = directory_.Join("group.json");
        {
          std::ofstream out(json);
          for (int r = group * rows_per_group; r < std::min(rows, (group + 1) * rows_per_group);
               ++r) {
            out << "{\"file\": " << f << ", \"row\": " << r << "}\n";
          }
        }
        auto reader = *OpenFileReader(fs_, json, FileFormat::kJson, schema_, {});
        while (RecordBatchPtr batch = *reader->Next()) EXPECT_TRUE(writer->Write(*batch).ok());
      }
      EXPECT_TRUE(writer->Close().ok());
    }
    return paths;
  }

  ReadSpec Spec(FileFormat format) const {
    ReadSpec spec;
    spec.format = format;
    spec.schema = schema_;
    return spec;
  }

  // Reads everything as canonical rows, counting the batches.
  Result<std::vector<std::string>> ReadAll(std::unique_ptr<RecordBatchReader> reader,
                                           int* batches = nullptr) {
    std::vector<std::string> rows;
    while (true) {
      ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, reader->Next());
      if (!batch) break;
      EXPECT_EQ(batch->schema(), schema_);
      if (batches) ++*batches;
      AppendCanonicalRows(*batch, &rows);
    }
    return rows;
  }

  io::ScratchDirectory directory_;
  std::shared_ptr<io::FileSystem> fs_ = io::LocalFileSystem();
  SchemaPtr schema_;
};

TEST_F(MultiFileReaderTest, ParallelReadKeepsFileAndRowOrder) {
  std::vector<std::string> paths =
      WriteParquetFiles(/*files=*/7, /*rows=*/50, /*rows_per_group=*/8);
  Result<std::vector<std::string>> expected =
      ReadAll(NewMultiFileReader(fs_, paths, Spec(FileFormat::kParquet)));
  ASSERT_TRUE(expected.ok()) << expected.status().ToString();
  ASSERT_EQ(expected->size(), 7u * 50u);
  EXPECT_EQ(expected->front(), R"({"file":0,"row":0})");
  EXPECT_EQ(expected->back(), R"({"file":6,"row":49})");
  for (int parallelism : {2, 3, 8}) {
    for (int batches_ahead : {1, 4}) {
      MultiFileReadOptions options;
      options.parallelism = parallelism;
      options.batches_ahead = batches_ahead;
      int batches = 0;
      Result<std::vector<std::string>> rows =
          ReadAll(NewMultiFileReader(fs_, paths, Spec(FileFormat::kParquet), options), &batches);
      ASSERT_TRUE(rows.ok()) << rows.status().ToString();
      EXPECT_EQ(*rows, *expected) << "parallelism " << parallelism;
      EXPECT_GE(batches, 7 * 2) << "each file should yield several batches";
    }
  }
}

// Files of one batch each: once the consumer has the batch of the first file, that file no
// longer holds a place in the window, and a worker reads the third file while the consumer is
// still busy with the first, before it asks for the next batch.
TEST_F(MultiFileReaderTest, ATakenFileLeavesTheWindowAtOnce) {
  const std::vector<std::string> paths = WriteJsonFiles(/*files=*/4, /*rows=*/3);
  auto fs = std::make_shared<io::OpenRecordingFileSystem>(fs_);
  MultiFileReadOptions options;
  options.parallelism = 2;
  auto reader = NewMultiFileReader(fs, paths, Spec(FileFormat::kJson), options);
  Result<RecordBatchPtr> first = reader->Next();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_NE(*first, nullptr);
  EXPECT_EQ((*first)->num_rows(), 3);
  // Not a measure of speed: without the fix the third file is never opened before the next
  // call, and the wait runs out.
  EXPECT_TRUE(fs->WaitForOpen(paths[2], std::chrono::seconds(30)));
  Result<std::vector<std::string>> rest = ReadAll(std::move(reader));
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  EXPECT_EQ(rest->size(), 9u);
  EXPECT_EQ(rest->front(), R"({"file":1,"row":0})");
}

TEST_F(MultiFileReaderTest, FirstErrorInFileOrderEndsTheStream) {
  std::vector<std::string> paths = WriteJsonFiles(/*files=*/5, /*rows=*/3);
  {
    std::ofstream out(paths[2]);
    out << "{\"file\": 2, \"row\": \"not a number\"}\n";
  }
  ReadSpec spec = Spec(FileFormat::kJson);
  spec.options.Set("mode", "FAILFAST");
  MultiFileReadOptions options;
  options.parallelism = 4;
  std::unique_ptr<RecordBatchReader> reader = NewMultiFileReader(fs_, paths, spec, options);
  // The two files before the bad one arrive whole.
  for (int f = 0; f < 2; ++f) {
    Result<RecordBatchPtr> batch = reader->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    ASSERT_NE(*batch, nullptr);
    EXPECT_EQ((*batch)->num_rows(), 3);
  }
  Result<RecordBatchPtr> failed = reader->Next();
  ASSERT_FALSE(failed.ok());
  EXPECT_THAT(failed.status().ToString(), HasSubstr("part-2.json"));
  Result<RecordBatchPtr> after = reader->Next();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, nullptr);
}

TEST_F(MultiFileReaderTest, RejectsFileWithAnotherSchemaNamingIt) {
  std::vector<std::string> paths = WriteParquetFiles(/*files=*/2, /*rows=*/4, /*rows_per_group=*/4);
  const std::string other = directory_.Join("other.parquet");
  {
    SchemaPtr other_schema = *ParseDdlSchema("file BIGINT, row INT");
    auto writer = *OpenFileWriter(fs_, other, FileFormat::kParquet, other_schema, {});
    ASSERT_TRUE(writer->Close().ok());
  }
  paths.insert(paths.begin() + 1, other);
  MultiFileReadOptions options;
  options.parallelism = 2;
  Result<std::vector<std::string>> rows =
      ReadAll(NewMultiFileReader(fs_, paths, Spec(FileFormat::kParquet), options));
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(rows.status().IsInvalid());
  EXPECT_THAT(rows.status().message(), HasSubstr("other.parquet"));
}

TEST_F(MultiFileReaderTest, StopsWorkersWhenDestroyedEarly) {
  std::vector<std::string> paths =
      WriteParquetFiles(/*files=*/6, /*rows=*/40, /*rows_per_group=*/4);
  MultiFileReadOptions options;
  options.parallelism = 3;
  options.batches_ahead = 1;
  std::unique_ptr<RecordBatchReader> reader =
      NewMultiFileReader(fs_, paths, Spec(FileFormat::kParquet), options);
  Result<RecordBatchPtr> first = reader->Next();
  ASSERT_TRUE(first.ok());
  ASSERT_NE(*first, nullptr);
  // Workers are blocked on full queues; destroying the reader must release and join them.
  reader.reset();
}

TEST_F(MultiFileReaderTest, ReadsNoFilesAsAnEmptyStream) {
  MultiFileReadOptions options;
  options.parallelism = 4;
  Result<std::vector<std::string>> rows =
      ReadAll(NewMultiFileReader(fs_, {}, Spec(FileFormat::kJson), options));
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

}  // namespace
}  // namespace arcflow::formats
