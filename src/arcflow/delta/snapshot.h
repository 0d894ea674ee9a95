#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/delta/actions.h"
#include "arcflow/io/file_system.h"

namespace arcflow::delta {

// The files of `_delta_log/` that make up one version of a table: the newest usable
// checkpoint at or below the version (all parts, or a V2 checkpoint and its sidecars), then
// the versions after it, each replayed from its commit or from a log compaction file
// `<x>.<y>.compacted.json` that stands in for the commits x..y (never overlapping, wholly after
// the checkpoint and at or below the version; the fewest files win, so the widest compaction
// files are preferred). A compaction file that is unreadable or not reconciled is not used.
struct LogSegment {
  int64_t version = -1;
  std::optional<int64_t> checkpoint_version;
  std::vector<std::string> checkpoint_files;  // Full paths; parts in order.
  // Full paths, ascending versions: the commits replayed, which leaves out those that a
  // compaction file stood in for.
  std::vector<std::string> commit_files;
  std::vector<std::string> compaction_files;  // Full paths, ascending ranges.
};

// Which version to load: the latest (both unset), an exact version, or the latest version
// whose commit timestamp is at or before `timestamp_ms`.
struct SnapshotOptions {
  std::optional<int64_t> version;
  std::optional<int64_t> timestamp_ms;
};

// The state of a table at one version, reconciled from its log as PROTOCOL.md says ("Action
// Reconciliation"). The log is listed once; `_last_checkpoint` is not read, since the listing
// already shows the newest checkpoint. Immutable once loaded and shared by shared_ptr;
// thread-safe.
class Snapshot {
 public:
  // Replays the log of the table at `table_root` on `fs`. NotFound when there is no table
  // there (no `_delta_log` with a commit or checkpoint); Corruption naming the file when the
  // log is malformed; Invalid for a version or timestamp the log does not have.
  static Result<std::shared_ptr<const Snapshot>> Load(std::shared_ptr<io::FileSystem> fs,
                                                      std::string table_root,
                                                      const SnapshotOptions& options = {});

  const std::shared_ptr<io::FileSystem>& file_system() const { return fs_; }
  const std::string& table_root() const { return table_root_; }
  int64_t version() const { return log_segment_.version; }
  // The commit time of this version: its in-commit timestamp when the table enables them,
  // else the modification time of the commit file.
  int64_t timestamp_ms() const { return timestamp_ms_; }
  const Protocol& protocol() const { return protocol_; }
  const Metadata& metadata() const { return metadata_; }
  // The table's logical schema, parsed from metadata().schema_string (names as users see
  // them; column mapping's physical names are in each field's metadata). Null when the schema
  // does not parse or uses types arcflow has no columnar form for (variant, void, ...): the log
  // still loads, and schema_status() says why there is no schema.
  const std::shared_ptr<const Schema>& schema() const { return schema_; }
  // OK when schema() is set; otherwise the error of parsing the schema string.
  const Status& schema_status() const { return schema_status_; }
  // The active data files, sorted by path and then deletion vector id.
  const std::vector<AddFile>& files() const { return files_; }
  // Removes that have not expired (kept by checkpoints so that VACUUM knows them).
  const std::vector<RemoveFile>& tombstones() const { return tombstones_; }
  // The latest txn of each application, sorted by app id.
  const std::vector<Transaction>& transactions() const { return transactions_; }
  std::optional<int64_t> TransactionVersion(std::string_view app_id) const;
  // Domain metadata that is not removed, sorted by domain.
  const std::vector<DomainMetadata>& domain_metadata() const { return domain_metadata_; }
  const LogSegment& log_segment() const { return log_segment_; }

  // The snapshot at the version after `base`'s, whose commit (the file `commit_path`, last
  // modified at `commit_modification_time_ms`) holds `actions`: what Load would reconstruct,
  // built from `base` without reading the log again. A writer uses it after its commit when
  // no other commit came between.
  static std::shared_ptr<const Snapshot> AfterCommit(const Snapshot& base,
                                                     std::vector<Action> actions,
                                                     std::string commit_path,
                                                     int64_t commit_modification_time_ms);

  // Builds a snapshot from already reconciled state.
  Snapshot(std::shared_ptr<io::FileSystem> fs, std::string table_root, LogSegment segment,
           int64_t timestamp_ms, Protocol protocol, Metadata metadata,
           std::shared_ptr<const Schema> schema, std::vector<AddFile> files,
           std::vector<RemoveFile> tombstones, std::vector<Transaction> transactions,
           std::vector<DomainMetadata> domain_metadata);

 private:
  // Replays the log in snapshot.cc and records the schema status it finds.
  friend class SnapshotLoader;

  std::shared_ptr<io::FileSystem> fs_;
  std::string table_root_;
  LogSegment log_segment_;
  int64_t timestamp_ms_ = 0;
  Protocol protocol_;
  Metadata metadata_;
  std::shared_ptr<const Schema> schema_;
  Status schema_status_;
  std::vector<AddFile> files_;
  std::vector<RemoveFile> tombstones_;
  std::vector<Transaction> transactions_;
  std::vector<DomainMetadata> domain_metadata_;
};

// One entry of a table's history: a version, its commit time and its commitInfo (empty when
// the commit has none).
struct HistoryEntry {
  int64_t version = 0;
  int64_t timestamp_ms = 0;
  CommitInfo commit_info;
};

// The commits still in the log, newest first, at most `limit` of them when set. Read from the
// commit files alone: log compaction files hold no commitInfo, so versions whose commits were
// cleaned up have no entry.
Result<std::vector<HistoryEntry>> ReadHistory(std::shared_ptr<io::FileSystem> fs,
                                              const std::string& table_root,
                                              std::optional<int64_t> limit = std::nullopt);

}  // namespace arcflow::delta
