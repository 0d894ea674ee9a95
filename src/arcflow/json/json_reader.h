#pragma once

#include <memory>
#include <string>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch_reader.h"
#include "arcflow/io/file_system.h"
#include "arcflow/json/json_read_options.h"

namespace arcflow::json {

// Reads a JSON file into record batches of a given schema, as Spark's JSON data source does.
//
// Framing (see JsonRecordScanner): JSON lines, one record per line, or whole documents (a
// single object, or an array whose elements are the rows, pretty-printed over many lines),
// detected per file or forced by JsonReadOptions::framing (Spark's multiLine). JSON lines are
// read in bounded memory (one chunk plus one batch); a document is held whole.
//
// Conversions, by column type:
//   BOOLEAN                      true / false
//   TINYINT..BIGINT              integral numbers, range-checked; 1.5 or 1e3 is corrupt
//   FLOAT, DOUBLE                any number, and NaN, Infinity, -Infinity (bare or quoted)
//   DECIMAL(p,s)                 a number's exact digits (or a numeric string), rounded half
//                                up to s digits; corrupt when over p digits
//   STRING                       strings; numbers and booleans as their JSON text; objects
//                                and arrays as compact JSON text
//   BINARY                       base64 strings (what Spark writes)
//   DATE, TIMESTAMP(_NTZ)        strings by dateFormat/timestampFormat/timestampNTZFormat or
//                                the ISO-8601 forms; TIMESTAMP also integral seconds since
//                                the epoch; times without a zone are UTC
//   STRUCT, ARRAY, MAP           objects (members by case-sensitive name, missing = null,
//                                unknown ignored, the last duplicate wins), arrays, objects
//                                (keys converted to the key type; duplicate keys are corrupt)
// null is null everywhere. Any other value makes the record corrupt, never a silent null.
//
// Corrupt records follow JsonReadOptions::mode. A record is a line (JSON lines) or a document;
// when any value in it is corrupt the whole record is (Spark 3 without partial results): in
// PERMISSIVE mode it becomes one row of nulls carrying the record's text in the corrupt-record
// column (invalid UTF-8 replaced by U+FFFD). Every rejected record also goes to
// JsonReadOptions::on_rejected.
//
// Deviations from Spark: a line holding more than one value, or a value followed by other text,
// is corrupt (Spark reads the first value and ignores the rest); a map with a duplicate key is a
// corrupt record (Spark fails the query); the content of members that are not in the schema is
// not checked for syntax beyond bracket balance; with framing kDocument every value of the file
// is a record (Spark reads only the first).
//
// The output schema is the given schema with every field, element and map value made
// nullable, as Spark does for file sources. Not thread-safe.
class JsonReader final : public RecordBatchReader {
 public:
  // Fails with Invalid when options.schema is not set: infer one first with InferJsonSchema().
  static Result<std::unique_ptr<JsonReader>> Open(std::shared_ptr<io::FileSystem> fs,
                                                  const std::string& path, JsonReadOptions options);
  // `size_hint`, when known, is the file's size in bytes (see JsonRecordScanner).
  static Result<std::unique_ptr<JsonReader>> Open(std::unique_ptr<io::SequentialFile> file,
                                                  JsonReadOptions options, int64_t size_hint = -1);
  ~JsonReader() override;

  const SchemaPtr& schema() const override;
  // The next batch (at most batch_rows rows and about batch_bytes bytes), or nullptr at the
  // end. In FAILFAST mode the first corrupt record fails with Invalid:
  //   json: malformed record at orders.json line 17 (byte 20481): value "abc" is not a BIGINT
  //   for field 'qty'
  Result<RecordBatchPtr> Next() override;

  // Counts over what has been read so far.
  const JsonReadStats& stats() const;

 private:
  class Impl;
  explicit JsonReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Opens `path` for reading as JSON; see JsonReader.
Result<std::unique_ptr<RecordBatchReader>> OpenJsonReader(std::shared_ptr<io::FileSystem> fs,
                                                          std::string path,
                                                          JsonReadOptions options);

}  // namespace arcflow::json
