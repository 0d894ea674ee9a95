#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/data_type.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/parquet/physical_type.h"
#include "arcflow/parquet/schema_descriptor.h"

namespace arcflow::parquet {

// Choices in mapping Parquet types to arcflow types that Spark leaves to configuration.
struct SchemaConversionOptions {
  // Reads un-annotated BYTE_ARRAY columns as string instead of binary, like Spark's
  // spark.sql.parquet.binaryAsString (for files from writers that never annotate strings).
  bool binary_as_string = false;
};

// How the physical values of a leaf column turn into the values of its arcflow array.
enum class LeafConversion : uint8_t {
  kBoolean,
  kInt32,                // int, date: stored as is
  kInt32ToInt8,          // INT(8, signed)
  kInt32ToInt16,         // INT(16, signed)
  kUInt8ToInt16,         // INT(8, unsigned): zero-extended
  kUInt16ToInt32,        // INT(16, unsigned)
  kUInt32ToInt64,        // INT(32, unsigned)
  kInt64,                // bigint, timestamps and times in microseconds: stored as is
  kUInt64ToDecimal,      // INT(64, unsigned) → decimal(20,0)
  kInt32MillisToMicros,  // TIME(MILLIS) → bigint microseconds
  kInt64MillisToMicros,  // TIMESTAMP(MILLIS)
  kInt64NanosToMicros,   // TIMESTAMP(NANOS), TIME(NANOS): rounded towards negative infinity
  kInt96ToTimestamp,     // legacy Julian day + nanoseconds of day
  kFloat,
  kDouble,
  kFloat16ToFloat,  // FIXED_LEN_BYTE_ARRAY(2) half-precision
  kInt32ToDecimal,
  kInt64ToDecimal,
  kBytesToDecimal,  // big-endian two's complement in BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY
  kByteArray,       // string or binary, bytes as stored
  kFixedToBinary,   // FIXED_LEN_BYTE_ARRAY → binary (or string for ENUM-like uses)
  kUuidToString,    // FIXED_LEN_BYTE_ARRAY(16) → "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
};

// One node of the arcflow type tree read from a file, with the levels that assembling it from
// Parquet's definition and repetition levels needs (the Dremel encoding):
//   - a value of the node is present (non-null) where the definition level reaches
//     `definition_level`;
//   - the node sits under `depth` lists; its entries are the levels that open an element of the
//     innermost of them (repetition level <= depth and definition level reaching that list's
//     `element_definition_level`), or every record start at depth 0.
// Maps are lists whose element is a non-null struct of key and value. A plain value tree.
struct FieldNode {
  enum class Kind : uint8_t { kLeaf, kStruct, kList };

  Kind kind = Kind::kLeaf;
  std::string name;
  DataTypePtr type;
  bool nullable = true;
  // The field_id the file gives the node (a list's element, a map's key or value included),
  // by which Delta column mapping and Iceberg resolve columns; unset when the file has none.
  std::optional<int32_t> field_id;
  int16_t definition_level = 0;
  int depth = 0;
  // kList: the definition level at which the list has an element, and the repetition level of
  // its repeated field (always depth + 1).
  int16_t element_definition_level = 0;
  int16_t repetition_level = 0;
  // Set on map keys that the file declares optional although a map key cannot be null
  // (written so by old Presto/Trino); a null found there is Corruption.
  bool reject_nulls = false;
  // kLeaf: the column (leaf index in the file schema) and how to convert its values.
  int column_index = -1;
  PhysicalType physical_type = PhysicalType::kBoolean;
  int32_t type_length = 0;
  LeafConversion conversion = LeafConversion::kBoolean;
  // The first leaf column below (or at) this node; its levels give this node's validity and
  // list offsets, which every leaf below agrees on.
  int first_column = -1;
  // Struct members, or the single list element (for maps, the key/value struct).
  std::vector<FieldNode> children;
};

// The arcflow schema of a Parquet file and the assembly tree of each top-level field.
struct ParquetSchemaMapping {
  SchemaPtr schema;
  std::vector<FieldNode> fields;  // One per schema field, in order.
};

// Maps a Parquet schema to arcflow types as Spark reads it:
//   BOOLEAN → boolean; INT32 → int (INT(8|16) signed → tinyint|smallint; unsigned 8|16|32 → the
//   next wider signed type); INT64 → bigint (unsigned → decimal(20,0)); INT96 → timestamp;
//   FLOAT/DOUBLE → float/double; FLOAT16 → float; BYTE_ARRAY → string when annotated STRING,
//   ENUM or JSON, else binary (string with binary_as_string); FIXED_LEN_BYTE_ARRAY → binary,
//   UUID → string in canonical 8-4-4-4-12 form (Spark would give binary; the text form is what
//   people and the canonical row output expect); DECIMAL → decimal(p,s) (p > 38 is
//   NotImplemented); DATE → date; TIMESTAMP adjusted to UTC (and the legacy TIMESTAMP_MILLIS/
//   MICROS) → timestamp, not adjusted → timestamp_ntz; TIME → bigint microseconds of the day
//   (Spark has no TIME type); LIST (standard three-level and the legacy forms of
//   LogicalTypes.md's backward-compatibility rules) → array; MAP and MAP_KEY_VALUE → map (a map
//   without a value field → array of its keys); other repeated fields → array of non-null
//   elements; other groups → struct. Variant groups read as struct<metadata, value> of binary
//   and GEOMETRY/GEOGRAPHY as binary. Annotations that do not apply to the physical type are
//   ignored. A field is nullable when it is OPTIONAL.
Result<ParquetSchemaMapping> MapParquetSchema(const SchemaDescriptor& schema,
                                              const SchemaConversionOptions& options = {});

}  // namespace arcflow::parquet
