#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "arcflow/base/result.h"
#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/value_parse.h"
#include "arcflow/csv/read_options.h"
#include "arcflow/csv/tokenizer.h"

namespace arcflow::csv {

// A parsed field waiting to be appended. Parsing every field of a record before appending any
// lets a malformed record be dropped without touching the builders.
struct StagedValue {
  bool is_null = true;
  int64_t integer = 0;     // Integers, booleans, dates (days) and timestamps (µs).
  double floating = 0;     // Floats and doubles.
  int128_t decimal = 0;    // Unscaled decimals.
  std::string_view bytes;  // Strings and binaries; views the record or the options.
};

// Turns the text of one CSV column into values of the column's type as Spark's CSV reader
// does: null_value and empty quoted fields first, then the type's parser from value_parse.h
// (or the column's date/timestamp pattern). STRING values are repaired to valid UTF-8 (see
// utf8::Repair); BINARY values are the raw bytes. Not thread-safe: Parse() may use a scratch
// buffer, which a staged value views until the next Parse().
class ColumnConverter {
 public:
  // REQUIRES: `options` outlives the converter and passed Validate().
  static Result<ColumnConverter> Make(DataTypePtr type, const CsvReadOptions* options);

  // Parses `field` (nullptr for a field the record lacks) into `*value`. Returns false when the
  // text is not a value of the type, leaving `*value` null.
  bool Parse(const CsvField* field, StagedValue* value) const;

  // Appends `value`. REQUIRES: `builder` was made by MakeBuilder(type()).
  void Append(const StagedValue& value, ArrayBuilder* builder) const;

  const DataTypePtr& type() const { return type_; }

 private:
  ColumnConverter(DataTypePtr type, const CsvReadOptions* options)
      : type_(std::move(type)), options_(options) {}

  bool ParseFloating(std::string_view text, double* value) const;

  DataTypePtr type_;
  const CsvReadOptions* options_;
  std::optional<DateTimePattern> pattern_;  // For date and timestamp columns with a format.
  mutable std::string repaired_;            // STRING values that were not valid UTF-8.
};

// The type as Spark names it in messages: INT, BIGINT, DECIMAL(10,2), TIMESTAMP_NTZ.
std::string SqlTypeName(const DataType& type);

}  // namespace arcflow::csv
