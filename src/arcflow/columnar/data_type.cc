#include "arcflow/columnar/data_type.h"

#include <fmt/format.h>

#include "arcflow/columnar/schema_json.h"

namespace arcflow {

std::string_view TypeIdName(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
      return "boolean";
    case TypeId::kInt8:
      return "tinyint";
    case TypeId::kInt16:
      return "smallint";
    case TypeId::kInt32:
      return "int";
    case TypeId::kInt64:
      return "bigint";
    case TypeId::kFloat32:
      return "float";
    case TypeId::kFloat64:
      return "double";
    case TypeId::kDecimal128:
      return "decimal";
    case TypeId::kString:
      return "string";
    case TypeId::kBinary:
      return "binary";
    case TypeId::kDate32:
      return "date";
    case TypeId::kTimestamp:
      return "timestamp";
    case TypeId::kStruct:
      return "struct";
    case TypeId::kList:
      return "array";
    case TypeId::kMap:
      return "map";
  }
  return "unknown";
}

std::optional<std::string_view> Field::GetMetadata(std::string_view key) const {
  for (const auto& [name, value] : metadata) {
    if (name == key) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string> Field::comment() const {
  std::optional<std::string_view> raw = GetMetadata("comment");
  if (!raw) return std::nullopt;
  return UnquoteJsonString(*raw);
}

bool Field::Equals(const Field& other, bool check_metadata) const {
  if (name != other.name || nullable != other.nullable) return false;
  if (check_metadata && metadata != other.metadata) return false;
  if (type == other.type) return true;
  if (!type || !other.type) return false;
  return type->Equals(*other.type, check_metadata);
}

int DataType::GetFieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int DataType::byte_width() const {
  switch (id_) {
    case TypeId::kInt8:
      return 1;
    case TypeId::kInt16:
      return 2;
    case TypeId::kInt32:
    case TypeId::kFloat32:
    case TypeId::kDate32:
      return 4;
    case TypeId::kInt64:
    case TypeId::kFloat64:
    case TypeId::kTimestamp:
      return 8;
    case TypeId::kDecimal128:
      return 16;
    default:
      return 0;
  }
}

bool DataType::Equals(const DataType& other, bool check_metadata) const {
  if (this == &other) return true;
  if (id_ != other.id_) return false;
  switch (id_) {
    case TypeId::kDecimal128:
      return precision_ == other.precision_ && scale_ == other.scale_;
    case TypeId::kTimestamp:
      return utc_adjusted_ == other.utc_adjusted_;
    case TypeId::kStruct:
    case TypeId::kList:
    case TypeId::kMap:
      if (fields_.size() != other.fields_.size()) return false;
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (!fields_[i].Equals(other.fields_[i], check_metadata)) return false;
      }
      return true;
    default:
      return true;
  }
}

std::string DataType::ToString() const {
  switch (id_) {
    case TypeId::kDecimal128:
      return fmt::format("decimal({},{})", precision_, scale_);
    case TypeId::kTimestamp:
      return utc_adjusted_ ? "timestamp" : "timestamp_ntz";
    case TypeId::kList:
      return fmt::format("array<{}>", fields_[0].type->ToString());
    case TypeId::kMap:
      return fmt::format("map<{},{}>", fields_[0].type->ToString(), fields_[1].type->ToString());
    case TypeId::kStruct: {
      std::string text = "struct<";
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (i > 0) text.push_back(',');
        text += fields_[i].name;
        text.push_back(':');
        text += fields_[i].type->ToString();
      }
      text.push_back('>');
      return text;
    }
    default:
      return std::string(TypeIdName(id_));
  }
}

namespace types {
namespace {

DataTypePtr MakePrimitive(TypeId id, bool utc_adjusted = true) {
  return std::make_shared<DataType>(id, 0, 0, utc_adjusted, std::vector<Field>{});
}

}  // namespace

#define ARCFLOW_PRIMITIVE_FACTORY(Name, Id)             \
  DataTypePtr Name() {                                  \
    static const DataTypePtr kType = MakePrimitive(Id); \
    return kType;                                       \
  }
ARCFLOW_PRIMITIVE_FACTORY(Boolean, TypeId::kBoolean)
ARCFLOW_PRIMITIVE_FACTORY(Int8, TypeId::kInt8)
ARCFLOW_PRIMITIVE_FACTORY(Int16, TypeId::kInt16)
ARCFLOW_PRIMITIVE_FACTORY(Int32, TypeId::kInt32)
ARCFLOW_PRIMITIVE_FACTORY(Int64, TypeId::kInt64)
ARCFLOW_PRIMITIVE_FACTORY(Float32, TypeId::kFloat32)
ARCFLOW_PRIMITIVE_FACTORY(Float64, TypeId::kFloat64)
ARCFLOW_PRIMITIVE_FACTORY(String, TypeId::kString)
ARCFLOW_PRIMITIVE_FACTORY(Binary, TypeId::kBinary)
ARCFLOW_PRIMITIVE_FACTORY(Date32, TypeId::kDate32)
ARCFLOW_PRIMITIVE_FACTORY(Timestamp, TypeId::kTimestamp)
#undef ARCFLOW_PRIMITIVE_FACTORY

DataTypePtr TimestampNtz() {
  static const DataTypePtr kType = MakePrimitive(TypeId::kTimestamp, /*utc_adjusted=*/false);
  return kType;
}

DataTypePtr Decimal(int32_t precision, int32_t scale) {
  return std::make_shared<DataType>(TypeId::kDecimal128, precision, scale, true,
                                    std::vector<Field>{});
}

DataTypePtr Struct(std::vector<Field> fields) {
  return std::make_shared<DataType>(TypeId::kStruct, 0, 0, true, std::move(fields));
}

DataTypePtr List(DataTypePtr element, bool contains_null) {
  std::vector<Field> fields;
  fields.emplace_back("element", std::move(element), contains_null);
  return std::make_shared<DataType>(TypeId::kList, 0, 0, true, std::move(fields));
}

DataTypePtr Map(DataTypePtr key, DataTypePtr value, bool value_contains_null) {
  std::vector<Field> fields;
  fields.emplace_back("key", std::move(key), /*nullable=*/false);
  fields.emplace_back("value", std::move(value), value_contains_null);
  return std::make_shared<DataType>(TypeId::kMap, 0, 0, true, std::move(fields));
}

DataTypePtr ListOf(Field element) {
  element.name = "element";
  std::vector<Field> fields;
  fields.push_back(std::move(element));
  return std::make_shared<DataType>(TypeId::kList, 0, 0, true, std::move(fields));
}

DataTypePtr MapOf(Field key, Field value) {
  key.name = "key";
  key.nullable = false;
  value.name = "value";
  std::vector<Field> fields;
  fields.push_back(std::move(key));
  fields.push_back(std::move(value));
  return std::make_shared<DataType>(TypeId::kMap, 0, 0, true, std::move(fields));
}

DataTypePtr MapEntries(const DataType& map_type) {
  return Struct({map_type.key_field(), map_type.value_field()});
}

DataTypePtr FromId(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
      return Boolean();
    case TypeId::kInt8:
      return Int8();
    case TypeId::kInt16:
      return Int16();
    case TypeId::kInt32:
      return Int32();
    case TypeId::kInt64:
      return Int64();
    case TypeId::kFloat32:
      return Float32();
    case TypeId::kFloat64:
      return Float64();
    case TypeId::kString:
      return String();
    case TypeId::kBinary:
      return Binary();
    case TypeId::kDate32:
      return Date32();
    case TypeId::kTimestamp:
      return Timestamp();
    default:
      return nullptr;
  }
}

}  // namespace types
}  // namespace arcflow
