#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "arcflow/base/buffer.h"
#include "arcflow/base/result.h"
#include "arcflow/base/status.h"
#include "arcflow/parquet/format_enums.h"
#include "arcflow/parquet/logical_type.h"
#include "arcflow/parquet/physical_type.h"
#include "arcflow/parquet/statistics.h"

namespace arcflow::parquet {

class ThriftCompactReader;
class ThriftCompactWriter;

// The file-level structs of parquet.thrift: FileMetaData, the message in a file's footer, and
// everything it holds (schema elements, row groups, column chunks). Plain values mirroring the
// Thrift fields with their field ids; optional fields are std::optional and enum values are
// stored as read (check them with IsKnown* before use). Decoding checks the Thrift structure
// and required fields only; footer.h checks that the whole makes sense for a file.

struct KeyValue {
  std::string key;                   // field 1
  std::optional<std::string> value;  // field 2

  bool operator==(const KeyValue&) const = default;
};

struct SortingColumn {
  int32_t column_idx = 0;    // field 1: index of the leaf column in the row group
  bool descending = false;   // field 2
  bool nulls_first = false;  // field 3

  bool operator==(const SortingColumn&) const = default;
};

struct PageEncodingStats {
  PageType page_type = PageType::kDataPage;  // field 1
  Encoding encoding = Encoding::kPlain;      // field 2
  int32_t count = 0;                         // field 3

  bool operator==(const PageEncodingStats&) const = default;
};

// The ColumnOrder union: the order min/max statistics of a column follow. kUnknown stands for
// a member this reader does not know (or an empty union); statistics of such columns must be
// ignored.
struct ColumnOrder {
  enum class Kind : int8_t { kUnknown, kTypeDefined, kIeee754TotalOrder, kInt96Timestamp };
  Kind kind = Kind::kTypeDefined;

  bool operator==(const ColumnOrder&) const = default;
};

// Parameters of an AES-GCM encryption algorithm (AesGcmV1 and AesGcmCtrV1 share them).
struct AesGcmParameters {
  std::optional<std::string> aad_prefix;       // field 1
  std::optional<std::string> aad_file_unique;  // field 2
  std::optional<bool> supply_aad_prefix;       // field 3

  bool operator==(const AesGcmParameters&) const = default;
};

// The EncryptionAlgorithm union. arcflow does not decrypt; the struct exists so that encrypted
// files are recognised and refused with a clear message.
struct EncryptionAlgorithm {
  enum class Kind : int8_t { kUnknown, kAesGcmV1, kAesGcmCtrV1 };
  Kind kind = Kind::kUnknown;
  AesGcmParameters parameters;

  bool operator==(const EncryptionAlgorithm&) const = default;
};

// The ColumnCryptoMetaData union, kept for the same reason as EncryptionAlgorithm.
struct ColumnCryptoMetaData {
  enum class Kind : int8_t { kUnknown, kEncryptionWithFooterKey, kEncryptionWithColumnKey };
  Kind kind = Kind::kUnknown;
  // Set for kEncryptionWithColumnKey.
  std::vector<std::string> path_in_schema;
  std::optional<std::string> key_metadata;

  bool operator==(const ColumnCryptoMetaData&) const = default;
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::kBoolean;                    // field 1
  std::vector<Encoding> encodings;                               // field 2
  std::vector<std::string> path_in_schema;                       // field 3
  CompressionCodec codec = CompressionCodec::kUncompressed;      // field 4
  int64_t num_values = 0;                                        // field 5
  int64_t total_uncompressed_size = 0;                           // field 6
  int64_t total_compressed_size = 0;                             // field 7
  std::optional<std::vector<KeyValue>> key_value_metadata;       // field 8
  int64_t data_page_offset = 0;                                  // field 9
  std::optional<int64_t> index_page_offset;                      // field 10
  std::optional<int64_t> dictionary_page_offset;                 // field 11
  std::optional<Statistics> statistics;                          // field 12
  std::optional<std::vector<PageEncodingStats>> encoding_stats;  // field 13
  std::optional<int64_t> bloom_filter_offset;                    // field 14
  std::optional<int32_t> bloom_filter_length;                    // field 15
  std::optional<SizeStatistics> size_statistics;                 // field 16
  std::optional<GeospatialStatistics> geospatial_statistics;     // field 17

  bool operator==(const ColumnMetaData&) const = default;
};

struct ColumnChunk {
  // Set only in summary ("_metadata") files, where column data lives in another file.
  std::optional<std::string> file_path;  // field 1
  // DEPRECATED; required by the format, normally 0.
  int64_t file_offset = 0;                               // field 2
  std::optional<ColumnMetaData> meta_data;               // field 3
  std::optional<int64_t> offset_index_offset;            // field 4
  std::optional<int32_t> offset_index_length;            // field 5
  std::optional<int64_t> column_index_offset;            // field 6
  std::optional<int32_t> column_index_length;            // field 7
  std::optional<ColumnCryptoMetaData> crypto_metadata;   // field 8
  std::optional<std::string> encrypted_column_metadata;  // field 9

  bool operator==(const ColumnChunk&) const = default;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;                           // field 1
  int64_t total_byte_size = 0;                                // field 2
  int64_t num_rows = 0;                                       // field 3
  std::optional<std::vector<SortingColumn>> sorting_columns;  // field 4
  std::optional<int64_t> file_offset;                         // field 5
  std::optional<int64_t> total_compressed_size;               // field 6
  std::optional<int16_t> ordinal;                             // field 7

  bool operator==(const RowGroup&) const = default;
};

// One node of the schema tree, flattened depth-first into FileMetaData::schema. A group has
// num_children and no type; a leaf (primitive column) has a type and no num_children.
struct SchemaElement {
  std::optional<PhysicalType> type;                    // field 1
  std::optional<int32_t> type_length;                  // field 2
  std::optional<FieldRepetitionType> repetition_type;  // field 3
  std::string name;                                    // field 4
  std::optional<int32_t> num_children;                 // field 5
  std::optional<ConvertedType> converted_type;         // field 6
  std::optional<int32_t> scale;                        // field 7
  std::optional<int32_t> precision;                    // field 8
  std::optional<int32_t> field_id;                     // field 9
  std::optional<LogicalType> logical_type;             // field 10
  std::optional<int32_t> vector_length;                // field 11

  bool operator==(const SchemaElement&) const = default;
};

struct FileMetaData {
  int32_t version = 1;                                      // field 1
  std::vector<SchemaElement> schema;                        // field 2
  int64_t num_rows = 0;                                     // field 3
  std::vector<RowGroup> row_groups;                         // field 4
  std::optional<std::vector<KeyValue>> key_value_metadata;  // field 5
  std::optional<std::string> created_by;                    // field 6
  std::optional<std::vector<ColumnOrder>> column_orders;    // field 7
  std::optional<EncryptionAlgorithm> encryption_algorithm;  // field 8
  std::optional<std::string> footer_signing_key_metadata;   // field 9

  bool operator==(const FileMetaData&) const = default;
};

// Thrift codecs. Decoding fails with Corruption on malformed input or a missing required field;
// unknown fields and unknown union members are skipped.
Status Decode(ThriftCompactReader& reader, KeyValue* out);
void Encode(const KeyValue& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, SortingColumn* out);
void Encode(const SortingColumn& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, PageEncodingStats* out);
void Encode(const PageEncodingStats& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, ColumnOrder* out);
void Encode(const ColumnOrder& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, EncryptionAlgorithm* out);
void Encode(const EncryptionAlgorithm& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, ColumnCryptoMetaData* out);
void Encode(const ColumnCryptoMetaData& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, ColumnMetaData* out);
void Encode(const ColumnMetaData& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, ColumnChunk* out);
void Encode(const ColumnChunk& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, RowGroup* out);
void Encode(const RowGroup& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, SchemaElement* out);
void Encode(const SchemaElement& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, FileMetaData* out);
void Encode(const FileMetaData& value, ThriftCompactWriter& writer);

// Decodes a serialized FileMetaData. `base_offset` is the file offset of bytes[0], for error
// messages. Bytes after the message are ignored (encrypted files with a plaintext footer put a
// signature there).
Result<FileMetaData> DecodeFileMetaData(std::span<const uint8_t> bytes, int64_t base_offset = 0);

// Appends the serialized FileMetaData to `out`.
void EncodeFileMetaData(const FileMetaData& metadata, BufferBuilder* out);

}  // namespace arcflow::parquet
