#include "arcflow/delta/column_mapping.h"

#include <algorithm>
#include <limits>

#include <simdjson.h>

#include "arcflow/base/ascii.h"
#include "arcflow/base/uuid.h"
#include "arcflow/columnar/schema_json.h"
#include "arcflow/columnar/value_parse.h"
#include "arcflow/parquet/bridge/schema_to_parquet.h"

namespace arcflow::delta {
namespace {

using NestedIds = std::vector<std::pair<std::string, int32_t>>;

std::optional<int32_t> FindNestedId(const NestedIds& ids, std::string_view path) {
  for (const auto& [key, id] : ids) {
    if (key == path) return id;
  }
  return std::nullopt;
}

// `metadata` with parquet.field.id set to `id` (when there is one).
FieldMetadata ParquetFieldId(FieldMetadata metadata, std::optional<int32_t> id) {
  if (id.has_value()) {
    std::erase_if(metadata,
                  [](const auto& entry) { return entry.first == parquet::kParquetFieldIdKey; });
    metadata.emplace_back(std::string(parquet::kParquetFieldIdKey), std::to_string(*id));
  }
  return metadata;
}

Result<DataTypePtr> PhysicalType(const DataTypePtr& type, ColumnMappingMode mode,
                                 const std::string& path, const NestedIds& nested_ids);

Result<Field> PhysicalField(const Field& field, ColumnMappingMode mode) {
  ARCFLOW_ASSIGN_OR_RETURN(std::string name, PhysicalName(field, mode));
  NestedIds nested_ids;
  if (mode != ColumnMappingMode::kNone && field.type->is_nested()) {
    ARCFLOW_ASSIGN_OR_RETURN(nested_ids, NestedColumnIds(field));
  }
  ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr type, PhysicalType(field.type, mode, name, nested_ids));
  FieldMetadata metadata = field.metadata;
  if (mode != ColumnMappingMode::kNone)
    metadata = ParquetFieldId(std::move(metadata), ColumnId(field));
  return Field(std::move(name), std::move(type), field.nullable, std::move(metadata));
}

// `child` (a list element, map key or value at `path`) with its physical type and nested id.
Result<Field> PhysicalChild(const Field& child, ColumnMappingMode mode, const std::string& path,
                            const NestedIds& nested_ids) {
  ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr type, PhysicalType(child.type, mode, path, nested_ids));
  return Field(child.name, std::move(type), child.nullable,
               ParquetFieldId({}, FindNestedId(nested_ids, path)));
}

// `path` is the key of the type's position in the nested ids of the nearest enclosing field.
Result<DataTypePtr> PhysicalType(const DataTypePtr& type, ColumnMappingMode mode,
                                 const std::string& path, const NestedIds& nested_ids) {
  switch (type->id()) {
    case TypeId::kStruct: {
      std::vector<Field> fields;
      fields.reserve(type->fields().size());
      for (const Field& member : type->fields()) {
        ARCFLOW_ASSIGN_OR_RETURN(Field physical, PhysicalField(member, mode));
        fields.push_back(std::move(physical));
      }
      return types::Struct(std::move(fields));
    }
    case TypeId::kList: {
      ARCFLOW_ASSIGN_OR_RETURN(
          Field element, PhysicalChild(type->element_field(), mode, path + ".element", nested_ids));
      return types::ListOf(std::move(element));
    }
    case TypeId::kMap: {
      ARCFLOW_ASSIGN_OR_RETURN(Field key,
                               PhysicalChild(type->key_field(), mode, path + ".key", nested_ids));
      ARCFLOW_ASSIGN_OR_RETURN(
          Field value, PhysicalChild(type->value_field(), mode, path + ".value", nested_ids));
      return types::MapOf(std::move(key), std::move(value));
    }
    default:
      return type;
  }
}

// The largest id in `type`'s fields, recursively.
void MaxIdIn(const DataType& type, int64_t* max_id);

void MaxIdOf(const Field& field, int64_t* max_id) {
  if (std::optional<int32_t> id = ColumnId(field)) *max_id = std::max<int64_t>(*max_id, *id);
  auto nested = NestedColumnIds(field);
  if (nested.ok()) {
    for (const auto& [unused, id] : *nested) *max_id = std::max<int64_t>(*max_id, id);
  }
  MaxIdIn(*field.type, max_id);
}

void MaxIdIn(const DataType& type, int64_t* max_id) {
  if (type.id() == TypeId::kStruct) {
    for (const Field& member : type.fields()) MaxIdOf(member, max_id);
  } else if (type.is_nested()) {
    for (const Field& child : type.fields()) MaxIdIn(*child.type, max_id);
  }
}

// Walks a schema giving fields the ids and physical names they lack.
class Assigner {
 public:
  Assigner(int64_t max_column_id, const ColumnMappingAssignment& options)
      : next_id_(max_column_id), options_(options) {}

  int64_t max_column_id() const { return next_id_; }

  Result<std::vector<Field>> AssignFields(const std::vector<Field>& fields,
                                          const std::string& parent) {
    std::vector<Field> out;
    out.reserve(fields.size());
    std::vector<std::string> physical_names;
    for (const Field& field : fields) {
      ARCFLOW_ASSIGN_OR_RETURN(Field assigned, AssignField(field, parent));
      ARCFLOW_ASSIGN_OR_RETURN(std::string physical,
                               PhysicalName(assigned, ColumnMappingMode::kName));
      for (const std::string& other : physical_names) {
        if (ascii::EqualsIgnoreCase(other, physical)) {
          return Status::Invalid(
              "delta: two fields of {} have the physical name \"{}\" (column mapping needs "
              "distinct names)",
              parent.empty() ? std::string("the schema") : "\"" + parent + "\"", physical);
        }
      }
      physical_names.push_back(std::move(physical));
      out.push_back(std::move(assigned));
    }
    return out;
  }

 private:
  Result<Field> AssignField(const Field& field, const std::string& parent) {
    const std::string path = parent.empty() ? field.name : parent + "." + field.name;
    Field out = field;
    bool new_id = false;
    if (!field.GetMetadata(kColumnIdKey).has_value()) {
      if (next_id_ >= std::numeric_limits<int32_t>::max()) {
        return Status::Invalid("delta: no column id is left for field \"{}\"", path);
      }
      out.metadata.emplace_back(std::string(kColumnIdKey), std::to_string(++next_id_));
      new_id = true;
    } else {
      std::optional<int32_t> id = ColumnId(field);
      if (!id.has_value()) {
        return Status::Invalid("delta: field \"{}\" has a malformed {} {}", path, kColumnIdKey,
                               *field.GetMetadata(kColumnIdKey));
      }
      ARCFLOW_RETURN_NOT_OK(UseId(*id, path));
    }
    if (!field.GetMetadata(kPhysicalNameKey).has_value()) {
      std::string name = options_.physical_names_from_names ? field.name : "col-" + RandomUuid();
      out.metadata.emplace_back(std::string(kPhysicalNameKey), QuoteJsonString(name));
    }
    ARCFLOW_ASSIGN_OR_RETURN(std::string physical, PhysicalName(out, ColumnMappingMode::kName));
    ARCFLOW_ASSIGN_OR_RETURN(NestedIds nested, NestedColumnIds(out));
    for (const auto& [key, id] : nested) ARCFLOW_RETURN_NOT_OK(UseId(id, path + " (" + key + ")"));
    NestedIds added;
    ARCFLOW_ASSIGN_OR_RETURN(
        out.type, AssignType(field.type, path, physical, options_.nested_ids && new_id, &added));
    if (!added.empty()) {
      std::string object = "{";
      for (const auto& [key, id] : added) {
        if (object.size() > 1) object.push_back(',');
        object += QuoteJsonString(key) + ":" + std::to_string(id);
      }
      object.push_back('}');
      auto existing = std::find_if(out.metadata.begin(), out.metadata.end(),
                                   [](const auto& entry) { return entry.first == kNestedIdsKey; });
      if (existing != out.metadata.end()) out.metadata.erase(existing);
      out.metadata.emplace_back(std::string(kNestedIdsKey), std::move(object));
    }
    return out;
  }

  // `key` is the type's key in the nested ids of the field; with `nested_ids`, its list
  // elements and map keys/values get new ids, added to `added`.
  Result<DataTypePtr> AssignType(const DataTypePtr& type, const std::string& path,
                                 const std::string& key, bool nested_ids, NestedIds* added) {
    switch (type->id()) {
      case TypeId::kStruct: {
        ARCFLOW_ASSIGN_OR_RETURN(std::vector<Field> fields, AssignFields(type->fields(), path));
        return types::Struct(std::move(fields));
      }
      case TypeId::kList: {
        Field element = type->element_field();
        ARCFLOW_RETURN_NOT_OK(AssignChild(&element, path, key + ".element", nested_ids, added));
        return types::ListOf(std::move(element));
      }
      case TypeId::kMap: {
        Field map_key = type->key_field();
        Field value = type->value_field();
        ARCFLOW_RETURN_NOT_OK(AssignChild(&map_key, path, key + ".key", nested_ids, added));
        ARCFLOW_RETURN_NOT_OK(AssignChild(&value, path, key + ".value", nested_ids, added));
        return types::MapOf(std::move(map_key), std::move(value));
      }
      default:
        return type;
    }
  }

  Status AssignChild(Field* child, const std::string& path, const std::string& key, bool nested_ids,
                     NestedIds* added) {
    if (nested_ids) {
      if (next_id_ >= std::numeric_limits<int32_t>::max()) {
        return Status::Invalid("delta: no column id is left for \"{}\"", key);
      }
      added->emplace_back(key, static_cast<int32_t>(++next_id_));
    }
    ARCFLOW_ASSIGN_OR_RETURN(child->type, AssignType(child->type, path, key, nested_ids, added));
    return Status::OK();
  }

  Status UseId(int32_t id, const std::string& path) {
    for (const auto& [used, owner] : used_ids_) {
      if (used == id) {
        return Status::Invalid("delta: fields \"{}\" and \"{}\" have the same column id {}", owner,
                               path, id);
      }
    }
    used_ids_.emplace_back(id, path);
    next_id_ = std::max<int64_t>(next_id_, id);
    return Status::OK();
  }

  int64_t next_id_;
  const ColumnMappingAssignment& options_;
  std::vector<std::pair<int32_t, std::string>> used_ids_;
};

}  // namespace

std::string_view ColumnMappingModeName(ColumnMappingMode mode) {
  switch (mode) {
    case ColumnMappingMode::kNone:
      return "none";
    case ColumnMappingMode::kName:
      return "name";
    case ColumnMappingMode::kId:
      return "id";
  }
  return "none";
}

int FindFieldIndex(const std::vector<Field>& fields, std::string_view name) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (ascii::EqualsIgnoreCase(fields[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

Result<ColumnMappingMode> GetColumnMappingMode(const Metadata& metadata) {
  std::optional<std::string> value = metadata.Configuration(kColumnMappingModeKey);
  if (!value.has_value()) return ColumnMappingMode::kNone;
  if (ascii::EqualsIgnoreCase(*value, "none")) return ColumnMappingMode::kNone;
  if (ascii::EqualsIgnoreCase(*value, "name")) return ColumnMappingMode::kName;
  if (ascii::EqualsIgnoreCase(*value, "id")) return ColumnMappingMode::kId;
  return Status::Invalid(
      "delta: unknown column mapping mode \"{}\" in table configuration {} (expected none, name "
      "or id)",
      *value, kColumnMappingModeKey);
}

Result<std::string> PhysicalName(const Field& field, ColumnMappingMode mode) {
  if (mode == ColumnMappingMode::kNone) return field.name;
  std::optional<std::string_view> raw = field.GetMetadata(kPhysicalNameKey);
  if (!raw.has_value()) {
    return Status::Corruption(
        "delta: field \"{}\" has no {} metadata although the table uses column mapping mode {}",
        field.name, kPhysicalNameKey, ColumnMappingModeName(mode));
  }
  std::optional<std::string> name = UnquoteJsonString(*raw);
  if (!name.has_value() || name->empty()) {
    return Status::Corruption("delta: field \"{}\" has a malformed {} metadata value {}",
                              field.name, kPhysicalNameKey, *raw);
  }
  return *name;
}

std::optional<int32_t> ColumnId(const Field& field) {
  std::optional<std::string_view> raw = field.GetMetadata(kColumnIdKey);
  if (!raw.has_value()) return std::nullopt;
  return ParseInt32(*raw);
}

Result<std::vector<std::pair<std::string, int32_t>>> NestedColumnIds(const Field& field) {
  std::optional<std::string_view> raw = field.GetMetadata(kNestedIdsKey);
  if (!raw.has_value()) raw = field.GetMetadata(kParquetNestedIdsKey);
  NestedIds ids;
  if (!raw.has_value()) return ids;
  auto malformed = [&] {
    return Status::Corruption("delta: field \"{}\" has malformed nested column ids {}", field.name,
                              *raw);
  };
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(raw->data(), raw->size()).get_object().get(object) != simdjson::SUCCESS) {
    return malformed();
  }
  for (auto [key, value] : object) {
    int64_t id = 0;
    if (value.get_int64().get(id) != simdjson::SUCCESS || id < 0 ||
        id > std::numeric_limits<int32_t>::max()) {
      return malformed();
    }
    ids.emplace_back(std::string(key), static_cast<int32_t>(id));
  }
  return ids;
}

int64_t MaxColumnId(const Schema& schema) {
  int64_t max_id = 0;
  for (const Field& field : schema.fields()) MaxIdOf(field, &max_id);
  return max_id;
}

Result<SchemaPtr> AssignColumnMapping(const Schema& schema, int64_t* max_column_id,
                                      const ColumnMappingAssignment& options) {
  Assigner assigner(std::max<int64_t>(*max_column_id, MaxColumnId(schema)), options);
  ARCFLOW_ASSIGN_OR_RETURN(std::vector<Field> fields, assigner.AssignFields(schema.fields(), ""));
  *max_column_id = assigner.max_column_id();
  return std::make_shared<const Schema>(std::move(fields), schema.metadata());
}

Status AssignColumnMappingMetadata(Metadata* metadata, const Metadata* previous) {
  ARCFLOW_ASSIGN_OR_RETURN(ColumnMappingMode mode, GetColumnMappingMode(*metadata));
  if (mode == ColumnMappingMode::kNone) return Status::OK();
  ColumnMappingMode previous_mode = ColumnMappingMode::kNone;
  if (previous != nullptr) {
    ARCFLOW_ASSIGN_OR_RETURN(previous_mode, GetColumnMappingMode(*previous));
  }
  const bool switched_on = previous != nullptr && previous_mode == ColumnMappingMode::kNone;
  int64_t max_id = 0;
  for (const Metadata* source : {static_cast<const Metadata*>(metadata), previous}) {
    if (source == nullptr) continue;
    if (auto text = source->Configuration(kMaxColumnIdKey)) {
      std::optional<int64_t> value = ParseInt64(*text);
      if (!value.has_value() || *value < 0) {
        return Status::Invalid("delta: table property {} is \"{}\", not a column id",
                               kMaxColumnIdKey, *text);
      }
      max_id = std::max(max_id, *value);
    }
  }
  ARCFLOW_ASSIGN_OR_RETURN(SchemaPtr schema, ParseStructTypeJson(metadata->schema_string));
  ColumnMappingAssignment options;
  options.physical_names_from_names = switched_on;
  for (std::string_view key : {"delta.enableIcebergCompatV2", "delta.enableIcebergCompatV3"}) {
    auto value = metadata->Configuration(key);
    options.nested_ids = options.nested_ids || (value && ascii::EqualsIgnoreCase(*value, "true"));
  }
  ARCFLOW_ASSIGN_OR_RETURN(SchemaPtr assigned, AssignColumnMapping(*schema, &max_id, options));
  if (switched_on && mode == ColumnMappingMode::kId && !assigned->Equals(*schema)) {
    return Status::Invalid(
        "delta: cannot switch the column mapping mode of an existing table from none to id (its "
        "data files carry no field ids); switch to name mode instead");
  }
  if (!assigned->Equals(*schema)) metadata->schema_string = ToStructTypeJson(*assigned);
  std::string max_text = std::to_string(max_id);
  for (auto& [key, value] : metadata->configuration) {
    if (key == kMaxColumnIdKey) {
      value = std::move(max_text);
      return Status::OK();
    }
  }
  metadata->configuration.emplace_back(std::string(kMaxColumnIdKey), std::move(max_text));
  return Status::OK();
}

Result<SchemaPtr> MakePhysicalSchema(const SchemaPtr& logical, ColumnMappingMode mode) {
  if (mode == ColumnMappingMode::kNone) return logical;
  std::vector<Field> fields;
  fields.reserve(logical->fields().size());
  for (const Field& field : logical->fields()) {
    ARCFLOW_ASSIGN_OR_RETURN(Field physical, PhysicalField(field, mode));
    fields.push_back(std::move(physical));
  }
  return std::make_shared<const Schema>(std::move(fields), logical->metadata());
}

Result<std::optional<std::string>> FindPartitionValue(const PartitionValues& values,
                                                      const Field& field, ColumnMappingMode mode) {
  ARCFLOW_ASSIGN_OR_RETURN(std::string key, PhysicalName(field, mode));
  for (const auto& [name, value] : values) {
    if (name == key) return value;
  }
  // Spark resolves partition columns without regard to case.
  for (const auto& [name, value] : values) {
    if (ascii::EqualsIgnoreCase(name, key)) return value;
  }
  return Status::NotFound(
      "delta: add action has no partition value for partition column \"{}\" (key \"{}\")",
      field.name, key);
}

Result<int> MatchFileMember(const Field& member, const std::vector<Field>& file_types,
                            const std::vector<parquet::FieldNode>* file_members,
                            ColumnMappingMode mode) {
  if (mode == ColumnMappingMode::kId && file_members != nullptr) {
    bool file_has_ids = false;
    for (const auto& node : *file_members) file_has_ids = file_has_ids || node.field_id.has_value();
    if (file_has_ids) {
      std::optional<int32_t> id = ColumnId(member);
      for (size_t i = 0; id.has_value() && i < file_members->size(); ++i) {
        if ((*file_members)[i].field_id == id) return static_cast<int>(i);
      }
      return -1;
    }
  }
  ARCFLOW_ASSIGN_OR_RETURN(std::string physical, PhysicalName(member, mode));
  return FindFieldIndex(file_types, physical);
}

std::vector<int> MatchFileColumns(const Schema& physical_schema,
                                  const parquet::SchemaNode& file_root, ColumnMappingMode mode) {
  const auto& columns = file_root.children;
  bool file_has_ids = false;
  for (const auto& column : columns) file_has_ids = file_has_ids || column.field_id.has_value();
  std::vector<int> out;
  out.reserve(physical_schema.fields().size());
  for (const Field& field : physical_schema.fields()) {
    int match = -1;
    if (mode == ColumnMappingMode::kId && file_has_ids) {
      std::optional<int32_t> id = ColumnId(field);
      for (size_t i = 0; id.has_value() && i < columns.size(); ++i) {
        if (columns[i].field_id == id) {
          match = static_cast<int>(i);
          break;
        }
      }
    } else {
      for (size_t i = 0; i < columns.size() && match < 0; ++i) {
        if (columns[i].name == field.name) match = static_cast<int>(i);
      }
      for (size_t i = 0; i < columns.size() && match < 0; ++i) {
        if (ascii::EqualsIgnoreCase(columns[i].name, field.name)) match = static_cast<int>(i);
      }
    }
    out.push_back(match);
  }
  return out;
}

}  // namespace arcflow::delta
