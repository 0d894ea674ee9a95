#include "arcflow/parquet/bridge/schema_to_parquet.h"

#include <utility>

#include "arcflow/columnar/value_parse.h"

namespace arcflow::parquet {
namespace {

// The field id `field`'s metadata asks for, if any.
Result<std::optional<int32_t>> FieldId(const Field& field) {
  std::optional<std::string_view> raw = field.GetMetadata(kParquetFieldIdKey);
  if (!raw.has_value()) return std::optional<int32_t>();
  std::optional<int32_t> id = ParseInt32(*raw);
  if (!id.has_value()) {
    return Status::Invalid("parquet: column '{}' has {} metadata {}, which is not a 32-bit integer",
                           field.name, kParquetFieldIdKey, *raw);
  }
  return id;
}

Result<SchemaNode> FieldToParquetNode(const Field& field);

SchemaNode Leaf(const Field& field, PhysicalType type) {
  SchemaNode node;
  node.name = field.name;
  node.repetition =
      field.nullable ? FieldRepetitionType::kOptional : FieldRepetitionType::kRequired;
  node.physical_type = type;
  return node;
}

SchemaNode Group(const Field& field) {
  SchemaNode node;
  node.name = field.name;
  node.repetition =
      field.nullable ? FieldRepetitionType::kOptional : FieldRepetitionType::kRequired;
  return node;
}

Result<SchemaNode> DecimalLeaf(const Field& field) {
  const int32_t precision = field.type->precision();
  const int32_t scale = field.type->scale();
  if (precision < 1 || precision > kMaxDecimalPrecision || scale < 0 || scale > precision) {
    return Status::Invalid("parquet: cannot write column '{}' of type decimal({},{})", field.name,
                           precision, scale);
  }
  SchemaNode node;
  if (precision <= 9) {
    node = Leaf(field, PhysicalType::kInt32);
  } else if (precision <= 18) {
    node = Leaf(field, PhysicalType::kInt64);
  } else {
    node = Leaf(field, PhysicalType::kFixedLenByteArray);
    node.type_length = DecimalByteWidth(precision);
  }
  node.logical_type = DecimalType{scale, precision};
  node.converted_type = ConvertedType::kDecimal;
  node.scale = scale;
  node.precision = precision;
  return node;
}

}  // namespace

int32_t DecimalByteWidth(int32_t precision) {
  // The smallest n with 2^(8n - 1) > 10^precision - 1, i.e. 8n - 1 >= log2(10^precision).
  // 10^38 < 2^127, so the loop stays within unsigned __int128.
  unsigned __int128 max_unscaled = 1;
  for (int32_t i = 0; i < precision; ++i) max_unscaled *= 10;
  max_unscaled -= 1;
  int32_t bytes = 1;
  while (bytes < 16 && (max_unscaled >> (8 * bytes - 1)) != 0) ++bytes;
  return bytes;
}

Result<SchemaNode> FieldToParquet(const Field& field) {
  ARCFLOW_ASSIGN_OR_RETURN(SchemaNode node, FieldToParquetNode(field));
  ARCFLOW_ASSIGN_OR_RETURN(node.field_id, FieldId(field));
  return node;
}

namespace {

Result<SchemaNode> FieldToParquetNode(const Field& field) {
  const DataType& type = *field.type;
  switch (type.id()) {
    case TypeId::kBoolean:
      return Leaf(field, PhysicalType::kBoolean);
    case TypeId::kInt8:
    case TypeId::kInt16: {
      SchemaNode node = Leaf(field, PhysicalType::kInt32);
      const bool narrow = type.id() == TypeId::kInt8;
      node.logical_type = IntType{static_cast<int8_t>(narrow ? 8 : 16), true};
      node.converted_type = narrow ? ConvertedType::kInt8 : ConvertedType::kInt16;
      return node;
    }
    case TypeId::kInt32:
      return Leaf(field, PhysicalType::kInt32);
    case TypeId::kInt64:
      return Leaf(field, PhysicalType::kInt64);
    case TypeId::kFloat32:
      return Leaf(field, PhysicalType::kFloat);
    case TypeId::kFloat64:
      return Leaf(field, PhysicalType::kDouble);
    case TypeId::kDecimal128:
      return DecimalLeaf(field);
    case TypeId::kString: {
      SchemaNode node = Leaf(field, PhysicalType::kByteArray);
      node.logical_type = StringType{};
      node.converted_type = ConvertedType::kUtf8;
      return node;
    }
    case TypeId::kBinary:
      return Leaf(field, PhysicalType::kByteArray);
    case TypeId::kDate32: {
      SchemaNode node = Leaf(field, PhysicalType::kInt32);
      node.logical_type = DateType{};
      node.converted_type = ConvertedType::kDate;
      return node;
    }
    case TypeId::kTimestamp: {
      SchemaNode node = Leaf(field, PhysicalType::kInt64);
      node.logical_type = TimestampType{type.utc_adjusted(), TimeUnit::kMicros};
      // The converted type means "adjusted to UTC", so a local timestamp must go without.
      if (type.utc_adjusted()) node.converted_type = ConvertedType::kTimestampMicros;
      return node;
    }
    case TypeId::kStruct: {
      if (type.num_fields() == 0) {
        return Status::Invalid(
            "parquet: cannot write column '{}' of type {}: Parquet has no empty groups", field.name,
            type.ToString());
      }
      SchemaNode node = Group(field);
      for (const Field& member : type.fields()) {
        ARCFLOW_ASSIGN_OR_RETURN(SchemaNode child, FieldToParquet(member));
        node.children.push_back(std::move(child));
      }
      return node;
    }
    case TypeId::kList: {
      SchemaNode node = Group(field);
      node.logical_type = ListType{};
      node.converted_type = ConvertedType::kList;
      SchemaNode repeated;
      repeated.name = "list";
      repeated.repetition = FieldRepetitionType::kRepeated;
      Field element = type.element_field();
      element.name = "element";
      ARCFLOW_ASSIGN_OR_RETURN(SchemaNode element_node, FieldToParquet(element));
      repeated.children.push_back(std::move(element_node));
      node.children.push_back(std::move(repeated));
      return node;
    }
    case TypeId::kMap: {
      SchemaNode node = Group(field);
      node.logical_type = MapType{};
      node.converted_type = ConvertedType::kMap;
      SchemaNode repeated;
      repeated.name = "key_value";
      repeated.repetition = FieldRepetitionType::kRepeated;
      Field key = type.key_field();
      key.name = "key";
      key.nullable = false;  // Map keys are never null; the format requires them REQUIRED.
      Field value = type.value_field();
      value.name = "value";
      ARCFLOW_ASSIGN_OR_RETURN(SchemaNode key_node, FieldToParquet(key));
      ARCFLOW_ASSIGN_OR_RETURN(SchemaNode value_node, FieldToParquet(value));
      repeated.children.push_back(std::move(key_node));
      repeated.children.push_back(std::move(value_node));
      node.children.push_back(std::move(repeated));
      return node;
    }
  }
  return Status::Invalid("parquet: cannot write column '{}' of type {}", field.name,
                         type.ToString());
}

}  // namespace

Result<SchemaNode> SchemaToParquet(const Schema& schema) {
  if (schema.num_fields() == 0) {
    return Status::Invalid("parquet: cannot write a schema without columns");
  }
  SchemaNode root;
  root.name = std::string(kSparkSchemaRootName);
  for (const Field& field : schema.fields()) {
    ARCFLOW_ASSIGN_OR_RETURN(SchemaNode node, FieldToParquet(field));
    root.children.push_back(std::move(node));
  }
  return root;
}

}  // namespace arcflow::parquet
