#pragma once

#include <cstdint>
#include <string_view>

#include "arcflow/base/result.h"
#include "arcflow/delta/actions.h"

namespace arcflow::delta {

// Table properties (metaData.configuration) that the log, checkpoints and maintenance read,
// with Delta's defaults. Each parse error names the property.

// Parses Delta's interval strings into milliseconds: "interval 30 days", "30 days",
// "interval 1 week", "interval 7 days 12 hours" (several parts add up), with units
// millisecond(s), second(s), minute(s), hour(s), day(s), week(s) (microseconds and
// nanoseconds count as 0 ms), in any case. Invalid otherwise.
Result<int64_t> ParseIntervalMs(std::string_view text);

// delta.checkpointInterval (default 10). Invalid for a value that is not a positive integer.
Result<int64_t> CheckpointInterval(const Metadata& metadata);

inline constexpr int64_t kDefaultDeletedFileRetentionMs = int64_t{7} * 24 * 60 * 60 * 1000;

// delta.deletedFileRetentionDuration (default 1 week): how long removed files stay in
// tombstones and on disk.
Result<int64_t> DeletedFileRetentionMs(const Metadata& metadata);

// delta.logRetentionDuration (default 30 days): how long commits and checkpoints are kept.
Result<int64_t> LogRetentionMs(const Metadata& metadata);

}  // namespace arcflow::delta
