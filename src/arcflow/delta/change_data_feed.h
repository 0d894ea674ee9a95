#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "arcflow/base/result.h"
#include "arcflow/columnar/record_batch_reader.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/delta/actions.h"
#include "arcflow/io/file_system.h"

namespace arcflow::delta {

// The change data feed (PROTOCOL.md, "Change Data Files"; Delta's table_changes): the rows
// each commit inserted, deleted or updated, with three columns added to the table's columns.
inline constexpr std::string_view kChangeTypeColumn = "_change_type";
inline constexpr std::string_view kCommitVersionColumn = "_commit_version";
inline constexpr std::string_view kCommitTimestampColumn = "_commit_timestamp";
// The directory of change data files, below the table root.
inline constexpr std::string_view kChangeDataDirectory = "_change_data";

// The values of _change_type.
inline constexpr std::string_view kChangeInsert = "insert";
inline constexpr std::string_view kChangeDelete = "delete";
inline constexpr std::string_view kChangeUpdatePreimage = "update_preimage";
inline constexpr std::string_view kChangeUpdatePostimage = "update_postimage";

// Whether a table's configuration enables the change data feed.
bool IsChangeDataFeedEnabled(const StringMap& configuration);

struct ChangeDataFeedOptions {
  int64_t start_version = 0;
  // The latest version when unset.
  std::optional<int64_t> end_version;
  int64_t batch_rows = kDefaultBatchRows;
};

// Reads the changes of the commits start_version..end_version (both included), commit by
// commit in version order:
//  - a commit with cdc actions: the rows of its `_change_data/` files, whose _change_type
//    column says what happened;
//  - any other commit: the rows of its data-changing adds as "insert" and of its
//    data-changing removes as "delete" (dataChange=false actions, e.g. OPTIMIZE, give none);
//    a file removed and added again with another deletion vector gives the rows the new
//    vector deletes as "delete" and the rows it restores as "insert".
// The batches have the table's schema at end_version followed by _change_type (string),
// _commit_version (long) and _commit_timestamp (timestamp; the in-commit timestamp or the
// commit file's modification time).
//
// Invalid when the range is empty or outside the log, or when a commit in it was written while
// delta.enableChangeDataFeed was not true; NotFound for no table. The plan (which files to
// read) is made eagerly, the files are read lazily by the returned reader, which keeps what
// it needs alive and is used by one thread at a time.
Result<std::unique_ptr<RecordBatchReader>> ReadChangeDataFeed(std::shared_ptr<io::FileSystem> fs,
                                                              const std::string& table_root,
                                                              const ChangeDataFeedOptions& options);

}  // namespace arcflow::delta
