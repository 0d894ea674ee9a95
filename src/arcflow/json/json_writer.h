#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch_reader.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/io/file_system.h"
#include "arcflow/io/format_options.h"

namespace arcflow::json {

// Options of the JSON writer, by Spark's JSON data source options. A value type.
struct JsonWriteOptions {
  // Leaves out struct members that are null (Spark's ignoreNullFields, true by default); list
  // elements and map values that are null are always written as null.
  bool ignore_null_fields = true;
  // Spark datetime patterns; empty means yyyy-MM-dd and yyyy-MM-ddTHH:mm:ss.ffffff[Z].
  std::string date_format;
  std::string timestamp_format;
  std::string timestamp_ntz_format;
  // Written after every row (Spark's lineSep).
  std::string line_separator = "\n";

  // Reads ignoreNullFields, dateFormat, timestampFormat, timestampNTZFormat, lineSep, and
  // encoding/charset and compression (UTF-8 and none only; NotImplemented otherwise).
  static Result<JsonWriteOptions> FromFormatOptions(const io::FormatOptions& options);
};

// Writes record batches as JSON lines, as Spark's JSON writer does: one object per row with
// members in schema order; integers exact; FLOAT/DOUBLE in the shortest text that reads back
// the same, NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity"; DECIMAL as a plain
// number with exactly `scale` fraction digits; BINARY as base64; DATE as "yyyy-MM-dd";
// TIMESTAMP as "yyyy-MM-ddTHH:mm:ss.ffffffZ" and TIMESTAMP_NTZ without the Z; MAP as an object
// whose keys are the keys' text. Strings are escaped as JSON requires (invalid UTF-8 becomes
// U+FFFD). What it writes, JsonReader reads back to the same values. Output is buffered and
// appended to the file in pieces of about 1 MiB. Not thread-safe.
class JsonWriter final : public RecordBatchWriter {
 public:
  // Fails with Invalid when a datetime pattern does not compile.
  static Result<std::unique_ptr<JsonWriter>> Open(std::unique_ptr<io::WritableFile> file,
                                                  SchemaPtr schema, JsonWriteOptions options);
  ~JsonWriter() override;

  // REQUIRES: the batch's columns have the writer's column types (nullability and metadata
  // aside); Invalid otherwise. The writer's column names are used.
  Status Write(const RecordBatch& batch) override;
  // Writes what is buffered and closes the file.
  Status Close() override;
  // Writes what is buffered and hands the file back still open, for callers that publish it
  // themselves (e.g. io::AtomicFileWriter::Commit()). No Write may follow.
  Result<std::unique_ptr<io::WritableFile>> Finish();

  int64_t rows_written() const { return rows_written_; }
  int64_t bytes_written() const { return bytes_written_; }

 private:
  class Impl;
  JsonWriter(std::unique_ptr<io::WritableFile> file, SchemaPtr schema, JsonWriteOptions options,
             std::unique_ptr<Impl> impl);
  Status Flush();

  std::unique_ptr<io::WritableFile> file_;
  std::string path_;
  SchemaPtr schema_;
  JsonWriteOptions options_;
  std::unique_ptr<Impl> impl_;
  std::string buffer_;
  int64_t rows_written_ = 0;
  int64_t bytes_written_ = 0;
  bool finished_ = false;
};

// Opens a writer of JSON lines on `file`; see JsonWriter.
Result<std::unique_ptr<RecordBatchWriter>> OpenJsonWriter(std::unique_ptr<io::WritableFile> file,
                                                          SchemaPtr schema,
                                                          JsonWriteOptions options);

}  // namespace arcflow::json
