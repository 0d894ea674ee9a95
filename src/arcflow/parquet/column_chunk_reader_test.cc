#include "arcflow/parquet/column_chunk_reader.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "arcflow/base/bit_util.h"
#include "arcflow/codec/codec.h"
#include "arcflow/codec/crc32.h"
#include "arcflow/io/file_system.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/parquet/rle_bit_packed_encoder.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {
namespace {

std::string Int32s(std::vector<int32_t> values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * 4);
}

// v1 levels: a 4-byte length, then RLE runs.
std::string RleLevels(const std::vector<int16_t>& levels, int16_t max_level) {
  RleBitPackedEncoder encoder(LevelBitWidth(max_level));
  encoder.Put(levels.data(), static_cast<int64_t>(levels.size()));
  return std::string(encoder.FinishWithLengthPrefix()->view());
}

// Builds a file holding one column chunk, page by page, and reads it back.
class ChunkFile {
 public:
  // The column is `x`, or `g.x` inside an optional group when `in_optional_group`.
  explicit ChunkFile(FieldRepetitionType repetition = FieldRepetitionType::kOptional,
                     PhysicalType type = PhysicalType::kInt32, bool in_optional_group = false) {
    SchemaNode root;
    root.name = "schema";
    SchemaNode leaf;
    leaf.name = "x";
    leaf.repetition = repetition;
    leaf.physical_type = type;
    if (in_optional_group) {
      SchemaNode group;
      group.name = "g";
      group.repetition = FieldRepetitionType::kOptional;
      group.children.push_back(leaf);
      root.children.push_back(group);
      meta_.path_in_schema = {"g", "x"};
    } else {
      root.children.push_back(leaf);
      meta_.path_in_schema = {"x"};
    }
    schema_ = std::make_unique<SchemaDescriptor>(SchemaDescriptor::FromRoot(root).ValueOrDie());
    bytes_ = "PAR1";
    meta_.type = type;
  }

  // Appends a page; returns its offset.
  int64_t AddPage(PageHeader header, const std::string& body) {
    header.compressed_page_size = static_cast<int32_t>(body.size());
    if (header.uncompressed_page_size == 0) {
      header.uncompressed_page_size = static_cast<int32_t>(body.size());
    }
    BufferBuilder encoded;
    EncodeThriftMessage(header, &encoded);
    const auto offset = static_cast<int64_t>(bytes_.size());
    bytes_.append(reinterpret_cast<const char*>(encoded.data()),
                  static_cast<size_t>(encoded.size()));
    bytes_.append(body);
    if (header.type == PageType::kDictionaryPage) {
      meta_.dictionary_page_offset = offset;
    } else if (meta_.data_page_offset == 0) {
      meta_.data_page_offset = offset;
    }
    if (header.data_page_header) meta_.num_values += header.data_page_header->num_values;
    if (header.data_page_header_v2) meta_.num_values += header.data_page_header_v2->num_values;
    return offset;
  }

  static PageHeader DataPage(int32_t num_values, Encoding encoding = Encoding::kPlain) {
    PageHeader header;
    header.type = PageType::kDataPage;
    DataPageHeader data;
    data.num_values = num_values;
    data.encoding = encoding;
    header.data_page_header = data;
    return header;
  }

  // A v2 data page of one value per row whose definition levels, uncompressed, are
  // `level_bytes`.
  static PageHeader DataPageV2(int32_t num_values, int32_t num_nulls,
                               const std::string& level_bytes) {
    PageHeader header;
    header.type = PageType::kDataPageV2;
    DataPageHeaderV2 v2;
    v2.num_values = num_values;
    v2.num_nulls = num_nulls;
    v2.num_rows = num_values;
    v2.definition_levels_byte_length = static_cast<int32_t>(level_bytes.size());
    v2.is_compressed = false;
    header.data_page_header_v2 = v2;
    return header;
  }

  ColumnMetaData& meta() { return meta_; }
  const ColumnDescriptor& column() const { return schema_->column(0); }

  Result<std::unique_ptr<ColumnChunkReader>> Open(ColumnChunkReaderOptions options = {}) {
    int64_t start = meta_.data_page_offset;
    if (meta_.dictionary_page_offset.value_or(0) > 0) {
      start = std::min(start, *meta_.dictionary_page_offset);
    }
    if (meta_.total_compressed_size == 0) {
      meta_.total_compressed_size = static_cast<int64_t>(bytes_.size()) - start;
    }
    chunk_.meta_data = meta_;
    const std::string path = scratch_.Join("chunk.bin");
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(bytes_.data(), static_cast<std::streamsize>(bytes_.size()));
    }
    ARCFLOW_ASSIGN_OR_RETURN(file_, io::LocalFileSystem()->OpenRandomAccess(path));
    return ColumnChunkReader::Open(*file_, static_cast<int64_t>(bytes_.size()), chunk_, column(),
                                   options);
  }

  ColumnChunk& chunk() { return chunk_; }

 private:
  io::ScratchDirectory scratch_;
  std::unique_ptr<SchemaDescriptor> schema_;
  std::string bytes_;
  ColumnMetaData meta_;
  ColumnChunk chunk_;
  std::unique_ptr<io::RandomAccessFile> file_;
};

TEST(ColumnChunkReaderTest, ReadsDictionaryAndDataPagesWithLevels) {
  ChunkFile file;
  PageHeader dictionary;
  dictionary.type = PageType::kDictionaryPage;
  dictionary.dictionary_page_header = DictionaryPageHeader{3, Encoding::kPlain, std::nullopt};
  file.AddPage(dictionary, Int32s({10, 20, 30}));
  RleBitPackedEncoder indices(2);
  for (int32_t index : {2, 0, 1}) indices.Put(static_cast<uint32_t>(index));
  const std::string values = std::string(1, '\x02') + std::string(indices.Finish()->view());
  file.AddPage(ChunkFile::DataPage(5, Encoding::kRleDictionary),
               RleLevels({1, 0, 1, 0, 1}, 1) + values);
  file.AddPage(ChunkFile::DataPage(2), RleLevels({1, 1}, 1) + Int32s({7, 8}));
  auto reader = file.Open();
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();

  DataPage page;
  auto more = (*reader)->NextDataPage(&page);
  ASSERT_TRUE(more.ok() && *more) << more.status().ToString();
  EXPECT_EQ(page.num_levels, 5);
  EXPECT_EQ(page.num_non_null, 3);
  // A flat optional column's levels come as validity bits.
  EXPECT_EQ(page.definition_levels, nullptr);
  ASSERT_NE(page.validity, nullptr);
  EXPECT_TRUE(bit_util::GetBit(page.validity, 0));
  EXPECT_FALSE(bit_util::GetBit(page.validity, 1));
  EXPECT_EQ(page.repetition_levels, nullptr);
  int32_t decoded[3];
  ASSERT_TRUE(page.values->DecodeInt32(decoded, 3).ok());
  EXPECT_EQ(decoded[0], 30);
  EXPECT_EQ(decoded[1], 10);
  EXPECT_EQ(decoded[2], 20);

  more = (*reader)->NextDataPage(&page);
  ASSERT_TRUE(more.ok() && *more);
  EXPECT_EQ(page.num_non_null, 2);
  ASSERT_TRUE(page.values->DecodeInt32(decoded, 2).ok());
  EXPECT_EQ(decoded[1], 8);
  // Asking for more values than the page holds is Corruption, never a partial answer.
  EXPECT_TRUE(page.values->DecodeInt32(decoded, 1).IsCorruption());
  more = (*reader)->NextDataPage(&page);
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(*more);
  EXPECT_EQ((*reader)->levels_read(), 7);
}

TEST(ColumnChunkReaderTest, VerifiesChecksumsOfStoredBytes) {
  ChunkFile file(FieldRepetitionType::kRequired);
  const std::string body = Int32s({1, 2});
  PageHeader header = ChunkFile::DataPage(2);
  header.crc = static_cast<int32_t>(
      codec::Crc32(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(body.data()), 8)) ^ 4);
  const int64_t offset = file.AddPage(header, body);
  auto reader = file.Open();
  ASSERT_TRUE(reader.ok());
  DataPage page;
  auto result = (*reader)->NextDataPage(&page);
  ASSERT_TRUE(result.status().IsCorruption());
  EXPECT_NE(result.status().message().find("checksum"), std::string::npos);
  EXPECT_NE(result.status().message().find("column=x"), std::string::npos);
  EXPECT_NE(result.status().message().find("offset=" + std::to_string(offset)), std::string::npos);

  auto lenient = file.Open(ColumnChunkReaderOptions{false});
  ASSERT_TRUE(lenient.ok());
  result = (*lenient)->NextDataPage(&page);
  ASSERT_TRUE(result.ok() && *result);
}

TEST(ColumnChunkReaderTest, SkipsIndexPagesAndStartsAtDataPageWhenDictionaryOffsetIsZero) {
  ChunkFile file(FieldRepetitionType::kRequired);
  PageHeader index;
  index.type = PageType::kIndexPage;
  index.index_page_header = IndexPageHeader{};
  file.AddPage(ChunkFile::DataPage(1), Int32s({5}));
  file.AddPage(index, "junk");
  file.AddPage(ChunkFile::DataPage(1), Int32s({6}));
  file.meta().dictionary_page_offset = 0;
  auto reader = file.Open();
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  DataPage page;
  int pages = 0;
  while (true) {
    auto more = (*reader)->NextDataPage(&page);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ++pages;
  }
  EXPECT_EQ(pages, 2);
}

TEST(ColumnChunkReaderTest, RejectsInconsistentPages) {
  {  // A page running past the end of the chunk.
    ChunkFile file(FieldRepetitionType::kRequired);
    file.AddPage(ChunkFile::DataPage(2), Int32s({1, 2}));
    file.meta().total_compressed_size = 20;
    auto reader = file.Open();
    ASSERT_TRUE(reader.ok());
    DataPage page;
    EXPECT_TRUE((*reader)->NextDataPage(&page).status().IsCorruption());
  }
  {  // A chunk lying past the end of the file.
    ChunkFile file(FieldRepetitionType::kRequired);
    file.AddPage(ChunkFile::DataPage(2), Int32s({1, 2}));
    file.meta().total_compressed_size = 1 << 20;
    EXPECT_TRUE(file.Open().status().IsCorruption());
  }
  {  // A negative dictionary size.
    ChunkFile file;
    PageHeader dictionary;
    dictionary.type = PageType::kDictionaryPage;
    dictionary.dictionary_page_header = DictionaryPageHeader{-1, Encoding::kPlain, std::nullopt};
    file.AddPage(dictionary, Int32s({1}));
    file.AddPage(ChunkFile::DataPage(1), RleLevels({0}, 1));
    auto reader = file.Open();
    ASSERT_TRUE(reader.ok());
    DataPage page;
    EXPECT_TRUE((*reader)->NextDataPage(&page).status().IsCorruption());
  }
  {  // More values in a page than the chunk declares.
    ChunkFile file(FieldRepetitionType::kRequired);
    file.AddPage(ChunkFile::DataPage(2), Int32s({1, 2}));
    file.meta().num_values = 1;
    auto reader = file.Open();
    ASSERT_TRUE(reader.ok());
    DataPage page;
    EXPECT_TRUE((*reader)->NextDataPage(&page).status().IsCorruption());
  }
  {  // Fewer definition levels than values.
    ChunkFile file;
    file.AddPage(ChunkFile::DataPage(3), std::string("\0\0\0\0", 4));
    auto reader = file.Open();
    ASSERT_TRUE(reader.ok());
    DataPage page;
    EXPECT_TRUE((*reader)->NextDataPage(&page).status().IsCorruption());
  }
  {  // A definition level above the column's maximum (2, stored in 2 bits).
    ChunkFile file(FieldRepetitionType::kOptional, PhysicalType::kInt32, true);
    RleBitPackedEncoder encoder(2);
    encoder.Put(3);
    std::string levels(encoder.FinishWithLengthPrefix()->view());
    file.AddPage(ChunkFile::DataPage(1), levels + Int32s({1}));
    auto reader = file.Open();
    ASSERT_TRUE(reader.ok());
    DataPage page;
    auto result = (*reader)->NextDataPage(&page);
    EXPECT_TRUE(result.status().IsCorruption()) << result.status().ToString();
  }
  {  // An encoding that does not fit the physical type.
    ChunkFile file(FieldRepetitionType::kRequired);
    file.AddPage(ChunkFile::DataPage(1, Encoding::kDeltaLengthByteArray), Int32s({1}));
    auto reader = file.Open();
    ASSERT_TRUE(reader.ok());
    DataPage page;
    EXPECT_TRUE((*reader)->NextDataPage(&page).status().IsCorruption());
  }
}

TEST(ColumnChunkReaderTest, RefusesEncryptedChunks) {
  ChunkFile file(FieldRepetitionType::kRequired);
  file.AddPage(ChunkFile::DataPage(1), Int32s({1}));
  file.chunk().crypto_metadata = ColumnCryptoMetaData{};
  EXPECT_TRUE(file.Open().status().IsNotImplemented());
}

TEST(ColumnChunkReaderTest, ReadsV2PagesWithUncompressedLevels) {
  ChunkFile file;
  RleBitPackedEncoder levels(1);
  for (int level : {1, 0, 1}) levels.Put(static_cast<uint32_t>(level));
  const std::string level_bytes(levels.Finish()->view());
  file.AddPage(ChunkFile::DataPageV2(3, 1, level_bytes), level_bytes + Int32s({4, 5}));
  auto reader = file.Open();
  ASSERT_TRUE(reader.ok());
  DataPage page;
  auto more = (*reader)->NextDataPage(&page);
  ASSERT_TRUE(more.ok() && *more) << more.status().ToString();
  EXPECT_TRUE(page.is_v2);
  EXPECT_EQ(page.num_non_null, 2);
  int32_t values[2];
  ASSERT_TRUE(page.values->DecodeInt32(values, 2).ok());
  EXPECT_EQ(values[1], 5);
}

// The levels of every data page of `file`, read as validity bits, one string of 0s and 1s per
// page, with the non-null count checked against the bits.
std::vector<std::string> ReadValidity(ChunkFile& file) {
  std::vector<std::string> pages;
  auto reader = file.Open();
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return pages;
  DataPage page;
  while (true) {
    auto more = (*reader)->NextDataPage(&page);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    EXPECT_EQ(page.definition_levels, nullptr);
    std::string bits;
    int64_t set = 0;
    for (int64_t i = 0; i < page.num_levels; ++i) {
      const bool present = bit_util::GetBit(page.validity, i);
      bits += present ? '1' : '0';
      set += present;
    }
    EXPECT_EQ(page.num_non_null, set);
    pages.push_back(std::move(bits));
  }
  return pages;
}

TEST(ColumnChunkReaderTest, DecodesFlatOptionalLevelsAsValidityBits) {
  ChunkFile file;
  // No nulls: one RLE run of 1s.
  const std::vector<int16_t> all_present(100, 1);
  file.AddPage(ChunkFile::DataPage(100), RleLevels(all_present, 1) + Int32s(std::vector(100, 7)));
  // Some nulls: bit-packed runs and RLE runs mixed, ending mid-byte.
  std::vector<int16_t> mixed;
  std::string expected_mixed;
  for (int i = 0; i < 77; ++i) {
    const int16_t level = (i % 5 == 3 || (i >= 30 && i < 50)) ? 0 : 1;
    mixed.push_back(level);
    expected_mixed += level ? '1' : '0';
  }
  const auto present = static_cast<size_t>(std::count(mixed.begin(), mixed.end(), 1));
  file.AddPage(ChunkFile::DataPage(77), RleLevels(mixed, 1) + Int32s(std::vector(present, 1)));
  // All nulls, with an empty value section.
  file.AddPage(ChunkFile::DataPage(9), RleLevels(std::vector<int16_t>(9, 0), 1));
  // The deprecated BIT_PACKED encoding: 1,0,1,1,0,0,0,1 and 1, most significant bit first.
  PageHeader bit_packed = ChunkFile::DataPage(9);
  bit_packed.data_page_header->definition_level_encoding = Encoding::kBitPacked;
  file.AddPage(bit_packed, std::string("\xB1\x80", 2) + Int32s({1, 2, 3, 4, 5}));
  // A v2 page, levels without a length prefix.
  RleBitPackedEncoder v2_levels(1);
  for (int level : {0, 1, 1, 0}) v2_levels.Put(static_cast<uint32_t>(level));
  const std::string v2_bytes(v2_levels.Finish()->view());
  file.AddPage(ChunkFile::DataPageV2(4, 2, v2_bytes), v2_bytes + Int32s({8, 9}));

  const std::vector<std::string> pages = ReadValidity(file);
  ASSERT_EQ(pages.size(), 5u);
  EXPECT_EQ(pages[0], std::string(100, '1'));
  EXPECT_EQ(pages[1], expected_mixed);
  EXPECT_EQ(pages[2], std::string(9, '0'));
  EXPECT_EQ(pages[3], "101100011");
  EXPECT_EQ(pages[4], "0110");
}

TEST(ColumnChunkReaderTest, KeepsNestedAndRepeatedLevelsAsIntegers) {
  // Max definition level 2: the levels say more than presence, so they stay int16.
  ChunkFile file(FieldRepetitionType::kOptional, PhysicalType::kInt32, true);
  file.AddPage(ChunkFile::DataPage(3), RleLevels({2, 1, 0}, 2) + Int32s({4}));
  auto reader = file.Open();
  ASSERT_TRUE(reader.ok());
  DataPage page;
  auto more = (*reader)->NextDataPage(&page);
  ASSERT_TRUE(more.ok() && *more) << more.status().ToString();
  EXPECT_EQ(page.validity, nullptr);
  ASSERT_NE(page.definition_levels, nullptr);
  EXPECT_EQ(page.definition_levels[1], 1);
  EXPECT_EQ(page.num_non_null, 1);
}

TEST(ColumnChunkReaderTest, ReusesTheDecompressionBufferAcrossPagesOfAnySize) {
  auto zstd = codec::MakeCodec(codec::CodecType::kZstd);
  ASSERT_TRUE(zstd.ok());
  ChunkFile file(FieldRepetitionType::kRequired);
  file.meta().codec = CompressionCodec::kZstd;
  // Large, small, larger again: each page must decode to its own values, whatever the buffer
  // held before.
  const std::vector<int> sizes = {5000, 3, 20000, 1, 7000};
  for (size_t page = 0; page < sizes.size(); ++page) {
    std::vector<int32_t> values(static_cast<size_t>(sizes[page]));
    for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<int32_t>(page * 100000 + i);
    const std::string raw = Int32s(values);
    std::vector<uint8_t> compressed(
        static_cast<size_t>((*zstd)->MaxCompressedLength(static_cast<int64_t>(raw.size()))));
    auto written = (*zstd)->Compress(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()),
        compressed);
    ASSERT_TRUE(written.ok());
    PageHeader header = ChunkFile::DataPage(sizes[page]);
    header.uncompressed_page_size = static_cast<int32_t>(raw.size());
    file.AddPage(header, std::string(reinterpret_cast<const char*>(compressed.data()),
                                     static_cast<size_t>(*written)));
  }
  auto reader = file.Open();
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  DataPage page;
  for (size_t index = 0; index < sizes.size(); ++index) {
    auto more = (*reader)->NextDataPage(&page);
    ASSERT_TRUE(more.ok() && *more) << more.status().ToString();
    ASSERT_EQ(page.num_levels, sizes[index]);
    std::vector<int32_t> values(static_cast<size_t>(sizes[index]));
    ASSERT_TRUE(page.values->DecodeInt32(values.data(), sizes[index]).ok());
    for (size_t i = 0; i < values.size(); ++i) {
      ASSERT_EQ(values[i], static_cast<int32_t>(index * 100000 + i)) << index << " " << i;
    }
  }
}

TEST(ColumnChunkReaderTest, ComputesLevelBitWidths) {
  EXPECT_EQ(LevelBitWidth(0), 0);
  EXPECT_EQ(LevelBitWidth(1), 1);
  EXPECT_EQ(LevelBitWidth(3), 2);
  EXPECT_EQ(LevelBitWidth(4), 3);
  EXPECT_EQ(LevelBitWidth(255), 8);
}

}  // namespace
}  // namespace arcflow::parquet
