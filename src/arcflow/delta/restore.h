#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "arcflow/base/result.h"
#include "arcflow/delta/snapshot.h"
#include "arcflow/delta/transaction.h"

namespace arcflow::delta {

// Which version RESTORE brings back: exactly one of the two is set.
struct RestoreOptions {
  std::optional<int64_t> version;
  // The latest version committed at or before this time (milliseconds since the epoch).
  std::optional<int64_t> timestamp_ms;
};

struct RestoreResult {
  CommitResult commit;
  int64_t restored_version = 0;
  int64_t num_removed_files = 0;
  int64_t num_restored_files = 0;
  int64_t removed_files_size = 0;
  int64_t restored_files_size = 0;
  int64_t num_files_after_restore = 0;
  int64_t table_size_after_restore = 0;
};

// RESTORE TABLE ... TO VERSION/TIMESTAMP AS OF: one commit (operation "RESTORE") on top of
// `current` that removes the files the target version does not have and adds back (with
// dataChange=true) the files it has that are not current, keyed by path and deletion vector.
// The target's metaData is restored when it differs; the protocol is never downgraded (the
// result has the higher versions and the union of the features). The transaction reads the
// whole table, so any concurrent data change makes it fail with Conflict.
// Invalid for a bad version or timestamp; NotFound naming the first file to re-add that no
// longer exists (VACUUM deleted it), before anything is committed.
Result<RestoreResult> Restore(std::shared_ptr<const Snapshot> current,
                              const RestoreOptions& options,
                              TransactionOptions transaction_options = {});

}  // namespace arcflow::delta
