#pragma once

// For tests only: builds small Parquet files page by page from explicit levels and encoded
// values, so that readers can be tested on exactly the layouts (page splits, encodings, level
// sequences, broken counts) other writers produce, without depending on arcflow's own writer.

#include <cstdint>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/base/buffer.h"
#include "arcflow/codec/codec.h"
#include "arcflow/codec/crc32.h"
#include "arcflow/parquet/column_chunk_reader.h"
#include "arcflow/parquet/file_metadata.h"
#include "arcflow/parquet/footer.h"
#include "arcflow/parquet/page_header.h"
#include "arcflow/parquet/rle_bit_packed_encoder.h"
#include "arcflow/parquet/schema_descriptor.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet::testing {

// PLAIN encodings of value lists.
template <typename T>
std::string Plain(std::initializer_list<T> values) {
  std::string out(values.size() * sizeof(T), '\0');
  size_t i = 0;
  for (const T& value : values) std::memcpy(out.data() + sizeof(T) * i++, &value, sizeof(T));
  return out;
}
inline std::string PlainByteArrays(std::initializer_list<std::string_view> values) {
  std::string out;
  for (std::string_view value : values) {
    const auto length = static_cast<uint32_t>(value.size());
    out.append(reinterpret_cast<const char*>(&length), 4);
    out.append(value);
  }
  return out;
}
inline std::string PlainBooleans(std::initializer_list<bool> values) {
  std::string out((values.size() + 7) / 8, '\0');
  size_t i = 0;
  for (bool value : values) {
    if (value) out[i / 8] = static_cast<char>(out[i / 8] | (1 << (i % 8)));
    ++i;
  }
  return out;
}
// RLE/bit-packed hybrid runs without a length prefix.
inline std::string Rle(int bit_width, const std::vector<int32_t>& values) {
  RleBitPackedEncoder encoder(bit_width);
  encoder.Put(values.data(), static_cast<int64_t>(values.size()));
  return std::string(encoder.Finish()->view());
}
// The values of an RLE_DICTIONARY page: the bit width byte, then the indices.
inline std::string DictionaryIndices(int bit_width, const std::vector<int32_t>& indices) {
  return std::string(1, static_cast<char>(bit_width)) + Rle(bit_width, indices);
}

struct TestPage {
  PageType type = PageType::kDataPage;
  std::vector<int16_t> definition_levels;
  std::vector<int16_t> repetition_levels;
  // The header's num_values; -1 means the number of levels (or, for dictionary pages and
  // columns without levels, `value_count`).
  int32_t num_values = -1;
  int32_t value_count = 0;
  std::string values;  // The encoded values section.
  Encoding encoding = Encoding::kPlain;
  bool with_crc = false;
  bool corrupt_crc = false;
};

struct TestColumnChunk {
  std::vector<TestPage> pages;
  codec::CodecType codec = codec::CodecType::kUncompressed;
  std::optional<Statistics> statistics;
  // Overrides the dictionary_page_offset written (e.g. 0, as old parquet-mr did).
  std::optional<int64_t> dictionary_page_offset_override;
};

inline TestColumnChunk Chunk(std::vector<TestPage> pages,
                             codec::CodecType codec = codec::CodecType::kUncompressed) {
  TestColumnChunk chunk;
  chunk.pages = std::move(pages);
  chunk.codec = codec;
  return chunk;
}

class TestFileBuilder {
 public:
  explicit TestFileBuilder(SchemaNode root)
      : schema_(SchemaDescriptor::FromRoot(root).ValueOrDie()), root_(std::move(root)) {
    metadata_.schema = FlattenSchema(root_).ValueOrDie();
    metadata_.created_by = "arcflow test_file_builder";
    file_.Append("PAR1");
  }

  const SchemaDescriptor& schema() const { return schema_; }

  // Appends a row group of `num_rows` rows with one chunk per leaf column, in column order.
  void AddRowGroup(int64_t num_rows, const std::vector<TestColumnChunk>& chunks) {
    RowGroup group;
    group.num_rows = num_rows;
    for (size_t i = 0; i < chunks.size(); ++i) {
      group.columns.push_back(WriteChunk(schema_.column(static_cast<int>(i)), chunks[i]));
      group.total_byte_size += group.columns.back().meta_data->total_uncompressed_size;
    }
    metadata_.num_rows += num_rows;
    metadata_.row_groups.push_back(std::move(group));
  }

  FileMetaData& metadata() { return metadata_; }

  std::string Finish() {
    std::string out(reinterpret_cast<const char*>(file_.data()), static_cast<size_t>(file_.size()));
    out.append(SerializeFooter(metadata_).ValueOrDie()->view());
    return out;
  }

  void WriteTo(const std::string& path) {
    const std::string bytes = Finish();
    std::ofstream stream(path, std::ios::binary | std::ios::trunc);
    stream.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

 private:
  static std::string Levels(const std::vector<int16_t>& levels, int16_t max_level) {
    RleBitPackedEncoder encoder(LevelBitWidth(max_level));
    encoder.Put(levels.data(), static_cast<int64_t>(levels.size()));
    return std::string(encoder.Finish()->view());
  }

  static std::string Compress(codec::CodecType type, std::string_view bytes) {
    if (type == codec::CodecType::kUncompressed) return std::string(bytes);
    auto codec = codec::MakeCodec(type).ValueOrDie();
    BufferBuilder out;
    auto status = codec->Compress(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
        &out);
    ARCFLOW_CHECK(status.ok(), status.ToString());
    return std::string(reinterpret_cast<const char*>(out.data()), static_cast<size_t>(out.size()));
  }

  ColumnChunk WriteChunk(const ColumnDescriptor& column, const TestColumnChunk& chunk) {
    ColumnMetaData meta;
    meta.type = column.physical_type;
    meta.path_in_schema = column.path;
    meta.codec = static_cast<CompressionCodec>(chunk.codec);
    const int64_t start = file_.size();
    bool data_page_seen = false;
    for (const TestPage& page : chunk.pages) {
      PageHeader header;
      header.type = page.type;
      std::string uncompressed;
      std::string stored;
      const int32_t levels = static_cast<int32_t>(
          std::max(page.definition_levels.size(), page.repetition_levels.size()));
      const int32_t num_values =
          page.num_values >= 0 ? page.num_values : (levels > 0 ? levels : page.value_count);
      if (page.type == PageType::kDictionaryPage) {
        DictionaryPageHeader dictionary;
        dictionary.num_values = num_values;
        dictionary.encoding = page.encoding;
        header.dictionary_page_header = dictionary;
        uncompressed = page.values;
        stored = Compress(chunk.codec, uncompressed);
        meta.dictionary_page_offset = file_.size();
      } else if (page.type == PageType::kDataPage) {
        DataPageHeader data;
        data.num_values = num_values;
        data.encoding = page.encoding;
        if (column.max_repetition_level > 0) {
          std::string rep = Levels(page.repetition_levels, column.max_repetition_level);
          const auto length = static_cast<uint32_t>(rep.size());
          uncompressed.append(reinterpret_cast<const char*>(&length), 4).append(rep);
        }
        if (column.max_definition_level > 0) {
          std::string def = Levels(page.definition_levels, column.max_definition_level);
          const auto length = static_cast<uint32_t>(def.size());
          uncompressed.append(reinterpret_cast<const char*>(&length), 4).append(def);
        }
        uncompressed.append(page.values);
        stored = Compress(chunk.codec, uncompressed);
        header.data_page_header = data;
      } else if (page.type == PageType::kDataPageV2) {
        DataPageHeaderV2 v2;
        v2.num_values = num_values;
        v2.num_rows = num_values;
        v2.encoding = page.encoding;
        std::string rep = column.max_repetition_level > 0
                              ? Levels(page.repetition_levels, column.max_repetition_level)
                              : "";
        std::string def = column.max_definition_level > 0
                              ? Levels(page.definition_levels, column.max_definition_level)
                              : "";
        int32_t nulls = 0;
        for (int16_t level : page.definition_levels) nulls += level < column.max_definition_level;
        v2.num_nulls = nulls;
        v2.repetition_levels_byte_length = static_cast<int32_t>(rep.size());
        v2.definition_levels_byte_length = static_cast<int32_t>(def.size());
        v2.is_compressed = chunk.codec != codec::CodecType::kUncompressed;
        uncompressed = rep + def + page.values;
        stored = rep + def + Compress(chunk.codec, page.values);
        header.data_page_header_v2 = v2;
      } else {
        uncompressed = page.values;
        stored = page.values;
      }
      if (page.type != PageType::kDictionaryPage && !data_page_seen) {
        meta.data_page_offset = file_.size();
        data_page_seen = true;
      }
      if (page.type == PageType::kDataPage || page.type == PageType::kDataPageV2) {
        meta.num_values += num_values;
      }
      header.uncompressed_page_size = static_cast<int32_t>(uncompressed.size());
      header.compressed_page_size = static_cast<int32_t>(stored.size());
      if (page.with_crc) {
        uint32_t crc = codec::Crc32(std::span<const uint8_t>(
            reinterpret_cast<const uint8_t*>(stored.data()), stored.size()));
        if (page.corrupt_crc) crc ^= 1;
        header.crc = static_cast<int32_t>(crc);
      }
      BufferBuilder header_bytes;
      EncodeThriftMessage(header, &header_bytes);
      file_.Append(header_bytes.data(), header_bytes.size());
      file_.Append(stored);
      meta.total_uncompressed_size +=
          header_bytes.size() + static_cast<int64_t>(uncompressed.size());
      if (std::find(meta.encodings.begin(), meta.encodings.end(), page.encoding) ==
          meta.encodings.end()) {
        meta.encodings.push_back(page.encoding);
      }
    }
    if (chunk.dictionary_page_offset_override.has_value()) {
      meta.dictionary_page_offset = *chunk.dictionary_page_offset_override;
    }
    meta.total_compressed_size = file_.size() - start;
    meta.statistics = chunk.statistics;
    ColumnChunk out;
    out.file_offset = start;
    out.meta_data = meta;
    return out;
  }

  SchemaDescriptor schema_;
  SchemaNode root_;
  FileMetaData metadata_;
  BufferBuilder file_;
};

// Schema tree helpers.
inline SchemaNode Leaf(std::string name, FieldRepetitionType repetition, PhysicalType type,
                       std::optional<LogicalType> logical = std::nullopt) {
  SchemaNode node;
  node.name = std::move(name);
  node.repetition = repetition;
  node.physical_type = type;
  node.logical_type = std::move(logical);
  return node;
}
inline SchemaNode Group(std::string name, std::optional<FieldRepetitionType> repetition,
                        std::vector<SchemaNode> children,
                        std::optional<LogicalType> logical = std::nullopt) {
  SchemaNode node;
  node.name = std::move(name);
  node.repetition = repetition;
  node.children = std::move(children);
  node.logical_type = std::move(logical);
  return node;
}
inline SchemaNode Root(std::vector<SchemaNode> children) {
  return Group("schema", std::nullopt, std::move(children));
}

constexpr auto kRequired = FieldRepetitionType::kRequired;
constexpr auto kOptional = FieldRepetitionType::kOptional;
constexpr auto kRepeated = FieldRepetitionType::kRepeated;

}  // namespace arcflow::parquet::testing
