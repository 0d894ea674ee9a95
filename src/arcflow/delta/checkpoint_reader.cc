#include "arcflow/delta/checkpoint_reader.h"

#include <string_view>

#include "arcflow/columnar/array.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/parquet/bridge/parquet_reader.h"

namespace arcflow::delta {

namespace {

// The typed child arrays of one action column (a struct) of a checkpoint batch, looked up
// once per batch by name, so that each row costs only array lookups.
class StructColumn {
 public:
  StructColumn(const ArrayPtr& column, std::string_view column_name, const std::string& path)
      : column_(column.get()), column_name_(column_name), path_(&path) {}

  bool IsNull(int64_t row) const { return column_->IsNull(row); }

  // The child named `name`, or nullptr when the checkpoint's schema lacks it (checkpoints
  // written by older writers omit newer fields). Corruption when it has a type other than
  // `expected` (or, for integers, a narrower or equal integer type).
  Result<const Array*> Child(std::string_view name, TypeId expected) const {
    const auto& struct_array = static_cast<const StructArray&>(*column_);
    int index = column_->type()->GetFieldIndex(name);
    if (index < 0) return nullptr;
    const Array* child = struct_array.field(index).get();
    if (!TypeMatches(child->type_id(), expected)) {
      return Status::Corruption(
          "delta: checkpoint column '{}.{}' has type {}, expected {} (file={})", column_name_, name,
          child->type()->ToString(), TypeIdName(expected), *path_);
    }
    return child;
  }

  static bool TypeMatches(TypeId actual, TypeId expected) {
    if (actual == expected) return true;
    bool actual_integer = actual == TypeId::kInt8 || actual == TypeId::kInt16 ||
                          actual == TypeId::kInt32 || actual == TypeId::kInt64;
    if (expected == TypeId::kInt64 || expected == TypeId::kInt32) return actual_integer;
    if (expected == TypeId::kString) return actual == TypeId::kBinary;
    return false;
  }

  // A nested struct column of this one.
  Result<std::optional<StructColumn>> ChildStruct(std::string_view name) const {
    ARCFLOW_ASSIGN_OR_RETURN(const Array* child, Child(name, TypeId::kStruct));
    if (child == nullptr) return std::optional<StructColumn>();
    const auto& struct_array = static_cast<const StructArray&>(*column_);
    return std::optional<StructColumn>(
        StructColumn(struct_array.field(column_->type()->GetFieldIndex(name)), name, *path_));
  }

 private:
  const Array* column_;
  std::string_view column_name_;
  const std::string* path_;
};

bool Valid(const Array* array, int64_t row) { return array != nullptr && array->IsValid(row); }

std::string_view StringValue(const Array* array, int64_t row) {
  return static_cast<const BinaryArray*>(array)->Value(row);
}

int64_t IntegerValue(const Array* array, int64_t row) {
  switch (array->type_id()) {
    case TypeId::kInt8:
      return static_cast<const Int8Array*>(array)->Value(row);
    case TypeId::kInt16:
      return static_cast<const Int16Array*>(array)->Value(row);
    case TypeId::kInt32:
      return static_cast<const Int32Array*>(array)->Value(row);
    default:
      return static_cast<const Int64Array*>(array)->Value(row);
  }
}

bool BoolValue(const Array* array, int64_t row) {
  return static_cast<const BooleanArray*>(array)->Value(row);
}

std::optional<std::string> OptionalString(const Array* array, int64_t row) {
  if (!Valid(array, row)) return std::nullopt;
  return std::string(StringValue(array, row));
}

std::optional<int64_t> OptionalInteger(const Array* array, int64_t row) {
  if (!Valid(array, row)) return std::nullopt;
  return IntegerValue(array, row);
}

// A map<string,string> child: checks the key and value types once.
class MapColumn {
 public:
  static Result<MapColumn> Make(const Array* array, std::string_view name,
                                const std::string& path) {
    MapColumn column;
    if (array == nullptr) return column;
    const auto* map = static_cast<const MapArray*>(array);
    TypeId key_type = map->keys()->type_id();
    TypeId value_type = map->items()->type_id();
    if ((key_type != TypeId::kString && key_type != TypeId::kBinary) ||
        (value_type != TypeId::kString && value_type != TypeId::kBinary)) {
      return Status::Corruption(
          "delta: checkpoint column '{}' must be a map of strings, found {} (file={})", name,
          array->type()->ToString(), path);
    }
    column.map_ = map;
    return column;
  }

  bool Valid(int64_t row) const { return map_ != nullptr && map_->IsValid(row); }

  // Calls `visit(key, optional value)` for every entry of row `row`.
  template <typename Visit>
  void ForEach(int64_t row, Visit&& visit) const {
    const Array* keys = map_->keys().get();
    const Array* items = map_->items().get();
    for (int32_t i = map_->value_offset(row); i < map_->value_offset(row + 1); ++i) {
      std::optional<std::string_view> value;
      if (items->IsValid(i)) value = StringValue(items, i);
      visit(StringValue(keys, i), value);
    }
  }

  StringMap ToStringMap(int64_t row) const {
    StringMap map;
    ForEach(row, [&](std::string_view key, std::optional<std::string_view> value) {
      if (value.has_value()) map.emplace_back(std::string(key), std::string(*value));
    });
    return map;
  }

  PartitionValues ToPartitionValues(int64_t row) const {
    PartitionValues values;
    ForEach(row, [&](std::string_view key, std::optional<std::string_view> value) {
      values.emplace_back(std::string(key),
                          value ? std::optional<std::string>(std::string(*value)) : std::nullopt);
    });
    return values;
  }

  std::optional<StringMap> OptionalStringMap(int64_t row) const {
    if (!Valid(row)) return std::nullopt;
    return ToStringMap(row);
  }

 private:
  const MapArray* map_ = nullptr;
};

Result<MapColumn> MapChild(const StructColumn& column, std::string_view name,
                           const std::string& path) {
  ARCFLOW_ASSIGN_OR_RETURN(const Array* child, column.Child(name, TypeId::kMap));
  return MapColumn::Make(child, name, path);
}

// A list<string> child.
Result<const ListArray*> StringListChild(const StructColumn& column, std::string_view name,
                                         const std::string& path) {
  ARCFLOW_ASSIGN_OR_RETURN(const Array* child, column.Child(name, TypeId::kList));
  if (child == nullptr) return nullptr;
  const auto* list = static_cast<const ListArray*>(child);
  TypeId element = list->values()->type_id();
  if (element != TypeId::kString && element != TypeId::kBinary) {
    return Status::Corruption("delta: checkpoint column '{}' must be a list of strings (file={})",
                              name, path);
  }
  return list;
}

std::vector<std::string> StringListValue(const ListArray* list, int64_t row) {
  std::vector<std::string> values;
  const Array* elements = list->values().get();
  for (int32_t i = list->value_offset(row); i < list->value_offset(row + 1); ++i) {
    if (elements->IsValid(i)) values.emplace_back(StringValue(elements, i));
  }
  return values;
}

// The children of a deletionVector struct.
struct DeletionVectorColumns {
  std::optional<StructColumn> column;
  const Array* storage_type = nullptr;
  const Array* path_or_inline_dv = nullptr;
  const Array* offset = nullptr;
  const Array* size_in_bytes = nullptr;
  const Array* cardinality = nullptr;

  static Result<DeletionVectorColumns> Make(const StructColumn& parent) {
    DeletionVectorColumns dv;
    ARCFLOW_ASSIGN_OR_RETURN(dv.column, parent.ChildStruct("deletionVector"));
    if (!dv.column.has_value()) return dv;
    ARCFLOW_ASSIGN_OR_RETURN(dv.storage_type, dv.column->Child("storageType", TypeId::kString));
    ARCFLOW_ASSIGN_OR_RETURN(dv.path_or_inline_dv,
                             dv.column->Child("pathOrInlineDv", TypeId::kString));
    ARCFLOW_ASSIGN_OR_RETURN(dv.offset, dv.column->Child("offset", TypeId::kInt32));
    ARCFLOW_ASSIGN_OR_RETURN(dv.size_in_bytes, dv.column->Child("sizeInBytes", TypeId::kInt32));
    ARCFLOW_ASSIGN_OR_RETURN(dv.cardinality, dv.column->Child("cardinality", TypeId::kInt64));
    return dv;
  }

  Result<std::optional<DeletionVectorDescriptor>> Get(int64_t row, const std::string& path) const {
    if (!column.has_value() || column->IsNull(row)) return std::nullopt;
    if (!Valid(storage_type, row) || StringValue(storage_type, row).size() != 1) {
      return Status::Corruption(
          "delta: checkpoint deletion vector needs a one-letter storageType (file={}, row={})",
          path, row);
    }
    DeletionVectorDescriptor descriptor;
    descriptor.storage_type = StringValue(storage_type, row)[0];
    if (Valid(path_or_inline_dv, row)) {
      descriptor.path_or_inline_dv = std::string(StringValue(path_or_inline_dv, row));
    }
    if (Valid(offset, row)) descriptor.offset = static_cast<int32_t>(IntegerValue(offset, row));
    if (Valid(size_in_bytes, row)) {
      descriptor.size_in_bytes = static_cast<int32_t>(IntegerValue(size_in_bytes, row));
    }
    if (Valid(cardinality, row)) descriptor.cardinality = IntegerValue(cardinality, row);
    return std::optional<DeletionVectorDescriptor>(std::move(descriptor));
  }
};

Status MissingField(std::string_view action, std::string_view field, const std::string& path,
                    int64_t row) {
  return Status::Corruption("delta: checkpoint {} action lacks '{}' (file={}, row={})", action,
                            field, path, row);
}

Status ReadAddColumn(const StructColumn& column, int64_t num_rows, const std::string& path,
                     int64_t row_base, std::vector<Action>* out) {
  ARCFLOW_ASSIGN_OR_RETURN(const Array* path_array, column.Child("path", TypeId::kString));
  ARCFLOW_ASSIGN_OR_RETURN(MapColumn partition_values, MapChild(column, "partitionValues", path));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* size, column.Child("size", TypeId::kInt64));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* modification_time,
                           column.Child("modificationTime", TypeId::kInt64));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* data_change, column.Child("dataChange", TypeId::kBoolean));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* stats, column.Child("stats", TypeId::kString));
  ARCFLOW_ASSIGN_OR_RETURN(MapColumn tags, MapChild(column, "tags", path));
  ARCFLOW_ASSIGN_OR_RETURN(DeletionVectorColumns dv, DeletionVectorColumns::Make(column));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* base_row_id, column.Child("baseRowId", TypeId::kInt64));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* default_row_commit_version,
                           column.Child("defaultRowCommitVersion", TypeId::kInt64));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* clustering_provider,
                           column.Child("clusteringProvider", TypeId::kString));
  for (int64_t row = 0; row < num_rows; ++row) {
    if (column.IsNull(row)) continue;
    if (!Valid(path_array, row)) return MissingField("add", "path", path, row_base + row);
    AddFile add;
    add.path = std::string(StringValue(path_array, row));
    if (partition_values.Valid(row)) add.partition_values = partition_values.ToPartitionValues(row);
    if (Valid(size, row)) add.size = IntegerValue(size, row);
    if (Valid(modification_time, row)) add.modification_time = IntegerValue(modification_time, row);
    if (Valid(data_change, row)) add.data_change = BoolValue(data_change, row);
    add.stats = OptionalString(stats, row);
    add.tags = tags.OptionalStringMap(row);
    ARCFLOW_ASSIGN_OR_RETURN(add.deletion_vector, dv.Get(row, path));
    add.base_row_id = OptionalInteger(base_row_id, row);
    add.default_row_commit_version = OptionalInteger(default_row_commit_version, row);
    add.clustering_provider = OptionalString(clustering_provider, row);
    out->push_back(std::move(add));
  }
  return Status::OK();
}

Status ReadRemoveColumn(const StructColumn& column, int64_t num_rows, const std::string& path,
                        int64_t row_base, std::vector<Action>* out) {
  ARCFLOW_ASSIGN_OR_RETURN(const Array* path_array, column.Child("path", TypeId::kString));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* deletion_timestamp,
                           column.Child("deletionTimestamp", TypeId::kInt64));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* data_change, column.Child("dataChange", TypeId::kBoolean));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* extended_file_metadata,
                           column.Child("extendedFileMetadata", TypeId::kBoolean));
  ARCFLOW_ASSIGN_OR_RETURN(MapColumn partition_values, MapChild(column, "partitionValues", path));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* size, column.Child("size", TypeId::kInt64));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* stats, column.Child("stats", TypeId::kString));
  ARCFLOW_ASSIGN_OR_RETURN(MapColumn tags, MapChild(column, "tags", path));
  ARCFLOW_ASSIGN_OR_RETURN(DeletionVectorColumns dv, DeletionVectorColumns::Make(column));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* base_row_id, column.Child("baseRowId", TypeId::kInt64));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* default_row_commit_version,
                           column.Child("defaultRowCommitVersion", TypeId::kInt64));
  for (int64_t row = 0; row < num_rows; ++row) {
    if (column.IsNull(row)) continue;
    if (!Valid(path_array, row)) return MissingField("remove", "path", path, row_base + row);
    RemoveFile remove;
    remove.path = std::string(StringValue(path_array, row));
    remove.deletion_timestamp = OptionalInteger(deletion_timestamp, row);
    if (Valid(data_change, row)) remove.data_change = BoolValue(data_change, row);
    if (Valid(extended_file_metadata, row)) {
      remove.extended_file_metadata = BoolValue(extended_file_metadata, row);
    }
    if (partition_values.Valid(row)) {
      remove.partition_values = partition_values.ToPartitionValues(row);
    }
    remove.size = OptionalInteger(size, row);
    remove.stats = OptionalString(stats, row);
    remove.tags = tags.OptionalStringMap(row);
    ARCFLOW_ASSIGN_OR_RETURN(remove.deletion_vector, dv.Get(row, path));
    remove.base_row_id = OptionalInteger(base_row_id, row);
    remove.default_row_commit_version = OptionalInteger(default_row_commit_version, row);
    out->push_back(std::move(remove));
  }
  return Status::OK();
}

Status ReadMetadataColumn(const StructColumn& column, int64_t num_rows, const std::string& path,
                          int64_t row_base, std::vector<Action>* out) {
  ARCFLOW_ASSIGN_OR_RETURN(const Array* id, column.Child("id", TypeId::kString));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* name, column.Child("name", TypeId::kString));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* description, column.Child("description", TypeId::kString));
  ARCFLOW_ASSIGN_OR_RETURN(std::optional<StructColumn> format, column.ChildStruct("format"));
  const Array* provider = nullptr;
  MapColumn options;
  if (format.has_value()) {
    ARCFLOW_ASSIGN_OR_RETURN(provider, format->Child("provider", TypeId::kString));
    ARCFLOW_ASSIGN_OR_RETURN(options, MapChild(*format, "options", path));
  }
  ARCFLOW_ASSIGN_OR_RETURN(const Array* schema_string,
                           column.Child("schemaString", TypeId::kString));
  ARCFLOW_ASSIGN_OR_RETURN(const ListArray* partition_columns,
                           StringListChild(column, "partitionColumns", path));
  ARCFLOW_ASSIGN_OR_RETURN(MapColumn configuration, MapChild(column, "configuration", path));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* created_time, column.Child("createdTime", TypeId::kInt64));
  for (int64_t row = 0; row < num_rows; ++row) {
    if (column.IsNull(row)) continue;
    if (!Valid(id, row)) return MissingField("metaData", "id", path, row_base + row);
    Metadata metadata;
    metadata.id = std::string(StringValue(id, row));
    metadata.name = OptionalString(name, row);
    metadata.description = OptionalString(description, row);
    if (format.has_value() && !format->IsNull(row)) {
      if (Valid(provider, row)) metadata.format.provider = std::string(StringValue(provider, row));
      if (options.Valid(row)) metadata.format.options = options.ToStringMap(row);
    }
    if (Valid(schema_string, row)) {
      metadata.schema_string = std::string(StringValue(schema_string, row));
    }
    if (partition_columns != nullptr && partition_columns->IsValid(row)) {
      metadata.partition_columns = StringListValue(partition_columns, row);
    }
    if (configuration.Valid(row)) metadata.configuration = configuration.ToStringMap(row);
    metadata.created_time = OptionalInteger(created_time, row);
    out->push_back(std::move(metadata));
  }
  return Status::OK();
}

Status ReadProtocolColumn(const StructColumn& column, int64_t num_rows, const std::string& path,
                          int64_t row_base, std::vector<Action>* out) {
  ARCFLOW_ASSIGN_OR_RETURN(const Array* reader_version,
                           column.Child("minReaderVersion", TypeId::kInt32));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* writer_version,
                           column.Child("minWriterVersion", TypeId::kInt32));
  ARCFLOW_ASSIGN_OR_RETURN(const ListArray* reader_features,
                           StringListChild(column, "readerFeatures", path));
  ARCFLOW_ASSIGN_OR_RETURN(const ListArray* writer_features,
                           StringListChild(column, "writerFeatures", path));
  for (int64_t row = 0; row < num_rows; ++row) {
    if (column.IsNull(row)) continue;
    if (!Valid(reader_version, row)) {
      return MissingField("protocol", "minReaderVersion", path, row_base + row);
    }
    if (!Valid(writer_version, row)) {
      return MissingField("protocol", "minWriterVersion", path, row_base + row);
    }
    Protocol protocol;
    protocol.min_reader_version = static_cast<int32_t>(IntegerValue(reader_version, row));
    protocol.min_writer_version = static_cast<int32_t>(IntegerValue(writer_version, row));
    if (reader_features != nullptr && reader_features->IsValid(row)) {
      protocol.reader_features = StringListValue(reader_features, row);
    }
    if (writer_features != nullptr && writer_features->IsValid(row)) {
      protocol.writer_features = StringListValue(writer_features, row);
    }
    out->push_back(std::move(protocol));
  }
  return Status::OK();
}

Status ReadTransactionColumn(const StructColumn& column, int64_t num_rows, const std::string& path,
                             int64_t row_base, std::vector<Action>* out) {
  ARCFLOW_ASSIGN_OR_RETURN(const Array* app_id, column.Child("appId", TypeId::kString));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* version, column.Child("version", TypeId::kInt64));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* last_updated, column.Child("lastUpdated", TypeId::kInt64));
  for (int64_t row = 0; row < num_rows; ++row) {
    if (column.IsNull(row)) continue;
    if (!Valid(app_id, row)) return MissingField("txn", "appId", path, row_base + row);
    if (!Valid(version, row)) return MissingField("txn", "version", path, row_base + row);
    Transaction txn;
    txn.app_id = std::string(StringValue(app_id, row));
    txn.version = IntegerValue(version, row);
    txn.last_updated = OptionalInteger(last_updated, row);
    out->push_back(std::move(txn));
  }
  return Status::OK();
}

Status ReadDomainMetadataColumn(const StructColumn& column, int64_t num_rows,
                                const std::string& path, int64_t row_base,
                                std::vector<Action>* out) {
  ARCFLOW_ASSIGN_OR_RETURN(const Array* domain, column.Child("domain", TypeId::kString));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* configuration,
                           column.Child("configuration", TypeId::kString));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* removed, column.Child("removed", TypeId::kBoolean));
  for (int64_t row = 0; row < num_rows; ++row) {
    if (column.IsNull(row)) continue;
    if (!Valid(domain, row)) {
      return MissingField("domainMetadata", "domain", path, row_base + row);
    }
    DomainMetadata metadata;
    metadata.domain = std::string(StringValue(domain, row));
    if (Valid(configuration, row)) {
      metadata.configuration = std::string(StringValue(configuration, row));
    }
    if (Valid(removed, row)) metadata.removed = BoolValue(removed, row);
    out->push_back(std::move(metadata));
  }
  return Status::OK();
}

Status ReadCheckpointMetadataColumn(const StructColumn& column, int64_t num_rows,
                                    const std::string& path, int64_t row_base,
                                    std::vector<Action>* out) {
  ARCFLOW_ASSIGN_OR_RETURN(const Array* version, column.Child("version", TypeId::kInt64));
  ARCFLOW_ASSIGN_OR_RETURN(MapColumn tags, MapChild(column, "tags", path));
  for (int64_t row = 0; row < num_rows; ++row) {
    if (column.IsNull(row)) continue;
    if (!Valid(version, row)) {
      return MissingField("checkpointMetadata", "version", path, row_base + row);
    }
    CheckpointMetadata metadata;
    metadata.version = IntegerValue(version, row);
    metadata.tags = tags.OptionalStringMap(row);
    out->push_back(std::move(metadata));
  }
  return Status::OK();
}

Status ReadSidecarColumn(const StructColumn& column, int64_t num_rows, const std::string& path,
                         int64_t row_base, std::vector<Action>* out) {
  ARCFLOW_ASSIGN_OR_RETURN(const Array* path_array, column.Child("path", TypeId::kString));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* size_in_bytes, column.Child("sizeInBytes", TypeId::kInt64));
  ARCFLOW_ASSIGN_OR_RETURN(const Array* modification_time,
                           column.Child("modificationTime", TypeId::kInt64));
  ARCFLOW_ASSIGN_OR_RETURN(MapColumn tags, MapChild(column, "tags", path));
  for (int64_t row = 0; row < num_rows; ++row) {
    if (column.IsNull(row)) continue;
    if (!Valid(path_array, row)) return MissingField("sidecar", "path", path, row_base + row);
    Sidecar sidecar;
    sidecar.path = std::string(StringValue(path_array, row));
    if (Valid(size_in_bytes, row)) sidecar.size_in_bytes = IntegerValue(size_in_bytes, row);
    if (Valid(modification_time, row)) {
      sidecar.modification_time = IntegerValue(modification_time, row);
    }
    sidecar.tags = tags.OptionalStringMap(row);
    out->push_back(std::move(sidecar));
  }
  return Status::OK();
}

using ColumnReader = Status (*)(const StructColumn&, int64_t, const std::string&, int64_t,
                                std::vector<Action>*);

struct ActionColumn {
  std::string_view name;
  ColumnReader read;
};

// The order in which a batch's actions are emitted: protocol and metadata first so that a
// consumer streaming the actions knows the table before its files.
constexpr ActionColumn kActionColumns[] = {
    {"protocol", &ReadProtocolColumn},
    {"metaData", &ReadMetadataColumn},
    {"txn", &ReadTransactionColumn},
    {"domainMetadata", &ReadDomainMetadataColumn},
    {"checkpointMetadata", &ReadCheckpointMetadataColumn},
    {"sidecar", &ReadSidecarColumn},
    {"add", &ReadAddColumn},
    {"remove", &ReadRemoveColumn},
};

Status ReadParquetCheckpoint(const std::shared_ptr<io::FileSystem>& fs, const std::string& path,
                             std::vector<Action>* out) {
  parquet::ParquetReadOptions options;
  // Checkpoints are written once and read often; CRCs are verified by the Parquet layer where
  // present, which is what catches a torn checkpoint.
  options.schema.binary_as_string = true;
  ARCFLOW_ASSIGN_OR_RETURN(std::unique_ptr<parquet::ParquetFileReader> reader,
                           parquet::ParquetFileReader::Open(fs, path, options));
  const Schema& schema = *reader->schema();
  std::vector<int> column_indices;
  std::vector<const ActionColumn*> readers;
  for (const ActionColumn& action_column : kActionColumns) {
    int index = schema.GetFieldIndex(action_column.name);
    if (index < 0) continue;
    if (schema.field(index).type->id() != TypeId::kStruct) {
      return Status::Corruption(
          "delta: checkpoint column '{}' must be a struct, found {} (file={})", action_column.name,
          schema.field(index).type->ToString(), path);
    }
    column_indices.push_back(index);
    readers.push_back(&action_column);
  }
  if (column_indices.empty()) {
    return Status::Corruption(
        "delta: checkpoint has none of the action columns add, remove, metaData, protocol "
        "(file={})",
        path);
  }
  ARCFLOW_ASSIGN_OR_RETURN(std::unique_ptr<RecordBatchReader> batches,
                           reader->GetRecordBatchReader(column_indices));
  out->reserve(out->size() + static_cast<size_t>(reader->num_rows()));
  int64_t row_base = 0;
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, batches->Next());
    if (batch == nullptr) break;
    for (size_t i = 0; i < readers.size(); ++i) {
      StructColumn column(batch->column(static_cast<int>(i)), readers[i]->name, path);
      ARCFLOW_RETURN_NOT_OK(readers[i]->read(column, batch->num_rows(), path, row_base, out));
    }
    row_base += batch->num_rows();
  }
  return Status::OK();
}

Status ReadJsonCheckpoint(const std::shared_ptr<io::FileSystem>& fs, const std::string& path,
                          std::vector<Action>* out) {
  ARCFLOW_ASSIGN_OR_RETURN(std::shared_ptr<const Buffer> content, fs->ReadFile(path));
  std::string_view text(reinterpret_cast<const char*>(content->data()),
                        static_cast<size_t>(content->size()));
  ARCFLOW_ASSIGN_OR_RETURN(std::vector<Action> actions, ParseCommit(text, path));
  if (out->empty()) {
    *out = std::move(actions);
  } else {
    out->insert(out->end(), std::make_move_iterator(actions.begin()),
                std::make_move_iterator(actions.end()));
  }
  return Status::OK();
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

Status ReadCheckpointFile(const std::shared_ptr<io::FileSystem>& fs, const std::string& path,
                          std::vector<Action>* out) {
  if (EndsWith(path, ".json")) return ReadJsonCheckpoint(fs, path, out);
  return ReadParquetCheckpoint(fs, path, out);
}

Status ReadCheckpoint(const std::shared_ptr<io::FileSystem>& fs, const std::string& table_root,
                      const std::vector<std::string>& checkpoint_files, std::vector<Action>* out) {
  size_t first_new = out->size();
  for (const std::string& file : checkpoint_files) {
    ARCFLOW_RETURN_NOT_OK(ReadCheckpointFile(fs, file, out));
  }
  // Sidecars hold only file actions; read them after the manifest so that protocol and
  // metadata still come first.
  std::vector<std::string> sidecar_paths;
  for (size_t i = first_new; i < out->size(); ++i) {
    if (const auto* sidecar = std::get_if<Sidecar>(&(*out)[i])) {
      sidecar_paths.push_back(ResolveDataFilePath(SidecarDirectory(table_root), sidecar->path));
    }
  }
  for (const std::string& sidecar_path : sidecar_paths) {
    Status status = ReadCheckpointFile(fs, sidecar_path, out);
    if (!status.ok()) {
      if (status.IsNotFound()) {
        return Status::Corruption(
            "delta: V2 checkpoint lists a sidecar file that does not exist (sidecar={}, "
            "checkpoint={})",
            sidecar_path, checkpoint_files.empty() ? "" : checkpoint_files.front());
      }
      return status.WithContext("while reading a checkpoint sidecar");
    }
  }
  return Status::OK();
}

}  // namespace arcflow::delta
