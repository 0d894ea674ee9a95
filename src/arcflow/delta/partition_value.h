#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/array.h"
#include "arcflow/columnar/data_type.h"

namespace arcflow::delta {

// Partition values of Delta tables, in the three forms they take:
//   - the text in `add.partitionValues` (PROTOCOL.md, "Partition Value Serialization");
//   - a typed value (TypedValue), used to build partition columns and to compare against
//     predicates;
//   - Hive-style directory names `col=value` with Spark's path escaping, where writers put
//     the files of a partition.
// All functions are thread-safe.

// One value of a primitive column type, or null. A value type.
//   boolean                       → bool
//   int8/16/32/64, date32         → int64_t (days for date32)
//   timestamp (UTC or NTZ)        → int64_t microseconds since the epoch
//   float32/64                    → double
//   decimal128                    → int128_t unscaled at the type's scale
//   string, binary                → std::string (the bytes)
struct TypedValue {
  using Storage = std::variant<std::monostate, bool, int64_t, double, int128_t, std::string>;

  DataTypePtr type;
  Storage value;  // std::monostate for null.

  bool is_null() const { return std::holds_alternative<std::monostate>(value); }
  static TypedValue Null(DataTypePtr type) { return TypedValue{std::move(type), {}}; }
};

// Parses the log's text of a partition value into a value of `type`. nullopt and the empty
// string are null (Spark writes an empty partition value as null). Timestamps accept
// "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC for TIMESTAMP, wall clock for TIMESTAMP_NTZ) and ISO-8601
// ("1970-01-01T00:00:00.123456Z"); dates "YYYY-MM-DD"; binary takes the text's bytes as is.
// Invalid naming `column` and the text when it is not a value of the type; NotImplemented for
// nested types.
Result<TypedValue> ParsePartitionValue(const std::optional<std::string>& text,
                                       const DataTypePtr& type, std::string_view column);

// The text Spark writes into `add.partitionValues` for `value`; nullopt for null. Numbers as
// Java prints them ("1", "1.5", "1.0E10"), decimals with exactly `scale` digits, dates
// "YYYY-MM-DD", timestamps "YYYY-MM-DD HH:MM:SS[.fraction]" in UTC (trailing zeros of the
// fraction dropped), booleans "true"/"false".
std::optional<std::string> FormatPartitionValue(const TypedValue& value);

// The value at `row` of a primitive `array`. REQUIRES: 0 <= row < array.length(); the array's
// type is primitive (not struct, list or map).
TypedValue TypedValueAt(const Array& array, int64_t row);

// An array of `length` rows, each equal to `value` (null when it is null): how a scan appends
// a file's partition column to its batches. NotImplemented for nested types.
Result<ArrayPtr> MakeConstantArray(const TypedValue& value, int64_t length);

// The Hive directory name of a null partition value.
inline constexpr std::string_view kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

// Escapes `text` as Spark's ExternalCatalogUtils.escapePathName does: control characters
// U+0001..U+001F, `"#%'*/:=?\{[]^` and DEL become %XX (upper-case hex); everything else,
// non-ASCII included, is kept.
std::string EscapePartitionPathName(std::string_view text);
// Reverses EscapePartitionPathName: every %XX with two hex digits becomes the byte; a '%' not
// followed by two hex digits is kept as is (as Spark does).
std::string UnescapePartitionPathName(std::string_view text);

// "col=value" with both sides escaped; a null value becomes __HIVE_DEFAULT_PARTITION__.
std::string PartitionDirectoryName(std::string_view column,
                                   const std::optional<std::string>& value);
// The relative directory of a partition, "a=1/b=x" (empty for no partition columns).
// `values` are in partition-column order, as the log's text (FormatPartitionValue).
std::string PartitionDirectory(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& values);
// Parses the "col=value" segments of `relative_path` (non-matching segments, such as the
// file name, are ignored), unescaping both sides; __HIVE_DEFAULT_PARTITION__ is null.
std::vector<std::pair<std::string, std::optional<std::string>>> ParsePartitionDirectory(
    std::string_view relative_path);

}  // namespace arcflow::delta
