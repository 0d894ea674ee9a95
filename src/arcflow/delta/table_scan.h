#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch_reader.h"
#include "arcflow/delta/column_mapping.h"
#include "arcflow/delta/data_skipping.h"
#include "arcflow/delta/snapshot.h"
#include "arcflow/parquet/bridge/parquet_reader.h"

namespace arcflow::delta {

struct TableScanOptions {
  // Logical column names to return, in this order; a dotted path ("a.b", backticks for names
  // with dots) selects a struct member. Empty means every column of the table schema.
  std::vector<std::string> columns;
  // A conjunction used to skip files (statistics, partition values) and Parquet row groups.
  // Rows of files that are read are all returned unless `filter_rows` is set.
  std::vector<Predicate> predicates;
  // Also drop the rows for which the predicates do not hold (exact, SQL null semantics).
  bool filter_rows = false;
  // Most rows per batch.
  int64_t batch_rows = kDefaultBatchRows;
};

// Reads the rows of one version of a Delta table: the data files of a Snapshot, minus the rows
// their deletion vectors remove, with partition columns filled in from the log, column mapping
// resolved, columns a file lacks read as null, and file types widened to the table's types
// (typeWidening). The batches have the logical table schema (or the projection of `columns`).
//
// Built once per query; immutable and thread-safe. Readers it returns are independent, each
// used by one thread at a time, and keep the snapshot alive.
class TableScan {
 public:
  // NotImplemented naming the feature when the table needs a reader feature arcflow lacks;
  // Invalid for an unknown column or a predicate that does not parse.
  static Result<std::shared_ptr<const TableScan>> Make(std::shared_ptr<const Snapshot> snapshot,
                                                       TableScanOptions options = {});

  const std::shared_ptr<const Snapshot>& snapshot() const { return snapshot_; }
  // The schema of the batches.
  const SchemaPtr& schema() const { return output_schema_; }
  // The files left after data skipping, in the snapshot's order.
  const std::vector<AddFile>& files() const { return files_; }
  int64_t num_skipped_files() const { return num_skipped_files_; }

  // Streams every remaining file in order.
  Result<std::unique_ptr<RecordBatchReader>> Execute() const;
  // Streams one add file of the snapshot (e.g. to read files in parallel): from `file` when
  // the caller opened it with OpenFile() (to read its pages too), else opening it.
  Result<std::unique_ptr<RecordBatchReader>> ReadFile(
      const AddFile& add, std::shared_ptr<const parquet::ParquetFileReader> file = nullptr) const;
  // Opens the data file of `add` as ReadFile() reads it.
  Result<std::shared_ptr<const parquet::ParquetFileReader>> OpenFile(const AddFile& add) const;

  // What reading one file needs; public only so that readers can hold it.
  struct Plan;

 private:
  TableScan() = default;

  std::shared_ptr<const Snapshot> snapshot_;
  std::shared_ptr<const Plan> plan_;
  SchemaPtr output_schema_;
  std::vector<AddFile> files_;
  int64_t num_skipped_files_ = 0;
};

// Converts an array read from a data file to the table's type `logical_type`: struct members
// matched as MatchFileMember says (by field id in id mode when `file_node`, the column's node in
// the file's schema, gives the members ids; else by physical name), missing ones null and extra
// ones dropped, list and map contents converted recursively, and primitive widening
// (int8→int16→int32→int64, integers→double or decimal, float→double, date→timestamp_ntz,
// decimal to a larger precision/scale, binary↔string, timestamp↔timestamp_ntz relabelled).
// Invalid naming `column` for any other mismatch.
Result<ArrayPtr> ConformArray(const ArrayPtr& file_array, const DataTypePtr& logical_type,
                              ColumnMappingMode mode, const std::string& column,
                              const parquet::FieldNode* file_node = nullptr);

}  // namespace arcflow::delta
