#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "arcflow/base/result.h"
#include "arcflow/base/status.h"
#include "arcflow/parquet/format_enums.h"
#include "arcflow/parquet/statistics.h"

namespace arcflow::parquet {

class ThriftCompactReader;
class ThriftCompactWriter;

// The page header structs of parquet.thrift: the Thrift message in front of every page of a
// column chunk. Plain values mirroring the Thrift fields; enum values are stored as read, so
// check them with IsKnown* before use.

struct DataPageHeader {
  int32_t num_values = 0;                               // field 1
  Encoding encoding = Encoding::kPlain;                 // field 2
  Encoding definition_level_encoding = Encoding::kRle;  // field 3
  Encoding repetition_level_encoding = Encoding::kRle;  // field 4
  std::optional<Statistics> statistics;                 // field 5

  bool operator==(const DataPageHeader&) const = default;
};

// Has no fields in the format yet.
struct IndexPageHeader {
  bool operator==(const IndexPageHeader&) const = default;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;                // field 1
  Encoding encoding = Encoding::kPlain;  // field 2
  std::optional<bool> is_sorted;         // field 3

  bool operator==(const DictionaryPageHeader&) const = default;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;                     // field 1
  int32_t num_nulls = 0;                      // field 2
  int32_t num_rows = 0;                       // field 3
  Encoding encoding = Encoding::kPlain;       // field 4
  int32_t definition_levels_byte_length = 0;  // field 5
  int32_t repetition_levels_byte_length = 0;  // field 6
  // Absent in the file means true, which is what this holds then.
  bool is_compressed = true;             // field 7
  std::optional<Statistics> statistics;  // field 8

  bool operator==(const DataPageHeaderV2&) const = default;
};

struct PageHeader {
  PageType type = PageType::kDataPage;                         // field 1
  int32_t uncompressed_page_size = 0;                          // field 2
  int32_t compressed_page_size = 0;                            // field 3
  std::optional<int32_t> crc;                                  // field 4
  std::optional<DataPageHeader> data_page_header;              // field 5
  std::optional<IndexPageHeader> index_page_header;            // field 6
  std::optional<DictionaryPageHeader> dictionary_page_header;  // field 7
  std::optional<DataPageHeaderV2> data_page_header_v2;         // field 8

  bool operator==(const PageHeader&) const = default;
};

// A data page as a column chunk stores it, to be written again unchanged into another chunk
// (ColumnChunkWriter::AppendStoredPage), with what the writer needs to know of it.
struct StoredDataPage {
  // The page header and the body after it, as stored (compressed).
  std::span<const uint8_t> bytes;
  PageType type = PageType::kDataPage;  // kDataPage or kDataPageV2.
  Encoding encoding = Encoding::kPlain;
  // Whether the levels are RLE-encoded (a v1 header may name BIT_PACKED instead).
  bool rle_levels = true;
  // The codec of the chunk the page was read from.
  CompressionCodec codec = CompressionCodec::kUncompressed;
  int64_t num_levels = 0;  // The header's num_values.
  // Header and body bytes with the body uncompressed, as ColumnMetaData totals pages.
  int64_t uncompressed_size = 0;
};

// Thrift codecs. Decoding fails with Corruption on malformed input or a missing required field;
// unknown fields are skipped. They check structure only: whether sizes are non-negative and
// the sub-header matches the page type is for the page reader to judge.
Status Decode(ThriftCompactReader& reader, DataPageHeader* out);
void Encode(const DataPageHeader& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, IndexPageHeader* out);
void Encode(const IndexPageHeader& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, DictionaryPageHeader* out);
void Encode(const DictionaryPageHeader& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, DataPageHeaderV2* out);
void Encode(const DataPageHeaderV2& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, PageHeader* out);
void Encode(const PageHeader& value, ThriftCompactWriter& writer);

// Decodes the page header at the start of `bytes` (the page data follows it) and stores its
// encoded length in `*header_length`. `base_offset` is the file offset of bytes[0], for error
// messages.
Result<PageHeader> DecodePageHeader(std::span<const uint8_t> bytes, int64_t base_offset,
                                    int64_t* header_length);

}  // namespace arcflow::parquet
