#pragma once

#include <memory>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch.h"

namespace arcflow {

// A stream of record batches with one schema, read one at a time so that memory stays bounded
// by the batch size. Not thread-safe.
class RecordBatchReader {
 public:
  virtual ~RecordBatchReader() = default;
  virtual const SchemaPtr& schema() const = 0;
  // The next batch, or nullptr after the last one.
  virtual Result<RecordBatchPtr> Next() = 0;
};

// Writes record batches to some sink (a file format, a printer). Not thread-safe.
class RecordBatchWriter {
 public:
  virtual ~RecordBatchWriter() = default;
  virtual Status Write(const RecordBatch& batch) = 0;
  // Flushes and finishes the output; no Write may follow.
  virtual Status Close() = 0;
};

}  // namespace arcflow
