#include "arcflow/parquet/bridge/parquet_writer.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "arcflow/base/thread_pool.h"
#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/random_batch_generator.h"
#include "arcflow/columnar/random_schema_generator.h"
#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/schema_json.h"
#include "arcflow/io/atomic_publish.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/parquet/bridge/parquet_reader.h"
#include "arcflow/parquet/bridge/schema_to_parquet.h"
#include "arcflow/parquet/footer.h"

namespace arcflow::parquet {
namespace {

io::FormatOptions Options(std::vector<std::pair<std::string, std::string>> entries) {
  io::FormatOptions options;
  for (auto& [key, value] : entries) options.Set(key, value);
  return options;
}

TEST(ParquetWriterTest, ReadsOptionsBySparkAndParquetJavaNames) {
  Result<ParquetWriteOptions> defaults = ParquetWriteOptions::FromFormatOptions({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->codec, codec::CodecType::kZstd);
  EXPECT_EQ(defaults->row_group_bytes, 128 << 20);
  EXPECT_EQ(defaults->page_bytes, 1 << 20);
  EXPECT_TRUE(defaults->dictionary);
  EXPECT_TRUE(defaults->page_checksums);

  Result<ParquetWriteOptions> options =
      ParquetWriteOptions::FromFormatOptions(Options({{"compression", "SNAPPY"},
                                                      {"parquet.block.size", "1048576"},
                                                      {"page_size", "4096"},
                                                      {"parquet.enable.dictionary", "false"},
                                                      {"parquet.writer.version", "v2"},
                                                      {"write_statistics", "false"}}));
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->codec, codec::CodecType::kSnappy);
  EXPECT_EQ(options->row_group_bytes, 1 << 20);
  EXPECT_EQ(options->page_bytes, 4096);
  EXPECT_FALSE(options->dictionary);
  EXPECT_EQ(options->data_page_version, DataPageVersion::kV2);
  EXPECT_FALSE(options->write_statistics);

  options = ParquetWriteOptions::FromFormatOptions(
      Options({{"compression", "gzip"}, {"compressionLevel", "9"}}));
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->codec, codec::CodecType::kGzip);
  EXPECT_EQ(options->compression_level, 9);
  options = ParquetWriteOptions::FromFormatOptions(Options({{"compression", "none"}}));
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->codec, codec::CodecType::kUncompressed);

  EXPECT_TRUE(ParquetWriteOptions::FromFormatOptions(Options({{"compression", "zip"}}))
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(ParquetWriteOptions::FromFormatOptions(
                  Options({{"compression", "zstd"}, {"compression_level", "99"}}))
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(ParquetWriteOptions::FromFormatOptions(Options({{"row_group_size", "0"}}))
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(
      ParquetWriteOptions::FromFormatOptions(Options({{"page_size", "big"}})).status().IsInvalid());
  EXPECT_TRUE(ParquetWriteOptions::FromFormatOptions(Options({{"dictionary", "maybe"}}))
                  .status()
                  .IsInvalid());
  // Options of other layers are none of the writer's business.
  EXPECT_TRUE(ParquetWriteOptions::FromFormatOptions(Options({{"header", "true"}})).ok());
  EXPECT_EQ(defaults->threads, 1);
  EXPECT_EQ(ParquetWriteOptions::FromFormatOptions(Options({{"threads", "4"}}))->threads, 4);
  for (const char* threads : {"0", "-2", "many", "100000"}) {
    EXPECT_TRUE(ParquetWriteOptions::FromFormatOptions(Options({{"threads", threads}}))
                    .status()
                    .IsInvalid())
        << threads;
  }
}

class ParquetWriterFileTest : public ::testing::Test {
 protected:
  std::shared_ptr<io::FileSystem> fs_ = io::LocalFileSystem();
  io::ScratchDirectory directory_;

  Result<std::unique_ptr<ParquetFileWriter>> Open(const std::string& name, SchemaPtr schema,
                                                  ParquetWriteOptions options = {}) {
    ARCFLOW_ASSIGN_OR_RETURN(auto file, fs_->OpenWritable(directory_.Join(name)));
    return ParquetFileWriter::Open(std::move(file), std::move(schema), std::move(options));
  }

  Result<Footer> ReadFooter(const std::string& name) {
    ARCFLOW_ASSIGN_OR_RETURN(auto bytes, fs_->ReadFile(directory_.Join(name)));
    return ParseFooter(bytes->span(), bytes->size());
  }
};

SchemaPtr IdNameSchema() {
  return std::make_shared<Schema>(
      std::vector<Field>{Field("id", types::Int64(), false), Field("name", types::String())});
}

RecordBatchPtr IdNameBatch(int64_t first, int64_t rows) {
  RecordBatchBuilder builder(IdNameSchema());
  auto& ids = static_cast<Int64Builder&>(*builder.column_builder(0));
  auto& names = static_cast<StringBuilder&>(*builder.column_builder(1));
  for (int64_t i = first; i < first + rows; ++i) {
    ids.Append(i);
    if (i % 10 == 3) {
      names.AppendNull();
    } else {
      names.Append("name-" + std::to_string(i % 37));
    }
  }
  return *builder.Finish();
}

TEST_F(ParquetWriterFileTest, WritesAFooterWithSparkMetadata) {
  auto writer = *Open("a.parquet", IdNameSchema());
  EXPECT_EQ(writer->metadata(), nullptr);
  ASSERT_TRUE(writer->Write(*IdNameBatch(0, 100)).ok());
  ASSERT_TRUE(writer->Write(*IdNameBatch(100, 0)).ok());
  ASSERT_TRUE(writer->Write(*IdNameBatch(100, 50)).ok());
  ASSERT_TRUE(writer->Close().ok());
  ASSERT_NE(writer->metadata(), nullptr);
  const FileMetaData& metadata = *writer->metadata();
  EXPECT_EQ(metadata.num_rows, 150);
  EXPECT_EQ(writer->num_rows(), 150);
  ASSERT_EQ(metadata.row_groups.size(), 1u);
  EXPECT_EQ(metadata.created_by, std::string(ParquetCreatedBy()));
  ASSERT_TRUE(metadata.key_value_metadata.has_value());
  bool found_schema = false;
  for (const KeyValue& entry : *metadata.key_value_metadata) {
    if (entry.key == kSparkRowMetadataKey) {
      found_schema = true;
      EXPECT_EQ(entry.value, ToStructTypeJson(*IdNameSchema()));
    }
  }
  EXPECT_TRUE(found_schema);

  Result<Footer> footer = ReadFooter("a.parquet");
  ASSERT_TRUE(footer.ok()) << footer.status().ToString();
  EXPECT_EQ(footer->metadata, metadata);
  EXPECT_EQ(footer->trailer.metadata_offset + footer->trailer.footer_size, writer->bytes_written());
  const ColumnMetaData& ids = *footer->metadata.row_groups[0].columns[0].meta_data;
  EXPECT_EQ(ids.statistics->min_value, std::string("\0\0\0\0\0\0\0\0", 8));
  EXPECT_EQ(ids.num_values, 150);
  const ColumnMetaData& names = *footer->metadata.row_groups[0].columns[1].meta_data;
  EXPECT_EQ(names.statistics->null_count, 15);
  EXPECT_EQ(names.statistics->min_value, "name-0");
  EXPECT_EQ(names.statistics->max_value, "name-9");
}

TEST_F(ParquetWriterFileTest, SplitsRowGroupsBySize) {
  ParquetWriteOptions options;
  options.row_group_bytes = 4096;
  options.page_bytes = 512;
  auto writer = *Open("groups.parquet", IdNameSchema(), options);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(writer->Write(*IdNameBatch(i * 1000, 1000)).ok());
  ASSERT_TRUE(writer->Close().ok());
  Result<Footer> footer = ReadFooter("groups.parquet");
  ASSERT_TRUE(footer.ok()) << footer.status().ToString();
  const auto& row_groups = footer->metadata.row_groups;
  ASSERT_GT(row_groups.size(), 4u);
  int64_t rows = 0;
  int64_t previous_end = kParquetMagicSize;
  for (size_t i = 0; i < row_groups.size(); ++i) {
    rows += row_groups[i].num_rows;
    EXPECT_EQ(row_groups[i].ordinal, static_cast<int16_t>(i));
    EXPECT_EQ(row_groups[i].file_offset, previous_end);
    // A row group stops growing soon after it reaches its size.
    EXPECT_LT(*row_groups[i].total_compressed_size, 4 * options.row_group_bytes);
    int64_t compressed = 0;
    for (const ColumnChunk& chunk : row_groups[i].columns) {
      compressed += chunk.meta_data->total_compressed_size;
    }
    EXPECT_EQ(*row_groups[i].total_compressed_size, compressed);
    previous_end += compressed;
  }
  EXPECT_EQ(rows, 20000);
  EXPECT_EQ(footer->metadata.num_rows, 20000);
  EXPECT_EQ(previous_end, footer->trailer.metadata_offset);
}

TEST_F(ParquetWriterFileTest, WritesAnEmptyFile) {
  auto writer = *Open("empty.parquet", IdNameSchema());
  ASSERT_TRUE(writer->Close().ok());
  Result<Footer> footer = ReadFooter("empty.parquet");
  ASSERT_TRUE(footer.ok()) << footer.status().ToString();
  EXPECT_EQ(footer->metadata.num_rows, 0);
  EXPECT_TRUE(footer->metadata.row_groups.empty());
  EXPECT_EQ(footer->schema.num_columns(), 2);
}

TEST_F(ParquetWriterFileTest, RejectsBatchesOfAnotherSchema) {
  auto writer = *Open("b.parquet", IdNameSchema());
  auto other = std::make_shared<Schema>(
      std::vector<Field>{Field("id", types::Int32(), false), Field("name", types::String())});
  Int32Builder ids(types::Int32());
  ids.Append(1);
  StringBuilder names(types::String());
  names.Append("x");
  auto batch = *RecordBatch::Make(other, 1, {*ids.Finish(), *names.Finish()});
  EXPECT_TRUE(writer->Write(*batch).IsInvalid());
  // A rejected batch leaves the writer usable.
  ASSERT_TRUE(writer->Write(*IdNameBatch(0, 3)).ok());
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_TRUE(writer->Write(*IdNameBatch(0, 3)).IsInvalid());
}

TEST_F(ParquetWriterFileTest, NullInNonNullableColumnFailsTheWriter) {
  auto schema = std::make_shared<Schema>(std::vector<Field>{Field("x", types::Int32(), false)});
  auto writer = *Open("c.parquet", schema);
  Int32Builder values(types::Int32());
  values.Append(1);
  values.AppendNull();
  auto batch = *RecordBatch::Make(schema, 2, {*values.Finish()});
  Status status = writer->Write(*batch);
  EXPECT_TRUE(status.IsInvalid()) << status.ToString();
  EXPECT_NE(status.message().find("'x'"), std::string::npos) << status.ToString();
  EXPECT_EQ(writer->Close().code(), status.code());
}

// Leaves encoded and chunks closed on several threads give the file one thread writes, byte for
// byte: random nested schemas, several batches, several row groups.
TEST_F(ParquetWriterFileTest, ThreadsWriteTheSameFile) {
  for (int seed = 0; seed < 25; ++seed) {
    arcflow::testing::RandomSchemaGenerator schemas(static_cast<uint64_t>(seed) * 13 + 1,
                                                    {.max_depth = 3, .max_fields = 6});
    const SchemaPtr schema = schemas.NextParquetSchema();
    arcflow::testing::RandomDataGenerator data(static_cast<uint64_t>(seed) * 7 + 3);
    std::vector<RecordBatchPtr> batches;
    for (int b = 0; b < 4; ++b) batches.push_back(data.Batch(schema, 40 + 30 * b));
    SCOPED_TRACE("seed " + std::to_string(seed) + ", schema " + schema->ToString());
    std::vector<std::string> files;
    for (int threads : {1, 3}) {
      ParquetWriteOptions options;
      options.threads = threads;
      options.row_group_bytes = 2000;
      options.page_bytes = 300;
      const std::string name = "t" + std::to_string(threads) + ".parquet";
      auto writer = Open(name, schema, options);
      ASSERT_TRUE(writer.ok()) << writer.status().ToString();
      for (size_t b = 0; b < batches.size(); ++b) {
        ASSERT_TRUE((*writer)->Write(*batches[b]).ok());
        // Row groups close by size (wide schemas) and here (narrow ones).
        if (b == 1) {
          ASSERT_TRUE((*writer)->FlushRowGroup().ok());
        }
      }
      ASSERT_TRUE((*writer)->Close().ok());
      auto bytes = fs_->ReadFile(directory_.Join(name));
      ASSERT_TRUE(bytes.ok());
      files.emplace_back(reinterpret_cast<const char*>((*bytes)->data()), (*bytes)->size());
    }
    EXPECT_TRUE(files[0] == files[1]);
    auto footer = ReadFooter("t3.parquet");
    ASSERT_TRUE(footer.ok());
    EXPECT_GT(footer->metadata.row_groups.size(), 1u);

    // Two writers sharing one pool (its thread count wins over `threads`), written in turns
    // as the open files of a partitioned table write are.
    ParquetWriteOptions shared;
    shared.thread_pool = std::make_shared<ThreadPool>(3);
    shared.row_group_bytes = 2000;
    shared.page_bytes = 300;
    std::vector<std::unique_ptr<ParquetFileWriter>> writers;
    for (const char* name : {"s1.parquet", "s2.parquet"}) {
      auto writer = Open(name, schema, shared);
      ASSERT_TRUE(writer.ok()) << writer.status().ToString();
      writers.push_back(std::move(*writer));
    }
    for (size_t b = 0; b < batches.size(); ++b) {
      for (auto& writer : writers) {
        ASSERT_TRUE(writer->Write(*batches[b]).ok());
        if (b == 1) {
          ASSERT_TRUE(writer->FlushRowGroup().ok());
        }
      }
    }
    for (size_t w = 0; w < writers.size(); ++w) {
      ASSERT_TRUE(writers[w]->Close().ok());
      auto bytes = fs_->ReadFile(directory_.Join(w == 0 ? "s1.parquet" : "s2.parquet"));
      ASSERT_TRUE(bytes.ok());
      EXPECT_TRUE(files[0] ==
                  std::string(reinterpret_cast<const char*>((*bytes)->data()), (*bytes)->size()))
          << "writer " << w;
    }
  }
}

TEST_F(ParquetWriterFileTest, RejectsDecimalsWiderThanTheirStorage) {
  auto schema = std::make_shared<Schema>(std::vector<Field>{Field("d", types::Decimal(4, 2))});
  auto writer = *Open("d.parquet", schema);
  Decimal128Builder values(types::Decimal(4, 2));
  values.Append(int128_t{1} << 40);
  auto batch = *RecordBatch::Make(schema, 1, {*values.Finish()});
  EXPECT_TRUE(writer->Write(*batch).IsInvalid());
}

TEST_F(ParquetWriterFileTest, RejectsSchemasParquetCannotHold) {
  EXPECT_TRUE(
      Open("e.parquet", std::make_shared<Schema>(std::vector<Field>{})).status().IsInvalid());
  EXPECT_TRUE(
      Open("e.parquet", std::make_shared<Schema>(std::vector<Field>{Field("s", types::Struct({}))}))
          .status()
          .IsInvalid());
  ParquetWriteOptions lzo;
  lzo.codec = codec::CodecType::kLzo;
  EXPECT_TRUE(Open("e.parquet", IdNameSchema(), lzo).status().IsNotImplemented());
}

TEST_F(ParquetWriterFileTest, PublishesAtomicallyOnClose) {
  const std::string path = directory_.Join("atomic.parquet");
  auto file = *io::AtomicFileWriter::Open(fs_, path, io::PublishMode::kIfAbsent);
  Result<std::unique_ptr<RecordBatchWriter>> writer =
      OpenParquetWriter(std::move(file), IdNameSchema(), {});
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Write(*IdNameBatch(0, 10)).ok());
  EXPECT_FALSE(fs_->Exists(path));
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_TRUE(fs_->Exists(path));
  EXPECT_TRUE(ReadFooter("atomic.parquet").ok());
}

TEST_F(ParquetWriterFileTest, UserMetadataFollowsOrReplacesSparks) {
  ParquetWriteOptions options;
  options.key_value_metadata = {{"writer.note", "hello"},
                                {std::string(kSparkRowMetadataKey), "{}"}};
  auto writer = *Open("kv.parquet", IdNameSchema(), options);
  ASSERT_TRUE(writer->Close().ok());
  const auto& entries = *writer->metadata()->key_value_metadata;
  std::map<std::string, std::string> by_key;
  for (const KeyValue& entry : entries) by_key[entry.key] = entry.value.value_or("");
  EXPECT_EQ(by_key["writer.note"], "hello");
  EXPECT_EQ(by_key[std::string(kSparkRowMetadataKey)], "{}");
  EXPECT_EQ(by_key["org.apache.spark.version"], "3.5.0");
}

// Field ids in the schema's metadata reach the footer, and the reader exposes them: on the
// Parquet schema tree and on the assembly tree of the arcflow schema.
TEST_F(ParquetWriterFileTest, WritesAndReadsFieldIds) {
  auto with_id = [](Field field, int32_t id) {
    field.metadata.emplace_back(std::string(kParquetFieldIdKey), std::to_string(id));
    return field;
  };
  auto inner = types::Struct({with_id(Field("x", types::Int64()), 3)});
  auto list = types::ListOf(with_id(Field("element", types::Int32()), 5));
  auto map = types::MapOf(with_id(Field("key", types::String()), 7),
                          with_id(Field("value", types::Int64()), 8));
  auto schema = std::make_shared<Schema>(std::vector<Field>{
      with_id(Field("id", types::Int64(), false), 1), with_id(Field("s", inner), 2),
      with_id(Field("l", list), 4), with_id(Field("m", map), 6)});
  RecordBatchBuilder builder(schema);
  static_cast<Int64Builder&>(*builder.column_builder(0)).Append(10);
  auto& structs = static_cast<StructBuilder&>(*builder.column_builder(1));
  static_cast<Int64Builder*>(structs.field_builder(0))->Append(11);
  structs.Append();
  auto& lists = static_cast<ListBuilder&>(*builder.column_builder(2));
  static_cast<Int32Builder*>(lists.value_builder())->Append(12);
  lists.Append();
  auto& maps = static_cast<ListBuilder&>(*builder.column_builder(3));
  static_cast<StringBuilder*>(MapKeyBuilder(maps))->Append("k");
  static_cast<Int64Builder*>(MapValueBuilder(maps))->Append(13);
  AppendMapEntry(maps);
  maps.Append();
  auto batch = builder.Finish();
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  auto writer = *Open("ids.parquet", schema);
  ASSERT_TRUE(writer->Write(**batch).ok());
  ASSERT_TRUE(writer->Close().ok());

  Result<Footer> footer = ReadFooter("ids.parquet");
  ASSERT_TRUE(footer.ok()) << footer.status().ToString();
  std::vector<std::pair<std::string, std::optional<int32_t>>> ids;
  for (const SchemaElement& element : footer->metadata.schema) {
    ids.emplace_back(element.name, element.field_id);
  }
  using Id = std::optional<int32_t>;
  EXPECT_EQ(ids, (std::vector<std::pair<std::string, Id>>{{"spark_schema", Id()},
                                                          {"id", 1},
                                                          {"s", 2},
                                                          {"x", 3},
                                                          {"l", 4},
                                                          {"list", Id()},
                                                          {"element", 5},
                                                          {"m", 6},
                                                          {"key_value", Id()},
                                                          {"key", 7},
                                                          {"value", 8}}));

  auto reader = ParquetFileReader::Open(fs_, directory_.Join("ids.parquet"));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const SchemaNode& root = (*reader)->parquet_schema().root();
  EXPECT_EQ(root.children[1].children[0].field_id, 3);
  const auto& fields = (*reader)->schema_mapping().fields;
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0].field_id, 1);
  EXPECT_EQ(fields[1].field_id, 2);
  EXPECT_EQ(fields[1].children[0].field_id, 3);
  EXPECT_EQ(fields[2].field_id, 4);
  EXPECT_EQ(fields[2].children[0].field_id, 5);  // The element.
  EXPECT_EQ(fields[3].field_id, 6);
  EXPECT_EQ(fields[3].children[0].children[0].field_id, 7);  // Entries' key and value.
  EXPECT_EQ(fields[3].children[0].children[1].field_id, 8);
  auto read = (*reader)->ReadRowGroup(0);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  std::string row;
  AppendCanonicalRow(**read, 0, &row);
  EXPECT_EQ(row, R"({"id":10,"s":{"x":11},"l":[12],"m":[{"key":"k","value":13}]})");
}

TEST_F(ParquetWriterFileTest, ReadsBackWithTheParquetReader) {
  auto writer = *Open("r.parquet", IdNameSchema());
  std::vector<std::string> expected;
  for (int i = 0; i < 3; ++i) {
    RecordBatchPtr batch = IdNameBatch(i * 500, 500);
    AppendCanonicalRows(*batch, &expected);
    ASSERT_TRUE(writer->Write(*batch).ok());
  }
  ASSERT_TRUE(writer->Close().ok());
  Result<std::unique_ptr<ParquetFileReader>> reader =
      ParquetFileReader::Open(fs_, directory_.Join("r.parquet"));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_TRUE((*reader)->schema()->Equals(*IdNameSchema(), false));
  std::vector<std::string> actual;
  for (int i = 0; i < (*reader)->num_row_groups(); ++i) {
    Result<RecordBatchPtr> batch = (*reader)->ReadRowGroup(i);
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
      actual.emplace_back();
      AppendCanonicalRow(**batch, row, &actual.back());
    }
  }
  EXPECT_EQ(actual, expected);
}

// Nullable fixed-width columns of every width come back with their nulls in place, whatever
// the pattern: a value every few hundred rows, alternating, runs of eight and more, none.
TEST_F(ParquetWriterFileTest, ReadsBackFixedWidthValuesUnderEveryNullPattern) {
  auto schema = std::make_shared<Schema>(
      std::vector<Field>{Field("s", types::Int16()), Field("i", types::Int32()),
                         Field("l", types::Int64()), Field("d", types::Decimal(30, 2))});
  const std::vector<std::pair<std::string, bool (*)(int64_t)>> patterns = {
      {"sparse", [](int64_t row) { return row % 293 != 7; }},
      {"alternating", [](int64_t row) { return row % 2 == 0; }},
      {"runs", [](int64_t row) { return (row / 8) % 3 == 1 || (row / 13) % 5 == 2; }},
      {"all null", [](int64_t) { return true; }},
      {"no null", [](int64_t) { return false; }}};
  for (const auto& [name, is_null] : patterns) {
    SCOPED_TRACE(name);
    RecordBatchBuilder builder(schema);
    auto& shorts = static_cast<Int16Builder&>(*builder.column_builder(0));
    auto& ints = static_cast<Int32Builder&>(*builder.column_builder(1));
    auto& longs = static_cast<Int64Builder&>(*builder.column_builder(2));
    auto& decimals = static_cast<Decimal128Builder&>(*builder.column_builder(3));
    constexpr int64_t kRows = 5003;  // Not a multiple of 8: a partial validity byte.
    for (int64_t row = 0; row < kRows; ++row) {
      if (is_null(row)) {
        shorts.AppendNull();
        ints.AppendNull();
        longs.AppendNull();
        decimals.AppendNull();
        continue;
      }
      shorts.Append(static_cast<int16_t>(row % 30000));
      ints.Append(static_cast<int32_t>(row * 7));
      longs.Append(row * 1000003);
      decimals.Append(static_cast<int128_t>(row) * 1000000007 - 5);
    }
    RecordBatchPtr batch = *builder.Finish();
    std::vector<std::string> expected;
    AppendCanonicalRows(*batch, &expected);
    auto writer = *Open("nulls.parquet", schema);
    ASSERT_TRUE(writer->Write(*batch).ok());
    ASSERT_TRUE(writer->Close().ok());
    auto reader = ParquetFileReader::Open(fs_, directory_.Join("nulls.parquet"));
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    std::vector<std::string> actual;
    for (int i = 0; i < (*reader)->num_row_groups(); ++i) {
      Result<RecordBatchPtr> read = (*reader)->ReadRowGroup(i);
      ASSERT_TRUE(read.ok()) << read.status().ToString();
      AppendCanonicalRows(**read, &actual);
    }
    EXPECT_EQ(actual, expected);
  }
}

}  // namespace
}  // namespace arcflow::parquet
