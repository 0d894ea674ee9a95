#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/delta/actions.h"
#include "arcflow/delta/column_mapping.h"
#include "arcflow/delta/partition_value.h"
#include "arcflow/parquet/bridge/parquet_reader.h"

namespace arcflow::delta {

// Data skipping (PROTOCOL.md, "Per-file Statistics"): deciding from an add action alone that
// none of a file's rows can satisfy a conjunction of simple predicates, so the file need not be
// read. Partition columns are decided by the file's partition values, data columns by the
// min/max/null counts in `add.stats`. Every decision is conservative: a file is skipped only
// when the statistics prove it holds no matching row; anything unknown keeps the file.

using Predicate = parquet::ColumnPredicate;

// Orders two non-null values of the same type (or of types that widen into each other):
// negative, zero or positive. Floats order NaN above everything (as Spark). Strings and
// binaries compare by bytes. REQUIRES: neither is null.
int CompareTypedValues(const TypedValue& left, const TypedValue& right);

// Parses a predicate's value (the canonical text of ColumnPredicate::value) as `type`: numbers,
// "true"/"false", "YYYY-MM-DD", ISO-8601 timestamps, decimals, and strings/binaries as is (the
// empty string is a value, not null). Invalid naming the column when it does not parse.
Result<TypedValue> ParsePredicateValue(std::string_view text, const DataTypePtr& type,
                                       std::string_view column);

// Whether `value` (null allowed) satisfies `op` against `operand` (ignored for the null tests),
// with SQL semantics: a comparison with null is not satisfied.
bool EvaluatePredicate(const TypedValue& value, Predicate::Op op, const TypedValue& operand);

// The statistics of one data file, parsed from `add.stats`. Leaves are keyed by their physical
// column path (struct members joined with '\x1f', which no column name contains). Values stay
// in their JSON text (strings unescaped) until a type is known. A value type.
struct FileStatistics {
  std::optional<int64_t> num_records;
  bool tight_bounds = true;
  std::map<std::string, std::string> min_values;
  std::map<std::string, std::string> max_values;
  std::map<std::string, int64_t> null_counts;

  // Parses the stats JSON. Corruption (with `where`) when it is not a JSON object of the
  // documented shape; unknown keys are ignored.
  static Result<FileStatistics> Parse(std::string_view json, std::string_view where);
  // The statistics of `add` for data skipping: nullopt when it has none or they do not parse
  // (unreadable statistics only cost the chance to skip).
  static std::optional<FileStatistics> ParseForSkipping(const AddFile& add);
  static std::string PathKey(const std::vector<std::string>& path);
};

// What one file's statistics prove about the values of one column. Every member is
// conservative: unknown is nullopt or false.
struct ColumnBounds {
  std::optional<TypedValue> min;  // Every non-null value is >= min.
  std::optional<TypedValue> max;  // Every non-null value is <= max.
  bool all_null = false;          // Every value is null (so no comparison holds).
  bool no_null = false;           // No value is null.
};

// The bounds `stats` give the column of `field` (a leaf of the logical schema) keyed
// `stats_key`. The rules data skipping applies, in one place:
//  - null counts are used only with tight bounds and numRecords;
//  - booleans, binaries and nested columns have no min/max (Spark keeps none);
//  - a string min is a prefix of the smallest value, so a lower bound as it is; a string max
//    of 32 or more bytes may be a truncated prefix (with a tie-breaker appended) and is no
//    bound;
//  - a timestamp max is in milliseconds, so the bound is one millisecond above it;
//  - NaN bounds prove nothing; nor do float or double bounds of a column whose type was
//    widened (delta.typeChanges), as files written before keep float statistics;
//  - a bound that does not parse as the column's type is unknown.
ColumnBounds GetColumnBounds(const FileStatistics& stats, const std::string& stats_key,
                             const Field& field);

// What data skipping needs to know about a table, computed once per scan. Immutable.
class FileSkipper {
 public:
  // Resolves every predicate column against the logical schema (exact, then ignoring ASCII
  // case; a dotted path reaches struct members) and parses the predicate values. Invalid for
  // an unknown column, a predicate on a list/map column, or a value that does not parse.
  static Result<FileSkipper> Make(SchemaPtr logical_schema,
                                  std::vector<std::string> partition_columns,
                                  ColumnMappingMode mode, std::vector<Predicate> predicates);

  // True when the statistics or partition values of `add` prove that no row satisfies all
  // predicates. Missing or unparsable stats never skip. Corruption only for a partition value
  // that does not parse as its column's type. Parses add.stats only when a predicate is on a
  // data column and the partition values did not already decide.
  Result<bool> CanSkip(const AddFile& add) const;
  // The same with add.stats already parsed (FileStatistics::ParseForSkipping), for callers
  // that use the statistics for more than these predicates: `stats` is null when the file has
  // none. Predicates on partition columns are decided first.
  Result<bool> CanSkip(const AddFile& add, const FileStatistics* stats) const;
  // Whether any predicate is on a data column, so that CanSkip may read add.stats.
  bool uses_stats() const { return uses_stats_; }

  // The predicates on top-level data (non-partition) columns, renamed to physical names, for
  // Parquet row-group skipping. Predicates on struct members are left out.
  const std::vector<Predicate>& physical_data_predicates() const {
    return physical_data_predicates_;
  }

 private:
  struct Resolved {
    Predicate::Op op;
    DataTypePtr type;
    TypedValue operand;
    bool is_partition = false;
    const Field* field = nullptr;  // The column's leaf field; points into schema_.
    std::string stats_key;         // Physical path key (data columns).
  };

  // True when a partition predicate is false for `add`.
  Result<bool> CanSkipByPartitionValues(const AddFile& add) const;
  // True when `stats` prove a data predicate false for every row.
  bool CanSkipByStats(const FileStatistics& stats) const;

  SchemaPtr schema_;
  ColumnMappingMode mode_ = ColumnMappingMode::kNone;
  std::vector<Resolved> resolved_;
  bool uses_stats_ = false;
  std::vector<Predicate> physical_data_predicates_;
};

}  // namespace arcflow::delta
