#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch.h"
#include "arcflow/columnar/record_batch_reader.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/delta/actions.h"
#include "arcflow/delta/snapshot.h"
#include "arcflow/delta/transaction.h"
#include "arcflow/io/file_system.h"
#include "arcflow/parquet/bridge/parquet_reader.h"

namespace arcflow::delta {

// What a new table looks like.
struct CreateTableOptions {
  SchemaPtr schema;
  std::vector<std::string> partition_columns;
  StringMap configuration;  // Table properties, e.g. {"delta.checkpointInterval", "5"}.
  std::optional<std::string> name;
  std::optional<std::string> description;
};

// The application id and version recorded with a write (the txn action), for exactly-once
// writes: a write whose version is not above the application's last committed one is skipped.
struct WriteTxn {
  std::string app_id;
  int64_t version = 0;
};

struct WriteOptions {
  // Add the data's new columns (nullable, nested members too) to the table's schema, fill
  // columns the data lacks with nulls, and widen column types where the table allows type
  // widening; without it any difference between the data's schema and the table's is Invalid.
  // Under column mapping the new columns get fresh ids and physical names.
  bool merge_schema = false;
  std::optional<WriteTxn> txn;
  // Overwrite only: replace the files whose partitions match all these predicates (on
  // partition columns only) instead of the whole table; every written row must match them.
  std::vector<parquet::ColumnPredicate> replace_where;
};

// The result of a write: the commit, or nothing when the txn version was already committed.
struct WriteResult {
  std::optional<CommitResult> commit;
  int64_t num_files = 0;
  int64_t num_rows = 0;
};

// A Delta table as the CLI and pipelines use it: create or open, then append or overwrite
// batches, each operation one optimistic transaction (transaction.h) on the latest version.
// The object caches the latest snapshot it saw and refreshes it at the start of every write
// and after every commit. Not thread-safe; concurrent writers each open their own DeltaTable.
class DeltaTable {
 public:
  // NotFound when there is no table at `table_root`.
  static Result<std::unique_ptr<DeltaTable>> Open(std::shared_ptr<io::FileSystem> fs,
                                                  std::string table_root,
                                                  TransactionOptions options = {});
  // Commits version 0 with the protocol, metaData and no data. With the configuration
  // delta.columnMapping.mode name or id, every field (nested ones too) gets a column id and a
  // "col-<uuid>" physical name, delta.columnMapping.maxColumnId is set, and the protocol is
  // (2,5), or (3,7) listing columnMapping when another feature needs table features.
  // AlreadyExists when a table is there; Invalid for partition columns not in the schema or of
  // nested types.
  static Result<std::unique_ptr<DeltaTable>> Create(std::shared_ptr<io::FileSystem> fs,
                                                    std::string table_root,
                                                    CreateTableOptions create,
                                                    TransactionOptions options = {});

  const std::shared_ptr<const Snapshot>& snapshot() const { return snapshot_; }
  const std::string& table_root() const { return table_root_; }
  // Loads the latest version.
  Status Refresh();

  // Appends the batches as new data files (a blind append unless the schema changes).
  Result<WriteResult> Append(RecordBatchReader& reader, const WriteOptions& options = {});
  Result<WriteResult> Append(const std::vector<RecordBatchPtr>& batches,
                             const WriteOptions& options = {});
  // Replaces the table's data (or, with replace_where, the matching partitions) with the
  // batches.
  Result<WriteResult> Overwrite(RecordBatchReader& reader, const WriteOptions& options = {});
  Result<WriteResult> Overwrite(const std::vector<RecordBatchPtr>& batches,
                                const WriteOptions& options = {});

 private:
  DeltaTable(std::shared_ptr<io::FileSystem> fs, std::string table_root, TransactionOptions options)
      : fs_(std::move(fs)), table_root_(std::move(table_root)), options_(std::move(options)) {}
  Result<WriteResult> Write(RecordBatchReader& reader, const WriteOptions& options, bool overwrite);

  std::shared_ptr<io::FileSystem> fs_;
  std::string table_root_;
  TransactionOptions options_;
  std::shared_ptr<const Snapshot> snapshot_;
};

// Compares the schema of data to write with a table's. Without `merge`, returns the table's
// schema when they agree (same column names and types, in any order; nullability aside), else
// Invalid listing every differing column. With `merge`, returns the merged schema: the table's
// columns, then the data's new columns (made nullable), nested struct members merged the same
// way; a type the data has wider than the table is taken when `allow_type_widening` and
// PROTOCOL.md's type widening allows the change (integers to wider integers, float to double),
// and is Invalid otherwise.
Result<SchemaPtr> MergeWriteSchema(const Schema& table, const Schema& data, bool merge,
                                   bool allow_type_widening);

}  // namespace arcflow::delta
