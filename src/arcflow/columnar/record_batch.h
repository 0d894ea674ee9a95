#pragma once

#include <memory>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/array.h"
#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/schema.h"

namespace arcflow {

class RecordBatch;
using RecordBatchPtr = std::shared_ptr<const RecordBatch>;

// A set of equal-length columns with a schema: the unit of data that flows between operators,
// readers and writers. Immutable once built; share by `RecordBatchPtr`. Thread-safe.
class RecordBatch {
 public:
  // Checks that the columns match the schema's types and all have `num_rows` rows.
  static Result<RecordBatchPtr> Make(SchemaPtr schema, int64_t num_rows,
                                     std::vector<ArrayPtr> columns);

  const SchemaPtr& schema() const { return schema_; }
  int64_t num_rows() const { return num_rows_; }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  const ArrayPtr& column(int i) const { return columns_[static_cast<size_t>(i)]; }
  const std::vector<ArrayPtr>& columns() const { return columns_; }

  // A zero-copy window of rows [offset, offset + length).
  RecordBatchPtr Slice(int64_t offset, int64_t length) const;

  // Runs ValidateArrayData on every column.
  Status Validate() const;

  RecordBatch(SchemaPtr schema, int64_t num_rows, std::vector<ArrayPtr> columns)
      : schema_(std::move(schema)), num_rows_(num_rows), columns_(std::move(columns)) {}

 private:
  SchemaPtr schema_;
  int64_t num_rows_;
  std::vector<ArrayPtr> columns_;
};

// Builds record batches row by row through one builder per column. Not thread-safe.
class RecordBatchBuilder {
 public:
  explicit RecordBatchBuilder(SchemaPtr schema);

  const SchemaPtr& schema() const { return schema_; }
  ArrayBuilder* column_builder(int i) const { return builders_[static_cast<size_t>(i)].get(); }
  int64_t num_rows() const { return builders_.empty() ? num_rows_ : builders_[0]->length(); }
  int64_t EstimatedBytes() const;

  // For schemas with no columns, counts rows explicitly.
  void AddEmptyRow() { ++num_rows_; }

  // Returns the batch built so far and resets the builders.
  Result<RecordBatchPtr> Finish();

 private:
  SchemaPtr schema_;
  std::vector<std::unique_ptr<ArrayBuilder>> builders_;
  int64_t num_rows_ = 0;
};

// The default bounds of a batch (DESIGN.md): about 64 Ki rows or 64 MiB, whichever first.
inline constexpr int64_t kDefaultBatchRows = 64 * 1024;
inline constexpr int64_t kDefaultBatchBytes = 64 * 1024 * 1024;

}  // namespace arcflow
