#include "arcflow/delta/checkpoint_writer.h"

#include <algorithm>

#include <fmt/format.h>

#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/record_batch.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/io/atomic_publish.h"
#include "arcflow/parquet/bridge/parquet_writer.h"

namespace arcflow::delta {

namespace {

// Rows per batch handed to the Parquet writer.
constexpr int64_t kCheckpointBatchRows = 8192;

DataTypePtr StringMapType() { return types::Map(types::String(), types::String()); }

DataTypePtr DeletionVectorType() {
  return types::Struct({Field("storageType", types::String()),
                        Field("pathOrInlineDv", types::String()), Field("offset", types::Int32()),
                        Field("sizeInBytes", types::Int32()),
                        Field("cardinality", types::Int64())});
}

// The checkpoint schema Spark writes (Delta's SingleAction, without commitInfo and cdc).
SchemaPtr CheckpointSchema() {
  auto txn = types::Struct({Field("appId", types::String()), Field("version", types::Int64()),
                            Field("lastUpdated", types::Int64())});
  auto add = types::Struct(
      {Field("path", types::String()), Field("partitionValues", StringMapType()),
       Field("size", types::Int64()), Field("modificationTime", types::Int64()),
       Field("dataChange", types::Boolean()), Field("stats", types::String()),
       Field("tags", StringMapType()), Field("deletionVector", DeletionVectorType()),
       Field("baseRowId", types::Int64()), Field("defaultRowCommitVersion", types::Int64()),
       Field("clusteringProvider", types::String())});
  auto remove = types::Struct(
      {Field("path", types::String()), Field("deletionTimestamp", types::Int64()),
       Field("dataChange", types::Boolean()), Field("extendedFileMetadata", types::Boolean()),
       Field("partitionValues", StringMapType()), Field("size", types::Int64()),
       Field("stats", types::String()), Field("tags", StringMapType()),
       Field("deletionVector", DeletionVectorType()), Field("baseRowId", types::Int64()),
       Field("defaultRowCommitVersion", types::Int64())});
  auto format =
      types::Struct({Field("provider", types::String()), Field("options", StringMapType())});
  auto metadata = types::Struct({Field("id", types::String()), Field("name", types::String()),
                                 Field("description", types::String()), Field("format", format),
                                 Field("schemaString", types::String()),
                                 Field("partitionColumns", types::List(types::String())),
                                 Field("configuration", StringMapType()),
                                 Field("createdTime", types::Int64())});
  auto protocol = types::Struct({Field("minReaderVersion", types::Int32()),
                                 Field("minWriterVersion", types::Int32()),
                                 Field("readerFeatures", types::List(types::String())),
                                 Field("writerFeatures", types::List(types::String()))});
  auto domain =
      types::Struct({Field("domain", types::String()), Field("configuration", types::String()),
                     Field("removed", types::Boolean())});
  return std::make_shared<const Schema>(std::vector<Field>{
      Field("txn", txn), Field("add", add), Field("remove", remove), Field("metaData", metadata),
      Field("protocol", protocol), Field("domainMetadata", domain)});
}

enum Column { kTxn = 0, kAdd, kRemove, kMetadata, kProtocol, kDomainMetadata, kNumColumns };

void PutString(ArrayBuilder* builder, const std::optional<std::string>& value) {
  auto* strings = static_cast<BinaryBuilder*>(builder);
  if (value) {
    strings->Append(*value);
  } else {
    strings->AppendNull();
  }
}

void PutLong(ArrayBuilder* builder, std::optional<int64_t> value) {
  auto* longs = static_cast<Int64Builder*>(builder);
  if (value) {
    longs->Append(*value);
  } else {
    longs->AppendNull();
  }
}

void PutInt(ArrayBuilder* builder, std::optional<int32_t> value) {
  auto* ints = static_cast<Int32Builder*>(builder);
  if (value) {
    ints->Append(*value);
  } else {
    ints->AppendNull();
  }
}

void PutBool(ArrayBuilder* builder, std::optional<bool> value) {
  auto* bools = static_cast<BooleanBuilder*>(builder);
  if (value) {
    bools->Append(*value);
  } else {
    bools->AppendNull();
  }
}

template <typename Entries>
void PutMap(ArrayBuilder* builder, const Entries* entries) {
  auto* map = static_cast<ListBuilder*>(builder);
  if (entries == nullptr) {
    map->AppendNull();
    return;
  }
  for (const auto& [key, value] : *entries) {
    static_cast<BinaryBuilder*>(MapKeyBuilder(*map))->Append(key);
    PutString(MapValueBuilder(*map), value);
    AppendMapEntry(*map);
  }
  map->Append();
}

void PutStringList(ArrayBuilder* builder, const std::vector<std::string>* values) {
  auto* list = static_cast<ListBuilder*>(builder);
  if (values == nullptr) {
    list->AppendNull();
    return;
  }
  for (const std::string& value : *values) {
    static_cast<BinaryBuilder*>(list->value_builder())->Append(value);
  }
  list->Append();
}

void PutDeletionVector(ArrayBuilder* builder,
                       const std::optional<DeletionVectorDescriptor>& vector) {
  auto* dv = static_cast<StructBuilder*>(builder);
  if (!vector) {
    dv->AppendNull();
    return;
  }
  PutString(dv->field_builder(0), std::string(1, vector->storage_type));
  PutString(dv->field_builder(1), vector->path_or_inline_dv);
  PutInt(dv->field_builder(2), vector->offset);
  PutInt(dv->field_builder(3), vector->size_in_bytes);
  PutLong(dv->field_builder(4), vector->cardinality);
  dv->Append();
}

// Builds checkpoint rows: each row fills one top-level column and leaves the others null.
class CheckpointBatchBuilder {
 public:
  explicit CheckpointBatchBuilder(SchemaPtr schema) : builder_(std::move(schema)) {}

  StructBuilder* Begin(Column column) {
    for (int i = 0; i < kNumColumns; ++i) {
      if (i != column) builder_.column_builder(i)->AppendNull();
    }
    return static_cast<StructBuilder*>(builder_.column_builder(column));
  }
  int64_t num_rows() const { return builder_.num_rows(); }
  Result<RecordBatchPtr> Finish() { return builder_.Finish(); }

 private:
  RecordBatchBuilder builder_;
};

void AppendAction(const Action& action, CheckpointBatchBuilder* rows) {
  if (const auto* txn = std::get_if<Transaction>(&action)) {
    StructBuilder* row = rows->Begin(kTxn);
    PutString(row->field_builder(0), txn->app_id);
    PutLong(row->field_builder(1), txn->version);
    PutLong(row->field_builder(2), txn->last_updated);
    row->Append();
  } else if (const auto* add = std::get_if<AddFile>(&action)) {
    StructBuilder* row = rows->Begin(kAdd);
    PutString(row->field_builder(0), add->path);
    PutMap(row->field_builder(1), &add->partition_values);
    PutLong(row->field_builder(2), add->size);
    PutLong(row->field_builder(3), add->modification_time);
    PutBool(row->field_builder(4), add->data_change);
    PutString(row->field_builder(5), add->stats);
    PutMap(row->field_builder(6), add->tags ? &*add->tags : nullptr);
    PutDeletionVector(row->field_builder(7), add->deletion_vector);
    PutLong(row->field_builder(8), add->base_row_id);
    PutLong(row->field_builder(9), add->default_row_commit_version);
    PutString(row->field_builder(10), add->clustering_provider);
    row->Append();
  } else if (const auto* remove = std::get_if<RemoveFile>(&action)) {
    StructBuilder* row = rows->Begin(kRemove);
    PutString(row->field_builder(0), remove->path);
    PutLong(row->field_builder(1), remove->deletion_timestamp);
    PutBool(row->field_builder(2), remove->data_change);
    PutBool(row->field_builder(3), remove->extended_file_metadata);
    PutMap(row->field_builder(4), remove->partition_values ? &*remove->partition_values : nullptr);
    PutLong(row->field_builder(5), remove->size);
    PutString(row->field_builder(6), remove->stats);
    PutMap(row->field_builder(7), remove->tags ? &*remove->tags : nullptr);
    PutDeletionVector(row->field_builder(8), remove->deletion_vector);
    PutLong(row->field_builder(9), remove->base_row_id);
    PutLong(row->field_builder(10), remove->default_row_commit_version);
    row->Append();
  } else if (const auto* metadata = std::get_if<Metadata>(&action)) {
    StructBuilder* row = rows->Begin(kMetadata);
    PutString(row->field_builder(0), metadata->id);
    PutString(row->field_builder(1), metadata->name);
    PutString(row->field_builder(2), metadata->description);
    auto* format = static_cast<StructBuilder*>(row->field_builder(3));
    PutString(format->field_builder(0), metadata->format.provider);
    PutMap(format->field_builder(1), &metadata->format.options);
    format->Append();
    PutString(row->field_builder(4), metadata->schema_string);
    PutStringList(row->field_builder(5), &metadata->partition_columns);
    PutMap(row->field_builder(6), &metadata->configuration);
    PutLong(row->field_builder(7), metadata->created_time);
    row->Append();
  } else if (const auto* protocol = std::get_if<Protocol>(&action)) {
    StructBuilder* row = rows->Begin(kProtocol);
    PutInt(row->field_builder(0), protocol->min_reader_version);
    PutInt(row->field_builder(1), protocol->min_writer_version);
    PutStringList(row->field_builder(2),
                  protocol->reader_features ? &*protocol->reader_features : nullptr);
    PutStringList(row->field_builder(3),
                  protocol->writer_features ? &*protocol->writer_features : nullptr);
    row->Append();
  } else if (const auto* domain = std::get_if<DomainMetadata>(&action)) {
    StructBuilder* row = rows->Begin(kDomainMetadata);
    PutString(row->field_builder(0), domain->domain);
    PutString(row->field_builder(1), domain->configuration);
    PutBool(row->field_builder(2), domain->removed);
    row->Append();
  }
}

// The version in an existing `_last_checkpoint`, if it names one.
std::optional<int64_t> ReadLastCheckpointVersion(io::FileSystem& fs, const std::string& path) {
  auto contents = fs.ReadFile(path);
  if (!contents.ok()) return std::nullopt;
  std::string_view text(reinterpret_cast<const char*>((*contents)->data()),
                        static_cast<size_t>((*contents)->size()));
  size_t position = text.find("\"version\":");
  if (position == std::string_view::npos) return std::nullopt;
  position += 10;
  while (position < text.size() && text[position] == ' ') ++position;
  int64_t version = 0;
  bool any = false;
  while (position < text.size() && text[position] >= '0' && text[position] <= '9' &&
         version < (int64_t{1} << 58)) {
    version = version * 10 + (text[position++] - '0');
    any = true;
  }
  return any ? std::optional<int64_t>(version) : std::nullopt;
}

}  // namespace

std::string LastCheckpointInfo::ToJson() const {
  std::string json = fmt::format("{{\"version\":{},\"size\":{}", version, size);
  if (parts) json += fmt::format(",\"parts\":{}", *parts);
  json +=
      fmt::format(",\"sizeInBytes\":{},\"numOfAddFiles\":{}}}", size_in_bytes, num_of_add_files);
  return json;
}

Result<LastCheckpointInfo> WriteCheckpoint(const Snapshot& snapshot) {
  const auto& fs = snapshot.file_system();
  const std::string log_directory = LogDirectory(snapshot.table_root());
  const std::string path = io::JoinPath(log_directory, CheckpointFileName(snapshot.version()));
  SchemaPtr schema = CheckpointSchema();
  parquet::ParquetWriteOptions options;
  options.codec = codec::CodecType::kSnappy;
  ARCFLOW_ASSIGN_OR_RETURN(auto sink,
                           io::AtomicFileWriter::Open(fs, path, io::PublishMode::kReplace));
  ARCFLOW_ASSIGN_OR_RETURN(auto writer,
                           parquet::ParquetFileWriter::Open(std::move(sink), schema, options));
  CheckpointBatchBuilder rows(schema);
  int64_t num_actions = 0;
  auto append = [&](const Action& action) -> Status {
    AppendAction(action, &rows);
    ++num_actions;
    if (rows.num_rows() >= kCheckpointBatchRows) {
      ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, rows.Finish());
      ARCFLOW_RETURN_NOT_OK(writer->Write(*batch));
    }
    return Status::OK();
  };
  ARCFLOW_RETURN_NOT_OK(append(snapshot.protocol()));
  ARCFLOW_RETURN_NOT_OK(append(snapshot.metadata()));
  for (const Transaction& txn : snapshot.transactions()) ARCFLOW_RETURN_NOT_OK(append(txn));
  for (const DomainMetadata& domain : snapshot.domain_metadata()) {
    ARCFLOW_RETURN_NOT_OK(append(domain));
  }
  for (const AddFile& add : snapshot.files()) {
    AddFile copy = add;
    // A checkpoint states what the table holds, not what changed.
    copy.data_change = false;
    ARCFLOW_RETURN_NOT_OK(append(copy));
  }
  for (const RemoveFile& remove : snapshot.tombstones()) {
    RemoveFile copy = remove;
    copy.data_change = false;
    ARCFLOW_RETURN_NOT_OK(append(copy));
  }
  if (rows.num_rows() > 0) {
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, rows.Finish());
    ARCFLOW_RETURN_NOT_OK(writer->Write(*batch));
  }
  ARCFLOW_RETURN_NOT_OK_CTX(writer->Close(), fmt::format("writing checkpoint {}", path));
  ARCFLOW_ASSIGN_OR_RETURN(io::FileInfo info, fs->GetFileInfo(path));

  LastCheckpointInfo last;
  last.version = snapshot.version();
  last.size = num_actions;
  last.size_in_bytes = info.size;
  last.num_of_add_files = static_cast<int64_t>(snapshot.files().size());
  const std::string last_path = io::JoinPath(log_directory, kLastCheckpointFileName);
  // Moves `_last_checkpoint` only forward: a slow writer must not hide a newer checkpoint.
  std::optional<int64_t> existing = ReadLastCheckpointVersion(*fs, last_path);
  if (!existing || *existing < last.version) {
    ARCFLOW_RETURN_NOT_OK(
        io::PublishFile(fs, last_path, last.ToJson() + "\n", io::PublishMode::kReplace));
  }
  return last;
}

Result<int64_t> CleanUpExpiredLogs(const Snapshot& snapshot, int64_t now_ms) {
  const Metadata& metadata = snapshot.metadata();
  if (metadata.Configuration("delta.enableExpiredLogCleanup") == "false") return 0;
  ARCFLOW_ASSIGN_OR_RETURN(const int64_t retention_ms, LogRetentionMs(metadata));
  const int64_t cutoff_ms = now_ms - retention_ms;
  const auto& fs = snapshot.file_system();
  ARCFLOW_ASSIGN_OR_RETURN(std::vector<LogFile> files, ListLog(*fs, snapshot.table_root()));
  // The newest classic checkpoint that has itself expired: everything the table needs from
  // there on stays, everything expired before it may go.
  std::optional<int64_t> boundary;
  for (const LogFile& file : files) {
    if (file.name.kind == LogFileKind::kCheckpoint && file.info.modification_time_ms <= cutoff_ms &&
        file.name.version <= snapshot.version()) {
      boundary = std::max(boundary.value_or(-1), file.name.version);
    }
  }
  if (!boundary) return 0;
  int64_t deleted = 0;
  for (const LogFile& file : files) {
    if (file.name.kind == LogFileKind::kLastCheckpoint) continue;
    if (file.name.end_version >= *boundary || file.name.version >= *boundary) continue;
    if (file.info.modification_time_ms > cutoff_ms) continue;
    Status status = fs->DeleteFile(file.info.path);
    if (!status.ok() && !status.IsNotFound()) {
      return status.WithContext("cleaning up expired log files");
    }
    ++deleted;
  }
  return deleted;
}

}  // namespace arcflow::delta
