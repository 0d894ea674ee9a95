#include "arcflow/csv/value_converter.h"

#include <cmath>
#include <limits>

#include "arcflow/base/utf8.h"

namespace arcflow::csv {

Result<ColumnConverter> ColumnConverter::Make(DataTypePtr type, const CsvReadOptions* options) {
  ColumnConverter converter(std::move(type), options);
  const DataType& column_type = *converter.type_;
  const std::string* format = nullptr;
  if (column_type.id() == TypeId::kDate32) {
    format = &options->date_format;
  } else if (column_type.id() == TypeId::kTimestamp) {
    format =
        column_type.utc_adjusted() ? &options->timestamp_format : &options->timestamp_ntz_format;
  } else if (column_type.is_nested()) {
    return Status::Invalid("csv: CSV data source does not support {} data type",
                           column_type.ToString());
  }
  if (format != nullptr && !format->empty()) {
    ARCFLOW_ASSIGN_OR_RETURN(DateTimePattern pattern, DateTimePattern::Compile(*format));
    converter.pattern_ = std::move(pattern);
  }
  return converter;
}

bool ColumnConverter::ParseFloating(std::string_view text, double* value) const {
  if (text == options_->nan_value) {
    *value = std::numeric_limits<double>::quiet_NaN();
  } else if (text == options_->positive_inf) {
    *value = std::numeric_limits<double>::infinity();
  } else if (text == options_->negative_inf) {
    *value = -std::numeric_limits<double>::infinity();
  } else if (type_->id() == TypeId::kFloat32) {
    // Parsed as a float directly: going through double first could round twice.
    std::optional<float> parsed = ParseFloat(text);
    if (!parsed) return false;
    *value = *parsed;
  } else {
    std::optional<double> parsed = ParseDouble(text);
    if (!parsed) return false;
    *value = *parsed;
  }
  return true;
}

bool ColumnConverter::Parse(const CsvField* field, StagedValue* value) const {
  value->is_null = true;
  if (field == nullptr) return true;
  TypeId id = type_->id();
  std::string_view text = field->text;
  if (field->quoted && text.empty()) {
    // A quoted empty field is the empty value, which keeps "" apart from null for strings.
    if (id == TypeId::kString || id == TypeId::kBinary) {
      value->bytes = options_->empty_value;
      value->is_null = false;
      return true;
    }
    text = options_->empty_value;
  }
  if (text == options_->null_value) return true;

  switch (id) {
    case TypeId::kBoolean: {
      std::optional<bool> parsed = ParseBoolean(text);
      if (!parsed) return false;
      value->integer = *parsed ? 1 : 0;
      break;
    }
    case TypeId::kInt8: {
      std::optional<int8_t> parsed = ParseInt8(text);
      if (!parsed) return false;
      value->integer = *parsed;
      break;
    }
    case TypeId::kInt16: {
      std::optional<int16_t> parsed = ParseInt16(text);
      if (!parsed) return false;
      value->integer = *parsed;
      break;
    }
    case TypeId::kInt32: {
      std::optional<int32_t> parsed = ParseInt32(text);
      if (!parsed) return false;
      value->integer = *parsed;
      break;
    }
    case TypeId::kInt64: {
      std::optional<int64_t> parsed = ParseInt64(text);
      if (!parsed) return false;
      value->integer = *parsed;
      break;
    }
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      if (!ParseFloating(text, &value->floating)) return false;
      break;
    case TypeId::kDecimal128: {
      std::optional<int128_t> parsed = ParseDecimal(text, type_->precision(), type_->scale());
      if (!parsed) return false;
      value->decimal = *parsed;
      break;
    }
    case TypeId::kString:
      value->bytes = utf8::Repair(text, &repaired_);
      break;
    case TypeId::kBinary:
      value->bytes = text;
      break;
    case TypeId::kDate32: {
      std::optional<int32_t> parsed = pattern_ ? pattern_->ParseDate(text) : ParseDate(text);
      if (!parsed) return false;
      value->integer = *parsed;
      break;
    }
    case TypeId::kTimestamp: {
      bool utc = type_->utc_adjusted();
      std::optional<int64_t> parsed =
          pattern_ ? pattern_->ParseTimestamp(text, utc) : ParseTimestamp(text, utc);
      if (!parsed) return false;
      value->integer = *parsed;
      break;
    }
    case TypeId::kStruct:
    case TypeId::kList:
    case TypeId::kMap:
      return false;  // Rejected by Make().
  }
  value->is_null = false;
  return true;
}

void ColumnConverter::Append(const StagedValue& value, ArrayBuilder* builder) const {
  if (value.is_null) {
    builder->AppendNull();
    return;
  }
  switch (type_->id()) {
    case TypeId::kBoolean:
      static_cast<BooleanBuilder*>(builder)->Append(value.integer != 0);
      break;
    case TypeId::kInt8:
      static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(value.integer));
      break;
    case TypeId::kInt16:
      static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(value.integer));
      break;
    case TypeId::kInt32:
    case TypeId::kDate32:
      static_cast<Int32Builder*>(builder)->Append(static_cast<int32_t>(value.integer));
      break;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      static_cast<Int64Builder*>(builder)->Append(value.integer);
      break;
    case TypeId::kFloat32:
      static_cast<Float32Builder*>(builder)->Append(static_cast<float>(value.floating));
      break;
    case TypeId::kFloat64:
      static_cast<Float64Builder*>(builder)->Append(value.floating);
      break;
    case TypeId::kDecimal128:
      static_cast<Decimal128Builder*>(builder)->Append(value.decimal);
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      static_cast<BinaryBuilder*>(builder)->Append(value.bytes);
      break;
    case TypeId::kStruct:
    case TypeId::kList:
    case TypeId::kMap:
      builder->AppendNull();
      break;
  }
}

std::string SqlTypeName(const DataType& type) {
  std::string name = type.ToString();
  for (char& c : name) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return name;
}

}  // namespace arcflow::csv
