#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "arcflow/base/result.h"
#include "arcflow/columnar/data_type.h"
#include "arcflow/columnar/schema.h"

// Spark's StructType JSON: the text Delta stores in `metaData.schemaString`, e.g.
//   {"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}},
//    {"name":"b","type":{"type":"array","elementType":"string","containsNull":true},
//     "nullable":true,"metadata":{"comment":"x"}}]}
//
// Types map as: string, long, integer, short, byte, float, double, boolean, binary, date,
// timestamp (UTC-adjusted), timestamp_ntz, "decimal(p,s)" (plain "decimal" reads as (10,0)),
// and the "struct", "array" and "map" objects. Spark types arcflow has no columnar form for
// (void, variant, interval, char/varchar, geometry, ...) fail with NotImplemented; anything
// else that is not a Spark schema fails with Invalid, naming the JSON path and byte offset.
//
// Field metadata values are arbitrary JSON; they are kept as their raw text with the
// whitespace between tokens removed (every token, escapes included, stays as written), in input
// order, and printed back unchanged, so parse → print reproduces Spark's and Delta's output
// byte for byte. Schema-level metadata (Schema::metadata()) has no place in this form and is
// not printed.
//
// The parser treats its input as hostile: it accepts only well-formed UTF-8 JSON, bounds the
// nesting depth, and rejects duplicate or unknown keys rather than dropping them.
//
// All functions are thread-safe.

namespace arcflow {

// Parses a StructType JSON object into a Schema whose fields are the struct's fields.
Result<SchemaPtr> ParseStructTypeJson(std::string_view json);
// Parses any Spark DataType JSON: a quoted primitive name ("integer") or a struct, array or
// map object.
Result<DataTypePtr> ParseDataTypeJson(std::string_view json);

// Prints the compact StructType JSON of `schema` (keys in Spark's order: name, type,
// nullable, metadata). REQUIRES: every metadata value is a JSON text.
std::string ToStructTypeJson(const Schema& schema);
// Prints the compact DataType JSON of `type`: "\"integer\"" for a primitive, an object for a
// nested type.
std::string ToDataTypeJson(const DataType& type);

// Returns `text` as a JSON string literal, quotes included, escaped the way Spark's JSON
// writer does it: `"` and `\` with a backslash, \b \t \n \f \r in short form, other control
// characters as \u00XX, everything else (non-ASCII UTF-8 included) unchanged. Used for names
// and for comment metadata values.
std::string QuoteJsonString(std::string_view text);
// Decodes a JSON string literal (quotes included) into UTF-8, joining surrogate pairs.
// Returns nullopt if `literal` is not exactly one well-formed JSON string.
std::optional<std::string> UnquoteJsonString(std::string_view literal);

}  // namespace arcflow
