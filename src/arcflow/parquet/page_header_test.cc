#include "arcflow/parquet/page_header.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "arcflow/parquet/thrift_compact_reader.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Encoded(const PageHeader& header) {
  BufferBuilder builder;
  EncodeThriftMessage(header, &builder);
  return Bytes(builder.data(), builder.data() + builder.size());
}

std::vector<PageHeader> SampleHeaders() {
  std::vector<PageHeader> headers;

  PageHeader data;
  data.type = PageType::kDataPage;
  data.uncompressed_page_size = 1000;
  data.compressed_page_size = 600;
  data.crc = -123456;
  DataPageHeader v1;
  v1.num_values = 100;
  v1.encoding = Encoding::kRleDictionary;
  v1.definition_level_encoding = Encoding::kRle;
  v1.repetition_level_encoding = Encoding::kBitPacked;
  Statistics statistics;
  statistics.null_count = 5;
  statistics.min_value = "a";
  v1.statistics = statistics;
  data.data_page_header = v1;
  headers.push_back(data);

  PageHeader dictionary;
  dictionary.type = PageType::kDictionaryPage;
  dictionary.uncompressed_page_size = 64;
  dictionary.compressed_page_size = 64;
  DictionaryPageHeader dictionary_header;
  dictionary_header.num_values = 8;
  dictionary_header.encoding = Encoding::kPlainDictionary;
  dictionary_header.is_sorted = false;
  dictionary.dictionary_page_header = dictionary_header;
  headers.push_back(dictionary);

  PageHeader v2_page;
  v2_page.type = PageType::kDataPageV2;
  v2_page.uncompressed_page_size = 2000;
  v2_page.compressed_page_size = 0;
  DataPageHeaderV2 v2;
  v2.num_values = 10;
  v2.num_nulls = 10;
  v2.num_rows = 10;
  v2.encoding = Encoding::kDeltaBinaryPacked;
  v2.definition_levels_byte_length = 4;
  v2.repetition_levels_byte_length = 0;
  v2.is_compressed = false;
  v2_page.data_page_header_v2 = v2;
  headers.push_back(v2_page);

  PageHeader index;
  index.type = PageType::kIndexPage;
  index.index_page_header = IndexPageHeader{};
  headers.push_back(index);
  return headers;
}

TEST(PageHeaderTest, RoundTripsEveryPageKind) {
  for (const PageHeader& header : SampleHeaders()) {
    Bytes bytes = Encoded(header);
    int64_t length = -1;
    Result<PageHeader> decoded = DecodePageHeader(bytes, 0, &length);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, header) << PageTypeName(header.type);
    EXPECT_EQ(length, static_cast<int64_t>(bytes.size()));
  }
}

TEST(PageHeaderTest, ReportsHeaderLengthBeforePageData) {
  Bytes bytes = Encoded(SampleHeaders()[0]);
  size_t header_size = bytes.size();
  bytes.insert(bytes.end(), {0xDE, 0xAD, 0xBE, 0xEF});
  int64_t length = 0;
  Result<PageHeader> decoded = DecodePageHeader(bytes, 4096, &length);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(length, static_cast<int64_t>(header_size));
}

TEST(PageHeaderTest, DefaultsIsCompressedToTrue) {
  // DataPageHeaderV2 without field 7.
  BufferBuilder builder;
  ThriftCompactWriter writer(&builder);
  writer.BeginStruct();
  for (int16_t id = 1; id <= 6; ++id) writer.WriteField(id, int32_t{0});
  writer.EndStruct();
  Result<DataPageHeaderV2> decoded = DecodeThriftMessage<DataPageHeaderV2>(
      std::span<const uint8_t>(builder.data(), builder.size()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_TRUE(decoded->is_compressed);
}

TEST(PageHeaderTest, RejectsMissingSizesWithFileOffset) {
  // PageHeader{1: type=DATA_PAGE} only.
  Bytes bytes = {0x15, 0x00, 0x00};
  int64_t length = 0;
  Result<PageHeader> decoded = DecodePageHeader(bytes, 5000, &length);
  ASSERT_TRUE(decoded.status().IsCorruption());
  EXPECT_NE(decoded.status().message().find("uncompressed_page_size"), std::string::npos);
  EXPECT_NE(decoded.status().message().find("offset=5003"), std::string::npos)
      << decoded.status().ToString();
  EXPECT_NE(decoded.status().message().find("page header"), std::string::npos);
}

TEST(PageHeaderTest, EveryTruncationFails) {
  for (const PageHeader& header : SampleHeaders()) {
    Bytes bytes = Encoded(header);
    for (size_t length = 0; length < bytes.size(); ++length) {
      Bytes prefix(bytes.begin(), bytes.begin() + length);
      int64_t consumed = 0;
      EXPECT_TRUE(DecodePageHeader(prefix, 0, &consumed).status().IsCorruption()) << length;
    }
  }
}

TEST(PageHeaderTest, KeepsUnknownPageType) {
  PageHeader header = SampleHeaders()[0];
  header.type = static_cast<PageType>(42);
  int64_t length = 0;
  Result<PageHeader> decoded = DecodePageHeader(Encoded(header), 0, &length);
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(IsKnownPageType(decoded->type));
  EXPECT_EQ(PageTypeName(decoded->type), "UNKNOWN");
}

}  // namespace
}  // namespace arcflow::parquet
