#include "arcflow/delta/actions.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

#include "arcflow/columnar/schema_json.h"

namespace arcflow::delta {

bool Protocol::HasReaderFeature(std::string_view feature) const {
  return reader_features.has_value() && std::find(reader_features->begin(), reader_features->end(),
                                                  feature) != reader_features->end();
}

bool Protocol::HasWriterFeature(std::string_view feature) const {
  return writer_features.has_value() && std::find(writer_features->begin(), writer_features->end(),
                                                  feature) != writer_features->end();
}

std::optional<std::string> Metadata::Configuration(std::string_view key) const {
  for (const auto& [name, value] : configuration) {
    if (name == key) return value;
  }
  return std::nullopt;
}

std::string DeletionVectorDescriptor::UniqueId() const {
  std::string id;
  id.reserve(1 + path_or_inline_dv.size() + 12);
  id.push_back(storage_type);
  id.append(path_or_inline_dv);
  if (offset.has_value()) {
    id.push_back('@');
    id.append(std::to_string(*offset));
  }
  return id;
}

namespace {

namespace dom = simdjson::dom;

// Says where an action failed to parse: in which file and line (line 0: `where` is a free-form
// location given by the caller). Cheap to build; the text is formatted only on error.
struct Location {
  std::string_view where;
  int64_t line = 0;

  std::string ToString() const {
    if (line <= 0) return std::string(where);
    return fmt::format("file={}, line={}", where, line);
  }
};

// Says which action and field failed to parse, and where.
class FieldContext {
 public:
  FieldContext(std::string_view action, Location location) : action_(action), location_(location) {}

  Status TypeError(std::string_view field, std::string_view expected) const {
    return Status::Corruption("delta: field '{}.{}' must be {} ({})", action_, field, expected,
                              location_.ToString());
  }
  Status Missing(std::string_view field) const {
    return Status::Corruption("delta: action '{}' lacks required field '{}' ({})", action_, field,
                              location_.ToString());
  }

 private:
  std::string_view action_;
  Location location_;
};

Status ReadString(dom::element value, std::string_view field, const FieldContext& context,
                  std::string* out) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return context.TypeError(field, "a string");
  }
  out->assign(text);
  return Status::OK();
}

// Reads a string that may be null; null leaves `out` unset.
Status ReadOptionalString(dom::element value, std::string_view field, const FieldContext& context,
                          std::optional<std::string>* out) {
  if (value.is_null()) {
    out->reset();
    return Status::OK();
  }
  std::string text;
  ARCFLOW_RETURN_NOT_OK(ReadString(value, field, context, &text));
  *out = std::move(text);
  return Status::OK();
}

Status ReadInt64(dom::element value, std::string_view field, const FieldContext& context,
                 int64_t* out) {
  int64_t number = 0;
  if (value.get_int64().get(number) != simdjson::SUCCESS) {
    return context.TypeError(field, "an integer that fits in 64 bits");
  }
  *out = number;
  return Status::OK();
}

Status ReadOptionalInt64(dom::element value, std::string_view field, const FieldContext& context,
                         std::optional<int64_t>* out) {
  if (value.is_null()) {
    out->reset();
    return Status::OK();
  }
  int64_t number = 0;
  ARCFLOW_RETURN_NOT_OK(ReadInt64(value, field, context, &number));
  *out = number;
  return Status::OK();
}

Status ReadInt32(dom::element value, std::string_view field, const FieldContext& context,
                 int32_t* out) {
  int64_t number = 0;
  ARCFLOW_RETURN_NOT_OK(ReadInt64(value, field, context, &number));
  if (number < std::numeric_limits<int32_t>::min() ||
      number > std::numeric_limits<int32_t>::max()) {
    return context.TypeError(field, "an integer that fits in 32 bits");
  }
  *out = static_cast<int32_t>(number);
  return Status::OK();
}

Status ReadBool(dom::element value, std::string_view field, const FieldContext& context,
                bool* out) {
  if (value.get_bool().get(*out) != simdjson::SUCCESS) {
    return context.TypeError(field, "true or false");
  }
  return Status::OK();
}

Status ReadOptionalBool(dom::element value, std::string_view field, const FieldContext& context,
                        std::optional<bool>* out) {
  if (value.is_null()) {
    out->reset();
    return Status::OK();
  }
  bool flag = false;
  ARCFLOW_RETURN_NOT_OK(ReadBool(value, field, context, &flag));
  *out = flag;
  return Status::OK();
}

// Reads a string→string object. Null values are dropped: StringMap has no place for them and
// no field the protocol defines as such a map gives a null value a meaning.
Status ReadStringMap(dom::element value, std::string_view field, const FieldContext& context,
                     StringMap* out) {
  dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return context.TypeError(field, "an object of strings");
  }
  out->clear();
  for (auto [key, item] : object) {
    if (item.is_null()) continue;
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) {
      return context.TypeError(field, "an object of strings");
    }
    out->emplace_back(std::string(key), std::string(text));
  }
  return Status::OK();
}

Status ReadOptionalStringMap(dom::element value, std::string_view field,
                             const FieldContext& context, std::optional<StringMap>* out) {
  if (value.is_null()) {
    out->reset();
    return Status::OK();
  }
  StringMap map;
  ARCFLOW_RETURN_NOT_OK(ReadStringMap(value, field, context, &map));
  *out = std::move(map);
  return Status::OK();
}

Status ReadPartitionValues(dom::element value, std::string_view field, const FieldContext& context,
                           PartitionValues* out) {
  dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return context.TypeError(field, "an object of strings or nulls");
  }
  out->clear();
  for (auto [key, item] : object) {
    if (item.is_null()) {
      out->emplace_back(std::string(key), std::nullopt);
      continue;
    }
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) {
      return context.TypeError(field, "an object of strings or nulls");
    }
    out->emplace_back(std::string(key), std::string(text));
  }
  return Status::OK();
}

Status ReadStringList(dom::element value, std::string_view field, const FieldContext& context,
                      std::vector<std::string>* out) {
  dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return context.TypeError(field, "an array of strings");
  }
  out->clear();
  for (dom::element item : array) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) {
      return context.TypeError(field, "an array of strings");
    }
    out->emplace_back(text);
  }
  return Status::OK();
}

// Reads an object whose values are arbitrary JSON, keeping each value as compact JSON text.
Status ReadJsonValueMap(dom::element value, std::string_view field, const FieldContext& context,
                        StringMap* out) {
  dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return context.TypeError(field, "an object");
  }
  out->clear();
  for (auto [key, item] : object) {
    out->emplace_back(std::string(key), simdjson::minify(item));
  }
  return Status::OK();
}

Status ParseDeletionVector(dom::element value, const FieldContext& outer,
                           std::optional<DeletionVectorDescriptor>* out) {
  if (value.is_null()) {
    out->reset();
    return Status::OK();
  }
  dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return outer.TypeError("deletionVector", "an object");
  }
  FieldContext context = outer;
  DeletionVectorDescriptor dv;
  bool has_storage_type = false;
  for (auto [key, item] : object) {
    if (key == "storageType") {
      std::string storage_type;
      ARCFLOW_RETURN_NOT_OK(ReadString(item, "deletionVector.storageType", context, &storage_type));
      if (storage_type.size() != 1) {
        return context.TypeError("deletionVector.storageType", "one of 'u', 'i' or 'p'");
      }
      dv.storage_type = storage_type[0];
      has_storage_type = true;
    } else if (key == "pathOrInlineDv") {
      ARCFLOW_RETURN_NOT_OK(
          ReadString(item, "deletionVector.pathOrInlineDv", context, &dv.path_or_inline_dv));
    } else if (key == "offset") {
      if (item.is_null()) continue;
      int32_t offset = 0;
      ARCFLOW_RETURN_NOT_OK(ReadInt32(item, "deletionVector.offset", context, &offset));
      dv.offset = offset;
    } else if (key == "sizeInBytes") {
      ARCFLOW_RETURN_NOT_OK(
          ReadInt32(item, "deletionVector.sizeInBytes", context, &dv.size_in_bytes));
    } else if (key == "cardinality") {
      ARCFLOW_RETURN_NOT_OK(
          ReadInt64(item, "deletionVector.cardinality", context, &dv.cardinality));
    }
  }
  if (!has_storage_type) return context.Missing("deletionVector.storageType");
  *out = std::move(dv);
  return Status::OK();
}

Result<Protocol> ParseProtocol(dom::object object, const FieldContext& context) {
  Protocol protocol;
  bool has_reader = false;
  bool has_writer = false;
  for (auto [key, item] : object) {
    if (key == "minReaderVersion") {
      ARCFLOW_RETURN_NOT_OK(ReadInt32(item, key, context, &protocol.min_reader_version));
      has_reader = true;
    } else if (key == "minWriterVersion") {
      ARCFLOW_RETURN_NOT_OK(ReadInt32(item, key, context, &protocol.min_writer_version));
      has_writer = true;
    } else if (key == "readerFeatures" && !item.is_null()) {
      protocol.reader_features.emplace();
      ARCFLOW_RETURN_NOT_OK(ReadStringList(item, key, context, &*protocol.reader_features));
    } else if (key == "writerFeatures" && !item.is_null()) {
      protocol.writer_features.emplace();
      ARCFLOW_RETURN_NOT_OK(ReadStringList(item, key, context, &*protocol.writer_features));
    }
  }
  if (!has_reader) return context.Missing("minReaderVersion");
  if (!has_writer) return context.Missing("minWriterVersion");
  return protocol;
}

Result<Metadata> ParseMetadata(dom::object object, const FieldContext& context) {
  Metadata metadata;
  for (auto [key, item] : object) {
    if (key == "id") {
      ARCFLOW_RETURN_NOT_OK(ReadString(item, key, context, &metadata.id));
    } else if (key == "name") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalString(item, key, context, &metadata.name));
    } else if (key == "description") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalString(item, key, context, &metadata.description));
    } else if (key == "format") {
      dom::object format;
      if (item.get_object().get(format) != simdjson::SUCCESS) {
        return context.TypeError(key, "an object");
      }
      for (auto [format_key, format_item] : format) {
        if (format_key == "provider") {
          ARCFLOW_RETURN_NOT_OK(
              ReadString(format_item, "format.provider", context, &metadata.format.provider));
        } else if (format_key == "options" && !format_item.is_null()) {
          ARCFLOW_RETURN_NOT_OK(
              ReadStringMap(format_item, "format.options", context, &metadata.format.options));
        }
      }
    } else if (key == "schemaString") {
      ARCFLOW_RETURN_NOT_OK(ReadString(item, key, context, &metadata.schema_string));
    } else if (key == "partitionColumns") {
      if (item.is_null()) continue;
      ARCFLOW_RETURN_NOT_OK(ReadStringList(item, key, context, &metadata.partition_columns));
    } else if (key == "configuration") {
      if (item.is_null()) continue;
      ARCFLOW_RETURN_NOT_OK(ReadStringMap(item, key, context, &metadata.configuration));
    } else if (key == "createdTime") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalInt64(item, key, context, &metadata.created_time));
    }
  }
  return metadata;
}

Result<AddFile> ParseAdd(dom::object object, const FieldContext& context) {
  AddFile add;
  bool has_path = false;
  for (auto [key, item] : object) {
    if (key == "path") {
      ARCFLOW_RETURN_NOT_OK(ReadString(item, key, context, &add.path));
      has_path = true;
    } else if (key == "partitionValues") {
      if (item.is_null()) continue;
      ARCFLOW_RETURN_NOT_OK(ReadPartitionValues(item, key, context, &add.partition_values));
    } else if (key == "size") {
      ARCFLOW_RETURN_NOT_OK(ReadInt64(item, key, context, &add.size));
    } else if (key == "modificationTime") {
      ARCFLOW_RETURN_NOT_OK(ReadInt64(item, key, context, &add.modification_time));
    } else if (key == "dataChange") {
      ARCFLOW_RETURN_NOT_OK(ReadBool(item, key, context, &add.data_change));
    } else if (key == "stats") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalString(item, key, context, &add.stats));
    } else if (key == "tags") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalStringMap(item, key, context, &add.tags));
    } else if (key == "deletionVector") {
      ARCFLOW_RETURN_NOT_OK(ParseDeletionVector(item, context, &add.deletion_vector));
    } else if (key == "baseRowId") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalInt64(item, key, context, &add.base_row_id));
    } else if (key == "defaultRowCommitVersion") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalInt64(item, key, context, &add.default_row_commit_version));
    } else if (key == "clusteringProvider") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalString(item, key, context, &add.clustering_provider));
    }
  }
  if (!has_path) return context.Missing("path");
  return add;
}

Result<RemoveFile> ParseRemove(dom::object object, const FieldContext& context) {
  RemoveFile remove;
  bool has_path = false;
  for (auto [key, item] : object) {
    if (key == "path") {
      ARCFLOW_RETURN_NOT_OK(ReadString(item, key, context, &remove.path));
      has_path = true;
    } else if (key == "deletionTimestamp") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalInt64(item, key, context, &remove.deletion_timestamp));
    } else if (key == "dataChange") {
      ARCFLOW_RETURN_NOT_OK(ReadBool(item, key, context, &remove.data_change));
    } else if (key == "extendedFileMetadata") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalBool(item, key, context, &remove.extended_file_metadata));
    } else if (key == "partitionValues") {
      if (item.is_null()) continue;
      remove.partition_values.emplace();
      ARCFLOW_RETURN_NOT_OK(ReadPartitionValues(item, key, context, &*remove.partition_values));
    } else if (key == "size") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalInt64(item, key, context, &remove.size));
    } else if (key == "stats") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalString(item, key, context, &remove.stats));
    } else if (key == "tags") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalStringMap(item, key, context, &remove.tags));
    } else if (key == "deletionVector") {
      ARCFLOW_RETURN_NOT_OK(ParseDeletionVector(item, context, &remove.deletion_vector));
    } else if (key == "baseRowId") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalInt64(item, key, context, &remove.base_row_id));
    } else if (key == "defaultRowCommitVersion") {
      ARCFLOW_RETURN_NOT_OK(
          ReadOptionalInt64(item, key, context, &remove.default_row_commit_version));
    }
  }
  if (!has_path) return context.Missing("path");
  return remove;
}

Result<AddCdcFile> ParseCdc(dom::object object, const FieldContext& context) {
  AddCdcFile cdc;
  bool has_path = false;
  for (auto [key, item] : object) {
    if (key == "path") {
      ARCFLOW_RETURN_NOT_OK(ReadString(item, key, context, &cdc.path));
      has_path = true;
    } else if (key == "partitionValues") {
      if (item.is_null()) continue;
      ARCFLOW_RETURN_NOT_OK(ReadPartitionValues(item, key, context, &cdc.partition_values));
    } else if (key == "size") {
      ARCFLOW_RETURN_NOT_OK(ReadInt64(item, key, context, &cdc.size));
    } else if (key == "dataChange") {
      ARCFLOW_RETURN_NOT_OK(ReadBool(item, key, context, &cdc.data_change));
    } else if (key == "tags") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalStringMap(item, key, context, &cdc.tags));
    }
  }
  if (!has_path) return context.Missing("path");
  return cdc;
}

Result<Transaction> ParseTransaction(dom::object object, const FieldContext& context) {
  Transaction txn;
  bool has_app_id = false;
  bool has_version = false;
  for (auto [key, item] : object) {
    if (key == "appId") {
      ARCFLOW_RETURN_NOT_OK(ReadString(item, key, context, &txn.app_id));
      has_app_id = true;
    } else if (key == "version") {
      ARCFLOW_RETURN_NOT_OK(ReadInt64(item, key, context, &txn.version));
      has_version = true;
    } else if (key == "lastUpdated") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalInt64(item, key, context, &txn.last_updated));
    }
  }
  if (!has_app_id) return context.Missing("appId");
  if (!has_version) return context.Missing("version");
  return txn;
}

Result<CommitInfo> ParseCommitInfo(dom::object object, const FieldContext& context) {
  CommitInfo info;
  for (auto [key, item] : object) {
    // commitInfo is free-form: a field of an unexpected type is kept in `json` but not parsed,
    // except inCommitTimestamp, whose type the protocol fixes.
    if (key == "timestamp") {
      int64_t value = 0;
      if (item.get_int64().get(value) == simdjson::SUCCESS) info.timestamp = value;
    } else if (key == "inCommitTimestamp") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalInt64(item, key, context, &info.in_commit_timestamp));
    } else if (key == "operation") {
      std::string_view text;
      if (item.get_string().get(text) == simdjson::SUCCESS) info.operation = std::string(text);
    } else if (key == "readVersion") {
      int64_t value = 0;
      if (item.get_int64().get(value) == simdjson::SUCCESS) info.read_version = value;
    } else if (key == "isBlindAppend") {
      bool value = false;
      if (item.get_bool().get(value) == simdjson::SUCCESS) info.is_blind_append = value;
    } else if (key == "operationParameters") {
      if (item.is_object()) {
        ARCFLOW_RETURN_NOT_OK(ReadJsonValueMap(item, key, context, &info.operation_parameters));
      }
    } else if (key == "operationMetrics") {
      if (item.is_object()) {
        ARCFLOW_RETURN_NOT_OK(ReadJsonValueMap(item, key, context, &info.operation_metrics));
      }
    } else if (key == "engineInfo") {
      std::string_view text;
      if (item.get_string().get(text) == simdjson::SUCCESS) info.engine_info = std::string(text);
    }
  }
  info.json = simdjson::minify(object);
  return info;
}

Result<DomainMetadata> ParseDomainMetadata(dom::object object, const FieldContext& context) {
  DomainMetadata domain;
  bool has_domain = false;
  for (auto [key, item] : object) {
    if (key == "domain") {
      ARCFLOW_RETURN_NOT_OK(ReadString(item, key, context, &domain.domain));
      has_domain = true;
    } else if (key == "configuration") {
      ARCFLOW_RETURN_NOT_OK(ReadString(item, key, context, &domain.configuration));
    } else if (key == "removed") {
      ARCFLOW_RETURN_NOT_OK(ReadBool(item, key, context, &domain.removed));
    }
  }
  if (!has_domain) return context.Missing("domain");
  return domain;
}

Result<CheckpointMetadata> ParseCheckpointMetadata(dom::object object,
                                                   const FieldContext& context) {
  CheckpointMetadata metadata;
  bool has_version = false;
  for (auto [key, item] : object) {
    if (key == "version") {
      ARCFLOW_RETURN_NOT_OK(ReadInt64(item, key, context, &metadata.version));
      has_version = true;
    } else if (key == "tags") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalStringMap(item, key, context, &metadata.tags));
    }
  }
  if (!has_version) return context.Missing("version");
  return metadata;
}

Result<Sidecar> ParseSidecar(dom::object object, const FieldContext& context) {
  Sidecar sidecar;
  bool has_path = false;
  for (auto [key, item] : object) {
    if (key == "path") {
      ARCFLOW_RETURN_NOT_OK(ReadString(item, key, context, &sidecar.path));
      has_path = true;
    } else if (key == "sizeInBytes") {
      ARCFLOW_RETURN_NOT_OK(ReadInt64(item, key, context, &sidecar.size_in_bytes));
    } else if (key == "modificationTime") {
      ARCFLOW_RETURN_NOT_OK(ReadInt64(item, key, context, &sidecar.modification_time));
    } else if (key == "tags") {
      ARCFLOW_RETURN_NOT_OK(ReadOptionalStringMap(item, key, context, &sidecar.tags));
    }
  }
  if (!has_path) return context.Missing("path");
  return sidecar;
}

template <typename T>
Result<std::optional<Action>> Wrap(Result<T> result) {
  if (!result.ok()) return result.status();
  return std::optional<Action>(Action(std::move(result).MoveValueUnsafe()));
}

// Parses one action object already parsed into a DOM element.
Result<std::optional<Action>> ParseActionElement(dom::element document, Location location) {
  dom::object root;
  if (document.get_object().get(root) != simdjson::SUCCESS) {
    return Status::Corruption("delta: log line is not a JSON object ({})", location.ToString());
  }
  // An action line holds exactly one action key; further keys are tolerated and ignored.
  for (auto [key, value] : root) {
    if (value.is_null()) continue;
    using Parser = Result<std::optional<Action>> (*)(dom::object, const FieldContext&);
    Parser parser = nullptr;
    if (key == "add") {
      parser = [](dom::object o, const FieldContext& c) { return Wrap(ParseAdd(o, c)); };
    } else if (key == "remove") {
      parser = [](dom::object o, const FieldContext& c) { return Wrap(ParseRemove(o, c)); };
    } else if (key == "metaData") {
      parser = [](dom::object o, const FieldContext& c) { return Wrap(ParseMetadata(o, c)); };
    } else if (key == "protocol") {
      parser = [](dom::object o, const FieldContext& c) { return Wrap(ParseProtocol(o, c)); };
    } else if (key == "cdc") {
      parser = [](dom::object o, const FieldContext& c) { return Wrap(ParseCdc(o, c)); };
    } else if (key == "txn") {
      parser = [](dom::object o, const FieldContext& c) { return Wrap(ParseTransaction(o, c)); };
    } else if (key == "commitInfo") {
      parser = [](dom::object o, const FieldContext& c) { return Wrap(ParseCommitInfo(o, c)); };
    } else if (key == "domainMetadata") {
      parser = [](dom::object o, const FieldContext& c) { return Wrap(ParseDomainMetadata(o, c)); };
    } else if (key == "checkpointMetadata") {
      parser = [](dom::object o, const FieldContext& c) {
        return Wrap(ParseCheckpointMetadata(o, c));
      };
    } else if (key == "sidecar") {
      parser = [](dom::object o, const FieldContext& c) { return Wrap(ParseSidecar(o, c)); };
    } else {
      continue;
    }
    dom::object body;
    if (value.get_object().get(body) != simdjson::SUCCESS) {
      return Status::Corruption("delta: action '{}' must be a JSON object ({})", key,
                                location.ToString());
    }
    return parser(body, FieldContext(key, location));
  }
  return std::optional<Action>();
}

dom::parser& ThreadParser() {
  // Reusing one parser per thread keeps its buffers, so replaying a log does not allocate per
  // line.
  thread_local dom::parser parser;
  return parser;
}

// ---- Serialization ----

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void Open() {
    out_->push_back('{');
    first_ = true;
  }
  void Close() {
    out_->push_back('}');
    first_ = false;
  }
  void Key(std::string_view key) {
    if (!first_) out_->push_back(',');
    first_ = false;
    out_->append(QuoteJsonString(key));
    out_->push_back(':');
  }
  void String(std::string_view key, std::string_view value) {
    Key(key);
    out_->append(QuoteJsonString(value));
  }
  void Int(std::string_view key, int64_t value) {
    Key(key);
    out_->append(std::to_string(value));
  }
  void Bool(std::string_view key, bool value) {
    Key(key);
    out_->append(value ? "true" : "false");
  }
  void Raw(std::string_view key, std::string_view json) {
    Key(key);
    out_->append(json);
  }
  void StringMapValue(std::string_view key, const StringMap& map) {
    Key(key);
    Open();
    for (const auto& [name, value] : map) String(name, value);
    Close();
  }
  void RawMapValue(std::string_view key, const StringMap& map) {
    Key(key);
    Open();
    for (const auto& [name, value] : map) Raw(name, value);
    Close();
  }
  void PartitionValuesValue(std::string_view key, const PartitionValues& values) {
    Key(key);
    Open();
    for (const auto& [name, value] : values) {
      if (value.has_value()) {
        String(name, *value);
      } else {
        Raw(name, "null");
      }
    }
    Close();
  }
  void StringListValue(std::string_view key, const std::vector<std::string>& list) {
    Key(key);
    out_->push_back('[');
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out_->push_back(',');
      out_->append(QuoteJsonString(list[i]));
    }
    out_->push_back(']');
  }
  void DeletionVectorValue(const DeletionVectorDescriptor& dv) {
    Key("deletionVector");
    Open();
    String("storageType", std::string_view(&dv.storage_type, 1));
    String("pathOrInlineDv", dv.path_or_inline_dv);
    if (dv.offset.has_value()) Int("offset", *dv.offset);
    Int("sizeInBytes", dv.size_in_bytes);
    Int("cardinality", dv.cardinality);
    Close();
  }

 private:
  std::string* out_;
  bool first_ = true;
};

struct ActionSerializer {
  std::string* out;

  void operator()(const Protocol& protocol) const {
    JsonWriter writer(out);
    writer.Open();
    writer.Key("protocol");
    writer.Open();
    writer.Int("minReaderVersion", protocol.min_reader_version);
    writer.Int("minWriterVersion", protocol.min_writer_version);
    if (protocol.reader_features)
      writer.StringListValue("readerFeatures", *protocol.reader_features);
    if (protocol.writer_features)
      writer.StringListValue("writerFeatures", *protocol.writer_features);
    writer.Close();
    writer.Close();
  }
  void operator()(const Metadata& metadata) const {
    JsonWriter writer(out);
    writer.Open();
    writer.Key("metaData");
    writer.Open();
    writer.String("id", metadata.id);
    if (metadata.name) writer.String("name", *metadata.name);
    if (metadata.description) writer.String("description", *metadata.description);
    writer.Key("format");
    writer.Open();
    writer.String("provider", metadata.format.provider);
    writer.StringMapValue("options", metadata.format.options);
    writer.Close();
    writer.String("schemaString", metadata.schema_string);
    writer.StringListValue("partitionColumns", metadata.partition_columns);
    writer.StringMapValue("configuration", metadata.configuration);
    if (metadata.created_time) writer.Int("createdTime", *metadata.created_time);
    writer.Close();
    writer.Close();
  }
  void operator()(const AddFile& add) const {
    JsonWriter writer(out);
    writer.Open();
    writer.Key("add");
    writer.Open();
    writer.String("path", add.path);
    writer.PartitionValuesValue("partitionValues", add.partition_values);
    writer.Int("size", add.size);
    writer.Int("modificationTime", add.modification_time);
    writer.Bool("dataChange", add.data_change);
    if (add.stats) writer.String("stats", *add.stats);
    if (add.tags) writer.StringMapValue("tags", *add.tags);
    if (add.deletion_vector) writer.DeletionVectorValue(*add.deletion_vector);
    if (add.base_row_id) writer.Int("baseRowId", *add.base_row_id);
    if (add.default_row_commit_version) {
      writer.Int("defaultRowCommitVersion", *add.default_row_commit_version);
    }
    if (add.clustering_provider) writer.String("clusteringProvider", *add.clustering_provider);
    writer.Close();
    writer.Close();
  }
  void operator()(const RemoveFile& remove) const {
    JsonWriter writer(out);
    writer.Open();
    writer.Key("remove");
    writer.Open();
    writer.String("path", remove.path);
    if (remove.deletion_timestamp) writer.Int("deletionTimestamp", *remove.deletion_timestamp);
    writer.Bool("dataChange", remove.data_change);
    if (remove.extended_file_metadata) {
      writer.Bool("extendedFileMetadata", *remove.extended_file_metadata);
    }
    if (remove.partition_values) {
      writer.PartitionValuesValue("partitionValues", *remove.partition_values);
    }
    if (remove.size) writer.Int("size", *remove.size);
    if (remove.stats) writer.String("stats", *remove.stats);
    if (remove.tags) writer.StringMapValue("tags", *remove.tags);
    if (remove.deletion_vector) writer.DeletionVectorValue(*remove.deletion_vector);
    if (remove.base_row_id) writer.Int("baseRowId", *remove.base_row_id);
    if (remove.default_row_commit_version) {
      writer.Int("defaultRowCommitVersion", *remove.default_row_commit_version);
    }
    writer.Close();
    writer.Close();
  }
  void operator()(const AddCdcFile& cdc) const {
    JsonWriter writer(out);
    writer.Open();
    writer.Key("cdc");
    writer.Open();
    writer.String("path", cdc.path);
    writer.PartitionValuesValue("partitionValues", cdc.partition_values);
    writer.Int("size", cdc.size);
    writer.Bool("dataChange", cdc.data_change);
    if (cdc.tags) writer.StringMapValue("tags", *cdc.tags);
    writer.Close();
    writer.Close();
  }
  void operator()(const Transaction& txn) const {
    JsonWriter writer(out);
    writer.Open();
    writer.Key("txn");
    writer.Open();
    writer.String("appId", txn.app_id);
    writer.Int("version", txn.version);
    if (txn.last_updated) writer.Int("lastUpdated", *txn.last_updated);
    writer.Close();
    writer.Close();
  }
  void operator()(const CommitInfo& info) const {
    JsonWriter writer(out);
    writer.Open();
    if (!info.json.empty()) {
      writer.Raw("commitInfo", info.json);
      writer.Close();
      return;
    }
    writer.Key("commitInfo");
    writer.Open();
    // Spark writes inCommitTimestamp first so that readers find it without parsing the rest.
    if (info.in_commit_timestamp) writer.Int("inCommitTimestamp", *info.in_commit_timestamp);
    if (info.timestamp) writer.Int("timestamp", *info.timestamp);
    if (info.operation) writer.String("operation", *info.operation);
    if (!info.operation_parameters.empty()) {
      writer.RawMapValue("operationParameters", info.operation_parameters);
    }
    if (info.read_version) writer.Int("readVersion", *info.read_version);
    if (info.is_blind_append) writer.Bool("isBlindAppend", *info.is_blind_append);
    if (!info.operation_metrics.empty()) {
      writer.RawMapValue("operationMetrics", info.operation_metrics);
    }
    if (info.engine_info) writer.String("engineInfo", *info.engine_info);
    writer.Close();
    writer.Close();
  }
  void operator()(const DomainMetadata& domain) const {
    JsonWriter writer(out);
    writer.Open();
    writer.Key("domainMetadata");
    writer.Open();
    writer.String("domain", domain.domain);
    writer.String("configuration", domain.configuration);
    writer.Bool("removed", domain.removed);
    writer.Close();
    writer.Close();
  }
  void operator()(const CheckpointMetadata& metadata) const {
    JsonWriter writer(out);
    writer.Open();
    writer.Key("checkpointMetadata");
    writer.Open();
    writer.Int("version", metadata.version);
    if (metadata.tags) writer.StringMapValue("tags", *metadata.tags);
    writer.Close();
    writer.Close();
  }
  void operator()(const Sidecar& sidecar) const {
    JsonWriter writer(out);
    writer.Open();
    writer.Key("sidecar");
    writer.Open();
    writer.String("path", sidecar.path);
    writer.Int("sizeInBytes", sidecar.size_in_bytes);
    writer.Int("modificationTime", sidecar.modification_time);
    if (sidecar.tags) writer.StringMapValue("tags", *sidecar.tags);
    writer.Close();
    writer.Close();
  }
};

}  // namespace

Result<std::optional<Action>> ParseAction(std::string_view json_line, std::string_view where) {
  dom::element document;
  auto error = ThreadParser().parse(json_line.data(), json_line.size()).get(document);
  if (error != simdjson::SUCCESS) {
    return Status::Corruption("delta: malformed JSON in log line: {} ({})",
                              simdjson::error_message(error), where);
  }
  return ParseActionElement(document, Location{where, 0});
}

Result<std::vector<Action>> ParseCommit(std::string_view text, std::string_view file_path) {
  // Copy once into a padded buffer so that every line can be parsed in place: simdjson reads
  // up to SIMDJSON_PADDING bytes past the end of its input, and here those bytes belong to the
  // following lines or the padding.
  simdjson::padded_string padded(text);
  dom::parser& parser = ThreadParser();
  std::vector<Action> actions;
  size_t line_start = 0;
  int64_t line_number = 0;
  while (line_start < text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    ++line_number;
    std::string_view line(padded.data() + line_start, line_end - line_start);
    line_start = line_end + 1;
    // Skip blank lines (and a trailing carriage return) without invoking the parser.
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    dom::element document;
    auto error = parser.parse(line.data(), line.size(), false).get(document);
    if (error != simdjson::SUCCESS) {
      return Status::Corruption("delta: malformed JSON in commit file: {} (file={}, line={})",
                                simdjson::error_message(error), file_path, line_number);
    }
    ARCFLOW_ASSIGN_OR_RETURN(std::optional<Action> action,
                             ParseActionElement(document, Location{file_path, line_number}));
    if (action.has_value()) actions.push_back(std::move(*action));
  }
  return actions;
}

std::string SerializeAction(const Action& action) {
  std::string out;
  out.reserve(256);
  std::visit(ActionSerializer{&out}, action);
  return out;
}

std::string SerializeStringMap(const StringMap& map) {
  std::string out;
  JsonWriter writer(&out);
  writer.Open();
  for (const auto& [name, value] : map) writer.String(name, value);
  writer.Close();
  return out;
}

std::string SerializeCommit(const std::vector<Action>& actions) {
  std::string out;
  for (const Action& action : actions) {
    out.append(SerializeAction(action));
    out.push_back('\n');
  }
  return out;
}

}  // namespace arcflow::delta
