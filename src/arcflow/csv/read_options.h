#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/csv/record_reader.h"
#include "arcflow/csv/tokenizer.h"
#include "arcflow/io/corrupt_records.h"
#include "arcflow/io/format_options.h"

namespace arcflow::csv {

// Options of the CSV reader, by Spark's option names (see FromFormatOptions). The defaults
// are Spark's. A value type.
struct CsvReadOptions {
  // The columns to read. When null: with infer_schema, the types are inferred from the data;
  // otherwise every column is STRING, named by the header or _c0, _c1, ...
  // A STRING field named column_name_of_corrupt_record receives the raw text of malformed
  // records and takes no field of the input. Nested types are rejected.
  SchemaPtr schema;

  bool header = false;   // The first record of each file names the columns.
  char delimiter = ',';  // sep / delimiter
  char quote = '"';      // '\0' turns quoting off.
  char escape = '\\';    // '\0' turns backslash-style escaping off.
  // charToEscapeQuoteEscaping; unset means the escape character when it differs from the
  // quote, and none otherwise.
  std::optional<char> char_to_escape_quote_escaping;
  char comment = '\0';         // '\0': no comment lines.
  std::string line_separator;  // lineSep; empty means "\n", "\r\n" or "\r".
  bool multi_line = false;
  bool ignore_leading_white_space = false;
  bool ignore_trailing_white_space = false;

  // A field equal to null_value is null, quoted or not, except a quoted empty field (""): for
  // STRING and BINARY columns it is empty_value, and for other types it is read as empty_value
  // (null with the defaults). Spark 3 turns "" into null for strings too when nullValue is
  // empty; arcflow keeps it apart so that the writer's output reads back unchanged.
  std::string null_value;
  std::string empty_value;
  std::string nan_value = "NaN";
  std::string positive_inf = "Inf";
  std::string negative_inf = "-Inf";
  // Spark datetime patterns. Empty means the lenient ISO forms of ParseDate/ParseTimestamp.
  std::string date_format;
  std::string timestamp_format;
  std::string timestamp_ntz_format;

  int64_t max_columns = 20480;
  int64_t max_chars_per_column = -1;  // -1: unlimited.
  io::ParseMode mode = io::ParseMode::kPermissive;
  std::string column_name_of_corrupt_record = "_corrupt_record";
  bool infer_schema = false;
  double sampling_ratio = 1.0;  // Fraction of records inference looks at, in (0, 1].
  // With header and a schema: true ignores the header's names; false requires them to match
  // the schema's names by position (ignoring case).
  bool enforce_schema = true;

  int64_t batch_rows = kDefaultBatchRows;
  int64_t batch_bytes = kDefaultBatchBytes;
  int64_t chunk_bytes = kDefaultChunkBytes;           // Read size; tests make it tiny.
  int64_t max_record_bytes = kDefaultMaxRecordBytes;  // Longer records fail the read.

  // Called for every malformed record in PERMISSIVE and DROPMALFORMED modes (FAILFAST fails
  // instead), for example to quarantine them. Runs on the reading thread.
  std::function<void(const io::RejectedRecord&)> on_rejected;

  // Reads Spark's option names (case-insensitive): header, sep, delimiter, quote, escape,
  // charToEscapeQuoteEscaping, comment, lineSep, multiLine, ignoreLeadingWhiteSpace,
  // ignoreTrailingWhiteSpace, nullValue, emptyValue, nanValue, positiveInf, negativeInf,
  // dateFormat, timestampFormat, timestampNTZFormat, maxColumns, maxCharsPerColumn, mode,
  // columnNameOfCorruptRecord, inferSchema, samplingRatio, enforceSchema, encoding/charset
  // (UTF-8 only), timeZone (UTC only). Other keys are left to other layers. The result is
  // validated.
  static Result<CsvReadOptions> FromFormatOptions(const io::FormatOptions& options);

  // Checks the options for contradictions (a delimiter equal to the quote, a bad limit, ...)
  // and the schema for types CSV cannot hold.
  Status Validate() const;

  // The tokenizer settings these options describe. REQUIRES: Validate() is OK.
  TokenizerOptions ToTokenizerOptions() const;
};

// Fails with Invalid for a type the CSV format cannot hold, naming the column.
Status CheckCsvColumnType(const Field& field);

}  // namespace arcflow::csv
