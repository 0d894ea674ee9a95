#include "arcflow/delta/transaction.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "arcflow/base/ascii.h"
#include "arcflow/base/random.h"
#include "arcflow/base/uuid.h"
#include "arcflow/columnar/schema_json.h"
#include "arcflow/delta/checkpoint_writer.h"
#include "arcflow/delta/column_mapping.h"
#include "arcflow/delta/data_file_writer.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/partition_value.h"
#include "arcflow/delta/table_features.h"
#include "arcflow/delta/table_properties.h"
#include "arcflow/io/atomic_publish.h"

namespace arcflow::delta {

namespace {

using parquet::ColumnPredicate;

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// -1, 0 or 1 for values of one type; nullopt when they cannot be compared.
std::optional<int> CompareValues(const TypedValue& a, const TypedValue& b) {
  if (a.value.index() != b.value.index()) return std::nullopt;
  return std::visit(
      [&](const auto& left) -> std::optional<int> {
        using T = std::decay_t<decltype(left)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return 0;
        } else {
          const T& right = std::get<T>(b.value);
          if (left < right) return -1;
          if (right < left) return 1;
          return 0;
        }
      },
      a.value);
}

bool PredicateMatches(const ColumnPredicate& predicate, const std::optional<std::string>& text,
                      const DataTypePtr& type) {
  auto file_value = ParsePartitionValue(text, type, predicate.column);
  if (!file_value.ok()) return true;
  if (predicate.op == ColumnPredicate::Op::kIsNull) return file_value->is_null();
  if (predicate.op == ColumnPredicate::Op::kIsNotNull) return !file_value->is_null();
  if (file_value->is_null()) return false;
  TypedValue wanted;
  if (type->is_binary_like()) {
    // The empty string is a value here, not the log's spelling of null.
    wanted = TypedValue{type, std::string(predicate.value)};
  } else {
    auto parsed = ParsePartitionValue(predicate.value, type, predicate.column);
    if (!parsed.ok() || parsed->is_null()) return true;
    wanted = std::move(*parsed);
  }
  std::optional<int> order = CompareValues(*file_value, wanted);
  if (!order) return true;
  switch (predicate.op) {
    case ColumnPredicate::Op::kEq:
      return *order == 0;
    case ColumnPredicate::Op::kLt:
      return *order < 0;
    case ColumnPredicate::Op::kLe:
      return *order <= 0;
    case ColumnPredicate::Op::kGt:
      return *order > 0;
    case ColumnPredicate::Op::kGe:
      return *order >= 0;
    default:
      return true;
  }
}

bool HasTimestampNtz(const DataType& type) {
  if (type.id() == TypeId::kTimestamp && !type.utc_adjusted()) return true;
  for (const Field& field : type.fields()) {
    if (HasTimestampNtz(*field.type)) return true;
  }
  return false;
}

void AddFeature(std::optional<std::vector<std::string>>* features, std::string feature) {
  if (!*features) *features = std::vector<std::string>{};
  if (std::find((*features)->begin(), (*features)->end(), feature) == (*features)->end()) {
    (*features)->push_back(std::move(feature));
  }
}

// The number after "numRecords": in a stats JSON text, if any.
std::optional<int64_t> NumRecords(const std::optional<std::string>& stats) {
  if (!stats) return std::nullopt;
  size_t position = stats->find("\"numRecords\":");
  if (position == std::string::npos) return std::nullopt;
  position += 13;
  int64_t value = 0;
  bool any = false;
  while (position < stats->size() && (*stats)[position] >= '0' && (*stats)[position] <= '9' &&
         value < (int64_t{1} << 58)) {
    value = value * 10 + ((*stats)[position++] - '0');
    any = true;
  }
  return any ? std::optional<int64_t>(value) : std::nullopt;
}

void AppendStringMapJson(const StringMap& map, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const auto& [key, value] : map) {
    if (!first) out->push_back(',');
    first = false;
    out->append(QuoteJsonString(key));
    out->push_back(':');
    out->append(value);
  }
  out->push_back('}');
}

// Writes `contents` to a new file at `path` and syncs it.
Status WriteDurably(io::FileSystem& fs, const std::string& path, std::string_view contents) {
  ARCFLOW_ASSIGN_OR_RETURN(auto file, fs.OpenWritable(path));
  Status status = file->Append(contents);
  if (status.ok()) status = file->Sync();
  Status closed = file->Close();
  return status.ok() ? closed : status;
}

}  // namespace

bool PartitionMatches(const std::vector<ColumnPredicate>& predicates,
                      const PartitionValues& partition_values, const Schema& schema,
                      const std::vector<std::string>& partition_columns) {
  for (const ColumnPredicate& predicate : predicates) {
    if (std::find(partition_columns.begin(), partition_columns.end(), predicate.column) ==
        partition_columns.end()) {
      continue;
    }
    int index = schema.GetFieldIndex(predicate.column);
    if (index < 0) continue;
    auto found = std::find_if(partition_values.begin(), partition_values.end(),
                              [&](const auto& entry) { return entry.first == predicate.column; });
    if (found == partition_values.end()) continue;
    if (!PredicateMatches(predicate, found->second, schema.field(index).type)) return false;
  }
  return true;
}

namespace {

// What a table's metaData asks of its protocol.
struct NeededFeatures {
  bool ntz = false;
  bool deletion_vectors = false;
  bool column_mapping = false;
  bool change_data_feed = false;
  bool type_widening = false;

  NeededFeatures(const Metadata& metadata, const Schema& schema) {
    ntz = HasTimestampNtz(*schema.AsStruct());
    deletion_vectors = metadata.Configuration("delta.enableDeletionVectors") == "true";
    auto mapping = metadata.Configuration("delta.columnMapping.mode");
    column_mapping = mapping && !ascii::EqualsIgnoreCase(*mapping, "none");
    change_data_feed = metadata.Configuration("delta.enableChangeDataFeed") == "true";
    type_widening = metadata.Configuration("delta.enableTypeWidening") == "true";
  }

  // Adds the features to the lists of a table-features protocol (reader version 3, writer 7).
  void AddTo(Protocol* protocol) const {
    auto both = [&](std::string feature) {
      AddFeature(&protocol->reader_features, feature);
      AddFeature(&protocol->writer_features, std::move(feature));
    };
    if (ntz) both("timestampNtz");
    if (deletion_vectors) both("deletionVectors");
    if (type_widening) both("typeWidening");
    if (column_mapping) both("columnMapping");
    if (change_data_feed) AddFeature(&protocol->writer_features, "changeDataFeed");
  }
};

// Checks the table properties that `metadata` sets or changes against `previous` (null for a
// new table): every value arcflow reads must parse, boolean switches must be "true" or "false"
// (Delta compares them as text, so "TRUE" would silently mean false to some readers), and a
// property that needs a writer feature arcflow lacks is refused rather than recorded without it.
// Values other writers left unchanged are not judged here.
Status CheckChangedTableProperties(const Metadata& metadata, const Metadata* previous) {
  static const std::set<std::string_view> kBooleanProperties = {
      "delta.appendOnly", "delta.enableChangeDataFeed", "delta.enableDeletionVectors",
      "delta.enableTypeWidening", "delta.enableExpiredLogCleanup"};
  static const std::set<std::string_view> kUnwritableWhenTrue = {"delta.enableRowTracking",
                                                                 "delta.enableInCommitTimestamps"};
  bool changed = false;
  for (const auto& [key, value] : metadata.configuration) {
    if (previous != nullptr && previous->Configuration(key) == value) continue;
    changed = true;
    if (kBooleanProperties.count(key) > 0 || kUnwritableWhenTrue.count(key) > 0) {
      if (value != "true" && value != "false") {
        return Status::Invalid("delta: table property {} must be 'true' or 'false', got '{}'", key,
                               value);
      }
    }
    if (kUnwritableWhenTrue.count(key) > 0 && value == "true") {
      return Status::NotImplemented(
          "delta: table property {}=true needs a writer feature arcflow does not implement", key);
    }
    if (key == "delta.checkpointPolicy" && value != "classic") {
      return Status::NotImplemented(
          "delta: table property delta.checkpointPolicy='{}' is not supported; arcflow writes "
          "classic checkpoints only",
          value);
    }
  }
  if (!changed) return Status::OK();
  ARCFLOW_RETURN_NOT_OK(CheckpointInterval(metadata).status());
  ARCFLOW_RETURN_NOT_OK(DeletedFileRetentionMs(metadata).status());
  ARCFLOW_RETURN_NOT_OK(LogRetentionMs(metadata).status());
  // Statistics columns, target file size, column mapping mode and Parquet codec.
  return DataFileWriterOptions::FromMetadata(metadata).status();
}

}  // namespace

Protocol ProtocolFor(const Metadata& metadata, const Schema& schema) {
  Protocol protocol;  // (1, 2)
  NeededFeatures needed(metadata, schema);
  if (needed.ntz || needed.deletion_vectors || needed.type_widening) {
    protocol.min_reader_version = 3;
    protocol.min_writer_version = 7;
    protocol.reader_features = std::vector<std::string>{};
    protocol.writer_features = std::vector<std::string>{};
    needed.AddTo(&protocol);
    return protocol;
  }
  if (needed.column_mapping) {
    protocol.min_reader_version = 2;
    protocol.min_writer_version = 5;
  } else if (needed.change_data_feed) {
    protocol.min_writer_version = 4;
  }
  return protocol;
}

OptimisticTransaction::OptimisticTransaction(std::shared_ptr<io::FileSystem> fs,
                                             std::string table_root,
                                             std::shared_ptr<const Snapshot> snapshot,
                                             TransactionOptions options)
    : fs_(std::move(fs)),
      table_root_(std::move(table_root)),
      snapshot_(std::move(snapshot)),
      options_(std::move(options)) {
  if (snapshot_) {
    metadata_ = snapshot_->metadata();
    protocol_ = snapshot_->protocol();
  }
}

Result<std::unique_ptr<OptimisticTransaction>> OptimisticTransaction::Start(
    std::shared_ptr<const Snapshot> snapshot, TransactionOptions options) {
  if (!snapshot) return Status::Invalid("delta: a transaction needs a snapshot");
  ARCFLOW_RETURN_NOT_OK_CTX(CheckWriteSupported(snapshot->protocol()),
                            fmt::format("table {}", snapshot->table_root()));
  auto fs = snapshot->file_system();
  std::string root = snapshot->table_root();
  return std::unique_ptr<OptimisticTransaction>(new OptimisticTransaction(
      std::move(fs), std::move(root), std::move(snapshot), std::move(options)));
}

Result<std::unique_ptr<OptimisticTransaction>> OptimisticTransaction::StartCreate(
    std::shared_ptr<io::FileSystem> fs, std::string table_root, TransactionOptions options) {
  return std::unique_ptr<OptimisticTransaction>(
      new OptimisticTransaction(std::move(fs), std::move(table_root), nullptr, std::move(options)));
}

int64_t OptimisticTransaction::Now() const {
  return options_.clock ? options_.clock() : SystemNowMs();
}

Status OptimisticTransaction::UpdateMetadata(Metadata metadata) {
  // New columns of a column-mapped table get their ids and physical names before anything
  // reads the schema.
  ARCFLOW_RETURN_NOT_OK(
      AssignColumnMappingMetadata(&metadata, snapshot_ ? &snapshot_->metadata() : nullptr));
  ARCFLOW_ASSIGN_OR_RETURN(SchemaPtr schema, ParseStructTypeJson(metadata.schema_string));
  ARCFLOW_RETURN_NOT_OK_CTX(
      CheckChangedTableProperties(metadata, snapshot_ ? &snapshot_->metadata() : nullptr),
      fmt::format("table {}", table_root_));
  for (const std::string& column : metadata.partition_columns) {
    if (schema->GetFieldIndex(column) < 0) {
      return Status::Invalid("delta: partition column '{}' is not in the schema ({})", column,
                             schema->ToString());
    }
  }
  if (!snapshot_) {
    if (metadata.id.empty()) metadata.id = RandomUuid();
    if (!protocol_changed_) protocol_ = ProtocolFor(metadata, *schema);
    protocol_changed_ = true;
  } else {
    Protocol needed = ProtocolFor(metadata, *schema);
    // Raises the protocol when the new metadata needs a feature the table lacks.
    if (needed.min_reader_version > protocol_.min_reader_version ||
        needed.min_writer_version > protocol_.min_writer_version) {
      protocol_ = needed;
      protocol_changed_ = true;
    } else if (protocol_.min_reader_version >= 3 && protocol_.min_writer_version >= 7 &&
               NeededFeatures(metadata, *schema).column_mapping &&
               !(protocol_.HasReaderFeature("columnMapping") &&
                 protocol_.HasWriterFeature("columnMapping"))) {
      // Turning column mapping on: a table-features protocol must list it.
      AddFeature(&protocol_.reader_features, "columnMapping");
      AddFeature(&protocol_.writer_features, "columnMapping");
      protocol_changed_ = true;
    }
  }
  metadata_ = std::move(metadata);
  metadata_changed_ = true;
  return Status::OK();
}

void OptimisticTransaction::SetProtocol(Protocol protocol) {
  protocol_ = std::move(protocol);
  protocol_changed_ = true;
}

void OptimisticTransaction::ReadFiles(const std::vector<AddFile>& files) {
  for (const AddFile& file : files) read_paths_.push_back(file.path);
}

void OptimisticTransaction::ReadPartitions(std::vector<ColumnPredicate> predicates) {
  if (predicates.empty()) {
    read_whole_table_ = true;
  } else {
    read_predicates_.push_back(std::move(predicates));
  }
}

std::optional<int64_t> OptimisticTransaction::TransactionVersion(const std::string& app_id) {
  read_app_ids_.push_back(app_id);
  return snapshot_ ? snapshot_->TransactionVersion(app_id) : std::nullopt;
}

void OptimisticTransaction::AddFiles(std::vector<AddFile> files) {
  for (AddFile& file : files) adds_.push_back(std::move(file));
}

void OptimisticTransaction::PublishBeforeCommit(
    std::vector<std::shared_ptr<io::UnpublishedFile>> files) {
  for (auto& file : files) files_to_publish_.push_back(std::move(file));
}

void OptimisticTransaction::AddCdcFiles(std::vector<AddCdcFile> files) {
  for (AddCdcFile& file : files) cdc_files_.push_back(std::move(file));
}

void OptimisticTransaction::RemoveFiles(std::vector<RemoveFile> files) {
  for (RemoveFile& file : files) removes_.push_back(std::move(file));
}

void OptimisticTransaction::Remove(const AddFile& file, bool data_change) {
  RemoveFile remove;
  remove.path = file.path;
  remove.data_change = data_change;
  remove.extended_file_metadata = true;
  remove.partition_values = file.partition_values;
  remove.size = file.size;
  remove.stats = file.stats;
  remove.tags = file.tags;
  remove.deletion_vector = file.deletion_vector;
  remove.base_row_id = file.base_row_id;
  remove.default_row_commit_version = file.default_row_commit_version;
  removes_.push_back(std::move(remove));
}

void OptimisticTransaction::SetTransaction(std::string app_id, int64_t version) {
  transactions_.push_back(Transaction{std::move(app_id), version, std::nullopt});
}

void OptimisticTransaction::AddDomainMetadata(DomainMetadata domain) {
  domain_metadata_.push_back(std::move(domain));
}

void OptimisticTransaction::SetOperation(std::string operation, StringMap parameters) {
  operation_ = std::move(operation);
  operation_parameters_ = std::move(parameters);
}

void OptimisticTransaction::AddOperationMetric(std::string name, int64_t value) {
  extra_metrics_.emplace_back(std::move(name), fmt::format("\"{}\"", value));
}

bool OptimisticTransaction::IsBlindAppend() const {
  bool depends_on_files = read_whole_table_ || !read_paths_.empty() || !read_predicates_.empty();
  return removes_.empty() && cdc_files_.empty() && !depends_on_files;
}

std::vector<Action> OptimisticTransaction::BuildActions(int64_t version,
                                                        int64_t timestamp_ms) const {
  std::vector<Action> actions;
  // commitInfo first, as Spark writes it, so readers of history find it on the first line.
  CommitInfo info;
  info.timestamp = timestamp_ms;
  info.operation = operation_;
  info.operation_parameters = operation_parameters_;
  if (snapshot_) info.read_version = snapshot_->version();
  info.is_blind_append = IsBlindAppend();
  info.engine_info = std::string(kEngineInfo);
  // A file re-added with a new deletion vector (and removed with its old one) is neither
  // written nor dropped by this commit: it counts in neither the output nor the removed files.
  std::set<std::string_view> removed_paths;
  for (const RemoveFile& remove : removes_) removed_paths.insert(remove.path);
  std::set<std::string_view> revectored_paths;
  int64_t output_files = 0;
  int64_t output_rows = 0;
  int64_t output_bytes = 0;
  for (const AddFile& add : adds_) {
    if (add.deletion_vector && removed_paths.count(add.path) > 0) {
      revectored_paths.insert(add.path);
      continue;
    }
    ++output_files;
    output_rows += NumRecords(add.stats).value_or(0);
    output_bytes += add.size;
  }
  info.operation_metrics.emplace_back("numFiles", fmt::format("\"{}\"", output_files));
  info.operation_metrics.emplace_back("numOutputRows", fmt::format("\"{}\"", output_rows));
  info.operation_metrics.emplace_back("numOutputBytes", fmt::format("\"{}\"", output_bytes));
  int64_t removed_files = 0;
  int64_t removed_bytes = 0;
  for (const RemoveFile& remove : removes_) {
    if (revectored_paths.count(remove.path) > 0) continue;
    ++removed_files;
    removed_bytes += remove.size.value_or(0);
  }
  if (removed_files > 0) {
    info.operation_metrics.emplace_back("numRemovedFiles", fmt::format("\"{}\"", removed_files));
    info.operation_metrics.emplace_back("numRemovedBytes", fmt::format("\"{}\"", removed_bytes));
  }
  for (const auto& metric : extra_metrics_) info.operation_metrics.push_back(metric);
  std::string json =
      fmt::format("{{\"timestamp\":{},\"operation\":{},\"operationParameters\":", timestamp_ms,
                  QuoteJsonString(operation_));
  AppendStringMapJson(info.operation_parameters, &json);
  if (info.read_version) json += fmt::format(",\"readVersion\":{}", *info.read_version);
  json += fmt::format(",\"isolationLevel\":\"WriteSerializable\",\"isBlindAppend\":{}",
                      *info.is_blind_append ? "true" : "false");
  json += ",\"operationMetrics\":";
  AppendStringMapJson(info.operation_metrics, &json);
  json += fmt::format(",\"engineInfo\":{},\"txnId\":{}}}", QuoteJsonString(kEngineInfo),
                      QuoteJsonString(RandomUuid()));
  info.json = std::move(json);
  actions.emplace_back(std::move(info));

  if (protocol_changed_) actions.emplace_back(protocol_);
  if (metadata_changed_) {
    Metadata metadata = metadata_;
    if (version == 0 && !metadata.created_time) metadata.created_time = timestamp_ms;
    actions.emplace_back(std::move(metadata));
  }
  for (const Transaction& txn : transactions_) {
    Transaction stamped = txn;
    stamped.last_updated = timestamp_ms;
    actions.emplace_back(std::move(stamped));
  }
  for (const DomainMetadata& domain : domain_metadata_) actions.emplace_back(domain);
  for (const RemoveFile& remove : removes_) {
    RemoveFile stamped = remove;
    if (!stamped.deletion_timestamp) stamped.deletion_timestamp = timestamp_ms;
    actions.emplace_back(std::move(stamped));
  }
  for (const AddFile& add : adds_) actions.emplace_back(add);
  for (const AddCdcFile& cdc : cdc_files_) actions.emplace_back(cdc);
  return actions;
}

Status OptimisticTransaction::CheckConflicts(int64_t version,
                                             const std::vector<Action>& winner) const {
  auto conflict = [&](std::string_view reason, std::string_view detail) {
    return Status::Conflict(
        "delta: concurrent commit {} {} ({}); this transaction read version {} of {}; reload "
        "the table and retry",
        version, reason, detail, read_version(), table_root_);
  };
  bool winner_blind_append = false;
  for (const Action& action : winner) {
    if (const auto* info = std::get_if<CommitInfo>(&action)) {
      winner_blind_append = info->is_blind_append.value_or(false);
    }
  }
  std::vector<std::string> read_paths = read_paths_;
  std::sort(read_paths.begin(), read_paths.end());
  SchemaPtr schema;
  if (!read_predicates_.empty()) {
    auto parsed = ParseStructTypeJson(metadata_.schema_string);
    if (parsed.ok()) schema = *parsed;
  }
  auto predicates_match = [&](const std::optional<PartitionValues>& values) {
    for (const auto& predicates : read_predicates_) {
      if (!values || !schema ||
          PartitionMatches(predicates, *values, *schema, metadata_.partition_columns)) {
        return true;
      }
    }
    return false;
  };
  for (const Action& action : winner) {
    if (std::holds_alternative<Protocol>(action)) {
      return conflict("changed the protocol", "ProtocolChanged");
    }
    if (std::holds_alternative<Metadata>(action)) {
      return conflict(snapshot_ ? "changed the table's metadata" : "created the table",
                      "MetadataChanged");
    }
    if (const auto* txn = std::get_if<Transaction>(&action)) {
      bool ours =
          std::find(read_app_ids_.begin(), read_app_ids_.end(), txn->app_id) != read_app_ids_.end();
      for (const Transaction& own : transactions_) ours = ours || own.app_id == txn->app_id;
      if (ours) {
        return conflict("committed a txn of the same application",
                        fmt::format("ConcurrentTransaction, appId {}", txn->app_id));
      }
    }
    if (const auto* remove = std::get_if<RemoveFile>(&action)) {
      for (const RemoveFile& own : removes_) {
        if (own.path == remove->path) {
          return conflict("deleted a file this transaction deletes",
                          fmt::format("ConcurrentDeleteDelete, path {}", remove->path));
        }
      }
      if (remove->data_change &&
          (read_whole_table_ ||
           std::binary_search(read_paths.begin(), read_paths.end(), remove->path) ||
           predicates_match(remove->partition_values))) {
        return conflict("deleted a file this transaction read",
                        fmt::format("ConcurrentDeleteRead, path {}", remove->path));
      }
    }
    if (const auto* add = std::get_if<AddFile>(&action)) {
      // Under WriteSerializable a blind append is ordered after this transaction, unless this
      // transaction changes the metadata the appended data must follow.
      if (winner_blind_append && !metadata_changed_) continue;
      if (!add->data_change) continue;
      if (metadata_changed_ || read_whole_table_ ||
          predicates_match(std::optional<PartitionValues>(add->partition_values))) {
        return conflict("added files to data this transaction read",
                        fmt::format("ConcurrentAppend, path {}", add->path));
      }
    }
  }
  return Status::OK();
}

Status OptimisticTransaction::CheckTableConstraints() const {
  // PROTOCOL.md, "Append-only Tables": no data may be removed or changed once written.
  std::optional<std::string> append_only = metadata_.Configuration("delta.appendOnly");
  if (append_only && ascii::EqualsIgnoreCase(*append_only, "true")) {
    for (const RemoveFile& remove : removes_) {
      if (remove.data_change) {
        return Status::Invalid(
            "delta: table {} is append-only (delta.appendOnly=true); {} would remove data from "
            "{}; unset the property to allow it",
            table_root_, operation_, remove.path);
      }
    }
  }
  // Column invariants are SQL expressions every written row must satisfy; arcflow cannot
  // evaluate them yet, and writing without checking would break the table's promise.
  if (metadata_.schema_string.find("delta.invariants") != std::string::npos) {
    return Status::NotImplemented(
        "delta: table {} has column invariants (delta.invariants), which arcflow cannot "
        "enforce yet; write it with an engine that does",
        table_root_);
  }
  return Status::OK();
}

Status OptimisticTransaction::PublishDataFiles() {
  std::set<std::string> directories;
  for (const auto& file : files_to_publish_) {
    if (file->published()) continue;
    ARCFLOW_RETURN_NOT_OK_CTX(
        file->Publish(),
        fmt::format("publishing data file {} before committing to {}", file->path(), table_root_));
    const std::string_view parent = io::ParentPath(file->path());
    directories.insert(parent.empty() ? "." : std::string(parent));
  }
  for (const std::string& directory : directories) {
    ARCFLOW_RETURN_NOT_OK_CTX(
        fs_->SyncDirectory(directory),
        fmt::format("syncing data directory {} before committing to {}", directory, table_root_));
  }
  return Status::OK();
}

Result<CommitResult> OptimisticTransaction::Commit() {
  if (committed_) return Status::Invalid("delta: transaction already committed ({})", table_root_);
  if (!snapshot_ && !metadata_changed_) {
    return Status::Invalid("delta: creating table {} needs its metadata (schema)", table_root_);
  }
  ARCFLOW_RETURN_NOT_OK_CTX(CheckWriteSupported(protocol_),
                            fmt::format("committing to {}", table_root_));
  ARCFLOW_RETURN_NOT_OK(CheckTableConstraints());
  const std::string log_directory = LogDirectory(table_root_);
  ARCFLOW_RETURN_NOT_OK(fs_->CreateDirectories(log_directory));
  int64_t version = read_version() + 1;
  for (int attempt = 1;; ++attempt) {
    int64_t timestamp_ms = Now();
    std::vector<Action> actions = BuildActions(version, timestamp_ms);
    std::string text = SerializeCommit(actions);
    std::string path = io::JoinPath(log_directory, CommitFileName(version));
    // The commit is the link: a durable temporary file in _delta_log made visible under the
    // version's name only if no other writer took it (never check-then-write).
    std::string temp_path = io::TemporaryPathFor(path);
    Status status;
    if (files_to_publish_.empty()) {
      status = WriteDurably(*fs_, temp_path, text);
    } else {
      // The data files become durable and visible, with their directory entries, while the
      // commit's temporary file is written and synced; the link waits for both.
      Status published;
      std::thread publisher([&] { published = PublishDataFiles(); });
      status = WriteDurably(*fs_, temp_path, text);
      publisher.join();
      if (status.ok()) status = published;
    }
    if (status.ok()) status = fs_->LinkIfAbsent(temp_path, path);
    Status removed = fs_->DeleteFile(temp_path);
    if (status.ok()) {
      committed_ = true;
      CommitResult result;
      result.version = version;
      result.attempts = attempt;
      // After the link the commit stands whatever happens next; later failures are reported
      // in post_commit_status so that callers do not retry a commit that happened.
      result.post_commit_status = fs_->SyncDirectory(log_directory);
      if (!removed.ok() && !removed.IsNotFound() && result.post_commit_status.ok()) {
        result.post_commit_status = removed;
      }
      Result<std::shared_ptr<const Snapshot>> snapshot = LoadCommitted(version, path, actions);
      if (!snapshot.ok()) {
        result.post_commit_status = snapshot.status().WithContext(
            fmt::format("loading {} after committing version {}", table_root_, version));
        return result;
      }
      result.snapshot = std::move(*snapshot);
      if (options_.write_checkpoints && result.post_commit_status.ok()) {
        result.post_commit_status = RunPostCommit(result.snapshot);
      }
      return result;
    }
    if (!status.IsAlreadyExists()) {
      return status.WithContext(fmt::format("committing version {} of {}", version, table_root_));
    }
    if (attempt >= options_.max_attempts) {
      return Status::Conflict(
          "delta: gave up committing to {} after {} attempts; version {} was taken each time "
          "(read version {}); retry later",
          table_root_, attempt, version, read_version());
    }
    // Backs off so that writers that collided do not collide again in lockstep.
    int64_t ceiling = options_.initial_backoff.count() << std::min(attempt - 1, 20);
    ceiling = std::min<int64_t>(ceiling, options_.max_backoff.count());
    if (ceiling > 0) {
      const auto jitter = static_cast<int64_t>(RandomUint64() % static_cast<uint64_t>(ceiling + 1));
      std::this_thread::sleep_for(std::chrono::milliseconds(jitter));
    }
    // Catches up with every commit that won, checking each for conflicts.
    while (true) {
      std::string winner_path = io::JoinPath(log_directory, CommitFileName(version));
      auto contents = fs_->ReadFile(winner_path);
      if (!contents.ok()) {
        if (contents.status().IsNotFound()) break;
        return contents.status().WithContext("reading a concurrent commit");
      }
      std::string_view winner_text(reinterpret_cast<const char*>((*contents)->data()),
                                   static_cast<size_t>((*contents)->size()));
      ARCFLOW_ASSIGN_OR_RETURN(std::vector<Action> winner, ParseCommit(winner_text, winner_path));
      ARCFLOW_RETURN_NOT_OK(CheckConflicts(version, winner));
      ++version;
    }
  }
}

Result<std::shared_ptr<const Snapshot>> OptimisticTransaction::LoadCommitted(
    int64_t version, const std::string& commit_path, std::vector<Action>& actions) const {
  // When this commit directly follows the snapshot read, the new state is that snapshot with
  // the commit's actions applied; replaying the log again would cost a checkpoint read.
  if (snapshot_ != nullptr && version == snapshot_->version() + 1) {
    Result<io::FileInfo> info = fs_->GetFileInfo(commit_path);
    if (info.ok()) {
      return Snapshot::AfterCommit(*snapshot_, std::move(actions), commit_path,
                                   info->modification_time_ms);
    }
  }
  SnapshotOptions at_version;
  at_version.version = version;
  return Snapshot::Load(fs_, table_root_, at_version);
}

Status OptimisticTransaction::RunPostCommit(const std::shared_ptr<const Snapshot>& snapshot) {
  ARCFLOW_ASSIGN_OR_RETURN(int64_t interval, CheckpointInterval(snapshot->metadata()));
  if (snapshot->version() == 0 || snapshot->version() % interval != 0) return Status::OK();
  ARCFLOW_RETURN_NOT_OK(WriteCheckpoint(*snapshot).status());
  return CleanUpExpiredLogs(*snapshot, Now()).status();
}

}  // namespace arcflow::delta
