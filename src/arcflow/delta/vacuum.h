#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/delta/actions.h"
#include "arcflow/delta/snapshot.h"
#include "arcflow/delta/table_properties.h"
#include "arcflow/delta/transaction.h"

namespace arcflow::delta {

struct VacuumOptions {
  // Files removed from the table less than this long ago, and files younger than it, are
  // kept. Defaults to the table's delta.deletedFileRetentionDuration.
  std::optional<int64_t> retention_ms;
  // List what would be deleted without deleting anything (and without commits).
  bool dry_run = false;
  // Allow a retention shorter than the table's (Spark's
  // spark.databricks.delta.retentionDurationCheck.enabled=false). A short retention can
  // delete files that concurrent readers of older versions, or writers not yet committed,
  // still need.
  bool disable_retention_check = false;
  // Record "VACUUM START" and "VACUUM END" commits (commitInfo only), as Delta 3 does, so the
  // history shows vacuums.
  bool record_in_history = true;
  // Milliseconds since the epoch; the system clock when unset.
  std::function<int64_t()> clock;
};

struct VacuumResult {
  // Full paths of the files deleted (or, in a dry run, that would be), sorted.
  std::vector<std::string> files;
  int64_t num_bytes = 0;
  bool dry_run = false;
};

// VACUUM: deletes the files under the table root that the table no longer needs. Every file
// below the root is listed, except `_delta_log/` and hidden entries (names starting with '_'
// or '.', unless they are partition directories "col=value"; `_change_data/` is listed). A file
// is deleted when it is not a data file or deletion vector of the snapshot, nor of a tombstone
// whose deletion is younger than the retention, and its modification time is older than the
// retention (so files that writers have not committed yet survive).
// Invalid when the retention is shorter than the table's and the check is not disabled.
// IOError when a file cannot be deleted (files deleted before it stay deleted, which is safe).
Result<VacuumResult> Vacuum(std::shared_ptr<const Snapshot> snapshot,
                            const VacuumOptions& options = {},
                            TransactionOptions transaction_options = {});

}  // namespace arcflow::delta
