#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/delta/actions.h"
#include "arcflow/parquet/schema_descriptor.h"

namespace arcflow::delta {

// Column mapping (PROTOCOL.md, "Column Mapping"): with mode "name" or "id" the names users see
// (logical) differ from the names in the data files and in partitionValues (physical), so that
// columns can be renamed and dropped without rewriting data. Each field of the table schema
// carries `delta.columnMapping.physicalName` and `delta.columnMapping.id` in its metadata,
// nested fields too. All functions are thread-safe.

enum class ColumnMappingMode : uint8_t { kNone, kName, kId };

inline constexpr std::string_view kColumnMappingModeKey = "delta.columnMapping.mode";
inline constexpr std::string_view kPhysicalNameKey = "delta.columnMapping.physicalName";
inline constexpr std::string_view kColumnIdKey = "delta.columnMapping.id";

std::string_view ColumnMappingModeName(ColumnMappingMode mode);

// The index of the field called `name` among `fields`: an exact match first, else one that
// differs only in ASCII case (Spark's default case-insensitive resolution); -1 when none.
int FindFieldIndex(const std::vector<Field>& fields, std::string_view name);

// The mode in `metadata`'s configuration ("none" when unset). Invalid for another value.
Result<ColumnMappingMode> GetColumnMappingMode(const Metadata& metadata);

// The physical name of `field`: its physicalName metadata in name/id mode (Corruption naming
// the field when missing), else its name. Tables that switched mode to none keep physical
// names in metadata; as Delta does, mode none reads by logical name.
Result<std::string> PhysicalName(const Field& field, ColumnMappingMode mode);
// The column id of `field` (its delta.columnMapping.id metadata), if present and a number.
std::optional<int32_t> ColumnId(const Field& field);

// The schema of the data files: every field, nested struct members, list elements and map
// keys/values included, renamed to its physical name. Field metadata is kept, so ids remain
// available. In mode none, returns `logical` as is.
Result<SchemaPtr> MakePhysicalSchema(const SchemaPtr& logical, ColumnMappingMode mode);

// The text of the partition value of logical partition column `field` in `values` (keyed by
// physical name in name/id mode, by name otherwise). NotFound when the key is absent (the add
// action does not match its table's partition columns); nullopt inside for a null value.
Result<std::optional<std::string>> FindPartitionValue(const PartitionValues& values,
                                                      const Field& field, ColumnMappingMode mode);

// For each field of `physical_schema` (top level), the index of the top-level column of a
// Parquet file that holds it, or -1 when the file has none (a column added after the file was
// written). Mode id matches Parquet field ids with the fields' column ids first and falls back
// to the physical name when the file has no field ids; other modes match by name, exactly and
// then ignoring ASCII case (Spark's default case-insensitive resolution).
// `file_root` is the file's schema root (its children are the top-level columns, in the same
// order as the file's arcflow schema).
std::vector<int> MatchFileColumns(const Schema& physical_schema,
                                  const parquet::SchemaNode& file_root, ColumnMappingMode mode);

}  // namespace arcflow::delta
