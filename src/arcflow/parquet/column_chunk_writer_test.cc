#include "arcflow/parquet/column_chunk_writer.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "arcflow/base/bit_util.h"
#include "arcflow/codec/crc32.h"
#include "arcflow/parquet/column_chunk_reader.h"
#include "arcflow/parquet/dictionary_decoder.h"
#include "arcflow/parquet/page_header.h"
#include "arcflow/parquet/plain_decoder.h"
#include "arcflow/parquet/rle_bit_packed_decoder.h"

namespace arcflow::parquet {
namespace {

using ::testing::ElementsAre;

// A one-column schema: `repetition` leaf `physical` under the root, or under an optional list
// (3-level) when `in_list`.
SchemaDescriptor MakeSchema(PhysicalType physical, FieldRepetitionType repetition,
                            bool in_list = false, int32_t type_length = 0,
                            std::optional<LogicalType> logical = std::nullopt) {
  SchemaNode leaf;
  leaf.name = in_list ? "element" : "x";
  leaf.repetition = repetition;
  leaf.physical_type = physical;
  if (type_length > 0) leaf.type_length = type_length;
  leaf.logical_type = std::move(logical);
  SchemaNode root;
  root.name = "schema";
  if (in_list) {
    SchemaNode repeated;
    repeated.name = "list";
    repeated.repetition = FieldRepetitionType::kRepeated;
    repeated.children.push_back(std::move(leaf));
    SchemaNode list;
    list.name = "x";
    list.repetition = FieldRepetitionType::kOptional;
    list.logical_type = ListType{};
    list.children.push_back(std::move(repeated));
    root.children.push_back(std::move(list));
  } else {
    root.children.push_back(std::move(leaf));
  }
  return *SchemaDescriptor::FromRoot(std::move(root));
}

struct DecodedPage {
  PageType type = PageType::kDataPage;
  Encoding encoding = Encoding::kPlain;
  int64_t num_levels = 0;
  std::optional<Statistics> statistics;
  std::optional<int32_t> crc;
  int16_t first_repetition_level = 0;
  int32_t v2_num_rows = 0;
};

// What a chunk decodes to: values as their PLAIN bytes (one string each; booleans "\0"/"\1").
struct DecodedChunk {
  std::vector<DecodedPage> pages;
  std::vector<int16_t> definition_levels;
  std::vector<int16_t> repetition_levels;
  std::vector<std::string> values;
};

std::vector<std::string> DecodePlainValues(std::span<const uint8_t> data,
                                           const ColumnDescriptor& column, int64_t count) {
  PlainDecoder decoder;
  EXPECT_TRUE(decoder.Init(data, column.physical_type, column.type_length).ok());
  std::vector<std::string> values;
  const auto fixed = [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> out(static_cast<size_t>(count));
    EXPECT_EQ(*decoder.Decode(out.data(), count), count);
    for (const T& value : out) {
      values.emplace_back(reinterpret_cast<const char*>(&value), sizeof(T));
    }
  };
  switch (column.physical_type) {
    case PhysicalType::kBoolean: {
      std::vector<uint8_t> out(static_cast<size_t>(count));
      EXPECT_EQ(*decoder.DecodeBooleans(out.data(), count), count);
      for (uint8_t value : out) values.emplace_back(1, static_cast<char>(value));
      break;
    }
    case PhysicalType::kInt32:
      fixed(int32_t{});
      break;
    case PhysicalType::kInt64:
      fixed(int64_t{});
      break;
    case PhysicalType::kFloat:
      fixed(float{});
      break;
    case PhysicalType::kDouble:
      fixed(double{});
      break;
    case PhysicalType::kByteArray: {
      ByteArraySink sink;
      EXPECT_EQ(*decoder.DecodeByteArray(&sink, count), count);
      for (int64_t i = 0; i < count; ++i) values.emplace_back(sink.View().Value(i));
      break;
    }
    case PhysicalType::kFixedLenByteArray: {
      std::vector<uint8_t> out(static_cast<size_t>(count * column.type_length));
      EXPECT_EQ(*decoder.DecodeFixedLenByteArray(out.data(), count), count);
      for (int64_t i = 0; i < count; ++i) {
        values.emplace_back(reinterpret_cast<const char*>(out.data()) + i * column.type_length,
                            static_cast<size_t>(column.type_length));
      }
      break;
    }
    case PhysicalType::kInt96:
      ADD_FAILURE() << "INT96";
  }
  return values;
}

std::vector<int16_t> DecodeLevels(std::span<const uint8_t> data, int16_t max_level, int64_t count,
                                  bool length_prefixed, int64_t* consumed) {
  RleBitPackedDecoder decoder;
  const int bit_width = static_cast<int>(std::bit_width(static_cast<uint32_t>(max_level)));
  if (length_prefixed) {
    *consumed = *decoder.InitWithLengthPrefix(data, bit_width);
  } else {
    EXPECT_TRUE(decoder.Init(data, bit_width).ok());
    *consumed = static_cast<int64_t>(data.size());
  }
  std::vector<int16_t> levels(static_cast<size_t>(count));
  EXPECT_EQ(*decoder.Decode(levels.data(), count), count);
  return levels;
}

// Decodes a chunk with the format-level decoders, checking CRCs and sizes on the way.
DecodedChunk DecodeChunk(const ColumnChunkOutput& output, const ColumnDescriptor& column) {
  BufferBuilder bytes;
  for (const auto& page : output.pages) bytes.Append(page->data(), page->size());
  const ColumnMetaData& metadata = output.metadata;
  EXPECT_EQ(metadata.total_compressed_size, bytes.size());
  auto codec = *codec::MakeCodec(static_cast<codec::CodecType>(metadata.codec));

  DecodedChunk chunk;
  std::vector<std::string> dictionary;
  int64_t position = 0;
  int64_t uncompressed_total = 0;
  while (position < bytes.size()) {
    int64_t header_length = 0;
    const std::span<const uint8_t> rest(bytes.data() + position,
                                        static_cast<size_t>(bytes.size() - position));
    Result<PageHeader> header = DecodePageHeader(rest, position, &header_length);
    EXPECT_TRUE(header.ok()) << header.status().ToString();
    if (!header.ok()) return chunk;
    const std::span<const uint8_t> stored = rest.subspan(
        static_cast<size_t>(header_length), static_cast<size_t>(header->compressed_page_size));
    uncompressed_total += header_length + header->uncompressed_page_size;
    if (header->crc) {
      EXPECT_EQ(static_cast<uint32_t>(*header->crc), codec::Crc32(stored));
    }
    DecodedPage page;
    page.type = header->type;
    page.crc = header->crc;
    std::vector<uint8_t> body;
    const auto decompress = [&](std::span<const uint8_t> in, int64_t size) {
      body.assign(static_cast<size_t>(size), 0);
      EXPECT_TRUE(codec->Decompress(in, body).ok());
      return std::span<const uint8_t>(body);
    };
    if (header->type == PageType::kDictionaryPage) {
      EXPECT_EQ(position, 0) << "the dictionary page comes first";
      EXPECT_EQ(metadata.dictionary_page_offset, 0);
      const auto data = decompress(stored, header->uncompressed_page_size);
      dictionary = DecodePlainValues(data, column, header->dictionary_page_header->num_values);
      page.encoding = header->dictionary_page_header->encoding;
    } else {
      std::span<const uint8_t> values_data;
      int64_t num_levels = 0;
      std::vector<int16_t> repetition;
      std::vector<int16_t> definition;
      if (header->type == PageType::kDataPage) {
        const DataPageHeader& data_header = *header->data_page_header;
        num_levels = data_header.num_values;
        page.encoding = data_header.encoding;
        page.statistics = data_header.statistics;
        auto data = decompress(stored, header->uncompressed_page_size);
        int64_t consumed = 0;
        if (column.max_repetition_level > 0) {
          repetition = DecodeLevels(data, column.max_repetition_level, num_levels, true, &consumed);
          data = data.subspan(static_cast<size_t>(consumed));
        }
        if (column.max_definition_level > 0) {
          definition = DecodeLevels(data, column.max_definition_level, num_levels, true, &consumed);
          data = data.subspan(static_cast<size_t>(consumed));
        }
        values_data = data;
      } else {
        EXPECT_EQ(header->type, PageType::kDataPageV2);
        const DataPageHeaderV2& v2 = *header->data_page_header_v2;
        num_levels = v2.num_values;
        page.encoding = v2.encoding;
        page.statistics = v2.statistics;
        page.v2_num_rows = v2.num_rows;
        int64_t consumed = 0;
        const auto repetition_bytes =
            stored.subspan(0, static_cast<size_t>(v2.repetition_levels_byte_length));
        const auto definition_bytes =
            stored.subspan(static_cast<size_t>(v2.repetition_levels_byte_length),
                           static_cast<size_t>(v2.definition_levels_byte_length));
        if (column.max_repetition_level > 0) {
          repetition = DecodeLevels(repetition_bytes, column.max_repetition_level, num_levels,
                                    false, &consumed);
        }
        if (column.max_definition_level > 0) {
          definition = DecodeLevels(definition_bytes, column.max_definition_level, num_levels,
                                    false, &consumed);
        }
        const int64_t levels_length =
            v2.repetition_levels_byte_length + v2.definition_levels_byte_length;
        values_data = decompress(stored.subspan(static_cast<size_t>(levels_length)),
                                 header->uncompressed_page_size - levels_length);
        int64_t nulls = 0;
        for (int16_t level : definition) nulls += level < column.max_definition_level;
        EXPECT_EQ(v2.num_nulls, nulls);
      }
      page.num_levels = num_levels;
      if (!repetition.empty()) page.first_repetition_level = repetition[0];
      int64_t num_values = num_levels;
      if (column.max_definition_level > 0) {
        num_values = 0;
        for (int16_t level : definition) num_values += level == column.max_definition_level;
      }
      if (page.encoding == Encoding::kPlain) {
        for (auto& value : DecodePlainValues(values_data, column, num_values)) {
          chunk.values.push_back(std::move(value));
        }
      } else {
        EXPECT_EQ(page.encoding, Encoding::kRleDictionary);
        DictionaryIndexDecoder decoder;
        EXPECT_TRUE(decoder.Init(values_data, static_cast<int64_t>(dictionary.size())).ok());
        std::vector<int32_t> indices(static_cast<size_t>(num_values));
        EXPECT_EQ(*decoder.DecodeIndices(indices.data(), num_values), num_values);
        for (int32_t index : indices)
          chunk.values.push_back(dictionary[static_cast<size_t>(index)]);
      }
      chunk.repetition_levels.insert(chunk.repetition_levels.end(), repetition.begin(),
                                     repetition.end());
      chunk.definition_levels.insert(chunk.definition_levels.end(), definition.begin(),
                                     definition.end());
    }
    chunk.pages.push_back(page);
    position += header_length + header->compressed_page_size;
  }
  EXPECT_EQ(metadata.total_uncompressed_size, uncompressed_total);
  return chunk;
}

// Whether the chunk starts with a dictionary page, by its header.
bool HasDictionaryPage(const ColumnChunkOutput& output) {
  if (output.pages.empty()) return false;
  int64_t header_length = 0;
  Result<PageHeader> header = DecodePageHeader(output.pages[0]->span(), 0, &header_length);
  return header.ok() && header->type == PageType::kDictionaryPage;
}

template <typename T>
std::string Bytes(T value) {
  return std::string(reinterpret_cast<const char*>(&value), sizeof(T));
}

std::unique_ptr<codec::Codec> Codec(codec::CodecType type) { return *codec::MakeCodec(type); }

TEST(ColumnChunkWriterTest, WritesRequiredPlainColumn) {
  const SchemaDescriptor schema = MakeSchema(PhysicalType::kInt64, FieldRepetitionType::kRequired);
  auto codec = Codec(codec::CodecType::kUncompressed);
  ColumnChunkWriterOptions options;
  options.dictionary = false;
  auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), options);
  const std::vector<int64_t> values = {3, -9, 12, 40, 5};
  const ValueRun runs[] = {{0, 2}, {3, 2}};  // Skips 12.
  ColumnValues source;
  source.fixed = values.data();
  source.runs = runs;
  ASSERT_TRUE(writer->Write(4, nullptr, nullptr, source).ok());
  EXPECT_EQ(writer->num_rows(), 4);
  Result<ColumnChunkOutput> output = writer->Finish();
  ASSERT_TRUE(output.ok()) << output.status().ToString();
  const ColumnMetaData& metadata = output->metadata;
  EXPECT_EQ(metadata.type, PhysicalType::kInt64);
  EXPECT_THAT(metadata.path_in_schema, ElementsAre("x"));
  EXPECT_EQ(metadata.codec, CompressionCodec::kUncompressed);
  EXPECT_EQ(metadata.num_values, 4);
  EXPECT_THAT(metadata.encodings, ElementsAre(Encoding::kPlain, Encoding::kRle));
  EXPECT_FALSE(metadata.dictionary_page_offset.has_value());
  EXPECT_EQ(metadata.data_page_offset, 0);
  ASSERT_TRUE(metadata.encoding_stats.has_value());
  EXPECT_THAT(*metadata.encoding_stats,
              ElementsAre(PageEncodingStats{PageType::kDataPage, Encoding::kPlain, 1}));
  ASSERT_TRUE(metadata.statistics.has_value());
  EXPECT_EQ(metadata.statistics->null_count, 0);
  EXPECT_EQ(metadata.statistics->min_value, Bytes<int64_t>(-9));
  EXPECT_EQ(metadata.statistics->max_value, Bytes<int64_t>(40));
  EXPECT_EQ(metadata.total_uncompressed_size, metadata.total_compressed_size);

  const DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
  EXPECT_THAT(chunk.values, ElementsAre(Bytes<int64_t>(3), Bytes<int64_t>(-9), Bytes<int64_t>(40),
                                        Bytes<int64_t>(5)));
  ASSERT_EQ(chunk.pages.size(), 1u);
  EXPECT_TRUE(chunk.pages[0].crc.has_value());
  EXPECT_EQ(chunk.pages[0].statistics->min_value, Bytes<int64_t>(-9));
}

TEST(ColumnChunkWriterTest, DictionaryEncodesOptionalColumnAcrossPages) {
  const SchemaDescriptor schema = MakeSchema(PhysicalType::kInt32, FieldRepetitionType::kOptional);
  auto codec = Codec(codec::CodecType::kZstd);
  ColumnChunkWriterOptions options;
  options.page_bytes = 64;
  options.write_batch_levels = 50;
  auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), options);

  std::vector<int32_t> values;
  std::vector<int16_t> levels;
  std::vector<ValueRun> runs;
  std::vector<std::string> expected;
  for (int i = 0; i < 1000; ++i) {
    values.push_back(i % 7 - 3);
    const bool valid = i % 5 != 0;
    levels.push_back(valid ? 1 : 0);
    if (valid) {
      runs.push_back({i, 1});
      expected.push_back(Bytes<int32_t>(i % 7 - 3));
    }
  }
  ColumnValues source;
  source.fixed = values.data();
  source.runs = runs;
  ASSERT_TRUE(
      writer
          ->Write(
              600, levels.data(), nullptr,
              ColumnValues{
                  values.data(), nullptr, 0, {}, std::span<const ValueRun>(runs).subspan(0, 480)})
          .ok());
  ASSERT_TRUE(
      writer
          ->Write(400, levels.data() + 600, nullptr,
                  ColumnValues{
                      values.data(), nullptr, 0, {}, std::span<const ValueRun>(runs).subspan(480)})
          .ok());
  Result<ColumnChunkOutput> output = writer->Finish();
  ASSERT_TRUE(output.ok()) << output.status().ToString();
  const ColumnMetaData& metadata = output->metadata;
  EXPECT_EQ(metadata.codec, CompressionCodec::kZstd);
  EXPECT_EQ(metadata.num_values, 1000);
  ASSERT_TRUE(HasDictionaryPage(*output));
  EXPECT_EQ(metadata.dictionary_page_offset, 0);
  EXPECT_EQ(metadata.data_page_offset, output->pages[0]->size());
  EXPECT_THAT(metadata.encodings,
              ElementsAre(Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary));
  EXPECT_EQ(metadata.statistics->null_count, 200);
  EXPECT_EQ(metadata.statistics->min_value, Bytes<int32_t>(-3));
  EXPECT_EQ(metadata.statistics->max_value, Bytes<int32_t>(3));

  const DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
  EXPECT_EQ(chunk.values, expected);
  EXPECT_EQ(chunk.definition_levels, levels);
  ASSERT_GT(chunk.pages.size(), 5u);
  EXPECT_EQ(chunk.pages[0].type, PageType::kDictionaryPage);
  int64_t page_nulls = 0;
  for (size_t i = 1; i < chunk.pages.size(); ++i) {
    EXPECT_EQ(chunk.pages[i].encoding, Encoding::kRleDictionary);
    EXPECT_LE(chunk.pages[i].num_levels, 50);
    page_nulls += *chunk.pages[i].statistics->null_count;
  }
  EXPECT_EQ(page_nulls, 200);
  ASSERT_TRUE(metadata.encoding_stats.has_value());
  EXPECT_THAT(*metadata.encoding_stats,
              ElementsAre(PageEncodingStats{PageType::kDictionaryPage, Encoding::kPlain, 1},
                          PageEncodingStats{PageType::kDataPage, Encoding::kRleDictionary,
                                            static_cast<int32_t>(chunk.pages.size() - 1)}));
}

// Byte-array page bounds come from the dictionary entries a page uses; pages that miss the
// chunk's least or greatest entry must still get their own bounds.
TEST(ColumnChunkWriterTest, DictionaryPagesGetTheBoundsOfTheirOwnValues) {
  const SchemaDescriptor schema =
      MakeSchema(PhysicalType::kByteArray, FieldRepetitionType::kRequired, false, 0, StringType{});
  auto codec = Codec(codec::CodecType::kUncompressed);
  ColumnChunkWriterOptions options;
  options.page_rows = 50;
  auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), options);
  std::mt19937 random(11);
  ByteArraySink sink;
  std::vector<std::string> expected;
  for (int row = 0; row < 1500; ++row) {
    // Page p draws from entries [p % 20, p % 20 + 8) of 28, in no order.
    const int page = row / 50;
    const int entry = page % 20 + static_cast<int>(random() % 8);
    expected.push_back("key-" + std::to_string(100 + entry));
    ASSERT_TRUE(sink.Append(expected.back()).ok());
  }
  const ValueRun runs[] = {{0, 1500}};
  ColumnValues source;
  source.byte_arrays = sink.View();
  source.runs = runs;
  ASSERT_TRUE(writer->Write(1500, nullptr, nullptr, source).ok());
  Result<ColumnChunkOutput> output = writer->Finish();
  ASSERT_TRUE(output.ok()) << output.status().ToString();
  const DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
  ASSERT_EQ(chunk.values, expected);
  size_t first = 0;
  int data_pages = 0;
  for (const DecodedPage& page : chunk.pages) {
    if (page.type == PageType::kDictionaryPage) continue;
    ++data_pages;
    EXPECT_EQ(page.encoding, Encoding::kRleDictionary);
    const auto begin = expected.begin() + static_cast<std::ptrdiff_t>(first);
    const auto end = begin + page.num_levels;
    ASSERT_TRUE(page.statistics.has_value());
    EXPECT_EQ(page.statistics->min_value, *std::min_element(begin, end)) << "page at " << first;
    EXPECT_EQ(page.statistics->max_value, *std::max_element(begin, end)) << "page at " << first;
    first += static_cast<size_t>(page.num_levels);
  }
  EXPECT_EQ(data_pages, 30);
}

TEST(ColumnChunkWriterTest, FallsBackToPlainWhenTheDictionaryGrowsTooLarge) {
  const SchemaDescriptor schema =
      MakeSchema(PhysicalType::kByteArray, FieldRepetitionType::kRequired, false, 0, StringType{});
  auto codec = Codec(codec::CodecType::kSnappy);
  ColumnChunkWriterOptions options;
  options.page_bytes = 256;
  options.write_batch_levels = 30;
  options.dictionary_page_bytes_limit = 1000;
  auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), options);
  // Each value three times in a row, so the first page shows the dictionary paying off.
  ByteArraySink sink;
  std::vector<std::string> expected;
  for (int i = 0; i < 900; ++i) {
    expected.push_back("value-" + std::to_string(i / 3));
    ASSERT_TRUE(sink.Append(expected.back()).ok());
  }
  const ValueRun runs[] = {{0, 900}};
  ColumnValues source;
  source.byte_arrays = sink.View();
  source.runs = runs;
  ASSERT_TRUE(writer->Write(900, nullptr, nullptr, source).ok());
  Result<ColumnChunkOutput> output = writer->Finish();
  ASSERT_TRUE(output.ok()) << output.status().ToString();
  const DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
  EXPECT_EQ(chunk.values, expected);
  std::map<Encoding, int> pages_by_encoding;
  bool plain_seen = false;
  for (size_t i = 1; i < chunk.pages.size(); ++i) {
    ++pages_by_encoding[chunk.pages[i].encoding];
    // Once a chunk falls back it stays PLAIN.
    if (plain_seen) {
      EXPECT_EQ(chunk.pages[i].encoding, Encoding::kPlain);
    }
    plain_seen |= chunk.pages[i].encoding == Encoding::kPlain;
  }
  EXPECT_GT(pages_by_encoding[Encoding::kRleDictionary], 0);
  EXPECT_GT(pages_by_encoding[Encoding::kPlain], 0);
  const ColumnMetaData& metadata = output->metadata;
  EXPECT_THAT(metadata.encodings,
              ElementsAre(Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary));
  EXPECT_THAT(*metadata.encoding_stats,
              ElementsAre(PageEncodingStats{PageType::kDictionaryPage, Encoding::kPlain, 1},
                          PageEncodingStats{PageType::kDataPage, Encoding::kRleDictionary,
                                            pages_by_encoding[Encoding::kRleDictionary]},
                          PageEncodingStats{PageType::kDataPage, Encoding::kPlain,
                                            pages_by_encoding[Encoding::kPlain]}));
  EXPECT_EQ(metadata.statistics->min_value, "value-0");
  EXPECT_EQ(metadata.statistics->max_value, "value-99");

  // The next chunk starts with a dictionary again.
  const ValueRun first_values[] = {{0, 30}};
  source.runs = first_values;
  ASSERT_TRUE(writer->Write(30, nullptr, nullptr, source).ok());
  Result<ColumnChunkOutput> next = writer->Finish();
  ASSERT_TRUE(next.ok());
  EXPECT_TRUE(HasDictionaryPage(*next));
  EXPECT_EQ(DecodeChunk(*next, schema.column(0)).values,
            std::vector<std::string>(expected.begin(), expected.begin() + 30));
}

// String values put through the dictionary are counted in the statistics by their entries.
// Every page's min and max must still be those of its own values: pages that repeat entries of
// earlier pages, pages after the dictionary grew too large, and a first page whose dictionary
// is dropped partway (its earlier values re-encoded PLAIN).
TEST(ColumnChunkWriterTest, StringPageStatisticsAreThoseOfEachPagesValues) {
  const SchemaDescriptor schema =
      MakeSchema(PhysicalType::kByteArray, FieldRepetitionType::kRequired, false, 0, StringType{});
  auto codec = Codec(codec::CodecType::kUncompressed);
  struct Case {
    int64_t page_bytes;
    int64_t dictionary_limit;
    std::function<std::string(int)> value_of;
    int count;
  };
  std::mt19937 random(11);
  std::vector<std::string> pool;
  for (int i = 0; i < 300; ++i) pool.push_back("v" + std::to_string(random() % 100000));
  const Case cases[] = {
      // Repeated entries in random order over many pages; the dictionary outgrows its limit.
      {400, 1500, [&](int) { return pool[random() % pool.size()]; }, 3000},
      // Unique values: the first page drops its dictionary after 16,384 values.
      {8 << 20, 1 << 20, [](int i) { return "order-" + std::to_string((i * 7919) % 50021); },
       20000},
  };
  for (const Case& c : cases) {
    ColumnChunkWriterOptions options;
    options.page_bytes = c.page_bytes;
    options.dictionary_page_bytes_limit = c.dictionary_limit;
    options.write_batch_levels = 50;
    auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), options);
    ByteArraySink sink;
    std::vector<std::string> values;
    for (int i = 0; i < c.count; ++i) {
      values.push_back(c.value_of(i));
      ASSERT_TRUE(sink.Append(values.back()).ok());
    }
    const ValueRun runs[] = {{0, c.count}};
    ColumnValues source;
    source.byte_arrays = sink.View();
    source.runs = runs;
    ASSERT_TRUE(writer->Write(c.count, nullptr, nullptr, source).ok());
    Result<ColumnChunkOutput> output = writer->Finish();
    ASSERT_TRUE(output.ok()) << output.status().ToString();
    const DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
    ASSERT_EQ(chunk.values, values);
    size_t first = 0;
    int data_pages = 0;
    for (const DecodedPage& page : chunk.pages) {
      if (page.type == PageType::kDictionaryPage) continue;
      ++data_pages;
      const auto begin = values.begin() + static_cast<std::ptrdiff_t>(first);
      const auto end = begin + page.num_levels;
      ASSERT_TRUE(page.statistics.has_value());
      EXPECT_EQ(page.statistics->min_value, *std::min_element(begin, end)) << "page at " << first;
      EXPECT_EQ(page.statistics->max_value, *std::max_element(begin, end)) << "page at " << first;
      first += static_cast<size_t>(page.num_levels);
    }
    EXPECT_EQ(first, values.size());
    EXPECT_GT(data_pages, c.page_bytes < 1000 ? 3 : 0);
    EXPECT_EQ(output->metadata.statistics->min_value,
              *std::min_element(values.begin(), values.end()));
    EXPECT_EQ(output->metadata.statistics->max_value,
              *std::max_element(values.begin(), values.end()));
  }
}

TEST(ColumnChunkWriterTest, FinishedChunksStatisticsCoverEveryChunkUntruncated) {
  const SchemaDescriptor schema =
      MakeSchema(PhysicalType::kByteArray, FieldRepetitionType::kOptional, false, 0, StringType{});
  auto codec = Codec(codec::CodecType::kUncompressed);
  ColumnChunkWriterOptions options;
  options.statistics_truncate_length = 8;
  options.write_statistics = false;  // The footer gets none; the writer still keeps them.
  auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), options);
  EXPECT_EQ(writer->FinishedChunksStatistics().null_count, 0);
  EXPECT_FALSE(writer->FinishedChunksStatistics().min_value.has_value());
  const std::string low = "apple pie with a long description";
  const std::string high = "zucchini bread, longer than eight bytes";
  // Chunk 1: "m", null, `high`; chunk 2: null, null, `low`. Only the chunks finished count.
  const std::vector<std::vector<std::optional<std::string>>> chunks = {
      {"m", std::nullopt, high}, {std::nullopt, std::nullopt, low}};
  for (size_t c = 0; c < chunks.size(); ++c) {
    ByteArraySink sink;
    std::vector<int16_t> levels;
    for (const auto& value : chunks[c]) {
      levels.push_back(value ? 1 : 0);
      if (value) {
        ASSERT_TRUE(sink.Append(*value).ok());
      }
    }
    const ValueRun runs[] = {{0, sink.length()}};
    ColumnValues source;
    source.byte_arrays = sink.View();
    source.runs = runs;
    ASSERT_TRUE(
        writer->Write(static_cast<int64_t>(levels.size()), levels.data(), nullptr, source).ok());
    const Statistics before = writer->FinishedChunksStatistics();
    EXPECT_EQ(before.null_count, c == 0 ? 0 : 1);
    ASSERT_TRUE(writer->Finish().ok());
  }
  const Statistics statistics = writer->FinishedChunksStatistics();
  EXPECT_EQ(statistics.null_count, 3);
  EXPECT_EQ(statistics.min_value, low);
  EXPECT_EQ(statistics.max_value, high);
}

TEST(ColumnChunkWriterTest, DropsADictionaryThatDoesNotPayOff) {
  const SchemaDescriptor schema = MakeSchema(PhysicalType::kInt64, FieldRepetitionType::kRequired);
  auto codec = Codec(codec::CodecType::kUncompressed);
  ColumnChunkWriterOptions options;
  options.page_bytes = 512;
  auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), options);
  std::vector<int64_t> values(500);
  std::vector<std::string> expected;
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = static_cast<int64_t>(i) * 1000003;
    expected.push_back(Bytes(values[i]));
  }
  const ValueRun runs[] = {{0, 500}};
  ASSERT_TRUE(
      writer->Write(500, nullptr, nullptr, ColumnValues{values.data(), nullptr, 0, {}, runs}).ok());
  Result<ColumnChunkOutput> output = writer->Finish();
  ASSERT_TRUE(output.ok()) << output.status().ToString();
  EXPECT_FALSE(HasDictionaryPage(*output));
  EXPECT_FALSE(output->metadata.dictionary_page_offset.has_value());
  EXPECT_THAT(output->metadata.encodings, ElementsAre(Encoding::kPlain, Encoding::kRle));
  const DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
  EXPECT_EQ(chunk.values, expected);
  for (const DecodedPage& page : chunk.pages) EXPECT_EQ(page.encoding, Encoding::kPlain);

  // A new chunk tries the dictionary again, and keeps it for repetitive values.
  std::vector<int64_t> repetitive(500, 42);
  ASSERT_TRUE(
      writer->Write(500, nullptr, nullptr, ColumnValues{repetitive.data(), nullptr, 0, {}, runs})
          .ok());
  Result<ColumnChunkOutput> second = writer->Finish();
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(HasDictionaryPage(*second));
  EXPECT_EQ(second->metadata.num_values, 500);
}

// A unique column loses its dictionary partway through its first page (probed after 16,384
// values): the values before the switch, re-encoded PLAIN, and those after it read back in
// order. A column whose first values repeat enough keeps its dictionary.
TEST(ColumnChunkWriterTest, DropsTheDictionaryOfAUniqueColumnEarly) {
  const SchemaDescriptor schema =
      MakeSchema(PhysicalType::kByteArray, FieldRepetitionType::kOptional, false, 0, StringType{});
  auto codec = Codec(codec::CodecType::kUncompressed);
  ColumnChunkWriterOptions options;
  options.page_bytes = 8 << 20;  // One page for the whole chunk.
  options.page_rows = 1 << 20;
  options.write_batch_levels = 5000;
  auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), options);

  // Every tenth value null; the source holds a value at every position, runs pick the others.
  const auto write = [&](const std::function<std::string(int)>& value_of, int count,
                         std::vector<std::string>* expected) {
    ByteArraySink sink;
    std::vector<int16_t> levels;
    std::vector<ValueRun> runs;
    for (int i = 0; i < count; ++i) {
      const bool present = i % 10 != 7;
      levels.push_back(present ? 1 : 0);
      EXPECT_TRUE(sink.Append(present ? value_of(i) : std::string()).ok());
      if (!present) continue;
      expected->push_back(value_of(i));
      if (!runs.empty() && runs.back().offset + runs.back().length == i) {
        ++runs.back().length;
      } else {
        runs.push_back({i, 1});
      }
    }
    ColumnValues source;
    source.byte_arrays = sink.View();
    source.runs = runs;
    return writer->Write(count, levels.data(), nullptr, source);
  };

  std::vector<std::string> unique;
  ASSERT_TRUE(
      write([](int i) { return "order-" + std::to_string(i * 7919); }, 40000, &unique).ok());
  Result<ColumnChunkOutput> output = writer->Finish();
  ASSERT_TRUE(output.ok()) << output.status().ToString();
  EXPECT_FALSE(HasDictionaryPage(*output));
  DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
  EXPECT_EQ(chunk.values, unique);
  ASSERT_EQ(chunk.pages.size(), 1u);
  EXPECT_EQ(chunk.pages[0].encoding, Encoding::kPlain);
  EXPECT_EQ(output->metadata.statistics->null_count, 4000);

  // 3,000 distinct values drawn at random: of the first 16,384 values about 2,990 are new.
  std::vector<std::string> repeating;
  std::mt19937 random(7);
  std::vector<int> draws(40000);
  for (int& draw : draws) draw = static_cast<int>(random() % 3000);
  ASSERT_TRUE(
      write([&](int i) { return "customer-" + std::to_string(draws[static_cast<size_t>(i)]); },
            40000, &repeating)
          .ok());
  Result<ColumnChunkOutput> second = writer->Finish();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(HasDictionaryPage(*second));
  chunk = DecodeChunk(*second, schema.column(0));
  EXPECT_EQ(chunk.values, repeating);
}

// Levels of an optional list of optional int32 (max definition 3, max repetition 1).
struct ListColumn {
  std::vector<int16_t> definition;
  std::vector<int16_t> repetition;
  std::vector<int32_t> values;
  int64_t rows = 0;
};

ListColumn MakeListColumn(int rows) {
  ListColumn column;
  for (int row = 0; row < rows; ++row) {
    const int kind = row % 6;
    if (kind == 0) {  // null list
      column.definition.push_back(0);
      column.repetition.push_back(0);
    } else if (kind == 1) {  // empty list
      column.definition.push_back(1);
      column.repetition.push_back(0);
    } else {
      for (int k = 0; k < kind * 3; ++k) {
        const bool null_element = (row + k) % 4 == 0;
        column.definition.push_back(null_element ? 2 : 3);
        column.repetition.push_back(k == 0 ? 0 : 1);
        if (!null_element) column.values.push_back(row * 100 + k);
      }
    }
  }
  column.rows = rows;
  return column;
}

TEST(ColumnChunkWriterTest, PagesStartAtRecordBoundaries) {
  const SchemaDescriptor schema =
      MakeSchema(PhysicalType::kInt32, FieldRepetitionType::kOptional, /*in_list=*/true);
  ASSERT_EQ(schema.column(0).max_definition_level, 3);
  ASSERT_EQ(schema.column(0).max_repetition_level, 1);
  for (DataPageVersion version : {DataPageVersion::kV1, DataPageVersion::kV2}) {
    auto codec = Codec(codec::CodecType::kGzip);
    ColumnChunkWriterOptions options;
    options.page_bytes = 100;
    options.write_batch_levels = 7;
    options.data_page_version = version;
    options.dictionary = version == DataPageVersion::kV1;
    auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), options);
    const ListColumn column = MakeListColumn(300);
    const ValueRun runs[] = {{0, static_cast<int64_t>(column.values.size())}};
    ASSERT_TRUE(writer
                    ->Write(static_cast<int64_t>(column.definition.size()),
                            column.definition.data(), column.repetition.data(),
                            ColumnValues{column.values.data(), nullptr, 0, {}, runs})
                    .ok());
    EXPECT_EQ(writer->num_rows(), 300);
    Result<ColumnChunkOutput> output = writer->Finish();
    ASSERT_TRUE(output.ok()) << output.status().ToString();
    const DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
    EXPECT_EQ(chunk.definition_levels, column.definition);
    EXPECT_EQ(chunk.repetition_levels, column.repetition);
    std::vector<std::string> expected;
    for (int32_t value : column.values) expected.push_back(Bytes(value));
    EXPECT_EQ(chunk.values, expected);
    int64_t rows = 0;
    int data_pages = 0;
    for (const DecodedPage& page : chunk.pages) {
      if (page.type == PageType::kDictionaryPage) continue;
      ++data_pages;
      EXPECT_EQ(page.first_repetition_level, 0);
      EXPECT_EQ(page.type,
                version == DataPageVersion::kV2 ? PageType::kDataPageV2 : PageType::kDataPage);
      rows += page.v2_num_rows;
    }
    EXPECT_GT(data_pages, 10);
    if (version == DataPageVersion::kV2) {
      EXPECT_EQ(rows, 300);
    }
    // Nulls counted per level: null lists, empty lists and null elements.
    int64_t nulls = 0;
    for (int16_t level : column.definition) nulls += level < 3;
    EXPECT_EQ(output->metadata.statistics->null_count, nulls);
    EXPECT_EQ(output->metadata.num_values, static_cast<int64_t>(column.definition.size()));
  }
}

TEST(ColumnChunkWriterTest, FlatOptionalLevelsComeFromTheValidityBitmap) {
  const SchemaDescriptor schema = MakeSchema(PhysicalType::kInt64, FieldRepetitionType::kOptional);
  for (DataPageVersion version : {DataPageVersion::kV1, DataPageVersion::kV2}) {
    auto codec = Codec(codec::CodecType::kSnappy);
    ColumnChunkWriterOptions options;
    options.data_page_version = version;
    options.page_bytes = 200;
    options.write_batch_levels = 100;
    auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), options);
    // 700 values with long valid and null stretches and scattered nulls; the bitmap starts at
    // bit 3.
    std::vector<uint8_t> bits((700 + 3 + 7) / 8, 0);
    std::vector<int64_t> values(703);
    std::vector<int16_t> expected_levels;
    std::vector<std::string> expected_values;
    std::vector<ValueRun> runs;
    for (int i = 0; i < 700; ++i) {
      const bool valid = (i / 90) % 4 != 2 && i % 13 != 0;
      values[static_cast<size_t>(i + 3)] = i * 7;
      expected_levels.push_back(valid ? 1 : 0);
      if (!valid) continue;
      bit_util::SetBit(bits.data(), i + 3);
      expected_values.push_back(Bytes<int64_t>(i * 7));
      runs.push_back({i + 3, 1});
    }
    // Two calls, the second starting in the middle of a bit-packed group.
    const std::span<const ValueRun> all_runs(runs);
    size_t first_runs = 0;
    while (first_runs < runs.size() && runs[first_runs].offset < 3 + 301) ++first_runs;
    ASSERT_TRUE(
        writer
            ->WriteFlatOptional(
                301, bits.data(), 3,
                ColumnValues{values.data(), nullptr, 0, {}, all_runs.subspan(0, first_runs)})
            .ok());
    ASSERT_TRUE(writer
                    ->WriteFlatOptional(
                        399, bits.data(), 3 + 301,
                        ColumnValues{values.data(), nullptr, 0, {}, all_runs.subspan(first_runs)})
                    .ok());
    // A batch with levels as values goes to the same page stream.
    const int16_t more_levels[] = {1, 0, 1};
    const int64_t more_values[] = {-1, -2};
    const ValueRun more_runs[] = {{0, 2}};
    ASSERT_TRUE(
        writer->Write(3, more_levels, nullptr, ColumnValues{more_values, nullptr, 0, {}, more_runs})
            .ok());
    // Without a bitmap every level is 1.
    const ValueRun dense_runs[] = {{3, 20}};
    ASSERT_TRUE(writer
                    ->WriteFlatOptional(20, nullptr, 0,
                                        ColumnValues{values.data(), nullptr, 0, {}, dense_runs})
                    .ok());
    expected_levels.insert(expected_levels.end(), {1, 0, 1});
    expected_values.push_back(Bytes<int64_t>(-1));
    expected_values.push_back(Bytes<int64_t>(-2));
    for (int i = 0; i < 20; ++i) {
      expected_levels.push_back(1);
      expected_values.push_back(Bytes<int64_t>(i * 7));
    }
    Result<ColumnChunkOutput> output = writer->Finish();
    ASSERT_TRUE(output.ok()) << output.status().ToString();
    const DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
    EXPECT_EQ(chunk.definition_levels, expected_levels);
    EXPECT_EQ(chunk.values, expected_values);
    EXPECT_GT(chunk.pages.size(), 3u);
    int64_t nulls = 0;
    for (int16_t level : expected_levels) nulls += level == 0;
    EXPECT_EQ(output->metadata.statistics->null_count, nulls);
  }
  // Only flat optional columns take levels from a bitmap.
  const SchemaDescriptor required =
      MakeSchema(PhysicalType::kInt64, FieldRepetitionType::kRequired);
  auto codec = Codec(codec::CodecType::kUncompressed);
  auto writer = *ColumnChunkWriter::Make(required.column(0), codec.get(), {});
  EXPECT_FALSE(writer->WriteFlatOptional(0, nullptr, 0, {}).ok());
}

TEST(ColumnChunkWriterTest, WritesBooleansPlainFromABitmap) {
  const SchemaDescriptor schema =
      MakeSchema(PhysicalType::kBoolean, FieldRepetitionType::kRequired);
  auto codec = Codec(codec::CodecType::kLz4Raw);
  auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), {});
  const uint8_t bits[] = {0b10110100, 0b00000001};
  const ValueRun runs[] = {{2, 7}};
  ColumnValues source;
  source.bitmap = bits;
  source.bitmap_offset = 1;  // Values 3..9 of the bitmap.
  source.runs = runs;
  ASSERT_TRUE(writer->Write(7, nullptr, nullptr, source).ok());
  Result<ColumnChunkOutput> output = writer->Finish();
  ASSERT_TRUE(output.ok());
  EXPECT_FALSE(HasDictionaryPage(*output));
  const DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
  std::vector<std::string> expected;
  for (int i = 3; i < 10; ++i)
    expected.emplace_back(1, static_cast<char>((bits[i / 8] >> (i % 8)) & 1));
  EXPECT_EQ(chunk.values, expected);
  EXPECT_EQ(output->metadata.statistics->min_value, std::string(1, '\0'));
  EXPECT_EQ(output->metadata.statistics->max_value, std::string(1, '\1'));
}

TEST(ColumnChunkWriterTest, DecimalBytesUseSignedStatistics) {
  const SchemaDescriptor schema =
      MakeSchema(PhysicalType::kFixedLenByteArray, FieldRepetitionType::kRequired, false, 2,
                 DecimalType{0, 4});
  auto codec = Codec(codec::CodecType::kUncompressed);
  auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), {});
  const uint8_t values[] = {0x00, 0x05, 0xFF, 0xFE, 0x01, 0x00, 0xFF, 0xFE};  // 5, -2, 256, -2
  const ValueRun runs[] = {{0, 4}};
  ColumnValues source;
  source.fixed = values;
  source.runs = runs;
  ASSERT_TRUE(writer->Write(4, nullptr, nullptr, source).ok());
  Result<ColumnChunkOutput> output = writer->Finish();
  ASSERT_TRUE(output.ok());
  const Statistics& statistics = *output->metadata.statistics;
  EXPECT_EQ(statistics.min_value, std::string("\xFF\xFE", 2));
  EXPECT_EQ(statistics.max_value, std::string("\x01\x00", 2));
  EXPECT_FALSE(statistics.min.has_value());
  const DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
  EXPECT_THAT(chunk.values, ElementsAre(std::string("\x00\x05", 2), std::string("\xFF\xFE", 2),
                                        std::string("\x01\x00", 2), std::string("\xFF\xFE", 2)));
}

TEST(ColumnChunkWriterTest, FloatStatisticsSkipNan) {
  const SchemaDescriptor schema = MakeSchema(PhysicalType::kDouble, FieldRepetitionType::kRequired);
  auto codec = Codec(codec::CodecType::kUncompressed);
  ColumnChunkWriterOptions options;
  options.page_bytes = 8;  // One mini-batch per page.
  options.write_batch_levels = 2;
  auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), options);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> values = {nan, nan, 1.5, nan, -0.0, 0.0};
  const ValueRun runs[] = {{0, 6}};
  ASSERT_TRUE(
      writer->Write(6, nullptr, nullptr, ColumnValues{values.data(), nullptr, 0, {}, runs}).ok());
  Result<ColumnChunkOutput> output = writer->Finish();
  ASSERT_TRUE(output.ok());
  const DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
  std::vector<const DecodedPage*> data_pages;
  for (const DecodedPage& page : chunk.pages) {
    if (page.type != PageType::kDictionaryPage) data_pages.push_back(&page);
  }
  ASSERT_EQ(data_pages.size(), 3u);
  // A page of only NaNs has a null count but no bounds.
  EXPECT_FALSE(data_pages[0]->statistics->min_value.has_value());
  EXPECT_EQ(data_pages[0]->statistics->null_count, 0);
  EXPECT_EQ(data_pages[1]->statistics->min_value, Bytes(1.5));
  EXPECT_EQ(data_pages[2]->statistics->min_value, Bytes(-0.0));
  EXPECT_EQ(data_pages[2]->statistics->max_value, Bytes(0.0));
  EXPECT_EQ(output->metadata.statistics->min_value, Bytes(-0.0));
  EXPECT_EQ(output->metadata.statistics->max_value, Bytes(1.5));
  ASSERT_EQ(chunk.values.size(), 6u);
  EXPECT_EQ(chunk.values[4], Bytes(-0.0));
}

TEST(ColumnChunkWriterTest, OptionsTurnOffChecksumsAndStatistics) {
  const SchemaDescriptor schema = MakeSchema(PhysicalType::kInt32, FieldRepetitionType::kRequired);
  auto codec = Codec(codec::CodecType::kUncompressed);
  ColumnChunkWriterOptions options;
  options.page_checksums = false;
  options.write_statistics = false;
  auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), options);
  const int32_t values[] = {1, 2, 3};
  const ValueRun runs[] = {{0, 3}};
  ASSERT_TRUE(writer->Write(3, nullptr, nullptr, ColumnValues{values, nullptr, 0, {}, runs}).ok());
  Result<ColumnChunkOutput> output = writer->Finish();
  ASSERT_TRUE(output.ok());
  EXPECT_FALSE(output->metadata.statistics.has_value());
  const DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
  for (const DecodedPage& page : chunk.pages) {
    EXPECT_FALSE(page.crc.has_value());
    EXPECT_FALSE(page.statistics.has_value());
  }
}

TEST(ColumnChunkWriterTest, RejectsValuesThatDisagreeWithLevels) {
  const SchemaDescriptor schema = MakeSchema(PhysicalType::kInt32, FieldRepetitionType::kOptional);
  auto codec = Codec(codec::CodecType::kUncompressed);
  const int32_t values[] = {1, 2, 3};
  const int16_t levels[] = {1, 0, 1};
  {
    auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), {});
    const ValueRun too_few[] = {{0, 1}};
    EXPECT_FALSE(
        writer->Write(3, levels, nullptr, ColumnValues{values, nullptr, 0, {}, too_few}).ok());
  }
  {
    auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), {});
    const ValueRun too_many[] = {{0, 3}};
    EXPECT_FALSE(
        writer->Write(3, levels, nullptr, ColumnValues{values, nullptr, 0, {}, too_many}).ok());
  }
  {
    auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), {});
    const int16_t bad_levels[] = {1, 2, 1};
    const ValueRun runs[] = {{0, 2}};
    EXPECT_FALSE(
        writer->Write(3, bad_levels, nullptr, ColumnValues{values, nullptr, 0, {}, runs}).ok());
  }
  {
    // A missing value source is a bug in the caller, not a crash.
    auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), {});
    const ValueRun runs[] = {{0, 2}};
    ColumnValues empty;
    empty.runs = runs;
    EXPECT_FALSE(writer->Write(3, levels, nullptr, empty).ok());
  }
  const SchemaDescriptor list_schema =
      MakeSchema(PhysicalType::kInt32, FieldRepetitionType::kOptional, /*in_list=*/true);
  auto writer = *ColumnChunkWriter::Make(list_schema.column(0), codec.get(), {});
  const int16_t definition[] = {3, 3};
  const int16_t repetition[] = {1, 0};  // Starts inside a record.
  const ValueRun runs[] = {{0, 2}};
  EXPECT_FALSE(
      writer->Write(2, definition, repetition, ColumnValues{values, nullptr, 0, {}, runs}).ok());
}

TEST(ColumnChunkWriterTest, PagesHoldAtMostPageRowsRecords) {
  const SchemaDescriptor schema = MakeSchema(PhysicalType::kInt32, FieldRepetitionType::kOptional);
  auto codec = Codec(codec::CodecType::kUncompressed);
  ColumnChunkWriterOptions options;
  options.page_rows = 1000;
  auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), options);
  std::vector<int32_t> values(2500);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<int32_t>(i);
  const ValueRun run{0, 2500};
  ColumnValues source;
  source.fixed = values.data();
  source.runs = std::span<const ValueRun>(&run, 1);
  ASSERT_TRUE(writer->WriteFlatOptional(2500, nullptr, 0, source).ok());
  Result<ColumnChunkOutput> output = writer->Finish();
  ASSERT_TRUE(output.ok());
  const DecodedChunk chunk = DecodeChunk(*output, schema.column(0));
  ASSERT_EQ(chunk.pages.size(), 3u);
  EXPECT_EQ(chunk.pages[0].num_levels, 1000);
  EXPECT_EQ(chunk.pages[1].num_levels, 1000);
  EXPECT_EQ(chunk.pages[2].num_levels, 500);
  options.page_rows = 0;
  EXPECT_TRUE(ColumnChunkWriter::Make(schema.column(0), codec.get(), options).status().IsInvalid());
}

// A stored page of dictionary indices needs the dictionary it was written over, and no PLAIN
// page before it in the chunk; any page needs the writer's codec and page version.
TEST(ColumnChunkWriterTest, StoredPagesNeedTheirDictionaryCodecAndOrder) {
  const SchemaDescriptor schema = MakeSchema(PhysicalType::kInt32, FieldRepetitionType::kRequired);
  auto codec = Codec(codec::CodecType::kZstd);
  auto writer = *ColumnChunkWriter::Make(schema.column(0), codec.get(), {});
  const std::vector<uint8_t> bytes(16, 0);
  StoredDataPage indices;
  indices.bytes = bytes;
  indices.encoding = Encoding::kRleDictionary;
  indices.codec = CompressionCodec::kZstd;
  indices.num_levels = 100;
  indices.uncompressed_size = 40;
  EXPECT_FALSE(writer->CanAppendStoredPage(indices));  // No dictionary yet.

  ColumnDictionary repeated;
  repeated.size = 3;
  for (int32_t entry : {5, 6, 5}) repeated.fixed.AppendValue<int32_t>(entry);
  EXPECT_FALSE(writer->SeedDictionary(repeated));
  ColumnDictionary distinct;
  distinct.size = 3;
  for (int32_t entry : {5, 6, 7}) distinct.fixed.AppendValue<int32_t>(entry);
  ASSERT_TRUE(writer->SeedDictionary(distinct));
  EXPECT_FALSE(writer->SeedDictionary(distinct));  // Only once per chunk.
  EXPECT_TRUE(writer->CanAppendStoredPage(indices));

  StoredDataPage other = indices;
  other.codec = CompressionCodec::kSnappy;
  EXPECT_FALSE(writer->CanAppendStoredPage(other));
  other = indices;
  other.type = PageType::kDataPageV2;
  EXPECT_FALSE(writer->CanAppendStoredPage(other));
  other = indices;
  other.encoding = Encoding::kDeltaBinaryPacked;
  EXPECT_FALSE(writer->CanAppendStoredPage(other));

  ASSERT_TRUE(writer->AppendStoredPage(indices, 100).ok());
  StoredDataPage plain = indices;
  plain.encoding = Encoding::kPlain;
  ASSERT_TRUE(writer->AppendStoredPage(plain, 100).ok());
  // Indices after a PLAIN page would go back from PLAIN to the dictionary.
  EXPECT_FALSE(writer->CanAppendStoredPage(indices));
  EXPECT_TRUE(writer->AppendStoredPage(indices, 100).IsInternal());
  EXPECT_EQ(writer->num_rows(), 200);

  Result<ColumnChunkOutput> output = writer->Finish();
  ASSERT_TRUE(output.ok());
  // The dictionary page, then the two stored pages as they were.
  ASSERT_EQ(output->pages.size(), 3u);
  EXPECT_TRUE(std::equal(output->pages[1]->span().begin(), output->pages[1]->span().end(),
                         bytes.begin(), bytes.end()));
  EXPECT_EQ(output->metadata.num_values, 200);
  EXPECT_EQ(output->metadata.total_compressed_size,
            output->pages[0]->size() + 2 * static_cast<int64_t>(bytes.size()));
  EXPECT_THAT(output->metadata.encodings,
              ::testing::ElementsAre(Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary));
}

TEST(ColumnChunkWriterTest, RefusesInt96AndBadOptions) {
  const SchemaDescriptor schema = MakeSchema(PhysicalType::kInt96, FieldRepetitionType::kRequired);
  auto codec = Codec(codec::CodecType::kUncompressed);
  EXPECT_TRUE(ColumnChunkWriter::Make(schema.column(0), codec.get(), {}).status().IsInvalid());
  const SchemaDescriptor ints = MakeSchema(PhysicalType::kInt32, FieldRepetitionType::kRequired);
  ColumnChunkWriterOptions options;
  options.page_bytes = 0;
  EXPECT_TRUE(ColumnChunkWriter::Make(ints.column(0), codec.get(), options).status().IsInvalid());
  EXPECT_TRUE(ColumnChunkWriter::Make(ints.column(0), nullptr, {}).status().IsInvalid());
}

}  // namespace
}  // namespace arcflow::parquet
