#pragma once

#include <memory>
#include <string>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/delta/actions.h"
#include "arcflow/io/file_system.h"

namespace arcflow::delta {

// Reads the actions stored in checkpoint files (PROTOCOL.md, "Checkpoints"): classic and
// multi-part Parquet checkpoints, V2 checkpoints in JSON or Parquet, and the Parquet sidecar
// files that V2 checkpoints point at under `_delta_log/_sidecars/`.
//
// Parquet checkpoints are read column-wise: only the top-level action columns (add, remove,
// metaData, protocol, txn, domainMetadata, checkpointMetadata, sidecar) are decoded, and
// `stats_parsed` / `partitionValues_parsed` are ignored. An action column whose type is not
// the one the protocol gives it is Corruption naming the file and column. All functions are
// thread-safe.

// Appends the actions of one checkpoint file (Parquet or JSON by its extension) to `out`.
// Sidecar actions are appended as they are; their files are not read.
Status ReadCheckpointFile(const std::shared_ptr<io::FileSystem>& fs, const std::string& path,
                          std::vector<Action>* out);

// Appends the actions of a whole checkpoint to `out`: every part of a multi-part checkpoint,
// or a V2 checkpoint followed by the actions of the sidecar files it lists (the Sidecar
// actions themselves are kept too). `checkpoint_files` are full paths; `table_root` locates
// `_delta_log/_sidecars/`.
Status ReadCheckpoint(const std::shared_ptr<io::FileSystem>& fs, const std::string& table_root,
                      const std::vector<std::string>& checkpoint_files, std::vector<Action>* out);

}  // namespace arcflow::delta
