#pragma once

#include <memory>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch_reader.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/csv/write_options.h"
#include "arcflow/io/file_system.h"

namespace arcflow::csv {

// Writes record batches as CSV text, as Spark's CSV writer does (see CsvWriteOptions). A
// value is quoted when it contains the delimiter, a line break or (with escapeQuotes) the
// quote character, when it begins or ends with white space, and always with quoteAll. Inside
// quotes a quote is written escaped (\" by default, "" when escape == quote); an escape
// character that would be misread before a quote is itself escaped with
// charToEscapeQuoteEscaping. Null is written as nullValue, the empty string as emptyValue
// (""), so the reader tells them apart. Nested types are rejected. Output is buffered and
// handed to the file in large appends. Not thread-safe.
class CsvWriter : public RecordBatchWriter {
 public:
  // Fails with Invalid for bad options or a nested column type, naming the column.
  static Result<std::unique_ptr<CsvWriter>> Open(std::unique_ptr<io::WritableFile> file,
                                                 SchemaPtr schema, CsvWriteOptions options);

  // Writes the rows of `batch`. REQUIRES: the batch's column types match the schema (checked:
  // Invalid otherwise).
  Status Write(const RecordBatch& batch) override = 0;
  // Writes everything pending (the header too, for an empty output with header=true) and
  // closes the file.
  Status Close() override = 0;
  // Writes everything pending and hands the file back open, for callers that publish it
  // themselves (e.g. io::AtomicFileWriter::Commit). No Write may follow.
  virtual Result<std::unique_ptr<io::WritableFile>> Finish() = 0;
};

// CsvWriter::Open as a plain RecordBatchWriter.
Result<std::unique_ptr<RecordBatchWriter>> OpenCsvWriter(std::unique_ptr<io::WritableFile> file,
                                                         SchemaPtr schema, CsvWriteOptions options);

}  // namespace arcflow::csv
