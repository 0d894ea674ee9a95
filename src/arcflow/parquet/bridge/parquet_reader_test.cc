#include "arcflow/parquet/bridge/parquet_reader.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "arcflow/columnar/row_printer.h"
#include "arcflow/io/file_system.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/parquet/bridge/test_file_builder.h"

namespace arcflow::parquet {
namespace {

using testing::Chunk;
using testing::kOptional;
using testing::kRequired;
using testing::Leaf;
using testing::Plain;
using testing::PlainByteArrays;
using testing::Root;
using testing::TestColumnChunk;
using testing::TestFileBuilder;
using testing::TestPage;

std::string Bytes(int64_t value) { return std::string(reinterpret_cast<const char*>(&value), 8); }
std::string Bytes(double value) { return std::string(reinterpret_cast<const char*>(&value), 8); }

// Four row groups of three rows: id 0..11 (required INT64, with statistics), name (optional
// string, legacy statistics only), score (optional DOUBLE, with NaN statistics in group 2),
// and a nullable column `n` that is all null in row groups 1 and 3.
class ParquetReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TestFileBuilder builder(Root({Leaf("id", kRequired, PhysicalType::kInt64),
                                  Leaf("name", kOptional, PhysicalType::kByteArray, StringType{}),
                                  Leaf("score", kOptional, PhysicalType::kDouble),
                                  Leaf("n", kOptional, PhysicalType::kInt32)}));
    for (int64_t group = 0; group < 4; ++group) {
      const int64_t first = group * 3;
      TestPage ids;
      ids.value_count = 3;
      ids.values = Plain<int64_t>({first, first + 1, first + 2});
      TestColumnChunk id_chunk = Chunk({ids});
      Statistics id_stats;
      id_stats.min_value = Bytes(first);
      id_stats.max_value = Bytes(first + 2);
      id_stats.null_count = 0;
      id_chunk.statistics = id_stats;

      TestPage names;
      names.definition_levels = {1, 1, 1};
      const std::string a = "name" + std::to_string(first);
      const std::string b = "name" + std::to_string(first + 1);
      const std::string c = "name" + std::to_string(first + 2);
      names.values = PlainByteArrays({a, b, c});
      TestColumnChunk name_chunk = Chunk({names});
      Statistics name_stats;  // Deprecated fields only: unusable for byte arrays.
      name_stats.min = "zzz";
      name_stats.max = "zzz";
      name_chunk.statistics = name_stats;

      TestPage scores;
      scores.definition_levels = {1, 1, 1};
      const double base = static_cast<double>(group) * 10;
      scores.values = Plain<double>({base, base + 1, base + 2});
      TestColumnChunk score_chunk = Chunk({scores});
      Statistics score_stats;
      score_stats.min_value = Bytes(base);
      score_stats.max_value =
          Bytes(group == 2 ? std::numeric_limits<double>::quiet_NaN() : base + 2);
      score_chunk.statistics = score_stats;

      TestPage ns;
      const bool all_null = group % 2 == 1;
      ns.definition_levels =
          all_null ? std::vector<int16_t>{0, 0, 0} : std::vector<int16_t>{1, 0, 1};
      ns.values = all_null ? std::string() : Plain<int32_t>({1, 2});
      TestColumnChunk n_chunk = Chunk({ns});
      Statistics n_stats;
      n_stats.null_count = all_null ? 3 : 1;
      n_chunk.statistics = n_stats;

      builder.AddRowGroup(3, {id_chunk, name_chunk, score_chunk, n_chunk});
    }
    path_ = scratch_.Join("groups.parquet");
    builder.WriteTo(path_);
  }

  std::unique_ptr<ParquetFileReader> Open(ParquetReadOptions options = {}) {
    auto reader = ParquetFileReader::Open(io::LocalFileSystem(), path_, options);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    return std::move(*reader);
  }

  static std::vector<std::string> Rows(RecordBatchReader& reader, int64_t max_batch = 1 << 20) {
    std::vector<std::string> rows;
    while (true) {
      auto batch = reader.Next();
      EXPECT_TRUE(batch.ok()) << batch.status().ToString();
      if (!batch.ok() || *batch == nullptr) break;
      EXPECT_TRUE((*batch)->Validate().ok());
      EXPECT_LE((*batch)->num_rows(), max_batch);
      for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
        std::string text;
        AppendCanonicalRow(**batch, row, &text);
        rows.push_back(std::move(text));
      }
    }
    return rows;
  }

  io::ScratchDirectory scratch_;
  std::string path_;
};

TEST_F(ParquetReaderTest, ExposesMetadataAndSchema) {
  auto reader = Open();
  EXPECT_EQ(reader->num_row_groups(), 4);
  EXPECT_EQ(reader->num_rows(), 12);
  EXPECT_EQ(reader->schema()->ToString(), "id bigint not null, name string, score double, n int");
  EXPECT_EQ(reader->metadata().row_groups.size(), 4u);
  EXPECT_EQ(reader->parquet_schema().num_columns(), 4);
}

TEST_F(ParquetReaderTest, ReadsRowGroupsWithProjection) {
  auto reader = Open();
  auto batch = reader->ReadRowGroup(1, {2, 0});
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ((*batch)->schema()->ToString(), "score double, id bigint not null");
  std::string row;
  AppendCanonicalRow(**batch, 0, &row);
  EXPECT_EQ(row, R"({"score":10,"id":3})");
  EXPECT_TRUE(reader->ReadRowGroup(4).status().IsInvalid());
  EXPECT_TRUE(reader->ReadRowGroup(0, {7}).status().IsInvalid());
}

TEST_F(ParquetReaderTest, SplitsRowGroupsIntoBatches) {
  ParquetReadOptions options;
  options.batch_rows = 2;
  auto reader = Open(options);
  auto batches = reader->GetRecordBatchReader({0});
  ASSERT_TRUE(batches.ok());
  auto rows = Rows(**batches, 2);
  ASSERT_EQ(rows.size(), 12u);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(rows[i], "{\"id\":" + std::to_string(i) + "}");
}

TEST_F(ParquetReaderTest, ProjectionReadsOnlyTheChunksItNeeds) {
  // Break the pages of column `name` in every row group: reading other columns still works.
  std::string bytes;
  {
    std::ifstream in(path_, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto reader = Open();
  for (const RowGroup& group : reader->metadata().row_groups) {
    const ColumnMetaData& meta = *group.columns[1].meta_data;
    for (int64_t i = 0; i < meta.total_compressed_size; ++i) {
      bytes[static_cast<size_t>(meta.data_page_offset + i)] = '\xff';
    }
  }
  const std::string broken = scratch_.Join("broken.parquet");
  {
    std::ofstream out(broken, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  auto opened = ParquetFileReader::Open(io::LocalFileSystem(), broken);
  ASSERT_TRUE(opened.ok());
  auto projected = (*opened)->GetRecordBatchReader({0, 2, 3});
  ASSERT_TRUE(projected.ok());
  EXPECT_EQ(Rows(**projected).size(), 12u);
  EXPECT_TRUE((*opened)->ReadRowGroup(0, {1}).status().IsCorruption());
}

// Filters canonical rows the way the predicate would.
std::vector<std::string> FilterIds(const std::vector<std::string>& rows, int64_t low,
                                   int64_t high) {
  std::vector<std::string> out;
  for (const std::string& row : rows) {
    const int64_t id = std::stoll(row.substr(row.find(':') + 1));
    if (id >= low && id <= high) out.push_back(row);
  }
  return out;
}

TEST_F(ParquetReaderTest, SkipsRowGroupsByStatistics) {
  auto reader = Open();
  using Op = ColumnPredicate::Op;
  auto select = [&](std::vector<ColumnPredicate> predicates) {
    auto groups = reader->SelectRowGroups(predicates);
    EXPECT_TRUE(groups.ok()) << groups.status().ToString();
    return groups.ok() ? *groups : std::vector<int>{-1};
  };
  EXPECT_EQ(select({{"id", Op::kEq, "4"}}), (std::vector<int>{1}));
  EXPECT_EQ(select({{"id", Op::kLt, "3"}}), (std::vector<int>{0}));
  EXPECT_EQ(select({{"id", Op::kLe, "3"}}), (std::vector<int>{0, 1}));
  EXPECT_EQ(select({{"id", Op::kGt, "8"}}), (std::vector<int>{3}));
  EXPECT_EQ(select({{"id", Op::kGe, "8"}}), (std::vector<int>{2, 3}));
  EXPECT_EQ(select({{"id", Op::kEq, "100"}}), (std::vector<int>{}));
  EXPECT_EQ(select({{"id", Op::kGe, "3"}, {"id", Op::kLe, "7"}}), (std::vector<int>{1, 2}));
  // Legacy byte-array statistics are not trusted, whatever they claim.
  EXPECT_EQ(select({{"name", Op::kEq, "name4"}}), (std::vector<int>{0, 1, 2, 3}));
  // A NaN bound bounds nothing (row group 2); a NaN value matches no bound.
  EXPECT_EQ(select({{"score", Op::kGt, "25"}}), (std::vector<int>{2, 3}));
  EXPECT_EQ(select({{"score", Op::kEq, "NaN"}}), (std::vector<int>{0, 1, 2, 3}));
  // Null counts.
  EXPECT_EQ(select({{"n", Op::kIsNotNull, ""}}), (std::vector<int>{0, 2}));
  EXPECT_EQ(select({{"n", Op::kIsNull, ""}}), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(select({{"id", Op::kIsNull, ""}}), (std::vector<int>{}));
  EXPECT_EQ(select({{"n", Op::kEq, "1"}}), (std::vector<int>{0, 2}));

  EXPECT_TRUE(reader->SelectRowGroups({{"missing", Op::kEq, "1"}}).status().IsInvalid());
  EXPECT_TRUE(reader->SelectRowGroups({{"id", Op::kEq, "abc"}}).status().IsInvalid());
}

TEST_F(ParquetReaderTest, FilteredReadEqualsFilteringTheFullRead) {
  auto reader = Open();
  auto all = reader->GetRecordBatchReader();
  ASSERT_TRUE(all.ok());
  const std::vector<std::string> every_row = Rows(**all);
  ASSERT_EQ(every_row.size(), 12u);
  using Op = ColumnPredicate::Op;
  auto filtered = reader->GetRecordBatchReader({}, {{"id", Op::kGe, "4"}, {"id", Op::kLe, "5"}});
  ASSERT_TRUE(filtered.ok());
  const std::vector<std::string> read = Rows(**filtered);
  EXPECT_EQ(read.size(), 3u);  // Only row group 1 was read.
  EXPECT_EQ(FilterIds(read, 4, 5), FilterIds(every_row, 4, 5));
}

TEST(ParquetFileReaderTest, FailsCleanlyOnFilesThatAreNotParquet) {
  io::ScratchDirectory scratch;
  const std::string path = scratch.Join("not.parquet");
  {
    std::ofstream out(path, std::ios::binary);
    out << "this is not a parquet file at all";
  }
  auto reader = ParquetFileReader::Open(io::LocalFileSystem(), path);
  ASSERT_FALSE(reader.ok());
  EXPECT_TRUE(reader.status().IsCorruption()) << reader.status().ToString();
  EXPECT_NE(reader.status().message().find(path), std::string::npos);
  EXPECT_TRUE(ParquetFileReader::Open(io::LocalFileSystem(), scratch.Join("missing.parquet"))
                  .status()
                  .IsNotFound());
}

TEST(ParquetFileReaderTest, VerifiesPageChecksums) {
  io::ScratchDirectory scratch;
  TestFileBuilder builder(Root({Leaf("x", kRequired, PhysicalType::kInt32)}));
  TestPage page;
  page.value_count = 2;
  page.values = Plain<int32_t>({1, 2});
  page.with_crc = true;
  page.corrupt_crc = true;
  builder.AddRowGroup(2, {Chunk({page})});
  const std::string path = scratch.Join("crc.parquet");
  builder.WriteTo(path);
  auto reader = ParquetFileReader::Open(io::LocalFileSystem(), path);
  ASSERT_TRUE(reader.ok());
  auto batch = (*reader)->ReadRowGroup(0);
  ASSERT_TRUE(batch.status().IsCorruption());
  EXPECT_NE(batch.status().message().find("checksum"), std::string::npos);
  EXPECT_NE(batch.status().message().find("column=x"), std::string::npos);
  ParquetReadOptions options;
  options.verify_checksums = false;
  auto lenient = ParquetFileReader::Open(io::LocalFileSystem(), path, options);
  ASSERT_TRUE(lenient.ok());
  EXPECT_TRUE((*lenient)->ReadRowGroup(0).ok());
}

TEST(ParquetFileReaderTest, ReadsCompressedV2PagesAndDictionaryOffsetZero) {
  io::ScratchDirectory scratch;
  TestFileBuilder builder(Root({Leaf("s", kOptional, PhysicalType::kByteArray, StringType{}),
                                Leaf("v", kOptional, PhysicalType::kInt64)}));
  TestPage dictionary;
  dictionary.type = PageType::kDictionaryPage;
  dictionary.value_count = 2;
  dictionary.values = PlainByteArrays({"a", "b"});
  TestPage data;
  data.type = PageType::kDataPageV2;
  data.encoding = Encoding::kRleDictionary;
  data.definition_levels = {1, 0, 1};
  data.values = testing::DictionaryIndices(1, {1, 0});
  data.with_crc = true;
  TestColumnChunk strings = Chunk({dictionary, data}, codec::CodecType::kSnappy);
  strings.dictionary_page_offset_override = 0;  // What old parquet-mr wrote.
  TestPage empty;  // All null, with an empty value section that must not be decompressed.
  empty.type = PageType::kDataPageV2;
  empty.definition_levels = {0, 0, 0};
  builder.AddRowGroup(3, {strings, Chunk({empty}, codec::CodecType::kSnappy)});
  // The writer put the dictionary first, so data_page_offset must be moved to it to mimic the
  // old writer: the chunk then starts at data_page_offset and the dictionary page is found there.
  auto& meta = *builder.metadata().row_groups[0].columns[0].meta_data;
  meta.data_page_offset = builder.metadata().row_groups[0].columns[0].file_offset;
  const std::string path = scratch.Join("v2.parquet");
  builder.WriteTo(path);
  auto reader = ParquetFileReader::Open(io::LocalFileSystem(), path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto batch = (*reader)->ReadRowGroup(0);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  std::string rows;
  for (int64_t row = 0; row < 3; ++row) AppendCanonicalRow(**batch, row, &rows);
  EXPECT_EQ(rows, R"({"s":"b","v":null}{"s":null,"v":null}{"s":"a","v":null})");
}

}  // namespace
}  // namespace arcflow::parquet
