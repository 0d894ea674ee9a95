#include "arcflow/parquet/logical_type.h"

#include <type_traits>

#include "arcflow/parquet/thrift_compact_reader.h"
#include "arcflow/parquet/thrift_compact_writer.h"

namespace arcflow::parquet {
namespace {

using FieldHeader = ThriftCompactReader::FieldHeader;

// Union field ids of LogicalType in parquet.thrift (9 is reserved for INTERVAL).
constexpr int16_t kStringId = 1;
constexpr int16_t kMapId = 2;
constexpr int16_t kListId = 3;
constexpr int16_t kEnumId = 4;
constexpr int16_t kDecimalId = 5;
constexpr int16_t kDateId = 6;
constexpr int16_t kTimeId = 7;
constexpr int16_t kTimestampId = 8;
constexpr int16_t kIntegerId = 10;
constexpr int16_t kNullId = 11;
constexpr int16_t kJsonId = 12;
constexpr int16_t kBsonId = 13;
constexpr int16_t kUuidId = 14;
constexpr int16_t kFloat16Id = 15;
constexpr int16_t kVariantId = 16;
constexpr int16_t kGeometryId = 17;
constexpr int16_t kGeographyId = 18;
constexpr int16_t kVectorId = 19;

Status DecodeTimeUnit(ThriftCompactReader& reader, TimeUnit* out) {
  int members = 0;
  *out = TimeUnit::kUnknown;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    TimeUnit unit = TimeUnit::kUnknown;
    if (field.type == ThriftWireType::kStruct) {
      if (field.id == 1) unit = TimeUnit::kMillis;
      if (field.id == 2) unit = TimeUnit::kMicros;
      if (field.id == 3) unit = TimeUnit::kNanos;
    }
    // The members are empty structs; skipping also passes over fields added to them later.
    ARCFLOW_RETURN_NOT_OK(reader.Skip(field.type));
    if (unit != TimeUnit::kUnknown) {
      if (++members > 1) return reader.Corrupt("thrift union TimeUnit has more than one member");
      *out = unit;
    }
    return Status::OK();
  }));
  return Status::OK();
}

void EncodeEmptyStructField(int16_t id, ThriftCompactWriter& writer) {
  writer.WriteFieldHeader(id, ThriftWireType::kStruct);
  writer.BeginStruct();
  writer.EndStruct();
}

void EncodeTimeUnit(TimeUnit unit, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  switch (unit) {
    case TimeUnit::kMillis:
      EncodeEmptyStructField(1, writer);
      break;
    case TimeUnit::kMicros:
      EncodeEmptyStructField(2, writer);
      break;
    case TimeUnit::kNanos:
      EncodeEmptyStructField(3, writer);
      break;
    case TimeUnit::kUnknown:
      break;
  }
  writer.EndStruct();
}

Status DecodeDecimal(ThriftCompactReader& reader, DecimalType* out) {
  bool has_scale = false;
  bool has_precision = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->scale, &has_scale);
      case 2:
        return reader.ReadField(field, &out->precision, &has_precision);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_scale, "DecimalType", "scale"));
  return reader.CheckRequired(has_precision, "DecimalType", "precision");
}

// TIME and TIMESTAMP share their layout.
template <typename TimeLike>
Status DecodeTimeLike(ThriftCompactReader& reader, std::string_view struct_name, TimeLike* out) {
  bool has_utc = false;
  bool has_unit = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->is_adjusted_to_utc, &has_utc);
      case 2:
        if (field.type != ThriftWireType::kStruct) return reader.Skip(field.type);
        has_unit = true;
        return DecodeTimeUnit(reader, &out->unit);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_utc, struct_name, "isAdjustedToUTC"));
  return reader.CheckRequired(has_unit, struct_name, "unit");
}

template <typename TimeLike>
void EncodeTimeLike(const TimeLike& value, ThriftCompactWriter& writer) {
  writer.BeginStruct();
  writer.WriteField(1, value.is_adjusted_to_utc);
  writer.WriteFieldHeader(2, ThriftWireType::kStruct);
  EncodeTimeUnit(value.unit, writer);
  writer.EndStruct();
}

Status DecodeInt(ThriftCompactReader& reader, IntType* out) {
  bool has_width = false;
  bool has_signed = false;
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->bit_width, &has_width);
      case 2:
        return reader.ReadField(field, &out->is_signed, &has_signed);
      default:
        return reader.Skip(field.type);
    }
  }));
  ARCFLOW_RETURN_NOT_OK(reader.CheckRequired(has_width, "IntType", "bitWidth"));
  return reader.CheckRequired(has_signed, "IntType", "isSigned");
}

Status DecodeVariant(ThriftCompactReader& reader, VariantType* out) {
  return reader.ReadStruct([&](const FieldHeader& field) -> Status {
    if (field.id == 1) return reader.ReadField(field, &out->specification_version);
    return reader.Skip(field.type);
  });
}

Status DecodeGeometry(ThriftCompactReader& reader, GeometryType* out) {
  return reader.ReadStruct([&](const FieldHeader& field) -> Status {
    if (field.id == 1) return reader.ReadField(field, &out->crs);
    return reader.Skip(field.type);
  });
}

Status DecodeGeography(ThriftCompactReader& reader, GeographyType* out) {
  return reader.ReadStruct([&](const FieldHeader& field) -> Status {
    switch (field.id) {
      case 1:
        return reader.ReadField(field, &out->crs);
      case 2:
        return reader.ReadField(field, &out->algorithm);
      default:
        return reader.Skip(field.type);
    }
  });
}

// Decodes the member with union field id `id` into `*out`. Returns false in `*known` for ids
// this reader does not know, after skipping the member.
Status DecodeMember(ThriftCompactReader& reader, int16_t id, LogicalType* out, bool* known) {
  *known = true;
  // Members without fields are skipped as structs, which also passes over any fields a newer
  // writer added to them.
  auto empty = [&](auto member) -> Status {
    ARCFLOW_RETURN_NOT_OK(reader.Skip(ThriftWireType::kStruct));
    out->value = member;
    return Status::OK();
  };
  switch (id) {
    case kStringId:
      return empty(StringType{});
    case kMapId:
      return empty(MapType{});
    case kListId:
      return empty(ListType{});
    case kEnumId:
      return empty(EnumType{});
    case kDecimalId: {
      DecimalType decimal;
      ARCFLOW_RETURN_NOT_OK(DecodeDecimal(reader, &decimal));
      out->value = decimal;
      return Status::OK();
    }
    case kDateId:
      return empty(DateType{});
    case kTimeId: {
      TimeType time;
      ARCFLOW_RETURN_NOT_OK(DecodeTimeLike(reader, "TimeType", &time));
      out->value = time;
      return Status::OK();
    }
    case kTimestampId: {
      TimestampType timestamp;
      ARCFLOW_RETURN_NOT_OK(DecodeTimeLike(reader, "TimestampType", &timestamp));
      out->value = timestamp;
      return Status::OK();
    }
    case kIntegerId: {
      IntType integer;
      ARCFLOW_RETURN_NOT_OK(DecodeInt(reader, &integer));
      out->value = integer;
      return Status::OK();
    }
    case kNullId:
      return empty(NullType{});
    case kJsonId:
      return empty(JsonType{});
    case kBsonId:
      return empty(BsonType{});
    case kUuidId:
      return empty(UuidType{});
    case kFloat16Id:
      return empty(Float16Type{});
    case kVariantId: {
      VariantType variant;
      ARCFLOW_RETURN_NOT_OK(DecodeVariant(reader, &variant));
      out->value = std::move(variant);
      return Status::OK();
    }
    case kGeometryId: {
      GeometryType geometry;
      ARCFLOW_RETURN_NOT_OK(DecodeGeometry(reader, &geometry));
      out->value = std::move(geometry);
      return Status::OK();
    }
    case kGeographyId: {
      GeographyType geography;
      ARCFLOW_RETURN_NOT_OK(DecodeGeography(reader, &geography));
      out->value = std::move(geography);
      return Status::OK();
    }
    case kVectorId:
      return empty(VectorType{});
    default:
      *known = false;
      return reader.Skip(ThriftWireType::kStruct);
  }
}

}  // namespace

std::string_view TimeUnitName(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis:
      return "MILLIS";
    case TimeUnit::kMicros:
      return "MICROS";
    case TimeUnit::kNanos:
      return "NANOS";
    case TimeUnit::kUnknown:
      break;
  }
  return "UNKNOWN";
}

std::string_view LogicalType::Name() const {
  struct Namer {
    std::string_view operator()(const UndefinedLogicalType&) const { return "UNDEFINED"; }
    std::string_view operator()(const StringType&) const { return "STRING"; }
    std::string_view operator()(const MapType&) const { return "MAP"; }
    std::string_view operator()(const ListType&) const { return "LIST"; }
    std::string_view operator()(const EnumType&) const { return "ENUM"; }
    std::string_view operator()(const DecimalType&) const { return "DECIMAL"; }
    std::string_view operator()(const DateType&) const { return "DATE"; }
    std::string_view operator()(const TimeType&) const { return "TIME"; }
    std::string_view operator()(const TimestampType&) const { return "TIMESTAMP"; }
    std::string_view operator()(const IntType&) const { return "INTEGER"; }
    std::string_view operator()(const NullType&) const { return "UNKNOWN"; }
    std::string_view operator()(const JsonType&) const { return "JSON"; }
    std::string_view operator()(const BsonType&) const { return "BSON"; }
    std::string_view operator()(const UuidType&) const { return "UUID"; }
    std::string_view operator()(const Float16Type&) const { return "FLOAT16"; }
    std::string_view operator()(const VariantType&) const { return "VARIANT"; }
    std::string_view operator()(const GeometryType&) const { return "GEOMETRY"; }
    std::string_view operator()(const GeographyType&) const { return "GEOGRAPHY"; }
    std::string_view operator()(const VectorType&) const { return "VECTOR"; }
  };
  return std::visit(Namer{}, value);
}

Status Decode(ThriftCompactReader& reader, LogicalType* out) {
  int known_members = 0;
  int16_t unknown_id = 0;
  out->value = UndefinedLogicalType{};
  ARCFLOW_RETURN_NOT_OK(reader.ReadStruct([&](const FieldHeader& field) -> Status {
    // Every member is a struct; anything else is not a member this reader can use.
    if (field.type != ThriftWireType::kStruct) return reader.Skip(field.type);
    LogicalType member;
    bool known = false;
    ARCFLOW_RETURN_NOT_OK(DecodeMember(reader, field.id, &member, &known));
    if (!known) {
      if (unknown_id == 0) unknown_id = field.id;
      return Status::OK();
    }
    if (++known_members > 1) {
      return reader.Corrupt("thrift union LogicalType has more than one member");
    }
    *out = std::move(member);
    return Status::OK();
  }));
  if (known_members == 0) out->value = UndefinedLogicalType{unknown_id};
  return Status::OK();
}

void Encode(const LogicalType& value, ThriftCompactWriter& writer) {
  struct MemberEncoder {
    ThriftCompactWriter& writer;

    void operator()(const UndefinedLogicalType&) const {}
    void operator()(const StringType&) const { EncodeEmptyStructField(kStringId, writer); }
    void operator()(const MapType&) const { EncodeEmptyStructField(kMapId, writer); }
    void operator()(const ListType&) const { EncodeEmptyStructField(kListId, writer); }
    void operator()(const EnumType&) const { EncodeEmptyStructField(kEnumId, writer); }
    void operator()(const DecimalType& decimal) const {
      writer.WriteFieldHeader(kDecimalId, ThriftWireType::kStruct);
      writer.BeginStruct();
      writer.WriteField(1, decimal.scale);
      writer.WriteField(2, decimal.precision);
      writer.EndStruct();
    }
    void operator()(const DateType&) const { EncodeEmptyStructField(kDateId, writer); }
    void operator()(const TimeType& time) const {
      writer.WriteFieldHeader(kTimeId, ThriftWireType::kStruct);
      EncodeTimeLike(time, writer);
    }
    void operator()(const TimestampType& timestamp) const {
      writer.WriteFieldHeader(kTimestampId, ThriftWireType::kStruct);
      EncodeTimeLike(timestamp, writer);
    }
    void operator()(const IntType& integer) const {
      writer.WriteFieldHeader(kIntegerId, ThriftWireType::kStruct);
      writer.BeginStruct();
      writer.WriteField(1, integer.bit_width);
      writer.WriteField(2, integer.is_signed);
      writer.EndStruct();
    }
    void operator()(const NullType&) const { EncodeEmptyStructField(kNullId, writer); }
    void operator()(const JsonType&) const { EncodeEmptyStructField(kJsonId, writer); }
    void operator()(const BsonType&) const { EncodeEmptyStructField(kBsonId, writer); }
    void operator()(const UuidType&) const { EncodeEmptyStructField(kUuidId, writer); }
    void operator()(const Float16Type&) const { EncodeEmptyStructField(kFloat16Id, writer); }
    void operator()(const VariantType& variant) const {
      writer.WriteFieldHeader(kVariantId, ThriftWireType::kStruct);
      writer.BeginStruct();
      writer.WriteField(1, variant.specification_version);
      writer.EndStruct();
    }
    void operator()(const GeometryType& geometry) const {
      writer.WriteFieldHeader(kGeometryId, ThriftWireType::kStruct);
      writer.BeginStruct();
      writer.WriteField(1, geometry.crs);
      writer.EndStruct();
    }
    void operator()(const GeographyType& geography) const {
      writer.WriteFieldHeader(kGeographyId, ThriftWireType::kStruct);
      writer.BeginStruct();
      writer.WriteField(1, geography.crs);
      writer.WriteField(2, geography.algorithm);
      writer.EndStruct();
    }
    void operator()(const VectorType&) const { EncodeEmptyStructField(kVectorId, writer); }
  };
  writer.BeginStruct();
  std::visit(MemberEncoder{writer}, value.value);
  writer.EndStruct();
}

}  // namespace arcflow::parquet
