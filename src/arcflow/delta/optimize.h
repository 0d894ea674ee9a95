#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/delta/data_skipping.h"
#include "arcflow/delta/snapshot.h"
#include "arcflow/delta/transaction.h"

namespace arcflow::delta {

struct OptimizeOptions {
  // The size files are packed up to; the table's delta.targetFileSize, else 128 MiB.
  std::optional<int64_t> target_file_size;
  // Only partitions matching all these predicates (on partition columns only) are compacted.
  std::vector<Predicate> partition_filter;
};

struct OptimizeResult {
  // Empty when there was nothing to compact (no commit).
  std::optional<CommitResult> commit;
  int64_t num_files_removed = 0;
  int64_t num_files_added = 0;
  int64_t num_bytes_removed = 0;
  int64_t num_bytes_added = 0;
  int64_t num_partitions_optimized = 0;
  int64_t num_files_considered = 0;
  // Rows dropped because deletion vectors marked them deleted.
  int64_t num_deleted_rows_purged = 0;
};

// OPTIMIZE (bin-packing compaction): in each partition (matching the filter), the files
// smaller than the target size are grouped, smallest first, into bins of about the target
// size, and each bin with two or more files is rewritten as new files near the target size.
// Files with deletion vectors are always rewritten, without their deleted rows. Removes and
// adds have dataChange=false, so streaming readers and the change data feed skip them; the
// rows are the same before and after. One commit, operation "OPTIMIZE" with Spark's metrics;
// none when nothing needs compacting. The transaction reads the files it rewrites, so a
// concurrent delete of one of them makes it fail with Conflict.
// Invalid for a filter on a non-partition column.
Result<OptimizeResult> Optimize(std::shared_ptr<const Snapshot> snapshot,
                                const OptimizeOptions& options = {},
                                TransactionOptions transaction_options = {});

}  // namespace arcflow::delta
