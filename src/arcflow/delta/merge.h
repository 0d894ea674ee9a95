#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch.h"
#include "arcflow/columnar/record_batch_reader.h"
#include "arcflow/delta/actions.h"
#include "arcflow/delta/data_skipping.h"
#include "arcflow/delta/snapshot.h"
#include "arcflow/delta/transaction.h"

namespace arcflow::delta {

// MERGE INTO a Delta table for upserts, with the clauses of Spark's
//   MERGE INTO target USING source ON <keys equal>
//   WHEN MATCHED AND <delete condition> THEN DELETE
//   WHEN MATCHED THEN UPDATE SET *
//   WHEN NOT MATCHED [AND NOT <delete condition>] THEN INSERT *
//   WHEN NOT MATCHED BY SOURCE THEN DELETE
// Keys match when every key column is equal and not null (null keys never match).
struct MergeOptions {
  // Logical column names present in both the source and the table. Required.
  std::vector<std::string> key_columns;
  // WHEN MATCHED THEN UPDATE SET *: matched target rows take the source row's values.
  bool when_matched_update_all = true;
  // WHEN NOT MATCHED THEN INSERT *: source rows without a match are inserted.
  bool when_not_matched_insert_all = true;
  // WHEN MATCHED AND <conjunction> THEN DELETE, evaluated on the source row (e.g. op = 'D').
  // It takes precedence over the update. Source rows it selects are never inserted.
  std::vector<Predicate> when_matched_delete_condition;
  // WHEN NOT MATCHED BY SOURCE THEN DELETE: target rows no source row matches are deleted
  // (this reads, and may rewrite, every file of the table).
  bool when_not_matched_by_source_delete = false;
  // When several source rows share a key, the one with the greatest value of this source
  // column wins (nulls lose; ties keep the first row read). Without it such keys are Invalid.
  std::optional<std::string> deduplicate_order_column;
  // Add the source's new columns to the table (see MergeWriteSchema); without it they are
  // ignored, as in Spark. Source columns used only by the delete condition or the order column
  // are never written to the table. A table column missing from the source is Invalid.
  bool merge_schema = false;
};

// What a MERGE did. `commit` is empty when nothing changed (no commit is written).
struct MergeResult {
  std::optional<CommitResult> commit;
  int64_t num_source_rows = 0;
  int64_t num_rows_inserted = 0;
  int64_t num_rows_updated = 0;
  int64_t num_rows_deleted = 0;
  // Unchanged rows of rewritten files, written again.
  int64_t num_rows_copied = 0;
  int64_t num_files_added = 0;
  // Files removed from the table: rewritten, or all of whose rows were updated or deleted.
  int64_t num_files_removed = 0;
  // Files that stay, their updated and deleted rows hidden by a new deletion vector (tables
  // with delta.enableDeletionVectors); one vector each.
  int64_t num_deletion_vectors_added = 0;
  // Deletion vectors dropped: those of removed files, and those a new vector replaced.
  int64_t num_deletion_vectors_removed = 0;
  // Files read because their statistics and partition values could hold a source key.
  int64_t num_candidate_files = 0;
  // `_change_data/` files written (delta.enableChangeDataFeed).
  int64_t num_change_files_added = 0;
};

// Merges `source` into the table as of `snapshot` in one optimistic transaction (operation
// "MERGE" with Spark's metrics), copy-on-write, or with deletion vectors where the table
// enables them:
//  1. reads the whole source (it is the small side of an upsert) and keys it, checking
//     duplicates;
//  2. picks the candidate files whose key statistics (add.stats min/max) and partition values
//     can hold a source key, a whole key tuple within the file in every key column (see
//     MergeKeyIndex); only those are read, so the work follows the files touched;
//  3. splits each candidate's rows into copied, updated and deleted; a candidate with no
//     updated or deleted row is left alone;
//  4. writes the rewritten files and the inserted rows, and `_change_data/` files when the
//     table enables the change data feed. With deletion vectors (delta.enableDeletionVectors
//     and the deletionVectors feature, see DeletionVectorsEnabled) a candidate that keeps
//     some rows is not rewritten: one new deletion vector file holds, for each such file, the
//     rows it hid before and its updated and deleted rows, and only the updated rows are
//     written. A candidate that keeps no row is removed either way;
//  5. commits removes of the rewritten files and the adds (a file given a new deletion
//     vector is removed with its old one and added with the new one, its statistics marked
//     "tightBounds":false), having read the candidates, so a
//     concurrent writer that removed one of them makes the commit fail with Conflict while a
//     concurrent blind append commits too.
// Invalid for unknown key columns, schema differences (without merge_schema), duplicate
// source keys without an order column, or a delete condition that does not bind.
// Thread-compatible; concurrent merges use their own snapshots.
Result<MergeResult> Merge(std::shared_ptr<const Snapshot> snapshot, RecordBatchReader& source,
                          const MergeOptions& options, TransactionOptions transaction_options = {});
// REQUIRES: every batch has the same schema; at least one batch.
Result<MergeResult> Merge(std::shared_ptr<const Snapshot> snapshot,
                          const std::vector<RecordBatchPtr>& source, const MergeOptions& options,
                          TransactionOptions transaction_options = {});

}  // namespace arcflow::delta
