#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/parquet/statistics.h"

namespace arcflow::delta {

// Which columns get statistics and under which names, from a table's configuration.
struct FileStatsOptions {
  // The first `num_indexed_columns` leaf columns (struct members counted one by one, a list or
  // a map as one leaf) get statistics; -1 means all. Ignored when `stats_columns` is set.
  int64_t num_indexed_columns = 32;
  // Column paths (each a list of names from the top level down) whose leaves get statistics;
  // a struct path selects every leaf below it. Matched ignoring ASCII case, as Spark does.
  std::optional<std::vector<std::vector<std::string>>> stats_columns;
  // Key statistics by the columns' physical names (column mapping mode "name" or "id").
  bool use_physical_names = false;
  // Strings longer than this many characters (code points) are truncated in min and max.
  int32_t string_prefix_length = 32;

  // Reads delta.dataSkippingNumIndexedCols, delta.dataSkippingStatsColumns and
  // delta.columnMapping.mode. Invalid, naming the key, for a value that does not parse.
  static Result<FileStatsOptions> FromConfiguration(
      const std::vector<std::pair<std::string, std::string>>& configuration);
};

// Parses the value of delta.dataSkippingStatsColumns: comma-separated column names, nested
// members joined by '.', any name in backticks (a doubled backtick inside is one backtick).
Result<std::vector<std::vector<std::string>>> ParseStatsColumnList(std::string_view text);

// The string bounds statistics keep for a column whose smallest value is `value` (min) or
// whose largest value is `value` (max); see FileStatsCollector for the rule.
std::string TruncateMinString(std::string_view value, int32_t prefix_length);
std::string TruncateMaxString(std::string_view value, int32_t prefix_length);

// `stats` (an add.stats JSON object) with "tightBounds":false: the statistics of a file that
// a deletion vector now hides rows of. Its bounds and null counts still hold for the rows
// left but may no longer be attained (PROTOCOL.md, "Per-file Statistics"); numRecords stays
// the number of rows in the file. Every other member is kept as written. nullopt when `stats`
// is not a JSON object.
std::optional<std::string> StatsWithWideBounds(std::string_view stats);

// Collects the per-file statistics Delta keeps in `add.stats` while a data file is written,
// one batch at a time, and prints them as the JSON Spark writes:
//   {"numRecords":3,"minValues":{"a":1,"s":{"x":"abc"}},"maxValues":{...},"nullCount":{...}}
//
// What is collected, following Spark's Delta writer:
//  - nullCount for every selected leaf column, a list or map column counting as one leaf; a
//    value under a null struct counts as null.
//  - minValues/maxValues only for integers, floats, decimals, dates, timestamps and strings
//    (not booleans, binaries, lists or maps), and only when the column has a non-null value.
//  - strings: min is the first `string_prefix_length` code points of the smallest value. Max
//    is the largest value when it is short enough; otherwise its prefix extended past any
//    U+10FFFF code points, followed by U+10FFFF. As U+10FFFF is the largest code point and
//    UTF-8 byte order is code point order, that bound is >= every value sharing the prefix.
//    Comparison is by UTF-8 bytes, as Spark compares strings.
//  - timestamps: ISO-8601 with milliseconds ("2024-01-31T10:00:00.123Z", no "Z" for
//    TIMESTAMP_NTZ); min is truncated to the millisecond, max rounded up to the next
//    millisecond when it had sub-millisecond digits, so both stay bounds.
//  - dates as "YYYY-MM-DD"; decimals as JSON numbers with their scale ("12.30").
//  - floats: NaN sorts above every number, as in Spark's min/max, so a file with a NaN has
//    max "NaN" and min the smallest number (or "NaN" when every value is NaN). NaN and the
//    infinities are written as the strings "NaN", "Infinity", "-Infinity" (Jackson's default).
//  - nested struct columns give nested objects; objects left empty are omitted.
//
// A collector made by MakeForParquetFile takes the statistics of some columns from the Parquet
// writer of the file instead of from the batches: integers, floats, dates, timestamps,
// strings, booleans and binaries that are not inside a list or map, whose Delta statistics
// follow from the exact null count, min, max and (floats) NaN count the writer keeps anyway
// (ParquetFileWriter::LeafStatistics). Both give the same JSON.
//
// Not thread-safe. Move-only.
class FileStatsCollector {
 public:
  // `schema` is the schema of the batches written to the file (partition columns excluded).
  static Result<FileStatsCollector> Make(SchemaPtr schema, FileStatsOptions options = {});
  // As Make, for a file that a ParquetFileWriter writes from the same batches: Update reads
  // only the columns whose statistics Parquet's do not give, and SetParquetLeafStatistics
  // supplies the others once the file is closed.
  static Result<FileStatsCollector> MakeForParquetFile(SchemaPtr schema,
                                                       FileStatsOptions options = {});

  // The leaf columns the file's Parquet schema has for `schema`: one per primitive column,
  // each struct member, list element and map key and value counted down to its leaves.
  int num_parquet_leaves() const { return num_parquet_leaves_; }

  // Takes the statistics of the columns MakeForParquetFile leaves to Parquet from `leaves`,
  // one per Parquet leaf column in schema order, as ParquetFileWriter::LeafStatistics() gives
  // them after Close(). Internal when their number or a bound's size does not fit the schema.
  Status SetParquetLeafStatistics(std::span<const parquet::Statistics> leaves);

  FileStatsCollector(FileStatsCollector&&) noexcept;
  FileStatsCollector& operator=(FileStatsCollector&&) noexcept;
  ~FileStatsCollector();

  // Adds the rows of `batch`. Invalid when its columns do not match the schema's types.
  Status Update(const RecordBatch& batch);

  int64_t num_records() const { return num_records_; }

  // The statistics of every row added so far, as JSON.
  std::string ToJson() const;

  struct Node;

 private:
  static Result<FileStatsCollector> MakeCollector(SchemaPtr schema, FileStatsOptions options,
                                                  bool from_parquet);
  FileStatsCollector(SchemaPtr schema, FileStatsOptions options, std::vector<Node> columns,
                     int num_parquet_leaves);

  SchemaPtr schema_;
  FileStatsOptions options_;
  // One node per top-level column of the schema, selected or not (unselected ones are skipped).
  std::vector<Node> columns_;
  int num_parquet_leaves_ = 0;
  int64_t num_records_ = 0;
};

}  // namespace arcflow::delta
