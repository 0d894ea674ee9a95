#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/delta/actions.h"
#include "arcflow/parquet/bridge/schema_from_parquet.h"
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
// The ids of list elements and map keys/values (IcebergCompatV2), a JSON object in the metadata
// of the nearest enclosing field, keyed by the path from that field's physical name:
// {"col-x.element": 31, "col-y.value.key": 52}. PROTOCOL.md names the same object
// parquet.field.nested.ids, the key Delta uses in the schemas it hands to Parquet.
inline constexpr std::string_view kNestedIdsKey = "delta.columnMapping.nested.ids";
inline constexpr std::string_view kParquetNestedIdsKey = "parquet.field.nested.ids";
// The table property with the largest column id ever given; it only grows.
inline constexpr std::string_view kMaxColumnIdKey = "delta.columnMapping.maxColumnId";

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

// The nested ids of `field` (kNestedIdsKey, else kParquetNestedIdsKey), in the order written;
// empty when it has none. Corruption for a value that is not an object of 32-bit integers.
Result<std::vector<std::pair<std::string, int32_t>>> NestedColumnIds(const Field& field);

// The largest column id in `schema`: every field's delta.columnMapping.id, nested fields
// included, and every nested id; 0 when there is none.
int64_t MaxColumnId(const Schema& schema);

// The schema of the data files: every field, nested struct members, list elements and map
// keys/values included, renamed to its physical name. Field metadata is kept, so ids remain
// available, and each field with a column id also gets it as parquet.field.id, the Parquet
// field_id the writer stores (schema_to_parquet.h); list elements and map keys/values get
// their nested ids (NestedColumnIds) the same way. In mode none, returns `logical` as is.
Result<SchemaPtr> MakePhysicalSchema(const SchemaPtr& logical, ColumnMappingMode mode);

// How AssignColumnMapping names and numbers fields.
struct ColumnMappingAssignment {
  // Physical names for fields that lack one: "col-<random uuid>", or the field's own name when
  // column mapping is switched on for a table whose files already use the logical names.
  bool physical_names_from_names = false;
  // Also give list elements and map keys/values of fields that get a new id nested ids (as
  // IcebergCompatV2 requires).
  bool nested_ids = false;
};

// Gives every field of `schema` that lacks them, nested struct members included, a column id
// (counting up from *max_column_id, which ends at the largest id given) and a physical name, as
// PROTOCOL.md's writer requirements for column mapping ask of new columns. Fields keep the ids
// and physical names they have. Invalid when two fields share an id or two members of one
// struct share a physical name.
Result<SchemaPtr> AssignColumnMapping(const Schema& schema, int64_t* max_column_id,
                                      const ColumnMappingAssignment& options = {});

// Readies the metaData a transaction commits under column mapping: when its mode is name or id,
// assigns ids and physical names to the fields that lack them (AssignColumnMapping; with the
// logical names as physical names when `previous` is a table without column mapping that is
// switched to name mode) and sets delta.columnMapping.maxColumnId to the largest id given,
// never lower than `previous`'s or the one `metadata` states. `previous` is the table's
// metaData before the commit, or null for a new table. Invalid when an existing table without
// column mapping is switched to id mode (its files carry no field ids; Delta allows only name
// mode there), or for the errors of AssignColumnMapping.
Status AssignColumnMappingMetadata(Metadata* metadata, const Metadata* previous);

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

// The index among `file_members` (the members of a struct as a file holds it, with the field
// ids the file gives them, or null when unknown) of the member that holds table field `member`,
// or -1: by field id in id mode when the file's members carry ids, else by physical name
// (exactly, then ignoring ASCII case). `file_types` are the same members' arcflow fields.
Result<int> MatchFileMember(const Field& member, const std::vector<Field>& file_types,
                            const std::vector<parquet::FieldNode>* file_members,
                            ColumnMappingMode mode);

}  // namespace arcflow::delta
