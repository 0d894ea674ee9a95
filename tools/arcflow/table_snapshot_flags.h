#pragma once

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "arcflow/delta/snapshot.h"

namespace arcflow::cli {

// The flags that choose which version of a table a command reads: the table's path, and
// --version or --timestamp for time travel.
struct SnapshotFlags {
  std::string table;
  std::optional<int64_t> version;
  std::string timestamp;  // ISO-8601; empty for the latest version.

  void AddTo(CLI::App& command, bool with_time_travel);
  // Loads the chosen snapshot from the local file system.
  Result<std::shared_ptr<const delta::Snapshot>> Load() const;
};

// A commit timestamp (milliseconds since the epoch, UTC) as the ISO-8601 text --timestamp accepts.
std::string CommitTimestampText(int64_t milliseconds);

}  // namespace arcflow::cli
