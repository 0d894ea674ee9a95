#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arcflow/base/status.h"

namespace arcflow::parquet {

class ThriftCompactReader;
class ThriftCompactWriter;

// The statistics structs of parquet.thrift, stored in column chunk metadata and page headers.
// Plain values mirroring the Thrift fields (optional fields are std::optional); they say what
// the file claims, not whether it is true. Min/max values are PLAIN-encoded bytes without a
// length prefix, interpreted according to the column's type and ColumnOrder.

struct Statistics {
  // DEPRECATED: min and max under signed comparison; written by old writers.
  std::optional<std::string> max;          // field 1
  std::optional<std::string> min;          // field 2
  std::optional<int64_t> null_count;       // field 3
  std::optional<int64_t> distinct_count;   // field 4
  std::optional<std::string> max_value;    // field 5
  std::optional<std::string> min_value;    // field 6
  std::optional<bool> is_max_value_exact;  // field 7
  std::optional<bool> is_min_value_exact;  // field 8
  std::optional<int64_t> nan_count;        // field 9

  bool operator==(const Statistics&) const = default;
};

// Unencoded sizes and level histograms, for estimating memory and for nested-column pruning.
struct SizeStatistics {
  std::optional<int64_t> unencoded_byte_array_data_bytes;          // field 1
  std::optional<std::vector<int64_t>> repetition_level_histogram;  // field 2
  std::optional<std::vector<int64_t>> definition_level_histogram;  // field 3

  bool operator==(const SizeStatistics&) const = default;
};

struct BoundingBox {
  double xmin = 0;             // field 1
  double xmax = 0;             // field 2
  double ymin = 0;             // field 3
  double ymax = 0;             // field 4
  std::optional<double> zmin;  // field 5
  std::optional<double> zmax;  // field 6
  std::optional<double> mmin;  // field 7
  std::optional<double> mmax;  // field 8

  bool operator==(const BoundingBox&) const = default;
};

// Statistics of GEOMETRY and GEOGRAPHY columns.
struct GeospatialStatistics {
  std::optional<BoundingBox> bbox;                       // field 1
  std::optional<std::vector<int32_t>> geospatial_types;  // field 2

  bool operator==(const GeospatialStatistics&) const = default;
};

// Thrift codecs. Decoding fails with Corruption on malformed input or a missing required field;
// unknown fields are skipped.
Status Decode(ThriftCompactReader& reader, Statistics* out);
void Encode(const Statistics& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, SizeStatistics* out);
void Encode(const SizeStatistics& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, BoundingBox* out);
void Encode(const BoundingBox& value, ThriftCompactWriter& writer);
Status Decode(ThriftCompactReader& reader, GeospatialStatistics* out);
void Encode(const GeospatialStatistics& value, ThriftCompactWriter& writer);

}  // namespace arcflow::parquet
