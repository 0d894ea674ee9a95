#include "arcflow/columnar/schema.h"

#include <strings.h>

namespace arcflow {

int Schema::GetFieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int Schema::GetFieldIndexIgnoreCase(std::string_view name) const {
  int found = -1;
  for (size_t i = 0; i < fields_.size(); ++i) {
    const std::string& candidate = fields_[i].name;
    if (candidate.size() == name.size() &&
        strncasecmp(candidate.data(), name.data(), name.size()) == 0) {
      if (found >= 0) return -2;
      found = static_cast<int>(i);
    }
  }
  return found;
}

bool Schema::Equals(const Schema& other, bool check_metadata) const {
  if (fields_.size() != other.fields_.size()) return false;
  if (check_metadata && metadata_ != other.metadata_) return false;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (!fields_[i].Equals(other.fields_[i], check_metadata)) return false;
  }
  return true;
}

std::string Schema::ToString() const {
  std::string text;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i > 0) text += ", ";
    text += fields_[i].name;
    text.push_back(' ');
    text += fields_[i].type->ToString();
    if (!fields_[i].nullable) text += " not null";
  }
  return text;
}

DataTypePtr MakeNullableType(const DataTypePtr& type) {
  switch (type->id()) {
    case TypeId::kStruct: {
      std::vector<Field> fields;
      fields.reserve(type->fields().size());
      for (const Field& field : type->fields()) {
        fields.emplace_back(field.name, MakeNullableType(field.type), true, field.metadata);
      }
      return types::Struct(std::move(fields));
    }
    case TypeId::kList:
      return types::List(MakeNullableType(type->element_field().type), true);
    case TypeId::kMap:
      return types::Map(MakeNullableType(type->key_field().type),
                        MakeNullableType(type->value_field().type), true);
    default:
      return type;
  }
}

SchemaPtr MakeNullableSchema(const Schema& schema) {
  std::vector<Field> fields;
  fields.reserve(schema.fields().size());
  for (const Field& field : schema.fields()) {
    fields.emplace_back(field.name, MakeNullableType(field.type), true, field.metadata);
  }
  return std::make_shared<Schema>(std::move(fields), schema.metadata());
}

}  // namespace arcflow
