#pragma once

#include <string>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/io/file_system.h"
#include "arcflow/json/json_read_options.h"

namespace arcflow::json {

// Infers the schema of JSON files the way Spark's JSON data source does (JsonInferSchema),
// scanning every record of every file in bounded memory (JSON lines) with the framing, mode and
// inference options of `options`:
//   - integral numbers are BIGINT, or DECIMAL(digits, 0) beyond BIGINT (DOUBLE beyond 38
//     digits); other numbers DOUBLE, or DECIMAL with prefers_decimal; strings STRING (an empty
//     string counts as null); true/false BOOLEAN; with primitives_as_string every number and
//     boolean is STRING;
//   - objects are STRUCTs with members sorted by name (UTF-16 order, as Java sorts strings);
//     arrays are ARRAYs of the merged element type;
//   - types meeting in the same place merge: BIGINT and DOUBLE give DOUBLE, decimals widen
//     (DOUBLE past 38 digits), DECIMAL and DOUBLE give DOUBLE, structs unite their members,
//     arrays merge their elements, and anything else gives STRING;
//   - a field that is null everywhere (or an empty array's element) is STRING, or dropped with
//     drop_field_if_all_null; empty structs are dropped; so are members with an empty name;
//   - each element of a top-level array is a record; a top-level null is skipped;
//   - a record that is not an object (a bare number, a syntax error) is corrupt: PERMISSIVE
//     adds the STRING column named by column_name_of_corrupt_record, DROPMALFORMED ignores it,
//     FAILFAST fails with Invalid naming the file, line and byte offset; a corrupt record
//     contributes no members.
// Files with no records give a schema without columns. More than 100,000 distinct member paths
// in total fail with Invalid: such keys are data, to be read as a MAP. `stats`, when given,
// receives counts over all files.
Result<SchemaPtr> InferJsonSchema(io::FileSystem& fs, const std::vector<std::string>& paths,
                                  const JsonReadOptions& options, JsonReadStats* stats = nullptr);

}  // namespace arcflow::json
