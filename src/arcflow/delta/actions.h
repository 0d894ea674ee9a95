#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "arcflow/base/result.h"

namespace arcflow::delta {

// The actions of the Delta transaction log (PROTOCOL.md, "Actions"), as plain value types.
// Each commit file `_delta_log/<version>.json` holds one action per line; checkpoints hold the
// same actions as Parquet rows. Fields the protocol marks optional are std::optional so that
// writing an action back produces exactly the fields that were read. Thread-compatible.

// A string→string map whose order is kept (the log's JSON objects are written in this order).
using StringMap = std::vector<std::pair<std::string, std::string>>;
// Partition values: column name → value text, nullopt for a null partition value.
using PartitionValues = std::vector<std::pair<std::string, std::optional<std::string>>>;

struct Protocol {
  int32_t min_reader_version = 1;
  int32_t min_writer_version = 2;
  // Present exactly when the reader version is 3 (writer version 7) and later.
  std::optional<std::vector<std::string>> reader_features;
  std::optional<std::vector<std::string>> writer_features;

  bool HasReaderFeature(std::string_view feature) const;
  bool HasWriterFeature(std::string_view feature) const;
  bool operator==(const Protocol&) const = default;
};

struct Format {
  std::string provider = "parquet";
  StringMap options;
  bool operator==(const Format&) const = default;
};

struct Metadata {
  std::string id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  Format format;
  std::string schema_string;  // Spark StructType JSON.
  std::vector<std::string> partition_columns;
  StringMap configuration;
  std::optional<int64_t> created_time;  // Milliseconds since the epoch.

  // The configuration value of `key`, if set.
  std::optional<std::string> Configuration(std::string_view key) const;
  bool operator==(const Metadata&) const = default;
};

// Where a file's deleted rows are kept (PROTOCOL.md, "Deletion Vectors").
struct DeletionVectorDescriptor {
  // 'u': path relative to the table, derived from a UUID in Z85; 'i': inline, Z85 bitmap;
  // 'p': absolute path.
  char storage_type = 'u';
  std::string path_or_inline_dv;
  std::optional<int32_t> offset;
  int32_t size_in_bytes = 0;
  int64_t cardinality = 0;  // Number of deleted rows.

  // Identifies the vector among a file's; together with the path it keys an add file.
  std::string UniqueId() const;
  bool operator==(const DeletionVectorDescriptor&) const = default;
};

struct AddFile {
  std::string path;  // As in the log: a relative, URL-encoded path or an absolute URI.
  PartitionValues partition_values;
  int64_t size = 0;
  int64_t modification_time = 0;
  bool data_change = true;
  std::optional<std::string> stats;  // JSON text: numRecords, minValues, maxValues, nullCount.
  std::optional<StringMap> tags;
  std::optional<DeletionVectorDescriptor> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;
  std::optional<std::string> clustering_provider;
  bool operator==(const AddFile&) const = default;
};

struct RemoveFile {
  std::string path;
  std::optional<int64_t> deletion_timestamp;
  bool data_change = true;
  std::optional<bool> extended_file_metadata;
  std::optional<PartitionValues> partition_values;
  std::optional<int64_t> size;
  std::optional<std::string> stats;
  std::optional<StringMap> tags;
  std::optional<DeletionVectorDescriptor> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;
  bool operator==(const RemoveFile&) const = default;
};

// A change-data file (`cdc` action) under `_change_data/`.
struct AddCdcFile {
  std::string path;
  PartitionValues partition_values;
  int64_t size = 0;
  bool data_change = false;
  std::optional<StringMap> tags;
  bool operator==(const AddCdcFile&) const = default;
};

// The `txn` action: the latest version an application committed (exactly-once bookkeeping).
struct Transaction {
  std::string app_id;
  int64_t version = 0;
  std::optional<int64_t> last_updated;  // Milliseconds since the epoch.
  bool operator==(const Transaction&) const = default;
};

// The `commitInfo` action. Its content is free-form; the fields arcflow reads are parsed and
// the whole object is kept as JSON text so that nothing is lost.
struct CommitInfo {
  std::optional<int64_t> timestamp;
  std::optional<int64_t> in_commit_timestamp;
  std::optional<std::string> operation;
  std::optional<int64_t> read_version;
  std::optional<bool> is_blind_append;
  // operationParameters and operationMetrics with every value as its JSON text.
  StringMap operation_parameters;
  StringMap operation_metrics;
  std::optional<std::string> engine_info;
  std::string json;  // The whole object as read, or as to be written (see SerializeAction).
  bool operator==(const CommitInfo&) const = default;
};

struct DomainMetadata {
  std::string domain;
  std::string configuration;  // Opaque JSON text.
  bool removed = false;
  bool operator==(const DomainMetadata&) const = default;
};

// V2 checkpoints: `checkpointMetadata` and `sidecar` actions.
struct CheckpointMetadata {
  int64_t version = 0;
  std::optional<StringMap> tags;
  bool operator==(const CheckpointMetadata&) const = default;
};

struct Sidecar {
  std::string path;  // Relative to `_delta_log/_sidecars/`.
  int64_t size_in_bytes = 0;
  int64_t modification_time = 0;
  std::optional<StringMap> tags;
  bool operator==(const Sidecar&) const = default;
};

using Action = std::variant<Protocol, Metadata, AddFile, RemoveFile, AddCdcFile, Transaction,
                            CommitInfo, DomainMetadata, CheckpointMetadata, Sidecar>;

// Parses one line of a commit file. Returns nullopt for an action kind this version of the
// protocol does not know (readers must ignore them). `where` names the file and line in errors.
Result<std::optional<Action>> ParseAction(std::string_view json_line, std::string_view where);

// Parses a whole commit file (newline-delimited JSON; blank lines are skipped).
Result<std::vector<Action>> ParseCommit(std::string_view text, std::string_view file_path);

// One line of JSON, without the newline, in the form Spark writes (e.g. {"add":{...}}).
// For a CommitInfo, `json` is written as is when not empty, otherwise built from the fields.
std::string SerializeAction(const Action& action);

// `map` as a JSON object of strings, in its order, as actions write string maps.
std::string SerializeStringMap(const StringMap& map);

// A commit file's content: one serialized action per line.
std::string SerializeCommit(const std::vector<Action>& actions);

}  // namespace arcflow::delta
