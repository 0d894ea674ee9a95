#include "arcflow/parquet/bridge/schema_from_parquet.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "arcflow/parquet/format_enums.h"
#include "arcflow/parquet/logical_type.h"

namespace arcflow::parquet {
namespace {

// Where a node is being mapped: the levels its parent reached and how many lists enclose it.
struct Context {
  int16_t definition_level = 0;
  int16_t repetition_level = 0;
  int depth = 0;
  std::string path;  // Dotted path of the parent, for messages.
};

using LeafMapping = std::pair<DataTypePtr, LeafConversion>;

Result<LeafMapping> MapDecimal(PhysicalType physical, int32_t precision, int32_t scale,
                               const std::string& path) {
  if (precision > kMaxDecimalPrecision) {
    return Status::NotImplemented(
        "parquet: column '{}' is DECIMAL({},{}), wider than the {} digits arcflow supports", path,
        precision, scale, kMaxDecimalPrecision);
  }
  if (precision < 1 || scale < 0 || scale > precision) {
    return Status::Corruption("parquet: column '{}' has an invalid DECIMAL({},{})", path, precision,
                              scale);
  }
  DataTypePtr type = types::Decimal(precision, scale);
  switch (physical) {
    case PhysicalType::kInt32:
      return LeafMapping{type, LeafConversion::kInt32ToDecimal};
    case PhysicalType::kInt64:
      return LeafMapping{type, LeafConversion::kInt64ToDecimal};
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray:
      return LeafMapping{type, LeafConversion::kBytesToDecimal};
    default:
      return Status::Corruption("parquet: column '{}' is DECIMAL but stored as {}", path,
                                PhysicalTypeName(physical));
  }
}

std::optional<LeafMapping> MapInteger(PhysicalType physical, int bit_width, bool is_signed) {
  if (physical == PhysicalType::kInt32) {
    if (is_signed) {
      if (bit_width == 8) return LeafMapping{types::Int8(), LeafConversion::kInt32ToInt8};
      if (bit_width == 16) return LeafMapping{types::Int16(), LeafConversion::kInt32ToInt16};
      if (bit_width == 32) return LeafMapping{types::Int32(), LeafConversion::kInt32};
    } else {
      if (bit_width == 8) return LeafMapping{types::Int16(), LeafConversion::kUInt8ToInt16};
      if (bit_width == 16) return LeafMapping{types::Int32(), LeafConversion::kUInt16ToInt32};
      if (bit_width == 32) return LeafMapping{types::Int64(), LeafConversion::kUInt32ToInt64};
    }
  } else if (physical == PhysicalType::kInt64 && bit_width == 64) {
    if (is_signed) return LeafMapping{types::Int64(), LeafConversion::kInt64};
    return LeafMapping{types::Decimal(20, 0), LeafConversion::kUInt64ToDecimal};
  }
  return std::nullopt;
}

std::optional<LeafMapping> MapTimestamp(PhysicalType physical, TimeUnit unit, bool utc) {
  if (physical != PhysicalType::kInt64) return std::nullopt;
  DataTypePtr type = utc ? types::Timestamp() : types::TimestampNtz();
  switch (unit) {
    case TimeUnit::kMillis:
      return LeafMapping{type, LeafConversion::kInt64MillisToMicros};
    case TimeUnit::kMicros:
      return LeafMapping{type, LeafConversion::kInt64};
    case TimeUnit::kNanos:
      return LeafMapping{type, LeafConversion::kInt64NanosToMicros};
    case TimeUnit::kUnknown:
      break;
  }
  return std::nullopt;
}

// TIME has no Spark type; it is read as microseconds of the day in a bigint.
std::optional<LeafMapping> MapTime(PhysicalType physical, TimeUnit unit) {
  if (physical == PhysicalType::kInt32 && unit == TimeUnit::kMillis) {
    return LeafMapping{types::Int64(), LeafConversion::kInt32MillisToMicros};
  }
  if (physical == PhysicalType::kInt64 && unit == TimeUnit::kMicros) {
    return LeafMapping{types::Int64(), LeafConversion::kInt64};
  }
  if (physical == PhysicalType::kInt64 && unit == TimeUnit::kNanos) {
    return LeafMapping{types::Int64(), LeafConversion::kInt64NanosToMicros};
  }
  return std::nullopt;
}

LeafMapping MapPhysical(PhysicalType physical, const SchemaConversionOptions& options) {
  switch (physical) {
    case PhysicalType::kBoolean:
      return {types::Boolean(), LeafConversion::kBoolean};
    case PhysicalType::kInt32:
      return {types::Int32(), LeafConversion::kInt32};
    case PhysicalType::kInt64:
      return {types::Int64(), LeafConversion::kInt64};
    case PhysicalType::kInt96:
      return {types::Timestamp(), LeafConversion::kInt96ToTimestamp};
    case PhysicalType::kFloat:
      return {types::Float32(), LeafConversion::kFloat};
    case PhysicalType::kDouble:
      return {types::Float64(), LeafConversion::kDouble};
    case PhysicalType::kByteArray:
      return {options.binary_as_string ? types::String() : types::Binary(),
              LeafConversion::kByteArray};
    case PhysicalType::kFixedLenByteArray:
      return {types::Binary(), LeafConversion::kFixedToBinary};
  }
  return {types::Binary(), LeafConversion::kByteArray};
}

// The type of a leaf: its logical type when it has one that applies to its physical type,
// else its converted type, else its physical type.
Result<LeafMapping> MapLeafType(const SchemaNode& node, const std::string& path,
                                const SchemaConversionOptions& options) {
  const PhysicalType physical = *node.physical_type;
  const int32_t type_length = node.type_length.value_or(0);
  if (physical == PhysicalType::kInt96) return MapPhysical(physical, options);
  const bool is_bytes = physical == PhysicalType::kByteArray;
  const bool is_fixed = physical == PhysicalType::kFixedLenByteArray;
  if (node.logical_type.has_value() && node.logical_type->IsDefined()) {
    const LogicalType& logical = *node.logical_type;
    std::optional<LeafMapping> mapped;
    if (logical.Is<StringType>() || logical.Is<EnumType>() || logical.Is<JsonType>()) {
      if (is_bytes) mapped = LeafMapping{types::String(), LeafConversion::kByteArray};
    } else if (logical.Is<BsonType>() || logical.Is<GeometryType>() ||
               logical.Is<GeographyType>()) {
      if (is_bytes) mapped = LeafMapping{types::Binary(), LeafConversion::kByteArray};
    } else if (logical.Is<UuidType>()) {
      if (is_fixed && type_length == 16) {
        mapped = LeafMapping{types::String(), LeafConversion::kUuidToString};
      }
    } else if (const auto* decimal = logical.As<DecimalType>()) {
      return MapDecimal(physical, decimal->precision, decimal->scale, path);
    } else if (logical.Is<DateType>()) {
      if (physical == PhysicalType::kInt32) {
        mapped = LeafMapping{types::Date32(), LeafConversion::kInt32};
      }
    } else if (const auto* time = logical.As<TimeType>()) {
      mapped = MapTime(physical, time->unit);
      if (!mapped && time->unit == TimeUnit::kUnknown) {
        return Status::NotImplemented("parquet: column '{}' has a TIME of unknown unit", path);
      }
    } else if (const auto* timestamp = logical.As<TimestampType>()) {
      mapped = MapTimestamp(physical, timestamp->unit, timestamp->is_adjusted_to_utc);
      if (!mapped && timestamp->unit == TimeUnit::kUnknown) {
        return Status::NotImplemented("parquet: column '{}' has a TIMESTAMP of unknown unit", path);
      }
    } else if (const auto* integer = logical.As<IntType>()) {
      mapped = MapInteger(physical, integer->bit_width, integer->is_signed);
    } else if (logical.Is<Float16Type>()) {
      if (is_fixed && type_length == 2) {
        mapped = LeafMapping{types::Float32(), LeafConversion::kFloat16ToFloat};
      }
    }
    if (mapped) return *mapped;
    // NULL (UNKNOWN), and annotations that do not fit the physical type, fall through to the
    // converted type or the physical type.
  }
  if (node.converted_type.has_value()) {
    std::optional<LeafMapping> mapped;
    switch (*node.converted_type) {
      case ConvertedType::kUtf8:
      case ConvertedType::kEnum:
      case ConvertedType::kJson:
        if (is_bytes) mapped = LeafMapping{types::String(), LeafConversion::kByteArray};
        break;
      case ConvertedType::kBson:
        if (is_bytes) mapped = LeafMapping{types::Binary(), LeafConversion::kByteArray};
        break;
      case ConvertedType::kDecimal:
        if (!node.precision.has_value()) {
          return Status::Corruption("parquet: DECIMAL column '{}' has no precision", path);
        }
        return MapDecimal(physical, *node.precision, node.scale.value_or(0), path);
      case ConvertedType::kDate:
        if (physical == PhysicalType::kInt32) {
          mapped = LeafMapping{types::Date32(), LeafConversion::kInt32};
        }
        break;
      case ConvertedType::kTimeMillis:
        mapped = MapTime(physical, TimeUnit::kMillis);
        break;
      case ConvertedType::kTimeMicros:
        mapped = MapTime(physical, TimeUnit::kMicros);
        break;
      case ConvertedType::kTimestampMillis:
        mapped = MapTimestamp(physical, TimeUnit::kMillis, /*utc=*/true);
        break;
      case ConvertedType::kTimestampMicros:
        mapped = MapTimestamp(physical, TimeUnit::kMicros, /*utc=*/true);
        break;
      case ConvertedType::kUint8:
        mapped = MapInteger(physical, 8, false);
        break;
      case ConvertedType::kUint16:
        mapped = MapInteger(physical, 16, false);
        break;
      case ConvertedType::kUint32:
        mapped = MapInteger(physical, 32, false);
        break;
      case ConvertedType::kUint64:
        mapped = MapInteger(physical, 64, false);
        break;
      case ConvertedType::kInt8:
        mapped = MapInteger(physical, 8, true);
        break;
      case ConvertedType::kInt16:
        mapped = MapInteger(physical, 16, true);
        break;
      case ConvertedType::kInt32:
        mapped = MapInteger(physical, 32, true);
        break;
      case ConvertedType::kInt64:
        mapped = MapInteger(physical, 64, true);
        break;
      default:
        break;
    }
    if (mapped) return *mapped;
  }
  return MapPhysical(physical, options);
}

class SchemaMapper {
 public:
  SchemaMapper(const SchemaDescriptor& schema, const SchemaConversionOptions& options)
      : options_(options) {
    for (const ColumnDescriptor& column : schema.columns()) {
      column_of_leaf_[column.leaf] = column.column_index;
    }
  }

  // Maps `node`. With `as_element`, the node's own repetition has already been accounted for by
  // the enclosing list (the legacy two-level list forms), so it is mapped as REQUIRED.
  Result<FieldNode> Map(const SchemaNode& node, const Context& context, bool as_element) {
    const std::string path = context.path.empty() ? node.name : context.path + "." + node.name;
    const FieldRepetitionType repetition =
        as_element ? FieldRepetitionType::kRequired
                   : node.repetition.value_or(FieldRepetitionType::kRequired);
    if (repetition == FieldRepetitionType::kRepeated) return MapRepeated(node, context, path);
    FieldNode out;
    out.name = node.name;
    out.field_id = node.field_id;
    out.nullable = repetition == FieldRepetitionType::kOptional;
    out.definition_level = static_cast<int16_t>(context.definition_level + (out.nullable ? 1 : 0));
    out.depth = context.depth;
    Context inner{out.definition_level, context.repetition_level, context.depth, path};
    if (node.is_leaf()) {
      ARCFLOW_RETURN_NOT_OK(MapPrimitive(node, path, &out));
      return out;
    }
    if (IsList(node)) {
      ARCFLOW_RETURN_NOT_OK(MapList(node, inner, &out));
      return out;
    }
    if (IsMap(node)) {
      ARCFLOW_RETURN_NOT_OK(MapMap(node, inner, &out));
      return out;
    }
    return MapStruct(node, inner, std::move(out));
  }

 private:
  static bool IsList(const SchemaNode& node) {
    if (node.logical_type.has_value() && node.logical_type->Is<ListType>()) return true;
    return node.converted_type == ConvertedType::kList;
  }
  static bool IsMap(const SchemaNode& node) {
    if (node.logical_type.has_value() && node.logical_type->Is<MapType>()) return true;
    return node.converted_type == ConvertedType::kMap ||
           node.converted_type == ConvertedType::kMapKeyValue;
  }

  Result<FieldNode> MapStruct(const SchemaNode& node, const Context& inner, FieldNode out) {
    if (node.children.empty()) {
      return Status::NotImplemented("parquet: group '{}' has no fields", inner.path);
    }
    out.kind = FieldNode::Kind::kStruct;
    std::vector<Field> fields;
    for (const SchemaNode& child : node.children) {
      ARCFLOW_ASSIGN_OR_RETURN(FieldNode member, Map(child, inner, /*as_element=*/false));
      fields.emplace_back(member.name, member.type, member.nullable);
      out.children.push_back(std::move(member));
    }
    out.type = types::Struct(std::move(fields));
    out.first_column = out.children.front().first_column;
    return out;
  }

  // A repeated field outside any LIST or MAP annotation is a list of non-null elements that is
  // itself never null.
  Result<FieldNode> MapRepeated(const SchemaNode& node, const Context& context,
                                const std::string& path) {
    FieldNode out;
    out.kind = FieldNode::Kind::kList;
    out.name = node.name;
    out.field_id = node.field_id;
    out.nullable = false;
    out.definition_level = context.definition_level;
    out.depth = context.depth;
    ARCFLOW_RETURN_NOT_OK(FillList(context, path, &out, [&](const Context& element_context) {
      return Map(node, element_context, /*as_element=*/true);
    }));
    return out;
  }

  // Fills the list fields of `out` for a list whose repeated field is `repeated` and whose
  // element `map_element` maps given the element's context.
  template <typename MapElement>
  Status FillList(const Context& list_context, const std::string& path, FieldNode* out,
                  MapElement map_element) {
    if (list_context.depth >= SchemaDescriptor::kMaxDepth) {
      return Status::Invalid("parquet: lists nest too deeply at '{}'", path);
    }
    out->element_definition_level = static_cast<int16_t>(list_context.definition_level + 1);
    out->repetition_level = static_cast<int16_t>(list_context.repetition_level + 1);
    Context element_context{out->element_definition_level, out->repetition_level,
                            list_context.depth + 1, path};
    ARCFLOW_ASSIGN_OR_RETURN(FieldNode element, map_element(element_context));
    out->type = types::List(element.type, element.nullable);
    out->first_column = element.first_column;
    out->children.push_back(std::move(element));
    return Status::OK();
  }

  // LIST-annotated group: one repeated field, which is either the element itself (the legacy
  // two-level forms) or a group around the element (the standard three-level form).
  Status MapList(const SchemaNode& node, const Context& inner, FieldNode* out) {
    if (node.children.size() != 1 ||
        node.children[0].repetition != FieldRepetitionType::kRepeated) {
      return Status::Corruption(
          "parquet: LIST-annotated group '{}' must have exactly one repeated field", inner.path);
    }
    const SchemaNode& repeated = node.children[0];
    out->kind = FieldNode::Kind::kList;
    // The backward-compatibility rules of LogicalTypes.md, with Spark's addition that a
    // repeated group whose only field is itself repeated is the element.
    bool repeated_is_element = repeated.is_leaf() || repeated.children.size() != 1 ||
                               repeated.children[0].repetition == FieldRepetitionType::kRepeated ||
                               repeated.name == "array" || repeated.name == node.name + "_tuple";
    if (!repeated.is_leaf() && repeated.children.empty()) {
      return Status::NotImplemented("parquet: group '{}.{}' has no fields", inner.path,
                                    repeated.name);
    }
    const std::string repeated_path = inner.path + "." + repeated.name;
    return FillList(inner, repeated_path, out, [&](const Context& element_context) {
      if (repeated_is_element) return Map(repeated, element_context, /*as_element=*/true);
      return Map(repeated.children[0], element_context, /*as_element=*/false);
    });
  }

  // MAP (or legacy MAP_KEY_VALUE) group: one repeated group of key and value.
  Status MapMap(const SchemaNode& node, const Context& inner, FieldNode* out) {
    if (node.children.size() != 1 ||
        node.children[0].repetition != FieldRepetitionType::kRepeated) {
      return Status::Corruption(
          "parquet: MAP-annotated group '{}' must have exactly one repeated field", inner.path);
    }
    const SchemaNode& key_value = node.children[0];
    if (key_value.is_leaf() || key_value.children.size() == 1) {
      // No value field: a list of the keys, which is all the file holds.
      return MapList(node, inner, out);
    }
    if (key_value.children.size() != 2) {
      return Status::Corruption(
          "parquet: map '{}' must have a key and a value field, found {} fields", inner.path,
          key_value.children.size());
    }
    out->kind = FieldNode::Kind::kList;
    const std::string key_value_path = inner.path + "." + key_value.name;
    auto map_entries = [&](const Context& entry_context) -> Result<FieldNode> {
      FieldNode entries;
      entries.kind = FieldNode::Kind::kStruct;
      entries.name = key_value.name;
      entries.nullable = false;
      entries.definition_level = entry_context.definition_level;
      entries.depth = entry_context.depth;
      ARCFLOW_ASSIGN_OR_RETURN(FieldNode key, Map(key_value.children[0], entry_context, false));
      ARCFLOW_ASSIGN_OR_RETURN(FieldNode value, Map(key_value.children[1], entry_context, false));
      if (key.nullable) {
        key.reject_nulls = true;
        key.nullable = false;
      }
      key.name = "key";
      value.name = "value";
      entries.first_column = key.first_column;
      entries.children.push_back(std::move(key));
      entries.children.push_back(std::move(value));
      return entries;
    };
    ARCFLOW_RETURN_NOT_OK(FillList(inner, key_value_path, out, map_entries));
    FieldNode& entries = out->children[0];
    out->type = types::Map(entries.children[0].type, entries.children[1].type,
                           entries.children[1].nullable);
    entries.type = types::MapEntries(*out->type);
    return Status::OK();
  }

  Status MapPrimitive(const SchemaNode& node, const std::string& path, FieldNode* out) {
    auto column = column_of_leaf_.find(&node);
    if (column == column_of_leaf_.end()) {
      return Status::Internal("parquet: leaf '{}' is not a column of the schema", path);
    }
    out->kind = FieldNode::Kind::kLeaf;
    out->column_index = column->second;
    out->first_column = column->second;
    out->physical_type = *node.physical_type;
    out->type_length = node.type_length.value_or(0);
    ARCFLOW_ASSIGN_OR_RETURN(auto mapped, MapLeafType(node, path, options_));
    out->type = std::move(mapped.first);
    out->conversion = mapped.second;
    return Status::OK();
  }

  const SchemaConversionOptions& options_;
  std::unordered_map<const SchemaNode*, int> column_of_leaf_;
};

}  // namespace

Result<ParquetSchemaMapping> MapParquetSchema(const SchemaDescriptor& schema,
                                              const SchemaConversionOptions& options) {
  SchemaMapper mapper(schema, options);
  ParquetSchemaMapping mapping;
  std::vector<Field> fields;
  for (const SchemaNode& child : schema.root().children) {
    ARCFLOW_ASSIGN_OR_RETURN(FieldNode node, mapper.Map(child, Context{}, /*as_element=*/false));
    fields.emplace_back(node.name, node.type, node.nullable);
    mapping.fields.push_back(std::move(node));
  }
  mapping.schema = std::make_shared<Schema>(std::move(fields));
  return mapping;
}

}  // namespace arcflow::parquet
