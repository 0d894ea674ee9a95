#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "arcflow/base/result.h"
#include "arcflow/delta/actions.h"
#include "arcflow/delta/snapshot.h"
#include "arcflow/delta/table_properties.h"

namespace arcflow::delta {

// What `_last_checkpoint` says about the newest checkpoint.
struct LastCheckpointInfo {
  int64_t version = 0;
  int64_t size = 0;  // Actions (rows) in the checkpoint.
  std::optional<int64_t> parts;
  int64_t size_in_bytes = 0;
  int64_t num_of_add_files = 0;

  // {"version":10,"size":13,"sizeInBytes":1234,"numOfAddFiles":10}
  std::string ToJson() const;
};

// Writes a classic single-part checkpoint of `snapshot` at its version,
// `_delta_log/<version %020d>.checkpoint.parquet`, with the schema Spark uses (top-level
// columns txn, add, remove, metaData, protocol, domainMetadata; one action per row; add.stats
// as a JSON string; partitionValues and tags as map<string,string>), then `_last_checkpoint`.
// Both are published atomically; the checkpoint replaces an existing one of the same version
// (all writers write the same content), and `_last_checkpoint` is only ever moved forward.
// Readers that find no `_last_checkpoint` or an older one still see a consistent table.
// Thread-safe as far as the file system is.
Result<LastCheckpointInfo> WriteCheckpoint(const Snapshot& snapshot);

// Deletes commit and checkpoint files (and their .crc files) that expired under
// delta.logRetentionDuration (default 30 days) as of `now_ms`. Only files older than the newest
// checkpoint that is itself older than the retention are candidates, and only those whose
// modification time is older than the retention, so the table stays readable at every version
// from that checkpoint on. Does nothing when delta.enableExpiredLogCleanup is "false".
// Returns the number of files deleted.
Result<int64_t> CleanUpExpiredLogs(const Snapshot& snapshot, int64_t now_ms);

}  // namespace arcflow::delta
