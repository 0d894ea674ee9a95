#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/base/result.h"
#include "arcflow/columnar/schema.h"
#include "arcflow/delta/actions.h"
#include "arcflow/delta/snapshot.h"
#include "arcflow/io/atomic_publish.h"
#include "arcflow/io/file_system.h"
#include "arcflow/parquet/bridge/parquet_reader.h"

namespace arcflow::delta {

// The engineInfo arcflow writes into commitInfo.
inline constexpr std::string_view kEngineInfo = "arcflow/0.1.0";

struct TransactionOptions {
  // Attempts to commit (the first included) before giving up with Conflict. Only versions lost
  // without a logical conflict are retried (a conflict fails at once), so the limit is high, as
  // in Delta (spark.databricks.delta.maxCommitAttempts): busy tables with many blind appenders
  // lose many races in a row without anything being wrong.
  int max_attempts = 1000;
  // Backoff before retry n (1-based) is a random time in [0, min(max, initial * 2^(n-1))].
  std::chrono::milliseconds initial_backoff{5};
  std::chrono::milliseconds max_backoff{1000};
  // Write a checkpoint after a commit whose version is a multiple of delta.checkpointInterval,
  // then clean up expired log files.
  bool write_checkpoints = true;
  // Milliseconds since the epoch, for commit timestamps; the system clock when unset (tests
  // set it to make timestamps predictable).
  std::function<int64_t()> clock;
  // Threads that encode the data files an append, overwrite, merge or optimize writes
  // (DataFileWriterOptions::threads): 0 takes one per core, at most 8; 1 writes on the
  // caller's thread alone. The files are the same whatever the number.
  int write_threads = 0;
};

// The outcome of a successful commit.
struct CommitResult {
  int64_t version = 0;
  // The table as of `version`; null when loading it after the commit failed (see
  // post_commit_status).
  std::shared_ptr<const Snapshot> snapshot;
  int attempts = 1;
  // Set when something after the commit failed (syncing the log directory, loading the new
  // snapshot, a checkpoint or log cleanup); the commit itself stands and must not be retried.
  Status post_commit_status;
};

// Whether a file with `partition_values` may hold rows matching all `predicates`, evaluated on
// the partition columns of `schema` (the table's logical schema). Predicates on other columns,
// and values that do not parse, are treated as matching, so callers err on the safe side.
bool PartitionMatches(const std::vector<parquet::ColumnPredicate>& predicates,
                      const PartitionValues& partition_values, const Schema& schema,
                      const std::vector<std::string>& partition_columns);

// Protocol (1,2) unless the metaData's schema or configuration needs more: TIMESTAMP_NTZ
// columns or deletion vectors need (3,7) with table features; column mapping (2,5); change
// data feed (1,4).
Protocol ProtocolFor(const Metadata& metadata, const Schema& schema);

// A Delta transaction under optimistic concurrency control (PROTOCOL.md, "Optimistic
// Concurrency Control"). It starts from a snapshot (or none, to create the table), collects
// the actions to commit and records what it read, then Commit() writes
// `_delta_log/<version>.json` with put-if-absent. When another writer took that version first,
// the winning commits are checked against what this transaction read and wrote:
//   - a winning protocol or metaData change conflicts;
//   - a winner's removal of a file this transaction read (a file it named, a file in a
//     partition it read, or any file when it read the whole table) conflicts, as does the
//     removal of a file this transaction also removes;
//   - a winner's added files conflict when they fall in what this transaction read, unless the
//     winner was a blind append (WriteSerializable isolation, Delta's default): blind appends
//     never conflict with anything;
//   - a winner's txn for an application id this transaction reads or sets conflicts.
// Without a conflict it retries at the next version after a jittered exponential backoff, up to
// max_attempts, and fails with Conflict naming the versions and the reason otherwise.
//
// One commit per transaction. Not thread-safe; concurrent writers each use their own.
class OptimisticTransaction {
 public:
  // A transaction on the table as of `snapshot`. NotImplemented when arcflow cannot write the
  // table's protocol.
  static Result<std::unique_ptr<OptimisticTransaction>> Start(
      std::shared_ptr<const Snapshot> snapshot, TransactionOptions options = {});
  // A transaction that creates a table at `table_root`; UpdateMetadata() must be called.
  static Result<std::unique_ptr<OptimisticTransaction>> StartCreate(
      std::shared_ptr<io::FileSystem> fs, std::string table_root, TransactionOptions options = {});

  // Null when creating a table.
  const std::shared_ptr<const Snapshot>& read_snapshot() const { return snapshot_; }
  // The version read, -1 when creating the table.
  int64_t read_version() const { return snapshot_ ? snapshot_->version() : -1; }
  const std::shared_ptr<io::FileSystem>& file_system() const { return fs_; }
  const std::string& table_root() const { return table_root_; }

  // The table's metaData and protocol as this transaction will commit them.
  const Metadata& metadata() const { return metadata_; }
  const Protocol& protocol() const { return protocol_; }
  // Replaces the table's metaData (schema, partitioning, configuration). When creating a
  // table, a missing id gets a new UUID and createdTime the commit time, and the protocol is
  // set by ProtocolFor unless SetProtocol() was called. Under column mapping, fields without an
  // id or physical name get them and delta.columnMapping.maxColumnId follows
  // (AssignColumnMappingMetadata); metadata() then has the schema to write with. Invalid for a
  // schema that does not parse or partition columns not in it.
  Status UpdateMetadata(Metadata metadata);
  void SetProtocol(Protocol protocol);

  // Records what the transaction read, for conflict detection.
  void ReadWholeTable() { read_whole_table_ = true; }
  void ReadFiles(const std::vector<AddFile>& files);
  void ReadPartitions(std::vector<parquet::ColumnPredicate> predicates);
  // The application's last committed txn version in the read snapshot; records the read.
  std::optional<int64_t> TransactionVersion(const std::string& app_id);

  void AddFiles(std::vector<AddFile> files);
  // Data files written but not yet published (DataFileWriterOptions::defer_publication),
  // which the commit adds: Commit() publishes them and syncs their directories on a second
  // thread while it writes and syncs the commit's temporary file, and links the commit only
  // once both are done, so the files' fsyncs overlap the commit's instead of preceding it.
  // Files never published (no commit, or one that failed first) are discarded with the
  // transaction.
  void PublishBeforeCommit(std::vector<std::shared_ptr<io::UnpublishedFile>> files);
  // Change-data files (`cdc` actions under `_change_data/`) written with this commit.
  void AddCdcFiles(std::vector<AddCdcFile> files);
  void RemoveFiles(std::vector<RemoveFile> files);
  // Removes `file` (deletionTimestamp at commit, its partition values, size and stats kept).
  void Remove(const AddFile& file, bool data_change = true);
  // Sets the application's txn version (txn action); lastUpdated is set at commit.
  void SetTransaction(std::string app_id, int64_t version);
  void AddDomainMetadata(DomainMetadata domain);

  // The commitInfo operation ("WRITE", "CREATE TABLE", ...) and its parameters, whose values
  // are JSON texts (e.g. "\"Append\""). Metrics are added to those computed from the actions.
  void SetOperation(std::string operation, StringMap parameters = {});
  void AddOperationMetric(std::string name, int64_t value);

  // Commits; see the class comment. Invalid when called twice or when creating a table
  // without metadata; Conflict as described; IOError when the log cannot be written.
  Result<CommitResult> Commit();

 private:
  OptimisticTransaction(std::shared_ptr<io::FileSystem> fs, std::string table_root,
                        std::shared_ptr<const Snapshot> snapshot, TransactionOptions options);
  int64_t Now() const;
  bool IsBlindAppend() const;
  std::vector<Action> BuildActions(int64_t version, int64_t timestamp_ms) const;
  // The table as of `version`, which this transaction just committed with `actions` (moved
  // from) to `commit_path`.
  Result<std::shared_ptr<const Snapshot>> LoadCommitted(int64_t version,
                                                        const std::string& commit_path,
                                                        std::vector<Action>& actions) const;
  // Checks the commit at `version` (already parsed) against this transaction.
  Status CheckConflicts(int64_t version, const std::vector<Action>& winner) const;
  // Refuses commits the table's properties forbid (delta.appendOnly) or that arcflow cannot
  // check (column invariants).
  Status CheckTableConstraints() const;
  Status RunPostCommit(const std::shared_ptr<const Snapshot>& snapshot);
  // Publishes files_to_publish_ (those a failed attempt published are not published again)
  // and syncs the directories they were published into.
  Status PublishDataFiles();

  std::shared_ptr<io::FileSystem> fs_;
  std::string table_root_;
  std::shared_ptr<const Snapshot> snapshot_;
  TransactionOptions options_;

  Metadata metadata_;
  Protocol protocol_;
  bool metadata_changed_ = false;
  bool protocol_changed_ = false;

  bool read_whole_table_ = false;
  std::vector<std::string> read_paths_;  // Sorted before use.
  std::vector<std::vector<parquet::ColumnPredicate>> read_predicates_;
  std::vector<std::string> read_app_ids_;

  std::vector<AddFile> adds_;
  std::vector<std::shared_ptr<io::UnpublishedFile>> files_to_publish_;
  std::vector<AddCdcFile> cdc_files_;
  std::vector<RemoveFile> removes_;
  std::vector<Transaction> transactions_;
  std::vector<DomainMetadata> domain_metadata_;
  std::string operation_ = "WRITE";
  StringMap operation_parameters_;
  StringMap extra_metrics_;
  bool committed_ = false;
};

}  // namespace arcflow::delta
