#include "arcflow/parquet/footer.h"

#include <algorithm>
#include <limits>
#include <string>

namespace arcflow::parquet {
namespace {

constexpr int64_t kMinFileSize = 2 * kParquetMagicSize + 4;

std::string_view AsText(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::string HexBytes(std::span<const uint8_t> bytes) {
  std::string hex;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) hex += ' ';
    hex += fmt::format("{:02x}", bytes[i]);
  }
  return hex;
}

Status EncryptedFooterStatus() {
  return Status::NotImplemented(
      "parquet: encrypted files are not supported (file uses encrypted footer 'PARE')");
}

Status PlaintextFooterEncryptionStatus() {
  return Status::NotImplemented(
      "parquet: encrypted files are not supported (file has a plaintext footer with "
      "encryption_algorithm set)");
}

// Checks that [offset, offset + length) lies within [0, limit).
Status CheckRange(std::string_view what, int64_t offset, int64_t length, int64_t limit,
                  std::string_view where) {
  if (offset < 0 || length < 0 || offset > limit || length > limit - offset) {
    return Status::Corruption(
        "parquet: {} [{}, +{}) lies outside the column data before the footer (ends at {}) ({})",
        what, offset, length, limit, where);
  }
  return Status::OK();
}

Status CheckNonNegative(std::string_view what, int64_t value, std::string_view where) {
  if (value < 0) return Status::Corruption("parquet: {} is negative ({}) ({})", what, value, where);
  return Status::OK();
}

Status CheckColumnChunk(const ColumnChunk& chunk, const ColumnDescriptor& column, size_t row_group,
                        int64_t data_end) {
  std::string where = fmt::format("row group {}, column {} '{}'", row_group, column.column_index,
                                  column.dotted_path);
  if (chunk.crypto_metadata.has_value() || chunk.encrypted_column_metadata.has_value()) {
    return Status::NotImplemented(
        "parquet: encrypted files are not supported (column chunk is encrypted) ({})", where);
  }
  if (!chunk.meta_data.has_value()) {
    return Status::Corruption("parquet: column chunk has no ColumnMetaData ({})", where);
  }
  const ColumnMetaData& meta = *chunk.meta_data;
  if (meta.type != column.physical_type) {
    return Status::Corruption(
        "parquet: column chunk type {} differs from the schema's type {} ({})",
        PhysicalTypeName(meta.type), PhysicalTypeName(column.physical_type), where);
  }
  ARCFLOW_RETURN_NOT_OK(CheckNonNegative("num_values", meta.num_values, where));
  ARCFLOW_RETURN_NOT_OK(
      CheckNonNegative("total_compressed_size", meta.total_compressed_size, where));
  ARCFLOW_RETURN_NOT_OK(
      CheckNonNegative("total_uncompressed_size", meta.total_uncompressed_size, where));
  // Summary files point into other files, whose sizes are unknown here.
  if (chunk.file_path.has_value()) return Status::OK();

  // The chunk starts at its dictionary page when that comes first. Some old writers record
  // dictionary_page_offset 0 for chunks without a dictionary, which must not move the start.
  int64_t start = meta.data_page_offset;
  if (meta.dictionary_page_offset.has_value() && *meta.dictionary_page_offset > 0 &&
      *meta.dictionary_page_offset < start) {
    start = *meta.dictionary_page_offset;
  }
  ARCFLOW_RETURN_NOT_OK(
      CheckRange("column chunk data", start, meta.total_compressed_size, data_end, where));
  ARCFLOW_RETURN_NOT_OK(CheckRange("data page offset", meta.data_page_offset, 0, data_end, where));
  if (meta.dictionary_page_offset.has_value()) {
    ARCFLOW_RETURN_NOT_OK(
        CheckRange("dictionary page offset", *meta.dictionary_page_offset, 0, data_end, where));
  }
  if (meta.index_page_offset.has_value()) {
    ARCFLOW_RETURN_NOT_OK(
        CheckRange("index page offset", *meta.index_page_offset, 0, data_end, where));
  }
  if (meta.bloom_filter_offset.has_value()) {
    ARCFLOW_RETURN_NOT_OK(CheckRange("bloom filter", *meta.bloom_filter_offset,
                                     meta.bloom_filter_length.value_or(0), data_end, where));
  }
  if (chunk.column_index_offset.has_value()) {
    ARCFLOW_RETURN_NOT_OK(CheckRange("column index", *chunk.column_index_offset,
                                     chunk.column_index_length.value_or(0), data_end, where));
  }
  if (chunk.offset_index_offset.has_value()) {
    ARCFLOW_RETURN_NOT_OK(CheckRange("offset index", *chunk.offset_index_offset,
                                     chunk.offset_index_length.value_or(0), data_end, where));
  }
  return Status::OK();
}

Status CheckFileMetaData(const FileMetaData& metadata, const SchemaDescriptor& schema,
                         int64_t data_end) {
  if (metadata.encryption_algorithm.has_value()) return PlaintextFooterEncryptionStatus();
  ARCFLOW_RETURN_NOT_OK(CheckNonNegative("file num_rows", metadata.num_rows, "footer"));
  size_t num_columns = static_cast<size_t>(schema.num_columns());
  if (metadata.column_orders.has_value() && metadata.column_orders->size() != num_columns) {
    return Status::Corruption("parquet: footer has {} column orders for {} leaf columns",
                              metadata.column_orders->size(), num_columns);
  }
  for (size_t i = 0; i < metadata.row_groups.size(); ++i) {
    const RowGroup& row_group = metadata.row_groups[i];
    std::string where = fmt::format("row group {}", i);
    ARCFLOW_RETURN_NOT_OK(CheckNonNegative("num_rows", row_group.num_rows, where));
    ARCFLOW_RETURN_NOT_OK(CheckNonNegative("total_byte_size", row_group.total_byte_size, where));
    if (row_group.columns.size() != num_columns) {
      return Status::Corruption(
          "parquet: row group {} has {} column chunks but the schema has {} leaf columns", i,
          row_group.columns.size(), num_columns);
    }
    for (size_t j = 0; j < num_columns; ++j) {
      ARCFLOW_RETURN_NOT_OK(
          CheckColumnChunk(row_group.columns[j], schema.column(static_cast<int>(j)), i, data_end));
    }
  }
  return Status::OK();
}

}  // namespace

int64_t FooterReadSize(int64_t file_size) {
  return std::clamp<int64_t>(file_size, 0, kFooterTailSize);
}

Result<FooterTrailer> ParseFooterTrailer(std::span<const uint8_t> tail, int64_t file_size) {
  int64_t tail_size = static_cast<int64_t>(tail.size());
  if (file_size < 0 || tail_size > file_size) {
    return Status::Invalid("parquet: footer tail of {} bytes given for a file of {} bytes",
                           tail_size, file_size);
  }
  if (tail_size < kFooterTrailerSize) {
    if (tail_size == file_size) {
      return Status::Corruption("parquet: file of {} bytes is too small to be a Parquet file",
                                file_size);
    }
    return Status::Invalid("parquet: footer tail of {} bytes cannot hold the {}-byte trailer",
                           tail_size, kFooterTrailerSize);
  }
  std::span<const uint8_t> magic = tail.last(kParquetMagicSize);
  if (AsText(magic) == kEncryptedFooterMagic) return EncryptedFooterStatus();
  if (AsText(magic) != kParquetMagic) {
    return Status::Corruption("parquet: file does not end with the magic 'PAR1' (found {})",
                              HexBytes(magic));
  }
  if (file_size < kMinFileSize) {
    return Status::Corruption(
        "parquet: file of {} bytes is too small to hold the header and footer (minimum {})",
        file_size, kMinFileSize);
  }
  const uint8_t* length_bytes = tail.data() + tail.size() - kFooterTrailerSize;
  int64_t metadata_length = int64_t{length_bytes[0]} | int64_t{length_bytes[1]} << 8 |
                            int64_t{length_bytes[2]} << 16 | int64_t{length_bytes[3]} << 24;
  if (metadata_length == 0) return Status::Corruption("parquet: footer length is 0");
  if (metadata_length > file_size - kMinFileSize) {
    return Status::Corruption(
        "parquet: footer length {} does not fit in a file of {} bytes (at most {})",
        metadata_length, file_size, file_size - kMinFileSize);
  }
  FooterTrailer trailer;
  trailer.metadata_length = metadata_length;
  trailer.footer_size = metadata_length + kFooterTrailerSize;
  trailer.metadata_offset = file_size - trailer.footer_size;
  return trailer;
}

Result<int64_t> AdditionalFooterBytes(std::span<const uint8_t> tail, int64_t file_size) {
  ARCFLOW_ASSIGN_OR_RETURN(FooterTrailer trailer, ParseFooterTrailer(tail, file_size));
  return std::max<int64_t>(0, trailer.footer_size - static_cast<int64_t>(tail.size()));
}

Result<Footer> ParseFooter(std::span<const uint8_t> tail, int64_t file_size) {
  ARCFLOW_ASSIGN_OR_RETURN(FooterTrailer trailer, ParseFooterTrailer(tail, file_size));
  int64_t tail_size = static_cast<int64_t>(tail.size());
  if (tail_size < trailer.footer_size) {
    return Status::Invalid("parquet: footer tail of {} bytes does not hold the {}-byte footer",
                           tail_size, trailer.footer_size);
  }
  if (tail_size == file_size && AsText(tail.first(kParquetMagicSize)) != kParquetMagic) {
    return Status::Corruption("parquet: file does not start with the magic 'PAR1' (found {})",
                              HexBytes(tail.first(kParquetMagicSize)));
  }
  std::span<const uint8_t> metadata_bytes =
      tail.subspan(static_cast<size_t>(tail_size - trailer.footer_size),
                   static_cast<size_t>(trailer.metadata_length));
  ARCFLOW_ASSIGN_OR_RETURN(FileMetaData metadata,
                           DecodeFileMetaData(metadata_bytes, trailer.metadata_offset));
  // Check encryption before the schema: an encrypted file's footer may be fine, and the user
  // should learn why it cannot be read rather than about a consequence.
  if (metadata.encryption_algorithm.has_value()) return PlaintextFooterEncryptionStatus();
  Result<SchemaDescriptor> schema = SchemaDescriptor::FromElements(metadata.schema);
  if (!schema.ok()) return schema.status().WithContext("in the footer schema");
  ARCFLOW_RETURN_NOT_OK(CheckFileMetaData(metadata, *schema, trailer.metadata_offset));
  return Footer{std::move(metadata), std::move(schema).MoveValueUnsafe(), trailer};
}

Result<std::shared_ptr<Buffer>> SerializeFooter(const FileMetaData& metadata) {
  BufferBuilder builder;
  EncodeFileMetaData(metadata, &builder);
  int64_t metadata_length = builder.size();
  if (metadata_length > std::numeric_limits<int32_t>::max()) {
    return Status::Invalid("parquet: serialized FileMetaData of {} bytes exceeds the 2 GiB limit",
                           metadata_length);
  }
  uint8_t length_bytes[4];
  for (int i = 0; i < 4; ++i) length_bytes[i] = static_cast<uint8_t>(metadata_length >> (8 * i));
  builder.Append(length_bytes, 4);
  builder.Append(kParquetMagic);
  return builder.Finish();
}

}  // namespace arcflow::parquet
