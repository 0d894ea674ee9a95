#pragma once

#include <string>
#include <string_view>

#include "arcflow/base/result.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/parquet/schema_descriptor.h"

namespace arcflow::parquet {

// Maps arcflow schemas to the Parquet schema trees Spark writes for them, so that Spark,
// parquet-java, DuckDB and pyarrow read the files back as the same types:
//
//   boolean          BOOLEAN
//   tinyint          INT32 INT(8, signed)                 (converted INT_8)
//   smallint         INT32 INT(16, signed)                (converted INT_16)
//   int              INT32
//   bigint           INT64
//   float / double   FLOAT / DOUBLE
//   decimal(p, s)    INT32 when p <= 9, INT64 when p <= 18, else FIXED_LEN_BYTE_ARRAY of the
//                    fewest bytes that hold p digits; DECIMAL(p, s) (converted DECIMAL, with
//                    the legacy scale and precision fields)
//   string           BYTE_ARRAY STRING                    (converted UTF8)
//   binary           BYTE_ARRAY
//   date             INT32 DATE                           (converted DATE)
//   timestamp        INT64 TIMESTAMP(UTC, MICROS)         (converted TIMESTAMP_MICROS)
//   timestamp_ntz    INT64 TIMESTAMP(local, MICROS)       (no converted type: it implies UTC)
//   struct           group
//   array            <rep> group name (LIST) { repeated group list { <rep> element } }
//   map              <rep> group name (MAP) { repeated group key_value { required key;
//                                                                       <rep> value } }
//
// Nullable fields are OPTIONAL, others REQUIRED; the root group is "spark_schema". Leaves come
// out depth-first in field order (struct members in order, a map's key before its value),
// which is the column order of the file. A field whose metadata has kParquetFieldIdKey gets
// that number as its node's field_id; a list element or map key/value gets the id in the
// metadata of the type's element, key or value field (see types::ListOf and types::MapOf).
// All functions are thread-safe.

// The name Spark gives the root of the schemas it writes.
inline constexpr std::string_view kSparkSchemaRootName = "spark_schema";

// The key-value metadata entry in which Spark keeps a file's schema as StructType JSON, from
// which it restores types Parquet cannot say exactly.
inline constexpr std::string_view kSparkRowMetadataKey =
    "org.apache.spark.sql.parquet.row.metadata";

// The field metadata key, as Spark names it, whose value (a JSON integer) a writer stores as the
// Parquet field_id of the field's node: Delta column mapping and Iceberg resolve columns by it.
inline constexpr std::string_view kParquetFieldIdKey = "parquet.field.id";

// Returns the Parquet tree for `schema`. Invalid for a schema without columns or a struct
// without members, which Parquet cannot express, and for a kParquetFieldIdKey value that is
// not a 32-bit integer.
Result<SchemaNode> SchemaToParquet(const Schema& schema);

// Returns the Parquet node for one field, with its subtree.
Result<SchemaNode> FieldToParquet(const Field& field);

// The byte length of the FIXED_LEN_BYTE_ARRAY that holds every unscaled value of a decimal of
// `precision` digits: the fewest bytes whose signed range covers 10^precision - 1.
// REQUIRES: 1 <= precision <= 38.
int32_t DecimalByteWidth(int32_t precision);

}  // namespace arcflow::parquet
