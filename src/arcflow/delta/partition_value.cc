#include "arcflow/delta/partition_value.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/value_format.h"
#include "arcflow/columnar/value_parse.h"

namespace arcflow::delta {
namespace {

Status NotAValue(std::string_view text, const DataType& type, std::string_view column) {
  return Status::Invalid(
      "delta: partition value is not a {} (column={}, value=\"{}\"); the log's partitionValues "
      "must hold the text Spark writes for the column type",
      type.ToString(), column, text);
}

// Java's Double.toString/Float.toString: plain notation with at least one fractional digit for
// magnitudes in [1e-3, 1e7), otherwise "d.dddE<exponent>", always the shortest digits that read
// back to the same value.
template <typename T>
std::string FormatJavaFloating(T value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  char buffer[64];
  auto [end, error] =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  (void)error;
  std::string_view scientific(buffer, static_cast<size_t>(end - buffer));
  // scientific = [-]d[.ddd]e[+-]xx
  bool negative = scientific.front() == '-';
  if (negative) scientific.remove_prefix(1);
  size_t e_position = scientific.find('e');
  std::string digits;
  for (char c : scientific.substr(0, e_position)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = std::atoi(std::string(scientific.substr(e_position + 1)).c_str());
  std::string out = negative ? "-" : "";
  T magnitude = std::fabs(value);
  if (magnitude >= static_cast<T>(1e-3) && magnitude < static_cast<T>(1e7)) {
    if (exponent >= 0) {
      size_t integer_digits = static_cast<size_t>(exponent) + 1;
      while (digits.size() < integer_digits) digits.push_back('0');
      out.append(digits, 0, integer_digits);
      out.push_back('.');
      std::string fraction = digits.substr(integer_digits);
      out.append(fraction.empty() ? "0" : fraction);
    } else {
      out.append("0.");
      out.append(static_cast<size_t>(-exponent - 1), '0');
      out.append(digits);
    }
    return out;
  }
  out.push_back(digits[0]);
  out.push_back('.');
  out.append(digits.size() > 1 ? digits.substr(1) : "0");
  out.push_back('E');
  out.append(std::to_string(exponent));
  return out;
}

// Spark's partition text of a timestamp: "YYYY-MM-DD HH:MM:SS" and the fraction without
// trailing zeros.
std::string FormatPartitionTimestamp(int64_t micros) {
  std::string iso;
  AppendTimestamp(micros, /*utc_adjusted=*/false, &iso);  // YYYY-MM-DDTHH:MM:SS.ffffff
  size_t t_position = iso.find('T');
  if (t_position != std::string::npos) iso[t_position] = ' ';
  while (!iso.empty() && iso.back() == '0') iso.pop_back();
  if (!iso.empty() && iso.back() == '.') iso.pop_back();
  return iso;
}

bool NeedsPathEscaping(unsigned char c) {
  if (c >= 0x01 && c <= 0x1F) return true;
  switch (c) {
    case '"':
    case '#':
    case '%':
    case '\'':
    case '*':
    case '/':
    case ':':
    case '=':
    case '?':
    case '\\':
    case 0x7F:
    case '{':
    case '[':
    case ']':
    case '^':
      return true;
    default:
      return false;
  }
}

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<TypedValue> ParsePartitionValue(const std::optional<std::string>& text,
                                       const DataTypePtr& type, std::string_view column) {
  if (!text.has_value() || text->empty()) return TypedValue::Null(type);
  const std::string& value = *text;
  switch (type->id()) {
    case TypeId::kBoolean: {
      auto parsed = ParseBoolean(value);
      if (!parsed) return NotAValue(value, *type, column);
      return TypedValue{type, *parsed};
    }
    case TypeId::kInt8: {
      auto parsed = ParseInt8(value);
      if (!parsed) return NotAValue(value, *type, column);
      return TypedValue{type, int64_t{*parsed}};
    }
    case TypeId::kInt16: {
      auto parsed = ParseInt16(value);
      if (!parsed) return NotAValue(value, *type, column);
      return TypedValue{type, int64_t{*parsed}};
    }
    case TypeId::kInt32: {
      auto parsed = ParseInt32(value);
      if (!parsed) return NotAValue(value, *type, column);
      return TypedValue{type, int64_t{*parsed}};
    }
    case TypeId::kInt64: {
      auto parsed = ParseInt64(value);
      if (!parsed) return NotAValue(value, *type, column);
      return TypedValue{type, *parsed};
    }
    case TypeId::kFloat32: {
      auto parsed = ParseFloat(value);
      if (!parsed) return NotAValue(value, *type, column);
      return TypedValue{type, static_cast<double>(*parsed)};
    }
    case TypeId::kFloat64: {
      auto parsed = ParseDouble(value);
      if (!parsed) return NotAValue(value, *type, column);
      return TypedValue{type, *parsed};
    }
    case TypeId::kDecimal128: {
      auto parsed = ParseDecimal(value, type->precision(), type->scale());
      if (!parsed) return NotAValue(value, *type, column);
      return TypedValue{type, *parsed};
    }
    case TypeId::kString:
    case TypeId::kBinary:
      return TypedValue{type, value};
    case TypeId::kDate32: {
      // Only the full date form: Spark's cast also takes "2024" or "2024-1", which no writer
      // puts in a log, and a lenient parse would hide a corrupt value.
      auto parsed = ParseDate(value);
      if (!parsed || value.size() < 8) return NotAValue(value, *type, column);
      return TypedValue{type, int64_t{*parsed}};
    }
    case TypeId::kTimestamp: {
      auto parsed = ParseTimestamp(value, type->utc_adjusted());
      if (!parsed && !type->utc_adjusted() && value.back() == 'Z') {
        // Some writers put an ISO-8601 UTC form in NTZ partitions too; the wall-clock time is
        // the same text without the zone.
        parsed = ParseTimestamp(std::string_view(value).substr(0, value.size() - 1), false);
      }
      if (!parsed) return NotAValue(value, *type, column);
      return TypedValue{type, *parsed};
    }
    case TypeId::kStruct:
    case TypeId::kList:
    case TypeId::kMap:
      break;
  }
  return Status::NotImplemented("delta: partition column of type {} is not supported (column={})",
                                type->ToString(), column);
}

std::optional<std::string> FormatPartitionValue(const TypedValue& value) {
  if (value.is_null()) return std::nullopt;
  const DataType& type = *value.type;
  switch (type.id()) {
    case TypeId::kBoolean:
      return std::get<bool>(value.value) ? "true" : "false";
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      return std::to_string(std::get<int64_t>(value.value));
    case TypeId::kFloat32:
      return FormatJavaFloating(static_cast<float>(std::get<double>(value.value)));
    case TypeId::kFloat64:
      return FormatJavaFloating(std::get<double>(value.value));
    case TypeId::kDecimal128: {
      std::string out;
      AppendDecimal(std::get<int128_t>(value.value), type.scale(), &out);
      return out;
    }
    case TypeId::kString:
    case TypeId::kBinary:
      return std::get<std::string>(value.value);
    case TypeId::kDate32: {
      std::string out;
      AppendDate(static_cast<int32_t>(std::get<int64_t>(value.value)), &out);
      return out;
    }
    case TypeId::kTimestamp:
      return FormatPartitionTimestamp(std::get<int64_t>(value.value));
    case TypeId::kStruct:
    case TypeId::kList:
    case TypeId::kMap:
      break;
  }
  return std::nullopt;
}

TypedValue TypedValueAt(const Array& array, int64_t row) {
  const DataTypePtr& type = array.type();
  if (array.IsNull(row)) return TypedValue::Null(type);
  const auto& data = array.data();
  switch (type->id()) {
    case TypeId::kBoolean:
      return TypedValue{type, BooleanArray(data).Value(row)};
    case TypeId::kInt8:
      return TypedValue{type, int64_t{Int8Array(data).Value(row)}};
    case TypeId::kInt16:
      return TypedValue{type, int64_t{Int16Array(data).Value(row)}};
    case TypeId::kInt32:
    case TypeId::kDate32:
      return TypedValue{type, int64_t{Int32Array(data).Value(row)}};
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      return TypedValue{type, Int64Array(data).Value(row)};
    case TypeId::kFloat32:
      return TypedValue{type, static_cast<double>(Float32Array(data).Value(row))};
    case TypeId::kFloat64:
      return TypedValue{type, Float64Array(data).Value(row)};
    case TypeId::kDecimal128:
      return TypedValue{type, Decimal128Array(data).Value(row)};
    case TypeId::kString:
    case TypeId::kBinary:
      return TypedValue{type, std::string(BinaryArray(data).Value(row))};
    case TypeId::kStruct:
    case TypeId::kList:
    case TypeId::kMap:
      break;
  }
  return TypedValue::Null(type);
}

Result<ArrayPtr> MakeConstantArray(const TypedValue& value, int64_t length) {
  const DataTypePtr& type = value.type;
  if (value.is_null()) return MakeNullArray(type, length);
  switch (type->id()) {
    case TypeId::kBoolean: {
      BooleanBuilder builder;
      builder.Reserve(length);
      bool constant = std::get<bool>(value.value);
      for (int64_t i = 0; i < length; ++i) builder.Append(constant);
      return builder.Finish();
    }
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kDate32:
    case TypeId::kTimestamp: {
      int64_t constant = std::get<int64_t>(value.value);
      auto fill = [&](auto builder, auto typed_constant) -> Result<ArrayPtr> {
        builder.Reserve(length);
        for (int64_t i = 0; i < length; ++i) builder.Append(typed_constant);
        return builder.Finish();
      };
      switch (type->id()) {
        case TypeId::kInt8:
          return fill(Int8Builder(type), static_cast<int8_t>(constant));
        case TypeId::kInt16:
          return fill(Int16Builder(type), static_cast<int16_t>(constant));
        case TypeId::kInt32:
        case TypeId::kDate32:
          return fill(Int32Builder(type), static_cast<int32_t>(constant));
        default:
          return fill(Int64Builder(type), constant);
      }
    }
    case TypeId::kFloat32: {
      Float32Builder builder(type);
      builder.Reserve(length);
      auto constant = static_cast<float>(std::get<double>(value.value));
      for (int64_t i = 0; i < length; ++i) builder.Append(constant);
      return builder.Finish();
    }
    case TypeId::kFloat64: {
      Float64Builder builder(type);
      builder.Reserve(length);
      double constant = std::get<double>(value.value);
      for (int64_t i = 0; i < length; ++i) builder.Append(constant);
      return builder.Finish();
    }
    case TypeId::kDecimal128: {
      Decimal128Builder builder(type);
      builder.Reserve(length);
      int128_t constant = std::get<int128_t>(value.value);
      for (int64_t i = 0; i < length; ++i) builder.Append(constant);
      return builder.Finish();
    }
    case TypeId::kString:
    case TypeId::kBinary: {
      BinaryBuilder builder(type);
      const std::string& constant = std::get<std::string>(value.value);
      builder.Reserve(length);
      builder.ReserveBytes(static_cast<int64_t>(constant.size()) * length);
      for (int64_t i = 0; i < length; ++i) builder.Append(constant);
      return builder.Finish();
    }
    case TypeId::kStruct:
    case TypeId::kList:
    case TypeId::kMap:
      break;
  }
  return Status::NotImplemented("delta: constant column of type {} is not supported",
                                type->ToString());
}

std::string EscapePartitionPathName(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (NeedsPathEscaping(byte)) {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string UnescapePartitionPathName(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int high = HexDigitValue(text[i + 1]);
      int low = HexDigitValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string PartitionDirectoryName(std::string_view column,
                                   const std::optional<std::string>& value) {
  std::string out = EscapePartitionPathName(column);
  out.push_back('=');
  if (!value.has_value() || value->empty()) {
    out.append(kHiveDefaultPartition);
  } else {
    out.append(EscapePartitionPathName(*value));
  }
  return out;
}

std::string PartitionDirectory(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& values) {
  std::string out;
  for (const auto& [column, value] : values) {
    if (!out.empty()) out.push_back('/');
    out.append(PartitionDirectoryName(column, value));
  }
  return out;
}

std::vector<std::pair<std::string, std::optional<std::string>>> ParsePartitionDirectory(
    std::string_view relative_path) {
  std::vector<std::pair<std::string, std::optional<std::string>>> out;
  while (!relative_path.empty()) {
    size_t slash = relative_path.find('/');
    std::string_view segment = relative_path.substr(0, slash);
    relative_path =
        slash == std::string_view::npos ? std::string_view() : relative_path.substr(slash + 1);
    size_t equals = segment.find('=');
    if (equals == std::string_view::npos || equals == 0) continue;
    std::string column = UnescapePartitionPathName(segment.substr(0, equals));
    std::string_view raw_value = segment.substr(equals + 1);
    if (raw_value == kHiveDefaultPartition) {
      out.emplace_back(std::move(column), std::nullopt);
    } else {
      out.emplace_back(std::move(column), UnescapePartitionPathName(raw_value));
    }
  }
  return out;
}

}  // namespace arcflow::delta
