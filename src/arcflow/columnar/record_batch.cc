#include "arcflow/columnar/record_batch.h"

namespace arcflow {

Result<RecordBatchPtr> RecordBatch::Make(SchemaPtr schema, int64_t num_rows,
                                         std::vector<ArrayPtr> columns) {
  if (static_cast<int>(columns.size()) != schema->num_fields()) {
    return Status::Invalid("batch: {} columns for a schema of {} fields", columns.size(),
                           schema->num_fields());
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    const Field& field = schema->field(static_cast<int>(i));
    if (columns[i]->length() != num_rows) {
      return Status::Invalid("batch: column '{}' has {} rows, expected {}", field.name,
                             columns[i]->length(), num_rows);
    }
    if (!columns[i]->type()->Equals(*field.type, /*check_metadata=*/false)) {
      return Status::Invalid("batch: column '{}' has type {}, schema says {}", field.name,
                             columns[i]->type()->ToString(), field.type->ToString());
    }
  }
  return std::make_shared<const RecordBatch>(std::move(schema), num_rows, std::move(columns));
}

RecordBatchPtr RecordBatch::Slice(int64_t offset, int64_t length) const {
  std::vector<ArrayPtr> sliced;
  sliced.reserve(columns_.size());
  for (const ArrayPtr& column : columns_) sliced.push_back(column->Slice(offset, length));
  return std::make_shared<const RecordBatch>(schema_, length, std::move(sliced));
}

Status RecordBatch::Validate() const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    ARCFLOW_RETURN_NOT_OK_CTX(ValidateArrayData(*columns_[i]->data()),
                              "column " + schema_->field(static_cast<int>(i)).name);
  }
  return Status::OK();
}

RecordBatchBuilder::RecordBatchBuilder(SchemaPtr schema) : schema_(std::move(schema)) {
  for (const Field& field : schema_->fields()) builders_.push_back(MakeBuilder(field.type));
}

int64_t RecordBatchBuilder::EstimatedBytes() const {
  int64_t total = 0;
  for (const auto& builder : builders_) total += builder->EstimatedBytes();
  return total;
}

Result<RecordBatchPtr> RecordBatchBuilder::Finish() {
  int64_t rows = num_rows();
  std::vector<ArrayPtr> columns;
  columns.reserve(builders_.size());
  for (size_t i = 0; i < builders_.size(); ++i) {
    if (builders_[i]->length() != rows) {
      return Status::Internal("batch: column '{}' has {} rows, expected {}",
                              schema_->field(static_cast<int>(i)).name, builders_[i]->length(),
                              rows);
    }
    ARCFLOW_ASSIGN_OR_RETURN(auto column, builders_[i]->Finish());
    columns.push_back(std::move(column));
  }
  num_rows_ = 0;
  return std::make_shared<const RecordBatch>(schema_, rows, std::move(columns));
}

}  // namespace arcflow
