#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch.h"
#include "arcflow/columnar/record_batch_reader.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/io/file_system.h"
#include "arcflow/parquet/bridge/schema_from_parquet.h"
#include "arcflow/parquet/file_metadata.h"
#include "arcflow/parquet/schema_descriptor.h"

namespace arcflow::parquet {

struct ParquetReadOptions {
  // Most rows in one batch of GetRecordBatchReader; larger row groups are split.
  int64_t batch_rows = kDefaultBatchRows;
  // Checks page CRCs where the writer stored them.
  bool verify_checksums = true;
  SchemaConversionOptions schema;
};

// A simple condition on a top-level primitive column, used to skip row groups whose column
// statistics prove that no row satisfies it. Predicates only skip whole row groups: the rows
// of the row groups that are read are all returned, so callers still filter them.
struct ColumnPredicate {
  enum class Op : uint8_t { kEq, kLt, kLe, kGt, kGe, kIsNull, kIsNotNull };

  std::string column;  // Top-level column name.
  Op op = Op::kEq;
  // The value in the canonical text form of the column's type ("42", "1.5", "2024-01-31",
  // "2024-01-31T10:00:00Z", "12.30", "true", the string itself; for binary columns the raw
  // bytes). Unused by kIsNull and kIsNotNull.
  std::string value;
};

// Reads one Parquet file into record batches. Open() reads and checks the footer and maps the
// schema; row groups are then read on demand, only the column chunks of the projected columns.
//
// Thread-safety: the reader is immutable after Open(); ReadRowGroup may be called from
// several threads at once. Batch readers it creates are independent of each other and of it
// (they share the open file), each used by one thread at a time.
class ParquetFileReader {
 public:
  static Result<std::unique_ptr<ParquetFileReader>> Open(std::shared_ptr<io::FileSystem> fs,
                                                         std::string path,
                                                         ParquetReadOptions options = {});
  ~ParquetFileReader();

  const FileMetaData& metadata() const;
  const SchemaDescriptor& parquet_schema() const;
  // The arcflow schema of the whole file.
  const SchemaPtr& schema() const;
  const ParquetSchemaMapping& schema_mapping() const;
  int num_row_groups() const;
  int64_t num_rows() const;
  const std::string& path() const;
  // The open file and its size, for readers of its pages (StoredPages).
  const io::RandomAccessFile& file() const;
  int64_t file_size() const;

  // Reads row group `index` as one batch with the top-level fields `column_indices` (in that
  // order; empty means all).
  Result<RecordBatchPtr> ReadRowGroup(int index, const std::vector<int>& column_indices = {}) const;

  // Streams the file in batches of at most options.batch_rows rows with the given top-level
  // fields (empty means all), reading only the row groups that `predicates` (all of which must
  // hold) do not rule out.
  Result<std::unique_ptr<RecordBatchReader>> GetRecordBatchReader(
      const std::vector<int>& column_indices = {},
      const std::vector<ColumnPredicate>& predicates = {}) const;

  // The row groups that statistics do not rule out for `predicates`, in file order. Invalid
  // for a predicate on an unknown column or a value that does not parse as the column's type.
  Result<std::vector<int>> SelectRowGroups(const std::vector<ColumnPredicate>& predicates) const;

  // Shared, immutable state of an open file; public only so batch readers can hold it.
  struct State;

 private:
  explicit ParquetFileReader(std::shared_ptr<const State> state) : state_(std::move(state)) {}

  std::shared_ptr<const State> state_;
};

}  // namespace arcflow::parquet
