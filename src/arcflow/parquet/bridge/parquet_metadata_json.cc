#include "arcflow/parquet/bridge/parquet_metadata_json.h"

#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "arcflow/base/utf8.h"
#include "arcflow/columnar/value_format.h"
#include "arcflow/parquet/bridge/column_reader.h"
#include "arcflow/parquet/format_enums.h"
#include "arcflow/parquet/logical_type.h"

namespace arcflow::parquet {
namespace {

// Writes JSON with commas and (for kPretty) indentation placed automatically.
class JsonWriter {
 public:
  explicit JsonWriter(JsonStyle style) : pretty_(style == JsonStyle::kPretty) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  // Starts the member `key` of the current object; its value follows.
  void Key(std::string_view key) {
    Separate();
    AppendJsonString(key, &out_);
    out_.append(pretty_ ? ": " : ":");
    after_key_ = true;
  }

  void String(std::string_view value) {
    Separate();
    AppendJsonString(value, &out_);
  }
  void Int(int64_t value) {
    Separate();
    out_.append(std::to_string(value));
  }
  void Bool(bool value) {
    Separate();
    out_.append(value ? "true" : "false");
  }
  void Null() {
    Separate();
    out_.append("null");
  }
  // A number or, for NaN and infinities, which JSON lacks, a string.
  void Double(double value) {
    Separate();
    std::string text;
    AppendDouble(value, &text);
    if (text == "NaN" || text == "Infinity" || text == "-Infinity") {
      AppendJsonString(text, &out_);
    } else {
      out_.append(text);
    }
  }

  template <typename T>
  void Member(std::string_view key, const T& value) {
    Key(key);
    Write(value);
  }
  template <typename T>
  void Member(std::string_view key, const std::optional<T>& value) {
    if (value.has_value()) Member(key, *value);
  }

  std::string Finish() {
    if (pretty_) out_.push_back('\n');
    return std::move(out_);
  }

 private:
  void Write(const std::string& value) { String(value); }
  void Write(std::string_view value) { String(value); }
  void Write(const char* value) { String(value); }
  void Write(bool value) { Bool(value); }
  void Write(int64_t value) { Int(value); }
  void Write(int32_t value) { Int(value); }
  void Write(int16_t value) { Int(value); }
  void Write(int8_t value) { Int(value); }

  void Open(char bracket) {
    Separate();
    out_.push_back(bracket);
    first_.push_back(true);
  }
  void Close(char bracket) {
    const bool empty = first_.back();
    first_.pop_back();
    if (pretty_ && !empty) Newline();
    out_.push_back(bracket);
  }
  // Puts the comma and line break a new value needs, unless it follows its key.
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_.push_back(',');
    first_.back() = false;
    if (pretty_) Newline();
  }
  void Newline() {
    out_.push_back('\n');
    out_.append(first_.size() * 2, ' ');
  }

  bool pretty_;
  bool after_key_ = false;
  std::vector<bool> first_;  // Per open container: no member written yet.
  std::string out_;
};

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// The decimal scale of a leaf, if it is a DECIMAL.
std::optional<int32_t> DecimalScale(const SchemaNode& leaf) {
  if (leaf.logical_type.has_value()) {
    if (const auto* decimal = leaf.logical_type->As<DecimalType>()) return decimal->scale;
  }
  if (leaf.converted_type == ConvertedType::kDecimal) return leaf.scale.value_or(0);
  return std::nullopt;
}

bool IsUnsigned(const SchemaNode& leaf) {
  if (leaf.logical_type.has_value()) {
    if (const auto* integer = leaf.logical_type->As<IntType>()) return !integer->is_signed;
  }
  switch (leaf.converted_type.value_or(ConvertedType::kUtf8)) {
    case ConvertedType::kUint8:
    case ConvertedType::kUint16:
    case ConvertedType::kUint32:
    case ConvertedType::kUint64:
      return leaf.converted_type.has_value();
    default:
      return false;
  }
}

bool IsText(const SchemaNode& leaf) {
  if (leaf.logical_type.has_value() &&
      (leaf.logical_type->Is<StringType>() || leaf.logical_type->Is<EnumType>() ||
       leaf.logical_type->Is<JsonType>())) {
    return true;
  }
  const auto converted = leaf.converted_type;
  return converted == ConvertedType::kUtf8 || converted == ConvertedType::kEnum ||
         converted == ConvertedType::kJson;
}

// Microseconds per unit of a TIMESTAMP leaf, or nullopt when it is not a timestamp.
std::optional<std::pair<int64_t, bool>> TimestampUnit(const SchemaNode& leaf) {
  if (leaf.logical_type.has_value()) {
    if (const auto* timestamp = leaf.logical_type->As<TimestampType>()) {
      switch (timestamp->unit) {
        case TimeUnit::kMillis:
          return std::make_pair(int64_t{1000}, timestamp->is_adjusted_to_utc);
        case TimeUnit::kMicros:
          return std::make_pair(int64_t{1}, timestamp->is_adjusted_to_utc);
        case TimeUnit::kNanos:
          return std::make_pair(int64_t{-1000}, timestamp->is_adjusted_to_utc);
        case TimeUnit::kUnknown:
          return std::nullopt;
      }
    }
  }
  if (leaf.converted_type == ConvertedType::kTimestampMillis)
    return std::make_pair(int64_t{1000}, true);
  if (leaf.converted_type == ConvertedType::kTimestampMicros)
    return std::make_pair(int64_t{1}, true);
  return std::nullopt;
}

bool IsDate(const SchemaNode& leaf) {
  return (leaf.logical_type.has_value() && leaf.logical_type->Is<DateType>()) ||
         leaf.converted_type == ConvertedType::kDate;
}

// Writes a statistics value decoded by the leaf's type, or as hex when it cannot be.
void WriteStatistic(const ColumnDescriptor& column, std::string_view bytes, JsonWriter* json) {
  const SchemaNode& leaf = *column.leaf;
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  const std::optional<int32_t> scale = DecimalScale(leaf);
  std::string text;
  switch (column.physical_type) {
    case PhysicalType::kBoolean:
      if (bytes.size() == 1) return json->Bool(data[0] != 0);
      break;
    case PhysicalType::kInt32: {
      if (bytes.size() != 4) break;
      int32_t value;
      std::memcpy(&value, data, 4);
      if (scale) {
        AppendDecimal(value, *scale, &text);
        return json->String(text);
      }
      if (IsDate(leaf)) {
        AppendDate(value, &text);
        return json->String(text);
      }
      if (IsUnsigned(leaf)) return json->Int(static_cast<uint32_t>(value));
      return json->Int(value);
    }
    case PhysicalType::kInt64: {
      if (bytes.size() != 8) break;
      int64_t value;
      std::memcpy(&value, data, 8);
      if (scale) {
        AppendDecimal(value, *scale, &text);
        return json->String(text);
      }
      if (auto unit = TimestampUnit(leaf)) {
        // Wrapping arithmetic: statistics come from the file and may be absurd.
        const int64_t micros = unit->first > 0
                                   ? static_cast<int64_t>(static_cast<uint64_t>(value) *
                                                          static_cast<uint64_t>(unit->first))
                                   : value / 1000 - (value % 1000 < 0 ? 1 : 0);
        AppendTimestamp(micros, unit->second, &text);
        return json->String(text);
      }
      if (IsUnsigned(leaf)) {
        AppendDecimal(static_cast<int128_t>(static_cast<uint64_t>(value)), 0, &text);
        return json->String(text);
      }
      return json->Int(value);
    }
    case PhysicalType::kFloat: {
      if (bytes.size() != 4) break;
      float value;
      std::memcpy(&value, data, 4);
      return json->Double(value);
    }
    case PhysicalType::kDouble: {
      if (bytes.size() != 8) break;
      double value;
      std::memcpy(&value, data, 8);
      return json->Double(value);
    }
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray: {
      if (scale && !bytes.empty()) {
        int128_t value = 0;
        if (BigEndianToInt128(data, static_cast<int64_t>(bytes.size()), &value).ok()) {
          AppendDecimal(value, *scale, &text);
          return json->String(text);
        }
        break;
      }
      if (leaf.logical_type.has_value() && leaf.logical_type->Is<Float16Type>() &&
          bytes.size() == 2) {
        return json->Double(HalfToFloat(data));
      }
      if (IsText(leaf) && utf8::FindInvalid(bytes) == std::string_view::npos) {
        return json->String(bytes);
      }
      break;
    }
    case PhysicalType::kInt96:
      break;
  }
  json->String(Hex(bytes));
}

void WriteLogicalType(const LogicalType& logical, JsonWriter* json) {
  json->BeginObject();
  json->Member("type", logical.Name());
  if (const auto* decimal = logical.As<DecimalType>()) {
    json->Member("precision", decimal->precision);
    json->Member("scale", decimal->scale);
  } else if (const auto* time = logical.As<TimeType>()) {
    json->Member("is_adjusted_to_utc", time->is_adjusted_to_utc);
    json->Member("unit", TimeUnitName(time->unit));
  } else if (const auto* timestamp = logical.As<TimestampType>()) {
    json->Member("is_adjusted_to_utc", timestamp->is_adjusted_to_utc);
    json->Member("unit", TimeUnitName(timestamp->unit));
  } else if (const auto* integer = logical.As<IntType>()) {
    json->Member("bit_width", integer->bit_width);
    json->Member("is_signed", integer->is_signed);
  } else if (const auto* geometry = logical.As<GeometryType>()) {
    json->Member("crs", geometry->crs);
  } else if (const auto* geography = logical.As<GeographyType>()) {
    json->Member("crs", geography->crs);
    if (geography->algorithm.has_value()) {
      json->Member("algorithm", EdgeInterpolationAlgorithmName(*geography->algorithm));
    }
  } else if (const auto* variant = logical.As<VariantType>()) {
    if (variant->specification_version.has_value()) {
      json->Member("specification_version", *variant->specification_version);
    }
  } else if (const auto* undefined = logical.As<UndefinedLogicalType>()) {
    json->Member("field_id", undefined->field_id);
  }
  json->EndObject();
}

void WriteKeyValues(const std::vector<KeyValue>& pairs, JsonWriter* json) {
  json->BeginArray();
  for (const KeyValue& pair : pairs) {
    json->BeginObject();
    json->Member("key", pair.key);
    json->Key("value");
    if (pair.value.has_value()) {
      json->String(*pair.value);
    } else {
      json->Null();
    }
    json->EndObject();
  }
  json->EndArray();
}

void WriteStatistics(const ColumnDescriptor* column, const Statistics& stats, JsonWriter* json) {
  json->BeginObject();
  json->Member("null_count", stats.null_count);
  json->Member("distinct_count", stats.distinct_count);
  json->Member("nan_count", stats.nan_count);
  auto value = [&](std::string_view key, const std::optional<std::string>& bytes) {
    if (!bytes.has_value()) return;
    json->Key(key);
    if (column != nullptr) {
      WriteStatistic(*column, *bytes, json);
    } else {
      json->String(Hex(*bytes));
    }
  };
  value("min_value", stats.min_value);
  value("max_value", stats.max_value);
  json->Member("is_min_value_exact", stats.is_min_value_exact);
  json->Member("is_max_value_exact", stats.is_max_value_exact);
  // The deprecated fields, ordered as signed bytes by old writers: shown as stored.
  value("min", stats.min);
  value("max", stats.max);
  json->EndObject();
}

}  // namespace

std::string FileMetaDataToJson(const FileMetaData& metadata, const SchemaDescriptor& schema,
                               JsonStyle style) {
  JsonWriter json(style);
  json.BeginObject();
  json.Member("version", metadata.version);
  json.Member("num_rows", metadata.num_rows);
  json.Member("created_by", metadata.created_by);
  if (metadata.key_value_metadata.has_value()) {
    json.Key("key_value_metadata");
    WriteKeyValues(*metadata.key_value_metadata, &json);
  }

  json.Key("schema");
  json.BeginArray();
  for (const SchemaElement& element : metadata.schema) {
    json.BeginObject();
    json.Member("name", element.name);
    if (element.type.has_value()) json.Member("type", PhysicalTypeName(*element.type));
    json.Member("type_length", element.type_length);
    if (element.repetition_type.has_value()) {
      json.Member("repetition_type", RepetitionName(*element.repetition_type));
    }
    json.Member("num_children", element.num_children);
    if (element.converted_type.has_value()) {
      json.Member("converted_type", ConvertedTypeName(*element.converted_type));
    }
    json.Member("scale", element.scale);
    json.Member("precision", element.precision);
    json.Member("field_id", element.field_id);
    if (element.logical_type.has_value()) {
      json.Key("logical_type");
      WriteLogicalType(*element.logical_type, &json);
    }
    json.EndObject();
  }
  json.EndArray();

  json.Key("row_groups");
  json.BeginArray();
  for (const RowGroup& group : metadata.row_groups) {
    json.BeginObject();
    json.Member("num_rows", group.num_rows);
    json.Member("total_byte_size", group.total_byte_size);
    json.Member("total_compressed_size", group.total_compressed_size);
    json.Member("file_offset", group.file_offset);
    json.Member("ordinal", group.ordinal);
    if (group.sorting_columns.has_value()) {
      json.Key("sorting_columns");
      json.BeginArray();
      for (const SortingColumn& sorting : *group.sorting_columns) {
        json.BeginObject();
        json.Member("column_idx", sorting.column_idx);
        json.Member("descending", sorting.descending);
        json.Member("nulls_first", sorting.nulls_first);
        json.EndObject();
      }
      json.EndArray();
    }
    json.Key("columns");
    json.BeginArray();
    for (size_t i = 0; i < group.columns.size(); ++i) {
      const ColumnChunk& chunk = group.columns[i];
      const ColumnDescriptor* column = i < static_cast<size_t>(schema.num_columns())
                                           ? &schema.column(static_cast<int>(i))
                                           : nullptr;
      json.BeginObject();
      json.Member("file_path", chunk.file_path);
      json.Member("file_offset", chunk.file_offset);
      if (chunk.meta_data.has_value()) {
        const ColumnMetaData& meta = *chunk.meta_data;
        json.Key("path_in_schema");
        json.BeginArray();
        for (const std::string& name : meta.path_in_schema) json.String(name);
        json.EndArray();
        json.Member("type", PhysicalTypeName(meta.type));
        json.Member("codec", CodecName(meta.codec));
        json.Key("encodings");
        json.BeginArray();
        for (Encoding encoding : meta.encodings) json.String(EncodingName(encoding));
        json.EndArray();
        json.Member("num_values", meta.num_values);
        json.Member("total_uncompressed_size", meta.total_uncompressed_size);
        json.Member("total_compressed_size", meta.total_compressed_size);
        json.Member("data_page_offset", meta.data_page_offset);
        json.Member("dictionary_page_offset", meta.dictionary_page_offset);
        json.Member("index_page_offset", meta.index_page_offset);
        json.Member("bloom_filter_offset", meta.bloom_filter_offset);
        json.Member("bloom_filter_length", meta.bloom_filter_length);
        if (meta.key_value_metadata.has_value()) {
          json.Key("key_value_metadata");
          WriteKeyValues(*meta.key_value_metadata, &json);
        }
        if (meta.statistics.has_value()) {
          json.Key("statistics");
          WriteStatistics(column, *meta.statistics, &json);
        }
      }
      json.Member("offset_index_offset", chunk.offset_index_offset);
      json.Member("offset_index_length", chunk.offset_index_length);
      json.Member("column_index_offset", chunk.column_index_offset);
      json.Member("column_index_length", chunk.column_index_length);
      if (chunk.crypto_metadata.has_value()) json.Member("encrypted", true);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return json.Finish();
}

}  // namespace arcflow::parquet
