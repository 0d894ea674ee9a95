#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/columnar/value_parse.h"
#include "arcflow/csv/read_options.h"
#include "arcflow/csv/tokenizer.h"
#include "arcflow/io/file_system.h"

namespace arcflow::csv {

// Infers the type of each column from CSV field texts, as Spark's CSVInferSchema does. Each
// value is tried from the column's type so far up the ladder
//   INT → BIGINT → DECIMAL(p,0) (integers too long for BIGINT) → DOUBLE → DATE → TIMESTAMP
//   → BOOLEAN → STRING
// and the column's type becomes the tightest type holding both (INT + BIGINT = BIGINT, numbers
// + DOUBLE = DOUBLE, DATE + TIMESTAMP = TIMESTAMP unless a timestampFormat is set, anything
// else = STRING). Null and empty fields do not vote; a column with no values is STRING.
// DATE needs the exact yyyy-MM-dd form (or the dateFormat pattern); TIMESTAMP accepts the
// lenient ISO forms of ParseTimestamp (or the timestampFormat pattern). Not thread-safe.
class CsvSchemaInferrer {
 public:
  // Fails when a date or timestamp format does not compile.
  static Result<CsvSchemaInferrer> Make(const CsvReadOptions& options);

  // Fixes the number of columns; fields beyond it are ignored.
  void SetColumnCount(size_t count);
  size_t num_columns() const { return columns_.size(); }

  // Folds one record's fields into the column types.
  void AddRecord(const std::vector<CsvField>& fields);
  void AddValue(size_t column, std::string_view text);

  // The type inferred for column `i` so far.
  DataTypePtr ColumnType(size_t i) const;

  // The kinds on the ladder, in order.
  enum class Kind : uint8_t {
    kNull,
    kInt,
    kLong,
    kDecimal,
    kDouble,
    kDate,
    kTimestamp,
    kBoolean,
    kString,
  };
  struct Inferred {
    Kind kind = Kind::kNull;
    int32_t precision = 0;  // kDecimal only.
    int32_t scale = 0;
  };

 private:
  CsvSchemaInferrer() = default;

  // The type of `text` alone, tried from `start` up the ladder.
  Inferred InferValue(Kind start, std::string_view text) const;
  Inferred Merge(const Inferred& a, const Inferred& b) const;

  std::string null_value_;
  std::string nan_value_;
  std::string positive_inf_;
  std::string negative_inf_;
  bool has_timestamp_format_ = false;
  std::optional<DateTimePattern> date_pattern_;
  std::optional<DateTimePattern> timestamp_pattern_;
  std::vector<Inferred> columns_;
};

// Infers the schema of CSV files, streaming over all their records in bounded memory (or a
// samplingRatio share of them). Columns are named by the first file's header (made unique as
// Spark does, see MakeHeaderColumnNames) or _c0, _c1, ...; their number is that of the first
// record. With `options.header`, the first record of every file is a header and is not data.
// The schema of no records has no columns. `options.schema` is ignored.
Result<SchemaPtr> InferCsvSchema(io::FileSystem& fs, const std::vector<std::string>& paths,
                                 const CsvReadOptions& options);

}  // namespace arcflow::csv
