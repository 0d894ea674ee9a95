#include "arcflow/delta/change_data_feed.h"

#include <algorithm>
#include <deque>
#include <map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "arcflow/delta/column_mapping.h"
#include "arcflow/delta/deletion_vector.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/partition_value.h"
#include "arcflow/delta/row_filter.h"
#include "arcflow/delta/snapshot.h"
#include "arcflow/delta/table_scan.h"

namespace arcflow::delta {

namespace {

// One file whose rows become change rows.
struct ChangeSource {
  enum class Kind : uint8_t {
    kChangeFile,  // A cdc file: its rows carry their _change_type.
    kInsert,      // The live rows of an added file.
    kDelete,      // The live rows of a removed file.
    kVectorDiff,  // A file re-added with another deletion vector.
  };
  Kind kind = Kind::kInsert;
  AddFile file;  // For kVectorDiff without a deletion vector: every row of the file.
  std::optional<DeletionVectorDescriptor> old_vector;
  std::optional<DeletionVectorDescriptor> new_vector;
  int64_t version = 0;
  int64_t timestamp_ms = 0;
};

AddFile AddFromRemove(const RemoveFile& remove) {
  AddFile add;
  add.path = remove.path;
  if (remove.partition_values) {
    add.partition_values = *remove.partition_values;
  } else {
    add.partition_values = ParsePartitionDirectory(DecodePercentEscapes(remove.path));
  }
  add.size = remove.size.value_or(0);
  add.deletion_vector = remove.deletion_vector;
  return add;
}

class ChangeDataFeedReader final : public RecordBatchReader {
 public:
  ChangeDataFeedReader(SchemaPtr schema, std::shared_ptr<const TableScan> data_scan,
                       std::shared_ptr<const TableScan> change_scan,
                       std::vector<ChangeSource> sources)
      : schema_(std::move(schema)),
        data_scan_(std::move(data_scan)),
        change_scan_(std::move(change_scan)),
        sources_(std::move(sources)) {}

  const SchemaPtr& schema() const override { return schema_; }

  Result<RecordBatchPtr> Next() override {
    while (true) {
      if (!pending_.empty()) {
        RecordBatchPtr batch = std::move(pending_.front());
        pending_.pop_front();
        if (batch->num_rows() > 0) return batch;
        continue;
      }
      if (!current_) {
        if (next_source_ >= sources_.size()) return RecordBatchPtr();
        ARCFLOW_RETURN_NOT_OK(OpenSource(sources_[next_source_++]));
      }
      ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, current_->Next());
      if (!batch) {
        current_.reset();
        continue;
      }
      ARCFLOW_RETURN_NOT_OK(Convert(batch));
    }
  }

 private:
  Status OpenSource(const ChangeSource& source) {
    source_ = &source;
    row_offset_ = 0;
    old_rows_ = DeletedRows();
    new_rows_ = DeletedRows();
    const std::string& root = data_scan_->snapshot()->table_root();
    io::FileSystem& fs = *data_scan_->snapshot()->file_system();
    if (source.old_vector) {
      ARCFLOW_ASSIGN_OR_RETURN(old_rows_, ReadDeletionVector(fs, root, *source.old_vector));
    }
    if (source.new_vector) {
      ARCFLOW_ASSIGN_OR_RETURN(new_rows_, ReadDeletionVector(fs, root, *source.new_vector));
    }
    const TableScan& scan =
        source.kind == ChangeSource::Kind::kChangeFile ? *change_scan_ : *data_scan_;
    auto reader = scan.ReadFile(source.file);
    if (!reader.ok()) {
      return reader.status().WithContext(
          fmt::format("reading the change data of version {}", source.version));
    }
    current_ = std::move(*reader);
    return Status::OK();
  }

  Result<RecordBatchPtr> Finish(const RecordBatchPtr& batch, std::optional<std::string_view> type) {
    std::vector<ArrayPtr> columns = batch->columns();
    int64_t rows = batch->num_rows();
    if (type) {
      ARCFLOW_ASSIGN_OR_RETURN(
          ArrayPtr change_type,
          MakeConstantArray(TypedValue{types::String(), std::string(*type)}, rows));
      columns.push_back(std::move(change_type));
    }
    ARCFLOW_ASSIGN_OR_RETURN(ArrayPtr version,
                             MakeConstantArray(TypedValue{types::Int64(), source_->version}, rows));
    ARCFLOW_ASSIGN_OR_RETURN(
        ArrayPtr timestamp,
        MakeConstantArray(TypedValue{types::Timestamp(), source_->timestamp_ms * 1000}, rows));
    columns.push_back(std::move(version));
    columns.push_back(std::move(timestamp));
    return RecordBatch::Make(schema_, rows, std::move(columns));
  }

  Status Convert(const RecordBatchPtr& batch) {
    switch (source_->kind) {
      case ChangeSource::Kind::kChangeFile: {
        ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr out, Finish(batch, std::nullopt));
        pending_.push_back(std::move(out));
        return Status::OK();
      }
      case ChangeSource::Kind::kInsert:
      case ChangeSource::Kind::kDelete: {
        bool insert = source_->kind == ChangeSource::Kind::kInsert;
        ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr out,
                                 Finish(batch, insert ? kChangeInsert : kChangeDelete));
        pending_.push_back(std::move(out));
        return Status::OK();
      }
      case ChangeSource::Kind::kVectorDiff: {
        std::vector<uint8_t> deleted(static_cast<size_t>(batch->num_rows()));
        std::vector<uint8_t> restored(static_cast<size_t>(batch->num_rows()));
        for (int64_t row = 0; row < batch->num_rows(); ++row) {
          auto position = static_cast<uint64_t>(row_offset_ + row);
          bool was_deleted = old_rows_.Contains(position);
          bool is_deleted = new_rows_.Contains(position);
          deleted[static_cast<size_t>(row)] = !was_deleted && is_deleted;
          restored[static_cast<size_t>(row)] = was_deleted && !is_deleted;
        }
        row_offset_ += batch->num_rows();
        ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr gone, FilterRecordBatch(batch, deleted));
        ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr back, FilterRecordBatch(batch, restored));
        ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr gone_out, Finish(gone, kChangeDelete));
        ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr back_out, Finish(back, kChangeInsert));
        pending_.push_back(std::move(gone_out));
        pending_.push_back(std::move(back_out));
        return Status::OK();
      }
    }
    return Status::Internal("delta: unknown change source kind");
  }

  SchemaPtr schema_;
  std::shared_ptr<const TableScan> data_scan_;
  std::shared_ptr<const TableScan> change_scan_;
  std::vector<ChangeSource> sources_;
  size_t next_source_ = 0;
  const ChangeSource* source_ = nullptr;  // Points into sources_.
  std::unique_ptr<RecordBatchReader> current_;
  int64_t row_offset_ = 0;  // Rows of the current file already converted.
  DeletedRows old_rows_;
  DeletedRows new_rows_;
  std::deque<RecordBatchPtr> pending_;
};

// Plans the change sources of one commit.
void PlanCommit(const std::vector<Action>& actions, int64_t version, int64_t timestamp_ms,
                std::vector<ChangeSource>* sources) {
  std::vector<const AddCdcFile*> change_files;
  for (const Action& action : actions) {
    if (const auto* cdc = std::get_if<AddCdcFile>(&action)) change_files.push_back(cdc);
  }
  if (!change_files.empty()) {
    // The commit's own change data is authoritative; its adds and removes say nothing more.
    for (const AddCdcFile* cdc : change_files) {
      ChangeSource source;
      source.kind = ChangeSource::Kind::kChangeFile;
      source.file.path = cdc->path;
      source.file.partition_values = cdc->partition_values;
      source.file.size = cdc->size;
      source.version = version;
      source.timestamp_ms = timestamp_ms;
      sources->push_back(std::move(source));
    }
    return;
  }
  std::map<std::string, const RemoveFile*> removes;
  for (const Action& action : actions) {
    if (const auto* remove = std::get_if<RemoveFile>(&action)) {
      if (remove->data_change) removes[remove->path] = remove;
    }
  }
  std::map<std::string, bool> paired;
  for (const Action& action : actions) {
    const auto* add = std::get_if<AddFile>(&action);
    if (add == nullptr || !add->data_change) continue;
    ChangeSource source;
    source.version = version;
    source.timestamp_ms = timestamp_ms;
    source.file = *add;
    auto removed = removes.find(add->path);
    if (removed != removes.end()) {
      paired[add->path] = true;
      source.kind = ChangeSource::Kind::kVectorDiff;
      source.old_vector = removed->second->deletion_vector;
      source.new_vector = add->deletion_vector;
      source.file.deletion_vector.reset();
      if (source.old_vector == source.new_vector) continue;  // Same rows before and after.
    } else {
      source.kind = ChangeSource::Kind::kInsert;
    }
    sources->push_back(std::move(source));
  }
  for (const auto& [path, remove] : removes) {
    if (paired.count(path) > 0) continue;
    ChangeSource source;
    source.kind = ChangeSource::Kind::kDelete;
    source.file = AddFromRemove(*remove);
    source.version = version;
    source.timestamp_ms = timestamp_ms;
    sources->push_back(std::move(source));
  }
}

}  // namespace

bool IsChangeDataFeedEnabled(const StringMap& configuration) {
  for (const auto& [key, value] : configuration) {
    if (key == "delta.enableChangeDataFeed") return value == "true";
  }
  return false;
}

Result<std::unique_ptr<RecordBatchReader>> ReadChangeDataFeed(
    std::shared_ptr<io::FileSystem> fs, const std::string& table_root,
    const ChangeDataFeedOptions& options) {
  if (options.start_version < 0) {
    return Status::Invalid("delta: change data feed start version {} is negative (table {})",
                           options.start_version, table_root);
  }
  SnapshotOptions end_options;
  end_options.version = options.end_version;
  ARCFLOW_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> end,
                           Snapshot::Load(fs, table_root, end_options));
  int64_t end_version = end->version();
  if (options.start_version > end_version) {
    return Status::Invalid(
        "delta: change data feed start version {} is after the end version {} (table {})",
        options.start_version, end_version, table_root);
  }
  if (!end->schema()) {
    return end->schema_status().WithContext(fmt::format("change data feed of {}", table_root));
  }

  // Checks that the feed was on from the start, then follows metaData changes in the range.
  SnapshotOptions start_options;
  start_options.version = options.start_version;
  auto start = Snapshot::Load(fs, table_root, start_options);
  if (!start.ok()) {
    return start.status().WithContext(fmt::format(
        "loading version {} of {} for its change data feed", options.start_version, table_root));
  }
  ARCFLOW_ASSIGN_OR_RETURN(std::vector<LogFile> log, ListLog(*fs, table_root));
  std::map<int64_t, const LogFile*> commits;
  for (const LogFile& file : log) {
    if (file.name.kind == LogFileKind::kCommit) commits[file.name.version] = &file;
  }
  bool enabled = IsChangeDataFeedEnabled((*start)->metadata().configuration);
  std::vector<ChangeSource> sources;
  for (int64_t version = options.start_version; version <= end_version; ++version) {
    auto found = commits.find(version);
    if (found == commits.end()) {
      return Status::Invalid(
          "delta: commit {} of {} is no longer in the log, so its changes cannot be read; start "
          "the change data feed at a later version",
          version, table_root);
    }
    const std::string& path = found->second->info.path;
    ARCFLOW_ASSIGN_OR_RETURN(auto contents, fs->ReadFile(path));
    std::string_view text(reinterpret_cast<const char*>(contents->data()),
                          static_cast<size_t>(contents->size()));
    ARCFLOW_ASSIGN_OR_RETURN(std::vector<Action> actions, ParseCommit(text, path));
    int64_t timestamp_ms = found->second->info.modification_time_ms;
    for (const Action& action : actions) {
      if (const auto* metadata = std::get_if<Metadata>(&action)) {
        enabled = IsChangeDataFeedEnabled(metadata->configuration);
      }
      if (const auto* info = std::get_if<CommitInfo>(&action)) {
        if (info->in_commit_timestamp) timestamp_ms = *info->in_commit_timestamp;
      }
    }
    if (!enabled) {
      return Status::Invalid(
          "delta: the change data feed of {} is not enabled at version {} (set "
          "delta.enableChangeDataFeed=true; only changes after that can be read)",
          table_root, version);
    }
    PlanCommit(actions, version, timestamp_ms, &sources);
  }

  // The change files hold the data columns and _change_type; scanning them through a
  // snapshot whose schema has that column reuses partition filling and column mapping.
  ARCFLOW_ASSIGN_OR_RETURN(ColumnMappingMode mode, GetColumnMappingMode(end->metadata()));
  std::vector<Field> change_fields = end->schema()->fields();
  Field change_type(std::string(kChangeTypeColumn), types::String(), true);
  if (mode != ColumnMappingMode::kNone) {
    change_type.metadata.emplace_back(std::string(kPhysicalNameKey),
                                      fmt::format("\"{}\"", kChangeTypeColumn));
  }
  change_fields.push_back(change_type);
  auto change_schema = std::make_shared<const Schema>(change_fields);
  // In id mode the files' _change_type column has no field id, so the change files are matched
  // by physical name, which id-mode schemas carry as well.
  Metadata change_metadata = end->metadata();
  if (mode == ColumnMappingMode::kId) {
    for (auto& [key, value] : change_metadata.configuration) {
      if (key == kColumnMappingModeKey) value = "name";
    }
  }
  auto change_snapshot = std::make_shared<const Snapshot>(
      fs, table_root, end->log_segment(), end->timestamp_ms(), end->protocol(), change_metadata,
      change_schema, std::vector<AddFile>{}, std::vector<RemoveFile>{}, std::vector<Transaction>{},
      std::vector<DomainMetadata>{});
  TableScanOptions scan_options;
  scan_options.batch_rows = options.batch_rows;
  ARCFLOW_ASSIGN_OR_RETURN(auto data_scan, TableScan::Make(end, scan_options));
  ARCFLOW_ASSIGN_OR_RETURN(auto change_scan, TableScan::Make(change_snapshot, scan_options));

  std::vector<Field> output_fields = change_schema->fields();
  output_fields.back().metadata.clear();
  output_fields.emplace_back(std::string(kCommitVersionColumn), types::Int64(), true);
  output_fields.emplace_back(std::string(kCommitTimestampColumn), types::Timestamp(), true);
  auto output_schema = std::make_shared<const Schema>(std::move(output_fields));
  return std::unique_ptr<RecordBatchReader>(new ChangeDataFeedReader(
      std::move(output_schema), std::move(data_scan), std::move(change_scan), std::move(sources)));
}

}  // namespace arcflow::delta
