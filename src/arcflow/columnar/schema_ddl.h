#pragma once

#include <string>
#include <string_view>

#include "arcflow/base/result.h"
#include "arcflow/columnar/data_type.h"
#include "arcflow/columnar/schema.h"

// Spark DDL schema strings, as ArcFlow pipeline configs write them:
//   id BIGINT NOT NULL COMMENT 'key', tags ARRAY<STRING>, attrs MAP<STRING, INT>,
//   addr STRUCT<city: STRING, zip STRING NOT NULL>, amount DECIMAL(10,2), `weird name` INT
//
// Accepted types (keywords are case-insensitive): STRING, VARCHAR(n), CHAR(n), CHARACTER(n)
// (all read as string), BOOLEAN, TINYINT/BYTE, SMALLINT/SHORT, INT/INTEGER, BIGINT/LONG,
// FLOAT/REAL, DOUBLE, DATE, TIMESTAMP/TIMESTAMP_LTZ, TIMESTAMP_NTZ, BINARY,
// DECIMAL/DEC/NUMERIC[(p[,s])] (bare means Spark's default (10,0)), ARRAY<T>, MAP<K, V> and
// STRUCT<name[:] T [NOT NULL] [COMMENT '...'], ...> (STRUCT<> is the empty struct).
// Names are plain identifiers or backticked (`a``b` is the name a`b). COMMENT takes a single-
// or double-quoted Spark SQL string literal with backslash escapes (or a raw R'...' literal)
// and becomes the field metadata key "comment" holding the JSON-encoded text, so
// Field::comment() returns it. Column names must be unique ignoring ASCII case within each
// struct, as under Spark's default case-insensitive resolution.
//
// What DDL cannot say is fixed on parse: list elements and map values are nullable, map keys
// are not, and fields carry no metadata but "comment".
//
// Errors are Status::Invalid (NotImplemented for Spark types arcflow does not model, such as
// VARIANT or INTERVAL) with the offending text, its byte position and its line and column:
//   schema: unknown type 'STRNG' at position 14 (line 1, column 15); did you mean STRING? ...
//
// All functions are thread-safe.

namespace arcflow {

// Parses a comma-separated column list. Also accepts a whole-schema struct type,
// "STRUCT<a: INT, b: STRING>", whose members become the columns, and an empty or blank
// string as the schema with no columns. A trailing comma is an error, as in Spark.
Result<SchemaPtr> ParseDdlSchema(std::string_view ddl);
// Parses a single type such as "array<struct<x: double>>".
Result<DataTypePtr> ParseDdlType(std::string_view ddl);

// Prints `schema` in canonical Spark form: "id BIGINT NOT NULL COMMENT 'key', tags
// ARRAY<STRING>, addr STRUCT<city: STRING, zip: STRING NOT NULL>, d DECIMAL(10,2)". Names are
// backticked only when they are not plain identifiers or are reserved words. Metadata other
// than a string "comment", and the nullability of list elements and map values, are not
// printed. For schemas without those, and whose comments are encoded as QuoteJsonString
// writes them (as ParseDdlSchema does), ParseDdlSchema(ToDdl(s)) equals s.
std::string ToDdl(const Schema& schema);
// Prints `type` the same way: "ARRAY<STRUCT<x: DOUBLE>>".
std::string ToDdl(const DataType& type);

}  // namespace arcflow
