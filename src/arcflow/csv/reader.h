#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch_reader.h"
#include "arcflow/csv/read_options.h"
#include "arcflow/io/file_system.h"

namespace arcflow::csv {

// Counts of what a CSV reader did with the records it read.
struct CsvReadStats {
  int64_t rows = 0;     // Rows returned, corrupt ones included.
  int64_t corrupt = 0;  // Malformed records kept as rows (PERMISSIVE).
  int64_t dropped = 0;  // Malformed records dropped (DROPMALFORMED).
};

// Reads one CSV file as record batches, following Spark's CSV data source (see
// CsvReadOptions). The output schema is the given (or inferred, or all-STRING) schema with every
// column nullable, as Spark reads files. A record is malformed when it has more or fewer fields
// than the schema has columns (the missing ones read as null, the extra ones are ignored, as in
// Spark 3), when a value does not convert to its column's type, when a quoted field is not
// closed, or when it breaks maxColumns or maxCharsPerColumn; CsvReadOptions::mode says what
// happens then. Batches hold at most batch_rows rows and about batch_bytes bytes.
// Not thread-safe.
class CsvReader : public RecordBatchReader {
 public:
  // Opens `path` on `fs`. Reads the header (and with inferSchema and no schema, first the whole
  // file to infer the types) before returning. Fails with Invalid for bad options, a nested
  // column type, or, with enforceSchema=false, a header that does not match the schema.
  static Result<std::unique_ptr<CsvReader>> Open(std::shared_ptr<io::FileSystem> fs,
                                                 std::string path, CsvReadOptions options);

  // Counts so far; final once Next() has returned nullptr.
  virtual const CsvReadStats& stats() const = 0;
};

// CsvReader::Open as a plain RecordBatchReader.
Result<std::unique_ptr<RecordBatchReader>> OpenCsvReader(std::shared_ptr<io::FileSystem> fs,
                                                         std::string path, CsvReadOptions options);

}  // namespace arcflow::csv
