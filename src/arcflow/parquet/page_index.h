#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/base/status.h"
#include "arcflow/parquet/format_enums.h"

namespace arcflow::parquet {

class ThriftCompactReader;
class ThriftCompactWriter;

// The page index structs of parquet.thrift, stored between the row groups and the footer at
// the offsets ColumnChunk names: OffsetIndex locates each data page of a column chunk and
// ColumnIndex holds per-page min/max values for skipping pages. Plain values mirroring the
// Thrift fields; decoding checks structure only, so callers must check that the lists agree in
// length before indexing one by another.

struct PageLocation {
  int64_t offset = 0;                // field 1: file offset of the page header
  int32_t compressed_page_size = 0;  // field 2: header plus compressed page
  int64_t first_row_index = 0;       // field 3: within the row group

  bool operator==(const PageLocation&) const = default;
};

struct OffsetIndex {
  std::vector<PageLocation> page_locations;                             // field 1
  std::optional<std::vector<int64_t>> unencoded_byte_array_data_bytes;  // field 2

  bool operator==(const OffsetIndex&) const = default;
};

struct ColumnIndex {
  std::vector<bool> null_pages;                                     // field 1
  std::vector<std::string> min_values;                              // field 2
  std::vector<std::string> max_values;                              // field 3
  BoundaryOrder boundary_order = BoundaryOrder::kUnordered;         // field 4
  std::optional<std::vector<int64_t>> null_counts;                  // field 5
  std::optional<std::vector<int64_t>> repetition_level_histograms;  // field 6
  std::optional<std::vector<int64_t>> definition_level_histograms;  // field 7
  std::optional<std::vector<int64_t>> nan_counts;                   // field 8

  bool operator==(const ColumnIndex&) const = default;
};

// Thrift codecs. Decoding fails with Corruption on malformed input or a missing required field;
// unknown fields are skipped.
Status Decode(ThriftCompactReader& reader, PageLocation* out);
void Encode(const PageLocation& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, OffsetIndex* out);
void Encode(const OffsetIndex& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, ColumnIndex* out);
void Encode(const ColumnIndex& value, ThriftCompactWriter& writer);

// Decode a serialized index read from `base_offset` in the file (for error messages).
Result<OffsetIndex> DecodeOffsetIndex(std::span<const uint8_t> bytes, int64_t base_offset);
Result<ColumnIndex> DecodeColumnIndex(std::span<const uint8_t> bytes, int64_t base_offset);

}  // namespace arcflow::parquet
