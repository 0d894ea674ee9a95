#include "arcflow/delta/data_file_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/random_batch_generator.h"
#include "arcflow/columnar/random_schema_generator.h"
#include "arcflow/columnar/row_printer.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/io/memory_file_system.h"
#include "arcflow/parquet/bridge/parquet_reader.h"

namespace arcflow::delta {
namespace {

constexpr char kRoot[] = "/tables/t";

RecordBatchPtr MakeRows(const SchemaPtr& schema, const std::vector<int64_t>& ids,
                        const std::vector<std::optional<std::string>>& parts) {
  Int64Builder id_builder(types::Int64());
  BinaryBuilder part_builder(types::String());
  for (size_t i = 0; i < ids.size(); ++i) {
    id_builder.Append(ids[i]);
    if (parts[i]) {
      part_builder.Append(*parts[i]);
    } else {
      part_builder.AppendNull();
    }
  }
  return *RecordBatch::Make(schema, static_cast<int64_t>(ids.size()),
                            {*id_builder.Finish(), *part_builder.Finish()});
}

SchemaPtr IdPartSchema() {
  return std::make_shared<const Schema>(
      std::vector<Field>{Field("id", types::Int64()), Field("part", types::String())});
}

// A writer of IdPartSchema() rows partitioned by `part`.
std::unique_ptr<DataFileWriter> OpenPartitionedWriter(const std::shared_ptr<io::FileSystem>& fs,
                                                      DataFileWriterOptions options = {}) {
  options.partition_columns = {"part"};
  auto writer = DataFileWriter::Open(fs, kRoot, IdPartSchema(), options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  return writer.ok() ? std::move(*writer) : nullptr;
}

// Every row of a Parquet file in canonical JSON form.
std::vector<std::string> ReadRows(const std::shared_ptr<io::FileSystem>& fs,
                                  const std::string& path) {
  std::vector<std::string> rows;
  auto reader = parquet::ParquetFileReader::Open(fs, path);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return rows;
  auto batches = (*reader)->GetRecordBatchReader();
  EXPECT_TRUE(batches.ok());
  while (true) {
    auto batch = (*batches)->Next();
    EXPECT_TRUE(batch.ok());
    if (!batch.ok() || !*batch) break;
    for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
      std::string text;
      AppendCanonicalRow(**batch, row, &text);
      rows.push_back(text);
    }
  }
  return rows;
}

int64_t NumRecords(const AddFile& add) {
  simdjson::dom::parser parser;
  return int64_t(parser.parse(*add.stats)["numRecords"]);
}

TEST(DataFileWriterTest, WritesOneFileWithSparkNameStatsAndSize) {
  auto fs = io::MemoryFileSystem::Make();
  ASSERT_TRUE(fs->CreateDirectories(kRoot).ok());
  auto schema = IdPartSchema();
  auto writer = DataFileWriter::Open(fs, kRoot, schema, {});
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Write(*MakeRows(schema, {1, 2}, {"a", "b"})).ok());
  ASSERT_TRUE((*writer)->Write(*MakeRows(schema, {3}, {std::nullopt})).ok());
  auto adds = (*writer)->Finish();
  ASSERT_TRUE(adds.ok()) << adds.status().ToString();
  ASSERT_EQ(adds->size(), 1u);
  const AddFile& add = (*adds)[0];
  EXPECT_TRUE(std::regex_match(
      add.path, std::regex("part-00000-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                           "[0-9a-f]{12}-c000\\.zstd\\.parquet")))
      << add.path;
  EXPECT_TRUE(add.partition_values.empty());
  EXPECT_TRUE(add.data_change);
  auto info = fs->GetFileInfo(ResolveDataFilePath(kRoot, add.path));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(add.size, info->size);
  EXPECT_EQ(add.modification_time, info->modification_time_ms);
  ASSERT_TRUE(add.stats.has_value());
  EXPECT_EQ(*add.stats,
            "{\"numRecords\":3,\"minValues\":{\"id\":1,\"part\":\"a\"},"
            "\"maxValues\":{\"id\":3,\"part\":\"b\"},\"nullCount\":{\"id\":0,\"part\":1}}");
  EXPECT_THAT(ReadRows(fs, ResolveDataFilePath(kRoot, add.path)),
              ::testing::ElementsAre("{\"id\":1,\"part\":\"a\"}", "{\"id\":2,\"part\":\"b\"}",
                                     "{\"id\":3,\"part\":null}"));
  // Nothing but the data file is left in the directory: no temporary files.
  auto listing = fs->ListDirectory(kRoot);
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ(listing->size(), 1u);
}

TEST(DataFileWriterTest, PartitionsIntoHiveDirectoriesWithoutPartitionColumns) {
  auto fs = io::MemoryFileSystem::Make();
  auto schema = IdPartSchema();
  auto writer = OpenPartitionedWriter(fs);
  ASSERT_NE(writer, nullptr);
  // Rows of partitions interleave; a null and a value that needs escaping.
  ASSERT_TRUE(
      writer->Write(*MakeRows(schema, {1, 2, 3, 4, 5}, {"x", "a b:c", "x", std::nullopt, "a b:c"}))
          .ok());
  auto adds = writer->Finish();
  ASSERT_TRUE(adds.ok()) << adds.status().ToString();
  ASSERT_EQ(adds->size(), 3u);
  std::map<std::string, std::vector<std::string>> rows_by_directory;
  int64_t total = 0;
  for (const AddFile& add : *adds) {
    ASSERT_EQ(add.partition_values.size(), 1u);
    EXPECT_EQ(add.partition_values[0].first, "part");
    std::string directory = add.path.substr(0, add.path.find('/'));
    const auto& value = add.partition_values[0].second;
    if (!value) {
      EXPECT_EQ(directory, "part=__HIVE_DEFAULT_PARTITION__");
    } else if (*value == "a b:c") {
      // Hive-escaped on disk ("part=a b%3Ac"), then URL-encoded in the log.
      EXPECT_EQ(directory, "part=a%20b%253Ac");
      EXPECT_TRUE(fs->Exists(std::string(kRoot) + "/part=a b%3Ac"));
    } else {
      EXPECT_EQ(directory, "part=x");
    }
    std::string path = ResolveDataFilePath(kRoot, add.path);
    auto reader = parquet::ParquetFileReader::Open(fs, path);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString() << " " << path;
    // The partition column is not stored in the file.
    EXPECT_EQ((*reader)->schema()->num_fields(), 1);
    EXPECT_EQ((*reader)->schema()->field(0).name, "id");
    rows_by_directory[directory] = ReadRows(fs, path);
    total += NumRecords(add);
  }
  EXPECT_EQ(total, 5);
  EXPECT_THAT(rows_by_directory["part=x"], ::testing::ElementsAre("{\"id\":1}", "{\"id\":3}"));
  EXPECT_THAT(rows_by_directory["part=a%20b%253Ac"],
              ::testing::ElementsAre("{\"id\":2}", "{\"id\":5}"));
  EXPECT_THAT(rows_by_directory["part=__HIVE_DEFAULT_PARTITION__"],
              ::testing::ElementsAre("{\"id\":4}"));
}

// With defer_publication, files are published by whoever takes them, and only then.
TEST(DataFileWriterTest, DeferredFilesAppearOnlyOncePublished) {
  auto fs = io::MemoryFileSystem::Make();
  auto schema = IdPartSchema();
  DataFileWriterOptions options;
  options.defer_publication = true;
  for (const bool publish : {false, true}) {
    auto writer = OpenPartitionedWriter(fs, options);
    ASSERT_NE(writer, nullptr);
    ASSERT_TRUE(writer->Write(*MakeRows(schema, {1, 2, 3}, {"x", "y", "x"})).ok());
    auto adds = writer->Finish();
    ASSERT_TRUE(adds.ok()) << adds.status().ToString();
    ASSERT_EQ(adds->size(), 2u);
    for (const AddFile& add : *adds) {
      EXPECT_FALSE(fs->Exists(ResolveDataFilePath(kRoot, add.path))) << add.path;
    }
    std::vector<std::shared_ptr<io::UnpublishedFile>> files = writer->TakeUnpublishedFiles();
    ASSERT_EQ(files.size(), 2u);
    EXPECT_TRUE(writer->TakeUnpublishedFiles().empty());
    for (const auto& file : files) {
      if (publish) {
        ASSERT_TRUE(file->Publish().ok());
      }
    }
    files.clear();
    for (const AddFile& add : *adds) {
      const std::string path = ResolveDataFilePath(kRoot, add.path);
      EXPECT_EQ(fs->Exists(path), publish) << add.path;
      if (publish) {
        // The add describes the published file.
        EXPECT_EQ(fs->GetFileInfo(path)->size, add.size);
        EXPECT_EQ(fs->GetFileInfo(path)->modification_time_ms, add.modification_time);
        EXPECT_EQ(ReadRows(fs, path).size(), static_cast<size_t>(NumRecords(add)));
      }
    }
    if (!publish) {
      // Nothing but directories is left of the unpublished files.
      for (const std::string directory : {"part=x", "part=y"}) {
        auto entries = fs->ListDirectory(io::JoinPath(kRoot, directory));
        ASSERT_TRUE(entries.ok());
        EXPECT_TRUE(entries->empty()) << directory;
      }
    }
  }
}

// Rows rewritten in place of a file's stay in its partition: they cannot change its column.
TEST(DataFileWriterTest, RowsInPlaceCannotChangeThePartitionColumn) {
  auto fs = io::MemoryFileSystem::Make();
  auto schema = IdPartSchema();
  auto writer = OpenPartitionedWriter(fs);
  ASSERT_NE(writer, nullptr);
  const std::vector<uint8_t> keep(2, 1);
  const std::vector<int> changed = {1};
  Status written =
      writer->WriteKeptRows(MakeRows(schema, {1, 2}, {"x", "y"}), 0, keep, nullptr, changed);
  EXPECT_TRUE(written.IsInvalid()) << written.ToString();
  EXPECT_THAT(written.message(), ::testing::HasSubstr("partition column 'part'"));
}

// Files encoded on a shared pool of several threads are those one thread writes, byte for
// byte, with the same statistics: here several partitions' files open at once, nested columns
// and more than one file per partition.
TEST(DataFileWriterTest, ThreadsWriteTheSameFiles) {
  for (int seed = 0; seed < 6; ++seed) {
    arcflow::testing::RandomSchemaGenerator schemas(static_cast<uint64_t>(seed) * 11 + 5,
                                                    {.max_depth = 3, .max_fields = 5});
    const SchemaPtr data_schema = schemas.NextParquetSchema();
    std::vector<Field> fields = {Field("part", types::String())};
    for (const Field& field : data_schema->fields()) fields.push_back(field);
    const auto schema = std::make_shared<const Schema>(std::move(fields));
    arcflow::testing::RandomDataGenerator data(static_cast<uint64_t>(seed) * 3 + 1);
    std::vector<RecordBatchPtr> batches;
    for (int b = 0; b < 3; ++b) {
      const int64_t rows = 600 + 200 * b;
      RecordBatchPtr values = data.Batch(data_schema, rows);
      BinaryBuilder parts(types::String());
      for (int64_t row = 0; row < rows; ++row) parts.Append("p" + std::to_string(row % 3));
      std::vector<ArrayPtr> columns = {*parts.Finish()};
      for (const ArrayPtr& column : values->columns()) columns.push_back(column);
      batches.push_back(*RecordBatch::Make(schema, rows, std::move(columns)));
    }
    SCOPED_TRACE("seed " + std::to_string(seed) + ", schema " + schema->ToString());
    std::vector<std::vector<std::string>> files_by_threads;
    std::vector<std::vector<std::string>> stats_by_threads;
    for (int threads : {1, 3}) {
      auto fs = io::MemoryFileSystem::Make();
      DataFileWriterOptions options;
      options.partition_columns = {"part"};
      options.threads = threads;
      options.target_file_size = 1024;
      options.parquet.page_bytes = 512;
      auto writer = DataFileWriter::Open(fs, kRoot, schema, options);
      ASSERT_TRUE(writer.ok()) << writer.status().ToString();
      for (const RecordBatchPtr& batch : batches) ASSERT_TRUE((*writer)->Write(*batch).ok());
      auto adds = (*writer)->Finish();
      ASSERT_TRUE(adds.ok()) << adds.status().ToString();
      std::vector<std::string> files;
      std::vector<std::string> stats;
      for (const AddFile& add : *adds) {
        auto bytes = fs->ReadFile(ResolveDataFilePath(kRoot, add.path));
        ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
        files.emplace_back(reinterpret_cast<const char*>((*bytes)->data()), (*bytes)->size());
        stats.push_back(add.stats.value_or(""));
      }
      files_by_threads.push_back(std::move(files));
      stats_by_threads.push_back(std::move(stats));
    }
    EXPECT_GT(files_by_threads[0].size(), 3u);  // Some partition rolled over to a second file.
    EXPECT_TRUE(files_by_threads[0] == files_by_threads[1]);
    EXPECT_EQ(stats_by_threads[0], stats_by_threads[1]);
  }
}

TEST(DataFileWriterTest, NegativeThreadsAreInvalid) {
  DataFileWriterOptions options;
  options.threads = -1;
  auto writer = DataFileWriter::Open(io::MemoryFileSystem::Make(), kRoot, IdPartSchema(), options);
  ASSERT_FALSE(writer.ok());
  EXPECT_TRUE(writer.status().IsInvalid()) << writer.status().ToString();
}

TEST(DataFileWriterTest, SplitsAtTargetFileSize) {
  auto fs = io::MemoryFileSystem::Make();
  auto schema = IdPartSchema();
  DataFileWriterOptions options;
  options.target_file_size = 16 * 1024;
  options.parquet.dictionary = false;
  auto writer = DataFileWriter::Open(fs, kRoot, schema, options);
  ASSERT_TRUE(writer.ok());
  const int64_t kRows = 50000;
  for (int64_t start = 0; start < kRows; start += 10000) {
    std::vector<int64_t> ids;
    std::vector<std::optional<std::string>> parts;
    for (int64_t i = start; i < start + 10000; ++i) {
      ids.push_back(i * 7919);
      parts.push_back("value-" + std::to_string(i));
    }
    ASSERT_TRUE((*writer)->Write(*MakeRows(schema, ids, parts)).ok());
  }
  auto adds = (*writer)->Finish();
  ASSERT_TRUE(adds.ok()) << adds.status().ToString();
  EXPECT_GT(adds->size(), 5u);
  int64_t total = 0;
  std::set<std::string> paths;
  for (const AddFile& add : *adds) {
    total += NumRecords(add);
    paths.insert(add.path);
    // A file closes at the first size check past the target: about one check's rows over.
    EXPECT_LT(add.size, 4 * options.target_file_size) << add.path;
    auto rows = ReadRows(fs, ResolveDataFilePath(kRoot, add.path));
    EXPECT_EQ(static_cast<int64_t>(rows.size()), NumRecords(add));
  }
  EXPECT_EQ(total, kRows);
  EXPECT_EQ(paths.size(), adds->size());
}

TEST(DataFileWriterTest, OptionsFromTableMetadata) {
  Metadata metadata;
  metadata.partition_columns = {"p"};
  metadata.configuration = {{"delta.parquet.compression.codec", "snappy"},
                            {"delta.targetFileSize", "1048576"},
                            {"delta.dataSkippingNumIndexedCols", "3"}};
  auto options = DataFileWriterOptions::FromMetadata(metadata);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->partition_columns, std::vector<std::string>{"p"});
  EXPECT_EQ(options->parquet.codec, codec::CodecType::kSnappy);
  EXPECT_EQ(options->target_file_size, 1048576);
  EXPECT_EQ(options->stats.num_indexed_columns, 3);
  EXPECT_EQ(DataFileName(7, "u", codec::CodecType::kSnappy), "part-00007-u-c000.snappy.parquet");
  EXPECT_EQ(DataFileName(0, "u", codec::CodecType::kUncompressed), "part-00000-u-c000.parquet");

  metadata.configuration = {{"delta.targetFileSize", "big"}};
  auto invalid = DataFileWriterOptions::FromMetadata(metadata);
  EXPECT_TRUE(invalid.status().IsInvalid());
  EXPECT_THAT(invalid.status().message(), ::testing::HasSubstr("delta.targetFileSize"));
  metadata.configuration = {{"delta.parquet.compression.codec", "zip"}};
  EXPECT_TRUE(DataFileWriterOptions::FromMetadata(metadata).status().IsInvalid());
}

TEST(DataFileWriterTest, TimestampsWrittenAsInt64MicrosUtc) {
  auto fs = io::MemoryFileSystem::Make();
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("ts", types::Timestamp()), Field("x", types::Int32())});
  TimestampBuilder ts(types::Timestamp());
  ts.Append(1706695200123456);
  Int32Builder x(types::Int32());
  x.Append(1);
  auto batch = *RecordBatch::Make(schema, 1, {*ts.Finish(), *x.Finish()});
  auto writer = DataFileWriter::Open(fs, kRoot, schema, {});
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(*batch).ok());
  auto adds = (*writer)->Finish();
  ASSERT_TRUE(adds.ok());
  auto reader = parquet::ParquetFileReader::Open(fs, ResolveDataFilePath(kRoot, (*adds)[0].path));
  ASSERT_TRUE(reader.ok());
  const Field& field = (*reader)->schema()->field(0);
  ASSERT_EQ(field.type->id(), TypeId::kTimestamp);
  EXPECT_TRUE(field.type->utc_adjusted());
  EXPECT_THAT(ReadRows(fs, ResolveDataFilePath(kRoot, (*adds)[0].path)),
              ::testing::ElementsAre("{\"ts\":\"2024-01-31T10:00:00.123456Z\",\"x\":1}"));
  EXPECT_NE((*adds)[0].stats->find("\"ts\":\"2024-01-31T10:00:00.124Z\""), std::string::npos);
}

TEST(DataFileWriterTest, RejectsBadSchemasAndBatches) {
  auto fs = io::MemoryFileSystem::Make();
  auto schema = IdPartSchema();
  DataFileWriterOptions options;
  options.partition_columns = {"nope"};
  EXPECT_TRUE(DataFileWriter::Open(fs, kRoot, schema, options).status().IsInvalid());
  options.partition_columns = {"id", "part"};
  EXPECT_TRUE(DataFileWriter::Open(fs, kRoot, schema, options).status().IsInvalid());
  auto writer = DataFileWriter::Open(fs, kRoot, schema, {});
  ASSERT_TRUE(writer.ok());
  auto other = std::make_shared<const Schema>(std::vector<Field>{Field("id", types::String())});
  BinaryBuilder strings(types::String());
  strings.Append("x");
  auto batch = *RecordBatch::Make(other, 1, {*strings.Finish()});
  EXPECT_TRUE((*writer)->Write(*batch).IsInvalid());
}

TEST(DataFileWriterTest, ColumnMappingUsesPhysicalNames) {
  auto fs = io::MemoryFileSystem::Make();
  auto schema = std::make_shared<const Schema>(std::vector<Field>{
      Field("id", types::Int64(), true,
            {{"delta.columnMapping.id", "1"}, {"delta.columnMapping.physicalName", "\"col-1d\""}}),
      Field(
          "part", types::String(), true,
          {{"delta.columnMapping.id", "2"}, {"delta.columnMapping.physicalName", "\"col-9a\""}})});
  Metadata metadata;
  metadata.partition_columns = {"part"};
  metadata.configuration = {{"delta.columnMapping.mode", "name"}};
  auto options = DataFileWriterOptions::FromMetadata(metadata);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  auto writer = DataFileWriter::Open(fs, kRoot, schema, *options);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Write(*MakeRows(schema, {4}, {"x"})).ok());
  auto adds = (*writer)->Finish();
  ASSERT_TRUE(adds.ok()) << adds.status().ToString();
  ASSERT_EQ(adds->size(), 1u);
  const AddFile& add = (*adds)[0];
  ASSERT_EQ(add.partition_values.size(), 1u);
  EXPECT_EQ(add.partition_values[0].first, "col-9a");
  EXPECT_EQ(add.path.rfind("col-9a=x/", 0), 0u) << add.path;
  EXPECT_NE(add.stats->find("\"minValues\":{\"col-1d\":4}"), std::string::npos) << *add.stats;
  auto reader = parquet::ParquetFileReader::Open(fs, ResolveDataFilePath(kRoot, add.path));
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->schema()->field(0).name, "col-1d");
}

// Stats of every written file equal the statistics recomputed from the file's rows.
TEST(DataFileWriterTest, StatsMatchTheDataOfEachFile) {
  auto fs = io::MemoryFileSystem::Make();
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("i", types::Int64()), Field("d", types::Float64()),
                         Field("s", types::String()), Field("p", types::Int32())});
  DataFileWriterOptions options;
  options.partition_columns = {"p"};
  options.target_file_size = 4096;
  auto writer = DataFileWriter::Open(fs, kRoot, schema, options);
  ASSERT_TRUE(writer.ok());
  std::mt19937_64 random(7);
  for (int batch_index = 0; batch_index < 6; ++batch_index) {
    Int64Builder i(types::Int64());
    Float64Builder d(types::Float64());
    BinaryBuilder s(types::String());
    Int32Builder p(types::Int32());
    const int64_t rows = 3000;
    for (int64_t row = 0; row < rows; ++row) {
      if (random() % 7 == 0) {
        i.AppendNull();
      } else {
        i.Append(static_cast<int64_t>(random() % 100000) - 50000);
      }
      if (random() % 5 == 0) {
        d.AppendNull();
      } else {
        d.Append(static_cast<double>(random() % 10000) / 16.0);
      }
      s.Append(std::string(1 + random() % 12, static_cast<char>('a' + random() % 26)));
      p.Append(static_cast<int32_t>(random() % 3));
    }
    auto batch =
        *RecordBatch::Make(schema, rows, {*i.Finish(), *d.Finish(), *s.Finish(), *p.Finish()});
    ASSERT_TRUE((*writer)->Write(*batch).ok());
  }
  auto adds = (*writer)->Finish();
  ASSERT_TRUE(adds.ok()) << adds.status().ToString();
  EXPECT_GT(adds->size(), 3u);
  int64_t total_rows = 0;
  for (const AddFile& add : *adds) {
    SCOPED_TRACE(add.path);
    auto reader = parquet::ParquetFileReader::Open(fs, ResolveDataFilePath(kRoot, add.path));
    ASSERT_TRUE(reader.ok());
    auto batches = (*reader)->GetRecordBatchReader();
    ASSERT_TRUE(batches.ok());
    int64_t rows = 0;
    int64_t i_nulls = 0;
    int64_t d_nulls = 0;
    std::optional<int64_t> i_min;
    std::optional<int64_t> i_max;
    std::optional<double> d_min;
    std::optional<double> d_max;
    std::optional<std::string> s_min;
    std::optional<std::string> s_max;
    while (true) {
      auto batch = (*batches)->Next();
      ASSERT_TRUE(batch.ok());
      if (!*batch) break;
      const auto& i = static_cast<const Int64Array&>(*(*batch)->column(0));
      const auto& d = static_cast<const Float64Array&>(*(*batch)->column(1));
      const auto& s = static_cast<const StringArray&>(*(*batch)->column(2));
      for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
        if (i.IsNull(row)) {
          ++i_nulls;
        } else {
          i_min = std::min(i_min.value_or(i.Value(row)), i.Value(row));
          i_max = std::max(i_max.value_or(i.Value(row)), i.Value(row));
        }
        if (d.IsNull(row)) {
          ++d_nulls;
        } else {
          d_min = std::min(d_min.value_or(d.Value(row)), d.Value(row));
          d_max = std::max(d_max.value_or(d.Value(row)), d.Value(row));
        }
        std::string text(s.Value(row));
        if (!s_min || text < *s_min) s_min = text;
        if (!s_max || text > *s_max) s_max = text;
      }
      rows += (*batch)->num_rows();
    }
    total_rows += rows;
    simdjson::dom::parser parser;
    simdjson::dom::element stats = parser.parse(*add.stats);
    EXPECT_EQ(int64_t(stats["numRecords"]), rows);
    EXPECT_EQ(int64_t(stats["nullCount"]["i"]), i_nulls);
    EXPECT_EQ(int64_t(stats["nullCount"]["d"]), d_nulls);
    EXPECT_EQ(int64_t(stats["nullCount"]["s"]), 0);
    // Partition columns have no statistics: they are not in the file.
    EXPECT_TRUE(stats["nullCount"]["p"].error());
    EXPECT_EQ(int64_t(stats["minValues"]["i"]), *i_min);
    EXPECT_EQ(int64_t(stats["maxValues"]["i"]), *i_max);
    EXPECT_EQ(double(stats["minValues"]["d"]), *d_min);
    EXPECT_EQ(double(stats["maxValues"]["d"]), *d_max);
    EXPECT_EQ(std::string_view(stats["minValues"]["s"]), *s_min);
    EXPECT_EQ(std::string_view(stats["maxValues"]["s"]), *s_max);
  }
  EXPECT_EQ(total_rows, 6 * 3000);
}

// Interleaved partitions are gathered row by row, nested values included.
TEST(DataFileWriterTest, GathersNestedRowsOfInterleavedPartitions) {
  auto fs = io::MemoryFileSystem::Make();
  auto struct_type =
      types::Struct({Field("x", types::Int64()), Field("l", types::List(types::String()))});
  auto map_type = types::Map(types::String(), types::Int64());
  auto schema = std::make_shared<const Schema>(std::vector<Field>{
      Field("p", types::String()), Field("s", struct_type), Field("m", map_type)});
  BinaryBuilder p(types::String());
  auto s_builder = MakeBuilder(struct_type);
  auto m_builder = MakeBuilder(map_type);
  auto* s = static_cast<StructBuilder*>(s_builder.get());
  auto* x = static_cast<Int64Builder*>(s->field_builder(0));
  auto* l = static_cast<ListBuilder*>(s->field_builder(1));
  auto* m = static_cast<ListBuilder*>(m_builder.get());
  for (int row = 0; row < 6; ++row) {
    p.Append(row % 2 ? "odd" : "even");
    if (row == 4) {
      s->AppendNull();
    } else {
      x->Append(row);
      for (int k = 0; k < row; ++k) {
        static_cast<BinaryBuilder*>(l->value_builder())->Append(std::string(1, 'a' + k));
      }
      l->Append();
      s->Append();
    }
    static_cast<BinaryBuilder*>(MapKeyBuilder(*m))->Append("k" + std::to_string(row));
    static_cast<Int64Builder*>(MapValueBuilder(*m))->Append(row * 10);
    AppendMapEntry(*m);
    m->Append();
  }
  auto batch =
      *RecordBatch::Make(schema, 6, {*p.Finish(), *s_builder->Finish(), *m_builder->Finish()});
  DataFileWriterOptions options;
  options.partition_columns = {"p"};
  auto writer = DataFileWriter::Open(fs, kRoot, schema, options);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(*batch).ok());
  auto adds = (*writer)->Finish();
  ASSERT_TRUE(adds.ok()) << adds.status().ToString();
  ASSERT_EQ(adds->size(), 2u);
  std::map<std::string, std::vector<std::string>> rows;
  for (const AddFile& add : *adds) {
    rows[*add.partition_values[0].second] = ReadRows(fs, ResolveDataFilePath(kRoot, add.path));
  }
  EXPECT_THAT(rows["even"],
              ::testing::ElementsAre(
                  "{\"s\":{\"x\":0,\"l\":[]},\"m\":[{\"key\":\"k0\",\"value\":0}]}",
                  "{\"s\":{\"x\":2,\"l\":[\"a\",\"b\"]},\"m\":[{\"key\":\"k2\",\"value\":20}]}",
                  "{\"s\":null,\"m\":[{\"key\":\"k4\",\"value\":40}]}"));
  EXPECT_THAT(
      rows["odd"],
      ::testing::ElementsAre(
          "{\"s\":{\"x\":1,\"l\":[\"a\"]},\"m\":[{\"key\":\"k1\",\"value\":10}]}",
          "{\"s\":{\"x\":3,\"l\":[\"a\",\"b\",\"c\"]},\"m\":[{\"key\":\"k3\",\"value\":30}]}",
          "{\"s\":{\"x\":5,\"l\":[\"a\",\"b\",\"c\",\"d\",\"e\"]},\"m\":[{\"key\":\"k5\",\"value\":"
          "50}]}"));
}

TEST(ConformArrayTest, WidensAndFillsMissingStructMembers) {
  Int32Builder ints(types::Int32());
  ints.Append(7);
  ints.AppendNull();
  auto widened = ConformArray(*ints.Finish(), types::Int64(), "c");
  ASSERT_TRUE(widened.ok()) << widened.status().ToString();
  EXPECT_EQ((*widened)->type_id(), TypeId::kInt64);
  EXPECT_EQ(static_cast<const Int64Array&>(**widened).Value(0), 7);
  EXPECT_TRUE((*widened)->IsNull(1));

  auto narrow_struct = types::Struct({Field("a", types::Int64())});
  auto wide_struct = types::Struct({Field("a", types::Int64()), Field("b", types::String())});
  auto builder = MakeBuilder(narrow_struct);
  auto* structs = static_cast<StructBuilder*>(builder.get());
  static_cast<Int64Builder*>(structs->field_builder(0))->Append(1);
  structs->Append();
  auto conformed = ConformArray(*builder->Finish(), wide_struct, "s");
  ASSERT_TRUE(conformed.ok()) << conformed.status().ToString();
  EXPECT_TRUE(ValidateArrayData(*(*conformed)->data()).ok());
  const auto& result = static_cast<const StructArray&>(**conformed);
  EXPECT_EQ(result.num_fields(), 2);
  EXPECT_TRUE(result.field(1)->IsNull(0));

  BinaryBuilder strings(types::String());
  strings.Append("x");
  EXPECT_TRUE(ConformArray(*strings.Finish(), types::Int64(), "c").status().IsInvalid());
}

TEST(EncodeDataFilePathTest, EncodesAsJavaUriDoes) {
  EXPECT_EQ(EncodeDataFilePath("a=x y/b=1%3A2/part.parquet"), "a=x%20y/b=1%253A2/part.parquet");
  EXPECT_EQ(EncodeDataFilePath("c=\xC3\xA9/f"), "c=\xC3\xA9/f");
  EXPECT_EQ(EncodeDataFilePath("d=a#b"), "d=a%23b");
}

}  // namespace
}  // namespace arcflow::delta
