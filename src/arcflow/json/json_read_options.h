#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/io/corrupt_records.h"
#include "arcflow/io/format_options.h"

namespace arcflow::json {

// Counts kept by a reader (and by schema inference) over everything it has read so far.
struct JsonReadStats {
  int64_t rows = 0;             // Rows returned, counting the null rows of corrupt records.
  int64_t records = 0;          // Records seen: lines, documents, or top-level values.
  int64_t corrupt_records = 0;  // Records found corrupt, whatever the mode did with them.
  int64_t dropped_records = 0;  // Corrupt records dropped in DROPMALFORMED mode.
  int64_t bytes_read = 0;       // Bytes read from the file.
};

// How a file's records are framed.
enum class JsonFraming {
  // Decided per file: JSON lines unless the first value runs past the end of its line.
  kAuto,
  // One record per line (Spark multiLine=false); a value spread over lines is corrupt.
  kLines,
  // The file holds whole JSON documents, one after another, each a record; a top-level array
  // gives one row per element (Spark multiLine=true).
  kDocument,
};

// Options of the JSON reader and of schema inference, by Spark's JSON data source options.
// A value type.
struct JsonReadOptions {
  // The schema to read with. Null means "infer": InferJsonSchema() then uses these options, and
  // OpenJsonReader() requires a schema, so callers infer first.
  SchemaPtr schema;
  io::ParseMode mode = io::ParseMode::kPermissive;
  // The STRING column that receives the text of corrupt records in PERMISSIVE mode, when the
  // schema has a column of this name.
  std::string column_name_of_corrupt_record = "_corrupt_record";
  JsonFraming framing = JsonFraming::kAuto;
  // Spark datetime patterns; empty means the ISO-8601 forms of ParseDate/ParseTimestamp.
  std::string date_format;
  std::string timestamp_format;
  std::string timestamp_ntz_format;
  // Schema inference only: every number and boolean is inferred as STRING.
  bool primitives_as_string = false;
  // Schema inference only: non-integral numbers become DECIMAL when they fit, not DOUBLE.
  bool prefers_decimal = false;
  // Schema inference only: fields that are null (or empty arrays or structs) in every record
  // are left out instead of becoming STRING.
  bool drop_field_if_all_null = false;

  int64_t batch_rows = kDefaultBatchRows;
  int64_t batch_bytes = kDefaultBatchBytes;
  // Bytes read from the file at a time in JSON lines framing. Lines longer than this still
  // work: the buffer grows to hold the longest line.
  int64_t read_chunk_bytes = 16 << 20;

  // Called for every rejected record, in every mode, before the mode acts on it.
  std::function<void(const io::RejectedRecord&)> on_rejected;

  // Reads Spark's option names: mode, columnNameOfCorruptRecord, multiLine, dateFormat,
  // timestampFormat, timestampNTZFormat, primitivesAsString, prefersDecimal,
  // dropFieldIfAllNull, encoding/charset (UTF-8 only), lineSep (\n or \r\n), timeZone (UTC
  // only). Options that ask for leniency simdjson cannot give (allowComments,
  // allowSingleQuotes, allowUnquotedFieldNames, ...) are NotImplemented when set to true;
  // unknown options are ignored, as Spark does.
  static Result<JsonReadOptions> FromFormatOptions(const io::FormatOptions& options);
};

}  // namespace arcflow::json
