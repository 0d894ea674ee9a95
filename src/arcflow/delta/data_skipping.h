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
  static std::string PathKey(const std::vector<std::string>& path);
};

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
  // that does not parse as its column's type.
  Result<bool> CanSkip(const AddFile& add) const;

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
    const Field* partition_field = nullptr;  // Points into schema_.
    std::string stats_key;                   // Physical path key (data columns).
  };

  SchemaPtr schema_;
  ColumnMappingMode mode_ = ColumnMappingMode::kNone;
  std::vector<Resolved> resolved_;
  std::vector<Predicate> physical_data_predicates_;
};

}  // namespace arcflow::delta
