#include "arcflow/delta/column_mapping.h"

#include "arcflow/base/ascii.h"
#include "arcflow/columnar/schema_json.h"
#include "arcflow/columnar/value_parse.h"

namespace arcflow::delta {
namespace {

Result<DataTypePtr> PhysicalType(const DataTypePtr& type, ColumnMappingMode mode);

Result<Field> PhysicalField(const Field& field, ColumnMappingMode mode) {
  ARCFLOW_ASSIGN_OR_RETURN(std::string name, PhysicalName(field, mode));
  ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr type, PhysicalType(field.type, mode));
  return Field(std::move(name), std::move(type), field.nullable, field.metadata);
}

Result<DataTypePtr> PhysicalType(const DataTypePtr& type, ColumnMappingMode mode) {
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
      ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr element, PhysicalType(type->element_field().type, mode));
      return types::List(std::move(element), type->element_field().nullable);
    }
    case TypeId::kMap: {
      ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr key, PhysicalType(type->key_field().type, mode));
      ARCFLOW_ASSIGN_OR_RETURN(DataTypePtr value, PhysicalType(type->value_field().type, mode));
      return types::Map(std::move(key), std::move(value), type->value_field().nullable);
    }
    default:
      return type;
  }
}

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
