#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "arcflow/columnar/record_batch_reader.h"

namespace arcflow {

// Reads the batches of a vector, which must outlive the reader. Not thread-safe.
class VectorRecordBatchReader final : public RecordBatchReader {
 public:
  VectorRecordBatchReader(SchemaPtr schema, const std::vector<RecordBatchPtr>& batches)
      : schema_(std::move(schema)), batches_(batches) {}
  const SchemaPtr& schema() const override { return schema_; }
  Result<RecordBatchPtr> Next() override {
    if (next_ >= batches_.size()) return RecordBatchPtr();
    return batches_[next_++];
  }

 private:
  SchemaPtr schema_;
  const std::vector<RecordBatchPtr>& batches_;
  size_t next_ = 0;
};

}  // namespace arcflow
