#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arcflow {

// The logical types of arcflow's columnar model. Each maps to one Arrow physical layout (see
// array_data.h) and to one Spark SQL type.
enum class TypeId : uint8_t {
  kBoolean,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kFloat32,
  kFloat64,
  kDecimal128,
  kString,
  kBinary,
  kDate32,     // days since 1970-01-01
  kTimestamp,  // microseconds since 1970-01-01T00:00:00, UTC-adjusted or not (NTZ)
  kStruct,
  kList,
  kMap,
};

std::string_view TypeIdName(TypeId id);

class DataType;
using DataTypePtr = std::shared_ptr<const DataType>;

// Field metadata as Spark and Delta keep it: an ordered list of keys whose values are raw JSON
// texts (`"comment"` → `"\"the text\""`, `"delta.columnMapping.id"` → `"5"`). Keeping the raw
// JSON makes StructType JSON round-trip exactly whatever the value types are.
using FieldMetadata = std::vector<std::pair<std::string, std::string>>;

// A named, typed column or struct member. A value type.
struct Field {
  Field() = default;
  Field(std::string name, DataTypePtr type, bool nullable = true, FieldMetadata metadata = {})
      : name(std::move(name)),
        type(std::move(type)),
        nullable(nullable),
        metadata(std::move(metadata)) {}

  std::string name;
  DataTypePtr type;
  bool nullable = true;
  FieldMetadata metadata;

  // Raw JSON text of metadata `key`, if present.
  std::optional<std::string_view> GetMetadata(std::string_view key) const;
  // The Spark column comment (metadata key "comment", a JSON string), decoded.
  std::optional<std::string> comment() const;

  bool Equals(const Field& other, bool check_metadata = true) const;
};

// An immutable type descriptor, shared by pointer (`DataTypePtr`). Parameterised types carry
// their parameters: decimal precision and scale, timestamp time-zone semantics, and the child
// fields of nested types (struct members; a list's single "element"; a map's "key" and
// "value"). Thread-safe.
class DataType {
 public:
  TypeId id() const { return id_; }

  // REQUIRES: id() == kDecimal128.
  int32_t precision() const { return precision_; }
  int32_t scale() const { return scale_; }
  // REQUIRES: id() == kTimestamp. True for Spark TIMESTAMP, false for TIMESTAMP_NTZ.
  bool utc_adjusted() const { return utc_adjusted_; }

  // Struct members, the list element, or the map key and value.
  const std::vector<Field>& fields() const { return fields_; }
  int num_fields() const { return static_cast<int>(fields_.size()); }
  const Field& field(int i) const { return fields_[static_cast<size_t>(i)]; }
  // Index of the struct member named `name` (case-sensitive), or -1.
  int GetFieldIndex(std::string_view name) const;

  // REQUIRES: id() == kList.
  const Field& element_field() const { return fields_[0]; }
  // REQUIRES: id() == kMap.
  const Field& key_field() const { return fields_[0]; }
  const Field& value_field() const { return fields_[1]; }

  bool is_nested() const {
    return id_ == TypeId::kStruct || id_ == TypeId::kList || id_ == TypeId::kMap;
  }
  bool is_integer() const {
    return id_ == TypeId::kInt8 || id_ == TypeId::kInt16 || id_ == TypeId::kInt32 ||
           id_ == TypeId::kInt64;
  }
  bool is_floating() const { return id_ == TypeId::kFloat32 || id_ == TypeId::kFloat64; }
  bool is_numeric() const { return is_integer() || is_floating() || id_ == TypeId::kDecimal128; }
  bool is_binary_like() const { return id_ == TypeId::kString || id_ == TypeId::kBinary; }
  // Bytes per value of the values buffer for fixed-width types; 0 for others (boolean is
  // bit-packed and reports 0).
  int byte_width() const;

  // Compares ids, parameters and children (names, types, nullability, and metadata when
  // `check_metadata`).
  bool Equals(const DataType& other, bool check_metadata = true) const;

  // Spark's "simpleString": int, bigint, decimal(10,2), array<string>,
  // struct<a:int,b:map<string,double>>, timestamp_ntz.
  std::string ToString() const;

  // Constructors for the factories in `types`; prefer those.
  DataType(TypeId id, int32_t precision, int32_t scale, bool utc_adjusted,
           std::vector<Field> fields)
      : id_(id),
        precision_(precision),
        scale_(scale),
        utc_adjusted_(utc_adjusted),
        fields_(std::move(fields)) {}

 private:
  TypeId id_;
  int32_t precision_ = 0;
  int32_t scale_ = 0;
  bool utc_adjusted_ = true;
  std::vector<Field> fields_;
};

inline bool operator==(const DataType& a, const DataType& b) { return a.Equals(b); }

// Maximum precision of decimal128, as in Spark.
inline constexpr int32_t kMaxDecimalPrecision = 38;

namespace types {

DataTypePtr Boolean();
DataTypePtr Int8();
DataTypePtr Int16();
DataTypePtr Int32();
DataTypePtr Int64();
DataTypePtr Float32();
DataTypePtr Float64();
DataTypePtr String();
DataTypePtr Binary();
DataTypePtr Date32();
// Spark TIMESTAMP: microseconds, UTC-adjusted.
DataTypePtr Timestamp();
// Spark TIMESTAMP_NTZ: microseconds of a wall-clock time with no time zone.
DataTypePtr TimestampNtz();
// REQUIRES: 1 <= precision <= 38, 0 <= scale <= precision (checked by the schema parsers).
DataTypePtr Decimal(int32_t precision, int32_t scale);
DataTypePtr Struct(std::vector<Field> fields);
DataTypePtr List(DataTypePtr element, bool contains_null = true);
DataTypePtr Map(DataTypePtr key, DataTypePtr value, bool value_contains_null = true);
// A list or map built from whole child fields, so that their metadata (e.g. the Parquet field
// id a writer gives a list element) is kept. The fields are renamed "element", "key" and
// "value", and the key is made non-nullable.
DataTypePtr ListOf(Field element);
DataTypePtr MapOf(Field key, Field value);
// The physical child type of a map array: struct<key: K NOT NULL, value: V>.
DataTypePtr MapEntries(const DataType& map_type);

// The primitive type for a TypeId that needs no parameters; nullptr for others.
DataTypePtr FromId(TypeId id);

}  // namespace types

}  // namespace arcflow
