// Property test of the Parquet writer against the Parquet reader: random schemas (every type,
// structs, lists and maps nested up to depth 3, mixed nullability) and random data (nulls,
// extreme values, NaN, empty and long strings; empty batches; slices whose offsets reach every
// nesting level) are written with every codec, with and without dictionaries, with data page v1
// and v2, and with page and row-group sizes small enough to force many of both; reading the
// file back must give the same rows in canonical form.

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "arcflow/base/bit_util.h"
#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/random_batch_generator.h"
#include "arcflow/columnar/random_schema_generator.h"
#include "arcflow/columnar/row_printer.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/parquet/bridge/parquet_reader.h"
#include "arcflow/parquet/bridge/parquet_writer.h"

namespace arcflow::parquet {
namespace {

constexpr int kNumCases = 200;

using arcflow::testing::PushOffsetsDown;
using arcflow::testing::RandomDataGenerator;

std::vector<std::string> CanonicalRows(const RecordBatch& batch) {
  std::vector<std::string> rows;
  AppendCanonicalRows(batch, &rows);
  return rows;
}

struct Case {
  int seed = 0;
  ParquetWriteOptions options;
};

Case MakeCase(int seed) {
  static const codec::CodecType kCodecs[] = {
      codec::CodecType::kUncompressed, codec::CodecType::kSnappy, codec::CodecType::kGzip,
      codec::CodecType::kZstd,         codec::CodecType::kLz4Raw, codec::CodecType::kLz4Hadoop,
      codec::CodecType::kBrotli};
  constexpr int kNumCodecs = sizeof(kCodecs) / sizeof(kCodecs[0]);
  Case c;
  c.seed = seed;
  c.options.codec = kCodecs[seed % kNumCodecs];
  c.options.dictionary = (seed / kNumCodecs) % 2 == 0;
  c.options.data_page_version =
      (seed / (2 * kNumCodecs)) % 2 == 0 ? DataPageVersion::kV1 : DataPageVersion::kV2;
  switch (seed % 3) {
    case 0:  // Tiny pages and row groups.
      c.options.page_bytes = 64;
      c.options.row_group_bytes = 2048;
      c.options.write_batch_levels = 16;
      c.options.dictionary_page_bytes_limit = 256;
      break;
    case 1:
      c.options.page_bytes = 1024;
      c.options.row_group_bytes = 64 * 1024;
      c.options.write_batch_levels = 100;
      c.options.dictionary_page_bytes_limit = 4096;
      break;
    default:  // The defaults.
      break;
  }
  c.options.statistics_truncate_length = seed % 2 == 0 ? 64 : 0;
  c.options.page_checksums = seed % 5 != 0;
  return c;
}

class RoundTripTest : public ::testing::TestWithParam<int> {};

TEST_P(RoundTripTest, ReadsBackWhatWasWritten) {
  const Case c = MakeCase(GetParam());
  arcflow::testing::RandomSchemaGenerator schemas(
      static_cast<uint64_t>(c.seed) * 7919 + 17,
      {.ddl_expressible = false, .max_depth = 3, .max_fields = 5});
  const SchemaPtr schema = schemas.NextParquetSchema();
  RandomDataGenerator data(static_cast<uint64_t>(c.seed) * 104729 + 3);
  SCOPED_TRACE("seed " + std::to_string(c.seed) + ", schema " + schema->ToString() + ", codec " +
               std::string(codec::CodecTypeName(c.options.codec)));

  io::ScratchDirectory directory;
  auto fs = io::LocalFileSystem();
  const std::string path = directory.Join("data.parquet");
  auto file = fs->OpenWritable(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  Result<std::unique_ptr<ParquetFileWriter>> writer =
      ParquetFileWriter::Open(std::move(*file), schema, c.options);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();

  std::vector<std::string> expected;
  const int num_batches = 1 + static_cast<int>(data.Pick(4));
  for (int b = 0; b < num_batches; ++b) {
    const int64_t rows = data.OneIn(5) ? 0 : 100 + static_cast<int64_t>(data.Pick(1200));
    RecordBatchPtr batch = data.Batch(schema, rows + 40);
    // Write a window of the batch, its offsets pushed into the children half of the time.
    const int64_t offset = static_cast<int64_t>(data.Pick(40));
    batch = batch->Slice(offset, rows);
    if (data.OneIn(2)) {
      std::vector<ArrayPtr> columns;
      for (const ArrayPtr& column : batch->columns()) {
        columns.push_back(MakeArray(PushOffsetsDown(column->data())));
      }
      Result<RecordBatchPtr> pushed = RecordBatch::Make(schema, rows, std::move(columns));
      ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
      ASSERT_TRUE((*pushed)->Validate().ok());
      ASSERT_EQ(CanonicalRows(**pushed), CanonicalRows(*batch));
      batch = *pushed;
    }
    for (std::string& row : CanonicalRows(*batch)) expected.push_back(std::move(row));
    Status status = (*writer)->Write(*batch);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }
  Status closed = (*writer)->Close();
  ASSERT_TRUE(closed.ok()) << closed.ToString();
  const FileMetaData& metadata = *(*writer)->metadata();
  EXPECT_EQ(metadata.num_rows, static_cast<int64_t>(expected.size()));
  if (c.options.page_bytes == 64 && expected.size() >= 500) {
    // The tiny sizes really do give many row groups, and many pages per column chunk.
    EXPECT_GT(metadata.row_groups.size(), 1u);
    int64_t chunks = 0;
    int64_t data_pages = 0;
    for (const RowGroup& row_group : metadata.row_groups) {
      for (const ColumnChunk& chunk : row_group.columns) {
        ++chunks;
        for (const PageEncodingStats& stats : *chunk.meta_data->encoding_stats) {
          if (stats.page_type != PageType::kDictionaryPage) data_pages += stats.count;
        }
      }
    }
    EXPECT_GT(data_pages, 2 * chunks);
  }

  Result<std::unique_ptr<ParquetFileReader>> reader = ParquetFileReader::Open(fs, path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_TRUE((*reader)->schema()->Equals(*schema, /*check_metadata=*/false))
      << (*reader)->schema()->ToString();
  Result<std::unique_ptr<RecordBatchReader>> batches = (*reader)->GetRecordBatchReader();
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  std::vector<std::string> actual;
  while (true) {
    Result<RecordBatchPtr> batch = (*batches)->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    if (*batch == nullptr) break;
    for (std::string& row : CanonicalRows(**batch)) actual.push_back(std::move(row));
  }
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    ASSERT_EQ(actual[i], expected[i]) << "row " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RoundTripTest, ::testing::Range(0, kNumCases));

}  // namespace
}  // namespace arcflow::parquet
