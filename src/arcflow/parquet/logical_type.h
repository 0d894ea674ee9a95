#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "arcflow/base/status.h"
#include "arcflow/parquet/format_enums.h"

namespace arcflow::parquet {

class ThriftCompactReader;
class ThriftCompactWriter;

// The LogicalType union of parquet.thrift: how a column's physical values are to be read
// (a string, a timestamp in microseconds, a decimal...). One C++ struct per union member, held
// in a std::variant. Plain values; copy freely.

// The unit of TIME and TIMESTAMP. kUnknown stands for a TimeUnit union member this reader does
// not know (or an empty union), which readers must refuse rather than guess.
enum class TimeUnit : int8_t { kUnknown, kMillis, kMicros, kNanos };

std::string_view TimeUnitName(TimeUnit unit);

struct StringType {
  bool operator==(const StringType&) const = default;
};
struct MapType {
  bool operator==(const MapType&) const = default;
};
struct ListType {
  bool operator==(const ListType&) const = default;
};
struct EnumType {
  bool operator==(const EnumType&) const = default;
};
struct DecimalType {
  int32_t scale = 0;
  int32_t precision = 0;
  bool operator==(const DecimalType&) const = default;
};
struct DateType {
  bool operator==(const DateType&) const = default;
};
struct TimeType {
  bool is_adjusted_to_utc = false;
  TimeUnit unit = TimeUnit::kUnknown;
  bool operator==(const TimeType&) const = default;
};
struct TimestampType {
  bool is_adjusted_to_utc = false;
  TimeUnit unit = TimeUnit::kUnknown;
  bool operator==(const TimestampType&) const = default;
};
struct IntType {
  int8_t bit_width = 0;
  bool is_signed = false;
  bool operator==(const IntType&) const = default;
};
// The format calls this member UNKNOWN: a column whose values are all null.
struct NullType {
  bool operator==(const NullType&) const = default;
};
struct JsonType {
  bool operator==(const JsonType&) const = default;
};
struct BsonType {
  bool operator==(const BsonType&) const = default;
};
struct UuidType {
  bool operator==(const UuidType&) const = default;
};
struct Float16Type {
  bool operator==(const Float16Type&) const = default;
};
struct VariantType {
  std::optional<int8_t> specification_version;
  bool operator==(const VariantType&) const = default;
};
struct GeometryType {
  std::optional<std::string> crs;
  bool operator==(const GeometryType&) const = default;
};
struct GeographyType {
  std::optional<std::string> crs;
  std::optional<EdgeInterpolationAlgorithm> algorithm;
  bool operator==(const GeographyType&) const = default;
};
struct VectorType {
  bool operator==(const VectorType&) const = default;
};
// A union member this reader does not know, written by a newer writer. Readers treat the
// column as having no logical type. It encodes as an empty union, which readers treat the
// same way; writers of SchemaElement leave the field out instead.
struct UndefinedLogicalType {
  // The union field id that was found, or 0 when the union was empty.
  int16_t field_id = 0;
  bool operator==(const UndefinedLogicalType&) const = default;
};

struct LogicalType {
  using Value =
      std::variant<UndefinedLogicalType, StringType, MapType, ListType, EnumType, DecimalType,
                   DateType, TimeType, TimestampType, IntType, NullType, JsonType, BsonType,
                   UuidType, Float16Type, VariantType, GeometryType, GeographyType, VectorType>;
  Value value;

  LogicalType() = default;
  template <typename T>
  requires(!std::is_same_v<std::decay_t<T>, LogicalType> && std::is_constructible_v<Value, T>)
      LogicalType(T member)
      : value(std::move(member)) {}  // NOLINT: implicit, like the union

  template <typename T>
  bool Is() const {
    return std::holds_alternative<T>(value);
  }
  // Returns the member if it is a T, else null.
  template <typename T>
  const T* As() const {
    return std::get_if<T>(&value);
  }
  bool IsDefined() const { return !Is<UndefinedLogicalType>(); }

  // The member's name as parquet.thrift spells it ("STRING", "TIMESTAMP", "UNKNOWN" for
  // NullType), or "UNDEFINED" for a member this reader does not know.
  std::string_view Name() const;

  bool operator==(const LogicalType&) const = default;
};

// Thrift codec. Decoding fails with Corruption when more than one known member is set or a
// member lacks a required field; unknown members are skipped and give UndefinedLogicalType.
Status Decode(ThriftCompactReader& reader, LogicalType* out);
void Encode(const LogicalType& value, ThriftCompactWriter& writer);

}  // namespace arcflow::parquet
